"""sources: finding saved pages in folders and opening their containers."""

from __future__ import annotations

import os
import quopri
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.ingest.decode import decode_html
from reader.ingest.page import IngestError, RawPage
from reader.ingest.sources import (
    DEFAULT_MAX_SIZE,
    check_size,
    find_pages,
    format_size,
    parse_page,
    read_at_most,
    read_page,
)

# --- find_pages ----------------------------------------------------------------------


def touch(path: Path, data: bytes = b"<p>x</p>") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_find_pages_walks_folders_sorted_and_skips_assets(tmp_path: Path) -> None:
    root = tmp_path / "saved"
    touch(root / "b.html")
    touch(root / "a.htm")
    touch(root / "a_files" / "saved_resource.html")  # Chrome's iframe copy: skipped
    touch(root / "a_files" / "style.css")
    touch(root / "Story.MHTML")
    touch(root / "notes.txt")
    touch(root / "image.png")
    touch(root / ".cache" / "hidden.html")
    touch(root / "._b.html")  # macOS resource fork
    touch(root / "work_files" / "kept.html")  # no work.html beside it: a real folder
    touch(root / "sub" / "deeper" / "c.webarchive")
    touch(root / "sub" / "d.xhtml")
    touch(root / "sub" / "e.shtml")
    touch(root / "sub" / "f.mht")

    found = [path.relative_to(root).as_posix() for path, _ in find_pages([root])]

    assert found == [
        "Story.MHTML",
        "a.htm",
        "b.html",
        "notes.txt",  # a plain-text article (issue #18)
        "sub/d.xhtml",
        "sub/deeper/c.webarchive",
        "sub/e.shtml",
        "sub/f.mht",
        "work_files/kept.html",
    ]


def test_find_pages_yields_explicit_files_whatever_their_name(tmp_path: Path) -> None:
    text = touch(tmp_path / "page.txt")
    missing = tmp_path / "missing.html"
    asset_folder = tmp_path / "x_files"
    touch(tmp_path / "x.html")
    touch(asset_folder / "frame.html")

    found = [path for path, _ in find_pages([text, missing, asset_folder])]

    # Files as given (the import reports the missing one); a folder named explicitly
    # is walked even when it looks like an asset folder: the user asked for it.
    assert found == [text, missing, asset_folder / "frame.html"]


def test_find_pages_does_not_follow_symlinked_folders(tmp_path: Path) -> None:
    touch(tmp_path / "a" / "page.html")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    assert [p.name for p, _ in find_pages([tmp_path / "a"])] == ["page.html"]


def _unreadable(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """`folder` refuses to be listed, as a folder without read permission does (root
    reads any folder, so the refusal is made here)."""
    import reader.ingest.sources as sources

    real = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(sources.os, "scandir", scandir)


def test_find_pages_names_an_unreadable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path / "a.html")
    touch(tmp_path / "locked" / "b.html")
    touch(tmp_path / "z.html")
    _unreadable(monkeypatch, tmp_path / "locked")
    found = [(path.name, reason) for path, reason in find_pages([tmp_path])]
    assert found == [
        ("a.html", None),
        ("locked", "cannot read the folder (Permission denied)"),
        ("z.html", None),
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_find_pages_names_a_folder_without_read_permission(tmp_path: Path) -> None:
    touch(tmp_path / "locked" / "b.html")
    (tmp_path / "locked").chmod(0)
    try:
        assert list(find_pages([tmp_path])) == [
            (tmp_path / "locked", "cannot read the folder (Permission denied)")
        ]
    finally:
        (tmp_path / "locked").chmod(0o755)


# --- read_page -----------------------------------------------------------------------


def test_read_page_reads_and_names_the_page(tmp_path: Path, article_html: str) -> None:
    path = touch(tmp_path / "guide.html", article_html.encode())
    page = read_page(path)
    assert page.kind == "html"
    assert page.filename == "guide.html"
    assert page.data == page.html == article_html.encode()


def test_read_page_refuses_a_sparse_60_mb_file_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as file:
        file.truncate(60 * 2**20)  # sparse: no 60 MB written
    with pytest.raises(IngestError) as caught:
        read_page(path)
    assert str(caught.value) == "60 MB, larger than the 50 MB limit (--max-size)"


def test_read_page_small_limit(tmp_path: Path) -> None:
    path = touch(tmp_path / "page.html", b"<p>" + b"x" * 2000 + b"</p>")
    with pytest.raises(IngestError, match=r"^2 KB, larger than the 1 KB limit \(--max-size\)$"):
        read_page(path, max_size=1024)
    assert read_page(path, max_size=4096).kind == "html"


def test_check_size_shows_bytes_when_rounding_would_hide_the_excess() -> None:
    check_size(DEFAULT_MAX_SIZE, DEFAULT_MAX_SIZE)
    with pytest.raises(IngestError, match=r"^52,428,801 bytes, larger than the 52,428,800-byte"):
        check_size(DEFAULT_MAX_SIZE + 1, DEFAULT_MAX_SIZE)


def test_format_size() -> None:
    assert format_size(0) == "0 bytes"
    assert format_size(1023) == "1,023 bytes"
    assert format_size(1536) == "1.5 KB"
    assert format_size(50 * 2**20) == "50 MB"
    assert format_size(3 * 2**30) == "3 GB"


def test_read_at_most_reads_past_a_stale_size_up_to_the_limit() -> None:
    # A file still being written (or a pipe reporting size 0) has more than stat said.
    assert read_at_most(BytesIO(b"x" * 5000), 0, 10_000) == b"x" * 5000
    assert len(read_at_most(BytesIO(b"x" * 5000), 10, 1000)) == 1001  # over: caller refuses
    assert read_at_most(BytesIO(b"abc"), 3, 10) == b"abc"


def test_read_page_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"^cannot read the file \(No such file or directory\)$"):
        read_page(tmp_path / "missing.html")
    with pytest.raises(IngestError, match=r"^is a folder"):
        read_page(tmp_path)


