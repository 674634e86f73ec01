"""The token rule: none on loopback, one in every path elsewhere, compared in constant
time, never written to the log."""

from __future__ import annotations

import hmac
import socket
from pathlib import Path

import pytest
from lxml import etree

from reader.serve import http as serve_http
from reader.serve.http import choose_token, is_loopback, strip_token
from tests.serve.conftest import ATOM, assert_valid, serving


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)
    assert choose_token(host, None) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.2", "fe80::1", "box"])
def test_other_interfaces_get_a_new_token(host: str) -> None:
    assert not is_loopback(host)
    first, second = choose_token(host, None), choose_token(host, None)
    assert first and second and first != second and len(first) >= 24


def test_a_given_token_is_used_everywhere() -> None:
    assert choose_token("127.0.0.1", "a-given-token-1234") == "a-given-token-1234"
    assert choose_token("192.168.1.20", "a-given-token-1234") == "a-given-token-1234"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/t/secret-token/", "/"),
        ("/t/secret-token", "/"),
        ("/t/secret-token/feeds/unread", "/feeds/unread"),
        ("/t/secret-tokenX/feeds/unread", None),
        ("/t/secret-toke/feeds/unread", None),
        ("/t//feeds/unread", None),
        ("/feeds/unread", None),
        ("/", None),
        ("/T/secret-token/", None),
    ],
)
def test_strip_token(path: str, expected: str | None) -> None:
    assert strip_token(path, "secret-token") == expected


def test_no_token_wanted_keeps_the_path() -> None:
    assert strip_token("/feeds/unread", None) == "/feeds/unread"


def test_the_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    compare = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(serve_http.hmac, "compare_digest", spy)
    assert strip_token("/t/abc/x", "abd") is None
    assert compared == [(b"abc", b"abd")]


def non_loopback_address() -> str | None:
    """An address of this machine off loopback, if it has one (a UDP socket's connect
    only chooses the route: nothing is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737)
            address = str(probe.getsockname()[0])
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as bind:
            bind.bind((address, 0))
    except OSError:
        return None
    return None if is_loopback(address) else address


def test_off_loopback_every_path_needs_the_token(
    filled_archive: Path, opds_schema: etree.RelaxNG
) -> None:
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no address off loopback (the rule is unit-tested above)")
    token = choose_token(address, None)
    with serving(filled_archive, host=address, token=token) as served:
        assert served.server.url == f"http://{address}:{served.client.port}/t/{token}/"
        for path in ("/", "/feeds/unread", "/articles/7.epub", "/t/wrong-token/", f"/t/{token}x/"):
            assert served.client.get(path).status == 403, path
        answer = served.client.get(f"/t/{token}/")
        assert answer.status == 200
        root = assert_valid(opds_schema, answer.body)
        hrefs = [str(link.get("href")) for link in root.iter(f"{ATOM}link")]
        assert hrefs and all(href.startswith(f"/t/{token}/") for href in hrefs)
        feed = served.client.get(f"/t/{token}/feeds/unread")
        assert feed.status == 200
        book = served.client.get(f"/t/{token}/articles/7.epub")
        assert book.status == 200
        assert served.log and not any(str(token) in line for line in served.log)
        assert any('"GET /t/…/feeds/unread HTTP/1.1" 200' in line for line in served.log)


def test_a_token_given_on_loopback_is_required(filled_archive: Path) -> None:
    with serving(filled_archive, token="a-given-token-1234") as served:
        assert served.client.get("/").status == 403
        assert served.client.get("/t/a-given-token-1234/").status == 200


def test_ipv6_loopback_needs_no_token(filled_archive: Path) -> None:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with serving(filled_archive, host="::1") as served:
        assert served.server.url == f"http://[::1]:{served.client.port}/"
        assert served.client.get("/feeds/unread").status == 200


def test_the_server_never_loads_textual() -> None:
    """reader.serve is a face beside the CLI: no Textual (the import rule checks the
    code; this checks what loading it loads)."""
    import subprocess
    import sys

    code = (
        "import sys, reader.serve.http, reader.cli.serve\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "print(loaded)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"
