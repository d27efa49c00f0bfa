"""Regrouping Tesseract's per-character Thai output into words and lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.pipeline import OcrLine, OcrWord
from models.settings import OcrSettings, load_settings
from tasks.ocr import (
    box_spaces,
    glyphs_from_tsv,
    line_spaces,
    lines_from_tsv,
    paper_spaces,
    regroup_words,
    rejoin_marks,
    rejoin_pieces,
    reread_tall_lines,
    side_pieces,
    split_mark_lines,
)

OCR = load_settings().ocr
BOXES = OCR.model_copy(update={"space_rule": "boxes"})
PAPER = OCR.model_copy(update={"space_rule": "paper"})


def _glyphs(
    texts: list[str], confs: list[float], gap_before: set[int] = frozenset(), gap: int = 40
) -> list[OcrWord]:
    """Glyphs 20 px wide, 2 px apart, `gap` px apart before the indexes in `gap_before`."""
    out, x = [], 0
    for i, (t, c) in enumerate(zip(texts, confs, strict=True)):
        x += gap if i in gap_before else 2
        out.append(OcrWord(text=t, bbox=(x, 10, x + 20, 40), confidence=c, min_confidence=c))
        x += 20
    return out


def _ink(boxes: list[tuple[int, int, int, int]]) -> np.ndarray:
    """A page whose only ink fills `boxes`."""
    ink = np.zeros((60, 1000), dtype=bool)
    for x0, y0, x1, y1 in boxes:
        ink[y0:y1, x0:x1] = True
    return ink


def _read(glyphs: list[OcrWord], settings: OcrSettings, ink: np.ndarray | None = None) -> OcrLine:
    """The line by `settings`' space rule, on a page inked exactly where its glyph boxes are by default."""
    ink = _ink([g.bbox for g in glyphs]) if ink is None else ink
    return regroup_words(glyphs, line_spaces(glyphs, ink, settings))


def test_characters_are_regrouped_into_dictionary_words_with_their_confidences() -> None:
    glyphs = _glyphs(["ส", "วั", "ส", "ดี", "ค", "รั", "บ", "2567"], [90, 80, 95, 40, 90, 90, 90, 70], {7})
    for settings in (BOXES, PAPER):
        line = _read(glyphs, settings)
        assert line.text == "สวัสดีครับ 2567"
        assert [w.text for w in line.words] == ["สวัสดี", "ครับ", "2567"]
        hello = line.words[0]
        assert hello.bbox == (glyphs[0].bbox[0], 10, glyphs[3].bbox[2], 40)  # union of its characters
        assert hello.min_confidence == 40 and hello.confidence == 76.25
        assert [w.space_before for w in line.words] == [False, False, True]
        assert line.confidence == round(sum(g.confidence for g in glyphs) / 8, 2)


def test_a_space_is_a_box_gap_wider_than_the_setting_in_median_glyph_widths() -> None:
    texts = ["ส", "วั", "ส", "ดี", "ค", "รั", "บ"]
    # a gap of 0.9 glyph widths is a space at 0.8, none at 0.95; a whole glyph width is one at both
    near, whole = _glyphs(texts, [90] * 7, {4}, gap=18), _glyphs(texts, [90] * 7, {4}, gap=20)
    assert regroup_words(near, box_spaces(near, 0.95)).text == "สวัสดีครับ"
    assert regroup_words(near, box_spaces(near, 0.8)).text == "สวัสดี ครับ"
    assert regroup_words(whole, box_spaces(whole, 0.95)).text == "สวัสดี ครับ"


def test_a_paper_space_is_a_run_wider_than_the_settings_say() -> None:
    texts = ["ส", "วั", "ส", "ดี", "ค", "รั", "บ"]
    glyphs = _glyphs(texts, [90] * 7, {4}, gap=9)
    ink = _ink([g.bbox for g in glyphs])
    # paper 9 px wide: a space at 0.4 glyph widths (8 px), none at 0.5 (10 px) ...
    assert paper_spaces(glyphs, ink, 0.5, 0.0) == set()
    assert paper_spaces(glyphs, ink, 0.4, 0.0) == {4}
    # ... nor where the line's usual run (2 px) times the second setting is wider
    assert paper_spaces(glyphs, ink, 0.4, 5.0) == set()


