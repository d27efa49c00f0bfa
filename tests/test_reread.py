"""The second reading of flagged text fields (tasks/reread.py): what counts as found again, which fields
are read, and a real page read again through Tesseract."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from factory.build import make_sample, truth_path
from models.extract import Detection, ExtractionResult
from models.pipeline import OcrLine, OcrWord, PageResult
from models.records import FieldValue, ProjectRecord
from models.settings import Settings, load_settings
from models.truth import Truth
from tasks.clean import rotate
from tasks.digits import font_files
from tasks.extract import extract_document
from tasks.layout import document_layout
from tasks.ocr import TesseractEngine
from tasks.page import process_page
from tasks.preflight import inspect_pdf
from tasks.rasterise import rasterise_page
from tasks.reread import (
    amount_found_in,
    amount_read_again,
    candidates,
    found_in,
    latin_candidates,
    latin_contradiction,
    latin_reads,
    line_crop,
    page_grey,
    read_again,
)
from tasks.validate import (
    CONFIRMED_REREAD_REASON,
    CORRECTIONS_REASON,
    LATIN_DIGITS_REASON,
    REREAD_MISSED_REASON,
    REREAD_REASON,
    calibrate,
    field_group,
    forced_review,
    load_calibration,
)


def test_a_value_is_found_again_only_with_the_same_letters_and_the_same_spaces_inside() -> None:
    line = "ชื่อโครงการ : ลูกเสือจิตอาสาพระราชทาน ."
    assert found_in("ลูกเสือจิตอาสาพระราชทาน", line)
    assert found_in("ลูกเสือจิตอาสาพระราชทาน", "ชื่อโครงการ:ลูกเสือจิตอาสาพระราชทาน")  # glued label
    assert not found_in("ลูกเสือจิตอาสาพระราชทาร", line)  # one letter read otherwise
    assert not found_in("ลูกเสือ จิตอาสาพระราชทาน", line)  # a space added inside the name
    assert not found_in("ลูกเสือจิตอาสาพระราชทาน", "ลูกเสือจิตอา สาพระราชทาน")  # ... or lost
    assert not found_in("นางสาวกัดยา ดันงา", "ผู้รับผิดชอบ นางสาวกัลยา ดันงา กลุ่ม/หน่วย")
    assert found_in("นางสาวกัลยา ดันงา", "ผู้รับผิดชอบ นางสาวกัลยา ดันงา กลุ่ม/หน่วย")
    assert found_in("ศูนย์วิชาการเขต (สำนักงานเขตบางคอแหลม)", "ศูนย์วิชาการเขต (สำนักงานเขต \nบางคอแหลม )")  # wrapped


def test_a_value_cut_short_too_short_or_holding_noise_is_not_found_again() -> None:
    line = "ชื่อโครงการ : อบรมครู (สำนักงานเขตบางกอกใหญ่ )"
    assert not found_in("อบรมครู (สำนักงานเขตบางกอกใหญ่", line)  # its ')' is on the line
    assert found_in("อบรมครู (สำนักงานเขตบางกอกใหญ่ )", line)
    assert not found_in("ดร.สมเกียรติ อีระ", "ผู้รับผิดชอบ ดร.สมเกียรติ อีระวุฒิศาสตร์ กลุ่ม/หน่วย")
    assert not found_in("อ", "หน่วยงาน : อ")  # one letter is in any line
    assert not found_in("งานสารบรรณ ] โดยอิเล็กทรอนิกส์", "งานสารบรรณ ] โดยอิเล็กทรอนิกส์")
    assert not found_in(12.0, "12") and not found_in("", "")


def test_an_amount_is_found_again_only_as_a_clean_number_of_its_line() -> None:
    assert amount_found_in(166510.0, "งบประมาณที่ใช้ไป : 166,510.บาท")
    assert amount_found_in(31000.0, "จำนวนเงินงบประมาณที่เบิกจ่ายจริง ๓๑,๐๐๐ บาท")
    assert amount_found_in(39600.0, "ใช้ไป (รวมผูกพันแล้วยังไม่ส่งเบิก) จำนวน39,600")
    assert not amount_found_in(31001.0, "จำนวนเงินงบประมาณที่เบิกจ่ายจริง ๓ ๑, ๐๐๑ บาท")  # a space closed
    assert not amount_found_in(100.0, "จำนวนเงินงบประมาณที่เบิกจ่ายจริง ซ ซซ่,๑๐๐ บาท")  # glued to letters
    assert not amount_found_in(261900.0, "261.909") and not amount_found_in(5.0, "")


def test_an_amount_from_1000_up_is_found_among_the_other_numbers_of_its_row() -> None:
    row = "3 | ตามแผนปฏิบัติการประจำปีงบประมาณ | บริหารงานบุคคล | 2 | 341,300 | - | ยังไม่ดำเนินการ"
    assert amount_found_in(341300.0, row)
    assert amount_found_in(347700.0, "+งบ สพป. จำนวน347,700 : บาท ใช้ไป จำนวน39,600")  # two lines in the box
    assert not amount_found_in(341900.0, row)
    assert not amount_found_in(2.0, row) and not amount_found_in(3.0, row)  # a small number: any row has one
    assert not amount_found_in(341300.0, "3 | 341,3OO | 2")  # letters for digits: a repair, not a reading


def _cell(text: str, face: str = "Sarabun") -> np.ndarray:
    """A grey table cell's crop as the second reading cuts it: `text` printed in `face`, the cell's
    rulings above, below and at both sides, a speck of dust, the page's grey paper."""
    path = font_files(face)[0]
    font = ImageFont.truetype(str(path), 40, layout_engine=ImageFont.Layout.RAQM)
    image = Image.new("L", (380, 118), 235)
    draw = ImageDraw.Draw(image)
    draw.text((380 - 40 - round(font.getlength(text)), 42), text, font=font, fill=20)
    for box in ((0, 8, 379, 12), (0, 106, 379, 110), (6, 0, 10, 117), (370, 0, 374, 117)):
        draw.rectangle(box, fill=30)
    draw.ellipse((40, 90, 45, 95), fill=30)
    return np.asarray(image)


