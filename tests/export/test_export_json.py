"""--format json and import-annotations: a round trip into a fresh archive loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.archive import Archive
from reader.export import ImportFormatError, export_data, export_json, import_annotations
from reader.export.userdata_file import FORMAT, MAX_DEPTH, VERSION, load, loads, validate

# Until ARCHIVE and ANNOTATE land their stores, these tests have nothing to run against.
NEEDED = ("add_article", "add_highlight", "restore_annotation")
needs_archive = pytest.mark.skipif(
    not all(hasattr(Archive, name) for name in NEEDED),
    reason="archive article/annotation API not there yet",
)


PARAGRAPHS = [
    "The first paragraph says something worth keeping.",
    "A second paragraph with *Markdown* characters and a # sign.",
    "The last paragraph closes the article.",
]


def fill(archive, page_factory, *, extra_first: str | None = None):
    """Three articles (one without a URL) with tags, states and annotations."""
    ids = []
    for i in range(3):
        paragraphs = [f"{p} ({i})" for p in PARAGRAPHS]
        if extra_first:
            paragraphs.insert(0, extra_first)
        url = None if i == 2 else f"https://example.com/{i}"
        # The pages' bytes do not depend on extra_first: the same saved file, re-extracted.
        page, raw = page_factory(f"Article {i}", paragraphs, url=url, salt=str(i))
        raw = type(raw)(
            data=f"saved page {i}".encode(),
            html=raw.html,
            filename=raw.filename,
            kind="html",
            url=url,
        )
        ids.append(archive.add_article(page, raw, tags=[f"tag{i}", "Shared"]))
    return ids


def annotate(archive, ids):
    for n, article_id in enumerate(ids):
        text = archive.get_article(article_id).text
        start = text.index("second paragraph")
        archive.add_highlight(article_id, start, start + 30, note=f"note {n}", color="blue")
        # Over two paragraphs, apart from the first (overlapping ones would merge).
        start = text.index("and a # sign")
        archive.add_highlight(article_id, start, text.index("closes"), color="pink")
        archive.add_article_note(article_id, f"Thoughts on {n}\n\nover two paragraphs")
    archive.set_starred(ids[0], True)
    archive.set_read(ids[1], True)
    archive.set_archived(ids[2], True)
    archive.save_position(ids[0], 42, 0.5)


def comparable(archive, article_id):
    return sorted(
        (a.exact, a.prefix, a.suffix, a.note, a.color, a.orphaned, a.start is None)
        for a in archive.annotations_for(article_id)
    )


@needs_archive
def test_round_trip(tmp_path: Path, archive, page_factory) -> None:
    ids = fill(archive, page_factory)
    annotate(archive, ids)
    out = tmp_path / "backup.json"
    data, result = export_json(archive, out)
    assert result is not None and result.written == [out]
    assert load(out) == data
    assert data["format"] == FORMAT and data["version"] == VERSION
    assert len(data["articles"]) == 3
    first = data["articles"][0]
    assert first["url"] == "https://example.com/0" and len(first["sha256"][0]) == 64
    assert sorted(first["tags"]) == ["Shared", "tag0"]

    with Archive(tmp_path / "fresh.db") as fresh:
        new_ids = fill(fresh, page_factory)
        report = import_annotations(fresh, out)
        assert report.matched == 3 and report.unmatched == []
        assert report.added == 9 and report.present == 0 and report.orphaned == 0
        for old, new in zip(ids, new_ids, strict=True):
            assert comparable(fresh, new) == comparable(archive, old)
            old_ann = archive.annotations_for(old)
            new_ann = fresh.annotations_for(new)
            assert [(a.start, a.end, a.created_at, a.updated_at) for a in new_ann] == [
                (a.start, a.end, a.created_at, a.updated_at) for a in old_ann
            ]
            assert sorted(fresh.tags_of(new)) == sorted(archive.tags_of(old))
            o, n = archive.get_summary(old), fresh.get_summary(new)
            assert (n.starred, n.is_read, n.is_archived, n.position, n.progress) == (
                o.starred,
                o.is_read,
                o.is_archived,
                o.position,
                o.progress,
            )
        # exported again from the fresh archive: the same user data
        assert _user_data(export_data(fresh)) == _user_data(data)
        # idempotent: a second import adds nothing
        again = import_annotations(fresh, out)
        assert again.added == 0 and again.present == 9 and again.tags_added == 0
        assert again.states_changed == 0
        assert [len(fresh.annotations_for(i)) for i in new_ids] == [3, 3, 3]


def _user_data(data):
    """What must survive: all but the times the new archive imported and read things."""
    articles = []
    for article in data["articles"]:
        article = dict(article)
        article.pop("added_at")
        article["read_at"] = article["read_at"] is not None
        article["archived_at"] = article["archived_at"] is not None
        articles.append(article)
    return articles


@needs_archive
def test_reanchors_against_changed_text(tmp_path: Path, archive, page_factory) -> None:
    ids = fill(archive, page_factory)
    annotate(archive, ids)
    data = export_data(archive)
    with Archive(tmp_path / "fresh.db") as fresh:
        # a newer extractor found an extra paragraph at the top: every offset moves
        new_ids = fill(fresh, page_factory, extra_first="A new first paragraph appeared.")
        report = import_annotations(fresh, data)
        assert report.matched == 3 and report.orphaned == 0
        for new in new_ids:
            text = fresh.get_article(new).text
            for a in fresh.annotations_for(new):
                if a.start is not None:
                    assert text[a.start : a.end] == a.exact
                    assert a.start > len("A new first paragraph appeared.")


@needs_archive
def test_unmatched_and_orphaned(tmp_path: Path, archive, page_factory) -> None:
    ids = fill(archive, page_factory)
    annotate(archive, ids)
    data = export_data(archive)
    data["articles"][0]["url"] = "https://elsewhere.example/"
    data["articles"][0]["sha256"] = ["0" * 64]
    data["articles"][1]["annotations"][0]["exact"] = "words that are not in the article at all"
    data["articles"][1]["annotations"][0]["prefix"] = ""
    data["articles"][1]["annotations"][0]["suffix"] = ""
    with Archive(tmp_path / "fresh.db") as fresh:
        new_ids = fill(fresh, page_factory)
        report = import_annotations(fresh, data)
        assert report.matched == 2
        assert report.unmatched == ["Article 0 <https://elsewhere.example/>"]
        assert report.orphaned == 1
        orphans = [a for a in fresh.annotations_for(new_ids[1]) if a.orphaned]
        assert [a.exact for a in orphans] == ["words that are not in the article at all"]
        again = import_annotations(fresh, data)
        assert again.added == 0


@needs_archive
def test_matches_by_sha256_without_url(tmp_path: Path, archive, page_factory) -> None:
    ids = fill(archive, page_factory)
    annotate(archive, ids)
    data = export_data(archive)
    assert data["articles"][2]["url"] is None
    with Archive(tmp_path / "fresh.db") as fresh:
        new_ids = fill(fresh, page_factory)
        import_annotations(fresh, data)
        assert comparable(fresh, new_ids[2]) == comparable(archive, ids[2])


def good() -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "articles": [
            {
                "url": "https://example.com/",
                "sha256": [],
                "title": "t",
                "tags": ["a"],
                "annotations": [
                    {"type": "highlight", "exact": "x", "start": 0, "end": 1, "color": "blue"},
                    {"type": "note", "note": "n"},
                ],
            }
        ],
    }


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="other"), "not a reader annotations export"),
        (lambda d: d.update(version=99), "version 99 is not supported"),
        (lambda d: d.update(articles={}), "articles: expected a list"),
        (lambda d: d["articles"].append(3), "articles[1]: expected an object"),
        (lambda d: d["articles"][0].update(url=None), "neither a url nor a sha256"),
        (lambda d: d["articles"][0].update(tags=[1]), "articles[0].tags[0]: expected a string"),
        (lambda d: d["articles"][0].update(starred="yes"), "articles[0].starred: expected bool"),
        (
            lambda d: d["articles"][0]["annotations"][0].update(start=True),
            "annotations[0].start: expected int or null",
        ),
        (
            lambda d: d["articles"][0]["annotations"][0].update(color="red"),
            "annotations[0].color: expected one of",
        ),
        (
            lambda d: d["articles"][0]["annotations"][0].update(exact=""),
            "annotations[0].exact: a highlight needs",
        ),
        (
            lambda d: d["articles"][0]["annotations"][1].update(type="x"),
            "annotations[1].type: expected",
        ),
        (
            lambda d: d["articles"][0]["annotations"][1].update(note=" "),
            "annotations[1].note: an article note needs text",
        ),
    ],
)
def test_validation_names_the_field(mutate, message: str) -> None:
    validate(good())
    data = good()
    mutate(data)
    with pytest.raises(ImportFormatError) as error:
        validate(data, "backup.json")
    assert str(error.value).startswith("backup.json: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "reader-annotations",\n "version": 1, oops}')
    with pytest.raises(ImportFormatError, match=r"bad\.json:2:\d+: not valid JSON"):
        load(bad)
    with pytest.raises(ImportFormatError, match=r"missing\.json: cannot read"):
        load(tmp_path / "missing.json")
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ImportFormatError, match=r"bad\.json: cannot read"):
        load(bad)
    bad.write_text(json.dumps([1, 2]))
    with pytest.raises(ImportFormatError, match="not a reader annotations export"):
        load(bad)


# --- hostile files: bounded, one line each --------------------------------------------


def _export_text(position: str = "1", extra: str = "") -> str:
    """An export's text with `position` and `extra` (raw JSON) written into its article."""
    return (
        '{"format": "reader-annotations", "version": 1, "articles": [\n'
        f' {{"url": "https://example.com/", "position": {position}{extra}}}]}}'
    )