def test_a_paper_space_is_where_the_page_has_paper_not_where_the_boxes_leave_a_gap() -> None:
    # Tesseract's boxes leave a gap between ด and its vowel ั, where no word can start
    texts = ["โ", "ค", "ร", "ง", "ก", "า", "ร", "ด", "ั", "ง"]
    glyphs = _glyphs(texts, [90] * 10, {8}, gap=30)
    assert _read(glyphs, BOXES).text == "โครงการด ัง"  # the box rule puts the space in the word
    printed = [g.bbox for g in glyphs[:7]] + [(g.bbox[0] + 30, 10, g.bbox[2] + 30, 40) for g in glyphs[7:]]
    assert _read(glyphs, PAPER, _ink(printed)).text == "โครงการ ดัง"  # the page's paper is after การ
    # paper only where the boxes' gap is: a space, at the nearest boundary a word can have
    assert _read(glyphs, PAPER).text == "โครงการ ดัง"
    solid = _ink([(glyphs[0].bbox[0], 10, glyphs[-1].bbox[2], 40)])
    assert _read(glyphs, PAPER, solid).text == "โครงการดัง"  # no paper, no space


def test_inside_a_number_a_paper_space_needs_the_box_gap_too() -> None:
    # a narrow 1 inked in the middle of its box: 12 px of paper beside it (0.6 glyph widths), a box gap of 2
    glyphs = _glyphs(list("29/11/2565"), [90] * 10)
    inked = [(g.bbox[0] + 6, 10, g.bbox[2] - 6, 40) if g.text == "1" else g.bbox for g in glyphs]
    assert _read(glyphs, PAPER, _ink(inked)).text == "29/11/2565"
    # between words the paper decides alone, and a wide gap between two numbers stays a space
    words = _glyphs(["ร", "้", "อ", "ย", "ล", "ะ", "1", "0"], [90] * 8, {6}, gap=14)
    assert _read(words, PAPER).text == "ร้อยละ 10"
    columns = _glyphs(list("๕๕๕๕๓"), [90] * 5, {2}, gap=40)
    assert _read(columns, PAPER).text == "๕๕ ๕๕๓"


def test_a_speck_no_glyph_box_touches_leaves_its_columns_paper() -> None:
    # "สวัสดี ครับ" printed with a word gap of 16 px (0.8 glyph widths); a speck (4 x 4 px) in its middle that
    # OCR read as nothing would leave two runs of 6 px, too narrow for a space
    glyphs = _glyphs(["ส", "วั", "ส", "ดี", "ค", "รั", "บ"], [90] * 7, {4}, gap=16)
    boxes = [g.bbox for g in glyphs]
    gap_middle = (glyphs[3].bbox[2] + glyphs[4].bbox[0]) // 2
    speck = (gap_middle - 2, 30, gap_middle + 2, 34)
    assert _read(glyphs, PAPER, _ink([*boxes, speck])).text == "สวัสดี ครับ"
    # ink a third of the line's height tall is no speck, nor is ink a glyph's box touches
    blot = (gap_middle - 2, 24, gap_middle + 2, 34)
    assert _read(glyphs, PAPER, _ink([*boxes, blot])).text == "สวัสดีครับ"
    dot = OcrWord(text=".", bbox=speck, confidence=90, min_confidence=90)
    assert _read([*glyphs[:4], dot, *glyphs[4:]], PAPER, _ink([*boxes, speck])).text == "สวัสดี.ครับ"
    # a mark's box reaches a pixel or two past its edge (a colon's box can miss its dots); a letter's does
    # not (held-out 5801): a speck 1 px before ค leaves the gap paper
    before = (glyphs[4].bbox[0] - 7, 30, glyphs[4].bbox[0] - 1, 34)
    assert _read(glyphs, PAPER, _ink([*boxes, before])).text == "สวัสดี ครับ"
    near_dot = OcrWord(text=".", bbox=(speck[0] - 3, 30, speck[0] - 1, 34), confidence=90, min_confidence=90)
    assert _read([*glyphs[:4], near_dot, *glyphs[4:]], PAPER, _ink([*boxes, speck])).text == "สวัสดี.ครับ"