def test_a_thai_digit_table_cell_tesseract_reads_nothing_in_is_read_glyph_by_glyph() -> None:
    digits = load_settings().digits
    cell = _cell("๘๘๐,๗๐๐")
    assert amount_read_again(880700.0, cell, [], digits, kernel=61, least=50)
    assert not amount_read_again(880100.0, cell, [], digits, kernel=61, least=50)
    assert not amount_read_again(880700.0, cell, [], digits, kernel=61, least=100.5)  # no digit that sure
    words = _cell("ยังไม่ดำเนินการ")  # no number in it
    assert not amount_read_again(355100.0, words, [], digits, kernel=61, least=50)


def test_a_thai_digit_amount_tesseract_misread_in_its_line_is_found_glyph_by_glyph() -> None:
    font = ImageFont.truetype(str(font_files("Sarabun")[0]), 40, layout_engine=ImageFont.Layout.RAQM)
    label, number = "จำนวน", "๕๐๙,๘๐๐"
    image = Image.new("L", (420, 90), 240)
    ImageDraw.Draw(image).text((20, 20), f"{label} {number}", font=font, fill=10)
    grey = np.asarray(image)
    split = 20 + round(font.getlength(label + " ")) - 4
    words = [
        OcrWord(text=label, bbox=(20, 15, split - 8, 75), confidence=90),
        OcrWord(text="๕๐๕,๕๐๐", bbox=(split, 15, 400, 75), confidence=60, space_before=True),  # tha's reading
    ]
    line = OcrLine(text="จำนวน ๕๐๕,๕๐๐", bbox=(0, 0, 420, 90), confidence=75, words=words)
    digits = load_settings().digits
    assert amount_read_again(509800.0, grey, [line], digits, kernel=61, least=50)
    assert not amount_read_again(509800.0, grey, [line], digits, kernel=61, least=100.5)
    assert not amount_read_again(505500.0, grey, [line], digits, kernel=61, least=50)  # not tha's misreading


