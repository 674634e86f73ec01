"""The article's text: a line-API widget drawing only the lines on screen.

`ArticleView` lays the document out once per column width (reader.tui.layout) and
renders each visible line from that table, painting highlights, the selection and the
cursor over it by text offset. Page text only ever becomes Segments of plain strings:
nothing from a page is parsed as markup.

Two modes: reading (j/k, space/b, g/G scroll; n/N jump between headings; the cursor
follows the top of the screen) and visual (`v`: the movement keys move the cursor and
extend a selection from where `v` was pressed). The mouse places the cursor, and a drag
selects. The widget knows nothing of the archive: it posts messages and the screen saves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.document import Document
from reader.models import COLORS
from reader.tui.layout import MAX_COLUMN, MIN_WIDTH, Header, Layout, Line, layout_document

# Style names the layout uses; each is a component class `article-view--NAME`.
STYLE_NAMES = (
    *("title", "meta", "url", "header_rule", "p", "em", "strong", "code", "link", "li"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "h1_rule", "h2_rule", "bullet", "quote", "quote_bar"),
    *("code_block", "wrap_mark", "figure", "caption", "table", "table_head", "table_rule"),
    "rule",
)

_WORD_END = re.compile(r"\w(?!\w)")
_WORD_START = re.compile(r"(?<!\w)\w")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s|\Z)|[^\n](?=\n\n|\Z)")
_SENTENCE_START = re.compile(r"(?:[.!?…][\"'”’)\]]*\s+|\n\n+)(?=\S)")
_BACK_WINDOW = 4000
LAYOUTS_KEPT = 4


@dataclass(frozen=True)
class Span:
    """A highlight as the view draws it: `[start, end)` in `colour`, `id` for the screen."""

    id: int
    start: int
    end: int
    color: str = "yellow"


class ArticleView(ScrollView, can_focus=True):
    """The reading column. `cursor` is a text offset; `selection_anchor` is set in visual
    mode (`text_layout`, not `layout`, and not `anchor`: those names are Textual's own)."""

    ALLOW_SELECT = False  # our own selection (visual mode, drag), not Textual's

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"article-view--{name}" for name in STYLE_NAMES),
        *(f"article-view--highlight-{color}" for color in COLORS),
        "article-view--selection",
        "article-view--cursor",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "line_down", "Down", show=False),
        Binding("k,up", "line_up", "Up", show=False),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        # In visual mode `b` goes back a word (listed first, so it wins while selecting).
        Binding("b", "word_left", "Word back", show=False),
        Binding("b,pageup", "page_up", "Page up", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
        Binding("n", "next_heading", "Next heading", show=False),
        Binding("N", "previous_heading", "Prev heading", show=False),
        Binding("right_square_bracket", "next_highlight", "Next highlight", show=False),
        Binding("left_square_bracket", "previous_highlight", "Prev highlight", show=False),
        Binding("v", "visual", "Select"),
        # Visual mode (check_action turns these on only while selecting).
        Binding("escape", "cancel_selection", "Cancel"),
        Binding("left", "char_left", "Char left", show=False),
        Binding("right", "char_right", "Char right", show=False),
        Binding("w", "word_right", "Word", show=False),
        Binding("right_parenthesis", "sentence_right", "Sentence", show=False),
        Binding("left_parenthesis", "sentence_left", "Sentence back", show=False),
    ]

    VISUAL_ACTIONS = frozenset(
        {
            "cancel_selection",
            "char_left",
            "char_right",
            "word_right",
            "word_left",
            "sentence_right",
            "sentence_left",
        }
    )

    class Moved(Message):
        """The view scrolled or the cursor moved: where the reader is now."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view
            self.position = view.top_offset
            self.progress = view.progress
            self.at_end = view.at_end
            self.cursor = view.cursor
            self.selecting = view.selection_anchor is not None

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(
        self,
        document: Document,
        header: Header | None = None,
        *,
        position: int = 0,
        highlights: Iterable[Span] = (),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.document = document
        self.text = document.text
        self.header = header
        self.cursor = max(0, min(position, max(0, len(self.text) - 1)))
        self.selection_anchor: int | None = None
        self._pending_offset: int | None = position
        self._text_layouts: dict[int, Layout] = {}
        self._text_layout: Layout | None = None
        self._styles: dict[str, Style] = {}
        self._spans: list[Span] = []
        self._dragging = False
        self._drag_start = 0
        self.set_highlights(highlights)

    # --- layout -------------------------------------------------------------------

    @property
    def text_layout(self) -> Layout:
        if self._text_layout is None:
            self._text_layout = self._text_layout_for(self._column_width())
        return self._text_layout

    def _column_width(self) -> int:
        width = self.scrollable_content_region.width or MAX_COLUMN + 2
        return max(MIN_WIDTH, min(MAX_COLUMN, width - 2))

    def _text_layout_for(self, width: int) -> Layout:
        """The layout at `width`, made once; the last few widths are kept (resizing back
        and forth, the annotations panel opening and closing)."""
        layout = self._text_layouts.pop(width, None)
        if layout is None:
            layout = layout_document(self.document, width, self.header)
        self._text_layouts[width] = layout
        while len(self._text_layouts) > LAYOUTS_KEPT:
            del self._text_layouts[next(iter(self._text_layouts))]
        return layout

    def _margin(self) -> int:
        return max(0, (self.scrollable_content_region.width - self.text_layout.width) // 2)

    def on_resize(self, event: events.Resize) -> None:
        keep = self._pending_offset if self._pending_offset is not None else self.top_offset
        was_top = self._text_layout is None or round(self.scroll_y) == 0
        self._text_layout = self._text_layout_for(self._column_width())
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.text_layout))
        if self._pending_offset is not None or not was_top:
            y = self.text_layout.line_of(keep) if keep else 0
            self.scroll_to(y=y, animate=False, force=True)
        self._pending_offset = None
        self.refresh()

    @property
    def top_offset(self) -> int:
        """The text offset at the top of the screen (the reading position)."""
        lines = self.text_layout.lines
        if not lines:
            return 0
        return lines[min(round(self.scroll_y), len(lines) - 1)].start

    @property
    def progress(self) -> float:
        """How far through the article the bottom of the screen is, 0..1."""
        total = len(self.text_layout)
        if total == 0:
            return 1.0
        bottom = round(self.scroll_y) + self.scrollable_content_region.height
        return max(0.0, min(1.0, bottom / total))

    @property
    def at_end(self) -> bool:
        return round(self.scroll_y) >= self.max_scroll_y

    # --- highlights and selection -------------------------------------------------

    def set_highlights(self, spans: Iterable[Span]) -> None:
        self._spans = sorted(spans, key=lambda s: (s.start, s.end))
        self.refresh()

    @property
    def highlights(self) -> Sequence[Span]:
        return self._spans

    def highlight_at(self, offset: int | None = None) -> Span | None:
        """The highlight covering `offset` (default: the cursor); the latest-starting wins."""
        offset = self.cursor if offset is None else offset
        found = None
        for span in self._spans:
            if span.start > offset:
                break
            if offset < span.end:
                found = span
        return found

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected `[start, end)` (cursor and anchor both included), else None."""
        if self.selection_anchor is None or not self.text:
            return None
        start = min(self.selection_anchor, self.cursor)
        end = min(len(self.text), max(self.selection_anchor, self.cursor) + 1)
        # Never start or end a highlight on the blank between blocks.
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def start_selection(self) -> None:
        self.selection_anchor = self.cursor
        self._moved()

    def clear_selection(self) -> None:
        self.selection_anchor = None
        self._moved()

    # --- moving -------------------------------------------------------------------

    def move_cursor(self, offset: int, *, scroll: bool = True) -> None:
        """Put the cursor on `offset`, scrolling it into view."""
        self.cursor = max(0, min(offset, max(0, len(self.text) - 1)))
        if scroll:
            self._show_line(self.text_layout.line_of(self.cursor))
        self._moved()

    def _show_line(self, y: int) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if y < top:
            self.scroll_to(y=y, animate=False, force=True)
        elif y >= top + height:
            self.scroll_to(y=y - height + 1, animate=False, force=True)

    def jump_to(self, offset: int) -> None:
        """Show `offset` a third of the way down the screen, with the cursor on it."""
        self.cursor = max(0, min(offset, max(0, len(self.text) - 1)))
        y = self.text_layout.line_of(self.cursor)
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if not top <= y < top + height:
            self.scroll_to(y=max(0, y - height // 3), animate=False, force=True)
        self._moved()

    def _scroll_lines(self, delta: int) -> None:
        self.scroll_to(y=round(self.scroll_y) + delta, animate=False, force=True)
        if self.selection_anchor is None:
            self._cursor_into_view()

    def _cursor_into_view(self) -> None:
        """In reading mode the cursor stays on screen: at the top line when it fell off."""
        layout = self.text_layout
        if not layout.lines:
            return
        top = round(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        y = layout.line_of(self.cursor) if self.cursor >= 0 else -1
        if top <= y < top + height:
            return
        target = top if y < top else min(top + height - 1, len(layout) - 1)
        for index in range(target, min(len(layout), top + height)):
            if layout.lines[index].start < layout.lines[index].end:
                self.cursor = min(layout.lines[index].start, max(0, len(self.text) - 1))
                break
        else:
            self.cursor = min(layout.lines[target].start, max(0, len(self.text) - 1))
        self._moved()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            if self.selection_anchor is None and not self._dragging:
                self._cursor_into_view()
            self._moved()

    def _moved(self) -> None:
        self.refresh()
        if self.is_mounted:
            self.post_message(self.Moved(self))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.VISUAL_ACTIONS:
            return self.selection_anchor is not None
        return True

    def action_line_down(self) -> None:
        if self.selection_anchor is None:
            self._scroll_lines(1)
        else:
            self._cursor_by_lines(1)

    def action_line_up(self) -> None:
        if self.selection_anchor is None:
            self._scroll_lines(-1)
        else:
            self._cursor_by_lines(-1)

    def action_page_down(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        if self.selection_anchor is None:
            self._scroll_lines(height)
        else:
            self._cursor_by_lines(height)

    def action_page_up(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        if self.selection_anchor is None:
            self._scroll_lines(-height)
        else:
            self._cursor_by_lines(-height)

    def action_top(self) -> None:
        if self.selection_anchor is None:
            self.scroll_to(y=0, animate=False, force=True)
        self.move_cursor(0)

    def action_bottom(self) -> None:
        if self.selection_anchor is None:
            self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
            self.cursor = -1  # above the screen: _cursor_into_view puts it on the top line
            self._cursor_into_view()
        else:
            self.move_cursor(len(self.text) - 1)

    def action_next_heading(self) -> None:
        y = self.text_layout.next_heading(round(self.scroll_y))
        if y is not None:
            self.scroll_to(y=y, animate=False, force=True)
            self.move_cursor(self.text_layout.lines[y].start, scroll=False)

    def action_previous_heading(self) -> None:
        y = self.text_layout.previous_heading(round(self.scroll_y))
        if y is not None:
            self.scroll_to(y=y, animate=False, force=True)
            self.move_cursor(self.text_layout.lines[y].start, scroll=False)

    def action_next_highlight(self) -> None:
        for span in self._spans:
            if span.start > self.cursor:
                self.jump_to(span.start)
                return
        self.notify("No highlight after this one", timeout=2)

    def action_previous_highlight(self) -> None:
        current = self.highlight_at()
        for span in reversed(self._spans):
            if span.start < self.cursor and span is not current:
                self.jump_to(span.start)
                return
        self.notify("No highlight before this one", timeout=2)

    def action_visual(self) -> None:
        """Start selecting at the cursor (or stop, when already selecting)."""
        if self.selection_anchor is None:
            self.start_selection()
        else:
            self.clear_selection()
        self.refresh_bindings()

    def action_cancel_selection(self) -> None:
        if self.selection_anchor is None:
            raise SkipAction()
        self.clear_selection()
        self.refresh_bindings()

    def action_char_left(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_char_right(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_word_right(self) -> None:
        match = _WORD_END.search(self.text, self.cursor + 1)
        self.move_cursor(match.start() if match else len(self.text) - 1)

    def action_word_left(self) -> None:
        self.move_cursor(self._search_back(_WORD_START, self.cursor, lambda m: m.start()))

    def action_sentence_right(self) -> None:
        match = _SENTENCE_END.search(self.text, self.cursor + 1)
        self.move_cursor(match.start() if match else len(self.text) - 1)

    def action_sentence_left(self) -> None:
        self.move_cursor(self._search_back(_SENTENCE_START, self.cursor, lambda m: m.end()))

    def _search_back(
        self, pattern: re.Pattern[str], before: int, where: Callable[[re.Match[str]], int]
    ) -> int:
        """The last `where(match)` of `pattern` that is below `before` (0 if none)."""
        window = max(0, before - _BACK_WINDOW)
        while True:
            best = None
            for match in pattern.finditer(self.text, window, before):
                if where(match) < before:
                    best = where(match)
            if best is not None or window == 0:
                return best or 0
            window = max(0, window - _BACK_WINDOW)

    def _cursor_by_lines(self, delta: int) -> None:
        layout = self.text_layout
        y = layout.line_of(self.cursor)
        x = layout.cell_of(y, self.cursor) or 0
        step = 1 if delta > 0 else -1
        remaining = abs(delta)
        target = y
        while remaining and 0 <= target + step < len(layout):
            target += step
            line = layout.lines[target]
            if line.start < line.end:
                remaining -= 1
        if target != y and layout.lines[target].start < layout.lines[target].end:
            self.move_cursor(layout.offset_at(target, x))

    # --- mouse --------------------------------------------------------------------

    def _offset_at_mouse(self, event: events.MouseEvent) -> int:
        offset = event.get_content_offset_capture(self)
        y = round(self.scroll_y) + offset.y
        return self.text_layout.offset_at(y, offset.x - self._margin())

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self.cursor = self._offset_at_mouse(event)
        self.selection_anchor = None
        self._drag_start = self.cursor
        self._moved()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        # Dragging past the top or bottom edge scrolls, a line per move.
        y = event.get_content_offset_capture(self).y
        if y < 0 or y >= self.scrollable_content_region.height:
            self.scroll_to(y=round(self.scroll_y) + (1 if y > 0 else -1), animate=False)
        self.cursor = self._offset_at_mouse(event)
        if self.cursor != self._drag_start and self.selection_anchor is None:
            self.selection_anchor = self._drag_start
            self.refresh_bindings()
        self._moved()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        self.cursor = self._offset_at_mouse(event)
        if self.cursor != self._drag_start:
            self.selection_anchor = self._drag_start
        self.refresh_bindings()
        self._moved()

    def on_click(self, event: events.Click) -> None:
        """A double click selects the word under the mouse."""
        if event.chain != 2 or not self.text:
            return
        offset = self._offset_at_mouse(event)
        if not (self.text[offset].isalnum() or self.text[offset] == "_"):
            return
        start = end = offset
        while start > 0 and (self.text[start - 1].isalnum() or self.text[start - 1] == "_"):
            start -= 1
        while end + 1 < len(self.text) and (
            self.text[end + 1].isalnum() or self.text[end + 1] == "_"
        ):
            end += 1
        self.selection_anchor = start
        self.cursor = end
        self.refresh_bindings()
        self._moved()

    # --- drawing ------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, names: str) -> Style:
        style = self._styles.get(names)
        if style is None:
            style = self._base_style()
            for name in names.split():
                style += self.get_component_rich_style(f"article-view--{name}", partial=True)
            self._styles[names] = style
        return style

    def _overlays(self, line: Line) -> list[tuple[int, int, str]]:
        """Highlights, selection and cursor over `line`, as (start, end, style name)."""
        out: list[tuple[int, int, str]] = []
        for span in self._spans:
            if span.start >= line.end:
                break
            if span.end > line.start:
                out.append((span.start, span.end, f"highlight-{span.color}"))
        selection = self.selection
        if selection and selection[0] < line.end and selection[1] > line.start:
            out.append((selection[0], selection[1], "selection"))
        if self.has_focus and line.covers(self.cursor):
            out.append((self.cursor, self.cursor + 1, "cursor"))
        return out

    def _base_style(self) -> Style:
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style()
        layout = self.text_layout
        index = round(self.scroll_y) + y
        if index >= len(layout):
            return Strip.blank(width, base)
        line = layout.lines[index]
        margin = self._margin()
        segments = [Segment(" " * margin, base)] if margin else []
        overlays = self._overlays(line) if line.end > line.start else []
        used = 0
        cursor_drawn = False
        for run in line.runs:
            style = self._style(run.style)
            used += cell_len(run.text)
            if not overlays or not run.is_text:
                segments.append(Segment(run.text, style))
                continue
            atomic = len(run.text) != run.end - run.start
            cuts = {run.start, run.end}
            if not atomic:
                for start, end, _ in overlays:
                    if run.start < start < run.end:
                        cuts.add(start)
                    if run.start < end < run.end:
                        cuts.add(end)
            points = sorted(cuts)
            for a, b in pairwise(points):
                piece = run.text if atomic else run.text[a - run.start : b - run.start]
                names = [name for start, end, name in overlays if start <= a < end]
                piece_style = style
                for name in names:
                    piece_style += self._overlay_style(name)
                if "cursor" in names:
                    cursor_drawn = True
                segments.append(Segment(piece, piece_style))
        fill = self._style(line.fill) if line.fill else base
        if not cursor_drawn and self.has_focus and used < layout.width and line.covers(self.cursor):
            # The cursor is on a character not drawn (a space at a break, a newline).
            segments.append(Segment(" ", fill + self._overlay_style("cursor")))
            used += 1
        if used < layout.width:
            segments.append(Segment(" " * (layout.width - used), fill))
        strip = Strip(segments)
        return strip.adjust_cell_length(width, base)

    def _overlay_style(self, name: str) -> Style:
        key = "\0" + name
        style = self._styles.get(key)
        if style is None:
            style = self.get_component_rich_style(f"article-view--{name}", partial=True)
            self._styles[key] = style
        return style

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
