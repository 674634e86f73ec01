"""HighlightFilter: which highlights a listing keeps, by colour and by the highlight's
own tags (the search language's color: and htag: words, reader.query, make one)."""

from __future__ import annotations

from dataclasses import dataclass

from reader.models import Annotation


@dataclass(frozen=True)
class HighlightFilter:
    """Which highlights: of one of `colors` (any, when empty), tagged with every one of
    `tags`, of none of the excluded colours and tags."""

    colors: tuple[str, ...] = ()
    excluded_colors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    excluded_tags: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == HighlightFilter()

    def keeps(self, annotation: Annotation) -> bool:
        """Whether `annotation` is a highlight this filter selects (an empty filter
        keeps every annotation, article notes too)."""
        if self.is_empty:
            return True
        if annotation.is_article_note:
            return False
        if self.colors and annotation.color not in self.colors:
            return False
        if annotation.color in self.excluded_colors:
            return False
        have = {tag.casefold() for tag in annotation.tags}
        return all(tag.casefold() in have for tag in self.tags) and not any(
            tag.casefold() in have for tag in self.excluded_tags
        )
