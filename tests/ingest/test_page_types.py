"""One small page of each type the modern benchmark names, as a site would serve it.

Each fixture is written here (never a corpus page): a page of its type with the usual
furniture around it (a navigation bar, a cookie notice, a footer, a sidebar), and the
test says what a reader wants from it and what they do not.
"""

from __future__ import annotations

from reader.ingest.extract import extract_page
from reader.ingest.page import ExtractedPage, RawPage

NAV = (
    '<header class="site-header"><a href="/">Brightwater</a><nav><ul>'
    '<li><a href="/shop">Shop</a></li><li><a href="/about">About us</a></li>'
    '<li><a href="/help">Help centre</a></li></ul></nav></header>'
)
COOKIES = (
    '<div class="cookie-banner"><p>We use cookies to improve your experience on our site. '
    "By browsing you agree to our use of cookies.</p><button>Accept all</button></div>"
)
FOOTER = (
    '<footer class="site-footer"><p>Copyright 2026 Brightwater Trading Ltd. All rights '
    'reserved.</p><ul><li><a href="/privacy">Privacy policy</a></li>'
    '<li><a href="/terms">Terms of service</a></li></ul></footer>'
)


def extract(body: str, title: str = "Brightwater", head: str = "") -> ExtractedPage:
    html = (
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title>{head}</head>"
        f"<body>{NAV}{COOKIES}{body}{FOOTER}</body></html>"
    )
    data = html.encode("utf-8")
    raw = RawPage(data=data, html=data, filename="page.html", kind="html", url=None)
    return extract_page(raw)


def furniture_is_gone(result: ExtractedPage) -> None:
    for boilerplate in ("We use cookies", "All rights reserved", "Help centre", "Accept all"):
        assert boilerplate not in result.text, boilerplate


def sentence(subject: str, i: int) -> str:
    return (
        f"{subject} note {i} explains one more thing in a full sentence, long enough to read "
        "as running prose and not as a menu entry or a teaser line."
    )


def test_article_keeps_its_story_and_drops_comments_and_teasers() -> None:
    story = "".join(f"<p>{sentence('The river', i)}</p>" for i in range(6))
    body = (
        "<main><article><h1>The river rises</h1>"
        '<p class="byline">By Ann Lee</p>'
        f"{story}</article>"
        '<section class="comments"><h2>Comments</h2>'
        + "".join(f'<div class="comment"><p>{sentence("A reader", i)}</p></div>' for i in range(3))
        + "</section></main>"
        '<aside class="sidebar"><h3>Most read</h3><ul>'
        + "".join(f'<li><a href="/s/{i}">Another story number {i}</a></li>' for i in range(8))
        + "</ul></aside>"
    )
    result = extract(body, "The river rises")
    for i in range(6):
        assert sentence("The river", i) in result.text
    assert "A reader note" not in result.text
    assert "Another story number" not in result.text
    furniture_is_gone(result)


def test_forum_thread_keeps_every_post_with_its_author() -> None:
    posts = "".join(
        f'<div class="topic-post" id="post_{i}" itemscope '
        'itemtype="http://schema.org/DiscussionForumPosting">'
        f'<div class="post-meta"><span class="creator" itemprop="author">'
        f'<a href="/u/{name}"><span itemprop="name">{name}</span></a></span>'
        f'<time datetime="2026-03-0{i + 1}">Mar {i + 1}, 2026</time></div>'
        f'<div class="post" itemprop="text"><p>{sentence(name.title(), i)}</p></div>'
        '<div class="post-actions"><button>Like</button><a href="#">Reply</a></div>'
        "</div>"
        for i, name in enumerate(["ann", "bob", "cleo", "dev"])
    )
    body = f"<main><h1>How do I keep a sourdough starter alive?</h1>{posts}</main>"
    result = extract(body, "How do I keep a sourdough starter alive?")
    assert result.extractor == "forum"
    text = result.text
    for i, name in enumerate(["ann", "bob", "cleo", "dev"]):
        assert sentence(name.title(), i) in text
        assert name in text  # each post says who wrote it
    # The posts stay in the order of the thread, each after its author.
    assert text.index("ann") < text.index("Ann note") < text.index("bob") < text.index("Bob note")
    furniture_is_gone(result)


