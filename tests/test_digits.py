"""Thai-digit cells read glyph by glyph (tasks/digits.py): segmentation, classification on a face the
prototypes were not drawn from, punctuation, which cells are re-read, and a real page through Tesseract."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from factory.degrade import degrade
from factory.layout import Cell, Para, font_face, render
from factory.layout import Table as DrawnTable
from models.layout import Table, TableCell
from models.pipeline import OcrLine, OcrWord
from models.settings import DigitSettings, load_settings
from tasks.digits import (
    DIGITS,
    Prototypes,
    confidence,
    font_files,
    looks_thai_number,
    prototypes,
    read_cell,
    read_number,
    reread_table,
    without_specks,
)
from tasks.layout import fill_table
from tasks.ocr import TesseractEngine
from tasks.page import process_page

HELD_OUT = "Sarabun"  # the face drawn in these tests; the prototypes below never include it


def _settings(**update: object) -> DigitSettings:
    """Production settings, prototypes from every configured face except the one the tests draw."""
    digits = load_settings().digits
    fonts = [f for f in digits.fonts if f != HELD_OUT]
    return digits.model_copy(update={"fonts": fonts, **update})


def _protos(settings: DigitSettings) -> Prototypes:
    return prototypes(tuple(settings.fonts), tuple(settings.sizes), settings.strokes)


def _draw(text: str, px: int = 40, bold: bool = False, face: str = HELD_OUT) -> np.ndarray:
    """`text` printed in `face`, binarised like a cleaned page: uint8, 0 ink, 255 paper."""
    path = font_files(face)[1 if bold else 0]
    font = ImageFont.truetype(str(path), px, layout_engine=ImageFont.Layout.RAQM)
    image = Image.new("L", (round(font.getlength(text)) + 40, 2 * px), 255)
    ImageDraw.Draw(image).text((20, px // 3), text, font=font, fill=0)
    return np.where(np.asarray(image) < 128, 0, 255).astype(np.uint8)


def _read(image: np.ndarray) -> str | None:
    settings = _settings()
    glyphs = read_cell(image, _protos(settings), settings)
    return None if glyphs is None else "".join(g.text for g in glyphs)


# ---------------------------------------------------------------- prototypes


def test_prototypes_cover_every_digit_and_build_well_under_a_second() -> None:
    settings = load_settings().digits
    started = time.process_time()
    protos = prototypes.__wrapped__(tuple(settings.fonts), tuple(settings.sizes), settings.strokes)
    assert time.process_time() - started < 1.0
    sizes = np.diff(protos.bounds)
    assert len(sizes) == len(DIGITS) and all(sizes == sizes[0]) and sizes[0] > 0
    assert np.allclose(np.linalg.norm(protos.vectors, axis=1), 1.0, atol=1e-4)


def test_an_unknown_font_fails_loudly() -> None:
    with pytest.raises(FileNotFoundError, match="NoSuchFace"):
        prototypes(("NoSuchFace",), (40,), 1)


# ---------------------------------------------------------------- reading one cell


def _specked(text: str, where: float) -> np.ndarray:
    """`text` with a fax speck (a disc thicker than any stroke) on its top edge, `where` along it."""
    image = _draw(text)
    ys, xs = np.nonzero(image < 128)
    cv2.circle(image, (int(xs.min() + where * (xs.max() - xs.min())), int(ys.min())), 5, 0, -1)
    return image


@pytest.mark.parametrize("text", ["๘๕๑,๙๐๐", "๖๑๘,๐๐๐", "๗๓๔,๓๐๐", "๒,๗๐๙,๕๐๐", "๔๖", "๗", "๑๐"])
def test_digits_of_a_face_held_out_of_the_prototypes_are_read(text: str) -> None:
    assert _read(_draw(text)) == text
    assert _read(_draw(text, px=48, bold=True)) == text


@pytest.mark.parametrize("text", ["๖๙๙,๓๐๐", "๕๔๒,๔๐๐", "๑,๒๓๔.๕๐"])
def test_removing_specks_keeps_the_print(text: str) -> None:
    assert _read(without_specks(_draw(text), _settings().speck_ratio)) == text
    bold = _draw(text, px=48, bold=True)
    assert _read(without_specks(bold, _settings().speck_ratio)) == text


def test_a_number_with_a_speck_on_a_digit_is_read_loosely_and_less_sure() -> None:
    settings = _settings()
    image = _specked("๖๙๙,๓๐๐", 0.55)
    assert read_cell(image, _protos(settings), settings) is None  # the strict reading refuses it
    read = read_number(image, _protos(settings), settings, "๖๕๕,๓๐๐")
    assert read is not None and read[0] == "๖๙๙,๓๐๐"
    assert read[1] <= 100 * settings.loose_factor
    clean = read_number(_draw("๖๙๙,๓๐๐"), _protos(settings), settings, "๖๕๕,๓๐๐")
    assert clean is not None and clean[0] == "๖๙๙,๓๐๐" and clean[1] > 100 * settings.loose_factor


def test_a_loose_reading_keeps_tesseracts_decimal_point_and_digit_count() -> None:
    settings, image = _settings(), _specked("๖๙๙,๓๐๐", 0.55)
    assert read_number(image, _protos(settings), settings, "๖") is None  # too little seen as digits
    assert read_number(image, _protos(settings), settings, "๖๙๙.๓๐") is None  # a point it no longer has
    assert read_number(image, _protos(settings), settings, "๖๙๙,๓๐๐,๐๐๐") is None  # digits it lost


def test_every_digit_alone_is_told_apart() -> None:
    assert [_read(_draw(d)) for d in DIGITS] == list(DIGITS)


def test_touching_digits_are_cut_apart() -> None:
    image = _draw("๗๙๒")
    rows, cols = (np.nonzero((image < 128).any(axis=k))[0] for k in (1, 0))
    mid = (rows[0] + rows[-1]) // 2 + 4
    for x in range(cols[0], cols[-1]):  # bridge every white gap between the glyphs at mid-height
        if (image[:, x] == 255).all():
            image[mid - 2 : mid + 2, x] = 0
    assert cv2.connectedComponents((image < 128).astype(np.uint8))[0] - 1 < 3
    assert _read(image) == "๗๙๒"


def test_comma_dot_and_minus_are_read_from_their_shape_and_place() -> None:
    assert _read(_draw("๑,๒๓๔.๕๐")) == "๑,๒๓๔.๕๐"
    assert _read(_draw("-๑๒๓")) == "-๑๒๓"
    assert _read(_draw("๓.๕")) == "๓.๕"


def test_dust_outside_the_number_is_ignored_but_unknown_marks_inside_refuse() -> None:
    image = np.pad(_draw("๘๕๑,๙๐๐"), ((0, 0), (60, 0)), constant_values=255)
    rows = np.nonzero((image < 128).any(axis=1))[0]
    image[rows[-1] - 8 : rows[-1] - 2, 10:16] = 0  # a blot on the line, well left of the number
    assert _read(image) == "๘๕๑,๙๐๐"
    slash = _draw("๑๒/๓๔")
    assert _read(slash) is None


def test_a_second_line_or_a_thai_word_is_not_a_number() -> None:
    top, bottom = _draw("๑๒๓"), _draw("๔๕๖")
    width = max(top.shape[1], bottom.shape[1])
    two = np.vstack(
        [np.pad(x, ((0, 0), (0, width - x.shape[1])), constant_values=255) for x in (top, bottom)]
    )
    assert _read(two) is None
    assert _read(_draw("เสร็จสิ้น")) is None
    assert _read(np.full((40, 80), 255, np.uint8)) is None


def test_confidence_is_on_tesseracts_scale_and_drops_with_a_narrow_margin() -> None:
    settings = load_settings().digits  # production prototypes: the face drawn is among them
    glyphs = read_cell(_draw("๘๕๑,๙๐๐"), _protos(settings), settings)
    assert glyphs is not None
    mean, least = confidence(glyphs, settings)
    assert 80 <= least <= mean <= 100
    doubtful = [replace(g, margin=0.01) if g.text == "๙" else g for g in glyphs]
    assert confidence(doubtful, settings)[1] < 20 < 80 < confidence(doubtful, settings)[0] < mean


# ---------------------------------------------------------------- which cells are re-read


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๕๕๑,๕๐๐", True),
        ("๓ฒ่๓๕.,๓๐๐", True),  # Tesseract's letters for the digits it lacks
        ("๕๕๕,5๐๐๐", True),  # one Arabic digit among Thai ones
        ("๑", True),
        ("851,900", False),
        ("12", False),
        ("เสร็จสิ้น", False),
        ("เขต ๒", False),
        ("PLC ๑", False),
        ("๒๕/๑๐/๒๕๖๒", False),
        ("-", False),
        ("", False),
    ],
)
def test_only_readings_of_thai_digit_numbers_are_candidates(text: str, expected: bool) -> None:
    assert looks_thai_number(text) is expected


def _table(images: list[list[np.ndarray]]) -> tuple[np.ndarray, Table]:
    """Cells of 400 x 100 px side by side, each image at its cell's top-left plus the inset."""
    inset, w, h = 12, 400, 100
    page = np.full((h * len(images), w * len(images[0])), 255, np.uint8)
    cells = []
    for r, row in enumerate(images):
        for c, image in enumerate(row):
            x0, y0 = c * w, r * h
            page[y0 + inset : y0 + inset + image.shape[0], x0 + inset : x0 + inset + image.shape[1]] = image
            cells.append(TableCell(row=r, col=c, box=(x0, y0, x0 + w, y0 + h)))
    table = Table(box=(0, 0, page.shape[1], page.shape[0]), n_rows=len(images), n_cols=len(images[0]),
                  header_rows=1, cells=cells)  # fmt: skip
    return page, table


