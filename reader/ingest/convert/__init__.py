"""Clean article HTML -> Document blocks with inline marks.

`walk` converts (an event-driven walk over the tree, one handler an element kind);
`elements` names the kinds of elements; `links` makes links and images absolute, web
schemes only; `tables` tells data tables from layout and reads their cells.
"""

from reader.ingest.convert.walk import html_to_document

__all__ = ["html_to_document"]