def test_service_page_keeps_every_section_of_its_pitch() -> None:
    sections = "".join(
        f"<section><h2>{heading}</h2><p>{sentence(heading, i)}</p></section>"
        for i, heading in enumerate(["Plumbing", "Heating", "Drainage", "Boilers"])
    )
    body = (
        '<main><div class="hero"><h1>Emergency plumbers in Leeds</h1>'
        "<p>Call us any hour of the day, every day of the year.</p></div>"
        f"{sections}</main>"
    )
    result = extract(body)
    for i, heading in enumerate(["Plumbing", "Heating", "Drainage", "Boilers"]):
        assert sentence(heading, i) in result.text
    furniture_is_gone(result)


def test_product_page_keeps_its_description_and_details() -> None:
    body = (
        '<main><div class="product"><h1>Stoneware teapot, 1.2 litres</h1>'
        '<p class="price">£34.00</p>'
        f'<div class="description"><p>{sentence("The teapot", 1)}</p></div>'
        "<h2>Details</h2><ul><li>Hand-thrown stoneware with a matte glaze</li>"
        "<li>Holds six cups of tea</li><li>Dishwasher safe</li></ul>"
        "<button>Add to basket</button></div></main>"
    )
    result = extract(body, "Stoneware teapot, 1.2 litres | Brightwater")
    assert sentence("The teapot", 1) in result.text
    assert "Holds six cups of tea" in result.text
    assert "Add to basket" not in result.text
    furniture_is_gone(result)


def test_documentation_keeps_headings_and_code() -> None:
    body = (
        '<div class="docs-sidebar"><nav><ul>'
        + "".join(f'<li><a href="/docs/{i}">Chapter {i}</a></li>' for i in range(12))
        + "</ul></nav></div>"
        '<main><div class="content"><h1>Configuring the client</h1>'
        f"<p>{sentence('The client', 1)}</p>"
        "<h2>Timeouts</h2>"
        f"<p>{sentence('A timeout', 2)}</p>"
        "<pre><code>client = Client(timeout=30)\nclient.connect()</code></pre>"
        "<h2>Retries</h2>"
        f"<p>{sentence('A retry', 3)}</p>"
        "<pre><code>client.retries = 5</code></pre></div></main>"
    )
    result = extract(body, "Configuring the client")
    kinds = {(b.kind, b.text) for b in result.document.blocks}
    assert ("heading", "Timeouts") in kinds
    assert ("heading", "Retries") in kinds
    codes = [b.text for b in result.document.blocks if b.kind == "code"]
    assert any("Client(timeout=30)" in c for c in codes)
    assert any("client.retries = 5" in c for c in codes)
    assert "Chapter 7" not in result.text
    furniture_is_gone(result)


def test_listing_keeps_every_entry() -> None:
    entries = "".join(
        f'<article class="event"><h2><a href="/events/{i}">{name}</a></h2>'
        f"<p>{sentence(name, i)}</p></article>"
        for i, name in enumerate(["Choir night", "Book swap", "Garden day", "Quiz"])
    )
    body = f"<main><h1>What's on in March</h1>{entries}</main>"
    result = extract(body, "What's on in March")
    for i, name in enumerate(["Choir night", "Book swap", "Garden day", "Quiz"]):
        assert sentence(name, i) in result.text
    furniture_is_gone(result)


def test_collection_keeps_its_items() -> None:
    cards = "".join(
        f'<li class="product-card"><a href="/p/{i}"><h3>{name}</h3></a>'
        f"<p>{name} in glazed stoneware, made by hand in our workshop.</p>"
        f'<span class="price">£{20 + i}.00</span></li>'
        for i, name in enumerate(["Mug", "Bowl", "Jug", "Plate", "Vase", "Teapot"])
    )
    body = (
        "<main><h1>Stoneware</h1>"
        f"<p>{sentence('Our stoneware', 1)}</p>"
        f'<ul class="products">{cards}</ul></main>'
    )
    result = extract(body, "Stoneware")
    assert sentence("Our stoneware", 1) in result.text
    for name in ["Mug", "Bowl", "Jug", "Plate", "Vase", "Teapot"]:
        assert f"{name} in glazed stoneware" in result.text
    furniture_is_gone(result)


# --- the readings beside readability's, one by one ------------------------------------


def test_the_page_less_its_chrome_keeps_the_content_only() -> None:
    import lxml.html

    from reader.ingest.chrome import main_region

    html = (
        f"<html><body>{NAV}{COOKIES}<div class='layout'>"
        "<div class='sidebar'><ul><li><a href='/a'>Archive</a></li></ul></div>"
        f"<div class='content'><h1>Opening hours</h1><p>{sentence('The shop', 1)}</p>"
        f"<p>{sentence('The cafe', 2)}</p></div></div>"
        f"<div role='dialog'><p>Sign in to see your basket</p></div>{FOOTER}</body></html>"
    )
    region = main_region(lxml.html.document_fromstring(html))
    text = region.text_content()
    assert sentence("The shop", 1) in text and sentence("The cafe", 2) in text
    for chrome in ("Help centre", "We use cookies", "Archive", "Sign in", "All rights"):
        assert chrome not in text, chrome


