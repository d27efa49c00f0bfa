"""Template-driven extraction on truth-derived layouts (perfect OCR) of factory documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from factory.build import make_sample, truth_path
from models.records import FAMILIES
from models.truth import Truth, TruthPage
from tasks.detect import load_templates
from tasks.evaluate import PROGRESS_KEYS, values_equal
from tasks.extract import extract, extract_document, join_lines, truth_layouts

SEEDS = (1, 2, 3)


@pytest.fixture(scope="module")
def truths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Truth]]:
    out = tmp_path_factory.mktemp("samples")
    made: dict[str, list[Truth]] = {}
    for family in FAMILIES:
        for seed in SEEDS:
            pdf = make_sample(out, family, seed, "clean")
            made.setdefault(family, []).append(Truth.model_validate_json(truth_path(pdf).read_text("utf-8")))
    return made


def _by_name(result, name):  # type: ignore[no-untyped-def]
    return [
        p for p in result.projects if p.fields.get("project_name") and p.fields["project_name"].value == name
    ]


@pytest.mark.parametrize("family", FAMILIES)
def test_every_truth_field_is_extracted(truths: dict[str, list[Truth]], family: str) -> None:
    for truth in truths[family]:
        result = extract_document(truth.source, *truth_layouts(truth))
        assert result.doc_type == family
        assert len(result.projects) == len(truth.projects)
        for want in truth.projects:
            candidates = _by_name(result, want.fields["project_name"].value)
            assert candidates, want.fields["project_name"].value
            assert any(
                all(
                    name in got.fields and values_equal(got.fields[name].value, fv.value)
                    for name, fv in want.fields.items()
                )
                for got in candidates
            ), truth.source


@pytest.mark.parametrize("family", ["bma_project_form", "bma_project_page"])
def test_every_progress_row_is_extracted(truths: dict[str, list[Truth]], family: str) -> None:
    for truth in truths[family]:
        result = extract_document(truth.source, *truth_layouts(truth))
        got = {(r.project_code, r.seq): r for r in result.progress}
        assert len(got) == len(truth.progress)
        for want in truth.progress:
            row = got[(want.project_code, want.seq)]
            for key in PROGRESS_KEYS:
                if getattr(want, key) is not None:
                    assert values_equal(getattr(row, key), getattr(want, key)), (truth.source, want.seq, key)


def test_fields_carry_provenance_and_confidence(truths: dict[str, list[Truth]]) -> None:
    truth = truths["bma_project_form"][0]
    result = extract_document(truth.source, *truth_layouts(truth))
    code = result.projects[0].fields["project_code"]
    assert code.page == 1 and code.bbox is not None and all(0 <= x <= 1 for x in code.bbox)
    assert code.confidence == 1.0 and not code.needs_review and code.text


def _doc(family: str, pages: list[list[str]], digits: str = "arabic") -> Truth:
    return Truth(
        source="x.pdf",
        family=family,
        seed=0,
        preset="clean",
        digits=digits,  # type: ignore[arg-type]
        pages=[TruthPage(number=i, body=body) for i, body in enumerate(pages, start=1)],
    )


def test_bma_form_progress_row_split_over_a_page_break() -> None:
    truth = _doc(
        "bma_project_form",
        [
            [
                "ชื่อโครงการ/กิจกรรม : อบรมครู",
                "รหัสโครงการ... : 50220000-6950",
                "ปีงบประมาณ พ.ศ. : 2565",
                "รายงานครั้งที่1 :: 31/12/2564 : จัดทำหนังสือขออนุมัติ",
            ],
            [
                ":: ความก้าวหน้าของงานฯ = 20.00 % : งบประมาณที่เบิกใช้ (ครั้งที่ 1) = 1,500 บาท : ไม่เป็นไปตามแผน : "
                "เป็นไปตาม",
                "เป้าหมาย",
            ],
        ],
    )
    result = extract(load_templates()["bma_project_form"], truth.source, *truth_layouts(truth))
    [row] = result.progress
    assert (row.seq, row.report_date, row.progress_percent, row.disbursed) == (1, "2021-12-31", 20.0, 1500.0)
    assert (row.on_plan, row.on_target, row.note) == (False, True, "จัดทำหนังสือขออนุมัติ")
    assert row.project_code == "50220000-6950"
    assert result.projects[0].fields["progress_percent"].value == 20.0


def test_wrapped_value_is_joined() -> None:
    truth = _doc(
        "bma_project_form",
        [
            [
                "ชื่อโครงการ/กิจกรรม : ส่งเสริมสุขภาวะนักเรียน (",
                "สำนักงานเขตบางกอกน้อย)",
                "รหัสโครงการ... : 50220000-6950",
            ]
        ],
    )
    result = extract(load_templates()["bma_project_form"], truth.source, *truth_layouts(truth))
    assert result.projects[0].fields["project_name"].value == "ส่งเสริมสุขภาวะนักเรียน (สำนักงานเขตบางกอกน้อย)"
    assert join_lines(["ไม่สามารถเบิกจ่ายได้ เนื่องจากอยู่ใน", "ระหว่างการดำเนินการ"]).endswith("อยู่ในระหว่างการดำเนินการ")
    assert join_lines(["จำนวน 2,000", "บาท"]) == "จำนวน 2,000 บาท"


def test_bma_page_status_rules() -> None:
    def status(note: str, percent: str) -> str:
        truth = _doc(
            "bma_project_page",
            [
                [
                    "ชื่อโครงการ : อบรมครู",
                    "รหัสโครงการ : 50190700-9228",
                    "ปีงบประมาณ : 2567",
                    f"({1}) ความคืบหน้าโครงการฯ ร้อยละ {percent} (2024-08-30)",
                    f"30/08/2567 : {note}",
                    "** ปัญหาของโครงการ :-",
                    "** อุปสรรคของโครงการ :ไม่มี",
                    "------------------&&&--------------------",
                ]
            ],
        )
        return (
            extract(load_templates()["bma_project_page"], truth.source, *truth_layouts(truth))
            .projects[0]
            .fields["status"]
            .value
        )

    assert status("ยกเลิกการดำเนินโครงการ", "10.00") == "cancelled"
    assert status("ดำเนินการแล้วเสร็จ", "100.00") == "completed"
    assert status("อยู่ระหว่างดำเนินการ", "40.00") == "in_progress"


def test_followup_merges_list_and_forms_with_a_repeated_project_name(truths: dict[str, list[Truth]]) -> None:
    for truth in truths["obec_followup_report"]:
        result = extract_document(truth.source, *truth_layouts(truth))
        for want, got in zip(truth.projects, result.projects, strict=True):  # list order is kept
            assert got.fields["project_name"].value == want.fields["project_name"].value
            assert got.fields["status"].value == want.fields["status"].value
            assert got.fields["agency"].value == want.fields["agency"].value


def test_followup_status_without_the_list_is_inferred_and_flagged() -> None:
    truth = _doc(
        "obec_followup_report",
        [
            [
                "แบบรายงาน “ความก้าวหน้า” การดำเนินงานโครงการ/กิจกรรม",
                "ประจำปีงบประมาณ พ.ศ. 2568",
                "ชื่อโครงการ อบรมครู",
                "ผู้รับผิดชอบ นายสมศักดิ์ ทองดี กลุ่ม/หน่วย กลุ่มนโยบายและแผน",
                "- งบ สพป. จำนวน 10,000..... บาท",
                "- ใช้ไป (รวมผูกพันแล้วยังไม่ส่งเบิก) จำนวน 2,000..... บาท",
                "คงเหลือ (ณ วันที่ ...31 มีนาคม 2568.....) จำนวน ...8,000.....บาท",
            ]
        ],
    )
    [project] = extract(
        load_templates()["obec_followup_report"], truth.source, *truth_layouts(truth)
    ).projects
    f = project.fields
    assert (f["budget_allocated"].value, f["budget_spent"].value, f["budget_remaining"].value) == (
        10000,
        2000,
        8000,
    )
    assert (f["as_of_date"].value, f["fiscal_year"].value) == ("2025-03-31", 2568)
    assert (f["responsible_person"].value, f["agency"].value) == ("นายสมศักดิ์ ทองดี", "กลุ่มนโยบายและแผน")
    assert f["status"].value == "in_progress" and f["status"].needs_review


def test_obec_summary_reads_thai_digits_and_stated_counts(truths: dict[str, list[Truth]]) -> None:
    truth = truths["obec_progress_summary"][0]
    result = extract_document(truth.source, *truth_layouts(truth))
    assert result.counts and all(c.count > 0 for c in result.counts)
    assert not result.issues  # every stated count and table total agrees with what was found
    assert {p.fields["fiscal_year"].value for p in result.projects} == {
        truth.projects[0].fields["fiscal_year"].value
    }


def test_unknown_document_gives_no_records() -> None:
    truth = _doc("unknown", [["สวัสดีครับ", "ข้อความทั่วไปที่ไม่ใช่รายงาน"]])
    result = extract_document(truth.source, *truth_layouts(truth))
    assert result.doc_type == "unknown" and not result.projects


def test_templates_cover_every_family() -> None:
    assert set(load_templates()) == set(FAMILIES)


def test_a_new_family_is_only_a_template(tmp_path: Path) -> None:
    from models.extract import Template

    template = Template.model_validate(
        {
            "family": "bma_project_page",
            "detect": {"titles": ["แบบฟอร์มใหม่"]},
            "fields": {
                "project_name": {"labels": ["โครงการ"]},
                "budget_allocated": {"labels": ["งบ"], "parser": "money"},
            },
        }
    )
    truth = _doc("bma_project_page", [["แบบฟอร์มใหม่", "โครงการ : ทดลอง", "งบ : 1,200 บาท"]])
    [project] = extract(template, truth.source, *truth_layouts(truth)).projects
    assert (project.fields["project_name"].value, project.fields["budget_allocated"].value) == (
        "ทดลอง",
        1200.0,
    )
