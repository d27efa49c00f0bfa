"""Thai-digit table cells read glyph by glyph against digits rendered from the machine's Thai fonts.

Debian's `tha` model (tessdata_fast 4.1.0) has no ๔ ๖ ๗ ๘ ๙ in its character set (langdata_lstm issue
#42), so Tesseract can never read them: ๘๕๑,๙๐๐ comes out ๕๕๑,๕๐๐. A numeric cell is one printed line of
a few separate glyphs, so nearest-prototype matching of each glyph reads it without a trained model.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from statistics import median

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from models.layout import Box, Table
from models.pipeline import OcrLine, OcrWord
from models.settings import DigitSettings
from tasks.layout import fill_table
from tasks.ocr import replace_words, union, word_crop
from tasks.thai_text import MARKS

DIGITS = "๐๑๒๓๔๕๖๗๘๙"
SIDE = 32  # px: every glyph is compared as a SIDE x SIDE image
TLWG = Path("/usr/share/fonts/truetype/tlwg")
_DISK = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
_NUMBER = re.compile(r"^-?(?:[๐-๙]{1,3}(?:,[๐-๙]{3})+|[๐-๙]+)(?:\.[๐-๙]+)?$")
# One digit is 0.76-1.35 times as wide as tall in the TLWG faces and Sarabun; wider ink is digits touching.
_ASPECT = (0.5, 1.6)
_SPLIT_ASPECT = 1.3


@dataclass(frozen=True)
class Prototypes:
    """Normalised renderings of the ten digits, grouped by digit: rows `bounds[d]:bounds[d + 1]` are d."""

    vectors: np.ndarray  # (n, SIDE * SIDE) float32, zero-mean, unit length
    bounds: tuple[int, ...]


@dataclass(frozen=True)
class Glyph:
    text: str
    box: Box  # in the cell crop's pixels
    score: float  # correlation with the best prototype (1 for , . - which are read from their shape)
    margin: float  # how far the best prototype of any other digit is behind (1 for , . -)


# ---------------------------------------------------------------- prototypes


def font_files(name: str) -> list[Path]:
    """A face's regular and bold files: Sarabun from fontpkg-sarabun (PyPI), the rest from fonts-thai-tlwg."""
    if name.lower() == "sarabun":
        import fontpkg_sarabun

        folder = Path(fontpkg_sarabun.__file__).resolve().parent / "files"
        files = [folder / "Sarabun-Regular.ttf", folder / "Sarabun-Bold.ttf"]
    else:
        files = [TLWG / f"{name}.ttf", TLWG / f"{name}-Bold.ttf"]
    found = [f for f in files if f.is_file()]
    if not found:
        raise FileNotFoundError(f"digits.fonts: no font file for {name!r} (looked for {files[0]})")
    return found


def normalise(mask: np.ndarray) -> np.ndarray:
    """An inked glyph (bool, cropped to its ink) as a zero-mean unit vector, stretched to SIDE x SIDE and
    blurred so a pixel's shift costs little. Stretching, not padding to a square, because faces differ
    most in proportions: digits from faces held out were matched right 98-99% stretched, 91% padded."""
    small = cv2.resize(mask.astype(np.float32), (SIDE, SIDE), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 1.0).ravel()
    small -= small.mean()
    return small / (np.linalg.norm(small) or 1.0)


def _ink(image: Image.Image) -> np.ndarray:
    ink = np.asarray(image) < 128
    ys, xs = np.nonzero(ink)
    return ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] if len(ys) else ink[:0, :0]