def test_the_page_less_its_chrome_drops_a_consent_notice_longer_than_the_page() -> None:
    """A consent manager's purposes and vendors can outweigh a list page's entries: its
    notice goes whatever share of the page it holds."""
    import lxml.html

    from reader.ingest.chrome import main_region

    purposes = "".join(f"<p>{sentence(f'Purpose {i}', i)}</p>" for i in range(8))
    entries = "".join(f"<li><a href='/r/{i}'>Recipe {i}</a></li>" for i in range(5))
    html = (
        f"<html><body><h1>Tomato sauces</h1><ul>{entries}</ul>"
        f"<div id='onetrust-consent-sdk'><h2>Your Privacy</h2>{purposes}</div></body></html>"
    )
    text = main_region(lxml.html.document_fromstring(html)).text_content()
    assert "Recipe 4" in text
    assert "Purpose" not in text and "Your Privacy" not in text


def test_the_page_less_its_chrome_keeps_an_faqs_questions() -> None:
    """Buttons go with the page's controls, except those that name the section they
    open: an FAQ's questions."""
    import lxml.html

    from reader.ingest.chrome import main_region

    html = (
        f"<html><body>{NAV}<main><h1>Boiler servicing</h1><p>{sentence('The service', 1)}</p>"
        "<h2>Questions</h2><div><button aria-expanded='true'>How long does a service take?"
        f"</button><div><p>{sentence('The visit', 2)}</p></div></div>"
        "<button>Book now</button></main>{FOOTER}</body></html>"
    )
    text = main_region(lxml.html.document_fromstring(html)).text_content()
    assert "How long does a service take?" in text
    assert "Book now" not in text


def test_service_page_keeps_its_faq() -> None:
    questions = ["How long does a service take?", "Do you service every make of boiler?"]
    faq = "".join(
        f"<div class='faq-item'><button aria-expanded='false' aria-controls='a{i}'>{q}"
        f"</button><div id='a{i}' aria-hidden='true'><p>{sentence('The answer', i)}</p></div>"
        "</div>"
        for i, q in enumerate(questions)
    )
    details = (
        "<details><summary><h3>What does it cost?</h3></summary>"
        f"<div aria-hidden='true'><p>{sentence('The price', 9)}</p></div></details>"
    )
    body = (
        f"<main><h1>Boiler servicing</h1><p>{sentence('The service', 1)}</p>"
        f"<p>{sentence('The engineer', 2)}</p><h2>Questions</h2>{faq}{details}</main>"
    )
    result = extract(body)
    for question in [*questions, "What does it cost?"]:
        assert question in result.text
    assert sentence("The price", 9) in result.text
    furniture_is_gone(result)


def test_the_page_wins_when_readability_read_one_part_of_many() -> None:
    from reader.document import Block, Document
    from reader.ingest.candidates import Candidates, choose

    def doc(*texts: str) -> Document:
        return Document(tuple(Block("paragraph", t) for t in texts))

    blurb = doc(sentence("The blurb", 0))
    page = doc(*(sentence("Section", i) for i in range(8)))
    assert choose(Candidates(blurb, page=page)) == ("page", page)
    # A page that adds nothing but a few short lines leaves readability's pick alone.
    story = doc(*(sentence("Story", i) for i in range(8)))
    with_menus = doc(*(sentence("Story", i) for i in range(8)), "Home", "About", "Shop")
    assert choose(Candidates(story, page=with_menus)) == ("readability", story)


def test_a_thread_served_in_noscript_is_read() -> None:
    posts = "".join(
        f"<div class='crawler-post' itemscope itemtype='http://schema.org/DiscussionForumPosting'>"
        f"<span class='creator' itemprop='author'><span itemprop='name'>{name}</span></span>"
        f"<div class='post' itemprop='text'><p>{sentence(name.title(), i)}</p></div></div>"
        for i, name in enumerate(["ann", "bob", "cleo"])
    )
    body = f"<div id='app'>Loading…</div><noscript>{posts}</noscript>"
    result = extract(body, "Starter help")
    for i, name in enumerate(["ann", "bob", "cleo"]):
        assert sentence(name.title(), i) in result.text


