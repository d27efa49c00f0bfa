"""OCR: one engine interface; Tesseract's per-character output regrouped into Thai words and lines."""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections import defaultdict
from statistics import mean, median
from typing import Protocol

import cv2
import numpy as np
import pytesseract
from PIL import Image
from pythainlp.tokenize import word_tokenize

from models.layout import Box
from models.pipeline import OcrLine, OcrPage, OcrWord, PageImage
from models.settings import OcrSettings
from tasks.clean import binarise
from tasks.preflight import BadDocument

_NIKHAHIT, _SARA_AA, _SARA_AM = "\u0e4d", "\u0e32", "\u0e33"
_THAI = re.compile("[\u0e01-\u0e4e]")


class OcrEngine(Protocol):
    name: str

    def recognise(self, page: PageImage) -> OcrPage: ...

    def read_block(
        self,
        image: np.ndarray,
        dpi: int,
        upscale: float = 1.0,
        single_line: bool = False,
        lang: str | None = None,
    ) -> list[OcrLine]:
        """Lines of an image that holds one uniform block of text lines (e.g. stacked table cells),
        or exactly one line, read `upscale` times enlarged, with boxes in the image's own pixels;
        `lang`: another model than the page's."""
        ...


class TesseractEngine:
    """Tesseract through pytesseract (one `tesseract` process per page)."""

    def __init__(self, settings: OcrSettings):
        # One thread per Tesseract process: pages already run in parallel, and OpenMP threads spinning
        # against each other on a busy machine made one page 5x slower (8.7 s against 1.8 s, measured).
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        self.settings = settings
        self.name = f"tesseract-{pytesseract.get_tesseract_version()} -l {settings.lang} --psm {settings.psm}"

    def _image_to_data(
        self, image: str | Image.Image, config: str, what: str, lang: str | None = None
    ) -> dict[str, list]:
        try:
            return pytesseract.image_to_data(
                image, lang=lang or self.settings.lang, config=config, output_type=pytesseract.Output.DICT,
                timeout=self.settings.timeout_seconds,
            )  # fmt: skip
        except RuntimeError as exc:
            if "timeout" not in str(exc).lower():
                raise
            raise BadDocument(
                f"OCR of {what} took longer than {self.settings.timeout_seconds:g} s "
                "(ocr.timeout_seconds in config/settings.yaml)"
            ) from exc

    def recognise(self, page: PageImage) -> OcrPage:
        started = time.perf_counter()
        config = f"--psm {self.settings.psm} --oem {self.settings.oem} --dpi {page.dpi}"
        data = self._image_to_data(str(page.path), config, f"page {page.page}")
        ink = None
        if self.settings.space_rule == "paper":
            image = cv2.imread(str(page.path), cv2.IMREAD_GRAYSCALE)
            if image is None:
                raise RuntimeError(f"page {page.page}: the image {page.path} could not be read")
            ink = page_ink(image)
        return OcrPage(
            source=page.source,
            page=page.page,
            width=page.width,
            height=page.height,
            engine=self.name,
            seconds=round(time.perf_counter() - started, 3),
            lines=lines_from_tsv(data, ink, self.settings),
        )

    def read_block(
        self,
        image: np.ndarray,
        dpi: int,
        upscale: float = 1.0,
        single_line: bool = False,
        lang: str | None = None,
    ) -> list[OcrLine]:
        # a grey crop (the second reading's) is not black on white
        ink = binarise(image) == 0 if self.settings.space_rule == "paper" else None
        if upscale != 1.0:
            image = cv2.resize(image, None, fx=upscale, fy=upscale, interpolation=cv2.INTER_CUBIC)
        config = f"--psm {7 if single_line else 6} --oem {self.settings.oem} --dpi {round(dpi * upscale)}"
        data = self._image_to_data(Image.fromarray(image), config, "a block of text", lang)
        for key in ("left", "top", "width", "height"):
            data[key] = [round(v / upscale) for v in data[key]]
        return lines_from_tsv(data, ink, self.settings)


