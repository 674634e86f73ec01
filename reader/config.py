"""Where the archive lives, and the user's defaults: --db, READER_DB and the config file.

The archive is the first of: `--db`, `READER_DB`, `archive` in the config file,
`./archive.db`. The config file is TOML, at `READER_CONFIG` if set, else `config.toml`
in the platform's config folder for reader (platformdirs); a missing file is no
config. Its keys (all optional, all strings; `~` expands; a relative path is relative
to the config file's folder, so it means the same from every folder):

    archive = "~/notes/archive.db"
    theme = "nord"
    export_folder = "~/notes/reader"
    export_pictures = "on"

Pure: no click, no Textual. A file reader cannot use raises ConfigError, one line
naming the file and the line.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import platformdirs

CONFIG_ENV = "READER_CONFIG"
DB_ENV = "READER_DB"
DEFAULT_DB = Path("archive.db")

PATH_KEYS = ("archive", "export_folder")
KEYS = ("archive", "theme", "export_folder", "pictures", "export_pictures")
#: `pictures = "off"` keeps the reading view's pictures hidden (`I` still shows them).
PICTURES_OFF = ("off", "no", "false")
#: `export_pictures = "on"`: a Markdown export writes the pictures (`--pictures`).
PICTURES_ON = ("on", "yes", "true")

T = TypeVar("T")


class ConfigError(Exception):
    """A config file reader cannot use; the message is one line naming file and line."""


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """A setting's value and where it came from ("--db", "READER_DB", "config file,
    line 2", "default", "not set")."""

    value: T
    source: str


@dataclass(frozen=True)
class ConfigFile:
    """What a config file says: its valid values by key, and the keys it does not know."""

    path: Path
    found: bool
    values: Mapping[str, str]
    lines: Mapping[str, int]
    unknown: tuple[str, ...] = ()

    def sourced(self, key: str) -> Sourced[str | None]:
        if key not in self.values:
            return Sourced(None, "not set")
        line = self.lines.get(key)
        return Sourced(self.values[key], "config file" + (f", line {line}" if line else ""))

    def path_value(self, key: str) -> Path | None:
        """A path key's value: `~` expanded, relative to the config file's folder."""
        if key not in self.values:
            return None
        return self.path.parent / Path(self.values[key]).expanduser()


@dataclass(frozen=True)
class AppDefaults:
    """What the config file sets for the reader: defaults where the archive remembers
    nothing of its own (None: reader's built-in default)."""

    theme: str | None = None
    export_folder: Path | None = None
    pictures: bool = True


@dataclass(frozen=True)
class Settings:
    """The effective settings of one run, each with where it came from."""

    config: ConfigFile
    archive: Sourced[Path]
    theme: Sourced[str | None]
    export_folder: Sourced[Path | None]
    pictures: Sourced[str | None] = Sourced(None, "not set")
    export_pictures: Sourced[str | None] = Sourced(None, "not set")

    @property
    def exports_pictures(self) -> bool:
        """Whether a Markdown export writes pictures when neither --pictures nor
        --no-pictures is given."""
        return (self.export_pictures.value or "").strip().lower() in PICTURES_ON

    @property
    def app_defaults(self) -> AppDefaults:
        pictures = (self.pictures.value or "on").strip().lower() not in PICTURES_OFF
        return AppDefaults(self.theme.value, self.export_folder.value, pictures)

    def rows(self) -> list[tuple[str, str, str]]:
        """(key, value, source) for each setting, as `reader config` shows them."""
        return [
            (key, "" if sourced.value is None else str(sourced.value), sourced.source)
            for key, sourced in (
                ("archive", self.archive),
                ("theme", self.theme),
                ("export_folder", self.export_folder),
                ("pictures", self.pictures),
                ("export_pictures", self.export_pictures),
            )
        ]


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """The config file's location: READER_CONFIG, else the platform's config folder."""
    environ = os.environ if environ is None else environ
    named = environ.get(CONFIG_ENV)
    if named:
        return Path(named).expanduser()
    return platformdirs.user_config_path("reader") / "config.toml"


# tomllib's messages end in "(at line 3, column 8)" or "(at end of document)".
_POSITION = re.compile(
    r"^(?P<reason>.*) \((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$"
)


def read_config(path: Path) -> ConfigFile:
    """The config file at `path` (a missing file: no values). Raises ConfigError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ConfigFile(path, found=False, values={}, lines={})
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file: {error.strerror}") from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(f"{path}, line {line}: not UTF-8 text") from error
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_syntax_error(path, text, str(error))) from error
    lines = _key_lines(text)
    values: dict[str, str] = {}
    for key in KEYS:
        if key not in table:
            continue
        value = table[key]
        where = f"{path}, line {lines[key]}" if key in lines else str(path)
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {key} must be a string in quotes")
        if not value.strip():
            raise ConfigError(f"{where}: {key} is empty")
        values[key] = value
    unknown = tuple(key for key in table if key not in KEYS)
    return ConfigFile(path, found=True, values=values, lines=lines, unknown=unknown)


def _syntax_error(path: Path, text: str, message: str) -> str:
    match = _POSITION.match(message)
    if match is None:
        return f"{path}: {message}"
    reason = match["reason"][:1].lower() + match["reason"][1:]
    if match["line"] is None:  # at end of document
        return f"{path}, line {text.count(chr(10)) + 1}: {reason}"
    return f"{path}, line {match['line']}, column {match['column']}: {reason}"


_KEY_LINE = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")


def _key_lines(text: str) -> dict[str, int]:
    """The line of each top-level `key = ...` (tomllib gives values, not positions)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("["):  # a table: the top level has ended
            break
        match = _KEY_LINE.match(line)
        if match:
            lines.setdefault(next(g for g in match.groups() if g is not None), number)
    return lines


def resolve(db_option: Path | None, environ: Mapping[str, str] | None = None) -> Settings:
    """The effective settings: `--db`'s value (None if not given), the environment and
    the config file. Raises ConfigError for a config file reader cannot use."""
    environ = os.environ if environ is None else environ
    config = read_config(config_path(environ))
    archive: Sourced[Path]
    if db_option is not None:
        archive = Sourced(db_option.expanduser(), "--db")
    elif environ.get(DB_ENV):
        archive = Sourced(Path(environ[DB_ENV]).expanduser(), DB_ENV)
    elif (configured := config.path_value("archive")) is not None:
        archive = Sourced(configured, config.sourced("archive").source)
    else:
        archive = Sourced(DEFAULT_DB, "default")
    export_folder = config.sourced("export_folder")
    return Settings(
        config=config,
        archive=archive,
        theme=config.sourced("theme"),
        export_folder=Sourced(config.path_value("export_folder"), export_folder.source),
        pictures=config.sourced("pictures"),
        export_pictures=config.sourced("export_pictures"),
    )
