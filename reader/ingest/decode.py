"""Turn a saved page's HTML bytes into text, the way a browser would have read them.

Saved pages carry their encoding in several places that disagree more often than one
would hope: a byte order mark, the container (MHTML part header, webarchive field), a
`<meta>` tag or an XML declaration, or nowhere at all. We follow the browsers' order of
trust (the WHATWG encoding sniffing algorithm, simplified): BOM, then the container, then
the page's own declaration, then detection by charset-normalizer. Labels go through the
WHATWG aliases first (``iso-8859-1`` means windows-1252 to every browser, ``gb2312``
means GB18030 ...) so text decodes as its author saw it.

`decode_html` never raises for odd bytes: a page in an encoding we cannot tell still
decodes (as UTF-8 with replacement characters), and the extractor decides what is left.
"""

from __future__ import annotations

import codecs
import re

from reader.ingest.page import RawPage

__all__ = ["decode_html", "detect_encoding", "html_codec", "normalize_charset"]

#: How far into the page we look for `<meta charset>` (WHATWG says 1024 bytes; pages with
#: long heads of scripts and styles put it later, and browsers re-sniff, so we look further).
META_SCAN_BYTES = 4096

#: How much of an undeclared page charset-normalizer looks at (see `_sample`).
DETECTION_SAMPLE = 256 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# WHATWG Encoding Standard labels whose meaning differs from Python's codec of that name.
# (Browsers decode every "latin-1" page as windows-1252, and so must we, or curly quotes
# written by Word turn into C1 control characters.)
_WHATWG_ALIASES: dict[str, str] = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "iso88591": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "cp819": "cp1252",
    "ibm819": "cp1252",
    "iso-ir-100": "cp1252",
    "csisolatin1": "cp1252",
    "x-cp1252": "cp1252",
    "iso-8859-9": "cp1254",
    "iso8859-9": "cp1254",
    "latin5": "cp1254",
    "l5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "dos-874": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "csshiftjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "korean": "cp949",
    "windows-949": "cp949",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "iso-8859-8-i": "iso8859-8",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    "mac": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic",
    "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "utf8": "utf-8",
}

# Codecs Python knows that are not a page encoding: UTF-7 is banned by browsers (it was
# an XSS vector); the rest are escapes or transfer encodings, not charsets.
_REFUSED = frozenset(
    {
        "utf-7",
        "unicode-escape",
        "raw-unicode-escape",
        "punycode",
        "idna",
        "undefined",
        "mbcs",
        "oem",
        "palmos",
    }
)

# Python's names for the encodings whose text is not ASCII-compatible.
_WIDE = ("utf-16", "utf-32")

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:()\-]{1,40})""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(
    rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']\s*([A-Za-z0-9_.:()\-]{1,40})""", re.IGNORECASE
)


def normalize_charset(label: str | None) -> str | None:
    """The Python codec name for a charset label as a browser reads it, or None.

    None for labels nobody knows and for codecs that are not text encodings (a label of
    ``base64`` or ``utf-7`` in a page must not pick a Python transform).
    """
    if not label:
        return None
    name = label.strip().strip("\"'").strip().lower()
    if not name or len(name) > 40:
        return None
    name = _WHATWG_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED:
        return None
    return info.name


def _declared_in_page(data: bytes) -> list[str]:
    """Charsets the page declares in its first few KB (XML declaration, then `<meta>`).

    A page can only declare an ASCII-compatible encoding this way (we read the bytes as
    ASCII to find it), so a declared UTF-16/32 means UTF-8, as the WHATWG rules say.
    """
    head = data[:META_SCAN_BYTES]
    found: list[str] = []
    labels = [m.group(1) for m in (_XML_DECLARATION.match(head),) if m]
    labels += [m.group(1) for m in _META_CHARSET.finditer(head)]
    for label in labels:
        codec = normalize_charset(label.decode("ascii", "replace"))
        if codec is None:
            continue
        if codec.startswith(_WIDE):
            codec = "utf-8"
        found.append(codec)
    return found


def _plausible(data: bytes, codec: str) -> bool:
    """Whether `data` can be in `codec` at all: a strict decode succeeds, and a UTF-16/32
    label without a BOM comes with the NUL bytes such text always has.

    Decoded a megabyte at a time and thrown away: a big page's text (up to 4 bytes a
    character) is never made whole just to be checked.
    """
    if codec.startswith(_WIDE) and b"\x00" not in data[:4096]:
        return False
    try:
        decoder = codecs.getincrementaldecoder(codec)("strict")
        with memoryview(data) as view:
            for start in range(0, len(view), _PIECE):
                decoder.decode(view[start : start + _PIECE])
        decoder.decode(b"", final=True)
    except (UnicodeError, LookupError, ValueError):
        return False
    return True


