"""Missing pages for the TUI's tests (issue #21): articles known from an export, no
page yet, their highlights kept as quotes."""

from __future__ import annotations

from reader.archive import Archive, KnownItem

SLOW_SOFTWARE = "Why software is slow"
SLOW_URL = "https://www.example.com/essays/slow-software?utm_source=pocket"


def add_missing_pages(archive: Archive) -> dict[str, int]:
    """Three missing pages: one with tags, two quotes (one with a note) and an article
    note; one whose title and URL look like Rich markup, starred; one with no title and
    a URL no browser may be sent to. Their ids by a short name."""
    with archive.write():
        slow = archive.add_missing(
            KnownItem(
                url=SLOW_URL,
                title=SLOW_SOFTWARE,
                tags=("pocket", "perf"),
                added_at="2023-04-02T10:00:00Z",
            )
        )
        archive.add_quote(slow, "Every layer adds latency nobody measures.", note="Measure first.")
        archive.add_quote(slow, "The fastest code is the code that does not run.", color="green")
        archive.add_note_once(slow, "Read before the perf review.")
        markup = archive.add_missing(
            KnownItem(
                url="http://blog.example.org/[b]post[/b]",
                title="[bold red]Not markup[/bold red]",
                starred=True,
                added_at="2022-11-20T08:00:00Z",
            )
        )
        archive.add_quote(markup, "A quote with [i]brackets[/i]", note="[red]a note[/red]")
        untitled = archive.add_missing(
            KnownItem(url="javascript:alert(1)", added_at="2021-01-01T00:00:00Z")
        )
    return {"slow": slow, "markup": markup, "untitled": untitled}
