"""Page metadata: each source on a small page, and their order of trust."""

from __future__ import annotations

import json

import lxml.html

from reader.ingest.metadata import base_url, extract_metadata
from reader.ingest.metadata.sites import trim_site_name


def meta_of(head: str = "", body: str = "", *, lang: str | None = None, url: str | None = None):
    html_attr = f' lang="{lang}"' if lang else ""
    markup = f"<html{html_attr}><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(lxml.html.document_fromstring(markup), url)


def jsonld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


NEWS = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Rivers rise – and “fall”",
    "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chen"}],
    "datePublished": "2024-03-05T09:30:00+01:00",
    "publisher": {"@type": "Organization", "name": "The Daily"},
    "inLanguage": "en_GB",
    "description": "What the rivers did.",
    "articleBody": "Body text. " * 40,
}


# --- JSON-LD -------------------------------------------------------------------------


def test_jsonld_news_article() -> None:
    meta = meta_of(jsonld(NEWS) + "<title>Other – The Daily</title>")
    assert meta.title == "Rivers rise – and “fall”"
    assert meta.byline == "Ann Lee and Bo Chen"
    assert meta.published == "2024-03-05T09:30:00+01:00"
    assert meta.site_name == "The Daily"
    assert meta.lang == "en-GB"
    assert meta.excerpt == "What the rivers did."
    assert meta.article_body and meta.article_body.startswith("Body text.")


def test_jsonld_inside_graph_and_lists_and_type_lists() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Site"},
            {**NEWS, "@type": ["ReportageNewsArticle", "NewsArticle"], "author": "Cy Dee"},
        ],
    }
    assert meta_of(jsonld(graph)).byline == "Cy Dee"
    listed = [{"@type": "BreadcrumbList"}, {**NEWS, "@type": "BlogPosting"}]
    assert meta_of(jsonld(listed)).title == "Rivers rise – and “fall”"


def test_jsonld_author_shapes() -> None:
    assert meta_of(jsonld({**NEWS, "author": {"name": "Solo Person"}})).byline == "Solo Person"
    assert meta_of(jsonld({**NEWS, "author": ["A One", "B Two", "C Three"]})).byline == (
        "A One, B Two and C Three"
    )


def test_invalid_jsonld_is_skipped() -> None:
    head = (
        '<script type="application/ld+json">{not json</script>'
        '<meta property="og:title" content="OG">'
    )
    assert meta_of(head).title == "OG"


def test_jsonld_name_that_is_the_site_gives_way_to_headline() -> None:
    obj = {**NEWS, "name": "The Daily", "headline": "Real headline here"}
    assert meta_of(jsonld(obj)).title == "Real headline here"


# --- OpenGraph and meta ------------------------------------------------------------------


def test_opengraph() -> None:
    head = (
        '<meta property="og:title" content="OG title">'
        '<meta property="og:site_name" content="OG Site">'
        '<meta property="og:url" content="https://og.example/x">'
        '<meta property="og:description" content="OG description">'
        '<meta property="article:published_time" content="2020-01-02">'
        '<meta property="article:author" content="Dana Scully">'
        '<meta property="og:locale" content="fr_FR">'
    )
    meta = meta_of(head)
    assert (meta.title, meta.site_name, meta.url) == ("OG title", "OG Site", "https://og.example/x")
    assert (meta.excerpt, meta.published, meta.byline) == (
        "OG description",
        "2020-01-02",
        "Dana Scully",
    )
    assert meta.lang == "fr-FR"


def test_article_author_url_is_not_a_name() -> None:
    head = '<meta property="article:author" content="https://facebook.com/someone">'
    assert meta_of(head).byline is None


def test_property_beats_name() -> None:
    head = (
        '<meta name="DC.title" content="Name title">'
        '<meta property="dc:title" content="Property title">'
    )
    assert meta_of(head).title == "Property title"


def test_dublin_core() -> None:
    head = (
        '<meta name="DC.creator" content="Fox Mulder">'
        '<meta name="DC.date" content="2019-07-08">'
        '<meta name="dcterms.language" content="de">'
    )
    meta = meta_of(head)
    assert (meta.byline, meta.published, meta.lang) == ("Fox Mulder", "2019-07-08", "de")


