"""The articles an export covers, with their annotations and their identity across runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.models import Annotation, ArticleSummary

if TYPE_CHECKING:
    from reader.archive import Archive
    from reader.query import HighlightFilter


@dataclass(frozen=True)
class ExportItem:
    """One article to export with the annotations to show and its identity across runs."""

    article: ArticleSummary
    annotations: list[Annotation]
    tags: tuple[str, ...]
    key: str


def gather(
    archive: Archive,
    article_ids: Sequence[int] | None,
    *,
    since: str | None = None,
    include_all: bool = False,
    complete: bool = False,
    highlights: HighlightFilter | None = None,
) -> list[ExportItem]:
    """The articles to export with their annotations, in the order given (else by id).

    `since` keeps the annotations changed after it; with `complete`, an article with
    any such change comes with all its annotations (a folder's files stay whole).
    """
    selected = list(article_ids) if article_ids is not None else None
    groups: dict[int, list[Annotation]] = {}
    for annotation in archive.iter_annotations(selected, since):
        groups.setdefault(annotation.article_id, []).append(annotation)
    if since and complete:
        groups = {article_id: list(archive.annotations_for(article_id)) for article_id in groups}
    if highlights is not None and not highlights.is_empty:  # color:/htag: keep those only
        kept = {key: [a for a in group if highlights.keeps(a)] for key, group in groups.items()}
        groups = {key: group for key, group in kept.items() if group}
    if include_all:
        order = selected if selected is not None else sorted(archive.article_ids(""))
    elif selected is not None:
        order = [article_id for article_id in selected if article_id in groups]
    else:
        order = sorted(groups)
    items: list[ExportItem] = []
    keys: set[str] = set()
    for article_id in dict.fromkeys(order):
        article = archive.get_summary(article_id)
        if article is None:  # deleted while we were exporting
            continue
        key = f"url:{article.url}" if article.url else f"id:{article.id}"
        if key in keys:
            key = f"id:{article.id}"
        keys.add(key)
        tags = tuple(archive.tags_of(article_id))
        items.append(ExportItem(article, groups.get(article_id, []), tags, key))
    return items