def _word(cell: TableCell, text: str, confidence: float = 90.0) -> OcrWord:
    x0, y0, x1, y1 = cell.box
    return OcrWord(text=text, bbox=(x0 + 20, y0 + 20, x1 - 20, y1 - 20), confidence=confidence)


def _texts(table: Table, words: list[OcrWord]) -> list[str]:
    return [c.text for c in fill_table(table, words).cells]


def test_thai_digit_cells_are_replaced_and_other_cells_keep_tesseracts_text() -> None:
    blank = np.full((10, 10), 255, np.uint8)
    page, table = _table(
        [
            [_draw("ที่"), _draw("งบ"), _draw("บาท")],
            [_draw("๘๕๑,๙๐๐"), _draw("851,900", face="Loma"), _draw("เสร็จสิ้น")],
            [_draw("๖๑๘,๐๐๐"), _draw("851,900", face="Loma"), blank],
        ]
    )
    c = table.cells
    words = [_word(c[0], "ที่"), _word(c[1], "งบ"), _word(c[2], "บาท"),
             _word(c[3], "๕๕๑,๕๐๐", 60), _word(c[4], "851,900"), _word(c[5], "เสร็จสิน"),
             _word(c[6], "๒๑๕,๐๐๐", 60), _word(c[7], "851,900")]  # fmt: skip
    out = reread_table(page, table, words, _settings(), inset=12)
    assert _texts(table, out) == ["ที่", "งบ", "บาท", "๘๕๑,๙๐๐", "851,900", "เสร็จสิน", "๖๑๘,๐๐๐", "851,900", ""]
    read = next(w for w in out if w.text == "๘๕๑,๙๐๐")
    assert 70 <= read.confidence <= 100 and read.min_confidence is not None


