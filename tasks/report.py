"""Review report: one self-contained HTML file (crops inline, no network) listing the flagged fields worst
first, each with the crop of the page around it, so a reviewer sees the value beside what was printed."""

from __future__ import annotations

import base64
import html
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from models.review import ReviewItem
from models.settings import ReviewSettings
from tasks.emit import write_atomic
from tasks.review import cell

BOX_COLOUR = (0, 0, 220)  # BGR red: the field's own box inside the crop
VIEWS_IN_MEMORY = 16  # page views kept decoded while cutting crops (~1.5 MB each)


def crop_field(view: np.ndarray, bbox: list[float], margin: float, quality: int) -> bytes | None:
    """JPEG of the page around `bbox` (fractions of the page), the box itself outlined; None for a box that
    does not lie on the page."""
    h, w = view.shape[:2]
    x0, x1 = sorted((min(max(bbox[0], 0.0), 1.0), min(max(bbox[2], 0.0), 1.0)))
    y0, y1 = sorted((min(max(bbox[1], 0.0), 1.0), min(max(bbox[3], 0.0), 1.0)))
    if x1 <= x0 or y1 <= y0:
        return None
    left, top = max(0, int((x0 - margin) * w)), max(0, int((y0 - margin) * h))
    right, bottom = min(w, int((x1 + margin) * w) + 1), min(h, int((y1 + margin) * h) + 1)
    crop = view[top:bottom, left:right]
    crop = cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR) if crop.ndim == 2 else crop.copy()
    ch, cw = crop.shape[:2]
    corner0 = (min(int(x0 * w) - left, cw - 2), min(int(y0 * h) - top, ch - 2))
    corner1 = (min(int(x1 * w) - left, cw - 2), min(int(y1 * h) - top, ch - 2))  # at a page edge: inside
    cv2.rectangle(crop, corner0, corner1, BOX_COLOUR, 2)
    ok, data = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("a crop could not be encoded as JPEG")
    return data.tobytes()


NO_BOX, NO_VIEW = "the value has no box on the page", "the page image was not kept"


def crops(
    items: list[ReviewItem], view_for: Callable[[str, int], Path], settings: ReviewSettings
) -> list[str]:
    """A data: URI per item, or the reason there is no crop."""
    cache: OrderedDict[Path, np.ndarray | None] = OrderedDict()
    out: list[str] = []
    for item in items:
        if item.page is None or not item.bbox:
            out.append(NO_BOX)
            continue
        path = view_for(item.sha256, item.page)
        if path not in cache:
            cache[path] = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) if path.is_file() else None
            if len(cache) > VIEWS_IN_MEMORY:
                cache.popitem(last=False)
        view = cache[path]
        jpeg = (
            None if view is None else crop_field(view, item.bbox, settings.crop_margin, settings.view_quality)
        )
        if jpeg is None:
            out.append(NO_VIEW if view is None else NO_BOX)
        else:
            out.append("data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii"))
    return out


_STYLE = """
body{font-family:"Sarabun","Noto Sans Thai","Tahoma",sans-serif;margin:1.5rem;color:#222}
#counts span{font-weight:bold} .filters{margin:1rem 0} .filters label{margin-right:1.5rem}
article.item{display:grid;grid-template-columns:minmax(220px,40%) 1fr;gap:1rem;border-top:1px solid #ccc;
padding:.8rem 0} article.item[hidden]{display:none} img.crop{max-width:100%;border:1px solid #999}
.value{font-size:1.2rem;font-weight:bold} .ocr-text{font-family:monospace;white-space:pre-wrap}
.confidence{color:#a00} .reasons{color:#555} .no-crop{color:#777;font-style:italic}
"""

_SCRIPT = """
const items = Array.from(document.querySelectorAll('article.item'));
const byDocument = document.getElementById('filter-document');
const byField = document.getElementById('filter-field');
function applyFilters() {
  let shown = 0;
  for (const item of items) {
    const visible = (!byDocument.value || item.dataset.document === byDocument.value)
      && (!byField.value || item.dataset.field === byField.value);
    item.hidden = !visible;
    shown += visible;
  }
  document.getElementById('count-shown').textContent = shown;
}
byDocument.addEventListener('change', applyFilters);
byField.addEventListener('change', applyFilters);
applyFilters();  // a browser may restore the selections on reload
"""


def _options(values: list[str]) -> str:
    rows = ['<option value="">(all)</option>']
    rows += [f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values]
    return "".join(rows)


def _item(item: ReviewItem, crop: str) -> str:
    e = html.escape
    image = (f'<img class="crop" src="{crop}" alt="page {item.page} around {e(item.field)}">'
             if crop.startswith("data:") else f'<p class="no-crop">no crop: {e(crop)}</p>')  # fmt: skip
    project = f" · {e(item.project)}" if item.project else ""
    return (
        f'<article class="item" data-document="{e(item.source)}" data-field="{e(item.field)}">'
        f"<div>{image}</div><div>"
        f'<p class="where">{e(item.source)} · page {item.page or "?"}{project}</p>'
        f'<p><b class="field">{e(item.field)}</b> = <span class="value">{e(cell(item.value)) or "(empty)"}'
        f'</span> <span class="confidence">confidence {item.confidence:.2f}</span></p>'
        f'<p>OCR text: <span class="ocr-text">{e(item.text)}</span></p>'
        f'<p class="reasons">{e("; ".join(item.reasons))}</p>'
        "</div></article>"
    )


def report_html(
    items: list[ReviewItem], crop_uris: list[str], total_fields: int, documents: int, limit: int
) -> str:
    """The whole page; `items` least confident first. Items beyond `limit` are counted, not shown: the
    queue CSV lists them all."""
    shown = items[:limit]
    sources = sorted({i.source for i in shown})
    fields = sorted({i.field for i in shown})
    truncated = (f'<p id="truncated">Showing the {limit} least confident of {len(items)} flagged fields; '
                 "review/review_queue.csv lists them all.</p>" if len(items) > limit else "")  # fmt: skip
    body = "".join(_item(i, c) for i, c in zip(shown, crop_uris, strict=False))
    return f"""<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>reportocr review: {len(items)} fields to check</title><style>{_STYLE}</style></head>
<body>
<h1>Fields to check</h1>
<section id="counts"><span id="count-flagged">{len(items)}</span> of
<span id="count-fields">{total_fields}</span> fields in
<span id="count-documents">{documents}</span> documents need a person;
<span id="count-shown">{len(shown)}</span> shown, least confident first.</section>
{truncated}
<div class="filters"><label>Document <select id="filter-document">{_options(sources)}</select></label>
<label>Field <select id="filter-field">{_options(fields)}</select></label></div>
<main>{body}</main>
<script>{_SCRIPT}</script>
</body></html>
"""


def write_report(
    path: Path, items: list[ReviewItem], total_fields: int, documents: int,
    view_for: Callable[[str, int], Path], settings: ReviewSettings,
) -> None:  # fmt: skip
    """review/report.html for `items` as review_items() orders them: least confident first."""
    shown = items[: settings.report_limit]
    write_atomic(path, report_html(items, crops(shown, view_for, settings), total_fields, documents,
                                   settings.report_limit))  # fmt: skip
