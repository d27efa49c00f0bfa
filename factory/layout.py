"""Lay out and draw report pages with real Thai shaping (Pillow + libraqm), recording what was drawn.

A document is a list of blocks. Layout turns blocks into atomic vertical units (one text line, one
table row), fills A4 pages with them, repeats the running header and page number on every page, and
records the ground truth as it goes: the body lines of each page, each table's cells, and the page and
box of every field anchored to a block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pythainlp.tokenize import word_tokenize

from models.records import FieldValue, TableRecord
from models.truth import TruthPage
from tasks.digits import font_files

DPI = 300
PAGE_W, PAGE_H = 2480, 3508  # A4 at 300 dpi
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 190, 170, 200
CONTENT_W = PAGE_W - 2 * MARGIN_X
HEADER_H = 120  # band reserved at the top of every page for the running header


@dataclass(frozen=True)
class FontFace:
    name: str
    regular: Path
    bold: Path
    px: int  # pixel size of body text at 300 dpi; TH-Sarabun-metric fonts draw small for their size


# (name, FontFace.px)
_FACES = (("Sarabun", 56), ("Laksaman", 62), ("Garuda", 50))


@cache
def font_faces() -> tuple[FontFace, ...]:
    """Thai fonts of the kind offices print with: Sarabun (PyPI) and TLWG's Laksaman and Garuda (Debian)."""
    available = []
    for name, px in _FACES:
        try:
            files = font_files(name)  # [regular, bold], the ones present
        except FileNotFoundError:
            continue
        if len(files) == 2:
            available.append(FontFace(name, files[0], files[1], px))
    if not available:
        raise RuntimeError(
            "no Thai font found: install fontpkg-sarabun (PyPI) or fonts-thai-tlwg (Debian); "
            "scripts/bootstrap.sh installs both"
        )
    return tuple(available)


@cache
def _font(path: Path, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), px, layout_engine=ImageFont.Layout.RAQM)


# ---------------------------------------------------------------- blocks


@dataclass
class Para:
    text: str
    scale: float = 1.0
    bold: bool = False
    align: str = "left"  # left | center | right
    indent: int = 0  # pixels
    space_after: float = 0.25  # in line heights
    keep_with_next: bool = False
    anchors: list[FieldValue] = field(default_factory=list)


@dataclass
class Checkbox:
    label: str
    checked: bool
    anchors: list[FieldValue] = field(default_factory=list)


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    header: list[list[Cell]]  # header rows; merged cells by colspan/rowspan
    rows: list[list[str]]
    widths: list[float]  # column width fractions, summing to 1
    title: str | None = None
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    scale: float = 0.7
    ruled: bool = True  # False: no lines drawn, columns only by where the text starts (web printouts)
    bottom: frozenset[int] = frozenset()  # columns whose text sits on the row's last lines


def cell_text(text: str) -> str:
    """A cell as its truth reads: the lines a "\n" forces in print joined by a space."""
    return " ".join(part for part in text.split("\n") if part)


@dataclass
class PageBreak:
    pass


Block = Para | Checkbox | Table | PageBreak


# ---------------------------------------------------------------- layout units