def union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def glyphs_from_tsv(data: dict[str, list]) -> list[list[OcrWord]]:
    """Tesseract's level-5 boxes grouped by line, in its reading order.

    For Thai these "words" are mostly single characters with their marks: glyphs, not words.
    """
    grouped: dict[tuple[int, int, int], list[OcrWord]] = defaultdict(list)
    for i, text in enumerate(data["text"]):
        text = unicodedata.normalize("NFC", str(text).strip())
        if data["level"][i] != 5 or not text or float(data["conf"][i]) < 0:
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        conf = float(data["conf"][i])
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        grouped[key].append(
            OcrWord(text=text, bbox=(x, y, x + w, y + h), confidence=conf, min_confidence=conf)
        )
    return list(grouped.values())


# A Thai word cannot start with a mark or a following vowel, nor end with ั or a leading vowel: a gap
# the glyph boxes place there belongs to the nearest boundary a word can have
_NO_WORD_START = re.compile("[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")
_NO_WORD_END = re.compile("[\u0e31\u0e40-\u0e44]")


def _word_boundary(glyphs: list[OcrWord], i: int) -> bool:
    """Whether a space may stand between glyphs i - 1 and i."""
    return not (_NO_WORD_START.match(glyphs[i].text) or _NO_WORD_END.match(glyphs[i - 1].text[-1]))


SPECK_SIZE = 0.25
SPECK_REACH = 0.05


def _paper_runs(ink: np.ndarray, glyphs: list[OcrWord]) -> list[tuple[int, int]]:
    """Runs [start, end) of page columns with no ink over the line's height, inside the line (a run at
    either end is margin, not a gap). A speck at most SPECK_SIZE of the line's height either way that no
    glyph box of the line touches is no letter OCR read: its columns count as paper (a photocopy's speck in
    a word gap lost the space). A box with no Thai character (a mark, a digit) reaches SPECK_REACH of the
    height past its edges: a colon's box can miss its dots by a pixel or two. A Thai letter's box reaching
    so took the speck beside it (held-out 5801: "พหุปัญญา ระดับ" lost its space to a dot 3 px before ร).
    A letter whose box is a glyph off can touch none: it is larger."""
    x0, y0, x1, y1 = union([g.bbox for g in glyphs])
    line = ink[y0:y1, x0:x1].astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(line, connectivity=8)
    small = SPECK_SIZE * (y1 - y0)
    kept = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) > small
    near = round(SPECK_REACH * (y1 - y0))
    for g in glyphs:
        bx0, by0, bx1, by1 = g.bbox
        reach = 0 if _THAI.search(g.text) else near
        kept[np.unique(labels[by0 - y0 : by1 - y0, max(bx0 - x0 - reach, 0) : bx1 - x0 + reach])] = True
    kept[0] = False  # the background
    paper = ~kept[labels].any(axis=0)
    edges = np.flatnonzero(np.diff(np.concatenate(([False], paper, [False])).astype(np.int8)))
    return [
        (x0 + int(a), x0 + int(b))
        for a, b in zip(edges[::2], edges[1::2], strict=True)
        if a > 0 and b < len(paper)
    ]


def page_ink(image: np.ndarray) -> np.ndarray:
    """Where a cleaned (black on white) page has ink: the mask `paper_spaces` reads its columns from."""
    return image < 128


