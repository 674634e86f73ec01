"""`reader export` and `reader import-annotations` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import Archive
from reader.cli import main

NEEDED = ("add_article", "add_highlight", "restore_annotation", "iter_annotations")
needs_archive = pytest.mark.skipif(
    not all(hasattr(Archive, name) for name in NEEDED),
    reason="archive article/annotation API not there yet",
)


@pytest.fixture
def db(tmp_path: Path, page_factory) -> Path:
    path = tmp_path / "archive.db"
    if not all(hasattr(Archive, name) for name in NEEDED):
        return path
    with Archive(path) as archive:
        for i, title in enumerate(["../../etc/passwd", "Second [bold]red[/] article"]):
            page, raw = page_factory(
                title, [f"Para one {i}.", f"Para two {i}."], url=f"https://e.com/{i}"
            )
            article_id = archive.add_article(page, raw, tags=["t"])
            archive.add_highlight(article_id, 0, 11, note="a *note*")
        page, raw = page_factory("Plain", ["Nothing marked."], url="https://e.com/p")
        archive.add_article(page, raw)
    return path


def run(db: Path, *args: str):
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result


def one_line_error(result) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@needs_archive
def test_export_folder_then_nothing_changes(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    result = run(db, "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "2 written, 0 unchanged" in result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [".reader-export.json", "Second bold red article.md", "etc passwd.md"]
    assert not (tmp_path / "etc").exists()
    result = run(db, "export", "--out", str(out))
    assert "0 written, 2 unchanged" in result.output
    result = run(db, "export", "--out", str(out), "--all")
    assert "1 written, 2 unchanged" in result.output


@needs_archive
def test_export_query_to_stdout(db: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(db), "export", "passwd", "--out", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("---\n")
    assert "# ../../etc/passwd" in result.stdout
    assert "Second" not in result.stdout
    assert "Exported 1 highlight and 0 notes from 1 article" in result.stderr


@needs_archive
def test_conflict_is_one_line_naming_the_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "etc passwd.md").write_text("mine")
    line = one_line_error(run(db, "export", "--out", str(out)))
    assert "etc passwd.md" in line and "--force" in line
    assert (out / "etc passwd.md").read_text() == "mine"
    assert run(db, "export", "--out", str(out), "--force").exit_code == 0
    assert (out / "etc passwd.md").read_text() != "mine"


@needs_archive
def test_template(db: Path, tmp_path: Path) -> None:
    template = tmp_path / "t.j2"
    template.write_text("{{ title_md }}: {% for h in highlights %}{{ h.quote | md }}{% endfor %}\n")
    result = CliRunner().invoke(
        main, ["--db", str(db), "export", "--out", "-", "--template", str(template)]
    )
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == "../../etc/passwd: Para one 0.\n\nSecond \\[bold\\]red\\[/\\] article: Para one 1.\n"
    )
    template.write_text("{% if %}")
    line = one_line_error(run(db, "export", "--out", "-", "--template", str(template)))
    assert str(template) in line


@needs_archive
def test_json_round_trip_cli(db: Path, tmp_path: Path, page_factory) -> None:
    backup = tmp_path / "backup.json"
    result = run(db, "export", "--format", "json", "--out", str(backup))
    assert result.exit_code == 0, result.output
    data = json.loads(backup.read_text())
    assert len(data["articles"]) == 3
    fresh = tmp_path / "fresh.db"
    with Archive(fresh) as archive:
        page, raw = page_factory("Plain", ["Nothing marked."], url="https://e.com/p")
        archive.add_article(page, raw)
        page, raw = page_factory(
            "../../etc/passwd", ["Para one 0.", "Para two 0."], url="https://e.com/0"
        )
        archive.add_article(page, raw)
    result = run(fresh, "import-annotations", str(backup))
    assert result.exit_code == 0, result.output
    assert "2 of 3 articles found; 1 annotation restored" in result.output
    assert "Second [bold]red[/] article <https://e.com/1>" in result.output
    result = run(fresh, "import-annotations", str(backup))
    assert "0 annotations restored, 1 already present" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["export", "--out", "x", "--since", "soon"], "--since 'soon': not a date"),
        (["export", "--out", "x", "--format", "json", "--since", "7d"], "--since apply"),
        (["export", "--out", "x", "tag:"], "query:"),
        (["export", "--out", "x", "--preset", "plain", "--template", "t.j2"], "give one"),
        (["export", "--out", "x", "--format", "json", "--pull"], "--pull apply"),
        (["export", "--out", "x.md", "--pull"], "--pull reads a folder"),
    ],
)
def test_bad_options_are_one_line(db: Path, args: list[str], expected: str) -> None:
    line = one_line_error(run(db, *args))
    assert expected in line


def test_import_bad_file_is_one_line(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    line = one_line_error(run(db, "import-annotations", str(bad)))
    assert "bad.json:1:2: not valid JSON" in line
    bad.write_text(json.dumps({"format": "reader-annotations", "version": 1, "articles": [{}]}))
    line = one_line_error(run(db, "import-annotations", str(bad)))
    assert "articles[0]" in line


@needs_archive
def test_export_without_out_writes_to_the_config_files_folder(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("READER_CONFIG", str(config))
    result = run(db, "export")  # a usage error, as click's own for a missing option
    assert result.exit_code == 2
    assert "Error: Missing option '--out' (or export_folder in the config file)." in result.output
    config.write_text('export_folder = "notes"\n')  # relative to the config file's folder
    result = run(db, "export")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "notes").glob("*.md"))) == 2
