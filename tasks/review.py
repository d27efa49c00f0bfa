"""Review: the fields a person should check, reading their decisions from a filled-in queue, and merging
the decisions (kept in review/reviews.jsonl) into the records on every run.

A decision is tied to one version of a file (its sha256), a project's position in it and a field name.
Re-running the same file keeps the decision; a changed file gets its new value with the old decision
shown beside it (`previous_review`), never silently overwritten.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from models.records import FIELD_PARSERS, PROJECT_STATUSES, DocumentRecord, ProjectRecord
from models.review import REVIEW_STATUSES, Review, ReviewItem, ReviewMark
from tasks.values import parse_date, parse_fiscal_year, parse_money, parse_percent, parse_project_code

QUEUE_COLUMNS = ["source", "sha256", "doc_type", "project_index", "project", "field", "value",
                 "ocr_text", "confidence", "page", "bbox", "reasons", "corrected_value", "status",
                 "reviewer"]  # fmt: skip


def project_label(project: ProjectRecord) -> str | None:
    """What a person calls the project: its code, else its name."""
    for name in ("project_code", "project_name"):
        if (fv := project.fields.get(name)) is not None and fv.value not in (None, ""):
            return str(fv.value)
    return None


def _mark(review: Review) -> ReviewMark:
    return ReviewMark(status=review.status, reviewer=review.reviewer, reviewed_at=review.reviewed_at,
                      extracted=review.extracted, value=review.value)  # fmt: skip


def apply_reviews(
    source: str, sha256: str, projects: list[ProjectRecord], reviews: list[Review]
) -> list[ProjectRecord]:
    """The document's projects with its reviewers' decisions merged in; unreviewed fields are untouched."""
    exact = {(r.project_index, r.field): r for r in reviews if r.sha256 == sha256}
    older = {(r.project, r.field): r for r in reviews if r.source == source and r.sha256 != sha256}
    merged = []
    for index, project in enumerate(projects):
        label = project_label(project)
        fields = dict(project.fields)
        for name, fv in project.fields.items():
            if (review := exact.get((index, name))) is not None:
                fields[name] = fv.model_copy(
                    update={
                        "value": review.value,
                        "confidence": 1.0,
                        "needs_review": False,
                        "review": _mark(review),
                    }
                )
            elif (review := older.get((label, name))) is not None:
                fields[name] = fv.model_copy(update={"previous_review": _mark(review)})
        merged.append(project.model_copy(update={"fields": fields}))
    return merged


def review_items(documents: Iterable[tuple[DocumentRecord, list[ProjectRecord]]]) -> list[ReviewItem]:
    """Every field flagged needs_review, least confident first (the order of the queue and the report)."""
    items = []
    for doc, projects in documents:
        for index, project in enumerate(projects):
            label = project_label(project)
            for name, fv in project.fields.items():
                if fv.needs_review:
                    items.append(ReviewItem(
                        source=doc.source, sha256=doc.sha256, doc_type=project.doc_type, project_index=index,
                        project=label, field=name, value=fv.value, text=fv.text, confidence=fv.confidence,
                        page=fv.page, bbox=fv.bbox, reasons=fv.reasons,
                    ))  # fmt: skip
    return sorted(items, key=lambda i: (i.confidence, i.source, i.project_index, i.field))


def cell(value: Any) -> str:
    """A value as the queue shows it, and as a reviewer's unchanged cell is compared back."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def queue_rows(items: list[ReviewItem]) -> list[list[object]]:
    return [
        [i.source, i.sha256, i.doc_type, i.project_index, i.project, i.field, cell(i.value), i.text,
         round(i.confidence, 4), i.page, " ".join(f"{x:.4f}" for x in i.bbox) if i.bbox else None,
         "; ".join(i.reasons), "", "", ""]
        for i in items
    ]  # fmt: skip


class RowError(NamedTuple):
    row: int  # 1-based line number in the CSV file, the header being line 1
    message: str


class QueueReading(NamedTuple):
    reviews: list[Review]
    errors: list[RowError]
    unreviewed: int  # rows left without a status


