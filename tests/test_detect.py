"""Family detection from the first pages' titles and labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from factory.build import make_sample, truth_path
from factory.oracle import truth_layouts
from models.records import FAMILIES
from models.truth import Truth, TruthPage
from tasks.detect import detect


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_is_detected(tmp_path: Path, family: str) -> None:
    for seed in (4, 5):
        truth = Truth.model_validate_json(
            truth_path(make_sample(tmp_path, family, seed, "clean")).read_text("utf-8")
        )
        found = detect(*truth_layouts(truth))
        assert found.family == family
        assert 0.5 <= found.confidence <= 1 and found.evidence
        assert found.scores[family] == max(found.scores.values())


def test_garbled_title_still_counts() -> None:
    truth = Truth(
        source="x.pdf",
        family="bma_project_form",
        seed=0,
        preset="clean",
        digits="arabic",
        pages=[
            TruthPage(
                number=1,
                body=[
                    "**** แบบแสดงรายงานความกาวหนาและข้อมูลเกี่ยวกับโครงการ ****",
                    "ชื่อโครงการ/กิจกรรม : อบรมครู",
                    "เริ่มต้นโครงการ : 2021-10-01",
                ],
            )
        ],
    )
    found = detect(*truth_layouts(truth))
    assert found.family == "bma_project_form"


def test_unrelated_text_is_unknown() -> None:
    truth = Truth(
        source="x.pdf",
        family="unknown",
        seed=0,
        preset="clean",
        digits="arabic",
        pages=[TruthPage(number=1, body=["ใบเสร็จรับเงิน", "ร้านค้าสวัสดิการ"])],
    )
    found = detect(*truth_layouts(truth))
    assert found.family == "unknown" and not found.evidence
