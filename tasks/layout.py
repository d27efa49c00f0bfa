"""Layout: tables from ruling grids, lines in reading order, running headers and page numbers.

`page_layout` works on one page (OCR words + rulings); `document_layout` looks across all pages of a
document, because a running header is only recognisable by recurring on most of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from statistics import mean, median

import numpy as np
from rapidfuzz import fuzz

from models.layout import (
    Box,
    DocumentLayout,
    LayoutBlock,
    LayoutLine,
    PageLayout,
    Ruling,
    Table,
    TableCell,
)
from models.pipeline import OcrLine, OcrPage, OcrWord, PageResult
from models.records import TableRecord
from models.settings import LayoutSettings
from tasks.clean import group_rulings
from tasks.ocr import union

_SPECKS = 0.002  # share of dark pixels below which a gap between words is blank paper (dust, residue)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# "- 20 -", "หน้า 3", "หน้า 1/2", "2/3", "๓", "Page 4": after folding Thai digits and removing spaces.
_PAGE_NUMBER = re.compile(
    r"^[-–—~.]*(?:หน้า|หนา|page)?[-–—~.:]*\d{1,4}(?:(?:/|จาก|of)\d{1,4})?[-–—~.]*$", re.I
)


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(re.sub(r"\s+", "", text.translate(_THAI_DIGITS))))


# ---------------------------------------------------------------- tables


def _cluster(values: list[float], tol: float) -> list[float]:
    """Positions closer than `tol` are one line (a ruling drawn twice, or broken and re-found)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [mean(group) for group in out]


