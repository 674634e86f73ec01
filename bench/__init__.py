"""Benchmarks for reader (issue 8): `python -m bench` runs them all and prints one table.

Each piece (import_rate, tui, tmux, size, and search.py) returns `Measurement`s, so the
runner can print, compare and serialise them the same way. Budgets live beside the code
that measures them, because what "passes" depends on how the number was taken.

Benchmarks are never part of the test suite's pass/fail: tests/bench only checks that
the scripts run.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "bench" / "output"  # gitignored: cached archives and scratch files


@dataclass
class Measurement:
    """One row of the table: what was measured, against which budget, and how.

    `values` are the raw samples (one per run) in `unit`; `passed` is None when the row
    has no budget (shown for context) or could not be measured (`error` says why).
    """

    what: str
    budget: str
    values: list[float]
    unit: str
    passed: bool | None
    how: str
    error: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def low(self) -> float | None:
        return min(self.values) if self.values else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def high(self) -> float | None:
        return max(self.values) if self.values else None

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.update(min=self.low, median=self.median, max=self.high)
        return data


def failed(what: str, budget: str, how: str, error: BaseException | str) -> Measurement:
    """A row for a piece that could not run: shown as a miss with the reason."""
    reason = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return Measurement(what, budget, [], "", False, how, error=" ".join(reason.split())[:300])