def _error(text: str, where: str = "hostile.json") -> str:
    with pytest.raises(ImportFormatError) as error:
        loads(text, where)
    message = str(error.value)
    assert "\n" not in message and message.startswith(f"{where}:")
    return message


def test_deep_nesting_is_refused_with_its_place() -> None:
    """5,000 nested arrays made the JSON parser raise RecursionError."""
    assert _error("[" * 5_000 + "]" * 5_000) == (
        f"hostile.json:1:{MAX_DEPTH + 1}: nested more than {MAX_DEPTH} levels deep"
    )
    message = _error(_export_text(extra=', "extra": ' + '{"a": ' * 5_000 + "1" + "}" * 5_000))
    assert message.startswith("hostile.json:2:") and "nested more than" in message
    # Brackets inside strings are text, not nesting.
    assert loads(_export_text(extra=', "title": "' + "[{" * 5_000 + '"'))


def test_nesting_up_to_the_limit_is_read() -> None:
    nested = "[" * (MAX_DEPTH - 3) + "]" * (MAX_DEPTH - 3)
    assert loads(_export_text(extra=f', "extra": {nested}'))["articles"][0]["extra"]


def test_a_huge_number_is_refused_with_its_place() -> None:
    """A 100,000-digit integer made Python raise ValueError (the 4,300-digit limit)."""
    message = _error(_export_text(position="9" * 100_000))
    assert message == "hostile.json:2:46: a number 100,000 characters long"
    message = _error(_export_text(position="9" * 25))
    assert "articles[0].position: 9999999999999999999999999 is out of range" in message


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
def test_numbers_json_does_not_allow_are_refused(literal: str) -> None:
    text = _export_text(extra=f', "progress": {literal}')
    assert literal in _error(text)


