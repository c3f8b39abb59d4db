"""URL canonicalisation and domain rules, so one article has one id however it was linked."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "zarsrc", "mc_", "_ga", "ref", "src", "cmpid", "itm_")


def canonicalise(url: str, base: str | None = None) -> str:
    """Canonical form: https, no www., lower-case host, no fragment, no tracking parameters, no trailing slash."""
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(TRACKING_PREFIXES)]
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), ""))


def article_id(url: str) -> str:
    """Stable article id: a short hash of the canonical URL."""
    return hashlib.sha256(canonicalise(url).encode()).hexdigest()[:16]


def host_of(url: str) -> str:
    """The host of a URL, lower-case, without www."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def in_domains(url: str, domains: list[str]) -> bool:
    """Whether the URL's host is one of the domains or a subdomain of one."""
    host = host_of(url)
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)
