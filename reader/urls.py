"""When two URLs name the same page: `url_key`, the form articles are matched by.

Pocket saved `http://Example.com/post/?utm_source=twitter`, the page you saved later
says `<link rel=canonical href="https://www.example.com/post">`: one article. The key
is the URL canonicalised by w3lib (Scrapy's URL library: query arguments sorted,
percent-encoding normalised, the host lowercased and IDNA-encoded, the fragment
dropped), then with what never tells two pages apart taken off: the scheme (http and
https), a leading `www.`, the default port, a trailing slash, and tracking parameters
(`utm_*`, `fbclid`, `gclid` and the like). w3lib over url-normalize and courlan: it
has no dependencies (courlan brings babel for language filters we do not use), and its
query handling keeps every parameter that names a page (`?id=123`), where
url-normalize's filter keeps only an allowlist. Pure code.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

__all__ = ["TRACKING_PARAMETERS", "url_host", "url_key", "url_keys"]

# Parameters that say how a reader came to the page, never which page it is.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "ref_src",
        "ref_url",
        "s_cid",
        "cmpid",
        "spm",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# A URL longer than this names no page anyone saved (and would bloat the index).
MAX_URL = 4096


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(_TRACKING_PREFIXES)


@lru_cache(maxsize=4096)
def url_key(url: str | None) -> str | None:
    """The key two URLs of one page share ("example.com/post?a=1"), or None for what
    is no http(s) URL of a page (None, "", "javascript:...", a relative path)."""
    if not url or len(url) > MAX_URL:
        return None
    from w3lib.url import canonicalize_url  # 70 ms to import: only when matching

    try:
        parts = urlsplit(canonicalize_url(url.strip()))
        port = parts.port
    except ValueError:  # a port that is no number, a bracketed host that is no IPv6
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.removeprefix("www.")
    if port is not None and port != _DEFAULT_PORTS[parts.scheme]:
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query_pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(name, value) for name, value in query_pairs if not _is_tracking(name)]
    query = f"?{urlencode(kept)}" if kept else ""
    return f"{host}{path}{query}"


def url_keys(*urls: str | None) -> list[str]:
    """The distinct keys of `urls` (a page's canonical URL, the URL it was saved from,
    an export's URL), in order, leaving out what has none."""
    keys: dict[str, None] = {}
    for url in urls:
        key = url_key(url)
        if key is not None:
            keys[key] = None
    return list(keys)


def url_host(url: str | None) -> str | None:
    """The host a person knows a page by (`www.example.com` -> `example.com`), where
    nothing names its site; None for no URL or one without a host."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None
