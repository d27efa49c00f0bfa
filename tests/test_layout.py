"""Layout: table grids with merged cells, cell text, reading order, running headers and page numbers."""

from __future__ import annotations

import numpy as np

from factory.layout import Cell, _header_matrix
from models.layout import LayoutLine, PageLayout, Ruling
from models.pipeline import OcrLine, OcrPage, OcrWord
from models.settings import load_settings
from tasks.layout import (
    aligned_tables,
    blocks,
    dash_runs,
    fill_table,
    is_page_number,
    join_words,
    overread_lines,
    page_layout,
    reading_order,
    running_lines,
    table_grid,
)
from tasks.ocr import union


def _h(y: int, x0: int, x1: int) -> Ruling:
    return Ruling(orientation="h", x0=x0, y0=y - 1, x1=x1, y1=y + 2)


def _v(x: int, y0: int, y1: int) -> Ruling:
    return Ruling(orientation="v", x0=x - 1, y0=y0, x1=x + 2, y1=y1)


def _followup_like_grid() -> list[Ruling]:
    """Columns at 0..500 step 100; rows at 0, 50, 100, 150. Row 0-1 header: 'ที่' spans two rows,
    'ยังไม่' spans columns 1-2 and 'ระหว่าง' columns 3-4 (the factory's colspan/rowspan cells)."""
    rulings = [_h(0, 0, 500), _h(100, 0, 500), _h(150, 0, 500), _h(50, 100, 500)]  # y=50 skips 'ที่'
    rulings += [_v(0, 0, 150), _v(100, 0, 150), _v(300, 0, 150), _v(500, 0, 150)]
    rulings += [_v(200, 50, 150), _v(400, 50, 150)]  # under the merged header cells only
    return rulings


def test_grid_with_merged_cells_matches_the_contract_header_matrix() -> None:
    table = table_grid(_followup_like_grid())
    assert (table.n_rows, table.n_cols, table.header_rows) == (3, 5, 2)
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in table.cells}
    assert spans[(0, 0)] == (2, 1) and spans[(0, 1)] == (1, 2) and spans[(0, 3)] == (1, 2)
    assert spans[(1, 1)] == (1, 1) and spans[(2, 4)] == (1, 1)
    names = {(0, 0): "ที่", (0, 1): "ยังไม่", (0, 3): "ระหว่าง", (1, 1): "จำนวน", (1, 2): "ร้อยละ",
             (1, 3): "จำนวน", (1, 4): "ร้อยละ"}  # fmt: skip
    table = table.model_copy(
        update={"cells": [c.model_copy(update={"text": names.get((c.row, c.col), "")}) for c in table.cells]}
    )
    factory_header = [
        [Cell("ที่", rowspan=2), Cell("ยังไม่", colspan=2), Cell("ระหว่าง", colspan=2)],
        [Cell("จำนวน"), Cell("ร้อยละ"), Cell("จำนวน"), Cell("ร้อยละ")],
    ]
    assert table.grid(range(table.header_rows)) == _header_matrix(factory_header)


def test_broken_ruling_still_separates_but_a_missing_one_merges() -> None:
    rulings = [_h(0, 0, 200), _h(100, 0, 200), _v(0, 0, 100), _v(200, 0, 100)]
    rulings += [_v(100, 0, 40), _v(100, 50, 100)]  # a scan broke the middle line; 90% still drawn
    assert table_grid(rulings).n_cols == 2 and len(table_grid(rulings).cells) == 2
    merged = table_grid([r for r in rulings if not (r.orientation == "v" and 90 < r.pos < 110)])
    assert len(merged.cells) == 1 and merged.n_cols == 1  # no inner line: no column at all


def _word(text: str, box: tuple[int, int, int, int], space: bool = False, conf: float = 90) -> OcrWord:
    return OcrWord(text=text, bbox=box, confidence=conf, min_confidence=conf, space_before=space)


