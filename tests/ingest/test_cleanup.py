"""Each boilerplate rule on a small article, and what the rules must spare."""

from __future__ import annotations

import lxml.html

from reader.ingest import cleanup
from reader.textrules import clean_line

BODY = (
    "<p>The council met on Tuesday to discuss the river, which has flooded twice this "
    "year and is expected to flood again before the spring is out, officials said.</p>"
    "<p>Residents asked for a new barrier; the council said it would look at the costs "
    "and report back within the month, after consulting the engineers.</p>"
)


def article(extra: str, *, before: bool = False) -> lxml.html.HtmlElement:
    inner = extra + BODY if before else BODY + extra
    return lxml.html.fragment_fromstring(f"<div>{inner}</div>")


def text(root: lxml.html.HtmlElement) -> str:
    return clean_line(root.text_content())


def cleaned(extra: str, title: str = "", *, before: bool = False) -> str:
    return text(cleanup.clean_article(article(extra, before=before), title))


def test_hidden_elements_removed() -> None:
    for box in (
        "<div hidden>secret one</div>",
        '<p aria-hidden="true">secret two</p>',
        '<span style="color: red; display: none">secret three</span>',
        '<div style="visibility:hidden">secret four</div>',
    ):
        root = article(box)
        assert cleanup.remove_hidden(root) == 1
        assert "secret" not in text(root)


def test_ad_slots_and_labels_removed() -> None:
    root = article('<div class="ad-slot"><a href="/x">Buy things now</a></div><p>Advertisement</p>')
    assert cleanup.remove_ads(root) == 2
    assert "Buy things" not in text(root)
    assert "Advertisement" not in text(root)
    root = article("<div>Story continues below advertisement</div>")
    assert cleanup.remove_ads(root) == 1


def test_ad_word_inside_a_sentence_stays() -> None:
    root = article("<p>The advertisement ran for a week before anyone noticed the error.</p>")
    assert cleanup.remove_ads(root) == 0


def test_share_bars_removed_by_class_label_and_wording() -> None:
    root = article(
        '<div class="post-share"><a href="#">Facebook</a><a href="#">Twitter</a></div>'
        '<ul aria-label="Share this article"><li><a href="#">Email</a></li></ul>'
        "<div>Share this article</div>"
    )
    assert cleanup.remove_share_bars(root) == 3
    assert text(root) == text(article(""))


def test_related_boxes_removed_by_class_and_wording() -> None:
    root = article(
        '<aside class="related-articles"><h3>Related</h3><ul><li><a href="/a">Flood '
        "warnings issued</a></li><li><a href='/b'>Barrier plan</a></li></ul></aside>"
        '<div><strong>Read more:</strong> <a href="/c">The last flood, a year on</a></div>'
        '<section><h2>You might also like</h2><a href="/d">Ten rivers</a></section>'
        '<p>More from the council: <a href="/e">budget</a></p>'
    )
    assert cleanup.remove_related(root) == 4
    assert text(root) == text(article(""))


def test_newsletter_and_donate_boxes_removed() -> None:
    root = article(
        '<div class="newsletter-signup"><p>Get the news first.</p><form><input name="e">'
        "<button>Go</button></form></div>"
        "<div><p>Support our journalism.</p><button>Donate</button></div>"
        "<p>SIGN UP FOR OUR NEWSLETTER</p>"
    )
    assert cleanup.remove_newsletter(root) == 3
    assert text(root) == text(article(""))


def test_a_sentence_about_subscribing_stays() -> None:
    root = article(
        "<p>Readers who subscribe to the paper's newsletter were told about the flood first, "
        "the council said, and many of them moved their cars in time.</p>"
    )
    assert cleanup.remove_newsletter(root) == 0


def test_comment_counts_removed() -> None:
    root = article(
        '<a class="comment-count" href="#c">12</a><span>34 Comments</span>'
        '<p><a href="/c">Comments (5 posted)</a></p>'
    )
    assert cleanup.remove_comment_counts(root) == 3
    assert text(root) == text(article(""))


