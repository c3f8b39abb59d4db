"""Decode page bytes to Unicode NFC: charset from the header, then the page's meta, then the bytes."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-]+)", re.I)
# Labels seen on Vietnamese sites mapped to Python codecs (TCVN3/VNI have no codec; they are detected and refused).
ALIASES = {"windows-1258": "cp1258", "x-viet-vps": "cp1258", "utf8": "utf-8", "unicode": "utf-8"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = ALIASES.get(label.lower(), label.lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def detect(body: bytes, content_type: str | None = None) -> str:
    """The encoding of a page: declared in the header, else in a meta tag, else guessed from the bytes."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if not body.isascii():
        try:
            body.decode("utf-8")
            return "utf-8"  # valid multi-byte UTF-8 is never an accident, whatever the page declares
        except UnicodeDecodeError:
            pass
    header = HEADER_CHARSET.search(content_type or "")
    meta = META_CHARSET.search(body[:4096])
    for label in (header.group(1) if header else None, meta.group(1).decode("ascii") if meta else None):
        codec = _codec(label)
        if codec:
            try:
                body.decode(codec)
                return codec
            except UnicodeDecodeError:
                continue  # a wrong declaration: fall through to the next clue
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(body[:65536], cp_isolation=["cp1258", "cp1252", "utf_16", "latin_1"]).best()
    return best.encoding if best else "cp1258"


def decode(body: bytes, content_type: str | None = None) -> str:
    """Page bytes as NFC Unicode text."""
    try:  # valid UTF-8 wins whatever the page declares (see detect): decode once; NULs mean UTF-16/32
        if b"\x00" in body[:4096]:
            raise UnicodeDecodeError("utf-8", body, 0, 1, "NUL bytes")
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode(detect(body, content_type), errors="replace")
    text = text.lstrip("\ufeff")
    return text if text.isascii() else unicodedata.normalize("NFC", text)
