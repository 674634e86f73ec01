"""The document model's derived values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.document import Block, Document

_STEP = 2**20  # word_count counts a megabyte at a time


@given(
    st.lists(st.text(st.sampled_from("ab \n\t\u00a0\u3000é"), max_size=20), min_size=1, max_size=5),
    st.integers(min_value=-3, max_value=3),
)
def test_word_count_is_the_number_of_whitespace_separated_words(
    texts: list[str], shift: int
) -> None:
    """Counted in pieces for a big text, words cut by a piece's edge counted once."""
    head = "w" * (_STEP + shift - 2)  # one word up to the edge, give or take
    blocks = [Block("paragraph", head + texts[0]), *(Block("paragraph", t) for t in texts[1:])]
    document = Document(tuple(blocks))
    assert document.word_count == len(document.text.split())
    small = Document(tuple(Block("paragraph", t) for t in texts))
    assert small.word_count == len(small.text.split())
