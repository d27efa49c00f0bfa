"""review/report.html opened as a reviewer opens it: a file:// URL in a real headless Chromium (Debian's)."""

from __future__ import annotations

import csv
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from models.review import ReviewItem
from models.settings import ReviewSettings, load_settings
from tasks.report import write_report

PAGE_W, PAGE_H = 1000, 1400  # the page views the crops are cut from
PAPER, INK = 205, 30  # grey of the page, and of the dark block drawn inside every field's box

DOC_A = "2566/รายงาน ก.pdf"
DOC_B = '2567/report & annex "v2".pdf'  # characters that must survive HTML escaping into the filter
SHA_A, SHA_B = "a" * 64, "b" * 64
FIELDS = ("budget", "fiscal_year", "project_name")

# Per crop: natural size, the extent of its red pixels, and the colour at its centre and top-left corner.
PIXELS_JS = """
async () => {
  const images = Array.from(document.querySelectorAll('article.item img.crop'));
  await Promise.all(images.map(img => img.decode()));
  return images.map(img => {
    const w = img.naturalWidth, h = img.naturalHeight;
    const canvas = document.createElement('canvas');
    canvas.width = w; canvas.height = h;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, w, h).data;
    let red = 0, left = w, top = h, right = -1, bottom = -1;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = 4 * (y * w + x), r = px[i], g = px[i + 1], b = px[i + 2];
      if (r > 140 && g < 110 && b < 110 && r - g > 80) {
        red++; left = Math.min(left, x); right = Math.max(right, x);
        top = Math.min(top, y); bottom = Math.max(bottom, y);
      }
    }
    const at = (x, y) => Array.from(px.slice(4 * (y * w + x), 4 * (y * w + x) + 3));
    return {
      document: img.closest('article').dataset.document, field: img.closest('article').dataset.field,
      width: w, height: h, red, redBox: [left, top, right, bottom],
      centre: at(Math.floor(w / 2), Math.floor(h / 2)), corner: at(2, 2),
    };
  });
}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = shutil.which("chromium")
        if chromium is None:
            pytest.fail("Debian's chromium is not installed: run `bash scripts/bootstrap.sh --test`")
        launched = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


class Opened:
    """A page with the report loaded, and everything it asked the network for or complained about."""

    def __init__(self, browser: Browser, report: Path) -> None:
        self.context = browser.new_context()
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.url = report.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")

    def quiet(self) -> None:
        """Nothing but the file itself (and inline data: images) was requested, and nothing went wrong."""
        assert [u for u in self.requests if u != self.url and not u.startswith("data:")] == []
        assert self.errors == []

    def text(self, selector: str) -> str:
        return self.page.inner_text(selector).strip()

    def shown(self) -> list[tuple[str, str]]:
        """(document, field) of the items a person can see, in page order."""
        return [
            (a.get_attribute("data-document") or "", a.get_attribute("data-field") or "")
            for a in self.page.locator("article.item").all()
            if a.is_visible()
        ]

    def crops(self) -> list[dict[str, Any]]:
        return self.page.evaluate(PIXELS_JS)

    def close(self) -> None:
        self.context.close()


def page_view(path: Path, boxes: list[list[float]], title: str) -> None:
    """A grey page with a heading, and a dark block in the middle of every field's box."""
    view = np.full((PAGE_H, PAGE_W), PAPER, np.uint8)
    cv2.putText(view, title, (60, 60), cv2.FONT_HERSHEY_SIMPLEX, 1.2, INK, 3)
    for x0, y0, x1, y1 in boxes:
        bw, bh = (x1 - x0) * PAGE_W, (y1 - y0) * PAGE_H
        cv2.rectangle(view, (int(x0 * PAGE_W + bw / 4), int(y0 * PAGE_H + bh / 4)),
                      (int(x1 * PAGE_W - bw / 4), int(y1 * PAGE_H - bh / 4)), INK, -1)  # fmt: skip
        cv2.putText(view, "1,250,000", (int(x0 * PAGE_W), int(y1 * PAGE_H) + 25), cv2.FONT_HERSHEY_SIMPLEX,
                    0.7, INK, 2)  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), view, [cv2.IMWRITE_JPEG_QUALITY, 85])


def item(source: str, sha: str, field: str, confidence: float, page: int | None, bbox: list[float] | None,
         value: Any, text: str, reasons: list[str], project_index: int = 0) -> ReviewItem:  # fmt: skip
    return ReviewItem(source=source, sha256=sha, doc_type="bma_project_form", project_index=project_index,
                      project=f"6601-{project_index:04d}", field=field, value=value, text=text,
                      confidence=confidence, page=page, bbox=bbox, reasons=reasons)  # fmt: skip


