"""The review queue as Label Studio tasks, for teams that review in Label Studio rather than the CSV.

One task per page view; each flagged field is one pre-annotated region (a box on the page, the field's name,
and the value read as editable text), so the reviewer sees where the value came from and corrects it in place.
Files are written under `OUTPUT/review/label_studio/`: `images/` (copies of the page views), `tasks.json`
(import it into a project) and `config.xml` (paste it as the project's labeling config).
"""

from __future__ import annotations

import hashlib
import json
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from models.records import PROJECT_FIELDS
from models.review import ReviewItem
from tasks.emit import write_atomic
from tasks.review import cell
from tasks.store import view_path

log = logging.getLogger(__name__)

EXPORT_DIR = Path("review") / "label_studio"
MODEL_VERSION = "reportocr"
# Names of the labeling config's tags; the predictions' from_name / to_name refer to them.
IMAGE = "image"
BBOX = "bbox"
FIELD = "field"
TRANSCRIPTION = "transcription"


@dataclass
class _PageTask:
    """The flagged fields of one page of one file, and the view image they are drawn on."""

    source: str
    sha256: str
    page: int
    view: Path
    size: tuple[int, int]
    regions: list[tuple[ReviewItem, dict[str, float]]] = field(default_factory=list)  # item, its box

    @property
    def items(self) -> list[ReviewItem]:
        return [item for item, _ in self.regions]

    @property
    def image_name(self) -> str:
        return f"{self.sha256[:16]}-p{self.page:05d}.jpg"


def label_config(field_names: list[str]) -> str:
    """Label Studio's OCR template: the page, a box per region, its field name and its editable text."""
    view = ET.Element("View")
    ET.SubElement(view, "Header", value="Check each box: correct the text where the page says otherwise")
    ET.SubElement(view, "Image", name=IMAGE, value=f"${IMAGE}", zoom="true", zoomControl="true")
    labels = ET.SubElement(view, "Labels", name=FIELD, toName=IMAGE)
    for name in field_names:
        ET.SubElement(labels, "Label", value=name)
    ET.SubElement(view, "Rectangle", name=BBOX, toName=IMAGE, strokeWidth="2")
    ET.SubElement(view, "TextArea", name=TRANSCRIPTION, toName=IMAGE, editable="true", perRegion="true",
                  maxSubmissions="1", rows="2", placeholder="The value as printed (empty: not on the page)",
                  displayMode="region-list")  # fmt: skip
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def _box(bbox: list[float] | None) -> dict[str, float] | None:
    """[x0, y0, x1, y1] as fractions of the page -> Label Studio's x, y, width, height in percent."""
    if bbox is None or len(bbox) != 4:
        return None
    x0, y0, x1, y1 = (min(max(float(v), 0.0), 1.0) * 100 for v in bbox)
    if x1 <= x0 or y1 <= y0:
        return None
    return {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0, "rotation": 0}


def _image_size(path: Path) -> tuple[int, int] | None:
    try:
        with Image.open(path) as im:
            return im.size
    except (OSError, UnidentifiedImageError):
        return None


def _region_id(item: ReviewItem) -> str:
    """Stable across exports (so re-imports line up) and unique within a page's task."""
    return hashlib.sha1(f"{item.project_index}:{item.field}".encode()).hexdigest()[:10]


def _region(item: ReviewItem, box: dict[str, float], size: tuple[int, int]) -> list[dict[str, Any]]:
    """The rectangle, field label and text results of one field, joined into one region by their id."""
    common = {"id": _region_id(item), "to_name": IMAGE, "original_width": size[0], "original_height": size[1],
              "image_rotation": 0, "score": item.confidence}  # fmt: skip
    return [
        {**common, "from_name": BBOX, "type": "rectangle", "value": dict(box)},
        {**common, "from_name": FIELD, "type": "labels", "value": {**box, "labels": [item.field]}},
        {
            **common,
            "from_name": TRANSCRIPTION,
            "type": "textarea",
            "value": {**box, "text": [cell(item.value)]},
        },
    ]