def test_documentation_keeps_headings_whose_styling_names_a_negative_word() -> None:
    """readability drops a heading whose class has "scroll" or "meta" in it; a docs
    site's utility classes are no verdict on the heading."""
    sections = "".join(
        f'<h2 id="step-{i}" class="doc-heading scroll-margin-top meta-h2">'
        f'<a class="permalink" href="#step-{i}" aria-label="permalink"></a>'
        f"Step {i} of the guide</h2>"
        f"<p>{sentence(f'Step {i}', i)}</p><p>{sentence(f'Detail {i}', i)}</p>"
        for i in range(1, 4)
    )
    body = f'<main><div class="docs-content"><h1>Managing resources</h1>{sections}</div></main>'
    result = extract(body, "Managing resources")
    headings = [b.text for b in result.document.blocks if b.kind == "heading"]
    for i in range(1, 4):
        assert f"Step {i} of the guide" in headings
    furniture_is_gone(result)


def test_a_consent_dialog_is_never_the_body() -> None:
    """A consent manager's dialog is the page's longest prose; readability took it for
    the article over a list of short entries."""
    privacy = "".join(
        f"<p>{sentence(f'Your privacy choice {i}', i)} We share this with partners.</p>"
        for i in range(6)
    )
    dialog = (
        '<div id="consent-sdk"><div role="dialog" aria-modal="true" aria-label="Privacy">'
        f"<h2>Your Privacy</h2>{privacy}</div></div>"
    )
    recipes = [f"Sauce number {i}" for i in range(30)]
    entries = "".join(
        f'<li><a href="/r/{i}"><h3>{name}</h3></a><span>{name} with tomatoes and basil,'
        " ready in forty minutes, serves four.</span></li>"
        for i, name in enumerate(recipes)
    )
    body = (
        f"<div><h1>Tomato sauce recipes</h1><span>{sentence('Our sauces', 1)}</span>"
        f"<ul>{entries}</ul></div>{dialog}"
    )
    result = extract(body, "Tomato sauce recipes")
    assert "Your privacy choice" not in result.text
    assert sentence("Our sauces", 1) in result.text
    for name in recipes:
        assert f"{name} with tomatoes and basil," in result.text


def test_a_hollow_thread_beside_an_article_is_not_the_body() -> None:
    """Two one-line comments read as a "thread" under an article readability missed:
    the page's prose is the body, not the comments."""
    from reader.document import Block, Document
    from reader.ingest.candidates import Candidates, choose

    story = Document(tuple(Block("paragraph", sentence("The story", i)) for i in range(12)))
    comments = Document((Block("paragraph", "ann · 2 days ago"), Block("paragraph", "Great!")))
    teaser = Document((Block("paragraph", "Read more stories"),))
    name, document = choose(Candidates(teaser, forum=comments, page=story))
    assert (name, document) == ("page", story)


def test_forum_thread_keeps_its_opening_post_when_marked_up_apart_from_replies() -> None:
    """A link aggregator's submission sits above its comments in markup of its own: the
    thread opens with it, its author first."""
    submission = (
        '<div class="post-listing"><article class="post-content">'
        '<div class="byline"><a href="/u/ann">ann</a> to Announcements</div>'
        f'<div class="md-body"><p>{sentence("The update", 0)}</p>'
        f"<p>{sentence('The update', 1)}</p></div></article></div>"
    )
    comments = "".join(
        f'<li class="comment"><article id="comment-{i}" class="comment-node">'
        f'<a href="/u/{name}">{name}</a>'
        f'<div class="comment-content"><p>{sentence(name.title(), i)}</p></div></article></li>'
        for i, name in enumerate(["bob", "cleo", "dev"], start=2)
    )
    body = f'<main><div class="post">{submission}<ul class="comments">{comments}</ul></div></main>'
    result = extract(body, "Development update")
    text = result.text
    assert sentence("The update", 0) in text
    assert text.index("ann") < text.index("The update note 0") < text.index("bob")
    for i, name in enumerate(["bob", "cleo", "dev"], start=2):
        assert sentence(name.title(), i) in text


