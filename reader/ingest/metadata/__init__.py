"""Page metadata: title, byline, site, dates, language, canonical URL.

One module a job: `jsonld` and `metatags` read what the page declares; `bylines`,
`dates`, `language`, `titles` and `urls` normalise each kind of value (and find it in
the markup when nothing declares it); `precedence` says which source wins, field by
field, in the order of trust.
"""

from reader.ingest.metadata.precedence import Metadata, extract_metadata
from reader.ingest.metadata.urls import base_url

__all__ = ["Metadata", "base_url", "extract_metadata"]
