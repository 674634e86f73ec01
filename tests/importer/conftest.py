"""Fixtures for the importer tests: a folder of saved pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pages import write_page


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """A folder of three articles, one in a subfolder, plus a browser's assets folder."""
    folder = tmp_path / "saved"
    write_page(folder, "alpha.html", "Alpha article", url="https://example.com/alpha")
    write_page(folder, "beta.htm", "Beta article", url="https://example.com/beta")
    write_page(folder / "sub", "gamma.html", "Gamma article")
    # "Webpage, Complete" assets: an iframe saved as .html must not be imported.
    write_page(folder, "alpha_files/frame.html", "Frame that is not an article")
    (folder / "notes.log").write_text("not a page")  # not a page's, text's or Markdown's name
    return folder
