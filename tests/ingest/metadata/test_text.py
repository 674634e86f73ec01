"""reader.ingest.metadata.text: the one shape of a metadata string."""

from __future__ import annotations

import pytest

from reader.ingest.metadata.text import clean_text


@pytest.mark.parametrize(
    ("value", "clean"),
    [
        ("Caf&eacute; &amp; bar", "Café & bar"),
        ("And finally&amp;#8230; trouble brewing", "And finally… trouble brewing"),  # escaped twice
        ("  two\nlines\x07 ", "two lines"),
        ("AT&T's plan", "AT&T's plan"),  # an ampersand that starts no entity stays
        (None, ""),
    ],
)
def test_clean_text(value: str | None, clean: str) -> None:
    assert clean_text(value) == clean
