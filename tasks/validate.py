"""Validate: cross-checks from config/rules.yaml, each lowering the confidence of what it implicates.

A rule names its `check` (a function below), its parameters and a `penalty` (confidence multiplier);
every field or progress row it implicates gets "<rule name>: <detail>" in its reasons, and whatever
falls below `review_threshold` needs review. A confirmation is a check that held over values read
independently (the rows of a table add up to its printed total): the fields it names keep `factor` of
their doubt, unless a failed rule implicates them. Checks that implicate no field (a counts table whose
total row is off) become document issues.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from rapidfuzz.distance import Levenshtein

from models.extract import ExtractionResult, Issue, TableTotal, Template
from models.records import FieldValue, ProgressRecord, ProjectRecord
from tasks.thai_text import (
    broken_pieces,
    domain_words,
    garbled_reading,
    name_words,
    near_staff_name,
    tokenize,
    tone_slips,
    vocabulary_pattern,
)
from tasks.values import DASH_ZERO, fiscal_year_range, fold_digits

Target = FieldValue | ProgressRecord
Hit = tuple[Target, str]


@cache
def load_rules() -> dict[str, Any]:
    return yaml.safe_load(files("config").joinpath("rules.yaml").read_text(encoding="utf-8"))


@cache
def load_calibration() -> dict[str, Any]:
    """config/confidence.yaml: the fitted raw-score -> probability mappings and the review threshold
    (empty when absent: raw scores are reported as they are, against rules.yaml's threshold)."""
    path = files("config").joinpath("confidence.yaml")
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def field_group(name: str, calibration: dict[str, Any], fv: FieldValue | None = None) -> str:
    """Which calibration curve a field follows: free text and numbers fail differently under OCR; in a
    `listed` group a value its field's vocabulary lists (an office of the gazetteer, a person's known
    names as read) far less often, and in a `corroborated` group a value another line of the document
    reads alike; in a `reread` group a value found again when its line was read a second time
    (tasks.reread), and one read a second time and not found there; in a `reread_confirmed` group a value
    found again whose OCR corrections the second reading holds uncorrected; in a `listed_reread` group a
    value read a second time that its list holds."""
    group = next((g for g, names in calibration.get("groups", {}).items() if name in names), "other")
    if fv is not None and group in calibration.get("reread", []):
        if (
            group in calibration.get("listed_reread", [])
            and SECOND_READING_REASONS & set(fv.reasons)
            and any(map(_LISTED.match, fv.reasons))
            and not any(map(_CONFLICT.match, fv.reasons))
        ):
            # read a second time, found again or not, yet every word a known one as read or fitted to the
            # list, and no other place reading it otherwise: the list vouches where the score doubted
            return f"{group} {LISTED_REREAD}"
        if REREAD_REASON in fv.reasons:
            # no other doubt at all, not even a space between Thai letters: the reading is as sure as OCR gets
            plain = fv.reasons == [REREAD_REASON] and not THAI_SPACE.search(str(fv.value))
            if plain and group in calibration.get("reread_plain", []):
                return f"{group} reread plain"
            if CONFIRMED_REREAD_REASON in fv.reasons and group in calibration.get("reread_confirmed", []):
                return f"{group} reread confirmed"
            return f"{group} reread"
        if REREAD_MISSED_REASON in fv.reasons:
            return f"{group} not found again"
    if (
        fv is not None
        and group in calibration.get("listed", [])
        and any(map(_LISTED.match, fv.reasons))
        and not any(map(_FITTED.search, fv.reasons))
    ):
        return f"{group} listed"
    if fv is not None and group in calibration.get("corroborated", []) and any(map(_ALIKE.match, fv.reasons)):
        return f"{group} corroborated"
    return group


_LISTED = re.compile(r"a value of the (\w+ vocabulary|known names)")  # tasks.extract._trust_known's reason
# a name made to fit the list (tasks.extract._known, tasks.values.parse_person_name): the list vouches
# for the names it holds as read, not for a misread it chose among them
_FITTED = re.compile(r"read as the known name|known given name|read as two known names")
_ALIKE = re.compile(r"read alike on \d+ other line")  # tasks.extract._corroborated's reason
_CONFLICT = re.compile(r"conflicting_readings:")  # config/rules.yaml: another place reads the field otherwise
REREAD_REASON = "read alike a second time, from its line alone"  # given by tasks.reread
# a space between two Thai letters: OCR puts and drops these by a gap's width (tasks.extract mends them)
THAI_SPACE = re.compile(r"(?<=[\u0e01-\u0e4e]) (?=[\u0e01-\u0e4e])")
REREAD_MISSED_REASON = "not found when its line was read a second time"  # given by tasks.reread
CORRECTIONS_REASON = "OCR correction(s) in the value"  # tasks.extract: "2 OCR correction(s) in the value"
# tasks.reread: the second reading holds the value, corrections and all, before any correction of its own
CONFIRMED_REREAD_REASON = "its corrected letters read so a second time, uncorrected"
SECOND_READING_REASONS = {REREAD_REASON, REREAD_MISSED_REASON, CONFIRMED_REREAD_REASON}
MENDED_REASON = "not read as printed"  # tasks.extract._mended: a digit changed to make a sum add up
LISTED_REREAD = "listed reread"  # the curve of a value read a second time that its list holds
# an Arabic-digit number the Latin model reads with other digits where OCR often misreads one (tasks.reread)
LATIN_DIGITS_REASON = "read by the Latin model as"


def calibrate(raw: float, mapping: dict[str, list[float]] | None) -> float:
    """Piecewise-linear, non-decreasing map of a raw score through the knots `raw` -> `probability`."""
    if not mapping:
        return raw
    xs, ys = mapping["raw"], mapping["probability"]
    if raw <= xs[0]:
        return ys[0]
    for (x0, y0), (x1, y1) in zip(zip(xs, ys, strict=True), zip(xs[1:], ys[1:], strict=True), strict=False):
        if raw <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (raw - x0) / (x1 - x0)
    return ys[-1]


def _num(project: ProjectRecord, name: str) -> float | None:
    fv = project.fields.get(name)
    if fv is None or isinstance(fv.value, bool) or not isinstance(fv.value, int | float):
        return None
    return float(fv.value)


def _fields(project: ProjectRecord, names: list[str]) -> Iterator[FieldValue]:
    return (project.fields[n] for n in names if n in project.fields)


def _texts(result: ExtractionResult, names: list[str]) -> Iterator[tuple[FieldValue, str]]:
    """Every project's fields of `names` that hold text, with it."""
    for p in result.projects:
        yield from ((fv, fv.value) for fv in _fields(p, names) if isinstance(fv.value, str))


def same(a: Any, b: Any) -> bool:
    """Two readings agree: numbers less than one apart (a table may round the satang away, but a baht
    apart is a digit slip: "๑๐๑,๙๐๑" read for ๑๐๑,๙๐๐), texts equal once spaces go or one holds the
    other (a table abbreviates a name to its first word)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1.0
    x, y = (re.sub(r"\s+", "", fold_digits(str(v))) for v in (a, b))
    return x == y or (bool(x) and bool(y) and (x in y or y in x))


def spent_le_allocated(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    for p in result.projects:
        spent, allocated = _num(p, "budget_spent"), _num(p, "budget_allocated")
        if spent is not None and allocated is not None and spent > allocated + rule["tolerance"]:
            for fv in _fields(p, rule["fields"]):
                yield fv, f"spent {spent:,.2f} > allocated {allocated:,.2f}"


def remaining_balance(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    for p in result.projects:
        a, s, r = (_num(p, n) for n in ("budget_allocated", "budget_spent", "budget_remaining"))
        if None not in (a, s, r) and abs(a - s - r) > rule["tolerance"]:  # type: ignore[operator]
            for fv in _fields(p, rule["fields"]):
                yield fv, f"allocated {a:,.2f} - spent {s:,.2f} != remaining {r:,.2f}"


def balance_unchecked(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A record that prints allocated, spent and remaining but gave only two of them: the two cannot be
    checked against each other, and a misread digit in either goes unseen."""
    for p in result.projects:
        if not all(name in p.fields for name in rule["fields"]):
            continue  # the record does not print all three (a project only listed)
        missing = [name for name in rule["fields"] if p.fields[name].value is None]
        if len(missing) == 1:
            for name in rule["fields"]:
                if name not in missing:
                    yield p.fields[name], f"allocated - spent = remaining unchecked: {missing[0]} not found"


def table_totals(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    for total in result.totals:
        summed = sum(total.rows)
        if abs(summed - total.stated) <= rule["tolerance"]:
            continue
        detail = f"{total.table} '{total.column}' total {total.stated:,.2f} != rows {summed:,.2f}"
        result.issues.append(Issue(rule=rule["name"], message=detail, page=total.page))
        yield from ((fv, detail) for fv in _doubted_cells(result, total, rule["tolerance"]))


def _doubted_cells(result: ExtractionResult, total: TableTotal, tolerance: float) -> list[FieldValue]:
    """The fields a total that does not add up puts in doubt, of those the table gave (`cells`). When
    each row is a project's field: none if the fields add up with no digit mended (they took another
    reading of the misread cell), else the cells a single misread glyph would explain (the gap made up by
    changing one digit), none if only the total's own glyph would or the total is below two of them;
    otherwise the cells that read unlike the column (`_odd_cell`), else every cell."""
    cells = [
        fv
        for p, readings in zip(result.projects, result.readings, strict=True)
        for name, fv in p.fields.items()
        # the column's own field, when the template says which it is
        if total.field in (None, name)
        # a printed amount read as a lone dash: none of 111 such cells (14 factory sets)
        and DASH_ZERO not in fv.reasons
        and readings.get(name)
        and readings[name][0].origin == f"table:{total.table}"
    ]
    column = _column(result, total)
    fvs, amounts = [fv for fv, _ in column], [a for _, a in column if a is not None]
    if total.field is None or not len(amounts) == len(fvs) == len(total.rows):
        return cells
    if sum(a > total.stated + tolerance for a in amounts) >= 2:
        return []  # a total below two of its rows is itself misread ("505" for 5,057,700): it doubts none
    gap = total.stated - sum(amounts)
    if abs(gap) <= tolerance:
        # the fields took another reading of a misread cell; but a digit mended to make them add up
        # (tasks.extract._balance_totals) may be the wrong cell's partner, and the total vouches for neither
        return cells if any(r.startswith(MENDED_REASON) for fv in fvs for r in fv.reasons) else []
    given = {id(fv) for fv in cells}
    suspects = [fv for fv, a in zip(fvs, amounts, strict=True) if id(fv) in given and digit_slip(a + gap, a)]
    if suspects:
        return suspects
    if digit_slip(sum(amounts), total.stated):
        return []
    odd = {i: kind for i, fv in enumerate(fvs) if id(fv) in given and (kind := _odd_cell(fv, i, amounts))}
    if not odd:
        return cells
    if "unreadable" not in odd.values():
        # cells off whole hundreds explain the gap only if rounding them closes it (5101 photocopy: 408,606
        # and 558,808 beside a clean 107,800 printed 107,100)
        rounded = [round(a, -2) if i in odd else a for i, a in enumerate(amounts)]
        if abs(total.stated - sum(rounded)) > tolerance:
            return cells
    return [fvs[i] for i in odd]


_CLEAN_AMOUNT = re.compile(r"[\d๐-๙][\d๐-๙,.]*(?:\s*บาท)?")


def _odd_cell(fv: FieldValue, i: int, column: list[float]) -> str | None:
    """How the column's `i`th cell reads unlike the others: "unreadable" (letters or specks among its
    digits, or an amount a hundredth of their middle one: any amount may have been printed there) or "off
    hundreds" (not in whole hundreds where they are); None when it reads like them."""
    amount = column[i]
    others = sorted(column[:i] + column[i + 1 :])
    middle = others[len(others) // 2] if others else 0.0
    if not _CLEAN_AMOUNT.fullmatch((fv.text or "").strip()) or 0 < amount < middle / 100:
        return "unreadable"
    hundreds = bool(others) and sum(a % 100 == 0 for a in others) >= 0.75 * len(others)
    return "off hundreds" if hundreds and amount % 100 != 0 else None


def _column(result: ExtractionResult, total: TableTotal) -> list[tuple[FieldValue, float | None]]:
    """The fields of the total's column, one per project the table gave a reading of it, with amounts."""
    name = total.field
    if name is None:
        return []
    return [
        (p.fields[name], _num(p, name))
        for p, readings in zip(result.projects, result.readings, strict=True)
        if name in p.fields and any(r.origin == f"table:{total.table}" for r in readings.get(name, []))
    ]


def digit_slip(value: float, read: float) -> tuple[str, str] | None:
    """How `read` is `value` with one digit misread: (printed, read) digits of a substitution, ("", "")
    for a digit added or dropped ("111,300" for 3,111,300); None when they are not one slip apart."""
    a, b = (f"{v:.2f}".replace(".", "") for v in (value, read))
    if value < 0 or Levenshtein.distance(a, b) != 1:
        return None
    if len(a) != len(b):
        return "", ""
    return next((x, y) for x, y in zip(a, b, strict=True) if x != y)


def _template(result: ExtractionResult) -> Template | None:
    """The template of the result's family (None for an unknown document)."""
    from tasks.detect import load_templates  # here: tasks.detect imports this module

    return load_templates().get(result.doc_type or "")


def _stated_total(result: ExtractionResult) -> int | None:
    """How many projects the document says it holds: its count of all projects, else (that line misread,
    held-out 6801's fax "จำนวน \" โครงการ") the sum of its counts of each status of its family, when every
    one is stated and printed alike wherever it is printed."""
    in_all = {s.count for s in result.counts if s.status is None}
    if in_all:
        return in_all.pop() if len(in_all) == 1 else None
    by_status: dict[str | None, set[int]] = {}
    for stated in result.counts:
        by_status.setdefault(stated.status, set()).add(stated.count)
    template = _template(result)
    if (
        template is None
        or by_status.keys() != set(template.statuses)
        or any(len(c) > 1 for c in by_status.values())
    ):
        return None
    return sum(c for counts in by_status.values() for c in counts)


def stated_counts(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    total = _stated_total(result)
    # projects beyond the stated total, of those read under a status (one read with none is in no count)
    read = [p for p in result.projects if p.fields.get("status") and p.fields["status"].value is not None]
    extra = len(read) - total if total is not None else None
    # a count printed twice alike (a summary's line and its section's heading) is one statement
    for stated in {(s.status, s.count): s for s in result.counts}.values():
        mine = [
            p
            for p in result.projects
            if stated.status is None or (p.fields.get("status") and p.fields["status"].value == stated.status)
        ]
        if len(mine) == stated.count:
            continue
        detail = f"text says {stated.count} {stated.status or 'projects'}, found {len(mine)}"
        result.issues.append(Issue(rule=rule["name"], message=detail, page=stated.page))
        if stated.status is None or len(mine) < stated.count or len(mine) - stated.count == extra:
            # a project missed or extra: a document issue; no found project's status is doubtful. Fewer
            # found than stated: one is missing or read under another status, whose count says which. As
            # many more as the document holds beyond its stated total: a project read twice (its table row
            # and its section unpaired), not a status misread
            continue
        for p in mine:
            yield from ((fv, detail) for fv in _fields(p, rule["fields"]))


def percent_range(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    lo, hi = rule["min"], rule["max"]
    for p in result.projects:
        v = _num(p, "progress_percent")
        if v is not None and not lo <= v <= hi:
            yield p.fields["progress_percent"], f"{v:g} % outside {lo}-{hi}"
    for row in result.progress:
        if row.progress_percent is not None and not lo <= row.progress_percent <= hi:
            yield row, f"{row.progress_percent:g} % outside {lo}-{hi}"


def progress_monotonic(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    by_project: dict[tuple[Any, Any], list[ProgressRecord]] = {}
    for row in result.progress:
        # a misread percent outside 0-100 ("50100 %": percent_out_of_range's) sets no peak to fall from
        if row.report_date and row.progress_percent is not None and 0 <= row.progress_percent <= 100:
            by_project.setdefault((row.project_code, row.project_name), []).append(row)
    for (code, name), rows in by_project.items():
        peak = None
        ordered = sorted(rows, key=lambda r: (r.report_date, r.seq))
        for row in ordered:
            if (
                peak is not None
                and row.progress_percent < peak
                and not re.search(  # type: ignore[operator]
                    rule["unless_note"], row.note or ""
                )
            ):
                detail = f"{row.progress_percent:g} % after {peak:g} %"
                yield row, detail
                if row is ordered[-1]:  # the project's latest progress is this row's: as doubtful
                    for p in result.projects:
                        fv = p.fields.get("progress_percent")
                        if fv is not None and fv.value == row.progress_percent and _named(p, code, name):
                            yield fv, detail
            peak = max(peak or 0.0, row.progress_percent)  # type: ignore[arg-type]


def _named(project: ProjectRecord, code: Any, name: Any) -> bool:
    """The project a progress row names (by code and name, as the extractor wrote them into the row)."""
    return all(
        (fv.value if (fv := project.fields.get(field)) else None) == value
        for field, value in (("project_code", code), ("project_name", name))
    )


def dates_in_fiscal_year(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    slack = timedelta(days=rule["slack_days"])

    def outside(iso: Any, fy: int) -> bool:
        start, end = fiscal_year_range(fy)
        return isinstance(iso, str) and not start - slack <= date.fromisoformat(iso) <= end + slack

    for p in result.projects:
        fy = p.fields.get("fiscal_year")
        if fy is None or not isinstance(fy.value, int):
            continue
        name = (p.fields.get("project_name") or FieldValue()).value
        dated: list[Target] = [fv for fv in _fields(p, rule["fields"]) if isinstance(fv.value, str)]
        if rule.get("report_dates"):
            dated += [row for row in result.progress if row.project_name == name and row.report_date]
        away = [(x, _when(x)) for x in dated if outside(_when(x), fy.value)]
        for x, when in away:
            yield x, f"{when} is outside fiscal year {fy.value}"
        # every date elsewhere (a bma page's reports of 2567 under a year read 2557): the year is as doubtful
        if len(away) >= 2 and len(away) == len(dated):
            yield fy, f"{', '.join(when for _, when in away)} all outside fiscal year {fy.value}"


def fiscal_bound_slip(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A start (end) date a digit of its month or day away from its fiscal year's first (last) day: the
    forms print the year's bounds (seeds 000 and 001), and OCR reads a 1 for a 4 ("2023-10-04")."""
    for p in result.projects:
        fy = p.fields.get("fiscal_year")
        if fy is None or not isinstance(fy.value, int):
            continue
        bounds = zip(("first", "last"), fiscal_year_range(fy.value), strict=True)
        for name, (which, bound) in zip(rule["fields"], bounds, strict=True):
            fv, iso = p.fields.get(name), bound.isoformat()
            if fv is not None and _digit_apart(fv.value, iso):
                yield fv, f"{fv.value} is a digit from {iso}, the {which} day of fiscal year {fy.value}"


def _digit_apart(value: Any, iso: str) -> bool:
    """An ISO date one digit of its month or day away from `iso`."""
    if not isinstance(value, str) or len(value) != len(iso) or value[:5] != iso[:5]:
        return False
    return sum(a != b for a, b in zip(value, iso, strict=True)) == 1


def _when(dated: Target) -> str:
    return str(dated.value if isinstance(dated, FieldValue) else dated.report_date)


def fiscal_year_plausible(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    latest = date.today().year + 543 + rule["years_ahead"]  # no report is of a year far ahead of today
    for p in result.projects:
        fy = p.fields.get("fiscal_year")
        if fy is not None and isinstance(fy.value, int) and not rule["earliest"] <= fy.value <= latest:
            yield fy, f"fiscal year {fy.value} outside {rule['earliest']}-{latest}"


def code_format(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    for p in result.projects:
        fv = p.fields.get("project_code")
        if fv is not None and fv.value is not None and not re.fullmatch(rule["pattern"], str(fv.value)):
            yield fv, f"{fv.value!r} does not look like a project code"


def bracket_matches(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A value that prints another field's value in brackets ("อบรมครู (สำนักงานเขตบางรัก)" beside the agency
    สำนักงานเขตบางรัก): when the other reads as a value of the `known` vocabulary, a bracket that reads
    otherwise is misread."""
    for p in result.projects:
        other = p.fields.get(rule["against"])
        if other is None or other.value not in domain_words(rule["known"]):
            continue
        for fv in _fields(p, rule["fields"]):
            m = re.search(rule["pattern"], str(fv.value or ""))
            if m and not same(m.group(1), other.value):
                yield fv, f"its bracket reads {m.group(1)!r}, the {rule['against']} {other.value!r}"


def listed_values(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A field whose template takes its values from one of the closed `vocabularies` (every office of the
    gazetteer), read as none of them: misread, even when a second reading agrees (the same correction made
    both readings "...บึงภาพ เขต ๒" for บึงกาฬ)."""
    template = _template(result)
    if template is None:
        return
    for name, spec in template.fields.items():
        if spec.vocabulary not in rule["vocabularies"]:
            continue
        listed = vocabulary_pattern(spec.vocabulary, spec.known_suffix or "")
        for p in result.projects:
            fv = p.fields.get(name)
            if fv is not None and isinstance(fv.value, str) and fv.value and not listed.fullmatch(fv.value):
                yield fv, f"no {spec.vocabulary} of its list reads {fv.value!r}"


def common_date(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A date most of a report's projects print alike (at least `min_alike`, a majority of those read): one
    that differs from it by a digit of the day ("21 มีนาคม 2568", "3 มีนาคม" among 31 มีนาคม) is it misread."""
    for name in rule["fields"]:
        read = [
            fv
            for p in result.projects
            if (fv := p.fields.get(name)) is not None and isinstance(fv.value, str) and _read(fv)
        ]
        counts = Counter(str(fv.value) for fv in read)
        if not counts:
            continue
        common, alike = counts.most_common(1)[0]
        if alike < rule["min_alike"] or 2 * alike <= len(read):
            continue
        for fv in read:
            if _day_slip(str(fv.value), common):
                yield fv, f"{fv.value} where {alike} of the report's {len(read)} projects give {common}"


def _day_slip(iso: str, common: str) -> bool:
    """Two ISO dates of one month whose days are one digit slip apart (changed, dropped or added)."""
    return iso[:8] == common[:8] and digit_slip(float(common[8:]), float(iso[8:])) is not None


_MIXED_DIGITS = re.compile(r"[0-9][๐-๙]|[๐-๙][0-9]")


def mixed_digits(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    for fv, text in _texts(result, rule["fields"]):
        if m := _MIXED_DIGITS.search(text):
            yield fv, f"Arabic and Thai digits side by side ({m.group(0)!r})"


def trailing_number(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A text that ends in a number after a space, where no numbering word or year precedes it (`unless`):
    a speck or a misread acronym read as digits ("...ในสังกัด 1", "...กระบวนการ 060" for PLC)."""
    for fv, text in _texts(result, rule["fields"]):
        if (m := re.search(rule["pattern"], text)) and not re.search(rule["unless"], text):
            yield fv, f"ends in {m.group(0).strip()!r} after a space"


def unbalanced_brackets(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A text that opens a bracket it never closes or closes one it never opened: a bracket OCR lost or a
    speck read as one, or a value cut short inside its bracket."""
    for fv, text in _texts(result, rule["fields"]):
        depth = 0
        for ch in text:
            depth += (ch == "(") - (ch == ")")
            if depth < 0:  # closes one not opened
                break
        if depth:
            yield fv, f"brackets do not pair ({text.count('(')} opened, {text.count(')')} closed)"


def broken_words(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A text whose Thai falls into short rare pieces the word list holds one by one: a garbled word
    (tasks.thai_text.broken_pieces), which the unknown-word count does not see."""
    for fv, text in _texts(result, rule["fields"]):
        if pieces := broken_pieces(text, rule["longest"], rule["rare_below"]):
            yield fv, f"reads as broken pieces {' '.join(pieces)!r}"


def tone_slip(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A text with a word one tone mark from a far commoner word (tasks.thai_text.tone_slips): a mark OCR
    missed, misread or added, which leaves a listed word."""
    for fv, text in _texts(result, rule["fields"]):
        if slips := tone_slips(text, rule["ratio"], rule["least"]):
            yield fv, "reads " + ", ".join(f"{w!r} one tone mark from the commoner {c!r}" for w, c in slips)


def dangling_word(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A text whose last word is one that needs words after it ("...งานสารบรรณโดย"): a name whose wrapped
    rest OCR or the table lost."""
    for fv, text in _texts(result, rule["fields"]):
        words = [t.text for t in tokenize(text.rstrip(" .,:;-")) if t.text.strip()]
        if words and words[-1] in rule["words"]:
            yield fv, f"ends in {words[-1]!r}, a word that needs words after it"


def staff_name_near(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    """A person's name with a known name one cheap OCR confusion from a staff name the domain dictionary
    lists (tasks.thai_text.near_staff_name): either may be what was printed."""
    for fv, text in _texts(result, rule["fields"]):
        near = [(w, staff) for w in name_words(text) if (staff := near_staff_name(w))]
        if near:
            yield fv, ", ".join(f"{w!r} one OCR confusion from the staff name {s!r}" for w, s in near)


def readings_agree(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    for p, readings in zip(result.projects, result.readings, strict=True):
        for name, found in readings.items():
            first = found[0].value
            for other in found[1:]:
                if name in rule.get("words", ()) and _misread_of_chosen(
                    p.fields[name].value, first.value, other.value.value, rule.get("common_from", 0)
                ):
                    continue
                if not same(first.value, other.value.value):
                    where = f"page {other.value.page}" if other.value.page else other.origin
                    yield p.fields[name], f"read {first.value!r} here but {other.value.value!r} on {where}"
                    break
    for row, alternates in zip(result.progress, result.progress_alternates, strict=True):
        for name, value in alternates.items():
            if value is not None and not same(getattr(row, name), value):
                yield row, f"{name} {getattr(row, name)!r} disagrees with {value!r} printed beside it"


def _misread_of_chosen(chosen: Any, x: Any, y: Any, common_from: int) -> bool:
    """Of two readings, one is the value chosen and the other that text misread (tasks.thai_text
    garbled_reading): not another text."""
    texts = [str(v) for v in (chosen, x, y) if isinstance(v, str)]
    if len(texts) < 3:
        return False
    c, a, b = (re.sub(r"\s+", "", t) for t in texts)
    other = texts[2] if c == a else texts[1]
    return garbled_reading(texts[0], other, common_from) if c in (a, b) and a != b else False


def _read(fv: FieldValue) -> bool:
    """A value printed in the document, not derived from others (a derived value confirms nothing)."""
    return bool(fv.text) and not any(r.startswith("not read") for r in fv.reasons)


def remaining_confirmed(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    for p in result.projects:
        fvs = list(_fields(p, rule["fields"]))
        a, s, r = (_num(p, n) for n in rule["fields"])
        if a is None or s is None or r is None or not all(map(_read, fvs)):
            continue
        # with nothing spent the balance is one amount printed twice, and alike misreads of it agree
        if abs(s) > rule["tolerance"] and abs(a - s - r) <= rule["tolerance"]:
            yield from ((fv, f"allocated {a:,.2f} - spent {s:,.2f} = remaining {r:,.2f}") for fv in fvs)


def totals_confirmed(result: ExtractionResult, rule: dict[str, Any]) -> Iterator[Hit]:
    for total in result.totals:
        column = _column(result, total)
        amounts = [a for _, a in column if a is not None]
        fvs = [fv for fv, _ in column]
        if (
            len(fvs) >= rule["min_rows"]
            and len(amounts) == len(fvs) == len(total.rows)
            and all(map(_read, fvs))  # not a sum a mended digit made add up
            and abs(sum(amounts) - total.stated) <= rule["tolerance"]
        ):
            detail = f"{total.table} '{total.column}' rows add up to {total.stated:,.2f}"
            yield from ((fv, detail) for fv in fvs)


CHECKS: dict[str, Callable[[ExtractionResult, dict[str, Any]], Iterator[Hit]]] = {
    f.__name__: f
    for f in (
        spent_le_allocated,
        remaining_balance,
        balance_unchecked,
        table_totals,
        stated_counts,
        percent_range,
        progress_monotonic,
        dates_in_fiscal_year,
        fiscal_bound_slip,
        fiscal_year_plausible,
        code_format,
        bracket_matches,
        listed_values,
        common_date,
        mixed_digits,
        trailing_number,
        unbalanced_brackets,
        broken_words,
        tone_slip,
        dangling_word,
        staff_name_near,
        readings_agree,
        remaining_confirmed,
        totals_confirmed,
    )
}


def forced_review(fv: FieldValue) -> bool:
    """A field that goes to review whatever its score: empty (not found), named by a failed rule, or with a
    reason `review_reasons` lists."""
    rules = load_rules()
    failed = tuple(f"{rule['name']}:" for rule in rules["rules"] if rule.get("review", True))
    return fv.value is None or any(r.startswith(failed + tuple(rules["review_reasons"])) for r in fv.reasons)


SOURCES_REASON = "derived from a value that goes to review"


def follow_sources(result: ExtractionResult) -> ExtractionResult:
    """A value derived from others (remaining = allocated - spent, where none was printed) goes to review with
    any of them and leaves with the last; run after every stage that sets review flags (validate, the second
    reading). On 17 stored factory sets the 7 remaining amounts derived from a flagged amount were wrong."""
    template = _template(result)
    if template is None:
        return result
    calibration = load_calibration()
    threshold = calibration.get("review_threshold", load_rules()["review_threshold"])
    for p, readings in zip(result.projects, result.readings, strict=True):
        for rule in template.derive:
            fv = p.fields.get(rule.field)
            found = readings.get(rule.field, [])
            if not rule.difference or fv is None or not found or any(r.origin != "derived" for r in found):
                continue
            doubted = any(p.fields[n].needs_review for n in rule.difference if n in p.fields)
            if doubted and SOURCES_REASON not in fv.reasons:
                fv.reasons.append(SOURCES_REASON)
            elif not doubted and SOURCES_REASON in fv.reasons:
                fv.reasons.remove(SOURCES_REASON)
            fv.needs_review = fv.confidence < threshold or forced_review(fv)
    return result


def validate(result: ExtractionResult) -> ExtractionResult:
    """Apply every rule of config/rules.yaml to `result` (changed in place and returned)."""
    rules = load_rules()
    implicated: set[int] = set()  # what a failed cross-check names: no confirmation makes it surer
    forced: set[int] = set()  # ... and goes to review whatever its score, unless the rule says not
    for rule in rules["rules"]:
        for target, detail in list(CHECKS[rule["check"]](result, rule)):
            implicated.add(id(target))
            if rule.get("review", True):
                forced.add(id(target))
            target.confidence = round(target.confidence * rule["penalty"], 4)
            extra = target.model_extra if isinstance(target, ProgressRecord) else None
            reasons = target.reasons if isinstance(target, FieldValue) else extra.setdefault("reasons", [])
            reasons.append(f"{rule['name']}: {detail}")
    for rule in rules.get("confirmations", []):
        for target, detail in list(CHECKS[rule["check"]](result, rule)):
            if id(target) in implicated or not isinstance(target, FieldValue):
                continue
            target.confidence = round(1.0 - (1.0 - target.confidence) * rule["factor"], 4)
            target.reasons.append(f"{rule['name']}: {detail}")
    calibration = load_calibration()
    threshold = calibration.get("review_threshold", rules["review_threshold"])
    for p in result.projects:
        for name, fv in p.fields.items():
            mapping = calibration.get("fields", {}).get(field_group(name, calibration, fv))
            if fv.value is None:
                fv.needs_review = True  # a required field not found: nothing to calibrate
                continue
            if mapping:
                fv.raw_confidence = fv.confidence  # type: ignore[attr-defined]  # extra field
                fv.confidence = round(calibrate(fv.confidence, mapping), 4)
            fv.needs_review = fv.confidence < threshold or forced_review(fv)  # forced: a failed rule's too
    for row in result.progress:
        if calibration.get("progress"):
            row.raw_confidence = row.confidence  # type: ignore[attr-defined]
            row.confidence = round(calibrate(row.confidence, calibration["progress"]), 4)
        row.needs_review = row.confidence < calibration.get("progress_threshold", threshold) or (
            id(row) in forced
        )
    return follow_sources(result)
