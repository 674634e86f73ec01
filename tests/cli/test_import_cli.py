"""`reader import` through click's CliRunner on a real archive: summary, bad input, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.archive import Archive
from reader.cli import main

from ..importer.pages import (
    CYRILLIC_PARAGRAPHS,
    CYRILLIC_TITLE,
    article_html,
    mhtml,
    write_page,
)


def run(db: Path, *args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], input=input)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    saved = tmp_path / "saved"
    write_page(saved, "a.html", "First article", url="https://example.com/first")
    write_page(saved, "b.html", "Second article", url="https://example.com/second")
    write_page(saved, "a_files/frame.html", "An iframe, not an article")
    return saved


def test_import_folder_prints_a_summary(archive_path: Path, folder: Path) -> None:
    result = run(archive_path, "import", str(folder), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Imported 2 articles (#1, #2), 0 failed" in result.stdout
    with Archive(archive_path) as archive:
        assert archive.article_count() == 2


def test_reimport_says_duplicate_of(archive_path: Path, folder: Path) -> None:
    run(archive_path, "import", str(folder), "-j", "1")
    result = run(archive_path, "import", str(folder), "-j", "1")
    assert result.exit_code == 0
    assert f"{folder / 'a.html'}: duplicate of #1 (skipped)" in result.stdout
    assert "Imported 0 articles, skipped 2 duplicates, 0 failed" in result.stdout


def test_tags_and_update(archive_path: Path, folder: Path) -> None:
    result = run(archive_path, "import", str(folder), "--tag", "to-read", "-t", " Rust ")
    assert result.exit_code == 0, result.output
    with Archive(archive_path) as archive:
        assert archive.tags_of(1) == ["Rust", "to-read"]
        text = archive.get_article(1).text
        archive.add_highlight(1, 0, len(text.split("\n")[0]))
        archive.set_starred(1, True)
    write_page(folder, "a.html", "First article, edited", url="https://example.com/first")
    result = run(archive_path, "import", str(folder / "a.html"), "--update")
    assert result.exit_code == 0, result.output
    assert "updated 1" in result.stdout
    with Archive(archive_path) as archive:
        article = archive.get_article(1)
        assert article.title == "First article, edited"
        assert article.starred and archive.tags_of(1) == ["Rust", "to-read"]
        assert len(archive.annotations_for(1)) == 1


def test_standard_input(archive_path: Path) -> None:
    data = article_html("Piped in").encode()
    result = run(archive_path, "import", "-", "--tag", "piped", input=data)
    assert result.exit_code == 0, result.output
    assert "Imported 1 article (#1)" in result.stdout
    with Archive(archive_path) as archive:
        assert archive.get_article(1).title == "Piped in"
        assert archive.tags_of(1) == ["piped"]
    again = run(archive_path, "import", "-", input=data)
    assert "-: duplicate of #1" in again.stdout


def write_bad_inputs(folder: Path) -> dict[str, str]:
    """Each bad input of issue 2, by file name, with a word its reason must contain ('' any)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.html").write_bytes(b"\x00\x01\x02\xff\xfe" * 400)
    (folder / "no-article.html").write_text(
        "<html><head><title>Menu</title></head><body><div><img src='a.png'></div></body></html>"
    )
    data = mhtml("A truncated MHTML article")
    (folder / "truncated.mhtml").write_bytes(data[: len(data) // 3])
    return {"empty.html": "empty", "binary.html": "", "no-article.html": "no article"}


def test_each_bad_input_is_one_line_and_the_batch_goes_on(
    archive_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    expected = write_bad_inputs(folder)
    write_page(
        folder,
        "cp1251-declared.html",
        CYRILLIC_TITLE,
        paragraphs=CYRILLIC_PARAGRAPHS,
        charset="windows-1251",
        encoding="cp1251",
    )
    write_page(
        folder,
        "cp1251-undeclared.html",
        CYRILLIC_TITLE + "!",
        paragraphs=CYRILLIC_PARAGRAPHS,
        charset=None,
        encoding="cp1251",
    )
    write_page(folder, "huge.html", "Huge article", paragraphs=("word " * 30_000,))
    missing = tmp_path / "missing.html"
    result = run(archive_path, "import", str(folder), str(missing), "--max-size", "100k")
    assert result.exit_code == 1
    new, *errors = result.stderr.splitlines()
    assert new == f"New archive at {archive_path}"
    reasons = dict(line.split(": ", 1) for line in errors)
    for name, word in expected.items():
        assert word in reasons[str(folder / name)]
    assert "--max-size" in reasons[str(folder / "huge.html")]
    assert reasons[str(missing)] == "no such file or directory"
    assert all(reasons.values())
    with Archive(archive_path) as archive:
        titles = {archive.get_article(i).title for i in archive.iter_article_ids()}
        assert archive.check() == []
        sources = archive.conn.execute("SELECT count(*) FROM sources").fetchone()[0]
        assert sources == archive.article_count()
    assert {CYRILLIC_TITLE, CYRILLIC_TITLE + "!"} <= titles
    failed = len(errors)
    assert f"{failed} failed" in result.stdout
    assert f"Imported {len(titles)} article" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--max-size", "lots"],
        ["--max-size", "0"],
        ["--jobs", "0"],
        ["--tag", "  "],
    ],
)
def test_usage_errors_exit_2(archive_path: Path, folder: Path, args: list[str]) -> None:
    paths = [str(folder)] if args else []
    result = run(archive_path, "import", *paths, *args)
    assert result.exit_code == 2, result.output
    with Archive(archive_path) as archive:
        assert archive.article_count() == 0


def test_page_text_is_not_markup(archive_path: Path, tmp_path: Path) -> None:
    name = tmp_path / "[bold]x[red].html"
    name.write_bytes(b"")
    result = run(archive_path, "import", str(name))
    assert result.exit_code == 1
    assert f"{name}: empty file" in result.stderr


@pytest.mark.slow
def test_import_the_whole_corpus(archive_path: Path, corpus_dir: Path) -> None:
    """Mozilla Readability's 130 test pages: none crashes, `reader check` is clean after."""
    pages = sorted(corpus_dir.glob("*/source.html"))
    assert len(pages) >= 130
    result = run(archive_path, "import", *map(str, pages), "--jobs", "2")
    assert result.exit_code in (0, 1), result.output
    new, *errors = result.stderr.splitlines()
    assert new == f"New archive at {archive_path}"
    reasons = [line.split(": ", 1)[1] for line in errors]
    # Only a page with no article in it may fail, and only with that reason.
    assert all(reason == "no article text found" for reason in reasons), reasons
    with Archive(archive_path) as archive:
        imported = archive.article_count()
        assert archive.check() == []
        for article_id in archive.iter_article_ids():
            article = archive.get_article(article_id)
            assert article.title and article.text and archive.original_of(article_id)
    duplicates = result.stdout.count("duplicate of #")
    assert imported + duplicates + len(reasons) == len(pages)
    assert imported >= 120
    check = run(archive_path, "check")
    assert check.exit_code == 0 and check.stdout == "ok\n"


def test_progress_bar_on_a_terminal_shows_counts_and_plain_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from rich.console import Console

    import reader.cli.importing as importing

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    monkeypatch.setattr(importing, "err_console", console)
    with importing.progress_bar("Importing") as progress:
        progress(0, 2, "")
        progress(1, 2, "/saved/first.html")
        progress(2, 2, "/saved/[red]odd\x1b[2Jname.html")
    shown = out.getvalue()
    assert "2/2" in shown
    assert "[red]odd" in shown and "\x1b[2J" not in shown  # names are text, never markup


def test_no_progress_bar_when_stderr_is_not_a_terminal(archive_path: Path, folder: Path) -> None:
    result = run(archive_path, "import", str(folder), "-j", "1")
    assert "Importing" not in result.stderr and "━" not in result.output


def test_a_folder_without_pages_says_so(archive_path: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.log").write_text("not a page")
    result = run(archive_path, "import", str(tmp_path / "empty"))
    assert result.exit_code == 0
    assert "No saved pages found" in result.stderr and ".mhtml" in result.stderr


def test_a_real_process_pool_from_the_command_line(archive_path: Path, folder: Path) -> None:
    """`python -m reader import --jobs 2` in its own process: the workers start (they must
    not re-run the CLI's __main__) and the output is the same as in-process."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "reader", "--db", str(archive_path), "import"]
    done = subprocess.run(
        [*command, str(folder), "--jobs", "2"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "Imported 2 articles (#1, #2), 0 failed" in done.stdout
    assert "Traceback" not in done.stderr
    with Archive(archive_path) as archive:
        assert archive.article_count() == 2


def test_an_unreadable_subfolder_is_named_and_the_rest_imported(
    archive_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that cannot be listed was skipped without a word: now it is one line
    and counts as a failure (exit status 1)."""
    import reader.ingest.sources as sources

    write_page(folder, "locked/c.html", "Third article", url="https://example.com/third")
    real = sources.os.scandir

    def scandir(path):
        if Path(path) == folder / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(sources.os, "scandir", scandir)
    result = run(archive_path, "import", str(folder), "--jobs", "1")
    assert result.exit_code == 1
    assert f"{folder / 'locked'}: cannot read the folder (Permission denied)" in result.stderr
    assert "Imported 2 articles (#1, #2), 1 failed" in result.stdout


def test_help_lists_every_exit_status() -> None:
    from click.testing import CliRunner

    from reader.cli import main

    text = " ".join(CliRunner().invoke(main, ["import", "--help"]).output.split())
    assert "0 all imported or duplicates, 1 some failed, 2 usage error, 130 interrupted" in text
