"""Layouts a perfect OCR and layout stage would produce for a factory document: for testing and
measuring the extraction stage on its own, without OCR."""

from __future__ import annotations

from models.layout import DocumentLayout, LayoutLine, PageLayout, Table, TableCell
from models.truth import Truth


def truth_layouts(truth: Truth) -> tuple[list[PageLayout], DocumentLayout]:
    """Page layouts as a perfect OCR and layout stage would give them for a factory document: the truth's
    printed lines (confidence 100) with synthetic boxes, and its ruled tables as grids in place of their
    rows (a table without lines is kept as a grid beside its lines, as tasks.layout does)."""
    width, height, step = 2480, 3508, 80
    pages: list[PageLayout] = []
    for page in truth.pages:
        body = list(page.body)
        roles: list[int | None] = [None] * len(body)
        tables: list[Table] = []
        at = 0
        for rec in sorted((t for t in truth.tables if t.page == page.number), key=lambda t: t.table_index):
            texts = [" ".join(c for c in row if c) for row in rec.header + rec.rows]
            texts = [t for t in texts if t]
            while at < len(body) and body[at : at + len(texts)] != texts:
                at += 1
            top = 290 + at * step
            n_cols = len((rec.header or rec.rows)[0])
            col_w = (width - 380) // n_cols
            grid = rec.header + rec.rows
            cells = [
                TableCell(
                    row=r,
                    col=c,
                    box=(190 + c * col_w, top + r * step, 190 + (c + 1) * col_w, top + (r + 1) * step),
                    text=text,
                    confidence=100.0,
                )
                for r, row in enumerate(grid)
                for c, text in enumerate(row)
                if text
            ]
            tables.append(
                Table(
                    box=(190, top, width - 190, top + len(grid) * step),
                    n_rows=len(grid),
                    n_cols=n_cols,
                    header_rows=len(rec.header),
                    cells=cells,
                    ruled=rec.ruled,
                )
            )
            if rec.ruled:  # the layout stage leaves a table printed without lines as body lines
                for k in range(at, min(at + len(texts), len(body))):
                    roles[k] = len(tables) - 1
            at += len(texts)
        lines = [
            LayoutLine(text=h, box=(190, 170, width - 190, 240), confidence=100.0, role="header")
            for h in page.header
        ]
        for k, text in enumerate(body):
            box = (190, 290 + k * step, width - 190, 290 + k * step + step - 10)
            role = "body" if roles[k] is None else "table"
            lines.append(LayoutLine(text=text, box=box, confidence=100.0, role=role, table=roles[k]))
        lines += [
            LayoutLine(text=f, box=(1100, height - 160, 1380, height - 100), confidence=100.0, role="footer")
            for f in page.footer
        ]
        pages.append(PageLayout(width=width, height=height, lines=lines, tables=tables))
    layout = DocumentLayout(
        headers=list(truth.repeated_strings),
        page_numbers=[p.footer[0] if p.footer else None for p in truth.pages],
        page_texts=["\n".join(p.body) for p in truth.pages],
        tables=list(truth.tables),
    )
    return pages, layout