def sample_items() -> list[ReviewItem]:
    """Seven flagged fields, two documents, three fields; worst first, as review_items orders them."""
    items = [
        item(DOC_A, SHA_A, "project_name", 0.31, 1, [0.10, 0.10, 0.60, 0.14],
             "โครงการปรับปรุงถนนซอยลาดพร้าว ๑๐๑", "โครงการปรับปรุงถนนซอยลาดพร้าว ๑๐๑",
             ["ชื่อโครงการไม่ตรงกับทะเบียน", "อ่านไม่ชัด"]),
        item(DOC_A, SHA_A, "budget", 0.72, 1, [0.55, 0.50, 0.85, 0.54], 1250000.0, "๑,๒๕๐,๐๐๐ บาท",
             ["1 OCR correction(s) on the line"]),
        item(DOC_A, SHA_A, "fiscal_year", 0.55, None, None, None, "", ["ไม่พบปีงบประมาณ"]),
        # at the bottom-right corner of its page: the crop is cut off by the page's edges
        item(DOC_B, SHA_B, "project_name", 0.12, 2, [0.80, 0.92, 1.0, 0.98], "ก่อสร้างอาคารเรียน",
             "ก่อสร้างอาคาร เรียน", ["not a known project name"]),
        item(DOC_B, SHA_B, "budget", 0.45, 2, [0.05, 0.30, 0.35, 0.34], 980000.5, "980,000.50",
             ["label matched fuzzily (0.81)"]),
        item(DOC_B, SHA_B, "fiscal_year", 0.90, 2, [0.40, 0.70, 0.55, 0.73], 2567, "๒๕๖๗",
             ["ปี พ.ศ. อ่านจากเลขไทย"]),
        # its page view was never kept: a box, but nothing to cut it from
        item(DOC_B, SHA_B, "budget", 0.60, 3, [0.10, 0.10, 0.30, 0.14], 15000, "15,000", ["no view"], 1),
    ]  # fmt: skip
    return sorted(items, key=lambda i: (i.confidence, i.source, i.project_index, i.field))


def build(
    tmp_path: Path, items: list[ReviewItem], limit: int | None = None
) -> tuple[Path, ReviewSettings, list]:
    """Page views for the items' boxes, then the report; returns it, its settings and the views asked for."""
    settings = load_settings().review
    if limit is not None:
        settings = settings.model_copy(update={"report_limit": limit})
    views = tmp_path / "views"
    pages: dict[tuple[str, int], list[list[float]]] = {}
    for i in items:
        if i.page is not None and i.bbox and i.page != 3:
            pages.setdefault((i.sha256, i.page), []).append(i.bbox)
    for (sha, page), boxes in pages.items():
        page_view(views / sha / f"p{page:05d}.jpg", boxes, f"REPORT {sha[:4]} PAGE {page}")
    asked: list[tuple[str, int]] = []

    def view_for(sha: str, page: int) -> Path:
        asked.append((sha, page))
        return views / sha / f"p{page:05d}.jpg"

    report = tmp_path / "review" / "report.html"
    write_report(report, items, 30, 2, view_for, settings)
    return report, settings, asked


def as_shown(value: Any) -> str:
    """A value as a reviewer should read it: whole numbers without ".0", nothing as "(empty)"."""
    if value is None:
        return "(empty)"
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def expected_crop(bbox: list[float], margin: float) -> tuple[int, int, list[int]]:
    """Width, height and the box's [left, top, right, bottom] inside the crop, the page's edges cutting it."""
    x0, y0, x1, y1 = bbox
    left, top = max(0.0, (x0 - margin) * PAGE_W), max(0.0, (y0 - margin) * PAGE_H)
    right, bottom = min(PAGE_W, (x1 + margin) * PAGE_W), min(PAGE_H, (y1 + margin) * PAGE_H)
    box = [x0 * PAGE_W - left, y0 * PAGE_H - top, x1 * PAGE_W - left, y1 * PAGE_H - top]
    return round(right - left), round(bottom - top), [round(v) for v in box]