def _field_summary(item: ReviewItem) -> dict[str, Any]:
    """What the reviewer needs to know about a field besides its box: what was read, how sure, and why."""
    return {
        "field": item.field,
        "project": item.project,
        "project_index": item.project_index,
        "value": item.value,
        "text": item.text,
        "confidence": item.confidence,
        "reasons": item.reasons,
    }


def _task(page: _PageTask, image_url_prefix: str) -> dict[str, Any]:
    """One Label Studio task; its prediction's score is its least confident field, so sorting finds it."""
    image = image_url_prefix + (EXPORT_DIR / "images" / page.image_name).as_posix()
    data = {
        IMAGE: image,
        "source": page.source,
        "sha256": page.sha256,
        "page": page.page,
        "doc_type": page.items[0].doc_type,
        "fields": [_field_summary(i) for i in page.items],
    }
    result = [r for item, box in page.regions for r in _region(item, box, page.size)]
    score = min(i.confidence for i in page.items)
    return {"data": data, "predictions": [{"model_version": MODEL_VERSION, "score": score, "result": result}]}


def _group_pages(output_dir: Path, items: list[ReviewItem]) -> tuple[list[_PageTask], int]:
    """Items grouped by the page they sit on; those that cannot be drawn are counted, not exported."""
    pages: dict[tuple[str, str, int], _PageTask] = {}
    sizes: dict[Path, tuple[int, int] | None] = {}
    skipped = 0
    for item in items:
        box = _box(item.bbox)
        if item.page is None or box is None:
            skipped += 1
            continue
        view = view_path(output_dir, item.sha256, item.page)
        if view not in sizes:
            sizes[view] = _image_size(view) if view.is_file() else None
        size = sizes[view]
        if size is None:
            skipped += 1
            continue
        key = (item.source, item.sha256, item.page)
        if key not in pages:
            pages[key] = _PageTask(item.source, item.sha256, item.page, view, size)
        pages[key].regions.append((item, box))
    return sorted(pages.values(), key=lambda p: (p.source, p.page)), skipped


def _copy_images(images_dir: Path, pages: list[_PageTask]) -> None:
    """Copy each page view once; a copy that is already identical is left alone."""
    for page in pages:
        dest, data = images_dir / page.image_name, page.view.read_bytes()
        if not (dest.is_file() and dest.read_bytes() == data):
            write_atomic(dest, data)


def _drop_stale_images(images_dir: Path, pages: list[_PageTask]) -> None:
    """Copies no task uses any more (fields reviewed since), removed once the new tasks.json is in place."""
    wanted = {page.image_name for page in pages}
    for stale in images_dir.glob("*.jpg"):
        if stale.name not in wanted:
            stale.unlink(missing_ok=True)


def export_label_studio(
    output_dir: Path, items: list[ReviewItem], image_url_prefix: str = "/data/local-files/?d="
) -> Path:
    """Write the review queue as Label Studio tasks under `OUTPUT/review/label_studio/`; returns tasks.json.

    Each task's image is `image_url_prefix` + `review/label_studio/images/<file>`, a path relative to the
    output folder. The default prefix is Label Studio's local-files serving: start Label Studio with
    LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true and LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT set to the output
    folder, and add a Local Storage to the project for `<output>/review/label_studio/images` (without syncing:
    the tasks come from tasks.json). Another server of the output folder needs its own URL prefix.
    Items without a page or usable bbox, or whose page view is missing, are skipped and logged.
    """
    base = output_dir / EXPORT_DIR
    pages, skipped = _group_pages(output_dir, items)
    if skipped:
        log.warning("Label Studio export: %d of %d flagged fields skipped (no page, box or page view)",
                    skipped, len(items))  # fmt: skip
    names = list(PROJECT_FIELDS) + sorted({i.field for i in items} - set(PROJECT_FIELDS))
    tasks = [_task(page, image_url_prefix) for page in pages]
    _copy_images(base / "images", pages)
    write_atomic(base / "config.xml", label_config(names))
    path = base / "tasks.json"
    write_atomic(path, json.dumps(tasks, ensure_ascii=False, indent=1, default=str) + "\n")
    _drop_stale_images(base / "images", pages)
    return path