def test_a_crop_is_the_box_with_its_margin_kept_inside_the_page() -> None:
    grey = np.zeros((100, 200), np.uint8)
    assert line_crop(grey, [0.1, 0.2, 0.5, 0.3], 5).shape == (20, 90)
    assert line_crop(grey, [0.0, 0.0, 1.0, 1.0], 5).shape == (100, 200)
    assert line_crop(grey, [0.5, 0.5, 0.5, 0.5], 0) is None


def _flagged(fields: dict[str, FieldValue]) -> ExtractionResult:
    return ExtractionResult(
        source="x.pdf",
        doc_type="bma_project_form",
        detection=Detection(family="bma_project_form", confidence=1),
        projects=[ProjectRecord(source="x.pdf", doc_type="bma_project_form", fields=fields)],
    )


def test_only_fields_of_the_groups_read_again_their_score_alone_flags_are_read_again() -> None:
    box = {"page": 1, "bbox": [0.1, 0.1, 0.9, 0.12]}
    result = _flagged(
        {
            "project_name": FieldValue(value="จัดงานวันเด็ก", confidence=0.7, needs_review=True, **box),
            "agency": FieldValue(value="สำนักงานเขตดุสิต", confidence=0.99, needs_review=False, **box),
            "coordinator": FieldValue(value=None, needs_review=True, **box),  # empty: forced to review
            "responsible_person": FieldValue(
                value="นายกิติรัตน์",
                confidence=0.9,
                needs_review=True,
                reasons=["one word, though the project's own form prints the full name"],
                **box,
            ),  # a review reason: forced
            "budget_allocated": FieldValue(value=1000.0, confidence=0.5, needs_review=True, **box),
            "fiscal_year": FieldValue(value=2567, confidence=0.5, needs_review=True, **box),  # not read again
            "division": FieldValue(value="ฝ่ายปกครอง", confidence=0.5, needs_review=True, page=1),  # no box
        }
    )
    got = [name for name, _ in candidates(result, load_settings().reread, load_calibration())]
    assert got == ["project_name", "budget_allocated"]


def test_the_latin_model_contradicts_a_number_only_by_the_slips_of_the_page_reading() -> None:
    # what Tesseract's eng model gave for boxes of held-out set 3001 and the development sets
    slips = load_settings().reread.latin_slips
    assert latin_contradiction(655100.0, slips, "455,100") == "455100"  # 4 read 6 by the page's reading
    assert latin_contradiction("50600700-5982", slips, "- 50400700-5982") == "504007005982"
    assert latin_contradiction(236900.0, slips, "312566.........234,900.....") == "234900"  # a date before
    assert latin_contradiction(610300.0, slips, "1410,300") == "410300"  # junk glued before the number
    assert latin_contradiction("60210700-6157", slips, "5021 0700-61 57") == "502107006157"  # spaced digits
    assert latin_contradiction(287100.0, slips, "287,700") == "287700"  # 7 read 1 (set 4401)
    assert latin_contradiction(250800.0, slips, "250,300") == "250300"  # 3 read 8 (set 4901)
    # 1 read 4 and 2 read 9 in project codes (held-out 6301 fax, 5801 photocopy)
    assert latin_contradiction("50316400-4035", slips, "swalaaims...:50316100-4035") == "503161004035"
    assert latin_contradiction("50490700-2794", slips, "svalasinns: 50420700-2794 : Se") == "504207002794"
    # a speck read as a leading 6 (held-out 6301 fax): the Latin model leaves it out after the label's colon
    assert latin_contradiction(640200.0, slips, "suuseananlasu:40,200um") == "40200"
    assert latin_contradiction(160400.0, slips, "-auaw,d7uIUt60,400...uM*") is None  # its 1 read as t (6401)
    assert latin_contradiction("50210700-5894", slips, "aifalassnas:§0210700-5894") is None  # 5 read as §
    assert latin_contradiction(64600.0, slips, "-13164,600...") is None  # "จำนวน" read as digits: agrees
    assert latin_contradiction(64600.0, slips, "") is None  # nothing read: no evidence either way
    assert latin_contradiction(184600.0, slips, "185,600") is None  # differs where no 6 is: not this slip
    assert latin_contradiction(193500.0, slips, "*493,500") is None  # the Latin model's own slip (set 4101)
    assert latin_contradiction(298900.0, slips, "298,400") is None  # no digit of a slip in the value
    assert latin_contradiction(1250.5, slips, "1,250.5") is None  # only whole amounts and codes