def test_cells_take_the_words_inside_them_and_wrapped_thai_joins_without_space() -> None:
    table = table_grid(_followup_like_grid())
    words = [
        _word("ยังไม่", (120, 10, 180, 40)),
        _word("ดำเนิน", (110, 55, 150, 70)),  # a cell's text wrapped onto two visual lines
        _word("การ", (110, 75, 140, 95)),
        _word("12", (410, 110, 440, 140), conf=60),
    ]
    filled = fill_table(table, words)
    text = {(c.row, c.col): c.text for c in filled.cells}
    assert text[(0, 1)] == "ยังไม่" and text[(1, 1)] == "ดำเนินการ" and text[(2, 4)] == "12"
    # where the wrap joined two lines without a space is kept: a printed space there is not on the paper
    assert {(c.row, c.col): c.breaks for c in filled.cells if c.breaks} == {(1, 1): [len("ดำเนิน")]}
    assert next(c for c in filled.cells if (c.row, c.col) == (2, 4)).confidence == 60
    assert join_words([_word("ปี", (0, 0, 20, 30)), _word("2567", (60, 0, 120, 30), space=True)]) == "ปี 2567"


def test_uncovered_dashes_become_words_one_per_run() -> None:
    dashes = [(x, 100, x + 20, 105) for x in (0, 30, 60)] + [(500, 100, 520, 105), (90, 300, 110, 305)]
    covered = [_word("2024-10", (480, 80, 600, 120))]
    runs = dash_runs(dashes, covered, confidence=80)
    assert sorted(r.text for r in runs) == ["-", "---"]
    assert next(r for r in runs if r.text == "---").bbox == (0, 100, 80, 105)


def test_marks_a_pixel_into_a_row_of_dashes_are_read_on_its_line() -> None:
    """The bma page's separator "-----&&&-----" (set 5001): OCR read the "&&&" as letters on a line of its
    own, its box reaching a pixel into the left run of dashes, and the entry above took it as its last line
    ("ไม่มี" became "ไม่มี [เจเจ้ะเจ"). On the dashes' line it ends the entry with them."""
    ocr = OcrPage(source="a.pdf", page=1, width=2480, height=3508, engine="t", seconds=0.0, lines=[
        OcrLine(text="** อุปสรรคของโครงการ : ไม่มี", bbox=(192, 1888, 845, 1972), confidence=93,
                words=[_word("** อุปสรรคของโครงการ : ไม่มี", (192, 1888, 845, 1972))]),
        OcrLine(text="[เจเจ้ะเจ", bbox=(531, 1984, 644, 2043), confidence=31,
                words=[_word("[เจเจ้ะเจ", (531, 1984, 644, 2043), conf=31)]),
    ])  # fmt: skip
    dashes = [(x, 2012, x + 15, 2017) for x in range(197, 520, 20)]  # the left run ends at x = 532
    dashes += [(x, 2012, x + 15, 2016) for x in range(647, 1010, 20)]
    layout = page_layout(ocr, [], [], dashes, load_settings().layout)
    assert [ln.text for ln in layout.lines] == [
        "** อุปสรรคของโครงการ : ไม่มี",
        f"{'-' * 17} [เจเจ้ะเจ {'-' * 19}",
    ]
    over = LayoutLine(text="ปี", box=(500, 1984, 560, 2043), confidence=90)  # half over the dashes: no
    dash_line = LayoutLine(text="---", box=(192, 2012, 532, 2017), confidence=80)
    assert len(reading_order([layout.lines[0], over, dash_line])) == 3