def _glyph_width(glyphs: list[OcrWord]) -> int:
    """The line's median glyph width (the upper one of an even count), the unit of both space rules."""
    widths = sorted(g.bbox[2] - g.bbox[0] for g in glyphs)
    return widths[len(widths) // 2]


def box_spaces(glyphs: list[OcrWord], space_gap: float) -> set[int]:
    """Indexes of the glyphs a space comes before: a gap between two glyph boxes wider than `space_gap`
    times the line's median glyph width."""
    gap = _glyph_width(glyphs) * space_gap
    return {i for i in range(1, len(glyphs)) if glyphs[i].bbox[0] - glyphs[i - 1].bbox[2] > gap}


def paper_spaces(glyphs: list[OcrWord], ink: np.ndarray, paper_gap: float, over_usual: float) -> set[int]:
    """Indexes of the glyphs a space comes before: one for each run of paper across the line (`ink`: True
    where the page has ink) at least `paper_gap` median glyph widths and `over_usual` times the line's
    median run wide (thin strokes and spaced fonts widen the runs between letters).

    The page's own columns say where the gaps are; Tesseract's boxes for Thai glyphs are often a glyph off
    (a box covers the gap after its glyph and leaves gaps inside words), so a run goes to the glyph
    boundary whose box gap it overlaps most (else the nearest), moved to the nearest boundary a Thai word
    can have. Measured against box gaps in docs/benchmarks.md (thirty-third session).
    """
    allowed = [i for i in range(1, len(glyphs)) if _word_boundary(glyphs, i)]
    gaps = _paper_runs(ink, glyphs)
    if not allowed or not gaps:
        return set()
    wide = max(_glyph_width(glyphs) * paper_gap, over_usual * median(b - a for a, b in gaps))
    runs = [(a, b) for a, b in gaps if b - a >= wide]
    ends = np.array([g.bbox[2] for g in glyphs[:-1]])
    starts = np.array([g.bbox[0] for g in glyphs[1:]])
    lo, hi = np.minimum(ends, starts), np.maximum(ends, starts)
    spaces = set()
    for a, b in runs:
        overlap = np.clip(np.minimum(hi, b) - np.maximum(lo, a), 0, None)
        distance = np.abs((lo + hi) / 2 - (a + b) / 2)
        boundary = 1 + int(np.lexsort((distance, -overlap))[0])
        spaces.add(min(allowed, key=lambda i: (abs(i - boundary), i > boundary)))
    return spaces


def _join(glyphs: list[OcrWord], spaces: set[int]) -> tuple[str, list[int | None]]:
    """The line's text and, per character, the index of the glyph it came from (None for a space).

    ํ + า, which Tesseract often emits for ำ, is composed here so words and dictionaries see ำ.
    """
    chars: list[str] = []
    owners: list[int | None] = []
    for i, g in enumerate(glyphs):
        if i in spaces:
            chars.append(" ")
            owners.append(None)
        for ch in g.text:
            if ch == _SARA_AA and chars and chars[-1] == _NIKHAHIT:
                chars[-1] = _SARA_AM
                owners[-1] = i
            else:
                chars.append(ch)
                owners.append(i)
    return "".join(chars), owners


def regroup_words(glyphs: list[OcrWord], spaces: set[int]) -> OcrLine:
    """One OCR line from its glyphs, a space before each glyph of `spaces`: words segmented with PyThaiNLP
    newmm.

    Each word keeps its glyphs' union box and their mean and minimum confidence, so a word with one
    doubtful character can be found (character confidence < 60 was wrong most of the time).
    """
    text, owners = _join(glyphs, spaces)
    words: list[OcrWord] = []
    pos = 0
    space = False
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        members = sorted({o for o in owners[pos : pos + len(token)] if o is not None})
        pos += len(token)
        if not token.strip():  # only spaces have no glyph
            space = True
            continue
        confs = [glyphs[i].confidence for i in members]
        words.append(
            OcrWord(
                text=token,
                bbox=union([glyphs[i].bbox for i in members]),
                confidence=round(mean(confs), 2),
                min_confidence=min(confs),
                space_before=space,
            )
        )
        space = False
    confidence = round(mean(g.confidence for g in glyphs), 2)
    return OcrLine(text=text, bbox=union([g.bbox for g in glyphs]), confidence=confidence, words=words)


_NUMBER_CHARS = re.compile(r"[0-9๐-๙/.,:-]")
_DIGIT_CHAR = re.compile(r"[0-9๐-๙]")


def _in_number(glyphs: list[OcrWord], i: int) -> bool:
    """Whether glyphs i - 1 and i are both of a number or a date ("29/11/2565", "(2020-11-30)")."""
    left, right = glyphs[i - 1].text[-1], glyphs[i].text[0]
    return bool(_NUMBER_CHARS.match(left) and _NUMBER_CHARS.match(right) and _DIGIT_CHAR.search(left + right))


def line_spaces(glyphs: list[OcrWord], ink: np.ndarray | None, settings: OcrSettings) -> set[int]:
    """Where the line's spaces are, by the rule `ocr.space_rule` names (the page's `ink` for "paper").
    Inside a number or a date a paper space needs the box rule's gap too: a narrow 1 leaves wide paper
    beside it ("29/1 1/2565", "(2020- 11--30)" cost progress rows their dates, held-out 6501)."""
    boxes = box_spaces(glyphs, settings.space_gap)
    if settings.space_rule == "paper" and ink is not None:
        paper = paper_spaces(glyphs, ink, settings.paper_gap, settings.paper_over_usual)
        return {i for i in paper if i in boxes or not _in_number(glyphs, i)}
    return boxes


def lines_from_tsv(data: dict[str, list], ink: np.ndarray | None, settings: OcrSettings) -> list[OcrLine]:
    return [regroup_words(glyphs, line_spaces(glyphs, ink, settings)) for glyphs in glyphs_from_tsv(data)]


def split_mark_lines(lines: list[OcrLine]) -> list[tuple[int, int]]:
    """(marks, base) index pairs: a line under 0.6 of the usual height touching the top of another.

    Tesseract sometimes segments a Thai line's upper vowels and tone marks as a line of their own: the
    marks come out as noise ("ซ่", "5 ส ไซ ณะ") and the base line loses them ("ทีใช้" for "ที่ใช้").
    """
    if not lines:
        return []
    usual = median(ln.bbox[3] - ln.bbox[1] for ln in lines)

    def on_top(a: Box, b: Box) -> bool:  # a sits on b: starts above it, ends within 0.2 line of its top
        across = min(a[2], b[2]) > max(a[0], b[0])
        return across and a[1] <= b[1] and b[1] - a[3] <= 0.2 * usual and b[3] - b[1] > a[3] - a[1]

    pairs, taken = [], set()
    for i, a in enumerate(lines):
        if a.bbox[3] - a.bbox[1] >= 0.6 * usual:
            continue
        under = [j for j, b in enumerate(lines) if j != i and j not in taken and on_top(a.bbox, b.bbox)]
        if under:
            j = min(under, key=lambda k: lines[k].bbox[1])
            pairs.append((i, j))
            taken.add(j)
    return pairs


LINE_PAD = 8  # px of page kept around a line read again on its own


def _line_crop(image: np.ndarray, box: Box) -> tuple[np.ndarray, int, int]:
    """The page around `box` with LINE_PAD px to spare, and the crop's top-left corner on the page."""
    x0, y0, x1, y1 = box
    x0, y0 = max(x0 - LINE_PAD, 0), max(y0 - LINE_PAD, 0)
    return image[y0 : y1 + LINE_PAD, x0 : x1 + LINE_PAD], x0, y0


def _read_as_one(
    lines: list[OcrLine],
    groups: list[tuple[int, list[int], float]],
    image: np.ndarray,
    dpi: int,
    engine: OcrEngine,
) -> list[OcrLine]:
    """Each group (where, members, least) of `lines` read again as one line (`--psm 7` on the members' joint
    box): the reading takes line `where`'s place and the other members go, unless it is less sure than
    `least`."""
    replaced: dict[int, OcrLine | None] = {}
    for where, members, least in groups:
        crop, x0, y0 = _line_crop(image, union([lines[k].bbox for k in members]))
        read = engine.read_block(crop, dpi, single_line=True)
        if len(read) != 1 or read[0].confidence < least:
            continue
        replaced.update(dict.fromkeys(members))
        replaced[where] = shift_line(read[0], x0, y0)
    return [replaced.get(k, line) for k, line in enumerate(lines) if replaced.get(k, line) is not None]


def rejoin_marks(lines: list[OcrLine], image: np.ndarray, dpi: int, engine: OcrEngine) -> list[OcrLine]:
    """Re-read every split (marks, base) pair as one line (`--psm 7` on their joint box).

    The re-reading replaces both unless its confidence is more than 5 below the base line's.
    """
    pairs = [(j, [i, j], lines[j].confidence - 5) for i, j in split_mark_lines(lines)]
    return _read_as_one(lines, pairs, image, dpi, engine)


PIECE_GAP = 0.1  # of the usual line height: the most two pieces of one printed word lie apart


def side_pieces(lines: list[OcrLine]) -> list[list[int]]:
    """Runs of line indexes, left to right, that are pieces of one printed line cut apart side by side.

    Tesseract sometimes cuts a word of a Thai line at a glyph and prints its first letters as a line of
    their own ("จดท" beside "าคำสั่งผู้เข้าอบรม" for จัดทำคำสั่ง…): the two boxes touch or nearly (at most
    PIECE_GAP of a line apart; words printed apart are a space apart, cells a ruling), and one lies within
    the other's height.
    """
    if not lines:
        return []
    usual = median(ln.bbox[3] - ln.bbox[1] for ln in lines)

    def beside(a: Box, b: Box) -> bool:  # b goes on from a's right edge, on a's printed line
        inside = (b[1] <= a[1] and a[3] <= b[3]) or (a[1] <= b[1] and b[3] <= a[3])
        return inside and -PIECE_GAP * usual <= b[0] - a[2] <= PIECE_GAP * usual

    order = sorted(range(len(lines)), key=lambda k: lines[k].bbox[0])
    nxt: dict[int, int] = {}
    for i in order:
        after = [j for j in order if j not in (i, *nxt.values()) and beside(lines[i].bbox, lines[j].bbox)]
        if after:
            nxt[i] = min(after, key=lambda k: lines[k].bbox[0])
    runs = []
    for i in order:
        if i in nxt and i not in nxt.values():
            run = [i]
            while run[-1] in nxt:
                run.append(nxt[run[-1]])
            runs.append(run)
    return runs


def rejoin_pieces(lines: list[OcrLine], image: np.ndarray, dpi: int, engine: OcrEngine) -> list[OcrLine]:
    """Re-read every run of `side_pieces` as one line (`--psm 7` on their joint box), with the lines lying
    wholly inside that box (marks read as a line of their own over a piece: "ฉ๐" over "จดท"). The reading
    replaces them unless its confidence is more than 5 below the least sure piece's."""
    runs = []
    for run in side_pieces(lines):
        box = union([lines[k].bbox for k in run])
        within = [k for k, ln in enumerate(lines) if k not in run and _within(ln.bbox, box)]
        runs.append((run[0], [*run, *within], min(lines[k].confidence for k in run) - 5))
    return _read_as_one(lines, runs, image, dpi, engine)


def _within(a: Box, b: Box) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]


