"""reader.config: where the archive is, what the config file says, and its errors."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.config import (
    DEFAULT_DB,
    ConfigError,
    config_path,
    read_config,
    resolve,
)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "conf" / "config.toml"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_the_config_file_is_reader_config_else_the_platform_folder(tmp_path: Path) -> None:
    named = tmp_path / "mine.toml"
    assert config_path({"READER_CONFIG": str(named)}) == named
    assert config_path({"READER_CONFIG": "~/r.toml"}) == Path.home() / "r.toml"
    default = platformdirs.user_config_path("reader") / "config.toml"
    assert config_path({}) == default
    assert config_path({"READER_CONFIG": ""}) == default


def test_the_suite_never_sees_the_real_config(no_user_config: Path) -> None:
    assert config_path() == no_user_config
    assert not no_user_config.exists()


def test_a_missing_file_is_no_config(config: Path) -> None:
    file = read_config(config)
    assert not file.found and file.values == {} and file.unknown == ()


def test_keys_values_and_their_lines(config: Path) -> None:
    write(
        config,
        '# my defaults\narchive = "~/notes/a.db"\n\n  "theme" = "nord"\nexport_folder = \'out\'\n',
    )
    file = read_config(config)
    assert file.found
    assert file.values == {"archive": "~/notes/a.db", "theme": "nord", "export_folder": "out"}
    assert file.lines == {"archive": 2, "theme": 4, "export_folder": 5}
    assert file.path_value("archive") == Path.home() / "notes" / "a.db"
    # A relative path means the same from every folder: the config file's folder.
    assert file.path_value("export_folder") == config.parent / "out"
    assert file.sourced("theme").source == "config file, line 4"


def test_unknown_keys_are_listed_not_fatal(config: Path) -> None:
    write(config, 'theme = "nord"\ncolour = "red"\n[export]\nfolder = "x"\n')
    file = read_config(config)
    assert file.values == {"theme": "nord"}
    assert file.unknown == ("colour", "export")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('theme = "nord"\narchive = \n', ", line 2, column 11: invalid value"),
        ('theme = "nord"\ntheme = "x"\n', ", line 2, column 12: cannot overwrite a value"),
        ('theme = "nord', ", line 1: "),  # at end of document: the last line
        ('theme = "nord"\narchive = 3\n', ", line 2: archive must be a string in quotes"),
        ('archive = ""\n', ", line 1: archive is empty"),
        (b'theme = "caf\xe9"\n', ", line 1: not UTF-8 text"),
    ],
)
def test_a_bad_file_is_one_line_naming_file_and_line(
    config: Path, text: str | bytes, expected: str
) -> None:
    write(config, text)
    with pytest.raises(ConfigError) as raised:
        read_config(config)
    message = str(raised.value)
    assert message.startswith(f"{config}{expected}"), message
    assert "\n" not in message


def test_an_unreadable_file_is_one_line(config: Path) -> None:
    config.mkdir(parents=True)  # a folder where the file should be
    with pytest.raises(ConfigError, match="cannot read the config file"):
        read_config(config)


@given(st.text(max_size=60))
def test_any_text_reads_or_raises_config_error(text: str) -> None:
    """Whatever a user types, reading it gives values or one line, never another error."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "config.toml", text)
        try:
            file = read_config(path)
        except ConfigError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error)
        else:
            assert all(isinstance(v, str) and v.strip() for v in file.values.values())


def test_precedence_db_then_env_then_config_then_default(config: Path, tmp_path: Path) -> None:
    write(config, 'archive = "/from/config.db"\n')
    env = {"READER_CONFIG": str(config), "READER_DB": "/from/env.db"}
    settings = resolve(Path("/from/option.db"), env)
    assert (settings.archive.value, settings.archive.source) == (Path("/from/option.db"), "--db")
    settings = resolve(None, env)
    assert (settings.archive.value, settings.archive.source) == (Path("/from/env.db"), "READER_DB")
    settings = resolve(None, {"READER_CONFIG": str(config), "READER_DB": ""})
    assert settings.archive.value == Path("/from/config.db")
    assert settings.archive.source == "config file, line 1"
    settings = resolve(None, {"READER_CONFIG": str(tmp_path / "none.toml")})
    assert (settings.archive.value, settings.archive.source) == (DEFAULT_DB, "default")


def test_paths_expand_home(config: Path) -> None:
    write(config, 'export_folder = "~/notes"\n')
    settings = resolve(Path("~/a.db"), {"READER_CONFIG": str(config)})
    assert settings.archive.value == Path.home() / "a.db"
    assert settings.export_folder.value == Path.home() / "notes"
    settings = resolve(None, {"READER_CONFIG": str(config), "READER_DB": "~/b.db"})
    assert settings.archive.value == Path.home() / "b.db"


def test_app_defaults_carry_the_config_values(config: Path) -> None:
    write(config, 'theme = "nord"\nexport_folder = "/n"\n')
    defaults = resolve(None, {"READER_CONFIG": str(config)}).app_defaults
    assert (defaults.theme, defaults.export_folder) == ("nord", Path("/n"))
    empty = resolve(None, {"READER_CONFIG": str(config.parent / "none.toml")}).app_defaults
    assert (empty.theme, empty.export_folder) == (None, None)