def test_report_in_chromium(browser: Browser, tmp_path: Path) -> None:
    items = sample_items()
    report, settings, _ = build(tmp_path, items)
    opened = Opened(browser, report)
    page = opened.page
    try:
        assert page.evaluate("document.characterSet") == "UTF-8"
        assert page.locator("meta[http-equiv='Content-Security-Policy']").count() == 1

        # counts
        assert opened.text("#count-flagged") == "7"
        assert opened.text("#count-fields") == "30"
        assert opened.text("#count-documents") == "2"
        assert opened.text("#count-shown") == "7"
        assert page.locator("#truncated").count() == 0

        # worst first, every item as given
        articles = page.locator("article.item")
        assert articles.count() == len(items)
        assert opened.shown() == [(i.source, i.field) for i in items]
        shown_confidence = [float(t.split()[-1]) for t in page.locator(".confidence").all_inner_texts()]
        assert shown_confidence == sorted(shown_confidence)
        assert shown_confidence == [round(i.confidence, 2) for i in items]

        # Thai renders as given: values, OCR text, reasons, file names
        for n, i in enumerate(items):
            article = articles.nth(n)
            assert article.locator(".value").inner_text() == as_shown(i.value)
            assert article.locator(".ocr-text").inner_text() == i.text
            assert article.locator(".reasons").inner_text() == "; ".join(i.reasons)
            assert article.locator(".field").inner_text() == i.field
            where = article.locator(".where").inner_text()
            assert where.startswith(f"{i.source} · page {i.page or '?'}") and where.endswith(i.project or "")
        assert page.locator(".value", has_text="โครงการปรับปรุงถนนซอยลาดพร้าว ๑๐๑").count() == 1
        assert page.locator(".ocr-text", has_text="๑,๒๕๐,๐๐๐ บาท").count() == 1

        # no box, or no page view: a note instead of an image
        no_crop = [(i.source, i.field, i.page) for i in items if i.page in (None, 3)]
        assert len(no_crop) == 2
        for n, i in enumerate(items):
            has_img = articles.nth(n).locator("img.crop").count() == 1
            has_note = articles.nth(n).locator("p.no-crop").count() == 1
            assert (has_img, has_note) == (
                (False, True) if (i.source, i.field, i.page) in no_crop else (True, False)
            )

        # every crop decoded, is the right piece of the right page, and shows the field's box in red
        crops = opened.crops()
        with_crop = [i for i in items if (i.source, i.field, i.page) not in no_crop]
        assert [(c["document"], c["field"]) for c in crops] == [(i.source, i.field) for i in with_crop]
        for crop, i in zip(crops, with_crop, strict=True):
            assert i.bbox is not None
            width, height, box = expected_crop(i.bbox, settings.crop_margin)
            assert crop["width"] > 0 and crop["height"] > 0, crop
            assert abs(crop["width"] - width) <= 2 and abs(crop["height"] - height) <= 2, (
                crop,
                width,
                height,
            )
            assert crop["red"] > 100, crop
            # the red outline's extent is the box, clipped where the box touches the page's edge
            clipped = [box[0], box[1], min(box[2], crop["width"] - 1), min(box[3], crop["height"] - 1)]
            assert all(abs(a - b) <= 3 for a, b in zip(crop["redBox"], clipped, strict=True)), (crop, clipped)
            assert max(crop["centre"]) < 90, crop  # the dark block drawn inside the box
            assert min(crop["corner"]) > 150 and max(crop["corner"]) - min(crop["corner"]) < 40, crop  # paper
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")

        # filters: options, then by document, by field, both, and back to all
        doc_options = page.locator("#filter-document option")
        assert doc_options.evaluate_all("os => os.map(o => o.value)") == ["", DOC_A, DOC_B]
        assert page.locator("#filter-field option").evaluate_all("os => os.map(o => o.value)") == [
            "",
            *FIELDS,
        ]

        page.select_option("#filter-document", DOC_B)
        assert opened.shown() == [(i.source, i.field) for i in items if i.source == DOC_B]
        assert opened.text("#count-shown") == "4"

        page.select_option("#filter-field", "budget")
        assert opened.shown() == [(DOC_B, "budget"), (DOC_B, "budget")]
        assert opened.text("#count-shown") == "2"

        page.select_option("#filter-document", "")
        assert opened.shown() == [(i.source, "budget") for i in items if i.field == "budget"]
        assert opened.text("#count-shown") == "3"

        page.select_option("#filter-field", "fiscal_year")
        assert opened.shown() == [(DOC_A, "fiscal_year"), (DOC_B, "fiscal_year")]
        assert opened.text("#count-shown") == "2"

        page.select_option("#filter-document", DOC_A)
        page.select_option("#filter-field", "")
        assert opened.shown() == [(DOC_A, f) for f in ("project_name", "fiscal_year", "budget")]
        assert opened.text("#count-shown") == "3"

        page.select_option("#filter-document", "")
        assert opened.shown() == [(i.source, i.field) for i in items]
        assert opened.text("#count-shown") == "7"
        assert page.locator("article.item[hidden]").count() == 0

        opened.quiet()
    finally:
        opened.close()


