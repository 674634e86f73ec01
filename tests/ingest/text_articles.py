"""Plain-text and Markdown articles for the tests, written for them (no real article is
copied): each shape that "Save as Text", a pasted article and the Markdown clippers
produce, and the rule of issue #18 it exercises beside it."""

from __future__ import annotations

# A saved news article as text: title line, date line, byline, a photo caption with its
# credit, hard-wrapped paragraphs with a word hyphenated across a wrap, stray inline
# HTML, a promo line, a credit line, and an "Original url:" footer whose URL a stray
# space cut in two.
NEWS_CAPTION = (
    "Mayor Ilse Varga speaks at a session of the Harbour Council (HC). "
    "Piet Klaver / Harbour Press Office / Lantern Wire"
)
# The URL as the footer writes it: a stray space cuts "mayor" in two.
NEWS_FOOTER_URL = (
    "https://www.harbour-news.example/2022/01/10/"
    "harbour-council-will-not-allow-night-ferries-may or-a76000"
)
NEWS_TXT = f"""\
Harbour Council Will Not Allow Night Ferries on the Old Canal – Mayor

January 10, 2022

By Jane Doe

{NEWS_CAPTION}

The harbour council voted on Monday to keep night ferries off the old canal
until the locks are repaired, Mayor Ilse Varga said. The repair is an extra-
ordinary job, and the engineers' reconstruc-
tion plan is a well-
known one.

"We will not allow the canal to be damaged," Varga <u>said</u> during Monday's
<b>video</b> meeting of the <a href="https://harbour.example/council">council</a>.<script>alert(1)</script>

Related article: Harbour Traffic Back to Normal After Storm, Blackout

Advertisement

Lantern Wire contributed reporting.

Original url:

{NEWS_FOOTER_URL}
"""
NEWS_TITLE = "Harbour Council Will Not Allow Night Ferries on the Old Canal – Mayor"
NEWS_URL = (
    "https://www.harbour-news.example/2022/01/10/"
    "harbour-council-will-not-allow-night-ferries-mayor-a76000"
)
# Obsidian Web Clipper's default template: properties, then the page as Markdown, with
# two ==highlights== the user made while reading.
OBSIDIAN_MD = """\
---
title: "Slow Software, Fast Readers"
source: "https://essays.example.org/slow-software"
author:
  - "[[Ada Quill]]"
published: 2023-11-02
created: 2024-01-15
description: "Why the fastest reading tools do less."
tags:
  - "clippings"
  - "#software"
---
# Slow Software, Fast Readers

Most reading tools grow until ==they are slower than the reading they serve==, and
their makers rarely notice.

## What a reader needs

- A page that opens at once
- Search that **finds words**, not guesses
    - nested: even in *old* articles

> Speed is a feature you ==cannot add later==.

| Tool | Opens in |
| --- | --- |
| Paper | 0 s |

![A stopwatch](https://essays.example.org/img/stopwatch.png "The stopwatch test")

```python
print("fast")
```

Read the [original notes](/notes/slow) or the [sketch](javascript:alert(1)).
"""
OBSIDIAN_HIGHLIGHTS = ("they are slower than the reading they serve", "cannot add later")

# MarkDownload's default: front matter with `source` and a title heading.
MARKDOWNLOAD_MD = """\
---
created: 2024-02-01T09:30:00 (UTC +01:00)
tags: [reading, tools]
source: https://blog.example.net/posts/offline-first
author: Bo Lindqvist
---

# Offline First, Again

> ## Excerpt
> A short history of tools that work without a network.

---

Offline tools were the only tools once. Then the network arrived, and the tools moved.
"""

# Omnivore's export: `labels`, `date_saved`, `date_published`, `url`.
OMNIVORE_MD = """\
---
id: 0f3c1a2e-0000-4000-8000-000000000000
title: "The Quiet Web"
author: Mia Ferro
url: https://quiet.example.com/essay
labels:
  - name: web
    color: "#ff0000"
  - name: Essays
date_saved: 2024-03-05T08:15:00.000Z
date_published: 2024-02-28T00:00:00.000Z
---

# The Quiet Web

A web page that loads nothing it does not show is a quiet page.
"""

# Readwise Reader's export with front matter.
READWISE_MD = """\
---
title: Notes on Marginalia
url: https://margins.example.org/notes
author: "[[Rui Costa]]"
tags: "reading, notes"
---

Marginalia are a reader's half of a conversation with a book.
"""

# Markdown without front matter: the first `#` heading is the title.
PLAIN_MD = """\
# Headings Are Titles

The first heading names the article when nothing else does.
"""

# Omnivore's Obsidian plugin, its default template: no URL in the front matter, the
# article's URL is the "Read Original" link (the other link is Omnivore's own page).
OMNIVORE_DEFAULT_MD = """\
---
id: 8a5c1e0e-1111-4222-8333-944455556666
title: The Quiet Web
author: Mia Ferro
tags:
 - web
date_saved: 2024-03-05 08:15:00
---

# The Quiet Web
#Omnivore

[Read on Omnivore](https://omnivore.app/me/quiet)
[Read Original](https://quiet.example.com/essay)

## Highlights

> A web page that loads nothing it does not show. [⤴️](https://omnivore.app/me/quiet#8a5c)
"""

# Readwise's Markdown export, its default template: no front matter, the author and the
# URL in a "Metadata" list.
READWISE_EXPORT_MD = """\
# Notes on Marginalia

![rw-book-cover](https://readwise-assets.example.com/covers/marginalia.png)

## Metadata
- Author: [[Rui Costa]]
- Full Title: Notes on Marginalia
- Category: #articles
- URL: https://margins.example.org/notes

## Highlights
- Marginalia are a reader's half of a conversation. ([View Highlight](https://read.readwise.io/r/1))
"""