def test_a_line_read_over_another_lines_words_is_left_out() -> None:
    """Held-out 6301 office: specks over "รายงานครั้งที่4" came back as a line "5 ส" of their own, which the
    row's wrapped note took in ("จัดซื้อวัสดุสำหรับจัดอบรม 5 ส/จัดทำคำสั่ง...")."""
    row = [_word("รายงานครั้งที่4", (204, 1930, 520, 2018)), _word("::", (580, 1950, 600, 2000), space=True),
           _word("27/02/2562", (610, 1930, 800, 2018), space=True)]  # fmt: skip
    specks = [_word("5", (377, 1934, 400, 1962), conf=21), _word("ส", (410, 1934, 441, 1962), space=True)]
    below = [_word("/จัดทำคำสั่ง", (579, 2030, 991, 2082))]
    ocr = OcrPage(source="a.pdf", page=1, width=2480, height=3508, engine="t", seconds=0.0, lines=[
        OcrLine(text="รายงานครั้งที่4 :: 27/02/2562", bbox=(204, 1930, 800, 2018), confidence=93, words=row),
        OcrLine(text="5 ส", bbox=(377, 1934, 441, 1962), confidence=21, words=specks),
        OcrLine(text="/จัดทำคำสั่ง", bbox=(579, 2030, 991, 2082), confidence=93, words=below),
    ])  # fmt: skip
    settings = load_settings().layout
    assert overread_lines(ocr.lines, settings.overread) == {1}
    layout = page_layout(ocr, [], [], [], settings)
    assert [ln.text for ln in layout.lines] == ["รายงานครั้งที่4 :: 27/02/2562", "/จัดทำคำสั่ง"]
    # a short line beside, not over, a longer one's words stays
    beside = OcrLine(
        text="5 ส", bbox=(377, 2030, 441, 2060), confidence=90, words=[_word("5 ส", (377, 2030, 441, 2060))]
    )
    assert overread_lines([ocr.lines[0], beside], settings.overread) == set()


def test_page_numbers_in_thai_and_arabic_forms() -> None:
    for text in ("- 20 -", "- ๓ -", "หน้า 3", "หน้า 1/2", "2/3", "๑๒", "Page 4"):
        assert is_page_number(text), text
    for text in ("ปีงบประมาณ 2567", "30/09/2567 : จัดซื้อ", "ร้อยละ 90"):
        assert not is_page_number(text), text


HEADER = "รายงานการติดตามผลความก้าวหน้าการดำเนินโครงการ ปีงบประมาณ พ.ศ. 2566 สพป.ชุมพร"
GARBLED = [  # the same running header, read differently on every page
    HEADER,
    "รายงานการติดตามผลความกาวหน้าการดําเนินโครงการ ปีงบประมาณ พ.ศ. 2566 สพป.ชุมพร",
    "รายงานการติดตามผล ความก้าวหน้าการดำเนินโครงกา ปีงบประมาณ พ.ศ. 2565 สพป ชุมพร",
    "รายงานการตดตามผลความก้าวหน้ าการดำเนนโครงการ ปงบประมาณ พ.ศ. 2566 สพป.ชมพร",
]


def _page(header: str, footer: str, body: list[str]) -> PageLayout:
    lines = [LayoutLine(text=header, box=(300, 170, 2100, 230), confidence=90)]
    lines += [LayoutLine(text=t, box=(190, 300 + 60 * i, 2000, 350 + 60 * i), confidence=90)
              for i, t in enumerate(body)]  # fmt: skip
    lines.append(LayoutLine(text=footer, box=(1200, 3350, 1280, 3400), confidence=90))
    return PageLayout(width=2480, height=3508, lines=lines)


def test_running_header_is_found_when_garbled_differently_on_every_page() -> None:
    footers = ["- ๑ -", "-๒-", "— 3 —", "- 4 -"]
    pages = [
        _page(h, f, [f"เนื้อความหน้า {n}", "ตารางที่ 1"])
        for n, (h, f) in enumerate(zip(GARBLED, footers, strict=True))
    ]
    roles = running_lines(pages, load_settings().layout)
    for page, found in zip(pages, roles, strict=True):
        assert found == {0: "header", len(page.lines) - 1: "footer"}


