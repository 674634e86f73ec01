"""The second opinion (trafilatura) in `candidates.choose`: asked only where our own
readings look weak, and taken only where it settles something.

Each case is a page's readings written here as Documents (a product whose
readability pick is its footer's legal notes, a service page readability read one
section of, an article a fallback outvoted), with a stand-in opinion that counts how
often it was asked; one test runs trafilatura itself on a small page.
"""

from __future__ import annotations

from reader.document import Block, Document, Mark
from reader.ingest.candidates import Candidates, agreement, choose
from reader.ingest.second_opinion import trafilatura_reading


def prose(subject: str, n: int, kind: str = "paragraph") -> Document:
    return Document(
        tuple(
            Block(
                kind,
                f"{subject} sentence {i} says one more thing about {subject.lower()} in "
                "words of its own, long enough to read as running prose on the page.",
            )
            for i in range(n)
        )
    )


def plus(*documents: Document) -> Document:
    return Document(tuple(b for d in documents for b in d.blocks))


class Opinion:
    def __init__(self, document: Document) -> None:
        self.document, self.asked = document, 0

    def __call__(self) -> Document:
        self.asked += 1
        return self.document


def test_a_product_whose_readability_pick_is_its_legal_notes_takes_the_opinion() -> None:
    # The description and details are lists: the page less its chrome adds no prose,
    # so it does not outvote readability's pick by itself.
    legal = prose("Registered company", 5)
    description = prose("The teapot", 12, "list_item")
    details = prose("Specification", 4, "list_item")
    page = plus(description, legal, details)
    opinion = Opinion(plus(description, details))
    name, document = choose(Candidates(legal, page=page), opinion)
    assert (name, document) == ("trafilatura", opinion.document)
    assert opinion.asked == 1


def test_a_service_page_read_one_section_of_takes_a_reading_of_them_all() -> None:
    sections = [prose(f"Section {i}", 6, "list_item") for i in range(5)]
    page = plus(*sections)
    name, document = choose(Candidates(sections[0], page=page), Opinion(page))
    # readability's pick (one section's list) has no running prose: the page less its
    # chrome, which reads every section, wins, and the opinion reading the same stands by.
    assert (name, document) == ("page", page)
    # Where readability's section is prose, the page adds none: the opinion settles it.
    first = prose("Section 0", 6)
    page = plus(first, *sections[1:])
    assert choose(Candidates(first, page=page), Opinion(page))[0] == "trafilatura"


def test_an_opinion_that_adds_little_leaves_readability() -> None:
    part = prose("The offer", 4)
    page = plus(part, prose("Menu entry", 6))
    opinion = Opinion(plus(part, prose("Extra", 1)))  # under 1.5 times the words
    assert choose(Candidates(part, page=page), opinion)[0] == "readability"
    assert opinion.asked == 1


def test_readability_holding_the_page_asks_no_opinion() -> None:
    story = prose("The river", 10)
    opinion = Opinion(prose("Something else", 30))
    assert choose(Candidates(story, page=plus(story, prose("Footer", 2))), opinion)[0] == (
        "readability"
    )
    assert opinion.asked == 0


def test_a_fallback_that_outvoted_readability_gives_way_when_the_opinion_agrees() -> None:
    story = prose("The article", 8)
    page = plus(story, prose("Teaser", 30))  # adds prose of its own: the page wins alone
    assert choose(Candidates(story, page=page))[0] == "page"
    opinion = Opinion(plus(story, prose("Caption", 1)))
    assert choose(Candidates(story, page=page), opinion)[0] == "readability"
    # An opinion that reads the whole page leaves the page standing.
    assert choose(Candidates(story, page=page), Opinion(page))[0] == "page"


def test_a_thread_of_many_posts_readability_read_one_of_is_not_second_guessed() -> None:
    posts = prose("A post", 6)
    opinion = Opinion(prose("First post", 2))
    assert choose(Candidates(prose("A post", 1), forum=posts), opinion)[0] == "forum"
    assert opinion.asked == 0


def test_agreement_is_the_share_of_word_triples_in_common() -> None:
    story = prose("The river", 4)
    assert agreement(story, story) == 1.0
    assert agreement(story, prose("A mountain", 4)) < 0.7
    assert agreement(story, Document()) == 0.0


def test_trafilatura_reads_a_product_page_and_says_nothing_on_an_empty_one() -> None:
    import lxml.html

    description = "".join(
        f"<p>The teapot holds six cups, note {i}, and keeps the tea hot for an hour or more"
        " under its knitted cosy, which comes with it in the box.</p>"
        for i in range(4)
    )
    html = (
        "<html><body><nav><a href='/'>Home</a> <a href='/shop'>Shop</a></nav>"
        f"<main><h1>Stoneware teapot</h1>{description}</main>"
        "<footer>Copyright 2026 Brightwater</footer></body></html>"
    )
    found = trafilatura_reading(lxml.html.document_fromstring(html), "https://example.com/")
    assert "keeps the tea hot" in found.text
    assert "Copyright" not in found.text
    empty = trafilatura_reading(lxml.html.document_fromstring("<html><body></body></html>"), None)
    assert empty == Document()