def test_byline_and_date_lines_removed() -> None:
    root = article(
        '<p class="byline">By Ann Lee</p><div>Updated 22 Dec, 2016 10:43 AM EST</div>',
        before=True,
    )
    assert cleanup.remove_bylines(root) == 2
    assert text(root) == text(article(""))


def test_title_heading_removed_only_when_it_is_the_title() -> None:
    root = article("<h1>River floods again</h1>", before=True)
    assert cleanup.remove_title_heading(root, "River floods again - The Daily") == 1
    root = article("<h2>What happens next</h2>", before=True)
    assert cleanup.remove_title_heading(root, "River floods again") == 0


def test_keeps_figures_code_tables_and_nested_lists() -> None:
    keep = (
        '<figure class="social-image"><img src="a.jpg"><figcaption>The river at dawn'
        "</figcaption></figure>"
        '<div class="share-code"><pre>print("share")</pre></div>'
        '<div class="related-data"><table><tr><th>Year</th><th>Floods</th></tr>'
        "<tr><td>2024</td><td>2</td></tr></table></div>"
        "<ul><li>One<ul><li>Nested item</li></ul></li></ul>"
    )
    result = cleaned(keep)
    for words in ("The river at dawn", 'print("share")', "Floods", "Nested item"):
        assert words in result


def test_a_box_holding_most_of_the_article_is_never_removed_as_related() -> None:
    root = lxml.html.fragment_fromstring(f'<div><div class="related-content">{BODY}</div></div>')
    assert cleanup.remove_related(root) == 0


def test_tail_text_survives_a_removed_element() -> None:
    root = lxml.html.fragment_fromstring(
        '<div><p>Before <span class="share-icons">Share</span> after the bar.</p></div>'
    )
    cleanup.remove_share_bars(root)
    assert text(root) == "Before after the bar."


def test_nonspace_lengths_is_a_lower_bound_of_text() -> None:
    root = article("<div>  a  b <span> c </span></div>")
    lengths = cleanup.nonspace_lengths(root)
    for el in root.iter():
        assert lengths[el] <= len(text(el))


def test_deep_page_cleans_quickly() -> None:
    root = lxml.html.Element("div")
    node = root
    for _ in range(3000):
        node = lxml.html.etree.SubElement(node, "div")
    node.text = "word " * 10_000
    cleanup.clean_article(root, "title")
    assert text(root).startswith("word")


def test_related_posts_with_excerpts_removed_by_name() -> None:
    teaser = (
        '<div class="jp-relatedposts-post"><a href="/x">Another story</a><p>An excerpt of '
        "another story, long enough to read like prose and with few links in it at all.</p></div>"
    )
    root = article(f'<div id="jp-relatedposts" class="jp-relatedposts">{teaser}</div>')
    assert cleanup.remove_related(root) == 1
    assert text(root) == text(article(""))
    # A merely "popular"/"trending" name needs links or brevity to go.
    section = (
        '<div class="trending">A long section of the article itself that happens to carry a '
        "class name about trends, written as prose with no links at all in it. It goes on "
        "for a while, as sections do, about the river and the council and the costs of the "
        "new barrier that residents have asked for.</div>"
    )
    root = lxml.html.fragment_fromstring(f"<div>{BODY * 3}{section}</div>")
    assert cleanup.remove_related(root) == 0


def test_interface_labels_removed() -> None:
    root = article(
        '<p><a href="#n">Next</a></p><div>Continue reading the main story</div><span>Photo</span>'
    )
    assert cleanup.remove_ads(root) == 3
    assert text(root) == text(article(""))
    root = article('<h2>See also<span class="mw-editsection">[edit]</span></h2>')
    assert cleanup.remove_ads(root) == 1
    assert text(root).endswith("engineers.See also")
    root = article('<figure><span>Photo</span><img src="a.jpg"></figure>')
    assert cleanup.remove_ads(root) == 1  # the label, not the figure
    assert root.find(".//img") is not None


def test_a_lone_year_is_not_a_date_line() -> None:
    root = article("<p>2014</p><p>Updated Jan 5</p>", before=True)
    assert cleanup.remove_bylines(root) == 1
    assert text(root).startswith("2014")