def test_read_page_empty_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"^empty file$"):
        read_page(touch(tmp_path / "empty.html", b""))


# --- MHTML ---------------------------------------------------------------------------


def test_chrome_mhtml(make_mhtml, article_html: str) -> None:
    data = make_mhtml()
    assert data.startswith(b"Content-Type: multipart/related") or b"From: <Saved by Blink>" in data

    page = parse_page(data, "guide.mhtml")

    assert page.kind == "mhtml"
    assert page.url == "https://example.com/field-guide"
    assert page.saved_at == "2026-11-25T07:00:00+00:00"
    assert page.charset is None
    assert page.data == data
    assert page.html == article_html.encode()
    assert decode_html(page) == article_html


def test_mhtml_is_recognised_by_content_not_extension(make_mhtml) -> None:
    assert parse_page(make_mhtml(), "renamed.html").kind == "mhtml"


def test_mhtml_with_lf_line_endings(make_mhtml, article_html: str) -> None:
    page = parse_page(make_mhtml().replace(b"\r\n", b"\n"), "page.mht")
    assert page.html.replace(b"\r\n", b"\n") == article_html.encode()


def test_mhtml_base64_part_with_declared_charset(make_mhtml) -> None:
    html = "<html><head><title>Новости</title></head><body><p>Москва — столица.</p></body></html>"
    data = make_mhtml(html.encode("cp1251"), charset="windows-1251", encoding="base64")
    page = parse_page(data, "news.mht")
    assert page.charset == "windows-1251"
    assert decode_html(page) == html


def test_mhtml_first_html_part_even_after_resources(make_mhtml, article_html: str) -> None:
    # The advert frame comes before the page here, so "first text/html" picks the frame ...
    page = parse_page(make_mhtml(html_first=False), "page.mhtml")
    assert b"advert" in page.html
    # ... unless the multipart names its root part with start=, which wins.
    page = parse_page(make_mhtml(html_first=False, start="<frame-1@mhtml.blink>"), "page.mhtml")
    assert page.html == article_html.encode()


def test_mhtml_url_falls_back_to_snapshot_location_and_date_is_optional(make_mhtml) -> None:
    data = make_mhtml(url=None, date=None)
    page = parse_page(data, "x.mhtml")
    assert page.url is None and page.saved_at is None
    data = make_mhtml(date="not a date")
    assert parse_page(data, "x.mhtml").saved_at is None


def test_internet_explorer_mht_with_charset_in_the_part() -> None:
    html = "<html><body><p>Москва — столица России.</p></body></html>"
    quoted = quopri.encodestring(html.encode("cp1251").replace(b"\n", b"\r\n"))
    data = (
        b"From: <Saved by Windows Internet Explorer 8>\r\n"
        b"Subject: =?windows-1251?B?zO7x6uLg?=\r\n"
        b"Date: Tue, 3 Mar 2015 14:05:33 +0300\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n'
        b'\tboundary="----=_NextPart_000_0000_01D055B9.1A2B3C4D"\r\n\r\n'
        b"This is a multi-part message in MIME format.\r\n\r\n"
        b"------=_NextPart_000_0000_01D055B9.1A2B3C4D\r\n"
        b'Content-Type: text/html;\r\n\tcharset="windows-1251"\r\n'
        b"Content-Transfer-Encoding: quoted-printable\r\n"
        b"Content-Location: http://news.example.ru/\r\n   2015/moscow.html\r\n\r\n"
        + quoted
        + b"\r\n------=_NextPart_000_0000_01D055B9.1A2B3C4D--\r\n"
    )
    page = parse_page(data, "news.mht")
    assert (page.kind, page.charset) == ("mhtml", "windows-1251")
    assert page.url == "http://news.example.ru/2015/moscow.html"  # folded header, unfolded
    assert page.saved_at == "2015-03-03T14:05:33+03:00"
    assert decode_html(page) == html