def test_paper_at_either_end_of_a_line_is_no_space() -> None:
    glyphs = _glyphs(["ก", "ข", "ค"], [90] * 3)
    ink = _ink([(g.bbox[0] + 15, 10, g.bbox[2], 40) if i == 0 else g.bbox for i, g in enumerate(glyphs)])
    assert _read(glyphs, PAPER, ink).text == "กขค"


def test_nikhahit_plus_sara_aa_becomes_sara_am() -> None:
    line = _read(_glyphs(["ด", "ํ", "า", "เ", "นิ", "น"], [90] * 6), OCR)
    assert line.text == "ดำเนิน"
    assert "\u0e4d" not in "".join(w.text for w in line.words)


def test_tsv_glyphs_group_by_line_and_drop_empty_or_unscored_boxes() -> None:
    data = {
        "level": [5, 5, 5, 5, 4],
        "text": ["ก", " ", "ข", "ค", ""],
        "conf": [91, 95, -1, 88, -1],
        "left": [0, 30, 60, 0, 0],
        "top": [0, 0, 0, 50, 0],
        "width": [20, 20, 20, 20, 0],
        "height": [30, 30, 30, 30, 0],
        "block_num": [1, 1, 1, 1, 1],
        "par_num": [1, 1, 1, 1, 1],
        "line_num": [1, 1, 1, 2, 1],
    }
    assert [[g.text for g in line] for line in glyphs_from_tsv(data)] == [["ก"], ["ค"]]
    assert [line.text for line in lines_from_tsv(data, None, OCR)] == ["ก", "ค"]


def _line(text: str, box: tuple[int, int, int, int], conf: float = 90) -> OcrLine:
    return OcrLine(
        text=text, bbox=box, confidence=conf, words=[OcrWord(text=text, bbox=box, confidence=conf)]
    )


class _FakeEngine:
    """Stands in for Tesseract's re-reads, boxes in crop coordinates: `--psm 7` gives one line of `text`
    over the crop, `--psm 6` (when `block` is given) the lines of `block`."""

    name = "fake"

    def __init__(self, text: str = "", conf: float = 90, block: list[OcrLine] | None = None):
        self.text, self.conf, self.block = text, conf, block

    def read_block(
        self,
        image: np.ndarray,
        dpi: int,
        upscale: float = 1.0,
        single_line: bool = False,
        lang: str | None = None,
    ) -> list:
        assert lang is None and single_line == (self.block is None)
        if self.block is not None:
            return self.block
        return [_line(self.text, (8, 8, image.shape[1] - 8, image.shape[0] - 8), self.conf)]


def test_upper_marks_split_into_their_own_line_are_read_again_with_their_letters() -> None:
    lines = [
        _line("ชื่อโครงการ", (100, 100, 900, 170)),
        _line("ซ่ ่", (120, 180, 600, 205), conf=40),  # the marks of the next line, read as a line
        _line("ทีใช้ไป", (100, 200, 700, 270)),
        _line("ปีงบประมาณ", (100, 300, 800, 370)),
    ]
    assert split_mark_lines(lines) == [(1, 2)]
    engine = _FakeEngine("ที่ใช้ไป", conf=92)
    out = rejoin_marks(lines, np.full((500, 1000), 255, np.uint8), 300, engine)
    assert [ln.text for ln in out] == ["ชื่อโครงการ", "ที่ใช้ไป", "ปีงบประมาณ"]
    assert out[1].bbox == (100, 180, 700, 270)  # back in page coordinates
    worse = rejoin_marks(lines, np.full((500, 1000), 255, np.uint8), 300, _FakeEngine("?", conf=20))
    assert worse == lines  # a worse re-reading changes nothing


