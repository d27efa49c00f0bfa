"""Fuzzy matching of the report forms' labels in OCR lines.

Lines are expected to be normalised first (`tasks.thai_text.normalize`); the labels come from
config/dictionary/labels.yaml. Scores are Levenshtein similarities (0-1) of the label against the
line's characters, so a garbled label ("สันนิษฐานแผนพัฒนา กทม.") still matches its template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from models.values import LabelMatch
from tasks.thai_text import MARKS, dictionary, normalize_line

# What may separate a label from its value: spaces, colons, dotted leaders, "=", and a colon OCR read as
# "," or ";".
_SEPARATORS = re.compile(r"[\s.:;,=\u2026]*")
_SLACK = 4  # how far (characters) a garbled label's ends may move from the exact-length alignment


@dataclass(frozen=True)
class Label:
    text: str
    family: str
    source: str


@cache
def load_labels() -> tuple[Label, ...]:
    data = yaml.safe_load(files("config").joinpath("dictionary/labels.yaml").read_text(encoding="utf-8"))
    # Labels are compared with normalised lines, so they are normalised the same way (quotes, marks).
    return tuple(
        Label(normalize_line(str(e["text"])), str(e["family"]), str(e["source"])) for e in data["labels"]
    )


def labels_for(family: str | None = None) -> tuple[Label, ...]:
    """Labels of one report family (plus those shared by all families); all labels when None."""
    return tuple(lb for lb in load_labels() if family is None or lb.family in (family, "any"))


# A colon OCR read as a dash glued to the label ("ชื่อโครงการ/กิจกรรม- ส่งเสริม..."); a dash after a space
# is a value ("ผู้ประสานงาน : -").
_GLUED_DASH = re.compile(r"-\s+(?=\S)")


def _value_span(line: str, end: int) -> tuple[int, int]:
    if (dash := _GLUED_DASH.match(line, end)) is not None:
        end = dash.end()
    start = _SEPARATORS.match(line, end).end()  # type: ignore[union-attr]  # the pattern always matches
    return start, len(line)


def _match(line: str, label: str, family: str, score: float, start: int, end: int) -> LabelMatch:
    """A label found at line[start:end], with the value that follows it."""
    value_start, value_end = _value_span(line, end)
    return LabelMatch(
        label=label, family=family, score=round(score, 4), start=start, end=end,
        value_start=value_start, value_end=value_end, value=line[value_start:value_end],
    )  # fmt: skip


def _at_separator(line: str, end: int) -> bool:
    return end >= len(line) or line[end] in " \t:;,.=("


def _refine(label: str, line: str, start: int, end: int) -> tuple[float, int, int]:
    """Best (similarity, start, end) near an approximate alignment; ties prefer a span ending at a
    separator."""
    best = (-1.0, False, start, end)
    for s in range(max(0, start - _SLACK), min(len(line), start + _SLACK) + 1):
        for e in range(max(s + 1, end - _SLACK), min(len(line), end + _SLACK) + 1):
            score = Levenshtein.normalized_similarity(label, line[s:e])
            key = (score, _at_separator(line, e), s, e)
            if key[:2] > best[:2]:
                best = key
    return best[0], best[2], best[3]


def find_label(line: str, label: str, min_score: float = 0.75, family: str = "any") -> LabelMatch | None:
    """Where `label` is printed in `line`, allowing OCR damage; None below `min_score`."""
    if not line or not label:
        return None
    exact = line.find(label)
    if exact >= 0:
        score, start, end = 1.0, exact, exact + len(label)
    else:
        if len(line) < len(label) // 2:
            return None
        cutoff = max(0.0, min_score * 100 - 15)  # partial_ratio is coarser than the refined score
        align = fuzz.partial_ratio_alignment(label, line, score_cutoff=cutoff)
        if align is None:
            return None
        score, start, end = _refine(label, line, align.dest_start, align.dest_end)
    if score < min_score:
        return None
    return _match(line, label, family, score, start, end)


def match_label(
    line: str, labels: Iterable[Label] | None = None, min_score: float = 0.75, anchored: bool = False
) -> LabelMatch | None:
    """The best-matching label in `line`. With `anchored`, only a label that starts the line (after
    numbering such as "1.6", bullets or "::") counts, which is how form labels are printed."""
    if anchored:
        found = anchored_matches(line, labels, min_score)
    else:
        pool = labels if labels is not None else load_labels()
        found = [m for lb in pool if (m := find_label(line, lb.text, min_score, lb.family)) is not None]
    return max(found, key=_rank, default=None)


def anchored_matches(
    line: str, labels: Iterable[Label] | None = None, min_score: float = 0.8
) -> list[LabelMatch]:
    """Every label that starts `line` (after numbering or bullets) with at least `min_score`."""
    labels = list(labels if labels is not None else load_labels())
    offset = _leading_numbering(line)
    found = [m for lb in labels if (m := _anchored(line, offset, lb, min_score)) is not None]
    if not found and (speck := _SPECK_WORD.match(line, offset)):
        # a speck OCR read as a short word before the label ("แต่ ชื่อโครง การ : ..."): behind it
        offset = speck.end() + _leading_numbering(line[speck.end() :])
        found = [m for lb in labels if (m := _anchored(line, offset, lb, min_score)) is not None]
    return found


def find_labels(
    line: str, labels: Iterable[Label] | None = None, min_score: float = 0.85
) -> list[LabelMatch]:
    """All non-overlapping labels in `line`, left to right; each value runs up to the next label."""
    found: list[LabelMatch] = []
    for lb in labels if labels is not None else load_labels():
        m = find_label(line, lb.text, min_score, lb.family)
        if m is not None:
            found.append(m)
    found.sort(key=_rank, reverse=True)
    kept: list[LabelMatch] = []
    for m in found:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    kept.sort(key=lambda m: m.start)
    out = []
    for i, m in enumerate(kept):
        stop = kept[i + 1].start if i + 1 < len(kept) else len(line)
        value_end = max(m.value_start, len(line[:stop].rstrip(" \t:=")))
        out.append(m.model_copy(update={"value_end": value_end, "value": line[m.value_start : value_end]}))
    return out


# numbering such as "1.6" or "(2)", bullets, and specks OCR put before a label ("' ซื่อโครงการ", ". ปีงบประมาณ",
# ".1.2 หน่วยงาน"); after a closing bracket OCR may lose the space ("(2)ความศืบหน้าโครงการฯ")
_NUMBERING = re.compile(
    r"[\s*\\•●■☐\-:'\".,]*(?:\(?[0-9๐-๙]+(?:\.[0-9๐-๙]+)*(?:\)\s*|\.?\s+))?[\s*\\•●■☐:'\".,]*"
)


# a speck read as a short word: at most three letters, then a gap, then Thai
_SPECK_WORD = re.compile(r"[\u0e01-\u0e4e]{1,3}[\s.,'\"]+(?=[\u0e01-\u0e4e])")


def _leading_numbering(line: str) -> int:
    return _NUMBERING.match(line).end()  # type: ignore[union-attr]  # the pattern always matches


def _spaced_end(line: str, offset: int, label: str) -> int | None:
    """Where `label` ends in `line` from `offset` when OCR only put spaces inside it ("รหัสโค รง กา ร")."""
    i = offset
    for ch in label.replace(" ", ""):
        while i < len(line) and line[i] == " ":
            i += 1
        if i >= len(line) or line[i] != ch:
            return None
        i += 1
    return i


_SPACED_SCORE = 0.95  # at least, for a label whose letters are all there, only spaced apart


def _anchored(line: str, offset: int, lb: Label, min_score: float) -> LabelMatch | None:
    text = lb.text
    if line.startswith(text, offset):
        score, end = 1.0, offset + len(text)
    elif (spaced := _spaced_end(line, offset, text)) is not None:
        score = max(_SPACED_SCORE, Levenshtein.normalized_similarity(text, line[offset:spaced]))
        end = spaced
    else:
        # Cheap filter on the exact-length prefix before trying nearby end positions.
        if Levenshtein.normalized_similarity(text, line[offset : offset + len(text)]) < min_score - 0.2:
            return None
        score, end = -1.0, offset
        ends = range(
            max(offset + 1, offset + len(text) - _SLACK), min(len(line), offset + len(text) + _SLACK) + 1
        )
        for e in ends:
            s = Levenshtein.normalized_similarity(text, line[offset:e])
            if (s, _at_separator(line, e)) > (score, _at_separator(line, end)):
                score, end = s, e
        if score < min_score:
            # letters OCR confuses cost less: "ข็อโครงการ" and "ขีือโครงการ" are ชื่อโครงการ misread
            for e, s in _confusion_similarities(text, line, offset, ends):
                if (s, _at_separator(line, e)) > (score, _at_separator(line, end)):
                    score, end = s, e
    if score < min_score:
        return None
    return _match(line, text, lb.family, score, offset, end)


_MARK = re.compile(f"[{MARKS}]")


def _unlisted(a: str, b: str) -> int:
    return 1 if _MARK.fullmatch(a) and _MARK.fullmatch(b) else 2


@cache
def _confusion_costs() -> tuple[dict[tuple[str, str], float], dict[str, float]]:
    """(look-alike pairs, droppable marks) of config/dictionary/confusions.yaml, with their costs."""
    d = dictionary()
    return {(a, b): cost for a, alts in d.substitutions.items() for b, cost in alts}, d.insert_delete


def _confusion_similarities(label: str, line: str, offset: int, ends: range) -> Iterator[tuple[int, float]]:
    """1 - (confusion-weighted edit distance) / length, of `label` against line[offset:e] for each end e
    made of the confusions of config/dictionary/confusions.yaml (a look-alike letter, a dropped or added
    mark; each costs as listed there) and at most one other mark read for a mark (cost 1): a label
    misread, not another word, nor a shorter or longer text ("เป้าหมาย ตัวชี้วัด" is no เป้าหมายที่)."""
    subs, droppable = _confusion_costs()

    def indel(ch: str) -> tuple[float, int]:
        return (droppable[ch], 0) if ch in droppable else (1.0, 2)  # a letter more or less

    def add(x: tuple[float, int], y: tuple[float, int]) -> tuple[float, int]:
        return x[0] + y[0], x[1] + y[1]

    read = line[offset : ends.stop - 1] if ends else ""
    # row[j]: (cost, edits not listed: 1 a mark for a mark, 2 any other) of the label so far against read[:j]
    row = [(0.0, 0)]
    for ch in read:
        row.append(add(row[-1], indel(ch)))
    for a in label:
        prev, row = row, [add(row[0], indel(a))]
        for j, b in enumerate(read, 1):
            sub = (0.0, 0) if a == b else ((subs[(b, a)], 0) if (b, a) in subs else (1.0, _unlisted(a, b)))
            row.append(min(add(prev[j - 1], sub), add(prev[j], indel(a)), add(row[j - 1], indel(b))))
    for e in ends:
        n = e - offset
        cost, unlisted = row[n]
        if unlisted <= 1:
            yield e, 1.0 - cost / max(len(label), n)


def _rank(m: LabelMatch) -> tuple[float, bool, int]:
    # Higher score first; then a label followed by a separator; then the longer label (more evidence).
    return (m.score, m.value_start > m.end or m.value_start == m.value_end, len(m.label))
