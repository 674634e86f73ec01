"""Which archive `reader` uses and says so: --db, READER_DB, the config file, ./archive.db;
the line for a new archive; `reader --version` and `reader config`; a bad config file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader import __version__
from reader.archive import Archive
from reader.cli import main

from ..importer.pages import write_page


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """READER_CONFIG names this file (not written yet) for the test."""
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("READER_CONFIG", str(path))
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where `~` points, and the current folder."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The archives the reader (TUI) was asked to open, instead of opening them."""
    import reader.tui

    calls: list[Path] = []
    monkeypatch.setattr(reader.tui, "run_tui", lambda path, defaults=None: calls.append(path))
    return calls


def invoke(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# --- a new archive says where it is ----------------------------------------------------


def test_import_into_a_new_archive_says_where_once(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    page = write_page(tmp_path, "a.html", "First article")
    result = invoke("import", str(page), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert lines(result.stderr) == [f"New archive at {db}"]
    assert "Imported 1 article" in result.stdout
    result = invoke("import", str(page), "--db", str(db))
    assert result.exit_code == 0 and result.stderr == ""


def test_the_reader_on_a_new_default_archive_says_where_before_it_starts(
    home: Path, opened: list[Path]
) -> None:
    result = invoke()
    assert result.exit_code == 0, result.output
    assert opened == [Path("archive.db")]
    [line] = lines(result.stderr)
    assert line.startswith(f"New archive at {home / 'archive.db'} (")
    assert "READER_DB" in line and "reader config" in line
    Archive(home / "archive.db").close()
    result = invoke()
    assert result.exit_code == 0 and result.stderr == ""
    assert opened == [Path("archive.db")] * 2


def test_no_line_when_the_archive_cannot_be_made_there(tmp_path: Path, opened: list[Path]) -> None:
    result = invoke("--db", str(tmp_path / "no" / "such" / "folder.db"))
    assert result.stderr == ""  # opening fails with its own line, not a false "New archive"


def test_reading_commands_still_do_not_create(tmp_path: Path) -> None:
    missing = tmp_path / "archve.db"
    result = invoke("list", "--db", str(missing))
    assert result.exit_code == 1 and "no archive here" in result.output
    assert not missing.exists()


# --- which archive -----------------------------------------------------------------------


def test_precedence_db_then_reader_db_then_config_then_default(
    home: Path, config_file: Path, opened: list[Path]
) -> None:
    config_file.write_text('archive = "~/from-config.db"\n')
    invoke("--db", "option.db", env={"READER_DB": "env.db"})
    invoke(env={"READER_DB": "env.db"})
    invoke()
    config_file.unlink()
    invoke()
    assert opened == [
        Path("option.db"),
        Path("env.db"),
        home / "from-config.db",
        Path("archive.db"),
    ]


def test_db_after_the_command_name(tmp_path: Path) -> None:
    page = write_page(tmp_path, "a.html", "First article")
    db = tmp_path / "after.db"
    assert invoke("import", str(page), "--db", str(db)).exit_code == 0
    result = invoke("--db", str(tmp_path / "other.db"), "list", "--db", str(db))
    assert result.exit_code == 0 and "First article" in result.stdout
    result = invoke("tags", "rename", "x", "y", "--db", str(db))
    assert "no archive here" not in result.output
    assert not (tmp_path / "other.db").exists()


def test_extract_takes_no_db() -> None:
    result = invoke("extract", "--help")
    assert result.exit_code == 0 and "--db" not in result.output


# --- --version and `reader config` --------------------------------------------------------


def test_version_names_the_archive_and_the_config_file(
    home: Path, config_file: Path, tmp_path: Path
) -> None:
    result = invoke("--version")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"reader {__version__}",
        f"archive: {home / 'archive.db'} (default; not created yet)",
        f"config file: {config_file} (none there)",
    ]
    config_file.write_text('archive = "notes.db"\n')
    Archive(config_file.parent / "notes.db").close()
    result = invoke("--version")
    assert result.stdout.splitlines()[1:] == [
        f"archive: {config_file.parent / 'notes.db'} (config file, line 1)",
        f"config file: {config_file}",
    ]
    result = invoke("--version", env={"READER_DB": str(tmp_path / "env.db")})
    assert result.stdout.splitlines()[1] == (
        f"archive: {tmp_path / 'env.db'} (READER_DB; not created yet)"
    )


def test_config_shows_each_setting_and_its_source(home: Path, config_file: Path) -> None:
    config_file.write_text('theme = "nord"\n\nexport_folder = "~/notes"\n')
    result = invoke("config", "--db", "mine.db")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"config file      {config_file}",
        f"archive          {home / 'mine.db'} (--db; not created yet)",
        "theme            nord (config file, line 1)",
        f"export_folder    {home / 'notes'} (config file, line 3)",
        "pictures         (not set)",
        "export_pictures  (not set)",
    ]
    result = invoke("config", "--path")
    assert result.stdout == f"{config_file}\n"


# --- a config file reader cannot use -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('theme = "nord"\narchive = ~/x.db\n', "line 2, column 11: invalid value"),
        ("theme = 3\n", "line 1: theme must be a string in quotes"),
    ],
)
@pytest.mark.parametrize("args", [(), ("list",), ("--version",), ("config",)])
def test_a_bad_config_file_is_one_line_and_exit_2(
    config_file: Path, opened: list[Path], text: str, where: str, args: tuple[str, ...]
) -> None:
    config_file.write_text(text)
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert lines(result.stderr) == [f"Error: {config_file}, {where}"]
    assert opened == []


def test_unknown_keys_are_one_line_and_ignored(
    home: Path, config_file: Path, opened: list[Path]
) -> None:
    config_file.write_text('them = "nord"\narchive = "a.db"\n[export]\nfolder = "x"\n')
    result = invoke()
    assert result.exit_code == 0, result.output
    assert lines(result.stderr)[0] == f"{config_file}: 2 unknown keys ignored: them, export"
    assert opened == [config_file.parent / "a.db"]


def test_the_reader_gets_the_config_files_defaults(
    home: Path, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.tui
    from reader.config import AppDefaults

    given: list[AppDefaults | None] = []
    monkeypatch.setattr(reader.tui, "run_tui", lambda path, defaults=None: given.append(defaults))
    config_file.write_text('theme = "nord"\nexport_folder = "~/notes"\n')
    assert invoke().exit_code == 0
    assert given == [AppDefaults(theme="nord", export_folder=home / "notes")]