def test_components_named_cmp_are_not_consent_notices() -> None:
    """Adobe's components are all "cmp-…": only one that speaks of cookies goes."""
    section = (
        '<div class="cmp-text"><p>Our engineers inspect every barrier twice a year and '
        "publish what they find.</p></div>"
    )
    root = cleanup.clean_article(article(section))
    assert "publish what they find" in text(root)
    notice = (
        '<div class="cmp-banner"><p>We use cookies to measure visits.</p>'
        "<button>Accept</button></div>"
    )
    root = cleanup.clean_article(article(notice))
    assert "We use cookies" not in text(root)


def test_disclosure_buttons_become_text_and_actions_do_not() -> None:
    """An FAQ's questions are buttons that fold their answers; the conversion drops
    buttons, so a button naming its section is made text. Actions stay buttons."""
    faq = (
        '<div><button aria-expanded="false">When will the barrier be finished?</button>'
        "<div><p>By the end of next year.</p></div></div>"
        '<button type="button"><h3>Who pays for the barrier?</h3></button>'
        '<button aria-expanded="false">Show more</button>'
        '<button aria-controls="theme">Preview yellow theme</button>'
        '<button aria-expanded="false" aria-haspopup="dialog">View the full image</button>'
    )
    root = article(faq)
    assert cleanup.reveal_disclosures(root) == 2
    assert [b.text_content() for b in root.iter("button")] == [
        "Show more",
        "Preview yellow theme",
        "View the full image",
    ]


def test_the_folded_part_of_details_is_not_hidden() -> None:
    """A closed <details> marks its answer aria-hidden; a reader opens it."""
    faq = (
        "<details><summary><h4>Does the river flood in summer?</h4></summary>"
        '<div aria-hidden="true"><p>Rarely: twice in forty years.</p></div></details>'
    )
    root = article(faq)
    assert cleanup.remove_hidden(root) == 0
    assert "twice in forty years" in text(root)


def test_the_time_stamps_of_posts_stay() -> None:
    """One or two date lines are the article's dateline; three or more with a time of
    day stamp the posts of a thread."""
    posts = "".join(
        f"<div><p>Reader {i}</p><p>28/11/2025 at 7:0{i} pm</p><p>{'I agree. ' * 8}</p></div>"
        for i in range(3)
    )
    root = article(posts)
    cleanup.remove_bylines(root)
    assert "28/11/2025 at 7:02 pm" in text(root)
    root = cleanup.clean_article(article(posts))
    assert "28/11/2025 at 7:00 pm" in text(root)
    # Entries dated by the day (a list of other articles) lose their dates as before.
    entries = "".join(f"<div><p>Feb {i}, 2026</p><p>Another story {i}</p></div>" for i in range(3))
    root = article(entries)
    cleanup.remove_bylines(root)
    assert "Feb 1, 2026" not in text(root)


def test_a_ticker_of_one_phrase_goes_and_a_refrain_in_prose_stays() -> None:
    import lxml.html

    from reader.ingest.cleanup import clean_article, is_ticker

    frames = "".join('<span>Book now <span class="star">*</span></span>' for _ in range(12))
    root = lxml.html.fromstring(
        "<div><p>We design packaging that sells, from the first sketch to the shelf.</p>"
        f'<div class="marquee">{frames}</div>'
        "<ul><li>Yes</li><li>Yes</li><li>Yes</li><li>No</li><li>Yes</li></ul>"
        "<p>Row, row, row your boat, gently down the stream.</p></div>"
    )
    text = clean_article(root).text_content()
    assert "Book now" not in text
    assert "packaging that sells" in text and "row your boat" in text
    assert text.count("Yes") == 4  # a column of answers is no ticker
    assert is_ticker("Book Now * Book Now * Book Now * Book Now * Book Now *")
    assert not is_ticker("Book Now * Book Now * Book Now *")  # too few to be one
    assert not is_ticker("Sale ends soon. Book now and save on every order this week.")
