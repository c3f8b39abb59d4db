"""Configuration as data: YAML files validated into typed models, errors naming file, line and field."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from phoihop.settings import config_dir
from phoihop.themes import THEME_IDS

Language = Literal["vi", "en", "fr", "zh"]
Format = Literal["news", "article", "photo", "photo_report", "video", "infographic", "megastory", "audio"]


class ConfigError(ValueError):
    """A configuration file is invalid; the message names the file, line and field."""


class Strict(BaseModel):
    """Base model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Discovery(Strict):
    """One way of finding article URLs, tried in the order listed."""

    type: Literal["rss", "sitemap", "listing"]
    url: str
    next_page: str | None = None  # CSS selector of the "next page" link on listings
    max_pages: int = Field(default=20, ge=1, le=10_000)


class RateLimit(Strict):
    """Politeness settings for one host."""

    min_interval_s: float = Field(default=2.0, ge=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    timeout_s: float = Field(default=20.0, gt=0)


class Hints(Strict):
    """Optional per-source extraction hints; a hint that stops matching raises LayoutChanged."""

    title: str | None = None
    lead: str | None = None
    body: str | None = None
    date: str | None = None
    author: str | None = None
    date_pattern: str | None = None


class Source(Strict):
    """A partner portal (or one section of it) that phoihop crawls."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    outlet: str
    base_url: str
    allowed_domains: list[str]
    language: Language = "vi"
    editions: dict[Language, str] = Field(default_factory=dict)
    section: str | None = None
    founded: dt.date = dt.date(1990, 1, 1)
    discovery: list[Discovery]
    article_url_pattern: str
    rate_limit: RateLimit = RateLimit()
    hints: Hints = Hints()
    revisit_days: int = Field(default=2, ge=0, le=60)  # recent articles re-checked with conditional requests
    checked: Literal["replay", "offline", "live"] = "offline"
    enabled: bool = True

    @field_validator("article_url_pattern")
    @classmethod
    def _regex(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/]+", value):
            raise ValueError("must be an absolute http(s) URL")
        return value


class SourcesFile(Strict):
    """The whole `sources.yaml`."""

    sources: list[Source]

    @model_validator(mode="after")
    def _unique(self) -> SourcesFile:
        ids = [s.id for s in self.sources]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate source ids: {', '.join(dupes)}")
        return self


class Phrase(Strict):
    """A weighted lexicon phrase of a theme."""

    text: str
    weight: float = Field(default=1.0, gt=0, le=10)


class Theme(Strict):
    """One of the 16 agreed themes with its lexicon."""

    id: str
    name: str
    description: str
    phrases: list[Phrase]
    exclude: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in THEME_IDS:
            raise ValueError(f"unknown theme id {value!r}; the agreed ids are fixed (themes.md)")
        return value

    @field_validator("phrases", mode="before")
    @classmethod
    def _phrases(cls, value: Any) -> Any:
        # "phrase: weight" mappings and plain strings are both accepted for analysts' convenience.
        if isinstance(value, list):
            out: list[Any] = []
            for item in value:
                if isinstance(item, str):
                    out.append({"text": item})
                elif isinstance(item, dict) and len(item) == 1 and "text" not in item:
                    ((text, weight),) = item.items()
                    out.append({"text": text, "weight": weight})
                else:
                    out.append(item)
            return out
        return value


class ThemesFile(Strict):
    """The whole `themes.yaml`."""

    version: str
    themes: list[Theme]

    @model_validator(mode="after")
    def _complete(self) -> ThemesFile:
        ids = [t.id for t in self.themes]
        missing = [t for t in THEME_IDS if t not in ids]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if missing or dupes:
            raise ValueError(f"theme set must list each agreed id once; missing {missing}, duplicated {dupes}")
        return self

    def fingerprint(self) -> str:
        """Short hash of the lexicon, recorded with every assignment."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:10]


class Target(Strict):
    """A volume agreed in a programme for a period, optionally per theme, format or language."""

    period: Literal["quarter", "year"] = "quarter"
    theme: str | None = None
    format: Format | None = None
    language: Language | None = None
    items: int = Field(ge=0)

    @field_validator("theme")
    @classmethod
    def _theme(cls, value: str | None) -> str | None:
        if value is not None and value not in THEME_IDS:
            raise ValueError(f"unknown theme id {value!r}")
        return value


class KeyEvent(Strict):
    """An event whose pick-up speed the analysts measure (timeliness view)."""

    id: str
    name: str
    starts_at: dt.datetime
    theme: str | None = None
    keywords: list[str] = Field(min_length=1)

    @field_validator("keywords", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return [k.strip() for k in value.split("|") if k.strip()] if isinstance(value, str) else value

    @field_validator("starts_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("needs a UTC offset, e.g. 2021-07-09T00:00:00+07:00")
        return value


class Programme(Strict):
    """A media-coordination programme between a body and a partner outlet."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    parties: list[str] = Field(min_length=2)
    sources: list[str] = Field(min_length=1)
    start: dt.date
    end: dt.date
    themes: list[str]
    targets: list[Target] = Field(default_factory=list)
    key_events: list[KeyEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> Programme:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @field_validator("themes")
    @classmethod
    def _themes(cls, value: list[str]) -> list[str]:
        bad = [t for t in value if t not in THEME_IDS]
        if bad:
            raise ValueError(f"unknown theme ids {bad}")
        return value


class ProgrammesFile(Strict):
    """The whole `programmes.yaml`."""

    programmes: list[Programme]


class GazetteerFile(Strict):
    """The whole `gazetteer.yaml`: positions and bodies analysts follow."""

    positions: list[str] = Field(default_factory=list)
    bodies: list[str] = Field(default_factory=list)


M = TypeVar("M", bound=BaseModel)


def _node_line(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """Line (1-based) of the YAML node at a pydantic error location, or of its nearest parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


def load_model(path: Path, model: type[M]) -> M:
    """Parse and validate one YAML file, raising ConfigError naming file, line and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if isinstance(p, (int, str))]
            line = _node_line(root, loc)
            field = ".".join(str(p) for p in loc) or "(top level)"
            lines.append(f"{path}:{line or '?'}: {field}: {err['msg']}")
        raise ConfigError("\n".join(lines)) from None


def load_sources(path: Path | None = None) -> list[Source]:
    """The configured sources."""
    return load_model(path or config_dir() / "sources.yaml", SourcesFile).sources


def load_themes(path: Path | None = None) -> ThemesFile:
    """The configured theme set."""
    return load_model(path or config_dir() / "themes.yaml", ThemesFile)


def load_programmes(path: Path | None = None) -> list[Programme]:
    """The configured coordination programmes."""
    return load_model(path or config_dir() / "programmes.yaml", ProgrammesFile).programmes


def load_gazetteer(path: Path | None = None) -> GazetteerFile:
    """The configured gazetteer of positions and bodies."""
    return load_model(path or config_dir() / "gazetteer.yaml", GazetteerFile)


def source_by_id(source_id: str, path: Path | None = None) -> Source:
    """One source by id, with a clear error when it is not configured."""
    for source in load_sources(path):
        if source.id == source_id:
            return source
    raise ConfigError(f"no source {source_id!r} in {path or config_dir() / 'sources.yaml'}")
