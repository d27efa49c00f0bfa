"""Layout: tables from ruling grids, lines in reading order, running headers and page numbers.

`page_layout` works on one page (OCR words + rulings); `document_layout` looks across all pages of a
document, because a running header is only recognisable by recurring on most of them.
"""

from __future__ import annotations

import re
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
    text = ""
    for part in parts:
        thai = text and _is_thai(text[-1]) and _is_thai(part[0])
        text += ("" if thai or not text else " ") + part
    return text


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
        cells.append(cell.model_copy(update={"text": join_words(mine), "confidence": conf}))
    return table.model_copy(update={"cells": cells})


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
    """Side by side on one printed line: mostly the same height band, no horizontal overlap."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap >= 0.7 * min(a[3] - a[1], b[3] - b[1]) and (a[2] <= b[0] or b[2] <= a[0])


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
) -> PageLayout:
    """Reading-order lines of one page, with each table's rows in place of the words inside it.

    `table_words[i]` are the words read from table i's cells (see `stack_cells`). Dashes Tesseract
    dropped come back: any inside a table cell, and rows of three or more elsewhere.
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
    for line in ocr.lines:
        outside = [w for w in line.words if not any(_inside(t.box, _centre(w.bbox)) for t in tables)]
        if not outside:
            continue
        text = line.text if len(outside) == len(line.words) else join_words(outside)
        conf = line.confidence if len(outside) == len(line.words) else mean(w.confidence for w in outside)
        lines.append(LayoutLine(text=text, box=union([w.bbox for w in outside]), confidence=round(conf, 2)))
    for i, t in enumerate(filled):
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
    )
