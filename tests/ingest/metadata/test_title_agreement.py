"""A title chosen by agreement: the headline the page shows against the titles it
declares (JSON-LD, og:title, <title>), each rule on a small page of its own."""

from __future__ import annotations

import html
import json

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.metadata import extract_metadata
from reader.ingest.metadata.titles import outvoted_headline, undressed_headline
from reader.ingest.metadata.urls import path_parts


def title_of(head: str = "", body: str = "") -> str:
    markup = f"<html><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(lxml.html.document_fromstring(markup)).title


def og(title: str) -> str:
    return f'<meta property="og:title" content="{title}">'


def doc(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body>{body}</body></html>")


# --- a headline dressed for search engines and shops ---------------------------------


def test_a_collection_is_its_headline_less_the_shops_words() -> None:
    for declared, shown in [
        ("Headlamps for Camping, Hiking &amp; Running | Outdoor Co", "Headlamps"),
        ("Shop Wired &amp; Wireless Headphones | Sounds", "Wired &amp; Wireless Headphones"),
        ("Acme Essential Toolkit", "Essential Toolkit"),
        ("Drop Necklace by Some Maker - Jewels", "Drop Necklace"),
        ("Acme Pro Tech® Toolkit: Computer, Phone Repair Kit", "Pro Tech Toolkit"),  # ® dresses
    ]:
        got = title_of(
            og(declared) + '<meta property="og:site_name" content="Outdoor Co">',
            f"<h1>{shown}</h1><p>Items</p>",
        )
        assert got == shown.replace("&amp;", "&")


def test_a_headline_that_is_the_whole_title_or_a_label_is_not_undressed() -> None:
    cases = [
        ("Rivers rise", "<h1>Rivers rise</h1>"),  # the same
        ("Welcome to the News [News]", "<h1>Welcome to the News</h1>"),  # bracketed label
        ("Rivers rise (Daily Wire)", "<h1>Rivers rise</h1>"),
        ("Rivers rise _World _Site", "<h1>Rivers rise</h1>"),  # a trail of sections
        ("Rivers rise | Ann Lee", "<h1>Rivers rise</h1>"),  # a part of its own
        ("Rivers rise", "<h1>Rivers rise and fall</h1>"),  # the headline says more
    ]
    for title, body in cases:
        assert undressed_headline(title, doc(body), [], None) == title
    # The site's name in an <h1> is its logo.
    logo = doc("<h1>Rivers</h1>")
    assert undressed_headline("Rivers rise and fall", logo, ["Rivers"], None) == (
        "Rivers rise and fall"
    )


def test_a_title_the_jsonld_headline_says_too_is_not_undressed() -> None:
    said = "Best Tents for Families in 2025"
    head = og(said) + jsonld({**POST, "headline": said})
    assert title_of(head, "<h1>Best Tents for Families</h1>") == said
    # Without it, the shown headline is the title less the year.
    assert title_of(og(said), "<h1>Best Tents for Families</h1>") == "Best Tents for Families"


def test_undressing_is_by_whole_words() -> None:
    assert undressed_headline("Ridge Wallets", doc("<h1>WALLETS</h1>"), [], None) == "WALLETS"
    assert undressed_headline("Ridgewallets", doc("<h1>wallets</h1>"), [], None) == "Ridgewallets"


# --- a JSON-LD headline the other sources disagree with ------------------------------


def jsonld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


POST = {"@context": "https://schema.org", "@type": "NewsArticle"}
SHOWN = "I tried a rowing machine for a month"


def test_a_stale_jsonld_headline_is_outvoted() -> None:
    post = jsonld(POST | {"headline": "Rowing machine review with photos"})
    head = post + og(SHOWN) + "<title>Rowing machine review with photos | Fit</title>"
    assert title_of(head, f"<h1>{SHOWN}</h1>") == SHOWN
    head = post + og(SHOWN) + f"<title>{SHOWN}</title>"
    assert title_of(head, "<h1>Fitness</h1>") == SHOWN


def test_a_jsonld_headline_stays_when_one_source_disagrees_or_says_it_otherwise() -> None:
    assert outvoted_headline("Rivers rise", ["Floods", "Rivers rise", ""], [], None) == (
        "Rivers rise"
    )
    assert outvoted_headline("Rivers rise", ["Floods", "", "Drought"], [], None) == "Rivers rise"
    # A forum's prefix more, the author's name less: the same title.
    for others in (["Help - Rivers rise"] * 2, ["Rivers"] * 2):
        assert outvoted_headline("Rivers rise", others, [], None) == "Rivers rise"
    assert outvoted_headline("Rivers rise", ["Floods | Site", "Floods"], ["Site"], None) == (
        "Floods | Site"
    )


def test_a_jsonld_headline_with_the_sites_name_glued_before_it_is_outvoted() -> None:
    said = "Online Courses | Acme University"
    others = [said, said, "Welcome"]
    got = outvoted_headline("Acme University Online Courses", others, ["Acme University"], None)
    assert got == said
    # Another name before it is the title's own ("Jane Smith Online Courses").
    got = outvoted_headline("Jane Smith Online Courses", others, ["Acme University"], None)
    assert got == "Jane Smith Online Courses"


def test_a_jsonld_headline_is_spelt_as_the_other_sources_agree() -> None:
    others = ["Rivers rise - or fall? | Site", "Rivers rise - or fall?", "Welcome"]
    got = outvoted_headline("Rivers rise: or fall?", others, ["Site"], None)
    assert got == "Rivers rise - or fall?"
    # One other spelling is no agreement: the headline's stays.
    others = ["Rivers rise - or fall?", "Rivers rise, or fall?", "Welcome"]
    assert outvoted_headline("Rivers rise: or fall?", others, [], None) == "Rivers rise: or fall?"


# --- a section the breadcrumb trail names -------------------------------------------

CRUMBS = (
    '<ul class="crumbs"><li><a href="/">Index</a></li><li><a href="/f/1">Help Desk</a></li></ul>'
)


def test_a_section_in_the_breadcrumb_trail_leaves_the_title() -> None:
    for title in (
        "Printer jams / Help Desk",
        "Printer jams | Help Desk",
        "Printer jams - Help Desk",
    ):
        assert title_of(f"<title>{title}</title>", CRUMBS + "<p>Text</p>") == "Printer jams"
    trail = '<nav aria-label="Breadcrumb"><a href="/d">District</a></nav>'
    head = og("Gardens feed the village | District")
    assert title_of(head, trail) == "Gardens feed the village"


def test_only_a_section_the_trail_names_goes_and_the_title_stays_whole() -> None:
    assert title_of("<title>Printer jams / Help Desk</title>", "<p>Text</p>") == (
        "Printer jams / Help Desk"
    )
    other = '<div class="menu"><a href="/f/1">Help Desk</a></div>'
    assert title_of("<title>Printer jams / Help Desk</title>", other) == "Printer jams / Help Desk"
    assert title_of("<title>Help Desk</title>", CRUMBS) == "Help Desk"


# --- a forum's board and page label ------------------------------------------------


def test_a_phpbb_thread_is_its_topic() -> None:
    for title in (
        "Garden Club • View topic - Tomatoes: 2025 season",
        "Club | View topic - Tomatoes: 2025 season",
    ):
        assert title_of(f"<title>{title}</title>", "<p>Post</p>") == "Tomatoes: 2025 season"
    # A topic that is about viewing topics keeps its words.
    assert title_of("<title>How to view topic lists</title>") == "How to view topic lists"
    assert title_of("<title>Club • View topic - </title>") == "Club • View topic -"


# --- a declared title that is the site's name and its motto ---------------------------

SITE = '<meta property="og:site_name" content="Zero to QED">'


def test_the_sites_motto_gives_way_to_the_pages_own_title() -> None:
    head = (
        SITE
        + og("Zero to QED: An informal introduction to Lean")
        + ("<title>Introduction - Zero to QED</title>")
    )
    assert title_of(head, "<p>Text</p>") == "Introduction"
    head = SITE + og("Zero to QED: Tactics") + "<title>Tactics | Zero to QED</title>"
    assert title_of(head) == "Tactics"


def test_a_declared_title_stays_when_its_head_is_more_than_the_sites_name() -> None:
    shop = '<meta property="og:site_name" content="The Ridge">'
    head = shop + og("Ridge Wallet - Royal Black") + "<title>Black Wallet | The Ridge</title>"
    assert title_of(head) != "Black Wallet"
    # A <title> without the site's name is not the site's own page title.
    head = SITE + og("Zero to QED: An informal introduction") + "<title>Introduction</title>"
    assert title_of(head) == "An informal introduction"


def test_an_archives_heading_less_its_label_and_a_headline_across_a_separator() -> None:
    shop = "Shop Sennheiser at Sounds.example with 365-Day Returns"
    assert undressed_headline(shop, doc("<h1>Collection: Sennheiser</h1>"), [], None) == (
        "Sennheiser"
    )
    standings = "NBA Standings - 2025-26 season"
    assert undressed_headline(standings, doc("<h1>NBA Standings 2025-26</h1>"), [], None) == (
        "NBA Standings 2025-26"
    )
    # Whole parts are the headline and a site, a section or an author after it.
    serial = "ONE HUNDRED TWO: What kind of wordchain? - Super Supportive"
    shown = doc("<h1>ONE HUNDRED TWO: What kind of wordchain?</h1>")
    assert undressed_headline(serial, shown, [], None) == serial


# --- a manual's numbered chapter heading ------------------------------------------


def test_a_chapters_heading_less_its_number() -> None:
    for number in ("3.1 ", "3.1. ", "15 - ", "Chapter 3: "):
        body = f"<h1>{number}Git Branching - Branches in a Nutshell</h1><p>Text</p>"
        got = title_of("<title>Git - Branches in a Nutshell</title>", body)
        assert got == "Git Branching - Branches in a Nutshell"


def test_a_number_that_begins_a_headline_is_its_own() -> None:
    body = "<h1>10 Free Accounting Tools for Your Small Business</h1>"
    assert title_of("<title>Free Accounting Tools</title>", body) == "Free Accounting Tools"
    # A numbered heading about something else leaves the title alone.
    assert title_of("<title>Git - Branches</title>", "<h1>3.1 Remote tags</h1>") == (
        "Git - Branches"
    )


# --- a lost space, a shop's stock note ------------------------------------------------


def test_a_site_after_a_dash_that_lost_its_space_goes() -> None:
    head = '<meta property="og:site_name" content="Onix">' + og("Gaming companies- Onix")
    assert title_of(head) == "Gaming companies"
    # A hyphen inside a word is no separator.
    assert title_of(og("Tried-and-true tips")) == "Tried-and-true tips"
    assert title_of(og("Pre- and post-war homes")) == "Pre- and post-war homes"


def test_a_shops_note_on_the_items_state_is_not_its_name() -> None:
    for note in ("(Discontinued Item)", "(Sold Out)", "[Out of Stock]"):
        assert title_of(og(f"Almond Thins, 5.25 oz (149 g) {note}")) == (
            "Almond Thins, 5.25 oz (149 g)"
        )
    assert title_of(og("Sold Out (a novel)")) == "Sold Out (a novel)"
    assert title_of(og("(Sold Out)")) == "(Sold Out)"


# --- any input -----------------------------------------------------------------------

WORDS = st.sampled_from(["Rivers", "rise", "Shop", "Acme", "2025", "(New)", "a", "_x", "®"])
SEPARATORS = st.sampled_from([" | ", " - ", "- ", ": ", " / ", " ", " • View topic - "])


@st.composite
def titles(draw: st.DrawFn) -> str:
    parts = draw(st.lists(WORDS, min_size=1, max_size=8))
    return parts[0] + "".join(draw(SEPARATORS) + part for part in parts[1:])


@settings(max_examples=200, deadline=None)
@given(titles(), titles(), titles())
def test_a_title_is_a_piece_of_what_the_page_says(declared: str, page: str, h1: str) -> None:
    head = og(html.escape(declared)) + f"<title>{html.escape(page)}</title>"
    body = f'<ul class="breadcrumb"><a>Acme</a></ul><h1>{html.escape(h1)}</h1>'
    title = title_of(head, body)
    assert title
    assert title in declared or title in page or title in h1


def test_a_title_too_long_to_mean_one_is_not_searched_for_its_headline() -> None:
    long = "Shop " + "rivers rise " * 200
    assert undressed_headline(long, doc("<h1>rivers rise</h1>"), [], None) == long


def test_a_title_of_many_marks_is_read_in_one_pass() -> None:
    # The pattern for a part of words alone tried every split of a run of marks when
    # the part did not match ("a" and 30 dots and "_": seconds, doubling with each
    # mark); a title of 60 (under the 1,000 characters searched) would not return.
    title = "Headlamps" + "." * 60 + "_x - Shop"
    assert undressed_headline(title, doc("<h1>Headlamps</h1>"), [], None) == title


def test_a_sites_own_title_gives_way_to_the_threads_headline() -> None:
    # A page drawn by scripts keeps the site's <title>, a name and its motto.
    body = "<main><h1>Cast iron pan and metal spoons</h1><p>Is it safe?</p></main>"
    assert title_of("<title>Board - The heart of the web</title>", body) == (
        "Cast iron pan and metal spoons"
    )


def test_a_title_that_shares_a_word_or_is_no_name_and_motto_stays() -> None:
    for page_title, body in [
        ("Basic test", "<article><h1>Lorem</h1></article>"),  # no separator
        ("Acme: News and trends", "<main><h1>Acme Homepage</h1></main>"),  # a word shared
        ("Board - The heart of the web", "<h1>Cast iron pans</h1>"),  # not in <main>
        ("Board - The heart of the web", "<main><h1>Pans</h1><h1>Pots</h1></main>"),
    ]:
        got = title_of(f"<title>{page_title}</title>", body)
        assert got != "Lorem" and got not in ("Acme Homepage", "Cast iron pans", "Pans")
    # A declared title is backed: it stays.
    head = og("Board - The heart of the web") + "<title>Board - The heart of the web</title>"
    assert title_of(head, "<main><h1>Cast iron pans</h1></main>") != "Cast iron pans"


def test_a_products_name_before_its_selling_points_is_its_title() -> None:
    declared = "Tent 2 - Light Tent for Two | Waterproof Fly | Two Doors | Packs Small"
    assert title_of(og(declared), "<h1>Tent&reg; 2</h1><p>Buy it</p>") == "Tent 2"
    # One long subtitle is more of the title.
    declared = "Tent 2 - A light tent for two that keeps out the rain and packs small"
    assert title_of(og(declared), "<h1>Tent 2</h1><p>Buy it</p>") == declared


# --- the headline the page's own URL spells ------------------------------------------


def canonical(url: str) -> str:
    return f'<link rel="canonical" href="{url}">'


def test_the_headline_the_pages_url_spells_is_its_title() -> None:
    head = og("Backpacking Backpacks for Overnight &amp; Multiday | Outdoor Co")
    head += '<meta property="og:site_name" content="Outdoor Co">'
    for url in (
        "https://shop.example/c/backpacking-packs",
        "https://shop.example/Backpacking-Packs/ID-12",
    ):
        assert title_of(head + canonical(url), "<h1>Backpacking Packs</h1>") == "Backpacking Packs"


def test_a_url_that_spells_no_headline_or_a_logo_changes_nothing() -> None:
    said = "Backpacking Backpacks for Overnight Trips"
    for url, body in [
        ("https://shop.example/c/backpacking-gear", "<h1>Backpacking Packs</h1>"),
        ("https://shop.example/c/packs", "<h1>Packs</h1>"),  # one word is no name
        ("https://outdoor-co.example/outdoor-co/7", "<h1>Outdoor Co</h1>"),  # the logo
        # A section's heading after the page's first: the section, not the page.
        ("https://shop.example/trail-news/2024/7", "<h1>Our gear</h1><h1>Trail News</h1>"),
    ]:
        head = og(said) + canonical(url) + '<meta property="og:site_name" content="Outdoor Co">'
        assert title_of(head, body) == said
    assert path_parts("https://a.example/x/best-tents.html?q=1") == ["x", "best-tents"]
    assert path_parts("http://[::1") == [] and path_parts(None) == []


# --- a declared title that the page's <title> goes on past -------------------------


def test_the_headline_before_a_section_when_title_adds_only_the_site() -> None:
    head = (
        og("Models | Widget documentation")
        + "<title>Models | Widget documentation | Widget</title>"
    )
    assert title_of(head, "<h1>Models</h1><p>Text</p>") == "Models"
    # The rest shown as a heading of its own is the work the page is a part of.
    body = "<h2>Widget documentation</h2><h1>Models</h1><p>Text</p>"
    assert title_of(head, body) == "Models | Widget documentation"


def test_a_headline_is_the_name_before_its_tagline() -> None:
    head = og("Tent 2 | Light Family Tent") + "<title>Tent 2 | Light Family Tent | Shop</title>"
    assert title_of(head, "<h1>Tent 2<span>Light and dry</span></h1>") == "Tent 2"
    # A heading of text alone is compared whole.
    assert title_of(head, "<h1>Tent 2 Light and dry</h1>") == "Tent 2 | Light Family Tent"


# --- the site's name at either end of a title -----------------------------------------


def test_at_the_front_only_the_sites_name_itself_goes() -> None:
    site = '<meta property="og:site_name" content="Acme">'
    # A product's name holds its maker's: it is no site's name.
    assert title_of(site + og("Acme Runner Shirt - Black")) == "Acme Runner Shirt - Black"
    assert title_of(og("Acme Cloud | Hosting for teams")) == "Acme Cloud | Hosting for teams"
    # The site's name, as the page or its domain spells it, does go.
    assert title_of(site + og("Acme | Hosting for teams")) == "Hosting for teams"
    url = '<link rel="canonical" href="https://www.acme.com/shop">'
    assert title_of(url + og("Acme.com: Running Shirts")) == "Running Shirts"
    assert title_of(url + og("ACME - Running Shirts")) == "Running Shirts"


def test_at_the_end_the_domains_word_names_the_site_in_a_name_not_a_sentence() -> None:
    url = '<link rel="canonical" href="https://forums.acme.org/t/1">'
    assert title_of(url + og("Data Services | Acme US")) == "Data Services"
    assert title_of(url + og("2024: The year of desktop Acme at last?")) == (
        "2024: The year of desktop Acme at last?"
    )


def test_a_site_name_that_holds_the_whole_title_cuts_nothing() -> None:
    # The page's own title given as its site's name: no name to cut the title by.
    said = "Acme News - Latest News &amp; Headlines"
    site = f'<meta property="og:site_name" content="{said}">'
    assert title_of(site + og(said)) == "Acme News - Latest News & Headlines"
    # A site's name that is only the title's end still goes.
    site = '<meta property="og:site_name" content="Acme News">'
    assert title_of(site + og("Rivers rise - Acme News")) == "Rivers rise"
