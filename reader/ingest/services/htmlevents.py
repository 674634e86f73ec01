"""An HTML export read as a stream of tags and text: Netscape bookmark files and
Pocket's `ril_export.html`.

These are lists of links a service wrote, not pages: no tree is built, nothing is
fetched or run. lxml's recovering HTML parser is fed the file in chunks and hands its
events to a target, so a 100,000-bookmark file is never held as a tree, and its
unclosed `<DT>`/`<DD>`/`<p>` are closed the way browsers close them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from reader.ingest.page import IngestError
from reader.ingest.services.fields import MAX_FILE_BYTES, one_line_error

__all__ = ["HtmlEvent", "html_events"]

#: ("start", tag, attributes), ("end", tag, {}) or ("data", text, {}); tags in lower case.
HtmlEvent = tuple[str, str, dict[str, str]]

_CHUNK = 64 * 1024
_NO_ATTRIBUTES: dict[str, str] = {}
_HIDDEN = frozenset({"script", "style", "template"})


class _Target:
    """Collects the parser's events until the reader takes them. (lxml hands a target
    str; its stubs allow bytes.)"""

    def __init__(self) -> None:
        self.events: list[HtmlEvent] = []
        self._hidden = 0  # inside a <script> or <style>: its text is no title

    def start(self, tag: str | bytes, attrib: dict[str | bytes, str | bytes]) -> None:
        name = _text(tag).lower()
        if name in _HIDDEN:
            self._hidden += 1
        attributes = {_text(key).lower(): _text(value) for key, value in attrib.items()}
        self.events.append(("start", name, attributes))

    def end(self, tag: str | bytes) -> None:
        name = _text(tag).lower()
        if name in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        self.events.append(("end", name, _NO_ATTRIBUTES))

    def data(self, data: str | bytes) -> None:
        if not self._hidden:
            self.events.append(("data", _text(data), _NO_ATTRIBUTES))

    def comment(self, text: str | bytes) -> None:
        return None

    def close(self) -> None:
        return None


def _text(value: str | bytes) -> str:
    return value if isinstance(value, str) else value.decode("utf-8", errors="replace")


def html_events(path: Path) -> Iterator[HtmlEvent]:
    """The events of the HTML file at `path` (UTF-8), in document order."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise IngestError(f"cannot read the file: {one_line_error(error)}") from None
    if size > MAX_FILE_BYTES:
        raise IngestError(
            f"the export is over {MAX_FILE_BYTES // 2**20} MB, more than reader reads"
        )
    target = _Target()
    parser = etree.HTMLParser(
        target=target,
        encoding="utf-8",
        recover=True,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                parser.feed(chunk)
                yield from target.events
                target.events.clear()
            parser.close()
    except OSError as error:
        raise IngestError(f"cannot read the file: {one_line_error(error)}") from None
    except etree.LxmlError:
        pass  # a recovering parse ends where the parser gives up (an empty file)
    yield from target.events