def test_a_quick_opinion_that_missed_asks_the_fuller_one() -> None:
    legal = prose("Registered company", 5)
    description = prose("The teapot", 12, "list_item")
    page = plus(description, legal, prose("Specification", 4, "list_item"))
    quick, full = Opinion(prose("Price", 1)), Opinion(description)
    assert choose(Candidates(legal, page=page), quick, full)[0] == "trafilatura"
    assert (quick.asked, full.asked) == (1, 1)
    # A quick opinion that found as much as readability is not asked again.
    quick, full = Opinion(legal), Opinion(description)
    assert choose(Candidates(legal, page=page), quick, full)[0] == "readability"
    assert full.asked == 0


def test_a_product_whose_readability_pick_is_its_purchase_box_takes_the_opinion() -> None:
    """As long as readability's pick, but another part of the page: the opinion."""
    purchase = prose("Delivery and returns", 6)
    description = Document(
        tuple(
            Block(
                "list_item",
                f"Hand-thrown stoneware, glazed in celadon, batch {i}: holds "
                "six cups and keeps them hot under a knitted cosy for an hour or more.",
            )
            for i in range(8)
        )
    )
    page = plus(purchase, description, prose("Review", 8, "list_item"))
    opinion = Opinion(description)
    assert choose(Candidates(purchase, page=page), opinion)[0] == "trafilatura"
    # An opinion that reads the same part agrees, and readability stands.
    same = Opinion(plus(purchase, prose("Price", 1)))
    assert choose(Candidates(purchase, page=page), same)[0] == "readability"


def test_an_article_with_its_teasers_marked_as_posts_stays_readabilitys() -> None:
    """A "thread" that adds a part to readability's article (the teasers of other
    articles, marked up as posts) gives way when the opinion reads the article alone."""
    story = prose("The article", 10)
    thread = plus(story, prose("Teaser", 5))  # 1.5 times the words
    opinion = Opinion(plus(story, prose("Caption", 1)))
    assert choose(Candidates(story, forum=thread), opinion)[0] == "readability"
    # An opinion that reads the teasers too leaves the thread standing.
    assert choose(Candidates(story, forum=thread), Opinion(thread))[0] == "forum"
    # So does one that agrees with neither.
    assert choose(Candidates(story, forum=thread), Opinion(prose("Menu", 9)))[0] == "forum"


def test_a_thread_readability_read_whole_or_one_post_of_is_not_second_guessed() -> None:
    story = prose("A post", 10)
    for thread in (plus(story, prose("Signature", 1)), plus(story, prose("Reply", 30))):
        opinion = Opinion(story)
        assert choose(Candidates(story, forum=thread), opinion)[0] == "forum"
        assert opinion.asked == 0


def test_a_thread_that_lost_what_readability_read_gives_way() -> None:
    """An article split into "posts" where the split lost a part of it."""
    story = prose("The article", 10)
    thread = prose("The article", 8)
    assert choose(Candidates(story, forum=thread))[0] == "readability"


def test_an_opinion_that_reads_readabilitys_text_and_more_of_it_wins() -> None:
    """A fallback outvoted readability; the opinion agrees with readability, yet reads
    half as much again: the rest of the same text (a description readability read the
    first part of). The opinion is taken, not readability."""

    def words(part: str, n: int) -> Document:  # paragraphs that share no word triple
        return Document(
            tuple(
                Block("paragraph", " ".join(f"{part}{i}w{j}" for j in range(20))) for i in range(n)
            )
        )

    story = words("story", 10)
    page = plus(story, words("teaser", 30))  # adds prose of its own: the page wins alone
    assert choose(Candidates(story, page=page))[0] == "page"
    more = Opinion(plus(story, words("rest", 6)))
    assert choose(Candidates(story, page=page), more)[0] == "trafilatura"
    # An opinion that reads what readability read, and a caption, leaves readability.
    same = Opinion(plus(story, words("caption", 1)))
    assert choose(Candidates(story, page=page), same)[0] == "readability"


def cards(n: int, href: str = "https://news.example/story-{i}") -> Document:
    """Teasers of other pages: a headline that is a link, a blurb under it."""
    blocks: list[Block] = []
    for i in range(n):
        headline = f"Another story, number {i}"
        link = Mark("link", 0, len(headline), href.format(i=i))
        blocks += [Block("heading", headline, (link,), level=3), *prose(f"Blurb {i}", 1).blocks]
    return Document(tuple(blocks))