_PIECE = 2**20


def detect_encoding(data: bytes) -> str | None:
    """Our best guess at the codec of undeclared bytes, or None when nothing fits.

    ASCII and valid UTF-8 answer themselves (and charset-normalizer is slow on big
    pages); otherwise charset-normalizer decides from the bytes' statistics.
    """
    if data.isascii():
        return "ascii"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    sample = _sample(data)
    if sample is not data:
        guess = _normalizer_guess(sample)
        if guess and _plausible(data, guess):
            return guess
    return _normalizer_guess(data)  # small page, or the sample misled: look at it all


_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _sample(data: bytes) -> bytes:
    """About DETECTION_SAMPLE bytes of `data` that tell its encoding, or `data` itself.

    charset-normalizer's time grows with its input (seconds on a 30 MB page, and it
    runs at every import and re-extraction), while a few hundred KB of text say as
    much about an encoding as the whole. ASCII says nothing, so the sample starts at
    the first non-ASCII byte (a character boundary: all before it are one-byte ASCII)
    and ends after a `>` or newline where one is near the end of the window: those
    bytes are never the second byte of a character in the multi-byte legacy encodings
    (Shift_JIS, GB18030, Big5, EUC), so no character is split.
    """
    if len(data) <= DETECTION_SAMPLE:
        return data
    first = _NON_ASCII.search(data)
    start = first.start() if first else 0
    end = start + DETECTION_SAMPLE
    if end >= len(data):
        return data[start:]
    cut = max(data.rfind(b">", start, end), data.rfind(b"\n", start, end))
    return data[start : cut + 1 if cut > start + DETECTION_SAMPLE // 2 else end]


def _normalizer_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # a detector failure must not lose the page
        return None
    if best is None:
        return None
    return normalize_charset(best.encoding)


def _single_byte(codec: str) -> bool:
    """Whether `codec` maps each byte to one character (windows-125x, ISO 8859, KOI8 ...)."""
    if codec.startswith("utf"):
        return False
    try:
        return len(bytes(range(256)).decode(codec, "replace")) == 256
    except Exception:
        return False


def decode_html(raw: RawPage) -> str:
    """The page's HTML as text: BOM, container charset, in-page declaration, detection.

    Order of trust, as browsers do it: a BOM; then valid UTF-8 (a legacy label on UTF-8
    bytes is a common mistake of re-saved pages, and real legacy text is practically
    never valid UTF-8 by accident); then the container's charset and the page's own
    declaration, when the bytes decode under them; a single-byte label the bytes do not
    fully fit (a stray undefined byte in windows-1252) still wins, as in a browser; a
    multi-byte or UTF-8 label the bytes contradict is passed over for detection. When
    nothing fits, the first usable declaration (else UTF-8) decodes with replacement
    characters. Never raises for odd bytes.
    """
    codec, errors = html_codec(raw)
    return raw.html.decode(codec, errors)


def html_codec(raw: RawPage) -> tuple[str, str]:
    """The codec and error handler `decode_html` decodes the page with (see there).

    For a caller that decodes the page a piece at a time (an incremental decoder gives
    the same text), so its whole text is never held at once.
    """
    data = raw.html
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, "replace"

    if not data.isascii() and b"\x00" not in data[:4096] and _plausible(data, "utf-8"):
        return "utf-8", "strict"

    declared: list[str] = []
    container = normalize_charset(raw.charset)
    if container:
        declared.append(container)
    declared += _declared_in_page(data)
    declared = list(dict.fromkeys(declared))

    for codec in declared:
        if _plausible(data, codec):
            return codec, "strict"
    for codec in declared:
        if _single_byte(codec):
            return codec, "replace"

    detected = detect_encoding(data)
    if detected and _plausible(data, detected):
        return detected, "strict"

    usable = [c for c in declared if not c.startswith(_WIDE)]
    fallback = usable[0] if usable else "utf-8"
    try:
        data.decode(fallback, "replace")
    except Exception:  # a codec that fails even with errors="replace"
        return "utf-8", "replace"
    return fallback, "replace"
