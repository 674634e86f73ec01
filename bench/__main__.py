"""`python -m bench` (from the repo root): every benchmark, one table. See bench/run.py."""

from __future__ import annotations

import sys

from bench.run import main

sys.exit(main())