def test_the_latin_model_finds_an_amount_again_only_as_a_whole_number() -> None:
    # what Tesseract's eng model gave for boxes of sets 4801 and 4901
    assert latin_reads(52400.0, "52,400")
    assert latin_reads(224800.0, "-Lely)(saugnitiudadslassifin)do 224,800...un")  # words read as Latin junk
    assert latin_reads("50211000-4411", "snalasinis..:50211000-4411")
    assert not latin_reads(6400.0, "96.400")  # the tail of another number: 96,400 was printed
    assert not latin_reads(41.0, "41,900")  # the head of one
    assert not latin_reads(116800.0, "114,800")
    assert not latin_reads(116800.0, "")
    assert not latin_reads(1250.5, "1,250.5")  # only whole amounts and codes


def test_only_unflagged_listed_arabic_numbers_holding_a_digit_of_a_slip_are_read_by_the_latin_model() -> None:
    box = {"page": 1, "bbox": [0.1, 0.1, 0.9, 0.12], "needs_review": False}
    result = _flagged(
        {
            "budget_allocated": FieldValue(value=655100.0, text="655,100 บาท", confidence=0.99, **box),
            "budget_spent": FieldValue(value=257300.0, text="257,300", confidence=0.99, **box),  # no slip
            "budget_remaining": FieldValue(value=6500.0, text="๖,๕๐๐", confidence=0.99, **box),  # Thai digits
            "project_code": FieldValue(
                value="50600700-5982", text="50600700-5982", **box | {"needs_review": True}
            ),
            "fiscal_year": FieldValue(value=2566, text="2566", confidence=0.99, **box),  # not listed
        }
    )
    assert [name for name, _ in latin_candidates(result, load_settings().reread)] == ["budget_allocated"]
    assert forced_review(FieldValue(value=655100.0, reasons=[f"{LATIN_DIGITS_REASON} 455100"]))


def test_a_field_found_again_follows_its_groups_reread_curve() -> None:
    calibration = load_calibration()
    assert "name" in calibration["reread"] and "name reread" in calibration["fields"]
    fv = FieldValue(value="x", reasons=[REREAD_REASON])
    assert field_group("project_name", calibration, fv) == "name reread plain"  # no other doubt
    doubted = FieldValue(value="x", reasons=["1 OCR correction(s) in the value", REREAD_REASON])
    assert field_group("project_name", calibration, doubted) == "name reread"
    # ... unless the second reading held the corrected letters before any correction of its own
    confirmed = FieldValue(value="x", reasons=[*doubted.reasons, CONFIRMED_REREAD_REASON])
    assert field_group("project_name", calibration, confirmed) == "name reread confirmed"
    assert "name reread confirmed" in calibration["fields"]
    assert field_group("responsible_person", calibration, confirmed) == "person reread"  # names only
    spaced = FieldValue(value="พัฒนาการจัด ประสบการณ์", reasons=[REREAD_REASON])  # a space OCR may have put
    assert field_group("project_name", calibration, spaced) == "name reread"
    assert field_group("budget_spent", calibration, fv) == "amount reread"  # amounts have no plain curve
    assert field_group("fiscal_year", calibration, fv) == "number"  # short numbers are not read again
    missed = FieldValue(value="x", reasons=[REREAD_MISSED_REASON])
    assert field_group("project_name", calibration, missed) == "name not found again"
    assert "name not found again" in calibration["fields"]
    # a person read a second time, found or not, whose words the known names hold: the list vouches
    known = "a value of the known names"
    for second in (REREAD_REASON, REREAD_MISSED_REASON):
        listed = FieldValue(value="นายสมศักดิ์ ทองดี", reasons=[known, "read as the known name", second])
        assert field_group("responsible_person", calibration, listed) == "person listed reread"
    # unless another place of the document reads the person otherwise
    conflict = "conflicting_readings: read 'x' here"
    doubted = FieldValue(value="x", reasons=[known, conflict, REREAD_MISSED_REASON])
    assert field_group("responsible_person", calibration, doubted) == "person not found again"
    once = FieldValue(value="x", reasons=[known])
    assert field_group("responsible_person", calibration, once) == "person listed"
    assert "person listed reread" in calibration["fields"]