def test_the_teasers_of_other_articles_are_no_prose_the_page_adds() -> None:
    story = prose("The report", 10)
    page = plus(story, cards(12))
    assert choose(Candidates(story, page=page))[0] == "readability"
    # The opinion that reads the teasers too adds nothing but teasers.
    assert choose(Candidates(story, page=page), Opinion(page))[0] == "readability"
    # Sections under headings that link to themselves (documentation's anchors) are
    # the page's own prose.
    sections = cards(12, "https://news.example/report#part-{i}")
    assert choose(Candidates(story, page=plus(story, sections)))[0] == "page"


def test_an_opinion_that_adds_a_gallery_to_readabilitys_article_leaves_readability() -> None:
    """A slideshow beside the article: the opinion reads the article whole and adds the
    slides, list items under numbered headings."""
    story = prose("The hotel", 8)
    slides: list[Block] = []
    for i in range(20):
        caption = " ".join(f"slide{i}word{j}" for j in range(25))
        slides += [Block("heading", f"{i}/20 In pictures", level=2), Block("list_item", caption)]
    page = plus(story, Document(tuple(slides)))
    assert choose(Candidates(story, page=page), Opinion(page))[0] == "readability"
    # Where the opinion adds running prose, it found more of the article.
    rest = Document(tuple(Block("paragraph", b.text) for b in slides))
    assert choose(Candidates(story, page=page), Opinion(plus(story, rest)))[0] == "trafilatura"


def test_a_readability_pick_without_a_sentence_of_prose_gives_way_to_a_page_with_more() -> None:
    """A product whose readability pick is its purchase box (prices, short lines): the
    page with its specifications is the better reading."""
    purchase = Document(
        tuple(Block("paragraph", f"Option {i}: 1{i}.99 EUR, in stock") for i in range(20))
    )
    specs = Document(
        tuple(Block("list_item", " ".join(f"spec{i}w{j}" for j in range(12))) for i in range(30))
    )
    assert purchase.word_count >= 100
    assert choose(Candidates(purchase, page=plus(purchase, specs)))[0] == "page"
    # A pick with a paragraph of prose is a reading of the page: it stands.
    story = plus(prose("The offer", 1), purchase)
    assert choose(Candidates(story, page=plus(story, specs)))[0] == "readability"


def test_readings_that_all_found_almost_nothing_ask_the_opinion() -> None:
    # A shop's front page drawn in an odd wrapper: readability read its greeting, the
    # page less its chrome hardly more.
    greeting = Document((Block("paragraph", "Hi! Sign in or register"),))
    page = plus(greeting, Document((Block("paragraph", "Deals and gift cards"),)))
    shelves = prose("The shelf", 10)
    quick, fuller = Opinion(Document()), Opinion(shelves)
    name, document = choose(Candidates(greeting, page=page), quick, fuller)
    assert (name, document) == ("trafilatura", shelves)
    assert quick.asked and fuller.asked
    # An opinion that finds as little leaves readability's pick.
    name, document = choose(Candidates(greeting, page=page), Opinion(greeting))
    assert name == "readability"
    # A short article of a few sentences is no hollow reading: no opinion is asked.
    short, quick = prose("The note", 3), Opinion(shelves)
    assert choose(Candidates(short, page=short), quick, quick) == ("readability", short)
    assert quick.asked == 0


def test_an_opinion_agreeing_with_a_pick_without_prose_does_not_veto_the_page() -> None:
    # A listing of papers: readability read their titles (list items, no sentence of
    # prose), the page less its chrome their summaries too; the opinion read the titles.
    titles = prose("The paper", 8, "list_item")
    summaries = prose("The summary", 10)
    page = plus(titles, summaries)
    name, document = choose(Candidates(titles, page=page), Opinion(titles))
    assert (name, document) == ("page", page)


def distinct(name: str, n: int) -> Document:
    """n paragraphs of prose sharing no word triple with any other `distinct` text."""
    return Document(
        tuple(Block("paragraph", " ".join(f"{name}{i}w{j}" for j in range(24))) for i in range(n))
    )


def test_an_opinion_reading_under_half_of_readabilitys_words_does_not_veto_the_page() -> None:
    # A service's pitch: readability read its first section twice (the page's mobile
    # and desktop copies) and a line, the page every section; the opinion read the
    # first section once. Its words agree with readability's, but it read under half
    # of them: too little to outvote the page.
    first, line, rest = distinct("first", 8), distinct("line", 1), distinct("rest", 30)
    found = plus(first, first, line)
    page = plus(found, rest)
    name, document = choose(Candidates(found, page=page), Opinion(first))
    assert (name, document) == ("page", page)