def test_documentation_keeps_every_section_of_a_run_beside_its_longest() -> None:
    """A manual page's sections are siblings of one class; readability kept those
    scoring a fifth of the longest (Parameters) and lost the short Description before
    it. Mozilla's Readability weighs a sibling of the same class with that fifth added."""
    clauses = "".join(
        f'<div class="refsect2"><h3>Clause {i}</h3><p>{sentence(f"Clause {i}", i)}</p>'
        f"<p>{sentence(f'Clause {i} also', i + 1)}</p><p>{sentence(f'Clause {i} then', i)}</p>"
        "</div>"
        for i in range(1, 13)
    )
    body = (
        '<div id="docContent"><div class="refentry">'
        '<div class="refnamediv"><h1>SELECT</h1><p>SELECT — retrieve rows</p></div>'
        '<div class="refsect1"><h2>Description</h2>'
        "<p>SELECT retrieves rows from zero or more tables, in the order asked.</p></div>"
        f'<div class="refsect1"><h2>Parameters</h2>{clauses}</div>'
        '<div class="refsect1"><h2>Compatibility</h2>'
        "<p>The SELECT statement is compatible with the SQL standard, mostly.</p></div>"
        "</div></div>"
    )
    result = extract(body, "SELECT")
    headings = [b.text for b in result.document.blocks if b.kind == "heading"]
    assert headings.index("Description") < headings.index("Parameters")
    assert "Compatibility" in headings
    assert "SELECT retrieves rows from zero or more tables" in result.text
    assert "compatible with the SQL standard" in result.text
    furniture_is_gone(result)


def test_article_keeps_a_list_of_one_item() -> None:
    """readability weighed a `<ul>` with its content score (-3 to start with) and lost
    a list of one short item from the middle of the text; Mozilla's Readability weighs
    the list's class alone there."""
    parts = "".join(
        f"<h2>Trend {i}</h2><p>{sentence(f'Trend {i}', i)}</p>"
        f"<ul><li><p>Brand {i} ships a door that opens with four millimetres to spare</p></li>"
        f"</ul><p>{sentence(f'Trend {i} matters', i)}</p>"
        for i in range(1, 5)
    )
    result = extract(f'<div class="post-body">{parts}</div>', "Kitchen trends")
    for i in range(1, 5):
        assert f"Brand {i} ships a door" in result.text
    furniture_is_gone(result)


def test_documentation_keeps_headings_that_link_to_themselves() -> None:
    """A heading that is its own anchor (`<h2><a href="#goals">Goals</a></h2>`) is all
    link; Mozilla's Readability counts a link within the page at 0.3 of its length, and
    readability-lxml dropped every such heading."""
    sections = "".join(
        f'<h2 id="part-{i}"><a href="#part-{i}">Part {i} in short</a></h2>'
        f"<p>{sentence(f'Part {i}', i)}</p><p>{sentence(f'Part {i} also', i)}</p>"
        for i in range(1, 4)
    )
    result = extract(f"<main><div>{sections}</div></main>", "A guide")
    headings = [b.text for b in result.document.blocks if b.kind == "heading"]
    assert headings == ["Part 1 in short", "Part 2 in short", "Part 3 in short"]
    furniture_is_gone(result)


def test_article_keeps_headings_each_in_a_box_of_its_own() -> None:
    """A page builder wraps each heading apart from the section under it: the box has
    no score to be taken for, and readability kept the sections and lost the headings
    between them (and dropped a box of under 25 characters as too short)."""
    parts = "".join(
        f'<section class="block-title"><h3>Tip {i}</h3></section>'
        f'<section class="block-text"><p>{sentence(f"Tip {i}", i)}</p>'
        f"<p>{sentence(f'Tip {i} also', i)}</p><p>{sentence(f'Tip {i} then', i)}</p></section>"
        for i in range(1, 5)
    )
    result = extract(f'<div class="page-sections">{parts}</div>', "Saving power")
    headings = [b.text for b in result.document.blocks if b.kind == "heading"]
    assert headings == ["Tip 1", "Tip 2", "Tip 3", "Tip 4"]
    assert sentence("Tip 4 then", 4) in result.text
    furniture_is_gone(result)


def test_article_keeps_a_heading_boxed_apart_between_its_sections() -> None:
    """readability joins the siblings of its pick by their score; a `<header>` holding
    only the next section's heading has none, and was left out between two sections
    it kept."""
    first = "".join(f"<p>{sentence('The service', i)}</p>" for i in range(5))
    second = "".join(f"<p>{sentence('The price', i)}</p>" for i in range(3))
    body = (
        f'<div class="layout"><div class="part">{first}</div>'
        "<header><h3>Cost-effective and scalable</h3></header>"
        f'<div class="part">{second}</div></div>'
    )
    result = extract(body, "Our service")
    headings = [b.text for b in result.document.blocks if b.kind == "heading"]
    assert headings == ["Cost-effective and scalable"]
    text = result.text
    assert text.index("The service note 4") < text.index("Cost-effective") < text.index("price")
    furniture_is_gone(result)