def test_meta_name_author() -> None:
    assert meta_of('<meta name="author" content="By Jane Doe | Staff Writer">').byline == "Jane Doe"


def test_rel_author_link_text() -> None:
    body = '<h1>Head</h1><p class="meta">By <a rel="author" href="/u/j">Jo March</a></p>'
    assert meta_of(body=body).byline == "Jo March"


def test_byline_class_after_the_headline_wins() -> None:
    body = (
        '<ul class="list"><li><span class="byline">Other Writer</span></li></ul>'
        '<h1>Head</h1><div class="byline">By Real Author</div>'
    )
    assert meta_of(body=body).byline == "Real Author"


def test_bylines_in_comments_do_not_count() -> None:
    body = '<h1>Head</h1><div class="comments"><span class="author">Commenter Guy</span></div>'
    assert meta_of(body=body).byline is None


def test_time_pubdate_and_header_time() -> None:
    body = '<article><header><time datetime="2018-02-03T04:05">Feb 3</time></header></article>'
    assert meta_of(body=body).published == "2018-02-03T04:05"
    body = '<p><time datetime="2001-01-01">x</time><time pubdate datetime="2017-05-06">y</time></p>'
    assert meta_of(body=body).published == "2017-05-06"


def test_language_sources_in_order() -> None:
    assert meta_of(lang="en_us").lang == "en-US"
    head = '<meta http-equiv="content-language" content="pt-br">'
    assert meta_of(head).lang == "pt-BR"
    assert meta_of('<meta property="og:locale" content="ja_JP">').lang == "ja-JP"
    assert meta_of().lang is None


def test_url_canonical_then_og_then_saved() -> None:
    canonical = '<link rel="canonical" href="/c">'
    og = '<meta property="og:url" content="https://og.example/o">'
    saved = "https://saved.example/s"
    assert meta_of(canonical + og, url=saved).url == "https://saved.example/c"
    assert meta_of(og, url=saved).url == "https://og.example/o"
    assert meta_of("", url=saved).url == saved


def test_base_href_only_when_same_site() -> None:
    def base(head: str, url: str | None) -> str | None:
        return base_url(lxml.html.document_fromstring(f"<html><head>{head}</head></html>"), url)

    assert base('<base href="https://cdn.other.net/">', "https://a.example/x") == (
        "https://a.example/x"
    )
    assert base('<base href="/sub/">', "https://a.example/x") == "https://a.example/sub/"
    assert base('<base href="https://www.a.example/d/">', "https://a.example/x") == (
        "https://www.a.example/d/"
    )
    assert base('<base href="https://cdn.other.net/">', None) == "https://cdn.other.net/"


# --- titles ----------------------------------------------------------------------------


def test_title_keeps_its_characters_and_entities_decode() -> None:
    meta = meta_of("<title>Don’t “panic” – a guide &amp; more</title>")
    assert meta.title == "Don’t “panic” – a guide & more"


def test_site_name_trimmed_from_title_only_when_it_is_the_site() -> None:
    site = '<meta property="og:site_name" content="The Daily">'
    assert meta_of("<title>Rivers rise – The Daily</title>" + site).title == "Rivers rise"
    assert meta_of("<title>The Daily | Rivers rise</title>" + site).title == "Rivers rise"
    assert meta_of("<title>Rivers rise – and fall</title>" + site).title == "Rivers rise – and fall"
    assert meta_of("<title>Rust: the book</title>").title == "Rust: the book"
    assert meta_of("<title>Lorem ipsum dolor – My website</title>").title == "Lorem ipsum dolor"
    assert meta_of("<title>Notes | Jane's blog</title>").title == "Notes"
    assert meta_of("<title>Wrong refresh rate - Doom9's Forum</title>").title == (
        "Wrong refresh rate"
    )
    assert meta_of("<title>My blog - Part 2</title>").title == "My blog - Part 2"


def test_site_name_from_domain() -> None:
    meta = meta_of("<title>Story here - Example News</title>", url="https://www.examplenews.com/a")
    assert meta.title == "Story here"


def test_trim_site_name_direct() -> None:
    assert trim_site_name("A b c · V8", ["V8"], None) == "A b c"
    assert trim_site_name("Only", ["Only"], None) == "Only"