def test_an_arabic_cell_is_never_reread_even_over_thai_ink() -> None:
    page, table = _table([[_draw("หัว")], [_draw("๘๕๑,๙๐๐")]])
    words = [_word(table.cells[0], "หัว"), _word(table.cells[1], "851,900")]
    assert _texts(table, reread_table(page, table, words, _settings(), inset=12))[1] == "851,900"


def test_a_cell_matching_no_digit_well_keeps_tesseracts_text() -> None:
    page, table = _table([[_draw("หัว")], [_draw("กรุงเทพ")], [_draw("๘๕๑")]])
    words = [_word(table.cells[0], "หัว"), _word(table.cells[1], "๓๕๑"), _word(table.cells[2], "๕๕๑")]
    out = reread_table(page, table, words, _settings(), inset=12)
    assert _texts(table, out) == ["หัว", "๓๕๑", "๘๕๑"]
    strict = reread_table(page, table, words, _settings(min_score=0.999, loose_min_score=0.999), inset=12)
    assert _texts(table, strict) == ["หัว", "๓๕๑", "๕๕๑"]


def test_a_digit_read_as_letters_is_reread_in_a_column_of_numbers_but_a_word_there_is_kept() -> None:
    page, table = _table([[_draw("ที่"), _draw("ชื่อ")], [_draw("๖"), _draw("ฒ")], [_draw("๗"), _draw("ก")],
                          [_draw("๘"), _draw("ข")], [_draw("รวม"), _draw("ค")]])  # fmt: skip
    read_as = ["ที่", "ชื่อ", "๒", "ฒ", "ฒ", "ก", "๕", "ข", "รวม", "ค"]
    words = [_word(cell, text) for cell, text in zip(table.cells, read_as, strict=True)]
    out = reread_table(page, table, words, _settings(), inset=12)
    assert _texts(table, out) == ["ที่", "ชื่อ", "๖", "ฒ", "๗", "ก", "๘", "ข", "รวม", "ค"]