@cache
def prototypes(fonts: tuple[str, ...], sizes: tuple[int, ...], strokes: int) -> Prototypes:
    """Every digit in every face's regular and bold file at every size, binarised, and grown a pixel at
    a time `strokes` - 1 times: the cleaner thickens thin print, so a thin face must match thickened."""
    rows: list[list[np.ndarray]] = [[] for _ in DIGITS]
    for name in fonts:
        for path in font_files(name):
            for px in sizes:
                font = ImageFont.truetype(str(path), px, layout_engine=ImageFont.Layout.RAQM)
                for d, ch in enumerate(DIGITS):
                    canvas = Image.new("L", (3 * px, 3 * px), 255)
                    ImageDraw.Draw(canvas).text((px, px // 2), ch, font=font, fill=0)
                    mask = _ink(canvas)
                    for _ in range(strokes if mask.size else 0):
                        rows[d].append(normalise(mask))
                        mask = cv2.dilate(np.pad(mask, 1).astype(np.uint8), _DISK).astype(bool)
    if not all(rows):
        raise ValueError(f"digits.fonts: {list(fonts)} do not draw all ten Thai digits")
    bounds = np.cumsum([0] + [len(r) for r in rows])
    vectors = np.stack([v for r in rows for v in r]).astype(np.float32)
    return Prototypes(vectors, tuple(int(b) for b in bounds))


# ---------------------------------------------------------------- one cell


def classify(masks: list[np.ndarray], protos: Prototypes) -> np.ndarray:
    """Per glyph, per digit: the correlation of its best prototype with the glyph, (len(masks), 10)."""
    scores = np.stack([normalise(m) for m in masks]) @ protos.vectors.T
    return np.maximum.reduceat(scores, protos.bounds[:-1], axis=1)


def _trim(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """The mask cropped to its ink, and the crop's left offset."""
    ys, xs = np.nonzero(mask)
    if not len(ys):
        return mask[:0, :0], 0
    return mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1], int(xs.min())


def _digits(mask: np.ndarray, protos: Prototypes, min_score: float) -> list[tuple[int, int, np.ndarray]]:
    """(x0, x1, scores per digit) of the digits in one inked piece, left to right; [] if none fits.

    A piece too wide for one digit, or rather wide and matching none, is digits touching (a tail of ๗ or
    ๙ reaching the next one): every way of cutting it into digit-wide slices is scored, and the cutting
    whose worst slice matches best wins.
    """
    h, w = mask.shape
    if _ASPECT[0] * h <= w <= _ASPECT[1] * h:
        whole = classify([mask], protos)[0]
        if w <= _SPLIT_ASPECT * h or whole.max() >= min_score:
            return [(0, w, whole)]
    elif w < _ASPECT[0] * h:
        return []
    step = max(1, h // 12)  # cut positions ~2 px apart at 300 dpi; the scores barely change within that
    cuts = [*range(0, w - step, step), w]
    spans, pieces = [], []
    for i, a in enumerate(cuts):
        for j in range(i + 1, len(cuts)):
            piece, dx = _trim(mask[:, a : cuts[j]])
            if piece.size and _ASPECT[0] <= piece.shape[1] / piece.shape[0] <= _ASPECT[1]:
                spans.append((i, j, a + dx, a + dx + piece.shape[1]))
                pieces.append(piece)
            if cuts[j] - a > _ASPECT[1] * h:
                break
    if not pieces:
        return []
    scores = classify(pieces, protos)
    # best[j]: (worst slice score, slices) of the best cutting of columns [0, cuts[j]).
    best: dict[int, tuple[float, list[tuple[int, int, np.ndarray]]]] = {0: (np.inf, [])}
    for k in sorted(range(len(spans)), key=lambda k: spans[k][1]):
        i, j, x0, x1 = spans[k]
        if i in best:
            worst = min(best[i][0], float(scores[k].max()))
            if j not in best or worst > best[j][0]:
                best[j] = (worst, [*best[i][1], (x0, x1, scores[k])])
    return best.get(len(cuts) - 1, (0.0, []))[1]


def _mark(box: Box, baseline: float, height: float) -> str | None:
    """A small glyph between digits, read from its shape and place: "," "." "-", or None."""
    w, h = box[2] - box[0], box[3] - box[1]
    below, above = box[3] - baseline, baseline - box[1]
    if w >= 1.5 * h and 0.2 * height <= baseline - (box[1] + box[3]) / 2 <= 0.8 * height:
        return "-"  # flat, at mid-height
    if above < 0.5 * height and (below > 0.15 * height or (h >= 1.3 * w and below >= 0.05 * height)):
        return ","  # hangs below the baseline, or a worn comma: upright and across it
    if 0.6 <= w / h <= 1.6 and abs(below) <= 0.1 * height and h < 0.35 * height:
        return "."  # round, on the baseline
    return None


def read_cell(crop: np.ndarray, protos: Prototypes, settings: DigitSettings) -> list[Glyph] | None:
    """The glyphs of a one-line numeric cell left to right, or None when it is not one: a second line,
    a glyph no digit matches at least `min_score`, a small mark between digits that is not , . or -.

    Small specks outside the number are dust, except a "-" just before it (a minus sign).
    """
    ink = crop < 128
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n < 2:
        return None
    boxes = [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _a in stats[1:]]
    areas = stats[1:, cv2.CC_STAT_AREA]
    tallest = max(b[3] - b[1] for b in boxes)
    main = [i for i, b in enumerate(boxes) if b[3] - b[1] >= 0.6 * tallest and areas[i] >= 0.1 * areas.max()]
    height = median(boxes[i][3] - boxes[i][1] for i in main)
    baseline = median(boxes[i][3] for i in main)
    if any(boxes[i][3] < baseline - 0.5 * height or boxes[i][1] > baseline - 0.5 * height for i in main):
        return None  # not one line
    left, right = min(boxes[i][0] for i in main), max(boxes[i][2] for i in main)
    groups = {i: [i] for i in main}
    glyphs = []
    for i, b in enumerate(boxes):
        w, h = b[2] - b[0], b[3] - b[1]
        if i in groups or max(w, h) < settings.min_speck * height:
            continue
        if b[1] > baseline - 0.1 * height or b[3] < baseline - height:
            continue  # off the digits' line: every mark starts above the baseline
        mark = _mark(b, baseline, height)
        host = next((j for j in main if min(b[2], boxes[j][2]) - max(b[0], boxes[j][0]) >= 0.5 * w), None)
        if host is not None and mark != ",":  # a piece broken off a digit lies over or under it
            groups[host].append(i)
            continue
        if left < b[0] and b[2] < right:
            if mark is None:
                return None
            glyphs.append(Glyph(mark, b, 1.0, 1.0))
        elif mark == "-" and b[2] <= left and left - b[2] < 0.6 * height:
            glyphs.append(Glyph(mark, b, 1.0, 1.0))
    floor = round(baseline + 0.1 * height)  # no Thai digit hangs below the line: ink under it is dust
    for members in groups.values():
        x0, y0 = min(boxes[i][0] for i in members), min(boxes[i][1] for i in members)
        x1, y1 = max(boxes[i][2] for i in members), min(max(boxes[i][3] for i in members), floor)
        mask, dx = _trim(np.isin(labels[y0:y1, x0:x1], [i + 1 for i in members]))
        x0 += dx
        read = _digits(mask, protos, settings.min_score) if mask.size else []
        if not read:
            return None
        for a, b, scores in read:
            first, second = np.sort(scores)[-2:][::-1]
            if first < settings.min_score:
                return None
            glyphs.append(Glyph(DIGITS[int(scores.argmax())], (x0 + a, y0, x0 + b, y1), float(first),
                                float(first - second)))  # fmt: skip
    glyphs.sort(key=lambda g: g.box[0])
    if any(b.box[0] - a.box[2] > 0.8 * height for a, b in itertools.pairwise(glyphs)):
        return None  # two numbers, or a number and something else
    return glyphs


def without_specks(crop: np.ndarray, ratio: float) -> np.ndarray:
    """`crop` without the round specks a fax scatters on and between digits: ink more than `ratio` times
    a stroke's half-width from the nearest white is no stroke, so the disc around it is whitened."""
    ink = (crop < 128).astype(np.uint8)
    dist = cv2.distanceTransform(ink, cv2.DIST_L2, 3)
    centre = (dist >= 1) & (dist >= cv2.dilate(dist, np.ones((3, 3), np.uint8)))  # strokes' centre lines
    middle = dist[centre]
    if not middle.size:
        return crop
    n, labels = cv2.connectedComponents((dist > ratio * float(np.median(middle))).astype(np.uint8))
    out = crop.copy()
    for i in range(1, n):
        core = (labels == i).astype(np.uint8)
        r = int(np.ceil(dist[labels == i].max())) + 1
        out[cv2.dilate(core, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))) > 0] = 255
    return out


def _spelled(glyphs: list[Glyph]) -> str:
    return "".join(g.text for g in glyphs)


def read_number(
    crop: np.ndarray, protos: Prototypes, settings: DigitSettings, printed: str
) -> tuple[str, float, float] | None:
    """(text, mean, least confidence) of a one-line Thai-digit number, or None.

    Read at `min_score` first. When that refuses the crop (a fax speck on a digit, an unusual face), it is
    read again at `loose_min_score`, as printed and with specks removed (`without_specks`); the reading
    whose worst digit matches best is taken at `loose_factor` of its confidence, so review sees it. A loose
    reading must agree with Tesseract's `printed` text on a decimal point (removing specks can remove one)
    and have at least as many digits as the two or more Thai digits Tesseract saw there."""
    glyphs = read_cell(crop, protos, settings)
    if glyphs is not None:
        return (_spelled(glyphs), *confidence(glyphs, settings)) if _NUMBER.match(_spelled(glyphs)) else None
    seen = sum(ch in DIGITS for ch in printed)
    if seen < 2:
        return None
    point = bool(re.search(r"[๐-๙]\.[๐-๙]", printed))
    loose = settings.model_copy(update={"min_score": settings.loose_min_score})
    reads = [
        g
        for image in (crop, without_specks(crop, settings.speck_ratio))
        if (g := read_cell(image, protos, loose))
        and _NUMBER.match(_spelled(g))
        and ("." in _spelled(g)) == point
        and sum(x.text in DIGITS for x in g) >= seen
    ]
    if not reads:
        return None
    best = max(reads, key=lambda g: min(x.score for x in g if x.text in DIGITS))
    mean, least = confidence(best, settings)
    return _spelled(best), round(mean * settings.loose_factor, 2), round(least * settings.loose_factor, 2)


def confidence(glyphs: list[Glyph], settings: DigitSettings) -> tuple[float, float]:
    """(mean, least) glyph confidence, 0-100 like Tesseract's: a digit is as sure as its match is good
    and as clearly ahead of the next digit; , . - read from their shape count as sure."""
    confs = [
        100.0 * min(1.0, g.score) * min(1.0, g.margin / settings.sure_margin) if g.text in DIGITS else 100.0
        for g in glyphs
    ]
    return round(sum(confs) / len(confs), 2), round(min(confs), 2)


# ---------------------------------------------------------------- a table


def looks_thai_number(text: str) -> bool:
    """Tesseract's reading of a Thai-digit number: mostly Thai digits, perhaps with the letters, marks or
    Arabic digits it puts for the ones it lacks (๓ฒ่๓๕.,๓๐๐, ๕๕๕,5๐๐๐), and , . - — never a Latin letter,
    never mostly Arabic digits or Thai letters, so Arabic numbers and Thai words stay as they are."""
    thai = sum(ch in DIGITS for ch in text)
    letters = sum("\u0e01" <= ch <= "\u0e4e" for ch in text)  # letters, vowels and marks; digits follow
    arabic = sum(ch in "0123456789" for ch in text)
    allowed = all(ch in DIGITS or "\u0e01" <= ch <= "\u0e4e" or ch in "0123456789,.- " for ch in text)
    return allowed and thai > letters and thai > 2 * arabic


def _inside(cell: Box, word: Box) -> bool:
    """The rule `fill_table` gives a word to a cell by: its centre."""
    cx, cy = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
    return cell[0] <= cx < cell[2] and cell[1] <= cy < cell[3]


def _number_columns(table: Table) -> set[int]:
    """Columns where most body cells (at least two) hold a Thai digit as Tesseract read them."""
    votes: dict[int, list[bool]] = {}
    for cell in table.cells:
        if cell.row >= table.header_rows and cell.colspan == 1 and cell.text.strip():
            votes.setdefault(cell.col, []).append(any(ch in DIGITS for ch in cell.text))
    return {c for c, v in votes.items() if sum(v) >= max(2, len(v) / 2)}


def _candidate(text: str, in_number_column: bool) -> bool:
    """Worth reading glyph by glyph: a Thai-digit number as Tesseract reads it, or in a column of them any
    Thai reading with no Arabic digit or Latin letter (a lone ๗ comes out ฒ, ๘ ฉ่, ๗๙๙ สปลอ): the glyph
    reader itself refuses words, whose letters do not all match digits."""
    thai = re.search("[\u0e01-\u0e4e๐-๙]", text) and not re.search("[0-9A-Za-z]", text)
    return looks_thai_number(text) or (in_number_column and bool(thai))


def reread_table(
    image: np.ndarray, table: Table, words: list[OcrWord], settings: DigitSettings, inset: int
) -> list[OcrWord]:
    """`words` with each Thai-digit number cell's words replaced by one word read glyph by glyph.

    A cell is re-read only when Tesseract's text is a candidate (`_candidate`) and `read_number` reads
    a number there; otherwise Tesseract's words stay.
    """
    protos = prototypes(tuple(settings.fonts), tuple(settings.sizes), settings.strokes)
    filled = fill_table(table, words)
    columns = _number_columns(filled)
    out = list(words)
    for cell in filled.cells:
        if not _candidate(cell.text, cell.row >= filled.header_rows and cell.col in columns):
            continue
        x0, y0, x1, y1 = cell.box
        read = read_number(
            image[y0 + inset : y1 - inset, x0 + inset : x1 - inset], protos, settings, cell.text
        )
        if read is None:
            continue
        text, mean_conf, least = read
        out = [w for w in out if not _inside(cell.box, w.bbox)]
        # The word covers the whole crop: all its ink was read, so no speck in it comes back as a "-".
        box = (x0 + inset, y0 + inset, x1 - inset, y1 - inset)
        out.append(OcrWord(text=text, bbox=box, confidence=mean_conf, min_confidence=least))
    return out


# ---------------------------------------------------------------- running text


def _lookalike(text: str, letters: str) -> bool:
    """A letter or two the `tha` model puts for a digit it lacks (ฒ for ๗), perhaps with a stray mark."""
    body = re.sub(f"[{MARKS}]", "", text)
    return 1 <= len(body) <= 2 and all(ch in letters for ch in body)


def _number_runs(words: list[OcrWord], lookalikes: str = "") -> list[list[int]]:
    """Indexes of consecutive words that read as Thai-digit numbers and nearly touch: Tesseract splits a
    number it cannot read ("๘๐๒,๕๐๐" as ๕ and ๐๒,๕๐๐, "๗๙๘,๐๐๐" as ฒ and ๙๘,๐๐๐), so the pieces are read
    as one. A lookalike letter word joins only a run that has a number in it."""
    runs: list[list[int]] = []
    for i, word in enumerate(words):
        if not (looks_thai_number(word.text) or _lookalike(word.text, lookalikes)):
            continue
        if runs and runs[-1][-1] == i - 1:
            prev = words[i - 1].bbox
            if word.bbox[0] - prev[2] < 0.6 * (prev[3] - prev[1]):
                runs[-1].append(i)
                continue
        runs.append([i])
    return [run for run in runs if any(looks_thai_number(words[i].text) for i in run)]


def reread_lines(
    image: np.ndarray, lines: list[OcrLine], settings: DigitSettings, least: float = 0.0
) -> list[OcrLine]:
    """`lines` with every run of words that reads as a Thai-digit number ("พ.ศ. ๒๕๖๖" read ๒๕๐๒๐,
    "๘๐๒,๕๐๐ บาท" read ๕ ๐๒,๕๐๐) read again glyph by glyph as one number, on the same terms as a table
    cell, and with no digit less sure than `least` (0-100); other words stay."""
    protos = prototypes(tuple(settings.fonts), tuple(settings.sizes), settings.strokes)
    out = []
    for line in lines:
        words = list(line.words)
        replaced: dict[int, OcrWord | None] = {}
        for run in _number_runs(words, settings.lookalikes):
            box = union([words[i].bbox for i in run])
            crop = word_crop(image, box)
            printed = "".join(words[i].text for i in run)
            read = read_number(crop, protos, settings, printed) if crop is not None else None
            if read is not None and read[0] != printed and read[2] >= least:
                text, mean_conf, least_conf = read
                first = words[run[0]]
                replaced.update(dict.fromkeys(run[1:]))
                replaced[run[0]] = OcrWord(
                    text=text, bbox=box, confidence=mean_conf, min_confidence=least_conf,
                    space_before=first.space_before,
                )  # fmt: skip
        out.append(replace_words(line, replaced))
    return out
