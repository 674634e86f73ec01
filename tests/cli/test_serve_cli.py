"""`reader serve --opds`: what it asks for, the address it prints, and stopping it
with Ctrl-C (a real process, a real signal, a real HTTP request)."""

from __future__ import annotations

import re
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import Archive
from reader.cli import main
from tests.reliability.helpers import child_env, reader_command
from tests.serve.conftest import make_page

_ADDRESS = re.compile(r"at (http://\S+)$")


@pytest.fixture
def db(archive_path: Path) -> Path:
    with Archive(archive_path) as archive:
        archive.add_article(*make_page("One", "first text", "https://x.example/1"))
    return archive_path


def test_serving_is_opt_in(db: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(db), "serve"])
    assert result.exit_code == 2
    assert "--opds" in result.output


def test_a_token_must_be_long_and_plain(db: Path) -> None:
    for token in ("short", "x" * 15, "has space in it!!!", "ü" * 20):
        result = CliRunner().invoke(main, ["--db", str(db), "serve", "--opds", "--token", token])
        assert result.exit_code == 2, token


def test_no_archive_no_server(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), "serve", "--opds"])
    assert result.exit_code == 1
    assert "no archive here" in result.output
    assert not (tmp_path / "none.db").exists()


def test_a_port_in_use_is_one_line(db: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["--db", str(db), "serve", "--opds", "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1 port {port}" in result.output


def _start(db: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        reader_command(db, "serve", "--opds", "--port", "0", *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        cwd=db.parent,
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    found = _ADDRESS.search(first)
    if found is None:
        process.kill()
        raise AssertionError(f"no address in {first!r}: {process.communicate()}")
    return process, found.group(1)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_address_is_printed_and_ctrl_c_stops_it(db: Path, stop: signal.Signals) -> None:
    process, url = _start(db)
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        with urllib.request.urlopen(url + "feeds/recent", timeout=30) as response:
            assert response.status == 200
            assert b"<title>One</title>" in response.read()
        process.send_signal(stop)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out.strip().splitlines()[-1] == "Stopped serving."
    assert "Traceback" not in err
    assert '"GET /feeds/recent HTTP/1.1" 200' in err


def test_a_given_token_is_in_the_printed_address(db: Path) -> None:
    process, url = _start(db, "--token", "a-given-token-1234")
    try:
        assert url.endswith("/t/a-given-token-1234/")
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
