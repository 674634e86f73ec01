"""A huge page: imported within a bounded multiple of its size, or refused in one line.

The page is generated (bench/memory.py's article of sections, paragraphs, links and
lists), never committed. `python -m bench.memory` measures the same at 100 MB and
prints where the memory and the archive's bytes go.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.memory import generate_page
from tests.reliability.helpers import REPO, child_env, run_reader

# Runs `reader` and reports its own peak RSS (kB) on standard error as it exits: the
# kernel's VmHWM, which starts afresh at exec. ru_maxrss does not: Linux carries it over
# fork and exec, so a child of a big pytest process reported pytest's size (453 MB).
MEASURED = (
    "import atexit, resource, sys\n"
    "def peak():\n"
    "    try:\n"
    "        with open('/proc/self/status') as status:\n"
    "            return next(int(l.split()[1]) for l in status if l.startswith('VmHWM:'))\n"
    "    except (OSError, StopIteration):\n"
    "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "atexit.register(lambda: sys.stderr.write(f'maxrss={peak()}\\n'))\n"
    "from reader.cli import main\n"
    "main()\n"
)


@pytest.mark.slow  # a 20 MB page: about 10 s
def test_a_20_mb_page_imports_within_a_bounded_multiple_of_its_size(tmp_path: Path) -> None:
    """Before: 26 times the page (516 MB; 2.4 GB for 100 MB); now 16 (318 MB, the
    interpreter's 60 MB in it; 11 for 100 MB): the extraction holds the page's tree
    and little more, the archive's write what it stores and SQLite's copies of it."""
    page = tmp_path / "huge.html"
    size = generate_page(page, 20 * 2**20)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURED,
            "--db",
            str(tmp_path / "a.db"),
            "import",
            str(page),
            "--max-size",
            "50MB",
        ],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=REPO,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Imported 1 article" in done.stdout
    found = re.search(r"maxrss=(\d+)", done.stderr)
    assert found is not None
    peak = int(found.group(1)) * 1024
    assert peak < 20 * size, f"peak RSS {peak / 2**20:.0f} MB for a {size / 2**20:.0f} MB page"


def test_a_page_with_millions_of_elements_is_refused_in_one_line(tmp_path: Path) -> None:
    trap = tmp_path / "trap.html"
    trap.write_bytes(b"<html><body><p>" + b"x<br>" * 2_100_000 + b"</body></html>")
    done = run_reader(tmp_path / "a.db", "import", str(trap))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"{trap}: the page has 2.1 million elements, more than reader can extract within"
        " about 2 GB of memory (at most 2 million)"
    )
    assert "Imported 0 articles, 1 failed" in done.stdout