def reread_tall_lines(
    lines: list[OcrLine], image: np.ndarray, dpi: int, engine: OcrEngine, settings: OcrSettings
) -> list[OcrLine]:
    """Lines over `tall_line` times the usual height read again as a block (`--psm 6`).

    Tesseract sometimes takes a short line and the line under it ("อบรม" wrapped from "...ดำเนินการจัด",
    then ":: ความก้าวหน้า...") for one line and prints only the longer: the block reading replaces it
    when it finds more lines and more text in lines at most `tall_line_slack` points less sure (judged by
    their words of two letters or more: a speck read as a lone letter, "นา2019 ม", says nothing of the
    words). A line of the block lying where another line of the page already is (the tall box reaches
    into the line above) is that line read twice and is left out.
    """
    if not lines:
        return []
    usual = median(ln.bbox[3] - ln.bbox[1] for ln in lines)
    out: list[OcrLine] = []
    for line in lines:
        if line.bbox[3] - line.bbox[1] <= settings.tall_line * usual:
            out.append(line)
            continue
        crop, x0, y0 = _line_crop(image, line.bbox)
        read = [shift_line(r, x0, y0) for r in engine.read_block(crop, dpi)]
        others = [o for o in lines if o is not line]
        # a sliver of the next line caught in the box reads as junk, far less sure than the line
        sure = [
            r
            for r in read
            if _word_confidence(r) >= line.confidence - settings.tall_line_slack
            and not any(_same_place(r.bbox, o.bbox) for o in others)
        ]
        more_text = sum(len("".join(r.text.split())) for r in sure) > len("".join(line.text.split()))
        out.extend(sure if len(sure) > 1 and more_text else [line])
    return out


