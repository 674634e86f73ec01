"""The catalogue's pure parts: documents from records (any text stays valid, escaped
XML), dates as Atom wants them, and the paths it understands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from reader.models import ArticleSummary
from reader.serve import opds
from reader.serve.catalogue import MAX_PAGE, RequestError, Route, parse_route, tag_path
from tests.serve.conftest import ATOM, assert_valid

FEED = opds.Feed(
    id="urn:reader:feed:/feeds/recent",
    title="Recently added",
    self_href="/feeds/recent",
    start_href="/",
    kind=opds.ACQUISITION,
    up_href="/",
    search_href="/opensearch.xml",
)


@given(
    title=st.text(max_size=300),
    byline=st.text(max_size=100),
    excerpt=st.text(max_size=2000),
    tag=st.text(min_size=1, max_size=50),
    lang=st.text(max_size=10),
    published=st.text(max_size=30),
)
def test_any_page_text_makes_a_valid_feed(
    opds_schema: etree.RelaxNG,
    title: str,
    byline: str,
    excerpt: str,
    tag: str,
    lang: str,
    published: str,
) -> None:
    article = ArticleSummary(
        id=1,
        title=title,
        byline=byline,
        excerpt=excerpt,
        tags=(tag,),
        lang=lang,
        published=published,
        added_at=published,
        updated_at=title,
    )
    body = opds.acquisition_feed(FEED, [article], {1: "/articles/1.epub"})
    root = assert_valid(opds_schema, body)
    (entry,) = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == (opds.xml_text(title) or "(untitled)")
    assert (entry.findtext(f"{ATOM}summary") or "") == opds.xml_text(excerpt, opds.SUMMARY_CHARS)


@given(st.text())
def test_xml_text_is_one_line_xml_can_carry(text: str) -> None:
    line = opds.xml_text(text, 50)
    assert len(line) <= 50 and "\n" not in line
    element = etree.Element("t")
    element.text = line  # lxml refuses what XML 1.0 cannot carry
    assert etree.fromstring(etree.tostring(element)).text in (line, None)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (("2024-03-05T10:11:12+02:00",), "2024-03-05T08:11:12+00:00"),
        (("2024-03-05T10:11:12",), "2024-03-05T10:11:12+00:00"),
        (("2024-03-05", "2024-01-01T00:00:00+00:00"), "2024-01-01T00:00:00+00:00"),
        (("", None, "not a date at all, long enough"), "1970-01-01T00:00:00+00:00"),
        (("0001-01-01T00:00:00+05:00", "2024-01-01T00:00:00"), "2024-01-01T00:00:00+00:00"),
    ],
)
def test_atom_dates(values: tuple[str | None, ...], expected: str) -> None:
    assert opds.atom_date(*values) == expected


@pytest.mark.parametrize(
    ("path", "query", "route"),
    [
        ("/", "", Route("root")),
        ("/opensearch.xml", "", Route("opensearch")),
        ("/feeds/unread", "", Route("view", name="unread")),
        ("/feeds/starred", "page=3", Route("view", name="starred", page=3)),
        ("/feeds/recent.epub", "", Route("view", name="recent", book=True)),
        ("/tags", "page=2", Route("tags", page=2)),
        ("/tags/a%2Eb%2Fc", "", Route("tag", name="a.b/c")),
        ("/tags/a%2Eb%2Fc.epub", "", Route("tag", name="a.b/c", book=True)),
        ("/search", "q=rust+-go", Route("search", name="rust -go")),
        ("/search.epub", "q=tag%3Ax", Route("search", name="tag:x", book=True)),
        ("/articles/42.epub", "", Route("article", article_id=42, book=True)),
    ],
)
def test_routes(path: str, query: str, route: Route) -> None:
    assert parse_route(path, query) == route


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("/feeds/all", "", 404),
        ("/articles/0.epub", "", 404),
        ("/articles/42", "", 404),
        ("/tags/x/y", "", 404),
        ("/opensearch.xml.epub", "", 404),
        ("/feeds/unread", "page=0", 400),
        ("/feeds/unread", f"page={MAX_PAGE + 1}", 404),
        ("/feeds/unread", "&".join(["x=1"] * 9), 400),
        ("/search", "q=%ff", 400),
    ],
)
def test_refused_routes(path: str, query: str, status: int) -> None:
    with pytest.raises(RequestError) as refused:
        parse_route(path, query)
    assert refused.value.status == status


@given(st.text(min_size=1, max_size=100))
def test_every_tag_name_has_a_path_back_to_it(name: str) -> None:
    path = tag_path(name)
    assert path.count("/") == 2 and not path.endswith(".epub")
    assert parse_route(path, "") == Route("tag", name=name)
    assert parse_route(path + ".epub", "") == Route("tag", name=name, book=True)


_OFFSETS = st.integers(-23 * 60, 23 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))


@given(st.datetimes(timezones=st.none() | _OFFSETS))
def test_any_stored_moment_is_an_atom_date(moment: datetime) -> None:
    stamp = opds.atom_date(moment.isoformat())
    assert stamp.endswith("+00:00")
    parsed = datetime.fromisoformat(stamp)
    if stamp != "1970-01-01T00:00:00+00:00":  # year 1 or 9999 past UTC's range
        expected = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        assert parsed == expected.replace(microsecond=0)