@dataclass
class _Unit:
    height: int
    draw: Callable[[ImageDraw.ImageDraw, int], list[tuple[int, int, int, int]]]  # returns drawn boxes
    body: list[str]
    anchors: list[FieldValue] = field(default_factory=list)
    table: Table | None = None  # set on table units
    table_row: list[str] | None = None  # the body row this unit draws (None for the header unit)
    repeat_header: _Unit | None = None  # drawn again above this row when the row starts a new page
    keep_with_next: bool = False


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * 1.45)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break at spaces and Thai word boundaries (newmm) so no line is wider than `width`."""
    words = word_tokenize(text, engine="newmm", keep_whitespace=True)
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = current + word
        if current and font.getlength(candidate.rstrip()) > width:
            lines.append(current.rstrip())
            current = word.lstrip()
        else:
            current = candidate
        while font.getlength(current) > width and len(current) > 1:  # one word wider than a line
            cut = len(current)
            while cut > 1 and font.getlength(current[:cut]) > width:
                cut -= 1
            while cut > 1 and _is_mark(current[cut]):  # never split a consonant from its marks
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


# Above/below vowels, tone marks and other combining signs (U+0E31, U+0E33-U+0E3A, U+0E47-U+0E4E).
THAI_MARKS = frozenset(chr(c) for c in (0x0E31, *range(0x0E33, 0x0E3B), *range(0x0E47, 0x0E4F)))


def _is_mark(ch: str) -> bool:
    return ch in THAI_MARKS


class Layout:
    def __init__(self, face: FontFace):
        self.face = face

    def font(self, scale: float = 1.0, bold: bool = False) -> ImageFont.FreeTypeFont:
        return _font(self.face.bold if bold else self.face.regular, round(self.face.px * scale))

    def units(self, block: Block) -> list[_Unit]:
        if isinstance(block, Para):
            return self._para(block)
        if isinstance(block, Checkbox):
            return self._checkbox(block)
        if isinstance(block, Table):
            return self._table(block)
        raise TypeError(block)

    def _para(self, p: Para) -> list[_Unit]:
        font = self.font(p.scale, p.bold)
        lh = _line_height(font)
        lines = wrap(p.text, font, CONTENT_W - p.indent)
        units = []
        for i, line in enumerate(lines):
            last = i == len(lines) - 1

            def draw(d: ImageDraw.ImageDraw, y: int, line: str = line) -> list[tuple[int, int, int, int]]:
                w = round(font.getlength(line))
                x = MARGIN_X + p.indent
                if p.align == "center":
                    x = MARGIN_X + (CONTENT_W - w) // 2
                elif p.align == "right":
                    x = MARGIN_X + CONTENT_W - w
                d.text((x, y), line, font=font, fill=0)
                return [(x, y, x + w, y + lh)]

            units.append(
                _Unit(
                    height=lh + (round(lh * p.space_after) if last else 0),
                    draw=draw,
                    body=[line],
                    anchors=p.anchors if i == 0 else [],
                    keep_with_next=p.keep_with_next and last,
                )
            )
        return units

    def _checkbox(self, c: Checkbox) -> list[_Unit]:
        font = self.font()
        lh = _line_height(font)
        box = round(font.size * 0.6)

        def draw(d: ImageDraw.ImageDraw, y: int) -> list[tuple[int, int, int, int]]:
            x = MARGIN_X + 40
            top = y + (lh - box) // 2
            d.rectangle((x, top, x + box, top + box), outline=0, width=4)
            if c.checked:  # a hand-ticked mark, as offices fill the printed forms
                d.line((x + 6, top + box // 2, x + box // 2.5, top + box - 6), fill=0, width=7)
                d.line((x + box // 2.5, top + box - 6, x + box + 8, top - 10), fill=0, width=7)
            tx = x + box + 30
            d.text((tx, y), c.label, font=font, fill=0)
            return [(x, y, tx + round(font.getlength(c.label)), y + lh)]

        return [_Unit(height=lh, draw=draw, body=[c.label], anchors=c.anchors)]

    def _table(self, t: Table) -> list[_Unit]:
        font = self.font(t.scale)
        bold = self.font(t.scale, bold=True)
        lh = _line_height(font)
        pad = 18 if t.ruled else 12
        xs = [MARGIN_X]
        for w in t.widths:
            xs.append(xs[-1] + round(w * CONTENT_W))
        xs[-1] = MARGIN_X + CONTENT_W
        units: list[_Unit] = []
        if t.title:
            units.extend(self._para(Para(t.title, bold=True, space_after=0.15)))
            units[-1].keep_with_next = True

        # Header: place merged cells on a grid, then size rows by their tallest single-row cell.
        n_rows = len(t.header)
        grid: list[tuple[int, int, Cell, list[str]]] = []  # (row, col, cell, wrapped lines)
        occupied: set[tuple[int, int]] = set()
        for r, row in enumerate(t.header):
            c = 0
            for cell in row:
                while (r, c) in occupied:
                    c += 1
                width = xs[c + cell.colspan] - xs[c] - 2 * pad
                grid.append((r, c, cell, wrap(cell.text, bold, width) if cell.text else []))
                for rr in range(r, r + cell.rowspan):
                    for cc in range(c, c + cell.colspan):
                        occupied.add((rr, cc))
                c += cell.colspan
        row_h = [lh + 2 * pad] * n_rows
        for r, _c, cell, lines in grid:
            if cell.rowspan == 1:
                row_h[r] = max(row_h[r], len(lines) * lh + 2 * pad)
        ys = [0]
        for h in row_h:
            ys.append(ys[-1] + h)

        def draw_header(d: ImageDraw.ImageDraw, y: int) -> list[tuple[int, int, int, int]]:
            for r, c, cell, lines in grid:
                x0, x1 = xs[c], xs[c + cell.colspan]
                y0, y1 = y + ys[r], y + ys[r + cell.rowspan]
                d.rectangle((x0, y0, x1, y1), outline=0, width=3)
                ty = y0 + (y1 - y0 - len(lines) * lh) // 2
                for line in lines:
                    w = bold.getlength(line)
                    d.text((x0 + (x1 - x0 - w) // 2, ty), line, font=bold, fill=0)
                    ty += lh
            return [(xs[0], y, xs[-1], y + ys[-1])]

        header_body = [
            " ".join(cell.text for r2, _c, cell, _l in grid if r2 == r and cell.text) for r in range(n_rows)
        ]
        header_body = [h for h in header_body if h]
        header_unit = _Unit(height=ys[-1], draw=draw_header, body=header_body, table=t) if t.header else None
        if header_unit:
            units.append(header_unit)
        for row in t.rows:
            wrapped = [
                [ln for part in text.split("\n") for ln in wrap(part, font, xs[i + 1] - xs[i] - 2 * pad)]
                if text
                else []
                for i, text in enumerate(row)
            ]
            h = max(1, *(len(w) for w in wrapped)) * lh + 2 * pad

            def draw_row(
                d: ImageDraw.ImageDraw, y: int, wrapped: list[list[str]] = wrapped, h: int = h
            ) -> list[tuple[int, int, int, int]]:
                for i, lines in enumerate(wrapped):
                    x0, x1 = xs[i], xs[i + 1]
                    if t.ruled:
                        d.rectangle((x0, y, x1, y + h), outline=0, width=3)
                    ty = y + pad if i not in t.bottom else y + h - pad - len(lines) * lh
                    for line in lines:
                        w = font.getlength(line)
                        tx = x1 - pad - w if i in t.numeric else x0 + pad
                        d.text((tx, ty), line, font=font, fill=0)
                        ty += lh
                return [(xs[0], y, xs[-1], y + h)]

            units.append(
                _Unit(
                    height=h,
                    draw=draw_row,
                    body=[" ".join(cell_text(x) for x in row if x)],
                    table=t,
                    table_row=[cell_text(x) for x in row],
                    repeat_header=header_unit,
                )
            )
        units[-1].height += lh // 2
        return units


# ---------------------------------------------------------------- pages


@dataclass
class RenderedDocument:
    images: list[Image.Image]
    pages: list[TruthPage]
    tables: list[TableRecord]


def render(
    blocks: list[Block],
    face: FontFace,
    source: str,
    header: str,
    footer: Callable[[int, int], str],
) -> RenderedDocument:
    """Paginate `blocks`; every page gets `header` on top and `footer(page, total)` at the bottom."""
    layout = Layout(face)
    bottom = PAGE_H - MARGIN_BOTTOM
    pages: list[list[tuple[int, _Unit]]] = [[]]
    y = MARGIN_TOP + HEADER_H
    all_units: list[_Unit | None] = []  # None marks a forced page break
    for block in blocks:
        if isinstance(block, PageBreak):
            all_units.append(None)
        else:
            all_units.extend(layout.units(block))
    i = 0
    while i < len(all_units):
        unit = all_units[i]
        if unit is None:
            if pages[-1]:
                pages.append([])
                y = MARGIN_TOP + HEADER_H
            i += 1
            continue
        group = [unit]  # a title stays with the first row of its table
        j = i
        while group[-1].keep_with_next and j + 1 < len(all_units) and all_units[j + 1] is not None:
            j += 1
            group.append(all_units[j])  # type: ignore[arg-type]
        needed = sum(u.height for u in group)
        if y + needed > bottom and pages[-1]:
            pages.append([])
            y = MARGIN_TOP + HEADER_H
            if unit.repeat_header is not None:  # a table continues: repeat its header on the new page
                pages[-1].append((y, unit.repeat_header))
                y += unit.repeat_header.height
        for u in group:
            pages[-1].append((y, u))
            y += u.height
        i = j + 1

    total = len(pages)
    images: list[Image.Image] = []
    truth_pages: list[TruthPage] = []
    tables: list[TableRecord] = []
    head_font = layout.font(0.8, bold=True)
    foot_font = layout.font(0.8)
    for number, placed in enumerate(pages, start=1):
        img = Image.new("L", (PAGE_W, PAGE_H), 255)
        d = ImageDraw.Draw(img)
        hw = head_font.getlength(header)
        d.text(((PAGE_W - hw) // 2, MARGIN_TOP), header, font=head_font, fill=0)
        foot = footer(number, total)
        fw = foot_font.getlength(foot)
        d.text(((PAGE_W - fw) // 2, PAGE_H - MARGIN_BOTTOM + 40), foot, font=foot_font, fill=0)
        body: list[str] = []
        page_tables: dict[int, TableRecord] = {}
        for y, unit in placed:
            boxes = unit.draw(d, y)
            body.extend(unit.body)
            for fv in unit.anchors:
                x0, y0, x1, y1 = boxes[0]
                fv.page = number
                fv.bbox = [
                    round(x0 / PAGE_W, 4),
                    round(y0 / PAGE_H, 4),
                    round(x1 / PAGE_W, 4),
                    round(y1 / PAGE_H, 4),
                ]
            if unit.table is not None:
                key = id(unit.table)
                rec = page_tables.get(key)
                if rec is None:
                    rec = TableRecord(
                        source=source,
                        page=number,
                        table_index=len(page_tables),
                        title=unit.table.title,
                        header=_header_matrix(unit.table.header),
                        rows=[],
                        confidence=1.0,
                        ruled=unit.table.ruled,
                    )
                    page_tables[key] = rec
                if unit.table_row is not None:
                    rec.rows.append(list(unit.table_row))
        tables.extend(page_tables.values())
        images.append(img)
        truth_pages.append(TruthPage(number=number, header=[header], footer=[foot], body=body))
    return RenderedDocument(images=images, pages=truth_pages, tables=tables)


def _header_matrix(header: list[list[Cell]]) -> list[list[str]]:
    """Header rows as a full grid; a merged cell's text sits in its top-left slot, the rest are ''."""
    if not header:
        return []
    n_cols = sum(c.colspan for c in header[0])
    grid = [["" for _ in range(n_cols)] for _ in header]
    occupied: set[tuple[int, int]] = set()
    for r, row in enumerate(header):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            grid[r][c] = cell.text
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    occupied.add((rr, cc))
            c += cell.colspan
    return grid


def font_face(name: str | None, index: int) -> FontFace:
    """The named face, or the index-th available one (seeded choice)."""
    faces = font_faces()
    if name:
        for f in faces:
            if f.name.lower() == name.lower():
                return f
        raise ValueError(f"font {name!r} not available; have {[f.name for f in faces]}")
    return faces[index % len(faces)]
