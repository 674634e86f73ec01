"""decode_html: the page's bytes read as the browser read them, whatever they declare."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.decode import (
    DETECTION_SAMPLE,
    decode_html,
    detect_encoding,
    normalize_charset,
)
from reader.ingest.page import RawPage

RUSSIAN = (
    "Съешь же ещё этих мягких французских булок, да выпей чаю. "
    "Москва — столица России, крупнейший по численности населения город страны. "
    "Широкая электрификация южных губерний даст мощный толчок подъёму сельского хозяйства. "
)
PAGE = "<html><head>{meta}<title>Новости</title></head><body><p>{text}</p></body></html>"


def raw(html: bytes, charset: str | None = None) -> RawPage:
    return RawPage(data=html, html=html, filename="page.html", kind="html", charset=charset)


def russian_page(meta: str = "") -> str:
    return PAGE.format(meta=meta, text=RUSSIAN * 2)


def test_windows_1251_declared_in_meta() -> None:
    page = russian_page('<meta charset="windows-1251">')
    assert decode_html(raw(page.encode("cp1251"))) == page


def test_windows_1251_declared_in_http_equiv() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    page = russian_page(meta)
    assert decode_html(raw(page.encode("cp1251"))) == page


def test_windows_1251_undeclared_is_detected() -> None:
    page = russian_page()
    assert decode_html(raw(page.encode("cp1251"))) == page


def test_container_charset_wins_over_meta() -> None:
    # The MHTML part header says koi8-r, the meta (stale) says windows-1251.
    page = russian_page('<meta charset="windows-1251">').replace("—", "-")
    assert decode_html(raw(page.encode("koi8-r"), charset="KOI8-R")) == page


def test_wrong_utf8_label_on_windows_1251_bytes() -> None:
    page = russian_page('<meta charset="utf-8">')
    assert decode_html(raw(page.encode("cp1251"))) == page


def test_legacy_label_on_utf8_bytes_reads_utf8() -> None:
    page = russian_page('<meta charset="iso-8859-1">')
    assert decode_html(raw(page.encode("utf-8"))) == page


def test_unknown_label_is_ignored() -> None:
    page = russian_page('<meta charset="x-no-such-charset">')
    assert decode_html(raw(page.encode("cp1251"))) == page


def test_utf16_with_bom() -> None:
    page = russian_page('<meta charset="utf-16">')
    for codec in ("utf-16", "utf-16-le", "utf-16-be"):
        data = page.encode(codec)
        if codec != "utf-16":
            data = ("\ufeff" + page).encode(codec)
        assert decode_html(raw(data)) == page


def test_utf8_bom_is_removed() -> None:
    assert decode_html(raw(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>")) == "<p>café</p>"


def test_meta_utf16_label_means_utf8() -> None:
    # A page that can declare utf-16 in ASCII is not utf-16 (WHATWG).
    page = '<meta charset="utf-16"><p>café</p>'
    assert decode_html(raw(page.encode("utf-8"))) == page


def test_latin1_label_is_windows_1252_as_in_browsers() -> None:
    page = '<meta charset="ISO-8859-1"><p>Café “quoted” — naïve</p>'
    assert decode_html(raw(page.encode("cp1252"))) == page


def test_plain_latin1_without_label() -> None:
    page = "<p>" + "Le café est très bon à Genève, naïve façade. " * 5 + "</p>"
    assert decode_html(raw(page.encode("latin-1"))) == page


def test_stray_undefined_byte_keeps_the_single_byte_label() -> None:
    text = decode_html(raw(b'<meta charset="windows-1252"><p>caf\xe9 \x81</p>'))
    assert text.startswith('<meta charset="windows-1252"><p>café ')


def test_xml_declaration_encoding() -> None:
    page = '<?xml version="1.0" encoding="windows-1251"?><html><p>' + RUSSIAN + "</p></html>"
    assert decode_html(raw(page.encode("cp1251"))) == page


def test_normalize_charset_refuses_transforms_and_utf7() -> None:
    for label in ("base64", "rot13", "zlib", "utf-7", "UTF7", "unicode_escape", "", None, "x" * 99):
        assert normalize_charset(label) is None
    assert normalize_charset(" Windows-1251 ") == "cp1251"
    assert normalize_charset("latin1") == "cp1252"
    assert normalize_charset('"utf8"') == "utf-8"


def test_detect_encoding_shortcuts() -> None:
    assert detect_encoding(b"<p>plain</p>") == "ascii"
    assert detect_encoding("<p>café</p>".encode()) == "utf-8"


@settings(max_examples=100, deadline=None)
@given(
    st.binary(max_size=300),
    st.sampled_from([None, "utf-8", "utf-16", "windows-1251", "bogus", "shift_jis", "base64"]),
)
def test_decode_never_raises(data: bytes, charset: str | None) -> None:
    assert isinstance(decode_html(raw(data, charset)), str)


def test_large_undeclared_page_is_detected_from_a_sample() -> None:
    # Over DETECTION_SAMPLE: a long ASCII head (scripts) says nothing about the encoding,
    # so the sample starts at the text; one long line has no `>` to cut after.
    head = "<html><head><script>" + "var x = 1;\n" * 40_000 + "</script></head><body><p>"
    page = head + RUSSIAN * 3000 + "</p></body></html>"
    assert len(page) > 2 * DETECTION_SAMPLE
    assert decode_html(raw(page.encode("cp1251"))) == page


def test_large_shift_jis_page() -> None:
    page = "<html><body>" + "<p>日本語のテキストです。東京は日本の首都です。</p>\n" * 12_000
    assert decode_html(raw(page.encode("shift_jis"))) == page