def test_the_site_name_goes_with_the_motto_after_it() -> None:
    title = "Ten tips for online courses – Journey To College – Realize your potential."
    assert trim_site_name(title, ["Journey To College"], None) == "Ten tips for online courses"
    # A long rest after the name is more of the title than a motto; no name, no cut.
    long = "Post – Journey To College – and what the students who went there did next"
    assert trim_site_name(long, ["Journey To College"], None) == long
    assert trim_site_name("Rivers – Forests – Lakes", ["The Daily"], None) == (
        "Rivers – Forests – Lakes"
    )


def test_metadata_is_stripped_of_controls() -> None:
    meta = meta_of('<title>T\x1bitle\u202e</title><meta name="author" content="Ann\x01 Lee">')
    assert meta.title == "Title"
    assert meta.byline == "Ann Lee"


def test_site_name_fallbacks() -> None:
    url = "https://www.examplenews.com/a"
    meta = meta_of("<title>Story here - Example News</title>", url=url)
    assert meta.site_name == "Example News"
    meta = meta_of('<meta name="application-name" content="App Site"><title>T</title>', url=url)
    assert meta.site_name == "App Site"
    assert meta_of("<title>Story here - Something else</title>", url=url).site_name is None
    assert meta_of("<title>Story here - Example News</title>").site_name is None


def test_jsonld_url_after_og_url() -> None:
    obj = {**NEWS, "url": "https://ld.example/story"}
    assert meta_of(jsonld(obj), url="https://saved.example/s").url == "https://ld.example/story"
    og = '<meta property="og:url" content="https://og.example/o">'
    assert meta_of(jsonld(obj) + og).url == "https://og.example/o"


def test_date_in_url_is_the_last_resort() -> None:
    url = "https://news.example/2019/04/28/river-floods/"
    assert meta_of(url=url).published == "2019-04-28"
    head = '<meta property="article:published_time" content="2019-04-29T10:00">'
    assert meta_of(head, url=url).published == "2019-04-29T10:00"
    assert meta_of(url="https://news.example/2019/13/40/x").published is None


def test_jsonld_creator_when_no_author() -> None:
    obj = {k: v for k, v in NEWS.items() if k != "author"}
    assert meta_of(jsonld({**obj, "creator": {"name": "Eve Ho"}})).byline == "Eve Ho"


def test_svg_title_is_not_the_page_title() -> None:
    body = "<svg><title>Close icon</title></svg><h1>Real heading</h1>"
    assert meta_of(body=body).title == "Real heading"


def test_a_value_its_cleaner_refuses_gives_way_to_the_next_source() -> None:
    head = jsonld({**NEWS, "datePublished": "yesterday"}) + (
        '<meta property="article:published_time" content="2020-01-02">'
    )
    assert meta_of(head).published == "2020-01-02"
    assert meta_of('<meta property="og:locale" content="de_DE">', lang="x").lang == "de-DE"
    roles_only = (
        '<meta name="author" content="Staff Writer"><meta name="parsely-author" content="Kim Ode">'
    )
    assert meta_of(roles_only).byline == "Kim Ode"


def test_a_title_is_taken_from_the_most_trusted_source_as_it_stands() -> None:
    head = '<meta property="og:title" content="OG title"><title>Page title</title>'
    assert meta_of(jsonld({**NEWS, "headline": "LD title"}) + head).title == "LD title"
    assert meta_of(head).title == "OG title"


def test_a_declared_title_loses_the_site_name_it_carries() -> None:
    site = '<meta property="og:site_name" content="The Daily">'
    og = '<meta property="og:title" content="Rivers rise | The Daily">'
    assert meta_of(og + site).title == "Rivers rise"
    # Only the site's name goes: an author or a subtitle after the separator stays.
    og = '<meta property="og:title" content="Rivers rise | Ann Lee">'
    assert meta_of(og + site + '<meta name="author" content="Ann Lee">').title == (
        "Rivers rise | Ann Lee"
    )
    assert meta_of(jsonld({**NEWS, "headline": "Rivers rise – The Daily"})).title == "Rivers rise"