def test_a_word_cut_into_pieces_side_by_side_is_read_again_as_one_line() -> None:
    # held-out 6901, an office form: Tesseract cut "จัดทำคำสั่ง..." after จัดท, and read its marks apart
    lines = [
        _line("รายงานครั้งที่4 : 28/02/2562 : จัดซื้อวัสดุสำหรับจัดอบรม/", (583, 1320, 1315, 1384)),
        _line("ฉ๐", (588, 1387, 656, 1399), conf=64),
        _line("จดท", (581, 1401, 653, 1427), conf=96),
        _line("าคำสังผู้เข้าอบรม", (657, 1381, 946, 1445), conf=93),
        _line("ความก้าวหน้าของงานฯ = 40.00 %:", (583, 1442, 1218, 1510)),
    ]
    assert side_pieces(lines) == [[2, 3]]
    page = np.full((1600, 1400), 255, np.uint8)
    out = rejoin_pieces(lines, page, 300, _FakeEngine("จัดทำคำสั่งผู้เข้าอบรม", conf=94))
    assert [ln.text for ln in out] == [lines[0].text, "จัดทำคำสั่งผู้เข้าอบรม", lines[4].text]
    assert out[1].bbox == (581, 1381, 946, 1445)  # back in page coordinates; the marks line was inside
    assert rejoin_pieces(lines, page, 300, _FakeEngine("?", conf=50)) == lines  # a worse reading: as read
    # words printed a space apart, or cells a ruling apart, are no pieces of one word
    apart = [_line("ชื่อโครงการ", (100, 100, 400, 160)), _line("อบรมครู", (420, 100, 700, 160))]
    assert side_pieces(apart) == []


def test_a_line_twice_as_tall_as_usual_is_read_again_as_a_block() -> None:
    lines = [
        _line("รายงานครั้งที่3 :: 31/01/2567 : อยู่ระหว่างดำเนินการจัด", (100, 100, 1300, 180)),
        _line(":: ความก้าวหน้าของงานฯ = 20.00 % :", (500, 195, 1200, 330), conf=88),  # อบรม above, dropped
        _line("งบประมาณที่เบิกใช้ (ครั้งที่3) = 0 บาท", (500, 335, 1500, 410)),
    ]
    page, settings = np.full((600, 1600), 255, np.uint8), load_settings().ocr
    block = [
        _line("อบรม", (8, 8, 110, 45), 96),
        _line(":: ความก้าวหน้าของงานฯ = 20.00 % :", (8, 55, 700, 140), 88),
        _line("า า 1ฝส4", (14, 116, 700, 143), 51),
    ]
    out = reread_tall_lines(lines, page, 300, _FakeEngine(block=block), settings)
    assert [ln.text for ln in out] == [
        lines[0].text,
        "อบรม",
        lines[1].text,
        lines[2].text,
    ]  # junk sliver left
    assert out[1].bbox == (500, 195, 602, 232)  # back in page coordinates (crop from 8 px above the box)
    one = reread_tall_lines(lines, page, 300, _FakeEngine(block=block[1:2]), settings)
    unsure = reread_tall_lines(lines, page, 300, _FakeEngine(block=[block[0], block[2]]), settings)
    assert one == lines and unsure == lines  # one line again, or a second line far less sure: kept


def test_a_block_line_where_another_page_line_is_is_not_added_twice() -> None:
    # seed 1402 office, page 2: the tall box of "งบประมาณ..." reaches up over the percent line, and the
    # block reading printed that line a second time (the note then swallowed the first copy)
    lines = [
        _line(": ความก้าวหน้าของงานฯ = 30.00 % :", (593, 365, 1184, 440)),
        _line("งบประมาณที่เบิกใช้ (ครั้งที่ 2)=0 บาท", (580, 382, 1189, 475), conf=92),
        _line(": เป็นไปตามแผน", (1402, 417, 1666, 472)),
        _line(": เป็นไปตามเป้าหมาย", (1801, 416, 2133, 472)),
    ]
    lines.insert(0, _line("รายงานครั้งที่2 :: 31/12/2564 : ดำเนินการ", (199, 302, 1318, 363)))
    page, settings = np.full((600, 2200), 255, np.uint8), load_settings().ocr
    block = [  # crop coordinates: the crop starts 8 px left of and above the tall line's box
        _line(":: ความก้าวหน้าของงานฯ = 30.00 % :", (10, 0, 612, 67), 90),
        _line("งบประมาณที่เบิกใช้ (ครั้งที่2) = 0 บาท", (8, 43, 617, 101), 94),
    ]
    out = reread_tall_lines(lines, page, 300, _FakeEngine(block=block), settings)
    assert out == lines  # one new line only: the tall line is kept as read


