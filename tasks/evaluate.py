"""Evaluate: score a run's output against sample-factory truth files.

Text is compared whitespace-free, Thai-normalised (NFC, ํา composed to ำ, zero-width removed) with
Thai digits folded to Arabic. A field is right when its typed value equals the truth's. Missing output
counts as wrong everywhere.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from models.evaluation import EvaluationReport, Score, Scores, reliability_bin
from models.records import FieldValue, ProgressRecord, ProjectRecord, TableRecord
from models.settings import load_settings
from models.truth import Truth
from tasks.emit import text_path, write_jsonl
from tasks.validate import SECOND_READING_REASONS, calibrate, field_group, forced_review

_FOLD = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")
_SPACE = re.compile(r"\s+")
PROGRESS_KEYS = ("report_date", "progress_percent", "disbursed", "note", "on_plan", "on_target",
                 "problems", "obstacles")  # fmt: skip


def normalise_text(text: str) -> str:
    """Comparison form of a text: NFC, ำ composed, no zero-width characters, Arabic digits."""
    text = unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33")
    return _ZERO_WIDTH.sub("", text).translate(_FOLD)


def _compact(text: str) -> str:
    return _SPACE.sub("", normalise_text(text))


def values_equal(got: Any, want: Any) -> bool:
    if want is None:
        return got is None
    if got is None:
        return False
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    if isinstance(want, int | float) and not isinstance(want, bool):
        try:
            return abs(float(normalise_text(str(got)).replace(",", "")) - float(want)) < 0.005
        except ValueError:
            return False
    return (
        _SPACE.sub(" ", normalise_text(str(got))).strip()
        == _SPACE.sub(" ", normalise_text(str(want))).strip()
    )


def _read_jsonl(path: Path, model: type) -> list:
    if not path.is_file():
        return []
    return [
        model.model_validate(json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]


def load_truths(truth_dir: Path) -> list[Truth]:
    truths = []
    for path in sorted(truth_dir.rglob("*.truth.json")):
        truth = Truth.model_validate_json(path.read_text(encoding="utf-8"))
        # The output names a document by its path under the input folder: match on that.
        truth.source = (path.parent / truth.source).relative_to(truth_dir).as_posix()
        truths.append(truth)
    return truths


def match_projects(want: list[ProjectRecord], got: list[ProjectRecord]) -> list[ProjectRecord | None]:
    """Pair each truth project with the output project of the most similar name (each used once); among
    projects of one name (a report may list a project under two groups), the one agreeing on more fields.
    An output project whose name was not read pairs with a truth project it agrees with on at least half
    of its fields: its other values are then scored, not all counted wrong."""

    def name(p: ProjectRecord) -> str:
        fv = p.fields.get("project_name")
        return _compact(str(fv.value)) if fv and fv.value is not None else ""

    def agreeing(w: ProjectRecord, g: ProjectRecord) -> int:
        return sum(
            1 for k, fv in w.fields.items() if k in g.fields and values_equal(g.fields[k].value, fv.value)
        )

    pairs = sorted(
        (
            (fuzz.ratio(name(w), name(g)), agreeing(w, g), -i, -j)
            for i, w in enumerate(want)
            for j, g in enumerate(got)
        ),
        reverse=True,
    )
    matched: list[ProjectRecord | None] = [None] * len(want)
    used: set[int] = set()
    for score, agree, i, j in pairs:
        i, j = -i, -j
        nameless = not name(got[j]) and agree >= len(want[i].fields) / 2
        if (score >= 60 or nameless) and matched[i] is None and j not in used:
            matched[i] = got[j]
            used.add(j)
    return matched


def _identity(code: object, name: object) -> tuple[str, str]:
    return (str(code or ""), _compact(str(name or "")))


def _project_identity(p: ProjectRecord) -> tuple[str, str]:
    code, name = p.fields.get("project_code"), p.fields.get("project_name")
    return _identity(code.value if code else None, name.value if name else None)


def match_rows(
    want_projects: list[ProjectRecord],
    matched: list[ProjectRecord | None],
    want_rows: list[ProgressRecord],
    got_rows: list[ProgressRecord],
) -> list[ProgressRecord | None]:
    """Pair each truth progress row with the output row of the same number under the paired project (rows
    carry their project's code and name): a misread code is one wrong field, not every row wrong again."""
    paired = {
        _project_identity(w): _project_identity(g)
        for w, g in zip(want_projects, matched, strict=True)
        if g is not None
    }
    by_key = {(_identity(r.project_code, r.project_name), r.seq): r for r in got_rows}
    out: list[ProgressRecord | None] = []
    for row in want_rows:
        project = paired.get(_identity(row.project_code, row.project_name))
        out.append(by_key.get((project, row.seq)) if project is not None else None)
    return out


def _score_document(truth: Truth, output_dir: Path, outputs: dict[str, list], s: Scores) -> float | None:
    s.documents += 1
    want_text = _compact(truth.body_text())
    path = text_path(output_dir, truth.source)
    got_raw = path.read_text(encoding="utf-8") if path.is_file() else ""
    errors = min(Levenshtein.distance(_compact(got_raw), want_text), len(want_text))
    s.text_errors += errors
    s.text_chars += len(want_text)

    repeated = [_SPACE.sub(" ", normalise_text(h)).strip() for h in truth.repeated_strings]
    s.header_lines_total += len(truth.pages) * len(repeated)
    for line in got_raw.splitlines():
        line = _SPACE.sub(" ", normalise_text(line)).strip()
        if line and any(fuzz.ratio(line, h) >= 85 for h in repeated):
            s.header_lines_left += 1

    got_projects = [p for p in outputs["projects"] if p.source == truth.source]
    matched = match_projects(truth.projects, got_projects)
    for want, got in zip(truth.projects, matched, strict=True):
        for name, fv in want.fields.items():
            out = got.fields.get(name) if got else None
            right = out is not None and values_equal(out.value, fv.value)
            flagged = out is None or out.needs_review
            s.fields.add(right)
            s.fields_by_name.setdefault(name, Score()).add(right)
            s.flagged += flagged
            if not right:
                s.wrong_fields += 1
                s.wrong_flagged += flagged
            if not flagged:
                s.unflagged += 1
                s.unflagged_right += right
            s.ranked.append((0.0 if out is None or forced_review(out) else 1.0 + out.confidence, right))
            if out is not None:
                b = reliability_bin(s.reliability, out.confidence)
                b.total += 1
                b.right += right
                b.confidence_sum += out.confidence

    got_rows = [r for r in outputs["progress"] if r.source == truth.source]
    for want, got in zip(
        truth.progress, match_rows(truth.projects, matched, truth.progress, got_rows), strict=True
    ):
        s.progress_rows.add(
            got is not None
            and all(
                values_equal(getattr(got, k), getattr(want, k))
                for k in PROGRESS_KEYS
                if getattr(want, k) is not None
            )
        )

    # Tables pair up by page, kind (ruled or not) and order: a table found from text alignment where
    # none was printed does not shift the ruled tables below it.
    got_tables: dict[tuple[int, bool], list[TableRecord]] = {}
    for t in sorted(outputs["tables"], key=lambda t: t.table_index):
        if t.source == truth.source:
            got_tables.setdefault((t.page, t.ruled), []).append(t)
    seen: Counter[tuple[int, bool]] = Counter()
    for want in sorted(truth.tables, key=lambda t: (t.page, t.table_index)):
        key = (want.page, want.ruled)
        mine = got_tables.get(key, [])
        got = mine[seen[key]] if seen[key] < len(mine) else None
        seen[key] += 1
        got_cells = (got.header + got.rows) if got else []
        score = s.table_cells if want.ruled else s.aligned_cells
        for r, row in enumerate(want.header + want.rows):
            for c, cell in enumerate(row):
                value = got_cells[r][c] if r < len(got_cells) and c < len(got_cells[r]) else None
                score.add(value is not None and values_equal(value, cell))
    return errors / len(want_text) if want_text else None


def evaluate(output_dir: Path, truth_dir: Path) -> EvaluationReport:
    outputs = {
        "projects": _read_jsonl(output_dir / "projects.jsonl", ProjectRecord),
        "progress": _read_jsonl(output_dir / "progress.jsonl", ProgressRecord),
        "tables": _read_jsonl(output_dir / "tables.jsonl", TableRecord),
    }
    overall = Scores()
    families: dict[str, Scores] = {}
    per_doc: dict[str, float | None] = {}
    for truth in load_truths(truth_dir):
        family = families.setdefault(truth.family, Scores())
        per_doc[truth.source] = _score_document(truth, output_dir, outputs, family)
    for family in families.values():
        _add_into(overall, family)
    return EvaluationReport(overall=overall, families=families, documents=per_doc)


def _add_into(total: Scores, part: Scores) -> None:
    for name, value in part:
        if isinstance(value, int):
            setattr(total, name, getattr(total, name) + value)
        elif isinstance(value, Score):
            getattr(total, name).right += value.right
            getattr(total, name).total += value.total
    for mine, theirs in zip(total.reliability, part.reliability, strict=True):
        mine.total += theirs.total
        mine.right += theirs.right
        mine.confidence_sum += theirs.confidence_sum
    total.ranked += part.ranked
    for name, score in part.fields_by_name.items():
        mine = total.fields_by_name.setdefault(name, Score())
        mine.right += score.right
        mine.total += score.total


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def format_report(report: EvaluationReport) -> str:
    head = (f"{'group':<24}{'docs':>5}{'text CER':>10}{'hdr left':>10}{'fields':>9}{'progress':>10}"
            f"{'cells':>9}{'no-line cells':>15}{'wrong flagged':>15}{'unflagged right':>17}"
            f"{'flagged':>9}")  # fmt: skip
    lines = [head, "-" * len(head)]
    for name, s in [*sorted(report.families.items()), ("overall", report.overall)]:
        lines.append(
            f"{name:<24}{s.documents:>5}{_pct(s.cer):>10}{f'{s.header_lines_left}/{s.header_lines_total}':>10}"
            f"{_pct(s.fields.rate):>9}{_pct(s.progress_rows.rate):>10}{_pct(s.table_cells.rate):>9}"
            f"{_pct(s.aligned_cells.rate):>15}"
            f"{_pct(s.wrong_flagged / s.wrong_fields if s.wrong_fields else None):>15}"
            f"{_pct(s.unflagged_right / s.unflagged if s.unflagged else None):>17}"
            f"{_pct(s.flagged / s.fields.total if s.fields.total else None):>9}"
        )
    lines += ["", format_flagging(report.overall), "", format_reliability(report.overall)]
    return "\n".join(lines)


FLAGGED_SHARES = (0.10, 0.15, 0.20)  # the issue's target flags at most 10 % of the fields


def flagging_curve(
    ranked: list[tuple[float, bool]], shares: tuple[float, ...] = FLAGGED_SHARES, catch: float = 0.95
) -> tuple[list[float], float] | None:
    """What any review threshold could reach: fields flagged in review order (Scores.ranked; among equals
    the right ones first, counted against us), the share of the wrong ones caught when each of `shares`
    of all fields is flagged, and the share one must flag to catch `catch` of the wrong ones. None
    without a wrong field."""
    wrong = sum(not right for _, right in ranked)
    if not wrong:
        return None
    caught: list[int] = []  # wrong fields among the first i + 1 flagged
    for _, right in sorted(ranked, key=lambda p: (p[0], not p[1])):
        caught.append((caught[-1] if caught else 0) + (not right))
    n = len(ranked)
    at = [caught[max(0, math.ceil(share * n) - 1)] / wrong for share in shares]
    needed = next(i + 1 for i, c in enumerate(caught) if c >= catch * wrong)
    return at, needed / n


def format_flagging(s: Scores) -> str:
    curve = flagging_curve(s.ranked)
    if curve is None:
        return "no wrong field: no flagging curve"
    at, needed = curve
    shares = ", ".join(f"{_pct(share)} -> {_pct(c)}" for share, c in zip(FLAGGED_SHARES, at, strict=True))
    return (
        f"flagging curve (any threshold; ties against): fields flagged -> wrong fields caught {shares}; "
        f"catching 95% takes flagging {_pct(needed)}"
    )


def format_reliability(s: Scores) -> str:
    """Predicted confidence against observed accuracy (output fields only; missing ones have none)."""
    head = f"{'confidence':<14}{'fields':>8}{'right':>8}{'mean conf':>11}{'accuracy':>10}"
    lines = ["reliability (all documents)", head, "-" * len(head)]
    for b in s.reliability:
        span = "= 1.0" if b.low == b.high else f"{b.low:.3f}-{b.high:.3f}"
        lines.append(f"{span:<14}{b.total:>8}{b.right:>8}{_pct(b.mean_confidence):>11}{_pct(b.accuracy):>10}")
    return "\n".join(lines)


def _pav(points: list[tuple[float, bool]]) -> list[tuple[float, float, int, int]]:
    """Isotonic (pool-adjacent-violators) fit of right/wrong on the score: blocks of (low, high, right,
    total) whose accuracy never decreases as the score rises."""
    blocks: list[list[float]] = []  # low, high, right, total
    for score, right in sorted(points):
        if blocks and blocks[-1][1] == score:
            blocks[-1][2] += right
            blocks[-1][3] += 1
        else:
            blocks.append([score, score, float(right), 1.0])
        while len(blocks) > 1 and blocks[-2][2] / blocks[-2][3] >= blocks[-1][2] / blocks[-1][3]:
            last = blocks.pop()
            blocks[-1][1] = last[1]
            blocks[-1][2] += last[2]
            blocks[-1][3] += last[3]
    return [(lo, hi, int(r), int(n)) for lo, hi, r, n in blocks]


def _knots(points: list[tuple[float, bool]]) -> dict[str, list[float]]:
    """Knots of the piecewise-linear calibration: each isotonic block's score span at its smoothed
    accuracy (right + 0.5) / (total + 1), so a small all-right block does not claim certainty."""
    xs: list[float] = []
    ys: list[float] = []
    for lo, hi, right, total in _pav(points):
        p = round((right + 0.5) / (total + 1), 4)
        for x in (lo, hi) if hi > lo else (lo,):
            if xs and x <= xs[-1]:
                x = round(xs[-1] + 1e-4, 4)
            xs.append(round(x, 4))
            ys.append(max(p, ys[-1]) if ys else p)
    if xs and xs[-1] < 1.0:  # beyond the data: a reading with no doubt at all (OCR 100, exact label,
        xs.append(1.0)  # no repair) stays certain; between the last knot and it the map is linear
        ys.append(1.0)
    return {"raw": xs, "probability": ys}


def _threshold(probs: list[tuple[float, bool]], unflagged_accuracy: float) -> float:
    """The lowest review threshold whose unflagged fields (confidence >= it) are right often enough
    (rounded up to four decimals, so that it still leaves out what it must)."""
    for t in sorted({p for p, _ in probs}):
        kept = [r for p, r in probs if p >= t]
        if kept and sum(kept) / len(kept) >= unflagged_accuracy:
            return math.ceil(round(t * 10000, 6)) / 10000
    return 1.0


# Fields calibrated together (anything else is "other"): OCR damages free text and numbers differently.
# Fields that fail alike under OCR share a calibration curve: a project's long name, an office or group
# name (a small closed set), a person's name, an amount, the short numbers, a status (from a group
# heading or the newest progress: right 712 times of 714 on sets 1201-1401 and 4001); dates: "other".
FIELD_GROUPS = {
    "name": ["project_name"],
    "unit": ["agency", "division"],
    "person": ["responsible_person", "coordinator"],
    "amount": ["budget_allocated", "budget_spent", "budget_remaining"],
    "number": ["fiscal_year", "progress_percent", "project_code"],
    "status": ["status"],
}


# Groups whose values a vocabulary lists get a curve of their own ("unit listed"): an office name OCR
# read as an office of the gazetteer was right 485 times of 485 on the development sets, while the unit
# curve, shared with free group and division names, sent 87 of them to review. Persons too, for names
# every word of which the lists hold as read (not fitted to them): a project list's bare given names were
# right 99 times of 101 on sets 1201-2104 and all flagged. The factory draws every name from the lists, so
# in real reports fewer right names are known and the plain person curve flags more, the safe side; a
# misread landing on another known name is as likely here as there.
LISTED_GROUPS = ["unit", "person"]


# Groups whose values another line reads alike get a curve of their own ("amount corroborated"): the
# raw score counts the other reading, but too little for an amount read in two places (a table cell and
# a section's line): at raw scores 0.3-0.8, 381 of 383 such amounts were right on seven factory sets
# (1201-1904), 419 of 441 amounts read once. Persons are left out: the sample factory draws every name
# from the lists, so a second reading of one looked no surer (269 of 278 right, 270 of 280 read once);
# units too (a curve of their own did no better on sets 1801-1904).
CORROBORATED_GROUPS = ["name", "amount", "number"]

# Groups whose values read alike a second time with no other doubt (no correction, conflicting reading,
# unknown word, failed rule, nor a space between Thai letters) get a curve of their own ("name reread
# plain"): such project names were right 171 times of 172 on ten sets (1201-2201, twentieth session)
# against 206 of 224 other names read alike a second time, which shared one calibrated score with them.
REREAD_PLAIN_GROUPS = ["name"]

# Groups whose values found again hold OCR corrections the second reading read unaided get a curve of their
# own ("name reread confirmed"): such project names were right 60 times of 60 on thirteen sets (1201-1401,
# 4001-4901; twenty-sixth session), the other names found again with corrections 140 times of 162.
REREAD_CONFIRMED_GROUPS = ["name"]

# Groups whose values read a second time (found again or not) are wholly known names get a curve of their
# own ("person listed reread"), unless another place reads them otherwise: on sets 1201, 1301, 1401 and 4001
# such persons were right 86 times of 86, the other persons read a second time 15 times of 36.
LISTED_REREAD_GROUPS = ["person"]


_FOLDS = 4  # documents per fold: the threshold is chosen on scores calibrated without their own document


def _cross_fitted(points: list[tuple[int, str, float, bool]]) -> list[tuple[float, bool]]:
    """(probability, right) of each (document, group, raw, right) point, in order, calibrated by the curves
    fitted on the other folds' documents: an in-sample curve flatters its own points, so a threshold chosen
    on it leaves more wrong values unflagged on new documents."""
    curves = []
    for fold in range(_FOLDS):
        train: dict[str, list[tuple[float, bool]]] = {}
        for doc, group, raw, ok in points:
            if doc % _FOLDS != fold:
                train.setdefault(group, []).append((raw, ok))
        curves.append({g: _knots(pts) for g, pts in train.items()})
    return [(calibrate(raw, curves[doc % _FOLDS].get(group)), ok) for doc, group, raw, ok in points]


def fit_calibration(
    output_dir: Path, truth_dir: Path, target: Path, unflagged_accuracy: float = 0.9965
) -> None:
    """Fit config/confidence.yaml from a scored run: the isotonic map of raw field (and progress row)
    scores to observed accuracy, and the review threshold keeping `unflagged_accuracy` of unflagged
    fields right, chosen on cross-fitted scores (_cross_fitted) without the fields reviewed anyway. Fit on a
    development set; judge it on a held-out one."""
    groups = {
        "groups": FIELD_GROUPS,
        "listed": LISTED_GROUPS,
        "corroborated": CORROBORATED_GROUPS,
        "reread_plain": REREAD_PLAIN_GROUPS,
        "reread_confirmed": REREAD_CONFIRMED_GROUPS,
        "listed_reread": LISTED_REREAD_GROUPS,
        "reread": load_settings().reread.groups,
    }

    projects = _read_jsonl(output_dir / "projects.jsonl", ProjectRecord)
    progress = _read_jsonl(output_dir / "progress.jsonl", ProgressRecord)
    fields: list[tuple[int, str, float, bool]] = []  # (document, group, raw score, right)
    # a field read a second time (tasks.reread) follows its group's `reread` or `not found again` curve,
    # and is also a point of the group's own curve: the one that chose it for a second reading, which is
    # a guess made before any second reading, so it is fitted on every field of the group
    marginal: list[tuple[str, float, bool]] = []
    forced: list[bool] = []  # flagged whatever the threshold: no part of choosing it
    rows: list[tuple[int, str, float, bool]] = []
    for doc, truth in enumerate(load_truths(truth_dir)):
        got_projects = [p for p in projects if p.source == truth.source]
        matched = match_projects(truth.projects, got_projects)
        for want, got in zip(truth.projects, matched, strict=True):
            for name, fv in want.fields.items():
                out = got.fields.get(name) if got else None
                if out is not None and out.value is not None:  # a missing field has no score to fit
                    raw = (out.model_extra or {}).get("raw_confidence", out.confidence)
                    group = field_group(name, groups, out)
                    right = values_equal(out.value, fv.value)
                    fields.append((doc, group, float(raw), right))
                    if SECOND_READING_REASONS & set(out.reasons):
                        before = [r for r in out.reasons if r not in SECOND_READING_REASONS]
                        first = out.model_copy(update={"reasons": before})
                        marginal.append((field_group(name, groups, first), float(raw), right))
                    forced.append(forced_review(out))
        mine = [r for r in progress if r.source == truth.source]
        for want_row, row in zip(
            truth.progress, match_rows(truth.projects, matched, truth.progress, mine), strict=True
        ):
            if row is not None:
                raw = (row.model_extra or {}).get("raw_confidence", row.confidence)
                right = all(
                    values_equal(getattr(row, k), getattr(want_row, k))
                    for k in PROGRESS_KEYS
                    if getattr(want_row, k) is not None
                )
                rows.append((doc, "progress", float(raw), right))
    curves: dict[str, list[tuple[float, bool]]] = {}
    for group, raw, ok in [(g, raw, ok) for _, g, raw, ok in fields] + marginal:
        curves.setdefault(group, []).append((raw, ok))
    out: dict[str, Any] = {**groups, "fields": {g: _knots(points) for g, points in sorted(curves.items())}}
    scored = _cross_fitted(fields)
    kept = [point for point, always in zip(scored, forced, strict=True) if not always]
    out["review_threshold"] = _threshold(kept, unflagged_accuracy)
    if rows:
        out["progress"] = _knots([(raw, ok) for _, _, raw, ok in rows])
        out["progress_threshold"] = _threshold(_cross_fitted(rows), unflagged_accuracy)
    n_fields = len(fields)
    header = (
        "# Confidence calibration (tasks.validate.calibrate): raw score -> probability of being right,\n"
        "# piecewise linear through the knots, one curve per field group (`groups`; the rest: other)\n"
        "# and one for progress rows. Fitted by tasks.evaluate.fit_calibration (isotonic, smoothed) on\n"
        f"# {n_fields} fields and {len(rows)} progress rows of a development run (see docs/extraction.md).\n"
        "# `review_threshold` (`progress_threshold`): the lowest calibrated confidence whose unflagged\n"
        f"# fields (rows) were >= {unflagged_accuracy:.2%} right there, each scored by the curves of the\n"
        f"# other {_FOLDS - 1} of {_FOLDS} folds of documents (fields reviewed anyway left out).\n"
    )

    text = yaml.safe_dump(out, sort_keys=False, width=110, default_flow_style=None)
    target.write_text(header + text, encoding="utf-8")


def write_truth_as_output(truth_dir: Path, output_dir: Path) -> None:
    """The output a perfect pipeline would write for these truths: the harness's own known-good oracle."""
    truths = load_truths(truth_dir)
    for truth in truths:
        path = text_path(output_dir, truth.source)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(truth.body_text(), encoding="utf-8")

    def relabel(records: list, source: str) -> list:
        return [r.model_copy(update={"source": source}) for r in records]

    write_jsonl(output_dir / "projects.jsonl", [p for t in truths for p in relabel(t.projects, t.source)])
    write_jsonl(output_dir / "progress.jsonl", [p for t in truths for p in relabel(t.progress, t.source)])
    write_jsonl(output_dir / "tables.jsonl", [p for t in truths for p in relabel(t.tables, t.source)])


__all__ = [
    "FieldValue",
    "evaluate",
    "format_report",
    "normalise_text",
    "values_equal",
    "write_truth_as_output",
]