def test_the_policy_blocks_network_loads(browser: Browser, tmp_path: Path) -> None:
    """The Content-Security-Policy is in force: an image or a fetch to a server is refused, never sent."""
    report, _, _ = build(tmp_path, sample_items()[:2])
    opened = Opened(browser, report)
    failures: list[str | None] = []
    opened.page.on("requestfailed", lambda r: failures.append(r.failure))
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        base = f"http://127.0.0.1:{server.getsockname()[1]}"
        try:
            blocked = opened.page.evaluate(
                """async base => {
                  const seen = [];
                  document.addEventListener('securitypolicyviolation', e => seen.push(e.violatedDirective));
                  const img = new Image();
                  const done = new Promise(r => { img.onerror = r; img.onload = r; });
                  img.src = base + '/tracker.png';
                  document.body.append(img);
                  await done;
                  try { await fetch(base + '/beacon'); } catch (e) {}
                  await new Promise(r => setTimeout(r, 100));
                  return seen;
                }""",
                base,
            )
            assert "img-src" in blocked and "connect-src" in blocked
            with pytest.raises(BlockingIOError):  # nobody knocked
                server.accept()
            # the image did reach Playwright's "request" event, and failed there as blocked by the policy
            assert failures and all("csp" in (f or "").lower() for f in failures), failures
        finally:
            opened.close()


def test_truncated_report_shows_only_the_limit(browser: Browser, tmp_path: Path) -> None:
    items = sample_items()
    report, _, asked = build(tmp_path, items, limit=3)
    assert asked == [(i.sha256, i.page) for i in items[:3] if i.bbox]  # no crops cut for hidden items
    opened = Opened(browser, report)
    page = opened.page
    try:
        assert page.locator("#truncated").is_visible()
        notice = opened.text("#truncated")
        assert "3" in notice and "7" in notice
        assert page.locator("article.item").count() == 3
        assert opened.shown() == [(i.source, i.field) for i in items[:3]]
        assert (opened.text("#count-flagged"), opened.text("#count-shown")) == ("7", "3")
        fields = page.locator("#filter-field option").evaluate_all("os => os.map(o => o.value)")
        assert fields == ["", *sorted({i.field for i in items[:3]})]

        page.select_option("#filter-document", DOC_B)
        assert opened.shown() == [(i.source, i.field) for i in items[:3] if i.source == DOC_B]
        assert opened.text("#count-shown") == str(len(opened.shown()))
        assert all(c["width"] > 0 and c["red"] > 0 for c in opened.crops())
        opened.quiet()
    finally:
        opened.close()


@pytest.mark.e2e
def test_report_of_a_real_run(prefect_harness, browser: Browser, tmp_path: Path) -> None:
    from factory.build import make_sample
    from flows.inbox import process_inbox

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    # a photocopy: an office scan may leave no field to review (this one did under the calibration with
    # second readings)
    pdf = make_sample(inbox, "bma_project_form", 3, "photocopy")
    process_inbox(inbox, out, settle_seconds=0)
    report = out / "review" / "report.html"
    assert report.is_file()
    with (out / "review" / "review_queue.csv").open(encoding="utf-8-sig", newline="") as f:
        queue = list(csv.DictReader(f))

    opened = Opened(browser, report)
    page = opened.page
    try:
        articles = page.locator("article.item")
        assert articles.count() > 0
        assert articles.count() == len(queue) == int(opened.text("#count-flagged"))
        assert opened.text("#count-documents") == "1"
        assert {a.get_attribute("data-document") for a in articles.all()} == {pdf.name}
        confidence = [float(t.split()[-1]) for t in page.locator(".confidence").all_inner_texts()]
        assert confidence == sorted(confidence)

        crops = opened.crops()
        assert crops, "no item of the sample has a crop"
        margin = load_settings().review.crop_margin
        boxed = [row for row in queue if row["bbox"]]
        assert len(crops) == len(boxed)
        for crop, row in zip(crops, boxed, strict=True):
            assert crop["document"] == pdf.name and crop["field"] == row["field"]
            assert crop["width"] > 0 and crop["height"] > 0 and crop["red"] > 0, crop
            view = cv2.imread(str(out / ".state" / "views" / row["sha256"] / f"p{int(row['page']):05d}.jpg"))
            assert view is not None
            vh, vw = view.shape[:2]
            x0, y0, x1, y1 = map(float, row["bbox"].split())
            width = min(vw, (x1 + margin) * vw) - max(0.0, (x0 - margin) * vw)
            height = min(vh, (y1 + margin) * vh) - max(0.0, (y0 - margin) * vh)
            assert abs(crop["width"] - width) <= 3 and abs(crop["height"] - height) <= 3, (
                crop,
                width,
                height,
            )
        opened.quiet()
    finally:
        opened.close()