def _read_sample(
    tmp_path: Path, family: str, seed: int = 11
) -> tuple[Path, Settings, TesseractEngine, list[PageResult], ExtractionResult, Truth]:
    """A sample document of `family` rendered, OCRed page by page and extracted, with its truth."""
    pdf = make_sample(tmp_path, family, seed, "office")
    settings = load_settings()
    engine = TesseractEngine(settings.ocr)
    pages = [
        process_page(pdf, pdf.name, n, settings, tmp_path / "work", engine)
        for n in range(1, len(inspect_pdf(pdf, 300, 150).pages) + 1)
    ]
    result = extract_document(pdf.name, [p.layout for p in pages], document_layout(pages, settings.layout))
    truth = Truth.model_validate_json(truth_path(pdf).read_text(encoding="utf-8"))
    return pdf, settings, engine, pages, result, truth


@pytest.mark.e2e
def test_a_flagged_project_name_printed_on_the_page_is_found_when_read_again(tmp_path: Path) -> None:
    pdf, settings, engine, pages, result, truth = _read_sample(tmp_path, "bma_project_form")
    name = result.projects[0].fields["project_name"]
    wrong = result.projects[0].fields["agency"]
    printed = truth.projects[0].fields["project_name"].value
    for fv, value in ((name, printed), (wrong, "สำนักงานเขตที่ไม่มีในเอกสาร")):
        fv.value, fv.reasons, fv.needs_review = value, [], True  # as if the score alone had flagged them
        fv.raw_confidence = 0.6  # type: ignore[attr-defined]
    read_again(result, pdf, pages, engine, settings)
    curve = load_calibration()["fields"]["name reread plain"]  # read alike, and no other doubt
    assert REREAD_REASON in name.reasons and name.confidence == round(calibrate(0.6, curve), 4)
    assert REREAD_REASON not in wrong.reasons and REREAD_MISSED_REASON in wrong.reasons and wrong.needs_review
    # had the first reading needed a correction, the second one reads the printed name unaided
    corrected = f"1 {CORRECTIONS_REASON}"
    name.reasons, name.needs_review = [corrected], True
    read_again(result, pdf, pages, engine, settings)
    assert name.reasons == [corrected, CONFIRMED_REREAD_REASON, REREAD_REASON] and not name.needs_review
    assert name.confidence == round(calibrate(0.6, load_calibration()["fields"]["name reread confirmed"]), 4)


@pytest.mark.e2e
def test_a_latin_acronym_amid_thai_is_read_again_as_the_page_read_it(tmp_path: Path) -> None:
    # seed 6803's summary lists the "... PLC" project
    pdf, settings, engine, pages, result, _ = _read_sample(tmp_path, "obec_progress_summary", seed=6803)
    name = next(
        p.fields["project_name"] for p in result.projects if "PLC" in str(p.fields["project_name"].value)
    )
    assert name.value == "พัฒนาประสิทธิภาพการบริหารจัดการ ด้วยกระบวนการ PLC"
    name.reasons, name.needs_review = [], True  # as if the score alone had flagged it
    name.raw_confidence = 0.6  # type: ignore[attr-defined]
    read_again(result, pdf, pages, engine, settings)
    # the Thai model alone reads the acronym as digits ("กระบวนการ 060"), as it did on the page
    assert REREAD_REASON in name.reasons