def test_unpaired_surrogates_are_refused_by_field() -> None:
    message = _error(_export_text(extra=', "tags": ["ok", "bad \\udc80"]'))
    assert message.endswith(
        "articles[0].tags[1]: not valid Unicode (an unpaired surrogate, \\udc80)"
    )
    message = _error(_export_text(extra=', "title": "\\ud83d"'))
    assert "articles[0].title: not valid Unicode" in message
    # A pair is one character, and fine.
    assert loads(_export_text(extra=', "title": "\\ud83d\\ude00"'))["articles"][0]["title"] == "😀"


def test_a_wrong_value_is_described_briefly_however_big() -> None:
    message = _error(_export_text(extra=', "title": [' + "[1]," * 10_000 + "1]"))
    assert message.endswith("articles[0].title: expected str, got a list")
    message = _error(_export_text(extra=', "starred": "' + "y" * 100_000 + '"'))
    assert len(message) < 150


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text(_export_text(extra=', "title": "' + "x" * 5_000 + '"'))
    with pytest.raises(
        ImportFormatError, match=r"big\.json: 5(\.\d)? KB, larger than the 4 KB limit"
    ):
        load(big, max_size=4096)
    assert load(big, max_size=8192)["articles"][0]["title"] == "x" * 5_000


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    file = tmp_path / "bom.json"
    file.write_bytes(b"\xef\xbb\xbf" + _export_text().encode())
    assert load(file)["articles"][0]["position"] == 1