def test_a_title_on_one_page_only_is_body_text() -> None:
    pages = [_page(HEADER, "- 1 -", []), _page(HEADER, "- 2 -", [])]
    pages[0].lines.insert(1, LayoutLine(text="บทสรุปผู้บริหาร", box=(900, 200, 1500, 260), confidence=90))
    roles = running_lines(pages, load_settings().layout)
    assert roles[0] == {0: "header", 2: "footer"}  # the title sits in the band but does not recur


def test_blocks_split_at_paragraph_gaps_and_keep_a_table_whole() -> None:
    def ln(y: int, role: str = "body", table: int | None = None) -> LayoutLine:
        return LayoutLine(text="x", box=(100, y, 900, y + 60), confidence=90, role=role, table=table)

    lines = [ln(100), ln(170), ln(300), ln(400, "table", 0), ln(460, "table", 0), ln(560)]
    assert [(b.role, b.lines) for b in blocks(lines)] == [
        ("body", [0, 1]), ("body", [2]), ("table", [3, 4]), ("body", [5])
    ]  # fmt: skip


def test_a_one_page_document_loses_what_lies_wholly_in_the_header_band() -> None:
    (page,) = pages = [_page(HEADER, "หน้า 1/1", ["ชื่อโครงการ : พัฒนาคุณภาพ"])]
    assert running_lines(pages, load_settings().layout) == [{0: "header", len(page.lines) - 1: "footer"}]


# ---------------------------------------------------------------- tables printed without rulings


def _w(text: str, x0: int, y: int, width: int | None = None, space: bool = False) -> OcrWord:
    return OcrWord(text=text, bbox=(x0, y, x0 + (width or 20 * len(text)), y + 60), confidence=90,
                   space_before=space)  # fmt: skip


def _bma_rows(y: int, seq: int) -> list[list[OcrWord]]:
    """One BMA-form progress report as the site prints it: a label column, then two lines of text, the
    second ending in the plan and target verdict columns (seed 000's tabs)."""
    return [
        [_w(f"รายงานครั้งที่{seq}", 200, y, 290), _w(":: 31/12/2562 : จัดทำหนังสือ", 580, y, 700)],
        [_w(":: ความก้าวหน้า = 10 %", 580, y + 75, 600), _w(": เป็นไปตามแผน", 1400, y + 75, 300),
         _w(": เป็นไปตามเป้าหมาย", 1800, y + 75, 380)],
    ]  # fmt: skip


def test_two_line_rows_in_aligned_columns_are_one_table_row_each() -> None:
    lines = [line for seq, y in ((1, 1000), (2, 1160), (3, 1320)) for line in _bma_rows(y, seq)]
    (found,) = aligned_tables(lines, load_settings().layout)
    table, used = found
    assert used == list(range(6)) and not table.ruled and table.header_rows == 0
    assert (table.n_rows, table.n_cols) == (3, 4)
    assert table.grid(range(3))[1] == [
        "รายงานครั้งที่2", ":: 31/12/2562 : จัดทำหนังสือ :: ความก้าวหน้า = 10 %", ": เป็นไปตามแผน",
        ": เป็นไปตามเป้าหมาย",
    ]  # fmt: skip


def test_paragraph_text_and_lines_around_a_table_stay_out_of_it() -> None:
    paragraph = [[_w("หลักการและเหตุผลของโครงการที่ยาวจนเต็มบรรทัด", 200, y, 1900)] for y in (700, 775, 850)]
    heading = [[_w("3. ปัญหา", 200, 1480, 200)]]
    lines = (
        paragraph + [ln for seq, y in ((1, 1000), (2, 1160), (3, 1320)) for ln in _bma_rows(y, seq)] + heading
    )
    (found,) = aligned_tables(lines, load_settings().layout)
    assert found[1] == list(range(3, 9))  # neither the paragraph above nor the heading under it
    assert aligned_tables(paragraph, load_settings().layout) == []


