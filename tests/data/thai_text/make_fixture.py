"""Rebuild seed_pairs.yaml and clean_lines.txt from the seed transcriptions (run by hand, not by pytest).

    PYTHAINLP_OFFLINE=1 .venv/bin/python tests/data/thai_text/make_fixture.py

Several seeds hold the same pages transcribed 2-4 times with different OCR defects. Inside one seed,
two lines that are near-identical (Levenshtein similarity >= 0.9) but differ in their Thai letters are
two readings of one printed line. Each differing stretch is decided on its own, since each copy can be
wrong in different places: a reading that starts with a form label exactly, or whose words around the
stretch are all in the dictionary while the other's are not, wins; otherwise the reading printed more
often wins; if that ties too, the pair is dropped as undecidable. The right line is the two readings
merged stretch by stretch, and each reading that differs from it becomes a (wrong, right) pair.
Pairs whose lines differ in digits are different lines (report 1 vs report 2), not readings, and are
skipped; so are lines starting with two different exact labels, and the near-identical but distinct
lines listed in DISTINCT (headings printed in two wordings in the original, checked by hand).
OVERRIDES fixes the rare stretch every copy misreads the same way (checked by hand against the sense).
Each pair gets a `kind` for the figures in docs/thai_text.md: "look-alike" (letters of another script inside a
Thai word), "label" (a garbled form label), "name" (the defect is in a person's name,
which the corrector must leave alone), "non-word" (the wrong line has more words unknown to the
dictionary than the right one) or "real-word" (a misreading that is itself a word; beyond a dictionary).
Lines are stored as transcribed (only whitespace collapsed), so the figures include normalize().
Lines printed identically in two or more copies, and never a wrong reading, go to clean_lines.txt.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

import yaml
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tasks.labels import match_label
from tasks.thai_text import normalize, person_name_spans, tokenize

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[2].parent / "shared" / "seeds"
MIN_SIMILARITY = 0.9
# Near-identical lines that are different printed lines (checked by reading both in context).
DISTINCT = {
    "ประจำปีงบประมาณที่",  # seed 003 prints both "...ประจำปีงบประมาณที่ ๒" and "...ประจำปีไตรมาสที่ ๒"
    "บทสรุปสำหรับผู้บริหาร",  # a heading and its table-of-contents line ("... ค")
}
# Misreadings shared by every copy: the majority is wrong here (ภูมิลำเนา = domicile).
OVERRIDES = {"ภูมิสำเนา": "ภูมิลำเนา"}
_THAI_LETTERS = re.compile(r"[^\u0e01-\u0e4e]")
_FOREIGN = re.compile(r"[\u0e01-\u0e4e][^\u0e00-\u0e7f\s\d.,:;()/\-\"'%]+[\u0e01-\u0e4e]")
_DIGITS = re.compile(r"[0-9\u0e50-\u0e59]")


def _lines(path: Path) -> list[str]:
    out = []
    for raw in path.read_text(encoding="utf-8").split("\n"):
        line = " ".join(raw.replace("**", " ").split()).strip("-• ")
        if len(_THAI_LETTERS.sub("", line)) >= 6:
            out.append(line)
    return out


def _unknown_near(line: str, start: int, end: int) -> int:
    """Unknown words touching line[start:end] (one character of context each side)."""
    return sum(not t.known and t.start <= end and start <= t.end for t in tokenize(line))


def _label(line: str, min_score: float = 1.0) -> str | None:
    m = match_label(line, min_score=min_score, anchored=True)
    return m.label if m else None


def _merge(a: str, b: str, count_a: int, count_b: int) -> str | None:
    """The right line, decided stretch by stretch; None when a stretch cannot be decided."""
    label_a, label_b = _label(a), _label(b)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(a[i1:i2])
            continue
        key_a = (
            label_a is not None and label_b is None and i1 < len(label_a),
            -_unknown_near(a, i1, i2),
            count_a,
        )
        key_b = (
            label_b is not None and label_a is None and j1 < len(label_b),
            -_unknown_near(b, j1, j2),
            count_b,
        )
        if key_a == key_b:
            return None
        out.append(a[i1:i2] if key_a > key_b else b[j1:j2])
    merged = "".join(out)
    for seen, meant in OVERRIDES.items():
        merged = merged.replace(seen, meant)
    return merged


def _kind(wrong_raw: str, right: str) -> str:
    wrong, right = normalize(wrong_raw), normalize(right)
    ops = difflib.SequenceMatcher(None, wrong, right, autojunk=False).get_opcodes()
    if _FOREIGN.search(wrong_raw):
        return "look-alike"
    if _label(right) and not _label(wrong):
        return "label"
    names = person_name_spans(right)
    if any(op != "equal" and any(j1 <= e and s <= j2 for s, e in names) for op, _, _, j1, j2 in ops):
        return "name"
    unknown = [sum(not t.known for t in tokenize(x)) for x in (wrong, right)]
    return "non-word" if unknown[0] > unknown[1] else "real-word"


def main() -> None:
    pairs, clean = [], []
    for seed in sorted(SEEDS.glob("*.txt")):
        counts = Counter(_lines(seed))
        uniq = list(counts)
        sim = process.cdist(
            uniq, uniq, scorer=Levenshtein.normalized_similarity, score_cutoff=MIN_SIMILARITY, workers=-1
        )
        wrong_lines = set()
        for i, j in zip(*sim.nonzero(), strict=True):
            a, b = uniq[i], uniq[j]
            if i >= j or _THAI_LETTERS.sub("", a) == _THAI_LETTERS.sub("", b):
                continue
            if _DIGITS.findall(a) != _DIGITS.findall(b) or any(d in a or d in b for d in DISTINCT):
                continue
            la, lb = _label(a, 0.75), _label(b, 0.75)
            if la and lb and la != lb:
                continue
            if any(
                counts[c] > max(counts[a], counts[b])
                and sim[i, k]
                and sim[j, k]
                and _label(c, 0.75) in (la, lb)
                for k, c in enumerate(uniq)
            ):
                continue  # both are minority readings; each is paired with the majority line instead
            right = _merge(a, b, counts[a], counts[b])
            if right is None:
                continue
            for wrong in (a, b):
                if wrong != right:
                    kind = _kind(wrong, right)
                    pairs.append({"seed": seed.name[:3], "kind": kind, "wrong": wrong, "right": right})
                    wrong_lines.add(wrong)
        clean += [line for line, n in counts.items() if n >= 2 and line not in wrong_lines]
    (HERE / "seed_pairs.yaml").write_text(
        "# Generated by make_fixture.py from shared/seeds; see its docstring.\n"
        + yaml.safe_dump({"pairs": pairs}, allow_unicode=True, sort_keys=False, width=1000),
        encoding="utf-8",
    )
    (HERE / "clean_lines.txt").write_text("\n".join(sorted(set(clean))) + "\n", encoding="utf-8")
    print(f"{len(pairs)} pairs, {len(set(clean))} clean lines")


if __name__ == "__main__":
    main()
