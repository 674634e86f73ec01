"""Naming a folder's files: distinct, inside the folder, and the same on every run."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.export.files import Manifest, PlannedFile, write_files
from reader.export.folder import plan_names
from reader.export.gather import ExportItem
from reader.export.names import fold
from reader.export.render import article_fields, render_fields
from reader.models import Annotation, ArticleSummary

HOSTILE = ["CON", "../x", "Intro", "intro", "", "🎉"]


def rendered(titles: list[str]):
    out = []
    for i, title in enumerate(titles):
        article = ArticleSummary(id=i + 1, title=title, url=f"https://example.com/{i}")
        annotations = [Annotation(1, i + 1, 0, 1, exact="q")]
        item = ExportItem(article, annotations, (), f"url:{article.url}")
        out.append((item, article_fields(article, annotations), None))
    return out


def _plan_folder(manifest: Manifest, rendered) -> list[PlannedFile]:
    """The names `reader.export.folder` gives, as files to write (its naming alone)."""
    items = [item for item, _, _ in rendered]
    names = plan_names(manifest.folder, manifest, items)
    return [
        PlannedFile(name, render_fields(fields).encode(), item.key)
        for (name, _), (item, fields, _) in zip(names, rendered, strict=True)
    ]


@settings(max_examples=200)
@given(
    titles=st.lists(
        st.text(max_size=120) | st.sampled_from(["CON", "../x", "Intro", "intro"]), max_size=8
    )
)
def test_names_distinct_and_stable(titles: list[str], tmp_path_factory) -> None:
    folder = Path(tmp_path_factory.mktemp("plan"))
    planned = _plan_folder(Manifest(folder), rendered(titles))
    names = [p.name for p in planned]
    assert len({fold(n) for n in names}) == len(names)
    result = write_files(folder, Manifest(folder), planned)
    assert {p.resolve().parent for p in result.written} <= {folder.resolve()}
    # the next run, with the manifest, names every article the same, even if titles change
    again = _plan_folder(Manifest.load(folder), rendered([t + " (edited)" for t in titles]))
    assert [p.name for p in again] == names


def test_name_sticks_to_its_article_when_others_come_and_go(tmp_path: Path) -> None:
    first = _plan_folder(Manifest(tmp_path), rendered(["Intro", "Intro"]))
    assert first[0].name == "Intro.md"
    write_files(tmp_path, Manifest(tmp_path), first)
    # exporting only the second article later keeps its name, and the first keeps "Intro.md"
    only_second = rendered(["Intro", "Intro"])[1:]
    again = _plan_folder(Manifest.load(tmp_path), only_second)
    assert [p.name for p in again] == [first[1].name]