def test_single_part_mhtml() -> None:
    data = (
        b"MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n"
        b"Content-Location: https://example.com/one\nContent-Transfer-Encoding: 8bit\n\n"
        + "<p>Grüße</p>".encode()
    )
    page = parse_page(data, "one.mht")
    assert (page.kind, page.url, page.charset) == ("mhtml", "https://example.com/one", "utf-8")
    assert decode_html(page) == "<p>Grüße</p>"


def test_mhtml_without_html_part() -> None:
    data = (
        b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"iVBORw0KGgo=\r\n--b--\r\n"
    )
    with pytest.raises(IngestError, match=r"^MHTML file has no HTML part$"):
        parse_page(data, "x.mhtml")


def test_truncated_mhtml_keeps_the_html_that_made_it(make_mhtml, article_html: str) -> None:
    data = make_mhtml()
    html_end = data.index(b"</html>") + len(b"</html>")
    # Cut in the CSS part after the page: the page is whole.
    page = parse_page(data[: html_end + 120], "cut.mhtml")
    assert decode_html(page).strip() == article_html
    # Cut in the middle of the page: what is there is kept (extraction decides).
    page = parse_page(data[: html_end - 300], "cut.mhtml")
    assert decode_html(page).startswith("<!DOCTYPE html>")


def test_truncated_mhtml_before_the_html(make_mhtml) -> None:
    data = make_mhtml()
    body_start = data.index(b"<!DOCTYPE")
    for cut in (60, data.index(b"------MultipartBoundary") + 10, body_start - 30, body_start):
        with pytest.raises(IngestError, match=r"^truncated MHTML: no HTML part$"):
            parse_page(data[:cut], "cut.mhtml")


def test_mhtml_cut_anywhere_is_a_page_or_a_clean_error(make_mhtml) -> None:
    data = make_mhtml()
    for cut in range(1, len(data), 97):
        try:
            page = parse_page(data[:cut], "cut.mhtml")
        except IngestError as error:
            assert "\n" not in str(error)
        else:
            assert page.kind in ("mhtml", "html")


# --- Safari webarchive ---------------------------------------------------------------


def test_webarchive(make_webarchive, article_html: str) -> None:
    data = make_webarchive()
    assert data.startswith(b"bplist00")
    page = parse_page(data, "guide.webarchive")
    assert page.kind == "webarchive"
    assert page.url == "https://example.com/field-guide"
    assert page.charset == "UTF-8"
    assert page.html == article_html.encode()


def test_webarchive_charset_from_the_archive(make_webarchive) -> None:
    html = "<html><body><p>Москва — столица России.</p></body></html>"
    page = parse_page(make_webarchive(html.encode("cp1251"), encoding="windows-1251"), "x")
    assert decode_html(page) == html


def test_xml_plist_webarchive(make_webarchive, article_html: str) -> None:
    import plistlib

    binary = make_webarchive()
    xml = plistlib.dumps(plistlib.loads(binary), fmt=plistlib.FMT_XML)
    assert parse_page(xml, "x.webarchive").html == article_html.encode()


def test_webarchive_errors(make_webarchive) -> None:
    import plistlib

    with pytest.raises(IngestError, match=r"^damaged webarchive"):
        parse_page(make_webarchive()[:200], "x.webarchive")
    with pytest.raises(IngestError, match=r"^webarchive holds image/png, not a web page$"):
        parse_page(make_webarchive(b"\x89PNG", mime="image/png"), "x.webarchive")
    no_main = plistlib.dumps({"WebSubresources": []}, fmt=plistlib.FMT_BINARY)
    with pytest.raises(IngestError, match=r"^webarchive has no main resource$"):
        parse_page(no_main, "x.webarchive")


# --- HTML, SingleFile, saved-from ----------------------------------------------------


def test_singlefile_page(article_html: str) -> None:
    comment = (
        "<!--\n Page saved with SingleFile \n url: https://example.com/post?id=7 \n"
        " saved date: Thu Nov 21 2024 10:15:30 GMT+0100 (Central European Standard Time)\n-->"
    )
    html = article_html.replace('<html lang="en">', '<html lang="en">' + comment)
    page = parse_page(html.encode(), "post.html")
    assert page.kind == "singlefile"
    assert page.url == "https://example.com/post?id=7"
    assert page.saved_at == "2024-11-21T10:15:30+01:00"


