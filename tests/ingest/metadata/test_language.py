"""Language: declared tags normalised, and the guess for pages that declare none."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.metadata.language import clean_lang, guess_language


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("en", "en"),
        ("EN_us", "en-US"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("en-US,en;q=0.9", "en-US"),
        # Deprecated and overlong codes in their standard form (langcodes).
        ("iw", "he"),
        ("en-UK", "en-GB"),
        ("eng", "en"),
        ("en-a", None),
        ("not a language", None),
        ("", None),
    ],
)
def test_clean_lang(raw: str, expected: str | None) -> None:
    assert clean_lang(raw) == expected


# --- language guess for undeclared pages --------------------------------------------------

EN = "The council said that it was going to look at the costs of the barrier, and that "
FR = "Le conseil a dit que la barrière est trop chère pour la ville et que les habitants "
DE = "Der Rat sagte, dass die Kosten für die Mauer nicht zu hoch sind und dass es sich "


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EN * 5, "en"),
        (FR * 5, "fr"),
        (DE * 5, "de"),
        ("これは日本語の文章です。ひらがなとカタカナが入っています。" * 5, "ja"),
        ("这是一个中文句子，没有假名，只有汉字和标点符号。" * 5, "zh"),
        ("Это русский текст о реке, которая снова вышла из берегов." * 3, "ru"),
        ("한국어 문장은 한글로 씁니다. 강이 다시 넘쳤습니다." * 5, "ko"),
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod " * 5, None),
        ("too short", None),
    ],
)
def test_guess_language(text: str, expected: str | None) -> None:
    assert guess_language(text) == expected


def test_declared_language_wins_over_the_guess() -> None:
    from reader.ingest.extract import extract_page
    from reader.ingest.page import RawPage

    body = f"<article><p>{FR * 6}</p></article>"
    for html, expected in (
        (f"<html lang='en'><body>{body}</body></html>", "en"),
        (f"<html><body>{body}</body></html>", "fr"),
    ):
        data = html.encode()
        page = extract_page(RawPage(data=data, html=data, filename="x.html", kind="html"))
        assert page.lang == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Latin-script languages the old stopword counts did not know.
        ("Joki tulvi taas yöllä, ja kaupunginvaltuusto päätti rakentaa uuden padon. " * 4, "fi"),
        ("A folyó ismét kilépett a medréből, és a város új gátat akar építeni. " * 4, "hu"),
        (
            "Floden gik over sine bredder igen i nat, og byrådet vil bygge en ny dæmning "
            "ved havnen. " * 4,
            "da",
        ),
        # Code is no language.
        ("for (i = 0; i < n; i++) { x[i] = y[i] * 2; } " * 8, None),
    ],
)
def test_guess_language_latin_script(text: str, expected: str | None) -> None:
    assert guess_language(text) == expected


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_a_guess_is_a_standard_tag_or_none(text: str) -> None:
    guess = guess_language(text)
    assert guess is None or clean_lang(guess) == guess