# ---------------------------------------------------------------- a real page


@pytest.mark.e2e
def test_a_ruled_table_of_thai_digit_numbers_comes_out_right(tmp_path: Path) -> None:
    rows = [
        ["๑", "ประชุมครู", "๘๕๑,๙๐๐", "๗๘๘,๒๐๐", "1,250"],
        ["๒", "พัฒนาหลักสูตร", "๖๑๘,๐๐๐", "-", "980"],
        ["๓", "ยกระดับผลสัมฤทธิ์", "๔๗๙,๓๖๐", "๔๔๙,๖๐๐", "3,405"],
        ["๔", "อบรมภาษาอังกฤษ", "๗๓๔,๓๐๐", "๖๙,๙๕๐", "76"],
    ]
    table = DrawnTable(
        header=[[Cell("ที่"), Cell("โครงการ"), Cell("งบประมาณ"), Cell("เบิกจ่าย"), Cell("ผู้เข้าร่วม")]],
        rows=rows,
        widths=[0.08, 0.36, 0.2, 0.2, 0.16],
        numeric=frozenset({2, 3, 4}),
    )
    doc = render(
        [Para("ตารางสรุปงบประมาณ"), table], font_face("Sarabun", 0), "digits.pdf", "หัว", lambda n, t: ""
    )
    pdf = tmp_path / "digits.pdf"
    degrade(doc.images[0], "office", np.random.default_rng(7)).save(pdf, "PDF", resolution=300)
    settings = load_settings()
    page = process_page(pdf, pdf.name, 1, settings, tmp_path / "work", TesseractEngine(settings.ocr))
    got = page.layout.tables[0].grid(range(1, len(rows) + 1))
    numbers = [[row[c] for c in (0, 2, 3, 4)] for row in got]  # Thai index, Thai money, Arabic count
    assert numbers == [[row[c] for c in (0, 2, 3, 4)] for row in rows]


# ---------------------------------------------------------------- running text


def test_a_number_in_running_text_is_reread_even_when_its_box_cuts_a_glyph() -> None:
    from models.pipeline import OcrLine
    from tasks.digits import reread_lines

    image = _draw("พ.ศ. ๒๕๖๖ บาท")
    cols = np.nonzero((image < 128).any(axis=0))[0]
    gaps = [a for a, b in itertools.pairwise(cols) if b - a > 8]  # ends of "พ.ศ." and the number
    number_start, number_end = gaps[0] + 12, gaps[1]  # a box that starts inside the first digit
    rows = np.nonzero((image < 128).any(axis=1))[0]
    box = (int(number_start), int(rows[0]), int(number_end), int(rows[-1]))
    words = [
        OcrWord(text="พ.ศ.", bbox=(int(cols[0]), int(rows[0]), int(gaps[0]), int(rows[-1])), confidence=90),
        OcrWord(text="๒๕๒๐", bbox=box, confidence=70, space_before=True),  # what tha reads for ๒๕๖๖
        OcrWord(text="บาท", bbox=(int(gaps[1]) + 10, int(rows[0]), int(cols[-1]), int(rows[-1])),
                confidence=90, space_before=True),
    ]  # fmt: skip
    page = (0, 0, image.shape[1], image.shape[0])
    line = OcrLine(text="พ.ศ. ๒๕๒๐ บาท", bbox=page, confidence=80, words=words)
    [out] = reread_lines(image, [line], _settings())
    assert out.text == "พ.ศ. ๒๕๖๖ บาท"
    assert [w.text for w in out.words] == ["พ.ศ.", "๒๕๖๖", "บาท"]


def test_words_in_running_text_are_left_alone() -> None:
    from models.pipeline import OcrLine
    from tasks.digits import reread_lines

    image = _draw("งบประมาณ 2566")
    words = [OcrWord(text="งบประมาณ", bbox=(20, 10, 200, 60), confidence=90),
             OcrWord(text="2566", bbox=(210, 10, 300, 60), confidence=90, space_before=True)]  # fmt: skip
    page = (0, 0, image.shape[1], image.shape[0])
    line = OcrLine(text="งบประมาณ 2566", bbox=page, confidence=90, words=words)
    assert reread_lines(image, [line], _settings()) == [line]


