"""The built-in layouts of a folder export, one Jinja2 template each (`<name>.md.j2`).

- obsidian (the default): YAML properties as Obsidian types them, `> quote` highlights
  (or `> [!quote]` callouts), `^hl-12` block ids on their own line.
- logseq: `key:: value` page properties, a bullet per highlight with `id::` properties.
- readwise: the layout of Readwise's Markdown export, `^hl-12` at the end of a bullet.
- plain: Markdown only, block ids as HTML comments.

Every preset ends each highlight and article note with its block id: that is how a
re-export finds reader's part of a file the user edited (see `reader.export.blocks`).
"""

from __future__ import annotations

import re
import uuid
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from reader.export.render import front_matter, highlight_meta, inline_text, paragraphs

if TYPE_CHECKING:
    from jinja2 import Template

PRESETS = ("obsidian", "logseq", "readwise", "plain")
DEFAULT_PRESET = "obsidian"
# Logseq wants a UUID for `id::`; one made from the block id is the same on every run.
_UUID_NAMESPACE = uuid.UUID("6c1d3b0e-6a57-4f0e-9c1e-726561646572")
_BLANK_RUNS = re.compile(r"\n{3,}")


def block_uuid(block_id: str) -> str:
    """The stable UUID standing for `block_id` ("hl-12", or "hl-12/note") in Logseq."""
    return str(uuid.uuid5(_UUID_NAMESPACE, f"reader:{block_id}"))


@cache
def preset_template(name: str) -> Template:
    from reader.export.templating import environment

    if name not in PRESETS:
        raise ValueError(f"no preset {name!r} (one of {', '.join(PRESETS)})")
    source = files(__package__).joinpath(f"{name}.md.j2").read_text(encoding="utf-8")
    return environment().from_string(source)


def preset_fields(fields: dict[str, Any], *, callouts: bool = False) -> dict[str, Any]:
    """`fields` plus what the presets draw: block UUIDs, meta lines, page properties."""
    out = dict(fields)
    out["callouts"] = callouts
    out["front_matter"] = front_matter(fields, ids=True)
    out["highlights"] = [
        {
            **h,
            "meta_md": highlight_meta(h),
            "tags_line": " ".join("#" + tag for tag in h.get("tags", ())),
            "block_uuid": block_uuid(h["block_id"]),
            "note_uuid": block_uuid(h["block_id"] + "/note"),
            "note_lines": _lines(h["note"]),
            # Its pictures (`--pictures`) at the end of its first line: an outline
            # block's other lines are its properties and its note's.
            "pictures_inline": "".join(" " + p["md"] for p in h.get("pictures", ())),
        }
        for h in fields["highlights"]
    ]
    out["notes"] = [
        {**n, "block_uuid": block_uuid(n["block_id"]), "note_lines": _lines(n["note"])}
        for n in fields["notes"]
    ]
    out["properties"] = logseq_properties(fields)
    return out


def _lines(text: str) -> list[str]:
    """A note as escaped lines without blank ones: an outline block has no paragraphs."""
    return [inline_text(line) for para in paragraphs(text) for line in para]


def logseq_properties(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """The page properties of the logseq preset, each value on one line."""
    props: list[tuple[str, str]] = [("title", inline_text(fields["title"]))]
    if fields.get("author"):
        props.append(("author", f"[[{inline_text(fields['author'])}]]"))
    for key in ("url", "site", "published", "saved"):
        if fields.get(key):
            props.append((key, inline_text(str(fields[key]))))
    if fields.get("missing"):
        props.append(("missing", "true"))
    if fields.get("tags"):
        props.append(("tags", ", ".join(f"[[{inline_text(t)}]]" for t in fields["tags"])))
    props.append(("highlights", str(len(fields["highlights"]))))
    if fields["notes"]:
        props.append(("notes", str(len(fields["notes"]))))
    props.append(("reader-id", str(fields["id"])))
    return props


def render_preset(name: str, fields: dict[str, Any], *, callouts: bool = False) -> str:
    """One article's file in preset `name`; blank-line runs squeezed, one final newline."""
    text = preset_template(name).render(**preset_fields(fields, callouts=callouts))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"