def _covered(segments: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Fraction of [lo, hi] covered by the union of the intervals."""
    total, reach = 0.0, lo
    for a, b in sorted(segments):
        a, b = max(a, reach), min(b, hi)
        if b > a:
            total += b - a
            reach = b
    return total / (hi - lo) if hi > lo else 0.0


def table_grid(rulings: list[Ruling], tol: int = 10, min_cover: float = 0.5) -> Table:
    """The cell structure of one table from its rulings, merged cells included.

    Grid slots lie between consecutive line positions; two neighbouring slots belong to one merged
    cell when no ruling separates them (less than `min_cover` of their shared edge is drawn).
    """
    hs = [r for r in rulings if r.orientation == "h"]
    vs = [r for r in rulings if r.orientation == "v"]
    ys, xs = _cluster([r.pos for r in hs], tol), _cluster([r.pos for r in vs], tol)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(slot: tuple[int, int]) -> tuple[int, int]:
        while parent[slot] != slot:
            slot = parent[slot]
        return slot

    def drawn(lines: list[Ruling], pos: float, lo: float, hi: float, along: str) -> bool:
        spans = [(r.x0, r.x1) if along == "x" else (r.y0, r.y1) for r in lines if abs(r.pos - pos) <= tol]
        return _covered(spans, lo, hi) >= min_cover

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not drawn(vs, xs[c + 1], ys[r], ys[r + 1], "y"):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < n_rows and not drawn(hs, ys[r + 1], xs[c], xs[c + 1], "x"):
                parent[find((r + 1, c))] = find((r, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for slot in parent:
        groups.setdefault(find(slot), []).append(slot)
    cells = []
    for slots in groups.values():
        r0, c0 = min(r for r, _ in slots), min(c for _, c in slots)
        r1, c1 = max(r for r, _ in slots), max(c for _, c in slots)
        box = (round(xs[c0]), round(ys[r0]), round(xs[c1 + 1]), round(ys[r1 + 1]))
        cells.append(TableCell(row=r0, col=c0, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1, box=box))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    # The header is the top row, and every row a cell starting there spans down into.
    header_rows = max((cell.rowspan for cell in cells if cell.row == 0), default=1) if cells else 0
    box = (round(xs[0]), round(ys[0]), round(xs[-1]), round(ys[-1])) if xs and ys else (0, 0, 0, 0)
    return Table(box=box, n_rows=n_rows, n_cols=n_cols, header_rows=header_rows, cells=cells)


def _centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _inside(box: Box, point: tuple[float, float]) -> bool:
    return box[0] <= point[0] < box[2] and box[1] <= point[1] < box[3]


def join_words(words: list[OcrWord]) -> str:
    """Words in visual lines (top to bottom, left to right) as text.

    Visual lines join with a space, except Thai to Thai: Thai wraps between words without one.
    """
    return joined_words(words)[0]


def joined_words(words: list[OcrWord]) -> tuple[str, list[int]]:
    """`join_words`, and where in the text two visual lines were joined without a space: whether a space
    was printed at a line break is not on the paper."""
    rows: list[list[OcrWord]] = []
    for w in sorted(words, key=lambda w: _centre(w.bbox)[1]):
        if (
            rows
            and abs(_centre(w.bbox)[1] - mean(_centre(x.bbox)[1] for x in rows[-1])) < _height(rows[-1]) / 2
        ):
            rows[-1].append(w)
        else:
            rows.append([w])
    parts = []
    for row in rows:
        row.sort(key=lambda w: w.bbox[0])
        parts.append("".join((" " if i and w.space_before else "") + w.text for i, w in enumerate(row)))
    return _glue(parts, lambda left, right: _is_thai(left) and _is_thai(right))


def _glue(parts: list[str], glued: Callable[[str, str], bool]) -> tuple[str, list[int]]:
    """Wrapped lines' texts as one, joined without a space where `glued(last letter, first letter)`, else
    with one; and the offsets where they were joined without one."""
    text, breaks = "", []
    for part in parts:
        if text and glued(text[-1], part[0]):
            breaks.append(len(text))
        elif text:
            text += " "
        text += part
    return text, breaks


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e"


def _height(words: list[OcrWord]) -> float:
    return mean(w.bbox[3] - w.bbox[1] for w in words)


def stack_cells(
    image: np.ndarray, table: Table, inset: int, gap: int
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The table's inked cells stacked one under another on white, and each cell's (y offset, index).

    Read as one block, every cell is a line of its own: page segmentation no longer drops a lone "1"
    or runs neighbouring cells together.
    """
    crops, where = [], []
    for i, cell in enumerate(table.cells):
        x0, y0, x1, y1 = cell.box
        crop = image[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
        if crop.size and (crop < 128).sum() > 0:
            crops.append(crop)
            where.append(i)
    if not crops:
        return np.full((1, 1), 255, np.uint8), []
    width = max(c.shape[1] for c in crops) + 2 * gap
    height = sum(c.shape[0] + gap for c in crops) + gap
    sheet = np.full((height, width), 255, np.uint8)
    offsets, y = [], gap
    for crop, i in zip(crops, where, strict=True):
        sheet[y : y + crop.shape[0], gap : gap + crop.shape[1]] = crop
        offsets.append((y, i))
        y += crop.shape[0] + gap
    return sheet, offsets


def unstack_words(
    lines: list[OcrLine], table: Table, offsets: list[tuple[int, int]], inset: int, gap: int
) -> list[OcrWord]:
    """Words read from a stacked sheet, moved back to their cells' places on the page."""
    out = []
    for line in lines:
        cy = (line.bbox[1] + line.bbox[3]) / 2
        y, i = max(((y, i) for y, i in offsets if y - gap / 2 <= cy), default=offsets[0])
        x0, y0 = table.cells[i].box[0] + inset - gap, table.cells[i].box[1] + inset - y
        for w in line.words:
            b = w.bbox
            out.append(w.model_copy(update={"bbox": (b[0] + x0, b[1] + y0, b[2] + x0, b[3] + y0)}))
    return out


def fill_table(table: Table, words: list[OcrWord]) -> Table:
    """Each cell's text and confidence from the OCR words whose centre falls inside it."""
    cells = []
    for cell in table.cells:
        mine = [w for w in words if _inside(cell.box, _centre(w.bbox))]
        conf = round(mean(w.confidence for w in mine), 2) if mine else None
        text, breaks = joined_words(mine)
        cells.append(cell.model_copy(update={"text": text, "confidence": conf, "breaks": breaks}))
    return table.model_copy(update={"cells": cells})


# ---------------------------------------------------------------- tables printed without rulings


def _blank(image: np.ndarray | None, box: Box) -> bool:
    """No ink in `box` of the binarised page (no image: taken on trust). OCR drops words on a poor scan;
    the white their loss leaves between two read words is not white on paper."""
    if image is None:
        return True
    x0, y0, x1, y1 = box
    region = image[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
    return bool(region.size == 0 or (region < 128).mean() < _SPECKS)


def _pieces(words: list[OcrWord], gap: float, image: np.ndarray | None) -> list[list[OcrWord]]:
    """A printed line's words split where the paper between two words is blank for more than `gap` (and a
    word starting within `gap` of a piece's start is that piece's, whatever OCR put between them)."""
    out: list[list[OcrWord]] = []
    top, bottom = min(w.bbox[1] for w in words), max(w.bbox[3] for w in words)
    for w in sorted(words, key=lambda w: w.bbox[0]):
        right = max(x.bbox[2] for x in out[-1]) if out else 0
        if out and (
            min(w.bbox[0] - right, w.bbox[0] - out[-1][0].bbox[0]) <= gap
            or not _blank(image, (right + 2, top, w.bbox[0] - 2, bottom))
        ):
            out[-1].append(w)
        else:
            out.append([w])
    solid: list[list[OcrWord]] = []  # a speck or a stray "|" alone starts no column: it joins its left
    for piece in out:
        if solid and not any(ch.isalnum() for w in piece for ch in w.text):
            solid[-1].extend(piece)
        else:
            solid.append(piece)
    return solid


def _column_of(x: float, columns: list[float], tol: float) -> int | None:
    return next((c for c, start in enumerate(columns) if abs(x - start) <= tol), None)


def _column_at(x: float, columns: list[float], tol: float) -> int:
    """The column a piece starting at `x` belongs to: the rightmost one starting at or left of it."""
    return max((c for c, start in enumerate(columns) if start <= x + tol), default=0)


def _split(pieces: list[list[OcrWord]], columns: list[float], tol: float) -> list[list[OcrWord]]:
    """Pieces cut again before any word that starts at a known column: a cell filled to its edge leaves
    less white before the next column than `column_gap`, but the other lines say where that column is."""
    out: list[list[OcrWord]] = []
    for piece in pieces:
        out.append([piece[0]])
        for w in piece[1:]:
            if _column_of(w.bbox[0], columns, tol) is not None and w.bbox[0] > max(
                x.bbox[2] for x in out[-1]
            ):
                out.append([w])
            else:
                out[-1].append(w)
    return out


def _fits(pieces: list[list[OcrWord]], columns: list[float], tol: float) -> bool:
    """The line's first piece starts at a known column and no piece runs across a column's start."""
    if _column_of(pieces[0][0].bbox[0], columns, tol) is None:
        return False
    return not any(
        p[0].bbox[0] + tol < start < max(w.bbox[2] for w in p) - tol for p in pieces for start in columns
    )


def _aligned_run(rows: list[list[list[OcrWord]]], boxes: list[Box], first: int, settings: LayoutSettings,
                 usual: float) -> tuple[list[int], list[float]]:  # fmt: skip
    """The printed lines from `first` on that share its column starts, and those starts (left to right).
    One line that does not fit (specks read as a line of junk) is passed over, not taken in."""
    tol, columns = settings.column_tolerance * usual, [p[0].bbox[0] for p in rows[first]]
    run, misfits = [first], 0
    for i in range(first + 1, len(rows)):
        pieces = _split(rows[i], columns, tol)
        if boxes[i][1] - boxes[run[-1]][3] > settings.row_gap * usual:
            break
        if not _fits(pieces, columns, tol):
            misfits += 1
            if misfits > 1:
                break
            continue
        misfits = 0
        for p in pieces:  # a later line may open further columns to the right (cells empty above)
            x = p[0].bbox[0]
            if x > columns[0] and all(abs(x - c) > 3 * settings.column_gap * usual for c in columns):
                columns = sorted([*columns, x])
        run.append(i)
    support = [
        sum(any(abs(p[0].bbox[0] - c) <= tol for p in _split(rows[i], columns, tol)) for i in run)
        for c in columns
    ]
    need = [settings.min_table_rows if c == 1 else 2 for c in range(len(columns))]  # every row has column 1
    return run, [c for c, n, k in zip(columns, support, need, strict=True) if n >= k]


def aligned_tables(
    lines: list[list[OcrWord]], settings: LayoutSettings, image: np.ndarray | None = None
) -> list[tuple[Table, list[int]]]:
    """Tables printed without ruling lines, found from the alignment of their text; each with the indices
    of the printed lines (`lines`, top to bottom, one list of words each) it is made of.

    A line parts into pieces at white wider than `column_gap` line heights (blank on `image`, the
    binarised page, when given), and before a word that starts where other lines start a column.
    Consecutive lines whose pieces start at shared positions (within `column_tolerance` line heights),
    none running across another column's start, are a table once `min_table_rows` of them have two or
    more columns and `min_table_columns` columns are found (two aligned columns are as often a form's
    labels and values), and `min_full_rows` of its rows have words in every column; a column must be
    started on two lines or more, the second on `min_table_rows` lines. A line whose first piece starts
    right of the first column continues the row above it: that is how the BMA form prints each progress
    report, as two lines (or more) of one row.
    """
    boxes = [union([w.bbox for w in ws]) for ws in lines]
    if not boxes:
        return []
    usual = median(b[3] - b[1] for b in boxes)
    rows = [_pieces(ws, settings.column_gap * usual, image) for ws in lines]
    tol = settings.column_tolerance * usual
    found: list[tuple[Table, list[int]]] = []
    i = 0
    while i < len(rows):
        run, columns = _aligned_run(rows, boxes, i, settings, usual) if len(rows[i]) > 1 else ([i], [])
        slots = [
            [(_column_at(p[0].bbox[0], columns, tol), p) for p in _split(rows[n], columns, tol)] for n in run
        ]
        while slots and len({c for c, _ in slots[-1]}) == 1 and slots[-1][0][0] == 0:  # text under the table
            slots.pop()
            run.pop()
        wide = sum(len({c for c, _ in line}) > 1 for line in slots)
        if len(columns) < settings.min_table_columns or wide < settings.min_table_rows:
            i += 1
            continue
        table = _aligned_table(slots, len(columns), tol)
        if _full_rows(table) < settings.min_full_rows:  # a form's label / dotted leader / "บาท" lines
            i += 1
            continue
        found.append((table, run))
        i = run[-1] + 1
    return found


def _full_rows(table: Table) -> float:
    """Share of the table's rows with a word (not a lone mark) in every column."""
    filled = {(c.row, c.col) for c in table.cells if any(ch.isalnum() for ch in c.text)}
    full = [r for r in range(table.n_rows) if all((r, c) in filled for c in range(table.n_cols))]
    return len(full) / table.n_rows if table.n_rows else 0.0


def _piece_text(words: list[OcrWord], gap: float) -> str:
    """One piece of one printed line, left to right; a space where OCR saw one or the white is wide."""
    text, right = "", None
    for w in words:
        if right is not None and (w.space_before or w.bbox[0] - right > gap):
            text += " "
        text += w.text
        right = w.bbox[2] if right is None else max(right, w.bbox[2])
    return text


def _aligned_table(slots: list[list[tuple[int, list[OcrWord]]]], n_cols: int, gap: float) -> Table:
    """Rows of cells from the lines' (column, words) pieces; a line without a first-column piece continues
    the row above. A cell's lines join as wrapped text does (Thai to Thai, or at a slash, without a space)."""
    rows: list[dict[int, list[list[OcrWord]]]] = []
    for line in slots:
        if not rows or line[0][0] == 0:
            rows.append({})
        for col, words in line:
            rows[-1].setdefault(col, []).append(words)
    cells = []
    for r, row in enumerate(rows):
        for c, pieces in sorted(row.items()):
            words = [w for p in pieces for w in p]
            text, breaks = _glue(
                [_piece_text(p, gap) for p in pieces],
                lambda left, right: (_is_thai(left) and _is_thai(right)) or "/" in (left, right),
            )
            conf = round(mean(w.confidence for w in words), 2)
            box = union([w.bbox for w in words])
            cells.append(TableCell(row=r, col=c, box=box, text=text, confidence=conf, breaks=breaks))
    box = union([c.box for c in cells])
    return Table(box=box, n_rows=len(rows), n_cols=n_cols, header_rows=0, cells=cells, ruled=False)


def _printed_lines(words: list[list[OcrWord]]) -> list[list[int]]:
    """OCR lines (with their kept `words`) grouped into printed lines, top to bottom: Tesseract reads
    columns far apart as blocks of their own, so one printed line can come back as several."""
    boxes = {i: union([w.bbox for w in ws]) for i, ws in enumerate(words) if ws}
    groups: list[list[int]] = []
    for i in sorted(boxes, key=lambda i: boxes[i][1]):
        home = next((g for g in groups if any(_same_row(boxes[j], boxes[i]) for j in g)), None)
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    return groups


# ---------------------------------------------------------------- one page


def dash_runs(dashes: list[Box], words: list[OcrWord], confidence: float) -> list[OcrWord]:
    """Dash marks that no OCR word covers, as words of "-" (one per run of marks on one row).

    Tesseract drops a lone "-" (a table's "nothing" cell) and reads rows of dashes as noise or nothing.
    """

    def covered(d: Box) -> bool:
        c = _centre(d)
        return any(w.bbox[0] <= c[0] <= w.bbox[2] and w.bbox[1] <= c[1] <= w.bbox[3] for w in words)

    runs: list[list[Box]] = []
    for d in sorted((d for d in dashes if not covered(d)), key=lambda d: (d[1], d[0])):
        run = next(
            (r for r in runs if abs(_centre(r[-1])[1] - _centre(d)[1]) <= r[-1][3] - r[-1][1] + 2
             and 0 <= d[0] - r[-1][2] <= 2 * (r[-1][2] - r[-1][0])),
            None,
        )  # fmt: skip
        if run is None:
            runs.append([d])
        else:
            run.append(d)
    return [OcrWord(text="-" * len(r), bbox=union(r), confidence=confidence, min_confidence=confidence)
            for r in runs]  # fmt: skip


def _same_row(a: Box, b: Box) -> bool:
    """Side by side on one printed line: mostly the same height band, and overlapping across by at most a
    tenth of the narrower box (a glyph's box reaching a pixel into a row of dashes: "-----&&&-----")."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    across = min(a[2], b[2]) - max(a[0], b[0])
    return overlap >= 0.7 * min(a[3] - a[1], b[3] - b[1]) and across <= 0.1 * min(a[2] - a[0], b[2] - b[0])


def reading_order(lines: list[LayoutLine]) -> list[LayoutLine]:
    """Top to bottom; pieces of one printed line that OCR split into blocks are joined left to right."""
    rows: list[list[LayoutLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1], ln.box[0])):
        if (
            line.role == "body"
            and rows
            and rows[-1][0].role == "body"
            and _same_row(rows[-1][-1].box, line.box)
        ):
            rows[-1].append(line)
        else:
            rows.append([line])
    out = []
    for row in rows:
        row.sort(key=lambda ln: ln.box[0])
        confs = [ln.confidence for ln in row if ln.confidence is not None]
        out.append(
            row[0].model_copy(
                update={
                    "text": " ".join(ln.text for ln in row),
                    "box": union([ln.box for ln in row]),
                    "confidence": round(mean(confs), 2) if confs else None,
                }
            )
        )
    return out


def blocks(lines: list[LayoutLine]) -> list[LayoutBlock]:
    """Reading-order lines grouped into blocks: a table's rows are one block; body lines part where the
    white gap to the next line is over half the usual line height (a paragraph or section break)."""
    if not lines:
        return []
    usual = median(ln.box[3] - ln.box[1] for ln in lines)
    out: list[list[int]] = []
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        same = prev is not None and prev.role == line.role == "table" and prev.table == line.table
        near = (
            prev is not None and prev.role == line.role == "body" and line.box[1] - prev.box[3] <= usual / 2
        )
        if same or near:
            out[-1].append(i)
        else:
            out.append([i])
    return [
        LayoutBlock(role="table" if lines[g[0]].role == "table" else "body",
                    box=union([lines[i].box for i in g]), lines=g)
        for g in out
    ]  # fmt: skip


def page_layout(
    ocr: OcrPage,
    tables: list[Table],
    table_words: list[list[OcrWord]],
    dashes: list[Box],
    settings: LayoutSettings,
    image: np.ndarray | None = None,
) -> PageLayout:
    """Reading-order lines of one page, with each ruled table's rows in place of the words inside it.

    `tables` are the ruled tables and `table_words[i]` the words read from table i's cells (see
    `stack_cells`). Tables printed without rulings are found from the alignment of the other lines
    (`image`, the binarised page, tells white paper from words OCR dropped) and kept in
    `PageLayout.tables` (`ruled` False), while their lines stay as printed: a column found from alignment
    is a guess, and on a poor scan a wrong guess would reorder the text the extractor reads. Dashes
    Tesseract dropped come back: any inside a ruled table's cell, and rows of three or more elsewhere.
    """
    filled = []
    all_words = [w for line in ocr.lines for w in line.words]
    runs = dash_runs(dashes, all_words, settings.dash_confidence)
    for t, words in zip(tables, table_words, strict=True):
        m = settings.cell_margin  # ruling residue hugs the cell edges; a printed "-" sits inside the padding
        inner = [(c.box[0] + m, c.box[1] + m, c.box[2] - m, c.box[3] - m) for c in t.cells]
        mine = [
            r
            for r in dash_runs(dashes, words, settings.dash_confidence)
            if any(_inside(box, _centre(r.bbox)) for box in inner)
        ]
        filled.append(fill_table(t, words + mine))
    lines = [
        LayoutLine(text=r.text, box=r.bbox, confidence=r.confidence)
        for r in runs
        if len(r.text) >= 3 and not any(_inside(t.box, _centre(r.bbox)) for t in tables)
    ]
    twice = overread_lines(ocr.lines, settings.overread)
    kept = [line for i, line in enumerate(ocr.lines) if i not in twice]
    outside = [[w for w in line.words if not any(_inside(t.box, _centre(w.bbox)) for t in tables)]
               for line in kept]  # fmt: skip
    for line, words in zip(kept, outside, strict=True):
        if not words:
            continue
        text = line.text if len(words) == len(line.words) else join_words(words)
        conf = line.confidence if len(words) == len(line.words) else mean(w.confidence for w in words)
        lines.append(LayoutLine(text=text, box=union([w.bbox for w in words]), confidence=round(conf, 2)))
    printed = [[w for i in group for w in outside[i]] for group in _printed_lines(outside)]
    filled += [t for t, _ in aligned_tables(printed, settings, image)]
    filled.sort(key=lambda t: (t.box[1], t.box[0]))
    for i, t in enumerate(filled):
        if not t.ruled:
            continue
        for r, text in enumerate(t.row_texts()):
            row_cells = [c for c in t.cells if c.row == r]
            if not text or not row_cells:
                continue
            confs = [c.confidence for c in row_cells if c.confidence is not None]
            box = union([c.box for c in row_cells])
            conf = round(mean(confs), 2) if confs else None
            lines.append(LayoutLine(text=text, box=box, confidence=conf, role="table", table=i))
    ordered = reading_order(lines)
    return PageLayout(
        width=ocr.width, height=ocr.height, lines=ordered, blocks=blocks(ordered), tables=filled
    )


def _share_on(a: Box, b: Box) -> float:
    """The share of box `a`'s area that lies on box `b`."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    area = (a[2] - a[0]) * (a[3] - a[1])
    return w * h / area if w > 0 and h > 0 and area > 0 else 0.0


def overread_lines(lines: list[OcrLine], overlap: float) -> set[int]:
    """Indices of the lines Tesseract read over ink another line of more words already read: each of their
    words lies at least `overlap` of its area on that line's words (specks of a stamp or a signature read
    as "5 ส" over a row's label, a table header read twice)."""
    out = set()
    for i, line in enumerate(lines):
        for other in lines:
            if (
                line.words
                and len(other.words) > len(line.words)
                and _share_on(line.bbox, other.bbox) > 0
                and all(any(_share_on(w.bbox, v.bbox) >= overlap for v in other.words) for w in line.words)
            ):
                out.add(i)
                break
    return out


def page_tables(rulings: list[Ruling]) -> list[Table]:
    """One table per connected grid of rulings, top to bottom."""
    tables = [table_grid(group) for group in group_rulings(rulings)]
    return sorted((t for t in tables if t.n_rows and t.n_cols), key=lambda t: (t.box[1], t.box[0]))


# ---------------------------------------------------------------- the document


def _key(text: str) -> str:
    """Comparison form of a header line: no spaces, digits masked (page numbers and dates differ)."""
    return re.sub(r"\d", "#", re.sub(r"\s+", "", text.translate(_THAI_DIGITS)))


def _bands(page: PageLayout, settings: LayoutSettings) -> dict[str, list[int]]:
    """Indices of the body lines in the top and bottom bands of the page."""
    top, bottom = settings.header_band * page.height, (1 - settings.footer_band) * page.height
    bands: dict[str, list[int]] = {"header": [], "footer": []}
    for i, line in enumerate(page.lines):
        if line.role != "body":
            continue
        cy = (line.box[1] + line.box[3]) / 2
        if cy < top:
            bands["header"].append(i)
        elif cy > bottom:
            bands["footer"].append(i)
    return bands


def running_lines(pages: list[PageLayout], settings: LayoutSettings) -> list[dict[int, str]]:
    """Per page, the lines (index -> role) that are running headers, footers or page numbers.

    A band line is running when a similar line (digits masked, rapidfuzz ratio >= `similarity`) sits in
    the same band on enough pages. Once a band has a running line, every other line there that is still
    loosely similar to it (OCR garbled it differently on that page) goes too. Page numbers go wherever
    they are in a band; on a one-page document whatever lies wholly in the top band is its header.
    """
    bands = [_bands(p, settings) for p in pages]
    need = max(2, settings.repeat_fraction * len(pages))
    found: list[dict[int, str]] = [{} for _ in pages]
    for role in ("header", "footer"):
        keys = [{i: _key(pages[n].lines[i].text) for i in b[role]} for n, b in enumerate(bands)]
        confirmed: list[str] = []
        for n, page_keys in enumerate(keys):
            for i, key in page_keys.items():
                hits = 1 + sum(
                    any(fuzz.ratio(key, other) >= settings.similarity for other in keys[m].values())
                    for m in range(len(pages))
                    if m != n
                )
                if key and hits >= need:
                    found[n][i] = role
                    confirmed.append(key)
        for n, page_keys in enumerate(keys):
            for i, key in page_keys.items():
                line = pages[n].lines[i]
                loose = any(fuzz.ratio(key, c) >= settings.similarity * 0.7 for c in confirmed)
                top = settings.header_band * pages[n].height
                alone = len(pages) == 1 and role == "header" and line.box[3] < top
                if loose or alone or is_page_number(line.text):
                    found[n][i] = role
    return found


def document_layout(pages: list[PageResult], settings: LayoutSettings) -> DocumentLayout:
    """Running headers and page numbers found across the pages and removed; tables as contract records."""
    layouts = [p.layout for p in pages]
    running = running_lines(layouts, settings)
    headers: dict[str, tuple[float, str]] = {}  # key -> (confidence, text) of its best reading
    page_numbers: list[str | None] = []
    texts: list[str] = []
    tables: list[TableRecord] = []
    for page, layout, roles in zip(pages, layouts, running, strict=True):
        number = None
        for i in roles:
            line = layout.lines[i]
            if is_page_number(line.text):
                number = number or line.text
                continue
            key, conf = _key(line.text), line.confidence or 0.0
            similar = next((k for k in headers if fuzz.ratio(k, key) >= settings.similarity), key)
            if similar not in headers or headers[similar][0] < conf:
                headers[similar] = (conf, line.text)
        page_numbers.append(number)
        body = [ln for i, ln in enumerate(layout.lines) if i not in roles]
        texts.append("\n".join(ln.text for ln in body))
        for index, table in enumerate(layout.tables):
            tables.append(table_record(page, layout, body, index, table))
    return DocumentLayout(
        headers=[text for _, text in headers.values()],
        removed=[sorted(roles) for roles in running],
        page_numbers=page_numbers,
        page_texts=texts,
        tables=tables,
    )


def table_record(
    page: PageResult, layout: PageLayout, body: list[LayoutLine], index: int, table: Table
) -> TableRecord:
    """The contract's TableRecord; its title is the body line just above the table, if one sits close."""
    above = [ln for ln in body if ln.role == "body" and ln.box[3] <= table.box[1]]
    title = None
    if above:
        last = max(above, key=lambda ln: ln.box[3])
        if table.box[1] - last.box[3] < 2 * (last.box[3] - last.box[1]):
            title = last.text
    confs = [c.confidence for c in table.cells if c.confidence is not None]
    return TableRecord(
        source=page.image.source,
        page=page.image.page,
        table_index=index,
        title=title,
        header=table.grid(range(table.header_rows)),
        rows=table.grid(range(table.header_rows, table.n_rows)),
        confidence=round(mean(confs) / 100, 4) if confs else 0.0,
        ruled=table.ruled,
    )
