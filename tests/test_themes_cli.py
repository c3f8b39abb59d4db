"""The theme interfaces for other tools and analysts: train, classify, eval, label -> retrain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from phoihop.cli import main

GOLD = [
    {"id": "g1", "title": "Đẩy mạnh chuyển đổi số", "text": "Thành phố xây dựng đô thị thông minh, phát triển kinh tế số "
     "và chính quyền số, hỗ trợ doanh nghiệp khởi nghiệp đổi mới sáng tạo.", "labels": ["chuyen_doi_so"]},
    {"id": "g2", "title": "Tiêm vắc xin phòng COVID-19", "text": "Ngành y tế tổ chức tiêm vắc xin phòng COVID-19 cho "
     "người dân, thực hiện giãn cách xã hội và cách ly các ca mắc.", "labels": ["phong_chong_dich"]},
    {"id": "g3", "title": "Kết quả bóng đá", "text": "Đội chủ nhà thắng 2-0 trong trận đấu tối qua.", "labels": []},
    {"id": "g4", "title": "Cải cách thủ tục hành chính", "text": "Bộ phận một cửa tiếp nhận hồ sơ qua dịch vụ công "
     "trực tuyến, nâng cao chỉ số hài lòng SIPAS.", "labels": ["cai_cach_hanh_chinh"]},
    {"id": "g5", "title": "Chống dịch COVID-19", "text": "Thành phố lập bệnh viện dã chiến, xét nghiệm diện rộng "
     "để phòng, chống dịch bệnh.", "labels": ["phong_chong_dich"]},
    {"id": "g6", "title": "Khởi nghiệp sáng tạo", "text": "Các startup công nghệ ứng dụng trí tuệ nhân tạo và dữ liệu, "
     "thúc đẩy chuyển đổi số.", "labels": ["chuyen_doi_so"]},
]


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in GOLD), encoding="utf-8")
    return path


def test_classify_jsonl_interface(data_dir: Path, gold: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["classify", "--input", str(gold), "--output", str(out)]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == [r["id"] for r in GOLD]
    assert set(lines[0]) == {"id", "labels", "scores", "evidence"} and len(lines[0]["scores"]) == 16
    assert "phong_chong_dich" in lines[1]["labels"] and lines[2]["labels"] == []
    assert any("vắc xin" in e for e in lines[1]["evidence"]["phong_chong_dich"])


def test_eval_prints_per_theme_and_micro_macro(data_dir: Path, gold: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--gold", str(gold)]) == 0
    out = capsys.readouterr().out
    assert "chuyen_doi_so" in out and "micro P" in out and "macro F1" in out


def test_train_writes_a_versioned_model_with_its_data_hash(data_dir: Path, gold: Path) -> None:
    from nlp.classifier import ThemeModel
    from phoihop.pipeline import model_path

    assert main(["train", "--gold", str(gold)]) == 0
    model = ThemeModel.load(model_path())
    assert model.n_examples == len(GOLD) and len(model.data_hash) == 64
    assert model.version.startswith("themes-2021.1+lr-")


def test_correction_feeds_the_next_training(data_dir: Path, gold: Path, replay_url: str) -> None:
    from nlp.classifier import ThemeModel
    from phoihop import pipeline
    from phoihop.pipeline import model_path
    from warehouse.query import query

    pipeline.run("r1", replay=replay_url, only=["dcs_tphcm"])
    article = query(data_dir / "warehouse.duckdb", "SELECT article_id FROM articles ORDER BY 1 LIMIT 1").article_id[0]
    assert main(["label", article, "doi_ngoai", "--yes", "--analyst", "lan"]) == 0
    assert main(["train", "--gold", str(gold)]) == 0
    with_correction = ThemeModel.load(model_path())
    assert with_correction.n_examples == len(GOLD) + 1
    assert main(["train", "--gold", str(gold), "--no-corrections"]) == 0
    assert ThemeModel.load(model_path()).data_hash != with_correction.data_hash
    assert main(["label", article, "khong_co", "--yes"]) == 2  # an unknown theme is refused
