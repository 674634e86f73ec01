"""`reader export --format json` and `reader import-annotations`: the user's data as JSON.

The file holds what a user cannot get back by importing their saved pages again: for
every article its identity (URL, the SHA-256 of its original files, title), metadata,
tags, reading state and annotations with their W3C TextQuoteSelectors. Importing it
into an archive where the same pages were imported matches each article by URL, else
by an original's SHA-256, re-anchors each highlight against the article's text there
(`reader.anchor.locate`), and skips what is already present, so it can run twice.

A missing page (an article known from another service's export, its page not imported
yet) is in the file too, marked `"missing": true`. Restored where no article has its
URL, it is a missing page again, with the same URL keys, so a page imported later
fills it; where the archive has that page, its waiting highlights are placed on it.
What such a record knows is merged (reader.archive.ItemStore.merge_item: tags united,
states set where it says so, the earlier saved time), never put over the user's data.
Reading and checking a file, which is untrusted input, is `reader.export.userdata_file`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reader.export.files import WriteResult
from reader.export.userdata_file import FORMAT, VERSION, load, validate
from reader.hashtags import valid_tags
from reader.models import Annotation, Article
from reader.textrules import strip_controls

if TYPE_CHECKING:  # the caller opens the archive; this module only reads and writes it
    from reader.archive import Archive, KnownItem

Progress = Callable[[int, int], None]


@dataclass
class ImportAnnotationsReport:
    articles: int = 0  # articles in the file
    matched: int = 0
    unmatched: list[str] = field(default_factory=list)  # "title <url>" of each
    added: int = 0  # annotations restored
    present: int = 0  # annotations already in the archive (a second run)
    orphaned: int = 0  # highlights whose quote is no longer in the article's text
    waiting: int = 0  # highlights kept as quotes until their missing page is imported
    missing: int = 0  # missing pages made again (no article had their URL)
    tags_added: int = 0
    bad_tags: list[str] = field(default_factory=list)  # names the archive refuses
    states_changed: int = 0


# --- Export -----------------------------------------------------------------------


def annotation_record(annotation: Annotation) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "note" if annotation.is_article_note else "highlight",
    }
    if not annotation.is_article_note:
        record.update(
            start=annotation.start,
            end=annotation.end,
            exact=annotation.exact,
            prefix=annotation.prefix,
            suffix=annotation.suffix,
            color=annotation.color,
            orphaned=annotation.orphaned,
        )
        if annotation.tags:  # the highlight's own tags (#22); absent when it has none
            record["tags"] = list(annotation.tags)
    record.update(
        note=annotation.note,
        created_at=annotation.created_at,
        updated_at=annotation.updated_at,
    )
    return record


def article_record(archive: Archive, article_id: int) -> dict[str, Any] | None:
    article = archive.get_summary(article_id)
    if article is None:
        return None
    original = archive.original_of(article_id)
    record = {
        "url": article.url,
        "sha256": [original.sha256] if original is not None else [],
        "title": article.title,
        "byline": article.byline,
        "site_name": article.site_name,
        "published": article.published,
        "lang": article.lang,
        "added_at": article.added_at,
        "starred": article.starred,
        "read_at": article.read_at,
        "archived_at": article.archived_at,
        "progress": article.progress,
        "position": article.position,
        "tags": list(archive.tags_of(article_id)),
        "annotations": [annotation_record(a) for a in archive.annotations_for(article_id)],
    }
    if article.missing:  # only then: the file of an archive without any stays as it was
        record["missing"] = True
    return record


def export_data(
    archive: Archive, article_ids: Sequence[int] | None = None, *, progress: Progress | None = None
) -> dict[str, Any]:
    """The user's data for `article_ids` (None: the whole archive) as a JSON-ready dict.

    Nothing in it depends on the time of the export, so unchanged data gives the same file.
    """
    ids = list(article_ids) if article_ids is not None else sorted(archive.article_ids(""))
    articles = []
    for done, article_id in enumerate(ids, 1):
        record = article_record(archive, article_id)
        if record is not None:
            articles.append(record)
        if progress is not None:
            progress(done, len(ids))
    return {"format": FORMAT, "version": VERSION, "articles": articles}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def export_json(
    archive: Archive,
    out: Path | str,
    article_ids: Sequence[int] | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
    stdout: TextIO | None = None,
) -> tuple[dict[str, Any], WriteResult | None]:
    """Write `export_data` to `out` (a file, a folder for `reader-annotations.json`, or `-`).

    Returns the data and what was written (None for standard output).
    """
    import sys

    from reader.export.markdown import write_single

    data = export_data(archive, article_ids, progress=progress)
    text = dumps(data)
    if str(out) == "-":
        stream = stdout if stdout is not None else sys.stdout
        stream.write(text)
        stream.flush()
        return data, None
    path = Path(out)
    if path.is_dir() or not path.suffix:
        path = path / "reader-annotations.json"
    return data, write_single(path, text.encode(), force=force, key="json")


# --- Import -----------------------------------------------------------------------


def find_article(archive: Archive, record: dict[str, Any]) -> int | None:
    """The archive's article for `record`: by URL first (compared as reader.urls.url_key
    does), else by an original's SHA-256; a missing page with neither (a book from
    Readwise) by its title and author."""
    url = record.get("url") or None
    hashes = [h for h in record.get("sha256", []) if h]
    if url:
        found = archive.find_duplicate(url, hashes[0] if hashes else "")
        if found is not None:
            return found
    for digest in hashes:
        found = archive.find_duplicate(None, digest)
        if found is not None:
            return found
    if not url and not hashes and record.get("missing") and record.get("title"):
        return archive.article_for_title(record["title"], record.get("byline"))
    return None


def known_item(record: dict[str, Any]) -> KnownItem | None:
    """What a missing page's record knows, cleaned (the file is untrusted) as an
    export's entry is; None when it names no page (a URL that is no web page's, and no
    title to tell it by)."""
    from datetime import datetime

    from reader.archive import KnownItem
    from reader.importer.services import MAX_FIELD, MAX_TITLE
    from reader.textrules import clean_line
    from reader.urls import MAX_URL, url_key

    def line(name: str, limit: int = MAX_FIELD) -> str | None:
        value = record.get(name)
        if not isinstance(value, str):
            return None
        return clean_line(value)[:limit] or None

    def moment(name: str) -> str | None:
        """A time the archive can sort by, else None (added_at: now)."""
        value = line(name)
        if value is None:
            return None
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return None
        return value

    url = line("url", MAX_URL + 1)  # one past: a longer URL has no key, and is refused
    title = line("title", MAX_TITLE)
    if (url is not None and url_key(url) is None) or (url is None and not title):
        return None
    return KnownItem(
        url=url,
        title=title,
        byline=line("byline"),
        site_name=line("site_name"),
        published=line("published"),
        lang=line("lang"),
        added_at=moment("added_at"),
        read_at=moment("read_at"),
        archived_at=moment("archived_at"),
        starred=bool(record.get("starred")),
        progress=record.get("progress"),
    )


def import_annotations(
    archive: Archive, data: dict[str, Any] | Path, *, progress: Progress | None = None
) -> ImportAnnotationsReport:
    """Restore an export's tags, states and annotations into `archive`; see the module doc.

    Each article is restored in one transaction. Raises ImportFormatError for a file
    that is not an export (before changing anything).
    """
    if isinstance(data, Path):
        data = load(data)
    else:
        validate(data)
    report = ImportAnnotationsReport(articles=len(data["articles"]))
    for done, record in enumerate(data["articles"], 1):
        if record.get("missing"):
            _restore_missing(archive, record, report)
            if progress is not None:
                progress(done, report.articles)
            continue
        article_id = find_article(archive, record)
        if article_id is None:
            report.unmatched.append(_unmatched_label(record))
        else:
            report.matched += 1
            with archive.write():
                _restore_article(archive, article_id, record, report)
        if progress is not None:
            progress(done, report.articles)
    return report


def _unmatched_label(record: dict[str, Any]) -> str:
    label = " ".join((record.get("title") or "").split()) or "(untitled)"
    if len(label) > 80:
        label = label[:79] + "…"
    if record.get("url"):
        label += f" <{record['url']}>"
    return label


def _restore_missing(
    archive: Archive, record: dict[str, Any], report: ImportAnnotationsReport
) -> None:
    """A missing page's record, in one transaction: into the article that has its URL
    (a page or a missing page: merged), else a missing page made again."""
    known = known_item(record)
    with archive.write():
        article_id = find_article(archive, record)
        if article_id is None:
            if known is None:
                report.unmatched.append(_unmatched_label(record))
                return
            article_id = archive.add_missing(known)
            report.missing += 1
        else:
            report.matched += 1
        _restore_article(archive, article_id, record, report, merge=known)


def _restore_article(
    archive: Archive,
    article_id: int,
    record: dict[str, Any],
    report: ImportAnnotationsReport,
    *,
    merge: KnownItem | None = None,
) -> None:
    """Tags, states and annotations of `record` into the article; `merge`: what a
    missing page's record knows, merged rather than restored over the article's."""
    from reader.anchor import TextQuoteSelector, locate, make_selector
    from reader.archive.tags import clean_tag_name

    article = archive.get_article(article_id)
    if article is None:
        return  # deleted since find_article found it: nothing to restore into

    have = {t.casefold() for t in archive.tags_of(article_id)}
    new_tags: list[str] = []
    for name in record.get("tags", []):
        try:
            tag = clean_tag_name(strip_controls(name))
        except ValueError:
            report.bad_tags.append(name[:100])
            continue
        if tag.casefold() not in have:
            have.add(tag.casefold())
            new_tags.append(tag)
    if new_tags:
        archive.add_tags([article_id], new_tags)
        report.tags_added += len(new_tags)
    if merge is not None:
        report.states_changed += archive.merge_item(article_id, merge)
    elif not record.get("missing"):
        report.states_changed += _restore_state(archive, article, record)

    existing = list(archive.annotations_for(article_id))
    highlights = {(a.start, a.end, a.exact): a.id for a in existing if not a.is_article_note}
    orphans = {a.exact for a in existing if not a.is_article_note and a.orphaned}
    notes = {a.note.strip() for a in existing if a.is_article_note}
    text = article.text
    for item in record.get("annotations", []):
        note_text = strip_controls(item.get("note", ""))
        if item["type"] == "note":
            if note_text.strip() in notes:
                report.present += 1
                continue
            restored = Annotation(
                id=0,
                article_id=article_id,
                start=None,
                end=None,
                note=note_text,
                created_at=item.get("created_at", ""),
                updated_at=item.get("updated_at", ""),
            )
            archive.restore_annotation(restored)
            notes.add(note_text.strip())
            report.added += 1
            continue
        exact = strip_controls(item["exact"])
        selector = TextQuoteSelector(
            exact, strip_controls(item.get("prefix", "")), strip_controls(item.get("suffix", ""))
        )
        found = locate(text, selector, hint=item.get("start"))
        if found is not None:
            start, end = found
            key = (start, end, text[start:end])
            if key in highlights:
                # Here already: it keeps its tags and takes the backup's too.
                archive.tag_highlight(highlights[key], add=valid_tags(item.get("tags", [])))
                report.present += 1
                continue
            orphaned = False
            # Found again (maybe fuzzily): the selector describes the text as it is now.
            selector = make_selector(text, start, end)
        else:
            if exact in orphans:
                report.present += 1
                continue
            start, end = item.get("start"), item.get("end")
            # An orphan keeps its quote and notes; its offsets only place it roughly.
            start = min(max(start or 0, 0), len(text))
            end = min(max(end or start, start), len(text))
            orphaned = True
        restored = Annotation(
            id=0,
            article_id=article_id,
            start=start,
            end=end,
            exact=selector.exact,
            prefix=selector.prefix,
            suffix=selector.suffix,
            note=note_text,
            color=item.get("color", "yellow"),
            orphaned=orphaned,
            created_at=item.get("created_at", ""),
            updated_at=item.get("updated_at", ""),
            tags=tuple(item.get("tags", [])),
        )
        restored_id = archive.restore_annotation(restored)
        if orphaned:
            orphans.add(exact)
            if article.missing:
                report.waiting += 1
            else:
                report.orphaned += 1
        else:
            highlights[(start, end, text[start:end])] = restored_id
        report.added += 1


def _restore_state(archive: Archive, article: Article, record: dict[str, Any]) -> int:
    """Starred, read, archived and reading position as the export had them."""
    changed = 0
    if "starred" in record and bool(record["starred"]) != article.starred:
        archive.set_starred(article.id, bool(record["starred"]))
        changed += 1
    if "read_at" in record and (record["read_at"] is not None) != article.is_read:
        archive.set_read(article.id, record["read_at"] is not None)
        changed += 1
    if "archived_at" in record and (record["archived_at"] is not None) != article.is_archived:
        archive.set_archived(article.id, record["archived_at"] is not None)
        changed += 1
    position = record.get("position", article.position)
    progress = float(record.get("progress", article.progress))
    if (position, progress) != (article.position, article.progress):
        archive.save_position(article.id, position, progress)
        changed += 1
    return changed
