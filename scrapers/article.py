"""The Article record: what extraction hands to the NLP stage and the warehouse."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """One news item as printed: text, dates with time zone, byline, media counts and syndication."""

    url: str
    title: str
    lead: str
    body: str
    published: dt.datetime | None = None
    modified: dt.datetime | None = None
    authors: tuple[str, ...] = ()
    section: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    images: int = 0
    videos: int = 0
    format: str = "news"
    syndicated_from: str | None = None
    extras: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def author(self) -> str | None:
        """Authors joined for display."""
        return ", ".join(self.authors) or None

    @property
    def text(self) -> str:
        """Lead and body as one text."""
        return "\n\n".join(p for p in (self.lead, self.body) if p)

    @property
    def content_hash(self) -> str:
        """Hash of what a reader sees; a changed hash makes a new version in the warehouse."""
        parts = [self.title, self.lead, self.body, self.author or "", self.published.isoformat() if self.published else ""]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]

    def to_json(self) -> dict[str, Any]:
        """The record as the `phoihop extract` JSON object."""
        data = asdict(self)
        data.pop("extras")
        data.pop("authors")
        data["author"] = self.author
        data["authors"] = list(self.authors)
        data["tags"] = list(self.tags)
        for key in ("published", "modified"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data