def test_singlefile_iso_date() -> None:
    html = (
        b"<!--\n Page saved with SingleFile \n url: https://a.example/ \n"
        b" saved date: 2024-02-03T04:05:06.000Z\n--><p>x</p>"
    )
    page = parse_page(html, "x.html")
    assert page.saved_at == "2024-02-03T04:05:06+00:00"


def test_saved_from_url_comment(article_html: str) -> None:
    url = "https://example.com/2024/field-guide"
    html = f"<!DOCTYPE html>\r\n<!-- saved from url=({len(url):04d}){url} -->\r\n{article_html}"
    page = parse_page(html.encode(), "guide.html")
    assert (page.kind, page.url, page.saved_at) == ("html", url, None)


def test_saved_from_local_page_has_no_url() -> None:
    page = parse_page(b"<!-- saved from url=(0014)about:internet -->\n<p>x</p>", "x.htm")
    assert page.url is None


def test_plain_html_has_no_metadata(article_html: str) -> None:
    page = parse_page(article_html.encode(), "x.html")
    assert (page.kind, page.url, page.saved_at, page.charset) == ("html", None, None, None)


def test_a_stray_nul_deep_in_a_page_is_not_binary(article_html: str) -> None:
    long_page = article_html.replace("<article>", "<article>" + "<p>Lead paragraph.</p>" * 80)
    html = long_page.replace("</article>", "<p>A stray \x00 in the text.</p></article>").encode()
    assert parse_page(html, "x.html").kind == "html"


def test_utf16_page_is_text() -> None:
    html = "<html><body><p>Grüße aus Köln</p></body></html>"
    page = parse_page(html.encode("utf-16"), "x.html")
    assert decode_html(page) == html


# --- bad input -----------------------------------------------------------------------


def zip_bytes() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<p>x</p>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\t ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a saved web page (it is a PNG image)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not a saved web page (it is a PDF document)"),
        (
            zip_bytes(),
            "a ZIP archive, not an article nor an export reader knows"
            " (Pocket, Omnivore, wallabag, Instapaper, Readwise, bookmarks)",
        ),
        (bytes(range(256)) * 4, "not a saved web page (binary data)"),
        (b"<p>" + b"\x00" * 50 + b"</p>", "not a saved web page (binary data)"),
        (b"Just some notes, no markup at all.\n", "not a saved web page (no HTML tags)"),
        (b"bplist00\x00\x01", "damaged webarchive (not a readable property list)"),
    ],
    ids=["empty", "blank", "png", "pdf", "zip", "bytes", "nuls", "text", "bad-plist"],
)
def test_bad_input_is_one_line_without_the_filename(data: bytes, reason: str) -> None:
    with pytest.raises(IngestError) as caught:
        parse_page(data, "secret-name.html")
    assert str(caught.value) == reason


def check_parse(data: bytes) -> None:
    try:
        page = parse_page(data, "fuzz.html")
    except IngestError as error:
        message = str(error)
        assert message and "\n" not in message and "fuzz.html" not in message
    else:
        assert isinstance(page, RawPage)
        assert page.kind in ("html", "singlefile", "mhtml", "webarchive")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
@example(b"\xef\xbb\xbf")
@example(b"<")
@example(b"\xff\xfe\x00")
def test_parse_page_on_arbitrary_bytes(data: bytes) -> None:
    check_parse(data)


PREFIXES = [
    b"bplist00",
    b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: multipart/related; boundary=b\r\n\r\n--b\r\n",
    b"Content-Type: text/html; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n",
    b"MIME-Version: 1.0\nContent-Type: multipart/related; start=x; boundary=\n\n",
    b"<!--\n Page saved with SingleFile \n url: ",
    b"<!-- saved from url=(9999)",
    b'<?xml version="1.0" encoding="',
    b"<?xml version='1.0'?><plist><dict><key>WebMainResource</key>",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PREFIXES), st.binary(max_size=600))
def test_parse_page_on_damaged_containers(prefix: bytes, rest: bytes) -> None:
    check_parse(prefix + rest)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_mhtml_and_webarchive(data: st.DataObject) -> None:
    import plistlib
    from email import policy
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    message = MIMEMultipart("related", boundary="b1")
    message["From"] = "<Saved by Blink>"
    message.attach(MIMEText("<p>Grüße</p>", "html", "utf-8"))
    mhtml = message.as_bytes(policy=policy.SMTP)
    webarchive = plistlib.dumps(
        {"WebMainResource": {"WebResourceData": b"<p>x</p>", "WebResourceURL": "https://a.b/"}},
        fmt=plistlib.FMT_BINARY,
    )
    original = bytearray(data.draw(st.sampled_from([mhtml, webarchive])))
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    check_parse(bytes(original))
