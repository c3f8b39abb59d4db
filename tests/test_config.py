"""Configuration is data: the shipped files load, and a bad line is reported with its file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from phoihop.config import ConfigError, SourcesFile, ThemesFile, load_model, load_programmes, load_sources, load_themes
from phoihop.themes import THEME_IDS

GOOD_SOURCE = """sources:
  - id: demo_ok
    name: Demo
    outlet: Demo outlet
    base_url: https://example.vn/
    allowed_domains: [example.vn]
    discovery:
      - {type: rss, url: "https://example.vn/rss"}
    article_url_pattern: '-\\d+\\.html$'
"""


def test_shipped_configuration_loads() -> None:
    sources = load_sources()
    assert {"dcs_tphcm", "chinhphu_tphcm", "saigon_thanhpho", "dangcongsan", "baochinhphu_tphcm", "nhandan",
            "hanoimoi", "phunuthudo"} <= {s.id for s in sources}
    assert [t.id for t in load_themes().themes] == list(THEME_IDS)
    assert all(p.targets for p in load_programmes())


def test_bad_field_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD_SOURCE.replace("'-\\d+\\.html$'", "'([unclosed'"), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_model(path, SourcesFile)
    assert f"{path}:9: sources.0.article_url_pattern: Value error, not a valid regular expression" in str(err.value)


def test_unknown_key_and_yaml_syntax_errors(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD_SOURCE + "    rate_limt: {min_interval_s: 1}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources.yaml:10: sources\.0\.rate_limt: Extra inputs are not permitted"):
        load_model(path, SourcesFile)
    path.write_text(GOOD_SOURCE + "  - id: [broken\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources.yaml:1\d: not valid YAML"):
        load_model(path, SourcesFile)


def test_theme_ids_are_fixed(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parent.parent / "config" / "themes.yaml").read_text(encoding="utf-8")
    path = tmp_path / "themes.yaml"
    path.write_text(text.replace("  - id: bau_cu\n", "  - id: bau_cu_2021\n"), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_model(path, ThemesFile)
    assert "themes.14.id: Value error, unknown theme id 'bau_cu_2021'" in str(err.value)
