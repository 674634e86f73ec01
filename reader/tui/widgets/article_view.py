"""The article's text: a line-API widget drawing only the lines on screen.

`ArticleView` lays the document out once per column width (reader.tui.layout) and
renders each visible line from that table, painting highlights, the selection and the
cursor over it by text offset. Page text only ever becomes Segments of plain strings:
nothing from a page is parsed as markup.

Two modes: reading (j/k move the cursor a line, the view scrolling when it reaches an
edge; space/b page with it; g/G top and bottom; { and } jump between headings) and
visual (`v`: the movement keys move the cursor and extend a selection from where `v`
was pressed). The mouse places the cursor, and a drag selects. Find matches are drawn
as the screen sets them. The widget knows nothing of the archive: it posts messages
and the screen saves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import ClassVar

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
from reader.tui.layout import MAX_COLUMN, MIN_WIDTH, Header, Layout, Layouts
from reader.tui.motions import (
    sentence_end_after,
    sentence_start_before,
    word_at,
    word_end_after,
    word_start_before,
)
from reader.tui.pictures import PictureRows
from reader.tui.widgets.painting import Span, overlays_on, paint_line

# Style names the layout uses; each is a component class `article-view--NAME`.
STYLE_NAMES = (
    *("title", "meta", "url", "header_rule", "p", "em", "strong", "code", "link", "li"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "h1_rule", "h2_rule", "bullet", "quote", "quote_bar"),
    *("code_block", "wrap_mark", "figure", "caption", "table", "table_head", "table_rule"),
    "rule",
)


class ArticleView(ScrollView, can_focus=True):
    """The reading column. `cursor` is a text offset; `selection_anchor` is set in visual
    mode (`text_layout`, not `layout`, and not `anchor`: those names are Textual's own)."""

    ALLOW_SELECT = False  # our own selection (visual mode, drag), not Textual's

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"article-view--{name}" for name in STYLE_NAMES),
        *(f"article-view--highlight-{color}" for color in COLORS),
        "article-view--selection",
        "article-view--cursor",
        "article-view--cursor-line",
        "article-view--match",
        "article-view--match-current",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "line_down", "Down", show=False, tooltip="Cursor down a line"),
        Binding("k,up", "line_up", "Up", show=False, tooltip="Cursor up a line"),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        # In visual mode `b` goes back a word (listed first, so it wins while selecting).
        Binding("b", "word_left", "Word back", show=False, tooltip="Extend back to a word's start"),
        Binding("b,pageup", "page_up", "Page up", show=False),
        Binding("g,home", "top", "Top", show=False, tooltip="Top of the article"),
        Binding("G,end", "bottom", "Bottom", show=False, tooltip="End of the article"),
        Binding("left_curly_bracket", "previous_heading", "Previous heading", show=False),
        Binding("right_curly_bracket", "next_heading", "Next heading", show=False),
        Binding("right_square_bracket", "next_highlight", "Next highlight", show=False),
        Binding("left_square_bracket", "previous_highlight", "Previous highlight", show=False),
        Binding("v", "visual", "Select", tooltip="Select from the cursor (visual mode)"),
        # Visual mode (check_action turns these on only while selecting).
        Binding("escape", "cancel_selection", "Cancel", tooltip="Cancel the selection"),
        Binding("left", "char_left", "Extend by a character (← →)", show=False),
        Binding("right", "char_right", "Char right", show=False),
        Binding("w", "word_right", "Word", show=False, tooltip="Extend to a word's end"),
        Binding("right_parenthesis", "sentence_right", "Extend to a sentence's end", show=False),
        Binding(
            "left_parenthesis", "sentence_left", "Extend back to a sentence's start", show=False
        ),
    ]

    VISUAL_ACTIONS = frozenset(
        [
            "cancel_selection",
            "char_left",
            "char_right",
            "word_right",
            "word_left",
            "sentence_right",
            "sentence_left",
        ]
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
        find: Callable[[], object] | None = None,
        pictures: PictureRows | None = None,
        show_pictures: bool = True,
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
        self._find = find
        self._pending_offset: int | None = position
        self._pictures = pictures
        self.pictures_shown = show_pictures and bool(pictures and pictures.pictures)
        self._text_layouts = Layouts(document, header, pictures=self._picture_sizes())
        self._text_layout: Layout | None = None
        self._styles: dict[str, Style] = {}
        self._spans: list[Span] = []
        self._matches: Sequence[tuple[int, int]] = ()
        self._match_starts: list[int] = []
        self._current_match: int | None = None
        self._dragging = False
        self._drag_start = 0
        # The cell a run of j / k keeps to (through shorter lines), while the cursor is
        # where the last of them put it.
        self._goal: tuple[int, int] | None = None  # (cursor, cell)
        self.set_highlights(highlights)

    # --- layout -------------------------------------------------------------------

    @property
    def text_layout(self) -> Layout:
        if self._text_layout is None:
            self._text_layout = self._text_layouts.at(self._column_width())
        return self._text_layout

    def _picture_sizes(self) -> dict[int, tuple[int, int]]:
        return self._pictures.sizes() if self._pictures and self.pictures_shown else {}

    def show_pictures(self, shown: bool) -> None:
        """Draw the figures' pictures or not; the text at the top stays at the top."""
        if shown == self.pictures_shown:
            return
        keep = self.top_offset if self._text_layout is not None else self._pending_offset
        self.pictures_shown = shown
        self._text_layouts = Layouts(self.document, self.header, pictures=self._picture_sizes())
        self._text_layout = self._text_layouts.at(self._column_width())
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.text_layout))
        y = self.text_layout.line_of(keep) if keep else 0
        self.scroll_to(y=y, animate=False, force=True)
        self.refresh()

    def _column_width(self) -> int:
        width = self.scrollable_content_region.width or MAX_COLUMN + 2
        return max(MIN_WIDTH, min(MAX_COLUMN, width - 2))

    def _margin(self) -> int:
        return max(0, (self.scrollable_content_region.width - self.text_layout.width) // 2)

    def on_resize(self, event: events.Resize) -> None:
        keep = self._pending_offset if self._pending_offset is not None else self.top_offset
        was_top = self._text_layout is None or round(self.scroll_y) == 0
        self._text_layout = self._text_layouts.at(self._column_width())
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

    def set_matches(self, matches: Sequence[tuple[int, int]], current: int | None) -> None:
        """Mark find matches (`[start, end)`, in order, none overlapping); `current`
        indexes the one the find is on."""
        self._matches = matches
        self._match_starts = [start for start, _ in matches]
        self._current_match = current
        self.refresh()

    @property
    def matches(self) -> Sequence[tuple[int, int]]:
        return self._matches

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

    def _cursor_into_view(self) -> None:
        """The cursor stays on screen (the wheel, the scrollbar): on the top or bottom
        line when it fell off."""
        layout = self.text_layout
        if not layout.lines:
            return
        top = round(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        y = layout.line_of(self.cursor) if self.cursor >= 0 else -1
        if top <= y < top + height:
            return
        target = top if y < top else min(top + height - 1, len(layout) - 1)
        self.cursor = self._text_offset_near(target, top, top + height)
        self._moved()

    def _text_offset_near(self, y: int, low: int, high: int) -> int:
        """The start of the first line with text from `y` on, else back from it, within
        lines `[low, high)` (else line `y`'s start)."""
        layout = self.text_layout
        last: int = max(0, len(self.text) - 1)
        high = min(high, len(layout))
        for index in chain(range(y, high), range(y - 1, max(0, low) - 1, -1)):
            if layout.lines[index].has_text:
                return min(layout.lines[index].start, last)
        return min(layout.lines[min(y, len(layout) - 1)].start, last)

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
        if not self._cursor_by_lines(1) and self.selection_anchor is None:
            # On the last line: the view still scrolls to the end (what follows the
            # text: a rule, a figure's frame; and the end marks the article read).
            self.scroll_to(y=round(self.scroll_y) + 1, animate=False, force=True)

    def action_line_up(self) -> None:
        if not self._cursor_by_lines(-1) and self.selection_anchor is None:
            self.scroll_to(y=round(self.scroll_y) - 1, animate=False, force=True)

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        """A screen on (`direction` 1) or back, the cursor moving with the page: on the
        same line of the screen, or to the end when the view cannot scroll further."""
        height = max(1, self.scrollable_content_region.height - 1)
        if self.selection_anchor is not None:
            self._cursor_by_lines(direction * height)
            return
        layout = self.text_layout
        top = round(self.scroll_y)
        new_top = max(0, min(top + direction * height, round(self.max_scroll_y)))
        y = layout.line_of(self.cursor)
        moved = new_top - top
        target = y + moved if moved else y + direction * height
        target = max(0, min(target, len(layout) - 1))
        x = self._goal_cell(y)
        low, high = new_top, new_top + self.scrollable_content_region.height
        line = layout.line_of(self._text_offset_near(target, low, high))
        cursor = layout.offset_at(line, x) if layout.lines[line].has_text else self.cursor
        if cursor == self.cursor and new_top == top:
            return  # at the end already: nothing to draw again
        self.cursor = cursor
        self._goal = (cursor, x)
        self.scroll_to(y=new_top, animate=False, force=True)
        self._moved()

    def action_top(self) -> None:
        if self.selection_anchor is None:
            self.scroll_to(y=0, animate=False, force=True)
        self.move_cursor(0)

    def action_bottom(self) -> None:
        if self.selection_anchor is None:
            layout = self.text_layout
            last = len(layout) - 1
            self.cursor = self._text_offset_near(last, 0, last + 1)
            self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
            self._moved()
        else:
            self.move_cursor(len(self.text) - 1)

    def action_next_heading(self) -> None:
        self._to_heading(self.text_layout.next_heading(self.text_layout.line_of(self.cursor)))

    def action_previous_heading(self) -> None:
        self._to_heading(self.text_layout.previous_heading(self.text_layout.line_of(self.cursor)))

    def _to_heading(self, y: int | None) -> None:
        """The heading on line `y` at the top of the view, the cursor on it."""
        if y is None:
            self.notify("No more headings that way", timeout=2)
            return
        self.cursor = self.text_layout.lines[y].start
        self.scroll_to(y=y, animate=False, force=True)
        self._moved()

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
        self.move_cursor(word_end_after(self.text, self.cursor))

    def action_word_left(self) -> None:
        self.move_cursor(word_start_before(self.text, self.cursor))

    def action_sentence_right(self) -> None:
        self.move_cursor(sentence_end_after(self.text, self.cursor))

    def action_sentence_left(self) -> None:
        self.move_cursor(sentence_start_before(self.text, self.cursor))

    def _goal_cell(self, y: int) -> int:
        """The cell a vertical move keeps to: the run's, while the cursor is where the
        last vertical move put it; else where the cursor is drawn on line `y`."""
        if self._goal is not None and self._goal[0] == self.cursor:
            return self._goal[1]
        return self.text_layout.cell_of(y, self.cursor) or 0

    def _cursor_by_lines(self, delta: int) -> bool:
        """Move the cursor `delta` lines with text down (or up), keeping to its cell;
        False when there is no such line (it stays)."""
        layout = self.text_layout
        y = layout.line_of(self.cursor)
        x = self._goal_cell(y)
        step = 1 if delta > 0 else -1
        remaining = abs(delta)
        target = y
        while remaining and 0 <= target + step < len(layout):
            target += step
            line = layout.lines[target]
            if line.start < line.end:
                remaining -= 1
        if target == y or layout.lines[target].start >= layout.lines[target].end:
            return False
        self.move_cursor(layout.offset_at(target, x))
        self._goal = (self.cursor, x)
        return True

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
        word = word_at(self.text, self._offset_at_mouse(event))
        if word is None:
            return
        start, end = word
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
        if line.picture is not None:
            return self._picture_line(line.block, *line.picture, margin + layout.width)
        cursor = self.cursor if self.has_focus else None
        overlays = []
        if line.end > line.start and (
            self._spans
            or self._matches
            or self.selection_anchor is not None
            or (cursor is not None and line.covers(cursor))
        ):
            overlays = overlays_on(
                line,
                self._spans,
                self._matches,
                self._match_starts,
                self._current_match,
                self.selection,
                cursor,
            )
        segments = paint_line(
            line,
            overlays,
            layout.width,
            self._style,
            self._overlay_style,
            cursor=cursor,
            cursor_line=cursor is not None and layout.line_of(self.cursor) == index,
        )
        if margin:
            segments.insert(0, Segment(" " * margin, base))
        return Strip(segments).adjust_cell_length(width, base)

    def _picture_line(self, block: int, k: int, cols: int, rows: int, right: int) -> Strip:
        """Row `k` of a figure's picture, centred in the column (blank until decoded)."""
        width = self.scrollable_content_region.width
        base = self._base_style()
        drawn = self._pictures.row(block, k, cols, rows) if self._pictures else None
        left = max(0, right - self.text_layout.width + (self.text_layout.width - cols) // 2)
        segments = [Segment(" " * left, base), *(drawn or [Segment(" " * cols, base)])]
        return Strip(segments).adjust_cell_length(width, base)

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

    def on_key(self, event: events.Key) -> None:
        """`/` opens the find (`find`) here, as the key is handled, and a key that reached
        the view after the focus left it goes to the new focus.

        Textual hands a key to the widget focused when the key is read, and runs bindings
        only once the key has bubbled up to the app: the keys typed right after `/` (or
        pasted) were already queued here, and ran the screen's bindings once the find bar
        had the focus (`/sat` starred, archived and opened the tag editor)."""
        focused = self.screen.focused
        if focused is self and event.key == "slash" and self._find is not None:
            event.stop()
            event.prevent_default()
            self._find()  # it focuses the find bar now: the next keys go there
        elif focused is not None and focused is not self:
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