def _split_number(printed: str, first: str, rest: str) -> tuple[np.ndarray, OcrLine]:
    """ "งบ <number> บาท" drawn, and read as Tesseract does a number it cannot read: its first glyph as the
    word `first`, the others as the word `rest`."""
    image = _draw(f"งบ {printed} บาท")
    cols = np.nonzero((image < 128).any(axis=0))[0]
    rows = np.nonzero((image < 128).any(axis=1))[0]
    top, bottom = int(rows[0]), int(rows[-1])
    gaps = [(int(a), int(b)) for a, b in itertools.pairwise(cols) if b - a > 8]  # the spaces
    start, end = gaps[0][1], gaps[1][0]
    digit = (end - start) // len(printed)  # about one glyph wide
    words = [
        OcrWord(text="งบ", bbox=(int(cols[0]), top, gaps[0][0], bottom), confidence=90),
        OcrWord(text=first, bbox=(start, top, start + digit, bottom), confidence=60, space_before=True),
        OcrWord(text=rest, bbox=(start + digit + 2, top, end, bottom), confidence=60, space_before=True),
        OcrWord(text="บาท", bbox=(gaps[1][1], top, int(cols[-1]), bottom), confidence=90, space_before=True),
    ]
    page = (0, 0, image.shape[1], image.shape[0])
    return image, OcrLine(text=f"งบ {first} {rest} บาท", bbox=page, confidence=80, words=words)


def test_a_number_tesseract_split_in_two_words_is_read_as_one() -> None:
    from tasks.digits import reread_lines

    image, line = _split_number("๘๐๒,๕๐๐", "๕", "๐๒,๕๐๐")
    [out] = reread_lines(image, [line], _settings())
    assert out.text == "งบ ๘๐๒,๕๐๐ บาท"


def test_a_seven_read_as_a_letter_word_of_its_own_is_read_with_its_number() -> None:
    """tha has no ๗ and reads it ฒ, often as a word of its own in front of the rest ("ฒ ๙๘,๐๐๐")."""
    from tasks.digits import _number_runs, reread_lines

    image, line = _split_number("๗๙๘,๐๐๐", "ฒ", "๙๘,๐๐๐")
    [out] = reread_lines(image, [line], _settings())
    assert out.text == "งบ ๗๙๘,๐๐๐ บาท"
    words = line.words
    assert _number_runs(words, "ฒ") == [[1, 2]]
    assert _number_runs([words[1], words[3]], "ฒ") == []  # a lone lookalike letter is a letter
    assert _number_runs(words, "") == [[2]]


def test_each_number_of_a_line_is_read_again_on_its_own_terms() -> None:
    from models.pipeline import OcrLine
    from tasks.digits import reread_lines

    sure, worn = _draw("๒๕๖๖"), _draw("๘๐๒,๕๐๐")
    flipped = np.random.default_rng(1).random(worn.shape) < 0.04  # speckle: its digits match less well
    worn[flipped] = 255 - worn[flipped]
    worn = cv2.medianBlur(worn, 3)
    image = np.hstack([sure, worn])
    words = []
    for printed, (x0, x1) in (("๒๕๒๐", (0, sure.shape[1])), ("๕๐๒,๕๐๐", (sure.shape[1], image.shape[1]))):
        ink = np.nonzero((image[:, x0:x1] < 128).any(axis=0))[0] + x0
        rows = np.nonzero((image[:, x0:x1] < 128).any(axis=1))[0]
        box = (int(ink[0]), int(rows[0]), int(ink[-1]) + 1, int(rows[-1]) + 1)
        words.append(OcrWord(text=printed, bbox=box, confidence=70, space_before=bool(words)))
    line = OcrLine(
        text="๒๕๒๐ ๕๐๒,๕๐๐", bbox=(0, 0, image.shape[1], image.shape[0]), confidence=70, words=words
    )
    [out] = reread_lines(image, [line], _settings())
    assert [w.text for w in out.words] == ["๒๕๖๖", "๘๐๒,๕๐๐"]
    # the second number is less sure than the first and is read all the same
    assert out.words[1].min_confidence < out.words[0].min_confidence
    assert reread_lines(image, [line], _settings(), least=100.5) == [line]  # none that sure