def _word_confidence(line: OcrLine) -> float:
    """The line's confidence over its words of two characters or more, per character."""
    words = [w for w in line.words if len(w.text) > 1]
    chars = sum(len(w.text) for w in words)
    return sum(w.confidence * len(w.text) for w in words) / chars if chars else line.confidence


def _same_place(a: Box, b: Box) -> bool:
    """Two line boxes overlapping over half the smaller one's height and width: one printed line."""
    tall = min(a[3], b[3]) - max(a[1], b[1])
    wide = min(a[2], b[2]) - max(a[0], b[0])
    return tall > 0.5 * min(a[3] - a[1], b[3] - b[1]) and wide > 0.5 * min(a[2] - a[0], b[2] - b[0])


def shift_line(line: OcrLine, dx: int, dy: int) -> OcrLine:
    def move(b: Box) -> Box:
        return (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)

    words = [w.model_copy(update={"bbox": move(w.bbox)}) for w in line.words]
    return line.model_copy(update={"bbox": move(line.bbox), "words": words})


# A word the Thai model makes of Latin capitals: digits and marks ("066", "06.6", "0 6" for PLC)
_LATIN_CANDIDATE = re.compile(r"[0-9A-Za-z.,!|'\"]{1,6}")
_ACRONYM = re.compile(r"[A-Z]{2,6}")