def test_title_is_the_headline_when_the_rest_is_the_sites_whatever_it_is_called() -> None:
    assert meta_of("<title>Flexbox - Learn web development</title>", "<h1>Flexbox</h1>").title == (
        "Flexbox"
    )
    # Not a subtitle after a colon, a long rest, or a headline that is the site's logo.
    for title, h1 in [
        ("Rust: the book", "Rust"),
        ("Dune - a novel of the desert planet and its people", "Dune"),
        ("Outside the web · V8", "V8"),
        ("Flexbox - Learn web development", "Grid"),
    ]:
        assert meta_of(f"<title>{title}</title>", f"<h1>{h1}</h1>").title == title


def test_a_cut_leaves_no_separator_behind() -> None:
    assert trim_site_name("Post :: Site ::", ["Site ::"], None) == "Post"


# --- bylines by reference, by label, by the author's own page ----------------------------


def test_jsonld_author_by_reference_to_a_person_in_the_graph() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "BlogPosting", "headline": "H", "author": {"@id": "https://s.example/#/p/1"}},
            {"@type": "Person", "@id": "https://s.example/#/p/1", "name": "Ann Lee"},
        ],
    }
    assert meta_of(jsonld(graph)).byline == "Ann Lee"


def test_jsonld_author_reference_to_an_organization_gives_way_to_the_page() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Article", "headline": "H", "author": {"@id": "#org"}},
            {"@type": "Organization", "@id": "#org", "name": "Acme"},
        ],
    }
    body = '<h1>H</h1><p class="byline">By Bo Chen</p>'
    assert meta_of(jsonld(graph), body).byline == "Bo Chen"


def test_twitter_written_by_label() -> None:
    head = (
        '<meta name="twitter:label1" content="Est. reading time">'
        '<meta name="twitter:data1" content="3 minutes">'
        '<meta name="twitter:label2" content="Written by">'
        '<meta name="twitter:data2" content="Cy Dee">'
    )
    assert meta_of(head).byline == "Cy Dee"


def test_link_to_the_authors_own_page_is_a_byline() -> None:
    body = '<h1>H</h1><div class="meta"><a href="/authors/trevor-jackins">Trevor Jackins</a></div>'
    assert meta_of(body=body).byline == "Trevor Jackins"
    url = "https://news.example/story"
    body = '<h1>H</h1><p>By <a href="https://news.example/author/amanda/">Amanda</a></p>'
    assert meta_of(body=body, url=url).byline == "Amanda"


def test_author_links_that_are_not_the_byline() -> None:
    url = "https://news.example/story"
    # Another site's page about a person, a menu's link, a link naming someone else.
    cited = '<h1>H</h1><p><a href="https://history.example/people/jo-bloggs">Jo Bloggs</a></p>'
    menu = '<ul class="main-menu"><li><a href="/author/ann-lee">Ann Lee</a></li></ul><h1>H</h1>'
    other = '<h1>H</h1><p><a href="/author/ann-lee">Bo Chen</a></p>'
    for body in (cited, menu, other):
        assert meta_of(body=body, url=url).byline is None, body


def test_an_author_that_is_the_publisher_gives_way_to_the_shown_byline() -> None:
    article = {
        "@type": "Article",
        "headline": "H",
        "author": {"@type": "Organization", "name": "Acme Blog"},
        "publisher": {"@type": "Organization", "name": "Acme Blog"},
    }
    body = '<h1>H</h1><p class="byline">By Shauna Mitchell</p>'
    assert meta_of(jsonld(article), body).byline == "Shauna Mitchell"
    assert meta_of(jsonld(article)).byline == "Acme Blog"  # no one else named


# --- a declared title and the page's headline ------------------------------------------


def og_title(title: str) -> str:
    return f'<meta property="og:title" content="{title}">'


def test_a_declared_title_gives_way_to_the_headline_it_begins_with() -> None:
    for declared, h1 in [
        ("Effective Go - The Go Programming Language", "Effective Go"),
        ("Camping Tents: Large Tents for Family & Car Camping", "Camping Tents"),
        ("Models | Django documentation", "Models¶"),  # a permalink's pilcrow is no title
    ]:
        assert meta_of(og_title(declared), f"<h1>{h1}</h1>").title == h1.rstrip("¶")


def test_a_title_cut_short_gives_way_to_the_headline_that_says_it_whole() -> None:
    for declared in (
        "What do you think the watch market will do...",
        "Machine Learning Recruiters",
    ):
        h1 = declared.rstrip(".") + " in 2024 and after"
        assert meta_of(og_title(declared), f"<h1>{h1}</h1>").title == h1