def test_a_block_line_is_judged_by_its_words_not_by_a_speck_read_as_a_letter() -> None:
    # seed 1802 office page: "นา 2019" wrapped under a note was merged into the next line; the block
    # reading found it, but a speck read "ม" (47) pulled the line to 80, under the tall line's 92 - 10
    lines = [
        _line("28|06|2563 : ยกเลิกการดำเนินโครงการ...ไวรัสโคโร", (192, 1570, 2247, 1653), conf=94),
        _line("** ปัญหาของโครงการ :สถานการณ์...โคโรนา 2019", (187, 1663, 1890, 1805), conf=92),
        _line("** อุปสรรคของโครงการ :-", (192, 1810, 728, 1869), conf=93),
    ]
    page, settings = np.full((2000, 2300), 255, np.uint8), load_settings().ocr
    wrapped = OcrLine(
        text="นา2019 ม",
        bbox=(12, 12, 1299, 91),
        confidence=80,
        words=[
            OcrWord(text="นา", bbox=(12, 40, 54, 71), confidence=92),
            OcrWord(text="2019", bbox=(75, 33, 184, 72), confidence=90),
            OcrWord(text="ม", bbox=(1270, 12, 1299, 91), confidence=47, space_before=True),
        ],
    )
    block = [wrapped, _line(lines[1].text, (13, 67, 1711, 142), 93)]
    out = reread_tall_lines(lines, page, 300, _FakeEngine(block=block), settings)
    assert [ln.text for ln in out] == [lines[0].text, "นา2019 ม", lines[1].text, lines[2].text]


def test_a_short_line_further_above_is_not_taken_for_marks() -> None:
    lines = [_line("&&&", (500, 100, 590, 140), conf=50), _line("(2) ความคืบหน้า", (190, 170, 1500, 240))]
    lines.append(_line("ถัดไป", (190, 260, 900, 330)))
    assert split_mark_lines(lines) == []


def test_a_page_over_the_ocr_time_limit_is_refused_with_a_reason(tmp_path: Path) -> None:
    from PIL import Image

    from models.pipeline import PageImage
    from models.settings import load_settings
    from tasks.ocr import TesseractEngine
    from tasks.preflight import BadDocument

    path = tmp_path / "p.png"
    Image.new("L", (2480, 3508), 255).save(path)
    limits = load_settings().ocr.model_copy(update={"timeout_seconds": 0.01})
    page = PageImage(source="x.pdf", page=3, path=path, width=2480, height=3508, dpi=300)
    with pytest.raises(BadDocument, match=r"OCR of page 3 took longer than 0.01 s"):
        TesseractEngine(limits).recognise(page)


def test_latin_runs_are_short_digit_or_latin_words_after_thai_read_unsurely() -> None:
    from tasks.ocr import _latin_runs

    words = [
        OcrWord(text=t, bbox=(i * 100, 0, i * 100 + 90, 40), confidence=c, min_confidence=c)
        for i, (t, c) in enumerate(
            [("กระบวนการ", 90), ("0", 30), ("6", 40), ("ปี", 90), ("2567", 92), ("โทร", 90), (".", 20)]
        )
    ]
    assert _latin_runs(words, 90) == [[1, 2]]  # 2567 read surely; "." holds no letter or digit
    assert _latin_runs(words, 20) == []


@pytest.mark.e2e
def test_a_latin_acronym_the_thai_model_reads_as_digits_is_read_again_in_latin() -> None:
    """Real Tesseract on a rendered line: `tha` reads "PLC" amid Thai as digits ("066"), `eng` as PLC."""
    from PIL import Image, ImageDraw

    from factory.layout import _font, font_faces
    from models.settings import load_settings
    from tasks.ocr import TesseractEngine, reread_latin

    settings = load_settings().ocr
    face = font_faces()[0]
    image = Image.new("L", (1400, 140), 255)
    ImageDraw.Draw(image).text(
        (40, 30), "พัฒนาการบริหารจัดการ ด้วยกระบวนการ PLC ปี 2567", font=_font(face.regular, face.px), fill=0
    )
    pixels = np.array(image)
    engine = TesseractEngine(settings)
    lines = engine.read_block(pixels, 300, single_line=True)
    assert "PLC" not in lines[0].text  # the Thai model has no Latin letters
    out = reread_latin(lines, pixels, 300, engine, settings)
    assert "PLC" in out[0].text and "2567" in out[0].text
    assert out[0].text.replace(" ", "").endswith("PLCปี2567")
