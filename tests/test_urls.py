"""reader.urls: which URLs name one page."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.urls import url_key, url_keys


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://example.com/a", "HTTP://EXAMPLE.COM/a"),  # scheme and host case
        ("https://example.com/a", "https://example.com:443/a"),  # default port
        ("http://example.com/a", "http://example.com:80/a"),
        ("https://example.com/a", "https://example.com/a#part-2"),  # fragment
        ("https://example.com/a", "https://example.com/a/"),  # trailing slash
        ("https://example.com/", "https://example.com"),
        ("https://example.com/a", "https://www.example.com/a"),
        ("https://example.com/a?id=1", "https://example.com/a?utm_source=x&id=1&utm_medium=y"),
        ("https://example.com/a", "https://example.com/a?fbclid=abc"),
        ("https://example.com/a", "https://example.com/a?gclid=abc&mc_cid=1"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),  # order
        ("https://example.com/caf%C3%A9", "https://example.com/café"),  # encoding
        ("https://example.com/~u", "https://example.com/%7Eu"),
    ],
)
def test_the_same_page(one: str, other: str) -> None:
    assert url_key(one) is not None and url_key(one) == url_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://news.ycombinator.com/item?id=1", "https://news.ycombinator.com/item?id=2"),
        ("https://example.com/a", "https://example.com/A"),  # paths are case-sensitive
        ("https://example.com/a", "https://example.com:8443/a"),
        ("https://example.com/a", "https://example.org/a"),
        ("https://blog.example.com/a", "https://example.com/a"),
    ],
)
def test_other_pages(one: str, other: str) -> None:
    assert url_key(one) != url_key(other)


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "/relative/path",
        "mailto:a@example.com",
        "https://example.com:notaport/",
        "https://" + "a" * 5000,
    ],
)
def test_no_key_for_what_is_no_web_page(url: str | None) -> None:
    assert url_key(url) is None


def test_url_keys_are_distinct_and_in_order() -> None:
    assert url_keys("https://b.com/", None, "http://B.com", "https://a.com/x", "ftp://c") == [
        "b.com",
        "a.com/x",
    ]


@given(st.text(max_size=300))
def test_any_text_gives_a_key_or_none(text: str) -> None:
    key = url_key(text)
    assert key is None or isinstance(key, str)


@given(
    host=st.from_regex(r"[a-z][a-z0-9-]{0,20}\.(com|org|net)", fullmatch=True),
    path=st.lists(st.from_regex(r"[A-Za-z0-9_.~-]{1,12}", fullmatch=True), max_size=4),
    query=st.dictionaries(
        st.from_regex(r"[a-z]{1,6}", fullmatch=True),
        st.from_regex(r"[a-z0-9]{0,6}", fullmatch=True),
        max_size=3,
    ),
)
def test_a_key_is_its_own_key(host: str, path: list[str], query: dict[str, str]) -> None:
    url = f"https://{host}/{'/'.join(path)}" + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )
    key = url_key(url)
    assert key is not None
    assert url_key("http://" + key) == key


def test_url_host_is_the_host_a_person_knows() -> None:
    from reader.urls import url_host

    assert url_host("https://www.Example.com:8080/a?b#c") == "example.com"
    assert url_host("https://blog.example.net/p") == "blog.example.net"
    assert url_host(None) is None and url_host("") is None
    assert url_host("mailto:a@b.c") is None and url_host("http://[::1") is None