def test_a_declared_title_stays_when_the_headline_does_not_agree() -> None:
    author = '<meta name="author" content="Ann Lee">'
    for declared, h1, head in [
        ("Rivers rise | Ann Lee", "Rivers rise", author),  # the rest is the author
        ("Rivers rise", "Our blog", ""),
        ("Rivers - a story of the water and the land around the town", "Rivers", ""),
        ("Short", "Short and more", ""),  # too short to be a cut title
    ]:
        assert meta_of(og_title(declared) + head, f"<h1>{h1}</h1>").title == declared
    # The page's <title> goes on past it and the page shows the part after the headline
    # as a heading: the work the chapter is a part of.
    head = og_title("Chapter 2 - The Novel") + "<title>Chapter 2 - The Novel | Fiction Site</title>"
    body = "<h2>The Novel</h2><h1>Chapter 2</h1>"
    assert meta_of(head, body).title == "Chapter 2 - The Novel"


def test_a_title_that_is_the_pages_own_title_gives_way_to_its_headline() -> None:
    # og:title is <title> itself, site and section and all: once the site goes, what is
    # left past the headline is a section ("Strategic Programs"), not the page's own.
    site = '<meta property="og:site_name" content="CSIS">'
    full = "Cyber Incidents | Strategic Programs | CSIS"
    head = og_title(full) + site + f"<title>{full}</title>"
    assert meta_of(head, "<h1>Cyber Incidents</h1>").title == "Cyber Incidents"


def test_the_part_of_a_title_the_page_shows_as_its_headline() -> None:
    # The site before the headline, with a colon.
    head = og_title("Garnix Blog: Hardware Attested Builds")
    assert meta_of(head, "<h1>Hardware Attested Builds</h1>").title == "Hardware Attested Builds"
    # The headline is the first <h2> under a logo set as the <h1>, or on a page with none.
    title = "<title>Reflections on a pixel pipeline - Part 1 | Playful Tones</title>"
    body = "<h1>Playful Tones</h1><h2>Reflections on a pixel pipeline - Part 1</h2>"
    assert meta_of(title, body).title == "Reflections on a pixel pipeline - Part 1"
    head = og_title("How to make a good game | GDevelop")
    assert meta_of(head, "<h2>How to make a good game</h2>").title == "How to make a good game"


def test_a_title_part_shown_as_a_heading_is_not_always_the_title() -> None:
    for title, body in [
        ("Outside the web · V8", "<h1>V8</h1>"),  # a logo after the title
        ("Post | Code | Nicolas", "<h1>Hi, I'm Nicolas</h1><h2>Post</h2>"),  # an <h1> of its own
        ("Rust: the book", "<h2>Rust</h2>"),  # a subtitle after a colon
        ("Safety - Overview | Health Administration", "<h2>Health Administration</h2>"),
        ("Rivers rise | The Daily News of the North Country", "<h1>Rivers rise</h1>"),
    ]:
        assert meta_of(f"<title>{title}</title>", body).title == title


def test_the_headline_spells_the_title_when_the_declared_one_is_dressed_up() -> None:
    for declared, h1 in [
        ("🎤 Rode NT1 Black", "Rode NT1 Black"),
        ("*A Treatise on Coffee* (1792)", "A Treatise on Coffee (1792)"),
    ]:
        assert meta_of(og_title(declared), f"<h1>{h1}</h1>").title == h1
    # Quotes and dashes are the declared title's own to choose.
    assert meta_of(og_title("Why hasn't it worked?"), "<h1>Why hasn’t it worked?</h1>").title == (
        "Why hasn't it worked?"
    )


def test_a_line_break_in_the_headline_is_a_space() -> None:
    head = og_title("Data Analytics Agency | Punto")
    assert meta_of(head, "<h1>Data Analytics<span><br>Agency</span></h1>").title == (
        "Data Analytics Agency"
    )


def test_a_jsonld_headline_cut_short_gives_way_to_the_title_that_says_it_whole() -> None:
    whole = "Fix It Friday: We Help 4 Readers Find Solutions (Including One Trick) - Emily"
    cut = "Fix It Friday: We Help 4 Readers Find Solutions (Including"
    site = '<meta property="og:site_name" content="Emily Henderson">'
    post = {"@context": "https://schema.org", "@type": "BlogPosting", "headline": cut}
    head = jsonld(post) + og_title(whole) + site
    assert meta_of(head).title == whole.removesuffix(" - Emily")
    # A headline that is all of the title, or another title, stays the headline.
    head = jsonld({**NEWS, "headline": "Rivers rise and fall"}) + og_title(
        "Rivers rise | The Daily"
    )
    assert meta_of(head).title == "Rivers rise and fall"


