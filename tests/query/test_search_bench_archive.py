"""bench/make_archive.py: deterministic, fits the schema, and searchable like an import."""

from __future__ import annotations

import contextlib
import importlib.util
import sqlite3
import zlib
from pathlib import Path

import pytest

from reader.archive import Archive
from reader.document import Document

ROOT = Path(__file__).resolve().parents[2]


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_archive", ROOT / "bench/make_archive.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return (
            conn.execute(
                "SELECT a.*, s.sha256, s.raw FROM articles a JOIN sources s ON s.article_id = a.id"
                " ORDER BY a.id"
            ).fetchall()
            + conn.execute("SELECT * FROM annotations ORDER BY id").fetchall()
        )


def test_generator_is_deterministic_and_fits_the_schema(tmp_path: Path) -> None:
    make_archive = _load_generator()
    first, second, other = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    make_archive.generate(120, first, seed=3, jobs=0)
    make_archive.generate(120, second, seed=3, jobs=0)
    make_archive.generate(120, other, seed=4, jobs=0)
    assert _rows(first) == _rows(second)
    assert _rows(first) != _rows(other)
    with Archive(first) as archive:
        assert archive.count("") == 120
        hit = archive.search("", limit=1)[0].article
        (blocks, text, raw) = archive.conn.execute(
            "SELECT a.blocks, a.text, s.raw FROM articles a JOIN sources s"
            " ON s.article_id = a.id WHERE a.id = ?",
            (hit.id,),
        ).fetchone()
        assert Document.from_json(blocks, text).text == text  # offsets point into this text
        assert 1000 < len(text.split()) < 2200
        assert hit.title.encode() in zlib.decompress(raw)  # the original, compressed
        # Annotations quote the text at their offsets, as real highlights do.
        for start, end, exact, article_text in archive.conn.execute(
            'SELECT n.start, n."end", n.exact, a.text FROM annotations n'
            " JOIN articles a ON a.id = n.article_id WHERE n.start IS NOT NULL"
        ):
            assert article_text[start:end] == exact
        counts = archive.sidebar_counts()
        assert 0 < counts["unread"] < 120 and counts["annotated"] <= 120
        assert archive.count("the") > 100  # Zipf: function words are everywhere


def test_a_stopped_generation_goes_on_to_the_same_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_archive = _load_generator()
    monkeypatch.setattr(make_archive, "CHUNK", 20)
    monkeypatch.setattr(make_archive, "TXN_ARTICLES", 40)
    whole, stopped = tmp_path / "whole.db", tmp_path / "stopped.db"
    make_archive.generate(120, whole, seed=3, jobs=0)
    # As if SIGTERM came during the first transaction: it ends, and the run stops.
    monkeypatch.setattr(make_archive, "_stop_on_signal", lambda: contextlib.nullcontext([15]))
    make_archive.generate(120, stopped, seed=3, jobs=0)
    with Archive(stopped) as archive:
        assert archive.count("") == 40
    monkeypatch.undo()
    monkeypatch.setattr(make_archive, "CHUNK", 20)
    monkeypatch.setattr(make_archive, "TXN_ARTICLES", 40)
    make_archive.generate(120, stopped, seed=3, jobs=0)  # run again: goes on
    assert _rows(stopped) == _rows(whole)
    with pytest.raises(SystemExit, match="generated with"):
        make_archive.generate(60, stopped, seed=3, jobs=0)
