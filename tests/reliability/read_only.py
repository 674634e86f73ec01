"""Read-only archives for the tests, which run as root (root may write anywhere)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def deny_writes(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """os.access answers that `paths` may not be written, as it does to a user without
    the right (root's own answer is always yes)."""
    real = os.access
    denied = {os.path.abspath(path) for path in paths}

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and os.path.abspath(str(path)) in denied:
            return False
        return real(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