ARTICLE = '<meta property="og:type" content="article">'
SEO = "Top 10 IT Security Best Practices for 2025: Protect Your Business"
SHOWN = "IT &amp; Cybersecurity Best Practices to Protect Your Business"


def test_an_articles_own_headline_over_a_title_worded_for_search_engines() -> None:
    head = ARTICLE + og_title(SEO)
    shown = SHOWN.replace("&amp;", "&")
    assert meta_of(head, f"<article><h1>{SHOWN}</h1><p>Text</p></article>").title == shown
    assert meta_of(head, f"<main><div><h1>{SHOWN}</h1></div></main>").title == shown
    post = {"@context": "https://schema.org", "@type": "BlogPosting", "headline": SEO}
    assert meta_of(jsonld(post), f"<article><h1>{SHOWN}</h1></article>").title == shown


def test_a_products_own_headline_too() -> None:
    body = f"<main><h1>{SHOWN}</h1><p>Buy it</p></main>"
    assert meta_of(og_title(SEO), body).title == SHOWN.replace("&amp;", "&")


def test_the_declared_title_stays_unless_the_headline_is_the_articles_alone() -> None:
    for head, body in [
        (ARTICLE + og_title(SEO), f"<h1>{SHOWN}</h1><article><p>Text</p></article>"),
        (ARTICLE + og_title(SEO), f"<article><h1>{SHOWN}</h1><h1>Comments</h1></article>"),
        # A headline the page declares too: its sources disagree, trust decides.
        (
            ARTICLE + og_title(SEO) + f'<meta name="twitter:title" content="{SHOWN}">',
            f"<article><h1>{SHOWN}</h1></article>",
        ),
        (ARTICLE + og_title(SEO), "<article><h1>Our writers pick ten tools</h1></article>"),
        (ARTICLE + og_title(SEO), f"<article><h1>Blog: {SEO}</h1></article>"),  # a label
    ]:
        assert meta_of(head, body).title == SEO


def test_jsonld_name_or_headline_whichever_the_page_shows() -> None:
    post = {"@context": "https://schema.org", "@type": "BlogPosting"}
    post |= {"name": "Types of apps: examples", "headline": "Types of apps: how to choose"}
    for shown in ("Types of apps: examples", "Types of apps: how to choose"):
        assert meta_of(jsonld(post), f"<h1>{shown}</h1>").title == shown


def test_a_headline_with_a_word_of_the_domain_is_no_logo() -> None:
    # A shop named after what it sells: "Headphones" in the headline is the product's.
    head = og_title("Acme Sundara Planar Magnetic Headphones")
    head += '<meta property="og:url" content="https://headphones.example/p/sundara">'
    body = "<main><h1>Acme Sundara Headphones | 2020 Edition</h1></main>"
    assert meta_of(head, body).title == "Acme Sundara Headphones | 2020 Edition"
    # A headline that holds the name the page gives its site is a banner.
    head += '<meta property="og:site_name" content="Sundara Labs">'
    body = "<main><h1>Sundara Labs: Acme Sundara Headphones</h1></main>"
    assert meta_of(head, body).title == "Acme Sundara Planar Magnetic Headphones"


def test_a_headline_that_leaves_out_words_of_the_declared_title_says_it_shorter() -> None:
    said = "Hire the best of the world's cabinet makers"
    body = "<main><h1>Hire the best cabinet makers</h1></main>"
    assert meta_of(og_title(said), body).title == said
    # A word of its own makes it another wording: the shown one.
    body = "<main><h1>Cabinet makers to hire: the world's finest</h1></main>"
    assert meta_of(og_title(said), body).title == "Cabinet makers to hire: the world's finest"
    # A plural is the same word: the headline still leaves out only "custom".
    said = "Custom College Admission Plans"
    body = "<main><h1>College Admissions Plans</h1></main>"
    assert meta_of(og_title(said), body).title == said
