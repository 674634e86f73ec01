"""Hypothesis over edit sequences (#22): the user inserts lines anywhere outside reader's
blocks and rewrites notes in the file, reader adds and deletes highlights, export runs
again, and again: no line of the user's is ever lost or reordered, reader's part is
always what a fresh export writes, and every note rewritten in the file is reader's."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import Archive
from reader.export import MANIFEST_NAME, export_markdown
from reader.export.blocks import LAYOUTS, id_names, note_of, parse_file
from reader.export.files import Manifest
from reader.export.presets import PRESETS, render_preset
from reader.export.render import article_fields

from .conftest import make_page

PARAGRAPHS = [f"Paragraph {word} of the story." for word in "ABCDEFGH"]

user_line = st.builds(
    lambda prefix, words: f"{prefix}{words}".rstrip(),
    st.sampled_from(["", "", "# ", "- ", "> ", "* ", "    "]),
    st.text(alphabet="abcdefgh xyz", min_size=1, max_size=16),
)
edit_round = st.fixed_dictionaries(
    {
        # where: a fraction of the free places, or (an int) right above the n-th block
        "inserts": st.lists(st.tuples(st.floats(0, 1) | st.integers(0, 5), user_line), max_size=5),
        "rewrites": st.lists(st.integers(0, 7), max_size=2),
        "add": st.lists(st.integers(0, 7), max_size=2),
        "delete": st.lists(st.sampled_from([1, 3, 5, 1, 3, 5, 2, 6]), max_size=2),
    }
)


def keys_of(archive: Archive, article_id: int) -> list[str]:
    return [
        f"{'note' if a.is_article_note else 'hl'}-{a.id}"
        for a in archive.annotations_for(article_id)
    ]


def first_lines(out: Path) -> dict[str, list[str]]:
    """Each block's first line as the manifest says reader wrote it."""
    [entry] = Manifest.load(out).files.values()
    return {key: [block["first"]] for key, block in entry["blocks"].items()}


def part(text: str, preset: str, keys: list[str], first: dict[str, list[str]]) -> list[str]:
    parsed = parse_file(text, LAYOUTS[preset], id_names(keys), first)
    return ["".join(parsed.block_lines(b)) for b in parsed.blocks]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(preset=st.sampled_from(PRESETS), rounds=st.lists(edit_round, min_size=1, max_size=3))
def test_edit_sequences_never_lose_a_users_line(
    tmp_path_factory, preset: str, rounds: list[dict]
) -> None:
    root = Path(tmp_path_factory.mktemp("sequence"))
    out = root / "notes"
    with Archive(root / "archive.db") as archive:
        page, raw = make_page("Story", PARAGRAPHS, url="https://example.com/s")
        article = archive.add_article(page, raw)
        text = archive.get_article(article).text

        def highlight(index: int, note: str) -> None:
            start = text.index(PARAGRAPHS[index])
            archive.add_highlight(article, start, start + len(PARAGRAPHS[index]), note=note)

        for index in (1, 3, 5):
            highlight(index, f"note {index}")
        archive.add_article_note(article, "Overall note")
        export_markdown(archive, None, out, preset=preset)
        mine: set[str] = set()
        counter = 0
        for number, edit in enumerate(rounds):
            [path] = [p for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME]
            current = path.read_text()
            keys = keys_of(archive, article)
            layout = LAYOUTS[preset]
            parsed = parse_file(current, layout, id_names(keys), first_lines(out))
            lines = parsed.lines
            head = current[: len(current) - len("".join(lines))]
            inside = {i for b in parsed.blocks for i in range(b.start + 1, b.end + 1)}
            free = [i for i in range(len(lines) + 1) if i not in inside]
            # rewrite notes of highlights that have one (by their text, which is unique)
            by_key = {f"hl-{a.id}": a for a in archive.annotations_for(article)}
            rewritten: dict[int, str] = {}
            noted = [b for b in parsed.blocks if b.key in by_key and by_key[b.key].note]
            for pick in edit["rewrites"]:
                if not noted:
                    break
                annotation = by_key[noted[pick % len(noted)].key]
                if annotation.id in rewritten:
                    continue
                new = f"rewritten {number} {annotation.id}"
                block = next(b for b in parsed.blocks if b.key == f"hl-{annotation.id}")
                for i in range(block.start, block.end + 1):
                    lines[i] = lines[i].replace(annotation.note, new)
                rewritten[annotation.id] = new
            starts = [b.start for b in parsed.blocks]
            for where, words in edit["inserts"]:
                counter += 1
                line = f"{words} u{counter}" if words.strip() else f"u{counter}"
                mine.add(line)
                if isinstance(where, int) and starts:
                    at = starts[where % len(starts)]
                else:
                    at = free[int(float(where) * (len(free) - 1))]
                starts = [s if s < at else s + 1 for s in starts]
                lines.insert(at, line + "\n")
                free = [i if i < at else i + 1 for i in free]
                free.append(at)  # before and after the new line are both free
                free.sort()
            edited = head + "".join(lines)
            path.write_text(edited)
            order = [line.rstrip("\n") for line in edited.splitlines() if line in mine]
            # meanwhile in reader: highlights added (not on one rewritten) and deleted
            present = {a.exact: a for a in archive.annotations_for(article) if a.exact}
            for index in edit["add"]:
                if PARAGRAPHS[index] not in present:
                    highlight(index, f"added {number} {index}")
            for index in edit["delete"]:
                gone = present.get(PARAGRAPHS[index])
                if gone is not None and gone.id not in rewritten:
                    archive.delete_annotation(gone.id)

            report = export_markdown(archive, None, out, preset=preset)
            assert report.conflicts == []
            merged = path.read_text()
            assert [ln for ln in merged.splitlines() if ln in mine] == order
            keys = keys_of(archive, article)
            summary = archive.get_summary(article)
            assert summary is not None
            fields = article_fields(summary, archive.annotations_for(article), [])
            first = first_lines(out)
            fresh = render_preset(preset, fields)
            assert part(merged, preset, keys, first) == part(fresh, preset, keys, first)
            notes = {a.id: a.note for a in archive.annotations_for(article)}
            for annotation_id, new in rewritten.items():
                assert notes[annotation_id] == new
            # every block of reader's reads back its note
            again = parse_file(merged, LAYOUTS[preset], id_names(keys), first)
            for b in again.blocks:
                note = note_of(LAYOUTS[preset], b.key, again.block_lines(b))
                assert note is not None
