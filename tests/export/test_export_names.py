"""File names from hostile titles: inside the folder, portable, stable, distinct."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pathvalidate import is_valid_filename

from reader.export.names import (
    MAX_STEM_BYTES,
    MAX_STEM_CHARS,
    UNTITLED,
    article_filename,
    fold,
    slugify,
)

WINDOWS_FORBIDDEN = set('<>:"/\\|?*')
WINDOWS_DEVICES = (
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def assert_portable(name: str) -> None:
    stem = name.removesuffix(".md")
    assert stem, name
    assert not any(c in WINDOWS_FORBIDDEN or ord(c) < 32 for c in name), name
    assert not name.startswith("."), name
    assert stem == stem.strip(" ."), name
    assert stem.split(".")[0].casefold() not in WINDOWS_DEVICES, name
    assert len(name.encode()) <= 255, name
    assert name not in (".", "..")
    assert is_valid_filename(name, platform="universal"), name


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("../../etc/passwd", "etc passwd"),
        ("/absolute/path", "absolute path"),
        ("a\\b\\c", "a b c"),
        ("CON", "CON_"),
        ("nul", "nul_"),
        ("aux.txt", "aux txt"),
        ("LPT1", "LPT1_"),
        ("com¹", "com¹_"),
        ("", UNTITLED),
        ("   ", UNTITLED),
        ("...", UNTITLED),
        ("🎉🎉🎉", UNTITLED),
        ("Party 🎉 time", "Party time"),
        ("Über die Brücke", "Über die Brücke"),
        ("日本語のタイトル", "日本語のタイトル"),
        ("What's new? (2024)", "What's new (2024)"),
        ("C# & .NET: a <b>guide</b>", "C & NET a b guide b"),
        (".hidden", "hidden"),
        ("[[wiki|link]] #tag ^block", "wiki link tag block"),
        ("---", UNTITLED),
    ],
)
def test_slugify_examples(title: str, expected: str) -> None:
    assert slugify(title) == expected
    assert_portable(slugify(title) + ".md")


def test_long_title_cut_at_a_word() -> None:
    title = "word " * 100
    stem = slugify(title)
    assert len(stem) <= MAX_STEM_CHARS
    assert stem.endswith("word")


def test_long_multibyte_title_within_byte_limit() -> None:
    stem = slugify("𝔘" * 300)  # 4 bytes each in UTF-8
    assert len(stem.encode()) <= MAX_STEM_BYTES
    assert stem


def test_combining_mark_stays_with_its_letter() -> None:
    title = "a" * (MAX_STEM_CHARS - 1) + "e\u0301xyz"
    stem = slugify(title)
    assert not stem.endswith("e")  # the accent would have been cut off its e


@settings(max_examples=500)
@given(title=st.text(max_size=400))
def test_any_title_gives_a_portable_name_inside_the_folder(title: str, tmp_path_factory) -> None:
    name = article_filename(title, "url:https://example.com/x")
    assert_portable(name)
    folder = tmp_path_factory.getbasetemp() / "names"
    folder.mkdir(exist_ok=True)
    target = folder / name
    target.write_text("x")  # the file system takes it, and it lands in the folder
    assert target.resolve().parent == folder.resolve()
    assert Path(name).name == name
    target.unlink()


@given(st.text(max_size=100))
def test_slugify_is_stable(title: str) -> None:
    assert slugify(title) == slugify(title)
    assert article_filename(title, "k", {"x"}) == article_filename(title, "k", {"x"})


def test_same_title_gets_a_distinct_name_case_insensitively() -> None:
    taken = {fold("Intro.md")}
    first = article_filename("intro", "url:a", taken)
    assert fold(first) != fold("Intro.md")
    assert first.startswith("intro ")
    second = article_filename("intro", "url:b", taken | {fold(first)})
    assert fold(second) not in taken | {fold(first)}
    # the disambiguated name depends on the article, not on the order of the run
    assert article_filename("intro", "url:a", taken) == first