def replace_words(line: OcrLine, replaced: dict[int, OcrWord | None]) -> OcrLine:
    """`line` with its words at the keys of `replaced` replaced (None: dropped), its text rebuilt."""
    if not replaced:
        return line
    words = [replaced.get(k, w) for k, w in enumerate(line.words) if replaced.get(k, w) is not None]
    text = "".join((" " if k and w.space_before else "") + w.text for k, w in enumerate(words))
    return line.model_copy(update={"text": text, "words": words})


WORD_PAD = 3  # px above and below a word's box: its glyph boxes can shave the edge of a stroke


def word_crop(image: np.ndarray, box: Box) -> np.ndarray | None:
    """The ink of the glyphs a word's box touches, whole, on white: Tesseract's boxes for digits it cannot
    read may cut a glyph in half, while a neighbouring letter that the box does not touch stays out."""
    x0, y0, x1, y1 = box
    h, w = image.shape[:2]
    top, bottom = max(0, y0 - WORD_PAD), min(h, y1 + WORD_PAD)
    left, right = max(0, x0 - (y1 - y0)), min(w, x1 + (y1 - y0))
    ink = (image[top:bottom, left:right] < 128).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = [i for i in range(1, n) if stats[i, 0] < x1 - left and stats[i, 0] + stats[i, 2] > x0 - left]
    if not keep:
        return None
    a = min(int(stats[i, 0]) for i in keep)
    b = max(int(stats[i, 0] + stats[i, 2]) for i in keep)
    crop = np.where(np.isin(labels[:, a:b], keep), 0, 255).astype(np.uint8)
    return np.pad(crop, WORD_PAD, constant_values=255)


def _latin_runs(words: list[OcrWord], max_confidence: float) -> list[list[int]]:
    """Indexes of each run of short digit or Latin words that follows a Thai word, holds a letter or digit
    and has a word the Thai model read below `max_confidence`."""
    runs: list[list[int]] = []
    for i, word in enumerate(words):
        if not _LATIN_CANDIDATE.fullmatch(word.text):
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        elif i and _THAI.search(words[i - 1].text):
            runs.append([i])
    return [
        run for run in runs
        if any(ch.isalnum() for i in run for ch in words[i].text)
        and min(words[i].min_confidence for i in run) < max_confidence
    ]  # fmt: skip


def reread_latin(
    lines: list[OcrLine], image: np.ndarray, dpi: int, engine: OcrEngine, settings: OcrSettings
) -> list[OcrLine]:
    """`lines` with each run of `_latin_runs` read again with `latin_lang`: an acronym in capitals read at
    `latin_min_confidence` or more replaces the run. The Thai model has no Latin letters, so it prints a
    Latin acronym amid Thai ("กระบวนการ PLC") as digits."""
    out = []
    for line in lines:
        replaced: dict[int, OcrWord | None] = {}
        for run in _latin_runs(line.words, settings.latin_max_confidence):
            box = union([line.words[i].bbox for i in run])
            crop = word_crop(image, box)
            if crop is None:
                continue
            read = engine.read_block(crop, dpi, single_line=True, lang=settings.latin_lang)
            if (
                len(read) == 1
                and _ACRONYM.fullmatch(read[0].text.strip())
                and (read[0].confidence >= settings.latin_min_confidence)
            ):
                replaced.update(dict.fromkeys(run[1:]))
                replaced[run[0]] = OcrWord(
                    text=read[0].text.strip(), bbox=box, confidence=read[0].confidence,
                    min_confidence=read[0].confidence, space_before=line.words[run[0]].space_before,
                )  # fmt: skip
        out.append(replace_words(line, replaced))
    return out