def coerce(field: str, text: str) -> Any:
    """A reviewer's corrected value typed like the pipeline's value for that field."""
    parser = FIELD_PARSERS.get(field, "text")
    if parser == "text":
        return text.strip()
    if parser == "status":
        if text.strip() not in PROJECT_STATUSES:
            raise ValueError(f"'{text}' is not a status: use one of {', '.join(PROJECT_STATUSES)}")
        return text.strip()
    parsed = {
        "money": parse_money, "percent": parse_percent, "date": parse_date,
        "fiscal_year": parse_fiscal_year, "project_code": parse_project_code,
    }[parser](text)  # fmt: skip
    if parsed.value is None:
        raise ValueError(f"'{text}' is not a {parser.replace('_', ' ')} ({'; '.join(parsed.reasons)})")
    return parsed.value


def _same_value(current: Any, shown: str) -> bool:
    if cell(current) == shown.strip():
        return True
    try:  # a spreadsheet may have rewritten 1500 as 1500.0 or 1,500
        return isinstance(current, int | float) and float(shown.replace(",", "")) == float(current)
    except ValueError:
        return False


def read_queue(
    text: str,
    current: dict[tuple[str, int, str], tuple[str, ProjectRecord]],
    reviewer: str,
    now: datetime | None = None,
) -> QueueReading:
    """Reviews from a filled-in queue. `current` maps (sha256, project_index, field) to the source and the
    project as the records hold it now; a row that matches no current field, or whose value changed since
    the queue was written, is refused with the reason and its line number."""
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("sha256", "project_index", "field", "value", "corrected_value", "status")
               if c not in (reader.fieldnames or [])]  # fmt: skip
    if missing:
        return QueueReading([], [RowError(1, f"not a review queue: no column {', '.join(missing)}")], 0)
    reviews: list[Review] = []
    errors: list[RowError] = []
    unreviewed = 0
    for line, row in enumerate(reader, start=2):
        status = (row.get("status") or "").strip().lower()
        if not status:
            unreviewed += 1
            continue
        where = f"{row.get('source') or '?'}, field {row.get('field') or '?'}"
        if status not in REVIEW_STATUSES:
            errors.append(
                RowError(line, f"{where}: status '{status}' is not one of {', '.join(REVIEW_STATUSES)}")
            )
            continue
        try:
            key = (row["sha256"].strip(), int(row["project_index"]), row["field"].strip())
        except ValueError:
            errors.append(RowError(line, f"{where}: project_index '{row['project_index']}' is not a number"))
            continue
        if key not in current:
            errors.append(RowError(line, f"{where}: no such field in the current records"))
            continue
        source, project = current[key]
        fv = project.fields[key[2]]
        extracted = fv.review.extracted if fv.review else fv.value  # the same queue applied twice is fine
        if not _same_value(extracted, row["value"] or ""):
            now_reads = f"the records now read '{cell(extracted)}', not '{row['value']}'"
            errors.append(RowError(line, f"{where}: {now_reads}; review it from a fresh queue"))
            continue
        corrected = (row.get("corrected_value") or "").strip()
        if status == "correct":
            if not corrected:
                errors.append(RowError(line, f"{where}: status 'correct' needs a corrected_value"))
                continue
            try:
                value = coerce(key[2], corrected)
            except ValueError as exc:
                errors.append(RowError(line, f"{where}: {exc}"))
                continue
        else:
            value = extracted if status == "accept" else None
        reviews.append(Review(
            source=source, sha256=key[0], project_index=key[1], project=project_label(project), field=key[2],
            extracted=extracted, status=status, value=value,  # type: ignore[arg-type]  # checked above
            reviewer=(row.get("reviewer") or "").strip() or reviewer, reviewed_at=stamp,
        ))  # fmt: skip
    return QueueReading(reviews, errors, unreviewed)


def merge_reviews(old: list[Review], new: list[Review]) -> list[Review]:
    """A newer decision on the same field of the same file replaces the older one; the rest is kept."""
    merged = {(r.sha256, r.project_index, r.field): r for r in old}
    merged.update({(r.sha256, r.project_index, r.field): r for r in new})
    return list(merged.values())