def test_article_keeps_every_section_each_boxed_in_a_wrapper_of_its_own() -> None:
    """Each section's text sits in a box that is its wrapper's only child; readability
    joined the siblings of the inner box (none) and kept one section. Mozilla's
    Readability moves its pick up to the wrapper first."""
    lengths = [6, 2, 3]
    sections = "".join(
        '<section class="rt-block"><div class="rt-block__inner">'
        + "".join(f"<p>{sentence(f'Section {i}', j)}</p>" for j in range(n))
        + "</div></section>"
        for i, n in enumerate(lengths)
    )
    result = extract(f'<div class="layout">{sections}</div>', "Cleaning trends")
    for i, n in enumerate(lengths):
        assert sentence(f"Section {i}", n - 1) in result.text
    furniture_is_gone(result)


def test_article_read_once_when_the_page_has_a_copy_per_screen_size() -> None:
    """A page built for several screen sizes holds its text once per layout, the others
    hidden by a stylesheet; a sibling with the text of readability's pick is a copy,
    never joined to it."""
    import lxml.html

    from reader.ingest.readable import readability_article

    story = "".join(f"<p>{sentence('The launch', i)}</p>" for i in range(6))
    layouts = "".join(
        f'<div class="variant v-{size}"><div class="frame">{story}</div></div>'
        for size in ("desktop", "tablet", "phone")
    )
    html = f'<html><body><div class="layout">{layouts}</div></body></html>'
    article = readability_article(lxml.html.fromstring(html), lambda: lxml.html.fromstring(html))
    assert article is not None
    assert article.text_content().count(sentence("The launch", 5)) == 1


def test_article_keeps_a_list_between_two_of_its_sections() -> None:
    """A box of short list items between two sections earns no score of its own (only
    paragraphs are scored), and readability left it out of the middle of the text."""
    first = "".join(f"<p>{sentence('The market', i)}</p>" for i in range(5))
    second = "".join(f"<p>{sentence('The outlook', i)}</p>" for i in range(4))
    facts = "".join(f"<li>Fact {i}: growth of {i} percent a year</li>" for i in range(1, 4))
    body = (
        f'<div class="layout"><div class="part">{first}</div>'
        f'<div class="facts"><h2>Key statistics</h2><ul>{facts}</ul></div>'
        f'<div class="part">{second}</div></div>'
    )
    result = extract(body, "Market trends")
    text = result.text
    assert "Fact 3: growth of 3 percent a year" in text
    assert text.index("The market note 4") < text.index("Key statistics") < text.index("outlook")
    furniture_is_gone(result)


def test_forum_thread_reads_a_quoted_post_once() -> None:
    """A reply that quotes a post above it ("ann said: ... Click to expand...") shows
    its own words only: the thread shows the quoted post already, under its author.
    A quote of something the page does not hold stays."""
    elsewhere = "Feed it equal weights of flour and water at the same hour every day."

    def post(i: int, name: str, quote: str = "") -> str:
        box = (
            '<blockquote class="bbCodeBlock bbCodeBlock--quote">'
            f'<div class="bbCodeBlock-title">{quote} said:</div>'
            f'<div class="bbCodeBlock-content">{quoted[quote]}</div>'
            '<div class="bbCodeBlock-expandLink">Click to expand...</div></blockquote>'
            if quote
            else ""
        )
        return (
            f'<article class="message" id="post-{i}" data-author="{name}">'
            f'<a class="username" href="/members/{name}">{name}</a>'
            f'<time datetime="2026-03-0{i + 1}">Mar {i + 1}, 2026</time>'
            f'<div class="message-body">{box}<p>{sentence(name.title(), i)}</p></div>'
            "</article>"
        )

    quoted = {"ann": sentence("Ann", 0), "the manual": elsewhere}
    posts = post(0, "ann") + post(1, "bob", "ann") + post(2, "cleo", "the manual")
    result = extract(f"<main><h1>Starters</h1>{posts}</main>", "Starters")
    assert result.extractor == "forum"
    text = result.text
    assert text.count(sentence("Ann", 0)) == 1
    assert "ann said" not in text and text.count("Click to expand") == 1  # the manual's
    assert sentence("Bob", 1) in text and sentence("Cleo", 2) in text
    assert elsewhere in text  # quoting no post of this page