def test_white_left_by_words_ocr_dropped_is_not_a_column_gap() -> None:
    """Three lines whose second halves start at one x, with white between only because OCR lost a word
    there: the page image shows ink in the gap, so it is running text."""
    lines = [
        [_w("ตามพระราชบัญญัติ", 200, y, 400), _w("แก้ไขเพิ่มเติม", 900, y, 500), _w("กำหนดให้", 1700, y, 300)]
        for y in (700, 775, 850)
    ]
    settings = load_settings().layout
    assert len(aligned_tables(lines, settings)) == 1  # on trust, it looks like three columns
    page = np.full((1200, 2400), 255, np.uint8)
    for y in (715, 790, 865):
        page[y : y + 30, 650:850] = 0  # the dropped words' ink
        page[y : y + 30, 1450:1650] = 0
    assert aligned_tables(lines, settings, page) == []


def test_two_aligned_columns_are_a_form_not_a_table() -> None:
    lines = [[_w("รหัสโครงการ", 200, y, 300), _w("50220000-6950", 900, y, 400)] for y in (700, 775, 850, 925)]
    assert aligned_tables(lines, load_settings().layout) == []


def test_a_stray_mark_starts_no_column_and_a_full_cell_is_cut_where_the_column_starts() -> None:
    lines = [line for seq, y in ((1, 1000), (2, 1160), (3, 1320)) for line in _bma_rows(y, seq)]
    lines[0][1] = _w(":: 31/12/2562", 580, 1000, 300)
    lines[0].append(_w("|", 1000, 1000, 10))  # a speck read as a bar, where the next line's text runs
    lines[3][0] = _w(":: ความก้าวหน้า = 10 % : งบประมาณที่เบิกใช้", 580, 1235, 815)  # runs up to column 3
    (found,) = aligned_tables(lines, load_settings().layout)
    grid = found[0].grid(range(3))
    assert (found[0].n_rows, found[0].n_cols, found[1]) == (3, 4, list(range(6)))
    assert grid[0][1] == ":: 31/12/2562 | :: ความก้าวหน้า = 10 %"
    assert grid[1][2] == ": เป็นไปตามแผน"  # not glued to the end of the long cell before it


def test_page_layout_reports_an_unruled_table_and_keeps_its_lines_as_printed() -> None:
    printed = [line for seq, y in ((1, 1000), (2, 1160), (3, 1320)) for line in _bma_rows(y, seq)]
    ocr_lines = [
        OcrLine(text=" ".join(w.text for w in words), bbox=union([w.bbox for w in words]), confidence=90,
                words=words)
        for words in printed
    ]  # fmt: skip
    ocr = OcrPage(source="f.pdf", page=1, width=2480, height=3508, engine="t", seconds=0, lines=ocr_lines)
    page = page_layout(ocr, [], [], [], load_settings().layout)
    (table,) = page.tables
    assert not table.ruled and (table.n_rows, table.n_cols) == (3, 4)
    assert [ln.role for ln in page.lines] == ["body"] * 6  # the extractor reads the lines as printed
    assert page.lines[0].text == "รายงานครั้งที่1 :: 31/12/2562 : จัดทำหนังสือ"


def test_form_lines_whose_columns_stay_mostly_empty_are_not_a_table() -> None:
    """A follow-up form's "- งบ สพฐ. จำนวน ..... บาท" lines on a fax, the leader dots lost: label, amount
    and "บาท" line up in three columns, but most rows leave one empty or hold only a mark there."""
    lines = [
        [_w("- งบ สพฐ. จำนวน", 200, 700, 400), _w("212,500", 900, 700, 200), _w(".", 1500, 700, 10)],
        [_w("- ใช้ไป (รวมผูกพัน", 200, 775, 420), _w("ส่งเบิก) จำนวน", 900, 775, 300)],
        [_w("คงเหลือ (ณ วันที่", 200, 850, 380), _w("31 มี.ค. 2567", 900, 850, 300), _w("บาท", 1500, 850, 90)],
        [_w("- งบ สพป. จำนวน", 200, 925, 400), _w("13,600", 900, 925, 180), _w(":", 1500, 925, 10)],
    ]
    assert aligned_tables(lines, load_settings().layout) == []
