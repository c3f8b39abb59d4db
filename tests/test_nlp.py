"""Normalisation, lexicon matching with exclusions, the classifier's labels and evidence, tokens and entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.classifier import Classifier
from nlp.entities import Gazetteer, extract_entities
from nlp.lexicon import Lexicon
from nlp.segmenter import TokenCache, ner
from nlp.text import fold_accents, normalise, sentences
from phoihop.config import load_gazetteer, load_themes

THEMES = load_themes()
LEXICON = Lexicon(THEMES.themes)


@pytest.mark.parametrize(("raw", "expected"), [
    ("Thành uỷ", "Thành ủy"),
    ("hoà bình", "hòa bình"),
    ("sức khoẻ", "sức khỏe"),
    ("THUỶ", "THỦY"),
    ("quý khách", "quý khách"),  # qu + y keeps its tone on y
    ("hoàn thành", "hoàn thành"),  # the pair does not close the syllable
    ("“Chống dịch như chống giặc” – khẩu hiệu", '"Chống dịch như chống giặc" - khẩu hiệu'),
    ("a  \t b\u00a0c", "a b c"),
    ("Tho\u0302\u0301ng nha\u0302\u0301t", "Thống nhất"),  # decomposed input becomes NFC
])
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_fold_accents_and_sentences() -> None:
    assert fold_accents("Cải cách hành chính ở Đà Nẵng") == "cai cach hanh chinh o da nang"
    assert sentences("Câu một. Câu hai! Câu ba?\nDòng mới") == ["Câu một.", "Câu hai!", "Câu ba?", "Dòng mới"]


def test_old_and_new_tone_placement_match_the_same_phrase() -> None:
    old = LEXICON.scores(LEXICON.match("", "Hội nghị Thành uỷ về giãn cách xã hội và tiêm vắc xin."))
    new = LEXICON.scores(LEXICON.match("", "Hội nghị Thành ủy về giãn cách xã hội và tiêm vắc xin."))
    assert old == new and old["phong_chong_dich"] > 0


def test_city_name_does_not_count_for_ho_chi_minh_thought() -> None:
    text = "Thành phố Hồ Chí Minh và TP Hồ Chí Minh đẩy mạnh sản xuất, hỗ trợ doanh nghiệp phục hồi kinh tế."
    hits = LEXICON.match("TP Hồ Chí Minh hỗ trợ doanh nghiệp", text)
    assert not [h for h in hits if h.theme == "hoc_tap_bac_ho"]
    study = LEXICON.match("", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh theo Chỉ thị 05.")
    assert {h.phrase for h in study if h.theme == "hoc_tap_bac_ho"} >= {"chỉ thị 05", "học tập và làm theo"}


def test_headline_weighs_more_than_the_tail() -> None:
    filler = "Nội dung khác của bài viết được trình bày ở đây. " * 12
    in_title = LEXICON.scores(LEXICON.match("Đẩy mạnh chuyển đổi số", filler))
    in_tail = LEXICON.scores(LEXICON.match("Tin tức", filler + "Đẩy mạnh chuyển đổi số."))
    assert in_title["chuyen_doi_so"] == 3 * in_tail["chuyen_doi_so"] > 0


def test_lexicon_only_classifier_gives_no_theme_to_sport_and_evidence_to_themed_text() -> None:
    clf = Classifier(LEXICON, THEMES.version)
    sport = clf.predict("Kết quả vòng 5 Ngoại hạng Anh", "Trận cầu tâm điểm kết thúc với tỷ số hòa 1-1, tiền đạo chủ "
                        "nhà gỡ hòa ở phút bù giờ sau pha đánh đầu cận thành.")
    assert sport.labels == []
    covid = clf.predict("TP Hồ Chí Minh giãn cách xã hội theo Chỉ thị 16",
                        "Thành phố thực hiện giãn cách xã hội để phòng, chống dịch COVID-19. Người dân được tiêm "
                        "vắc xin tại các điểm tiêm lưu động.")
    assert covid.labels == ["phong_chong_dich"]
    evidence = covid.evidence["phong_chong_dich"]
    assert evidence[0]["kind"] == "phrase" and evidence[0]["zone"] == "title"
    assert "Chỉ thị 16" in evidence[0]["sentence"]
    assert all(0.0 <= s <= 1.0 for s in covid.scores.values()) and set(covid.scores) == set(LEXICON.ids)
    assert covid.version == f"themes-{THEMES.version}+lexicon"


def test_token_cache_never_tokenises_twice(tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "tokens.sqlite")
    text = "Thành ủy TP Hồ Chí Minh tổ chức hội nghị cải cách hành chính"
    first = cache.tokens(text)
    again = TokenCache(tmp_path / "tokens.sqlite").tokens(text)
    assert first == again and "cải_cách" in first and "hành_chính" in first
    cache.tokens(text)
    assert (cache.hits, cache.misses) == (1, 1)


def test_entities_from_ner_and_gazetteer() -> None:
    gaz = load_gazetteer()
    found = extract_entities(
        "Bí thư Thành ủy làm việc với Ban Tuyên giáo Trung ương",
        "Sáng 6/10, đồng chí Nguyễn Văn Nam, Bí thư Thành ủy, làm việc với Sở Y tế về công tác chống dịch.",
        ner, Gazetteer(gaz.positions, gaz.bodies))
    names = {(e.name, e.kind) for e in found}
    assert ("Bí thư Thành ủy", "POSITION") in names
    assert ("Ban Tuyên giáo Trung ương", "ORG") in names and ("Sở Y tế", "ORG") in names
    assert any(kind == "PER" and "Nguyễn Văn Nam" in name for name, kind in names)