@pytest.mark.e2e
def test_the_page_read_again_is_turned_as_the_cleaner_turned_it(tmp_path: Path) -> None:
    pdf = make_sample(tmp_path, "bma_project_page", 11, "office")
    upright = cv2.imread(str(rasterise_page(pdf, pdf.name, 1, 300, tmp_path).path), cv2.IMREAD_GRAYSCALE)
    turned = tmp_path / "upside-down.pdf"
    Image.fromarray(cv2.rotate(upright, cv2.ROTATE_180)).save(turned, "PDF", resolution=300)
    settings = load_settings()
    page = process_page(turned, turned.name, 1, settings, tmp_path / "work", TesseractEngine(settings.ocr))
    assert page.cleaned.rotation == 180
    again = page_grey(turned, page, tmp_path / "again").astype(float)
    straightened = rotate(upright, page.cleaned.skew).astype(float)  # a half-turn keeps a line's slope
    assert again.shape == upright.shape
    assert np.corrcoef(again.ravel(), straightened.ravel())[0, 1] > 0.9


@pytest.mark.e2e
def test_a_flagged_thai_digit_amount_printed_in_a_table_is_found_when_read_again(tmp_path: Path) -> None:
    pdf, settings, engine, pages, result, truth = _read_sample(tmp_path, "obec_progress_summary")
    printed = {
        (p.fields["project_name"].value, n): fv.value for p in truth.projects for n, fv in p.fields.items()
    }
    amounts = [
        fv
        for p in result.projects
        for n, fv in p.fields.items()
        if n.startswith("budget_")
        and fv.bbox
        and fv.value == printed.get((p.fields["project_name"].value, n))
        and any(ch in "๔๖๗๘๙" for ch in fv.text or "")  # digits tha cannot read
    ]
    assert len(amounts) >= 2
    right, wrong = amounts[:2]
    wrong.value = wrong.value + 1000  # a misreading the page does not print
    for fv in (right, wrong):
        fv.reasons, fv.needs_review = [], True  # as if the score alone had flagged them
        fv.raw_confidence = 0.3  # type: ignore[attr-defined]
    read_again(result, pdf, pages, engine, settings)
    assert REREAD_REASON in right.reasons
    assert REREAD_MISSED_REASON in wrong.reasons and wrong.needs_review


@pytest.mark.e2e
def test_an_arabic_6_the_page_printed_as_another_digit_goes_to_review_when_read_by_the_latin_model(
    tmp_path: Path,
) -> None:
    pdf, settings, engine, pages, result, truth = _read_sample(tmp_path, "bma_project_form")
    fields = result.projects[0].fields
    printed = truth.projects[0].fields
    budget, code = fields["budget_allocated"], fields["project_code"]
    assert (budget.value, code.value) == (printed["budget_allocated"].value, printed["project_code"].value)
    assert "6" not in f"{budget.value:.0f}{code.value}"  # seed 11 prints 298,900 and 50314100-1192
    spent = fields["budget_spent"]
    for fv, misread in ((budget, 268900.0), (code, "50314100-1162")):  # a 9 read as 6, unflagged
        fv.value, fv.reasons, fv.needs_review = misread, [], False
    read_again(result, pdf, pages, engine, settings)
    assert budget.needs_review and f"{LATIN_DIGITS_REASON} 298900" in budget.reasons
    assert code.needs_review and f"{LATIN_DIGITS_REASON} 503141001192" in code.reasons
    assert not any(r.startswith(LATIN_DIGITS_REASON) for r in spent.reasons)
    # a flagged amount is read by both models: the misread one stays in review with the Latin reading,
    # the one printed so is found again
    for fv, value in ((budget, 268900.0), (spent, printed["budget_spent"].value)):
        fv.value, fv.reasons, fv.needs_review = value, [], True  # as if the score alone had flagged them
        fv.raw_confidence = 0.3  # type: ignore[attr-defined]
    read_again(result, pdf, pages, engine, settings)
    assert budget.reasons == [f"{LATIN_DIGITS_REASON} 298900", REREAD_MISSED_REASON] and budget.needs_review
    assert spent.reasons == [REREAD_REASON]
