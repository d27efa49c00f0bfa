"""Extract: one template-driven engine turns a document's layout into project and progress records.

Everything family-specific lives in config/templates/<family>.yaml (labels, value patterns, which
parser reads a field, section starts, group headings, progress-entry pattern, table columns, status
rules). The engine reads every value through tasks.values, keeps every place a field was read (so
validation can find disagreements) and reports the first, most direct reading as the field's value.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from difflib import SequenceMatcher
from functools import cache, lru_cache
from typing import Any, NamedTuple

from pythainlp.tokenize.newmm import segment
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from models.extract import (
    Detection,
    ExtractionResult,
    FieldSpec,
    Issue,
    Parser,
    ProgressSpec,
    Reading,
    SectionStart,
    StatedCount,
    TableSpec,
    TableTotal,
    Template,
)
from models.layout import DocumentLayout, LayoutLine, PageLayout, Table, TableCell
from models.records import FieldValue, ProgressRecord, ProjectRecord
from models.values import CorrectedText, ParsedValue
from tasks.detect import detect, load_templates
from tasks.labels import Label, find_label, match_label
from tasks.thai_text import (
    MARKS,
    clean,
    correct,
    dictionary,
    domain_words,
    known_name,
    name_words,
    near_names,
    normalize_line,
    person_name_spans,
    person_names,
    skeleton,
    unknown_words,
    vocabulary_pattern,
)
from tasks.validate import (
    CORRECTIONS_REASON,
    MENDED_REASON,
    THAI_SPACE,
    digit_slip,
    load_rules,
    same,
    validate,
)
from tasks.values import (
    BE_OFFSET,
    LETTERS_DROPPED,
    fiscal_year_range,
    fold_digits,
    month_range,
    parse_date,
    parse_fiscal_year,
    parse_money,
    parse_percent,
    parse_person_name,
    parse_project_code,
)

_THAI_LETTER = re.compile(r"[\u0e01-\u0e4e]")
_DIGIT = re.compile(r"[0-9๐-๙]")


# ---------------------------------------------------------------- lines


@dataclass(frozen=True)
class Line:
    text: str  # normalised and conservatively corrected
    page: int  # 1-based
    bbox: list[float] | None  # fractions of the page
    confidence: float  # OCR confidence, 0-1
    fixes: tuple[str, ...]  # what the Thai text stage wrote in place of misread text on this line
    table: int | None  # index into the page's tables for a table row
    breaks: tuple[int, ...] = ()  # offsets in `text` where a cell's printed lines were joined (TableCell)


def _bbox(box: tuple[int, int, int, int] | None, page: PageLayout) -> list[float] | None:
    if box is None or not page.width or not page.height:
        return None
    w, h = page.width, page.height
    return [round(box[0] / w, 4), round(box[1] / h, 4), round(box[2] / w, 4), round(box[3] / h, 4)]


def body_lines(pages: list[PageLayout], layout: DocumentLayout) -> list[Line]:
    """Reading-order lines without running headers and page numbers: the layout stage's page texts say
    which lines stayed in the body; without them, the lines' own roles do."""
    return _page_lines(pages, layout, running=False)


def running_lines(pages: list[PageLayout], layout: DocumentLayout) -> list[Line]:
    """The running headers, footers and page numbers body_lines leaves out."""
    return _page_lines(pages, layout, running=True)


def _page_lines(pages: list[PageLayout], layout: DocumentLayout, running: bool) -> list[Line]:
    out: list[Line] = []
    for number, page in enumerate(pages, start=1):
        text = layout.page_texts[number - 1] if number - 1 < len(layout.page_texts) else None
        kept = Counter(text.split("\n")) if text else None
        chosen: list[LayoutLine] = []
        for ln in page.lines:
            if kept is not None:
                body = kept[ln.text] > 0
                if body:
                    kept[ln.text] -= 1
            else:
                body = ln.role in ("body", "table")
            if body != running:
                chosen.append(ln)
        if not chosen:
            continue
        corrected = clean("\n".join(ln.text for ln in chosen))
        per_line: dict[int, tuple[str, ...]] = {}
        for c in corrected.corrections:
            per_line[c.line] = (*per_line.get(c.line, ()), c.after)
        for i, (ln, cleaned) in enumerate(zip(chosen, corrected.text.split("\n"), strict=True)):
            conf = 1.0 if ln.confidence is None else max(0.0, min(1.0, ln.confidence / 100))
            table = ln.table if ln.role == "table" else None
            out.append(Line(cleaned, number, _bbox(ln.box, page), conf, per_line.get(i, ()), table))
    return out


_SPECK_BULLET = re.compile(
    r"[\u0e01-\u0e2e][\u0e31-\u0e4e]?[*#%]|หห\s|[\u0e01-\u0e2e][\u0e31-\u0e4e]{0,2}[\u0e01-\u0e2e]?\s+(?=อุปสรรค|ปัญหา)"
)


def join_lines(parts: list[str]) -> str:
    """Wrapped lines as one text: Thai wraps between words without a space, and inside brackets or after a
    slash ("จัดอบรม/จัดทำคำสั่ง"); anything else wraps at a space. A line opening with a letter and a
    star is a bullet read with a speck ("ห* อุปสรรค..."), no wrapped word, and so is "หห " ("**" read as
    letters: no Thai word starts with หห) or a word of at most two consonants and two marks before the label
    of a page's problems or obstacles ("ห่ม อุปสรรคของโครงการ", held-out 5401; "มี่ ปัญหา...", 6901)."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        thai = text and _THAI_LETTER.match(part[0]) and _THAI_LETTER.match(text[-1])
        thai = thai and not _SPECK_BULLET.match(part)
        glue = "" if thai or text.endswith(("(", "/")) or part.startswith((")", "/")) else " "
        text = f"{text}{glue}{part}" if text else part
    return text


# ---------------------------------------------------------------- values


@cache
def _scoring() -> dict[str, float]:
    return load_rules()["confidence"]


_TONE_MARK = re.compile("[\u0e48-\u0e4b]")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", fold_digits(normalize_line(text)))


def parse_value(parser: Parser, text: str, template: Template, fiscal_year: int | None = None) -> ParsedValue:
    """Read `text` with the named parser; every typed value comes from tasks.values."""
    text = text.strip()
    if parser == "money":
        return _digit_risk(parse_money(text, "form"))
    if parser == "money_table":
        return _digit_risk(parse_money(text, "table"))
    if parser == "fiscal_year":
        return _digit_risk(parse_fiscal_year(text))
    if parser == "percent":
        return parse_percent(text)
    if parser == "date":
        return _date(text, fiscal_year)
    if parser == "project_code":
        return parse_project_code(text)
    if parser == "person":
        return _person(text)
    if parser == "status":
        return _status(text, template)
    if parser == "flag":
        # a wrong tone mark on the negation ("ไม้เป็นไป") still negates: tone marks are compared away
        value = not _TONE_MARK.sub("", _compact(text)).startswith(_TONE_MARK.sub("", template.negation))
        return ParsedValue(value=value, confidence=1.0 if text else 0.0, text=text)
    if parser == "text":
        return _text(text)
    if parser == "prose":
        if _dash_and_shreds(text):
            return _specked_dash(text)
        if _LONE_STROKE.fullmatch(text):
            return _specked_dash(text, "a stroke read for the dash")
        parsed = _text(_prose_specks(_VOWEL_STROKE.sub("", text))).model_copy(update={"text": text})
        if isinstance(parsed.value, str):
            joined = _THAI_GAP.sub("", _TRAILING_STROKE.sub("", parsed.value))
            joined = _drop_trailing_speck(_unmatched_close(_trailing_junk(joined)))
            if joined != parsed.value:
                parsed = _text(joined).model_copy(update={"text": text})
        return parsed
    if parser == "count":
        digits = re.sub(r"\D", "", fold_digits(text))
        return ParsedValue(
            value=int(digits) if digits else None, confidence=1.0 if digits else 0.0, text=text
        )
    return ParsedValue(value=text or None, confidence=1.0 if text else 0.0, text=text)


# Thai digits the `tha` model confuses: ๘ and ๙ are read as ๕, ๗ as ๓, ๖ as ๒ or ๐ (and back). A Thai-digit
# number holding one of them cannot be trusted digit for digit: its confidence drops per such digit.
_RISKY_THAI_DIGITS = re.compile("[๕๓๒๐๖]")
_THAI_DIGIT = re.compile("[๐-๙]")


def _digit_risk(parsed: ParsedValue) -> ParsedValue:
    if not parsed.ok or not _THAI_DIGIT.search(parsed.text or ""):
        return parsed
    risky = len(_RISKY_THAI_DIGITS.findall(parsed.text))
    factor = _scoring().get("thai_digit_factor", 0.8) ** risky
    if _re_garbled(parsed.text):
        factor *= _scoring().get("thai_digit_factor", 0.8)
    return parsed.model_copy(
        update={
            "confidence": round(parsed.confidence * factor, 4),
            "reasons": [*parsed.reasons, f"{risky} Thai digit(s) OCR confuses with others"],
        }
    )


def _arabic_risk(fv: FieldValue) -> None:
    """A number printed in Arabic digits OCR often reads for others (6 for 4: 11 of 26 single-digit slips
    in amounts) is less certain; applied to the value chosen, as it says nothing between two readings."""
    if _THAI_DIGIT.search(fv.text or "") or not isinstance(fv.value, int | float | str):
        return
    risky = sum(fv.text.count(d) for d in _scoring()["arabic_risky_digits"])
    if risky:
        fv.confidence = round(fv.confidence * _scoring()["arabic_digit_factor"] ** risky, 4)
        fv.reasons = [*fv.reasons, f"{risky} Arabic digit(s) OCR often reads for others"]


def _re_garbled(text: str) -> bool:
    """A Thai letter glued to a number (ฒ read for ๘, ซ for ๙ ...): the number was not read cleanly."""
    return bool(re.search(r"[\u0e01-\u0e2e][๐-๙]|[๐-๙][\u0e01-\u0e2e](?<!บ)", text))


_DATE_SEPARATORS = re.compile(r"\s*[|!Il\\]\s*")


def _date(text: str, fiscal_year: int | None) -> ParsedValue:
    """parse_date, and when it finds nothing, OCR-damaged numeric dates: a separator read as | or ! or as a
    digit (31/0772564, 2021208-29), or a stray digit (30/04/25614). A repair is accepted only when exactly
    one reading is a valid date, at lower confidence."""
    parsed = parse_date(text, fiscal_year)
    if parsed.ok:
        return parsed
    fixed = _DATE_SEPARATORS.sub("/", fold_digits(text))
    fixed = re.sub(r"(?<=[\u0e01-\u0e4e])\s+(?=[\u0e01-\u0e4e])", "", fixed)  # "มีนา คม"
    again = parse_date(fixed, fiscal_year)
    if again.ok:
        return _repaired(again, text, 0.9, "date separator repaired")
    stray = _STRAY_BEFORE_DAY.search(fixed)
    if stray and (again := parse_date(stray.group(1), fiscal_year)).ok:
        return _repaired(again, text, 0.7, f"a stray digit before the day dropped ({stray.group(0)!r})")
    loose = _LOOSE_DATE.search(re.sub(f"[{MARKS}]", "", fixed))
    if loose and (again := parse_date("/".join(loose.groups()), fiscal_year)).ok:
        return _repaired(again, text, 0.7, f"date separators misread ({loose.group(0)!r})")
    iso = _LOOSE_ISO.search(fixed)
    if iso and (again := parse_date("-".join(iso.groups()), fiscal_year)).ok:
        return _repaired(again, text, 0.7, f"date separators misread ({iso.group(0)!r})")
    untimed = re.sub(r"\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*$", "", fixed)  # a time after it is no date digit
    m = re.search(r"\d[\d/\-.\s|!=>]{6,14}\d", untimed)
    if m is None:
        return parsed
    digits = re.sub(r"\D", "", m.group(0))
    found: set[str] = set()
    for drop in _drops(len(digits)):
        d = "".join(ch for k, ch in enumerate(digits) if k not in drop)
        if len(d) != 8:
            continue
        for candidate in (f"{d[:2]}/{d[2:4]}/{d[4:]}", f"{d[:4]}-{d[4:6]}-{d[6:]}"):
            year = int(candidate[-4:]) if "/" in candidate else int(candidate[:4])
            if not (1990 <= year <= 2100 or 2530 <= year <= 2650):
                continue
            got = parse_date(candidate, fiscal_year)
            if got.ok and got.confidence >= 0.9:
                found.add(got.value)
    if len(found) != 1:
        return parsed
    return ParsedValue(
        value=found.pop(), confidence=0.7, text=text, reasons=["damaged date repaired (unique valid reading)"]
    )


# Three digits before a date's two printed slashes: the first is a separator read as a digit (":" as 2,
# "231/07/2565"), not a day's digit followed by a slash read as 1.
_STRAY_BEFORE_DAY = re.compile(r"(?<!\d)\d(\d{2}/\d{1,2}/(?:25|20)\d\d)(?!\d)")
# A day, a month and a year whose separators OCR read as another mark ("30า112566", "31/0่3)2564" once
# marks are gone), or as a 1 or 7 ("26/0212564", "30706/2564", "31/087/2564"), or dropped before the year.
_SEPARATOR = r"(?:[^\d\s]{1,2}|[^\d\s]?[17][^\d\s]?)"
_LOOSE_DATE = re.compile(rf"(?<![\d/])(\d{{1,2}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}?((?:25|20)\d\d)(?!\d)")


# An ISO date (a BMA form's "2023-10-01 00:00:00") whose dashes OCR read as another mark or as a 1 or 2
# ("2024-09130", "2024209-30"), its time glued on or behind a speck ("2022-10"01", "2019:09-3000:00:00",
# "2023-10-01600:00:00", "2021-09-3000200.000")
_ISO_DASH = r"(?:[^\d\s]{1,2}|[12])"
_LOOSE_ISO = re.compile(rf"(?<!\d)((?:19|20)\d\d){_ISO_DASH}(\d\d){_ISO_DASH}(\d\d)(?=\D|\d{{0,6}}[:.]\d|$)")


def _repaired(parsed: ParsedValue, text: str, factor: float, reason: str) -> ParsedValue:
    """A date read from a repaired `text`: `factor` of its confidence, the repair named."""
    return parsed.model_copy(
        update={
            "text": text,
            "confidence": round(parsed.confidence * factor, 4),
            "reasons": [*parsed.reasons, reason],
        }
    )


def _drops(n: int) -> list[tuple[int, ...]]:
    if n == 8:
        return [()]
    if n == 9:
        return [(k,) for k in range(n)]
    if n == 10:
        return [(a, b) for a in range(n) for b in range(a + 1, n)]
    return []


# Stray marks OCR leaves around a printed value: separators, quotes, asterisks, bars, a lone letter or
# digit left from a ruling line or speck. A lone "-" is a value ("no problems") and stays.
_EDGE_JUNK = re.compile(r"^(?:[\s:;.,'\"*|#%`~!]+)|(?:[\s:;.,'\"*|#%`~!]+)$")
_EDGE_JUNK_NO_DOT = re.compile(r"^(?:[\s:;,'\"*|#%`~!]+)|(?:[\s:;,'\"*|#%`~!]+)$")
# a lone consonant, vowel or mark after the last word is a speck (not ๆ: "ต่าง ๆ" is spaced as printed)
_TRAILING_SPECK = re.compile(r"\s+(?:[^\s\w]{1,2}|[\u0e01-\u0e2e\u0e30-\u0e45\u0e47-\u0e4e])$")
_LEADING_SPECK = re.compile(r"^(?:[^\s\w-]{1,2}|[\u0e01-\u0e2e])\s+")
_LEADING_DASH = re.compile(r"^(?:-\s*)+(?=[\u0e01-\u0e4e])")  # bullets or a cell border before a Thai value
# dashes and dots after a value's last Thai word ("ขั้นพื้นฐาน-", "ปฐมวัย ,.-"): a cell border or leader
_TRAILING_DASH = re.compile(r"(?<=[\u0e01-\u0e4eA-Za-z)])[\s.,]*-[\s.,\-]*$")  # "...กระบวนการ PLC-" too
# "(. สำนักงานเขต...)", "(- สำนักงานเขต...)": no name opens so
_BRACKET_SPECK = re.compile(r"(?<=\()\s*(?:[.,'\"*|:;`]+|-+(?=\s*[\u0e01-\u0e4e]))\s*")


def _rejoin_words(text: str) -> str:
    """Drop a space OCR put inside a Thai word ("ประชุมข้า ราชการครู", "กลุ่มนโย บาย"): the space goes when the
    dictionary segmentation of the text without it has a word running across the space. A space between
    two words (a printed one) stays."""
    if not THAI_SPACE.search(text):
        return text
    trie = dictionary().trie
    words = dictionary().words
    out = text
    for m in reversed(list(THAI_SPACE.finditer(text))):
        left = out[: m.start()].rsplit(" ", 1)[-1]
        right = out[m.end() :].split(" ", 1)[0]
        at, pos = len(left), 0
        for token in segment(left + right, custom_dict=trie):
            if pos < at < pos + len(token) and token in words and len(token) > 2:
                out = out[: m.start()] + out[m.end() :]
                break
            pos += len(token)
    return out


_ABBREVIATION_END = re.compile(r"(?<![\u0e01-\u0e4e])[\u0e01-\u0e4e]{1,3}\.[\u0e01-\u0e4e]{1,3}\.$")


_DASH_AND_SPECKS = re.compile(
    r"[\s\-:.,'|*]*(?:[0-9๐-๙][\s\-:.,'|*]*)?-[\s\-:.,'|*]*(?:[0-9๐-๙][\s:.,'|*]*)?"
)
# A report that is one stroke ("ปัญหาของโครงการ :1"): the dash of "nothing to report" read as a digit or
# letter (all 6 such readings on the stored sets stood for "-").
_LONE_STROKE = re.compile(r"[\s:.]*[1lI|][\s:.]*")
# The colon after a label read as a leading vowel and a stroke ("อุปสรรคของโครงการ ไ1ไม่มี"): a leading
# vowel comes before a consonant in every Thai word, never before a stroke.
_VOWEL_STROKE = re.compile(r"^[\u0e40-\u0e44][1lI|:;!]+(?=[\u0e01-\u0e2e\u0e40-\u0e44])")
_REPEATED = re.compile(r"^([\u0e01-\u0e4e][^\s]{3,}) \1$")  # one word printed twice, read once


def _specked_dash(text: str, why: str = "a dash with specks around it") -> ParsedValue:
    return ParsedValue(value="-", confidence=0.9, text=text, reasons=[why])


def _dash_and_shreds(text: str) -> bool:
    """Prose that is a dash, then a few letters that read as no word longer than two ("- ( สม ณั ฒณด",
    "- 6จก"): a line under the dash OCR shredded (a rule, a garbled label), not a report. (Not for a
    person: a name segments into short pieces, "- ศิริพร".)"""
    head, dash, rest = text.strip().partition("-")
    thai = re.findall(r"[\u0e01-\u0e4e]+", rest)
    if head or not dash or not thai or sum(map(len, thai)) > 8:
        return False
    return all(len(token) <= 2 for run in thai for token in segment(run, custom_dict=dictionary().trie))


# A mark between two Thai words ("พัฒนา . คุณภาพ", "ทักษะ ' เด็ก", "ระดับ - ปฐมวัย", "ศึกษา.สืบสาน"): a speck in
# the gap between them. One OCR spaced off on either side goes with those spaces (printed Thai runs its
# words together: 70 of 81 such specks on the nine stored sets had no printed space); one glued to both
# words stands where the print has a space (12 of 16). Not after an abbreviation ("สพป.", "มิ.ย.-ส.ค."):
# the word before the mark is four letters or more.
_GAP_SPECK = re.compile(r"(?<=[\u0e01-\u0e4e]{4})(\s*)[.\-\"'|*:,_~]+(\s*)(?=[\u0e01-\u0e2e\u0e40-\u0e44(])")


def _unspeck_gap(m: re.Match[str]) -> str:
    glued = not (m.group(1) or m.group(2))
    return " " if glued or m.string[m.end()] == "(" else ""


def _text(text: str) -> ParsedValue:
    if text.strip() in ("-", ":-", "- |", "-."):
        return ParsedValue(value="-", confidence=1.0, text=text)
    if _DASH_AND_SPECKS.fullmatch(text):  # "- 8", "- - 3", "1-": a dash (nothing to report) and specks
        return _specked_dash(text)
    out = _BRACKET_SPECK.sub("", _LONE_MARKS.sub("", _GAP_SPECK.sub(_unspeck_gap, text)))
    out, prev = _leading_junk(out), None
    while out != prev:
        prev = out
        out = _EDGE_JUNK_NO_DOT.sub("", out)
        if not _ABBREVIATION_END.search(out):  # "มิ.ย.-ส.ค." keeps its last dot
            out = _EDGE_JUNK.sub("", out)
        out = _TRAILING_SPECK.sub("", out)
        out = _drop_leading_speck(out)
        out = _TRAILING_DASH.sub("", _LEADING_DASH.sub("", out))
        out = _drop_trailing_conjunction(out)
    if not out and "-" in text:
        out = "-"
    out = _rejoin_words(_REPEATED.sub(r"\1", out))
    conf = 1.0 if out == text.strip() else 0.95
    unknown = unknown_words(out)
    reasons = [f"{unknown} word(s) not in the dictionary"] if unknown else []
    conf *= _scoring().get("unknown_word_factor", 0.8) ** unknown
    return ParsedValue(value=out or None, confidence=conf if out else 0.0, text=text, reasons=reasons)


_ABBREVIATION = re.compile(r"(?:[\u0e01-\u0e4e]{1,3}\.)+")  # น.ส., ร.ต., กทม.
_SPECK_CONJUNCTION = "แต่"  # what OCR reads a fax's speck as, most often (margins, ends and starts of lines)


def _drop_trailing_conjunction(text: str) -> str:
    """A value ending in the word แต่ ("but"), which no name or statement ends with: a speck after it
    ("...ปลอดภัยแต่", "...ปฐมวัย แต่"); not the end of a longer word (ตั้งแต่)."""
    if not text.endswith(_SPECK_CONJUNCTION):
        return text
    head = text[: -len(_SPECK_CONJUNCTION)].rstrip()
    tokens = segment(text.replace(" ", ""), custom_dict=dictionary().trie)
    return head if tokens[-1] == _SPECK_CONJUNCTION and len(head) >= 3 and _thai([head]) else text


def _drop_leading_speck(text: str) -> str:
    """`_LEADING_SPECK` removed, unless it is a letter OCR split off a word ("อ บรม...")."""
    m = _LEADING_SPECK.match(text)
    if m is None or _split_off(m.group().strip(), text[m.end() :]):
        return text
    return text[m.end() :]


def _split_off(token: str, rest: str) -> bool:
    """`token` is the start of a word OCR split with a space ("อ บรมพัฒนา": อบรม), which `_rejoin_words`
    joins again: no speck to drop."""
    d = dictionary()
    first = segment(token + rest.split(" ", 1)[0], custom_dict=d.trie)[0]
    return len(first) > max(len(token), 2) and first in d.words


_DIGIT_BY_LETTER = re.compile(r"[0-9๐-๙][\u0e01-\u0e2e]|[\u0e01-\u0e2e][0-9๐-๙]")


def _thai(tokens: list[str]) -> bool:
    """Whether Thai text (a run of three letters or marks) is among `tokens`."""
    return bool(re.search(r"[\u0e01-\u0e4e]{3}", " ".join(tokens)))


_WORD_START = re.compile("[\u0e01-\u0e2e\u0e40-\u0e44]")  # a Thai consonant or leading vowel


def _letters(token: str) -> int:
    """Thai consonants and leading vowels of a token: how long a word it could be."""
    return len(_WORD_START.findall(token))


def _leading_junk(text: str) -> str:
    """Specks read as short tokens before a value ("«7 ร 7 สำนักงานเขต..."): tokens that are no word and
    have at most two Thai letters (three beside a digit or a symbol) are dropped while Thai text follows;
    not the start of a word OCR split (`_split_off`)."""
    d = dictionary()
    tokens = text.split()
    # a digit glued to a letter ("เว้ 4ม ๓ ป) สิ่งแวดล้อม...") is a speck: so is any short word before it
    glued = next((i for i, t in enumerate(tokens[:4]) if _DIGIT_BY_LETTER.search(t)), None)
    if (
        glued is not None
        and all(_letters(t) <= 3 for t in tokens[: glued + 1])
        and _thai(tokens[glued + 1 :])
    ):
        tokens = tokens[glued + 1 :]
    while len(tokens) > 1 and _thai(tokens[1:]):
        t = tokens[0]
        if t in d.words or _ABBREVIATION.fullmatch(t) or t == "-" or _split_off(t, tokens[1]):
            break
        letters = _letters(t)
        if letters > 3 or (letters == 3 and not re.search(r"[^\u0e01-\u0e4e]", t)):
            break
        tokens = tokens[1:]
    return " ".join(tokens) if len(tokens) < len(text.split()) else text


# A space OCR put between two Thai letters of running prose (not before an abbreviation such as "มิ.ย.").
_ABBREVIATION_GAP = re.compile(r"(\.[\u0e01-\u0e4e]{1,3}) +\.")  # "มิ.ย.-ส.ค .": the last dot set apart
_LONE_MARKS = re.compile(r"\s+[*'\"“”«»+|;:.]+(?=\s)")  # "ตาม * แผน", "จัดอบรม/ . ' จัดทำ"
# a mark stuck to the end of a word (three letters or more: not an abbreviation) before more Thai:
# "ขออนุมัติ. โครงการ", "จัดอบรม */จัดทำ"
_STUCK_MARKS = re.compile(r"(?<=[\u0e01-\u0e4e]{3})\s*[*'\".]+(?=\s*[\u0e01-\u0e4e/])")
_SLASH_GAP = re.compile(r"(?<=[\u0e01-\u0e4e])\s*/\s*(?=[\u0e01-\u0e4e])")  # "จัดอบรม /จัดทำ"
# a year glued to the word before it: prose spaces it ("โคโรนา 2019", "ปีงบประมาณ ๒๕๖๖")
_GLUED_YEAR = re.compile(r"(?<=[\u0e01-\u0e4e])(?=(?:19|20|25|๑๙|๒๐|๒๕)[0-9๐-๙]{2}(?![0-9๐-๙]))")


def _prose_specks(text: str) -> str:
    """Specks OCR reads inside a line of prose, as marks between its words; words are rejoined later."""
    text = month_range(_ABBREVIATION_GAP.sub(r"\1.", _glued_speck(text)))
    text = _SLASH_GAP.sub("/", _STUCK_MARKS.sub("", _LONE_MARKS.sub("", text)))
    return _GLUED_YEAR.sub(" ", text)


def _glued_speck(text: str) -> str:
    """Specks read as consonants glued to the prose's words: a lone consonant the word list cuts off before
    the first word ("ดดำเนินการ", "ลจัดซื้อ": 5 report texts of sets 5701-6201) or between two words
    ("อยู่ระหว่างตดำเนินการ", "กำหนดตดำเนินการ"; in the progress records of sets 5701-6301 it stands so 25
    times, each a misreading; in their truth only in a name after a title, and in the seeds only where the
    seed itself is misread: ประพฤติน, ท่างไกล), itself no word, the words beside it of three letters or more
    and the one before it no title (นาย|จ|รงค์ is a name). Not ณ, which is one ("ณวันที่")."""
    d = dictionary()

    def word(w: str) -> bool:
        return len(w) >= 3 and w in d.words

    def speck(w: str) -> bool:
        return bool(re.fullmatch("[\u0e01-\u0e2e]", w)) and w != "ณ" and w not in d.words

    chunks = text.split(" ")
    for n, chunk in enumerate(chunks):
        words = segment(chunk, custom_dict=d.trie)
        kept = [
            w
            for i, w in enumerate(words)
            if not (
                speck(w)
                and i + 1 < len(words)
                and word(words[i + 1])
                and ((i == 0 and n == 0) or (i > 0 and word(words[i - 1]) and words[i - 1] not in d.titles))
            )
        ]
        chunks[n] = "".join(kept)
    return " ".join(chunks)


# a rule's end or a speck after prose read as 1, l, | or ๑ (not a number after ที่: "งวดที่ 1"), also
# after a year closing the prose ("...โคโรนา 2019 1") or a month's abbreviation ("มิ.ย.-ส.ค. 1", held-out
# 6001; not a class's one letter: "ป. 1")
_TRAILING_STROKE = re.compile(
    r"(?:(?<=[\u0e01-\u0e4e])(?<!ที่)|(?<=[\u0e01-\u0e4e] \d{4})|(?<=[\u0e01-\u0e4e]\.[\u0e01-\u0e4e]\.))"
    r"\s+[1l|๑]$"
)


def _unmatched_close(text: str) -> str:
    """A closing bracket ending prose that opens none ("...การเพิ่มเติม)"): a cell border or a speck."""
    if text.endswith((")", "]")) and text.count("(") + text.count("[") < text.count(")") + text.count("]"):
        return text[:-1].rstrip()
    return text


_SPECK_LETTER = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e45\u0e47-\u0e4e]")  # a Thai letter or mark, not ฯ/ๆ


_SPECK_MARK = re.compile(r"[*%!'=«»|#~^]")
_NUMBER = re.compile(r"[0-9๐-๙]{2,}")


def _trailing_junk(text: str) -> str:
    """A speck line read as the last line of prose ("...โคโรนา 2019 *%%* 6 ! '-=: ณั"): the tokens after
    the last Thai word or number go when they hold three speck marks or more and no word of three
    letters."""
    tokens = text.split()
    cut = len(tokens)
    while cut > 1 and _letters(tokens[cut - 1]) < 3 and not _NUMBER.search(tokens[cut - 1]):
        cut -= 1
    if cut == len(tokens) or len(_SPECK_MARK.findall(" ".join(tokens[cut:]))) < 3:
        return text
    return " ".join(tokens[:cut])


def _drop_trailing_speck(text: str) -> str:
    """A lone letter or vowel glued to the end of prose ("ยังไม่มีการดำเนินการเพิ่มเติมะ", "ขออนุมัติน"): a
    speck, when it is no word and what precedes it ends in one, or when the text reads better as Thai
    without it ("...โครงการม" is โครง|กา|รม, "...โครงการ" one word)."""
    d = dictionary()
    if not text or not _SPECK_LETTER.match(text[-1]) or text.split()[-1] in d.names:
        return text  # ฯ and ๆ are printed at word ends; a person's name is no prose to mend
    tokens = segment(text, custom_dict=d.trie)
    if len(tokens) > 1 and len(tokens[-1]) == 1 and tokens[-1] not in d.words and tokens[-2] in d.words:
        return text[:-1]
    if len(tokens) > 2 and _THAI_LETTER.match(text[-2]) and _thai_quality(text[:-1]) < _thai_quality(text):
        return text[:-1]
    return text


_THAI_GAP = re.compile(r"(?<=[\u0e01-\u0e4e])\s+(?=[\u0e01-\u0e4e](?![\u0e01-\u0e4e]{0,2}\.))")


_SHORT_OF_FORM = "one word, though the project's own form prints the full name"
_SPLIT_NAME = re.compile(r"(?<=[\u0e01-\u0e4e])\s+-\s+(?=[\u0e01-\u0e4e])")


def _person(text: str) -> ParsedValue:
    parsed = parse_person_name(text)
    if parsed.ok:
        v = dict(parsed.value)
        reasons, confidence = list(parsed.reasons), parsed.confidence
        for part in ("first", "last"):
            if v[part]:
                v[part], confidence = _known(v[part], f"{part} name", reasons, confidence, part == "first")
        name = f"{v['title'] or ''}{v['first']}" + (f" {v['last']}" if v["last"] else "")
        return parsed.model_copy(update={"value": name, "reasons": reasons, "confidence": confidence})
    # An office names a unit, or a table abbreviates to a first name: keep the words as printed, without
    # the specks around them; a lone given name one cheap confusion from a known one is read as it.
    words = _text(re.split(r"โทร", text)[0].strip(" .()[]:")).value
    if not isinstance(words, str) or words == "-":
        return parsed
    reasons, confidence = ["not a titled full name; kept as printed"], 0.85
    # a given name a speck split ("สุ - พัตรา" in a fax's project list): one name, when it reads as a known one
    joined = _SPLIT_NAME.sub("", words)
    if joined != words and _known(joined, "name", [], 0.0, given=True)[0] in dictionary().names:
        words = joined
    if re.fullmatch(r"[\u0e01-\u0e4e]+", words):
        words, confidence = _known(
            words, "name", reasons, confidence, given=True
        )  # a list cell: a given name
    return ParsedValue(value=words, confidence=confidence, reasons=reasons, text=text)


_KNOWN_NAME = "read as the known name"
_NEAR_NAMES = "kept as read: one OCR confusion from both known names"


def _known(word: str, what: str, reasons: list[str], confidence: float, given: bool) -> tuple[str, float]:
    """A name read as the known name one cheap confusion (or, for a `given` name, any edit) away; flagged
    by the edit's cost and a reason."""
    known = known_name(word, loose=given)
    if known is None:
        near = near_names(word)
        if len(near) > 1:  # as near to two: which one was printed is a guess
            reasons.append(f"{what} {word!r} {_NEAR_NAMES} {' and '.join(repr(n) for n, _ in near[:2])}")
            return word, confidence - near[0][1]
        return word, confidence
    reasons.append(f"{what} {word!r} {_KNOWN_NAME} {known[0]!r}")
    return known[0], confidence - known[1]


def _status(text: str, template: Template) -> ParsedValue:
    key = _compact(text)
    best, best_score = None, 0.0
    for status, wordings in template.statuses.items():
        for wording in wordings:
            score = fuzz.ratio(key, _compact(wording)) / 100
            if score > best_score:
                best, best_score = status, score
    if best is None or best_score < 0.8:
        return ParsedValue(value=None, confidence=0.0, reasons=[f"no status reads like {text!r}"], text=text)
    return ParsedValue(value=best, confidence=best_score, text=text)


def _reading(origin: str, parsed: ParsedValue, line: Line, label_score: float = 1.0) -> Reading:
    # only corrections inside the value count: a repaired label or a neighbour does not make it doubtful
    corrections = sum(1 for fix in line.fixes if fix in (parsed.text or ""))
    corr = _scoring()["correction_factor"] ** corrections
    conf = max(0.0, min(1.0, line.confidence * parsed.confidence * label_score * corr))
    reasons = list(parsed.reasons)
    if label_score < 1:
        reasons.append(f"label matched fuzzily ({label_score:.2f})")
    if corrections:
        reasons.append(f"{corrections} {CORRECTIONS_REASON}")
    fv = FieldValue(
        value=parsed.value,
        text=parsed.text,
        confidence=round(conf, 4),
        page=line.page,
        bbox=line.bbox,
        reasons=reasons,
    )
    n = _SPACING_CONTEXT
    breaks = [(_unspaced(line.text[:b])[-n:], _unspaced(line.text[b:])[:n]) for b in line.breaks]
    return Reading(origin=origin, value=fv, breaks=breaks)


def _unspaced(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- sections and fields


@dataclass
class Draft:
    readings: dict[str, list[Reading]] = field(default_factory=dict)
    progress: list[ProgressRecord] = field(default_factory=list)
    progress_alternates: list[dict[str, Any]] = field(default_factory=list)
    entries_read: list[bool] = field(default_factory=list)  # each progress entry in print order: read or not
    names: list[Reading] = field(default_factory=list)  # titled full names printed in the project's text

    def add(self, name: str, reading: Reading) -> None:
        if reading.value.value is not None:
            self.readings.setdefault(name, []).append(reading)

    def first(self, name: str) -> Any:
        got = self.readings.get(name)
        return got[0].value.value if got else None


@dataclass
class _Labels:
    """The template's labels, normalised as lines are, with the fields each one introduces."""

    anchored: list[Label]
    inline: list[Label]
    fields: dict[str, list[str]]


def _labels(template: Template) -> _Labels:
    fields: dict[str, list[str]] = {}
    inline: dict[str, Label] = {}
    for name, spec in template.fields.items():
        for text in spec.labels:
            key = normalize_line(text)
            fields.setdefault(key, []).append(name)
            if spec.inline:
                inline[key] = Label(key, template.family, "template")
    anchored = [Label(k, template.family, "template") for k in fields if k not in inline]
    anchored += [Label(normalize_line(t), template.family, "ignore") for t in template.ignore_labels]
    return _Labels(anchored, list(inline.values()), fields)


def _cut(spec: FieldSpec, value: str) -> str | None:
    if spec.pattern is None:
        return value
    m = re.search(spec.pattern, value)
    return m.group("v") if m else None


def _structural(template: Template, text: str) -> bool:
    """A line the template gives a meaning to (so it cannot continue a wrapped value)."""
    pats = [s.pattern for s in template.sections if s.pattern] + [g.pattern for g in template.groups]
    pats += [f.pattern for f in template.fields.values() if f.pattern and not f.labels]
    if template.progress:
        pats += [template.progress.start, *template.progress.end]
    return any(re.search(p, text) for p in pats)


def _section_start(template: Template, text: str) -> tuple[dict[str, str], SectionStart] | None:
    for start in template.sections:
        if start.pattern and (m := re.search(start.pattern, text)):
            return {k: v for k, v in m.groupdict().items() if v}, start
        if start.label and find_label(text, normalize_line(start.label), min_score=0.8):
            return {}, start
    return None


def _read_fields(
    template: Template, lines: list[Line], skip: set[int], labels: _Labels, sections: list[Draft], doc: Draft
) -> list[int]:
    """Fill the drafts from label and pattern fields; returns the line index each section starts at."""
    starts: list[int] = []
    group: dict[str, Reading] = {}
    current: Draft | None = sections[0] if not template.sections else None
    fy = None
    i = 0
    while i < len(lines):
        line, text = lines[i], lines[i].text
        i += 1
        if i - 1 in skip or line.table is not None:
            continue
        if grouped := _group(template, line):
            group = grouped
            continue
        if (opened := _section_start(template, text)) is not None:
            values, start = opened
            current = Draft()
            sections.append(current)
            starts.append(i - 1)
            for name, raw in values.items():
                at = line
                if name in start.wraps and (wrap := _heading_wrap(template, lines, i, skip, labels)):
                    raw, at = join_lines([raw, wrap.text]), _grown(line, wrap)
                current.add(
                    name,
                    _reading(
                        "section",
                        parse_value(template.fields.get(name, FieldSpec()).parser, raw, template),
                        at,
                    ),
                )
            for name, value in start.set.items():
                current.add(
                    name, _reading("section", ParsedValue(value=value, confidence=1.0, text=text), line)
                )
            for name, reading in group.items():
                current.add(name, reading)
            continue
        fy = fy or doc.first("fiscal_year") or (current.first("fiscal_year") if current else None)
        head, pieces = text, []
        for lb in labels.inline:
            if m := find_label(text, lb.text, min_score=0.85):
                head = head[: m.start] if m.start < len(head) else head
                pieces.append((m, labels.fields[lb.text]))
        found = match_label(head, labels.anchored, anchored=True, min_score=0.8)
        # a label running into more letters may be part of a longer word ("หน่วยงานต้นสังกัด"); one ending
        # in a bracket or a stop cannot ("ใช้ไป (รวมผูกพันแล้วยังไม่ส่งเบิก)จำนวน")
        glued = (
            found is not None
            and found.value_start == found.end < len(head)
            and bool(_THAI_LETTER.match(head[found.end - 1]))
            and bool(_THAI_LETTER.match(head[found.end]))  # "ปีงบประมาณ2568": a number ends no word
        )
        if glued and found is not None and found.label in labels.fields:
            # also a label OCR misread ("ข็อโครงการอนุรักษ์...", fax 4701): a `glued` field's value follows it
            glued = not all(template.fields[name].glued for name in labels.fields[found.label])
        if glued and found is not None and any(start == found.end for start, _ in person_name_spans(head)):
            glued = False  # a titled name run into its label ("ผู้รับผิดชอบนางเอกรัฐ ..."): no longer word
        if found is not None and found.label in labels.fields and not glued:
            value = head[found.value_start :]
            for name in labels.fields[found.label]:
                spec = template.fields[name]
                text_, at = (
                    _continued(template, lines, i, skip, labels, value, line)
                    if spec.multiline
                    else (value, line)
                )
                _store(template, spec, name, text_, at, found.score, current, doc, fy)
        for m, names in pieces:
            for name in names:
                spec = template.fields[name]
                text_, at = (
                    _continued(template, lines, i, skip, labels, m.value, line)
                    if spec.multiline
                    else (m.value, line)
                )
                _store(template, spec, name, text_, at, m.score, current, doc, fy)
        for name, spec in template.fields.items():
            if not spec.labels and spec.pattern and re.search(spec.pattern, text):
                _store(template, spec, name, text, line, 1.0, current, doc, fy)
            elif (
                not spec.labels
                and spec.scope == "document"
                and spec.vocabulary
                and (known := _vocabulary_line(text, spec.vocabulary)) is not None
            ):
                _store(template, spec, name, known, line, _VOCABULARY_SCORE, current, doc, fy)
    return starts


_WRAP_REACH = 0.1  # a heading ending this close (a share of the page's width) to the text edge wrapped
# letters of a heading's wrapped words: a shorter line after a heading is a speck or a piece of the next line
# that may read as a word ("เป้"), a longer one an activity of the project ("สรุปผลการดำเนินงานและรายงานผล...");
# the wrapped names of the stored sets' pages are ขั้นพื้นฐาน and อิเล็กทรอนิกส์
_MIN_WRAP, _MAX_WRAP = 5, 20


def _heading_wrap(
    template: Template, lines: list[Line], j: int, skip: set[int], labels: _Labels
) -> Line | None:
    """The line a section heading's value (its `wraps`) wrapped onto ("๑.๓.๓ โครงการ...โอกาสทางการศึกษา" /
    "ขั้นพื้นฐาน."): the heading reaches the text edge, and the next line is dictionary Thai words alone (specks
    at its ends aside), no label and no structure. The budget table's reading completes a cut heading
    only when its own tail reads clean (_completed), and a misread one does not ("ขันพีนฐาน")."""
    heading = lines[j - 1]
    if j >= len(lines) or j in skip or heading.bbox is None:
        return None
    nxt = lines[j]
    if nxt.table is not None or nxt.page != heading.page or _structural(template, nxt.text):
        return None
    edge = max(ln.bbox[2] for ln in lines if ln.page == heading.page and ln.bbox)  # its widest-reaching line
    if heading.bbox[2] < edge - _WRAP_REACH:
        return None
    if match_label(nxt.text, labels.anchored, anchored=True, min_score=0.8) is not None:
        return None
    words = _EDGE_SPECKS.sub("", nxt.text)
    return replace(nxt, text=words) if _MIN_WRAP <= len(words) <= _MAX_WRAP and _clean_tail(words) else None


def _grown(line: Line, other: Line) -> Line:
    """`line` with its box grown over `other`'s (a reviewer's crop, a second reading)."""
    if line.bbox is None or other.bbox is None:
        return line
    a, b = line.bbox, other.bbox
    return replace(line, bbox=[min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])])


_EDGE_SPECKS = re.compile(r"^[^\u0e01-\u0e4e]+|[^\u0e01-\u0e4e]+$")


MISSING = "not found: every record of this family prints it"  # a required field no line gave
_VOCABULARY_SCORE = 0.8  # a line found by its skeleton is less certain than one the pattern matched


@cache
def _skeletons(vocabulary: str) -> list[tuple[str, str]]:
    """(skeleton, value) of a vocabulary's values, longest first."""
    return [(skeleton(v), v) for v in sorted(domain_words(vocabulary), key=len, reverse=True)]


# specks before a line's first letter, or read as the word แต่ ("แต่ สำนักงานเขตพื้นที่...", set 5001's fax)
_LEADING_SPECKS = re.compile(rf"^(?:[^\u0e01-\u0e4e\w]{{1,8}}|{_SPECK_CONJUNCTION}\s+)+")
_FUZZY_SKELETON = 20  # a known value this long (in skeleton letters) is also found one OCR slip away


def _skeleton_prefix(line: str, key: str) -> tuple[int, int] | None:
    """(slips, letters of `line` taken) when `line` starts with `key`, exactly or, for a long key, but for
    one letter OCR added, dropped or changed ("สำบนักงาน" for "สำนักงาน")."""
    if line.startswith(key):
        return 0, len(key)
    if len(key) < _FUZZY_SKELETON:
        return None
    for taken in (len(key), len(key) + 1, len(key) - 1):
        if Levenshtein.distance(line[:taken], key, score_cutoff=1) <= 1:
            return 1, taken
    return None


def _vocabulary_line(text: str, vocabulary: str) -> str | None:
    """A line that is a known value OCR stripped of its marks ("สานกงานเขตพนทการศกษาประถมศึกษาชยภีม"):
    its skeleton starts with the value's (or, for a long value, with one slip: the only value that close).
    The known spelling, then the rest of the line as read; specks before the line's first letter are none
    of it (". ., ล้านักงาน...")."""
    text = _LEADING_SPECKS.sub("", text)
    line = skeleton(text)
    found = [(m, known) for key, known in _skeletons(vocabulary) if (m := _skeleton_prefix(line, key))]
    if not found:
        return None
    best = min(slips for (slips, _), _ in found)
    closest = [(taken, known) for (slips, taken), known in found if slips == best]
    if best and len(closest) > 1:
        return None  # one slip from two values: which one is a guess
    taken, known = closest[0]  # longest first
    kept, pos = 0, 0  # where in `text` the skeleton's first `taken` letters end
    while kept < taken:
        kept += len(skeleton(text[pos]))
        pos += 1
    while pos < len(text) and not text[pos].isspace() and not skeleton(text[pos]):  # the last letter's marks
        pos += 1
    return known + text[pos:]


def _continued(
    template: Template, lines: list[Line], j: int, skip: set[int], labels: _Labels, value: str, line: Line
) -> tuple[str, Line]:
    """A wrapped value: the following lines that carry no label and no structure of their own, and
    `line` with its box grown over those of them on its page (a reviewer's crop, a second reading)."""
    parts = [value]
    while (
        j < len(lines)
        and j not in skip
        and lines[j].table is None
        and not _structural(template, lines[j].text)
    ):
        if match_label(lines[j].text, labels.anchored, anchored=True, min_score=0.8) is not None:
            break
        parts.append(lines[j].text)
        if lines[j].page == line.page:
            line = _grown(line, lines[j])
        j += 1
    return join_lines(parts), line


def _store(
    template: Template,
    spec: FieldSpec,
    name: str,
    value: str,
    line: Line,
    score: float,
    current: Draft | None,
    doc: Draft,
    fy: int | None,
) -> None:
    cut = _cut(spec, value)
    if cut is None:
        return
    for pattern, replacement in spec.fixes:
        cut = re.sub(pattern, replacement, cut)
    parsed = parse_value(spec.parser, cut, template, fy)
    target = doc if spec.scope == "document" else current
    if target is not None and parsed.ok:
        target.add(name, _reading("document" if spec.scope == "document" else "text", parsed, line, score))


_MENTION_SCORE = 0.8  # a value named another way (an abbreviation expanded) is less certain than printed


def _read_mentions(template: Template, lines: list[Line], doc: Draft) -> None:
    """Readings of document fields from their `mentions` on `lines` (running headers included). A mention
    counts when it reads exactly as one of the field's own readings, or, with none, as a value its
    vocabulary knows: a header OCR garbled or cut ("สพป.ระนอง" of "สพป.ระนอง เขต ๑") is no second opinion.
    One naming an own reading's listed office with another number is: the digit OCR confuses there (๖ read
    for ๒ in the title, unflagged on every project) then has a reading that disagrees."""
    for name, spec in template.fields.items():
        if spec.scope != "document" or not spec.mentions:
            continue
        own = [r.value.value for r in doc.readings.get(name, [])]
        numbered = {office for v in own if (office := _numbered_office(v, spec))}
        for line in lines:
            for mention in spec.mentions:
                for m in re.finditer(mention.pattern, line.text):
                    text = mention.value.format(v=m.group("v"))
                    for pattern, replacement in spec.fixes:
                        text = re.sub(pattern, replacement, text)
                    parsed = parse_value(spec.parser, text, template)
                    if parsed.ok and (
                        (parsed.value in own or _numbered_office(parsed.value, spec) in numbered)
                        if own
                        else _known_value(parsed.value, spec)
                    ):
                        doc.add(name, _reading("mention", parsed, line, _MENTION_SCORE))


def _numbered_office(value: Any, spec: FieldSpec) -> str | None:
    """The listed value a text names when its vocabulary's `known_suffix` (an office's number) follows it."""
    if not (isinstance(value, str) and spec.vocabulary and spec.known_suffix):
        return None
    m = vocabulary_pattern(spec.vocabulary, spec.known_suffix).fullmatch(value)
    return m.group("known") if m and m.end("known") < len(value) else None


def _group(template: Template, line: Line) -> dict[str, Reading] | None:
    for spec in template.groups:
        if m := re.search(spec.pattern, line.text):
            out = {}
            for name, raw in m.groupdict().items():
                if name != "count" and raw:
                    parsed = parse_value(spec.parsers.get(name, "text"), raw, template)
                    if parsed.ok:
                        out[name] = _reading("group", parsed, line)
            return out
    return None


def _counts(template: Template, lines: list[Line]) -> list[StatedCount]:
    out = []
    for line in lines:
        for spec in template.counts:
            if m := re.search(spec.pattern, line.text):
                status = m.groupdict().get("status")
                count = parse_value("count", m.group("count"), template).value
                out.append(
                    StatedCount(
                        status=_status(status, template).value if status else None,
                        count=count,
                        page=line.page,
                        text=line.text,
                    )
                )
                break
    return out


# ---------------------------------------------------------------- progress entries


def split_merged_starts(spec: ProgressSpec, lines: list[Line]) -> list[Line]:
    """OCR sometimes prints an entry's end line and the next entry's first line as one ("-------(4)
    ความคืบหน้า..."): such a line is split where the start follows the end, so neither entry is lost."""
    out: list[Line] = []
    start = spec.start.removeprefix("^")
    for line in lines:
        ends = [m.end() for p in spec.end for m in re.finditer(p, line.text)]
        cut = next((e for e in sorted(ends) if re.match(start, line.text[e:].lstrip())), None)
        if cut is None or line.table is not None or re.search(spec.start, line.text):
            out.append(line)
            continue
        out.append(replace(line, text=line.text[:cut].rstrip()))
        out.append(replace(line, text=line.text[cut:].strip()))
    return out


def _entries(spec: ProgressSpec, template: Template, lines: list[Line]) -> list[tuple[int, list[int]]]:
    """(first line, all lines) of every progress entry; an entry runs to the next start or an end line."""
    out: list[tuple[int, list[int]]] = []
    open_: list[int] | None = None
    for i, line in enumerate(lines):
        if line.table is not None:
            continue
        if re.search(spec.start, line.text):
            open_ = [i]
            out.append((i, open_))
        elif open_ is not None:
            if any(re.search(p, line.text) for p in spec.end) or _section_start(template, line.text):
                open_ = None
            else:
                open_.append(i)
    return out


CUT = "\x1f"  # left where a floating value was cut out of a progress entry: `pattern` may stop at it


_INKED = re.compile(r"[\u0e01-\u0e4e\u0e50-\u0e59A-Za-z0-9]")


def _lines_holding(raw: str, lines: list[Line], idx: list[int]) -> list[int]:
    """The lines of an entry a value was read from: those holding it whole, or else every line with a letter
    or digit (a value wrapped over lines). A speck's line (".+", OCR confidence 0) is no part of a value."""
    value = raw.strip()
    whole = [i for i in idx if value and value in lines[i].text]
    return whole or [i for i in idx if _INKED.search(lines[i].text)] or idx


def _progress_record(
    spec: ProgressSpec, template: Template, lines: list[Line], idx: list[int], fy: int | None, source: str
) -> tuple[ProgressRecord | None, dict[str, Any], Issue | None]:
    text = join_lines([lines[i].text for i in idx])
    first = lines[idx[0]]
    rest, floating = text, {}
    for name, regex in spec.floating.items():
        found = list(re.finditer(re.sub(r"\s*\n\s*", "", regex), rest))
        if found:
            floating[name] = found[-1].group("v")
            rest = f"{rest[: found[-1].start()]}{CUT}{rest[found[-1].end() :]}"
    m = re.search(re.sub(r"\s*\n\s*", "", spec.pattern), rest)
    loose = m is None and spec.fallback is not None
    if loose:
        m = re.search(re.sub(r"\s*\n\s*", "", spec.fallback or ""), rest)
    if m is None:
        return (
            None,
            {},
            Issue(rule="progress_entry_unread", message=f"entry not read: {text[:300]}", page=first.page),
        )
    values: dict[str, Any] = {}
    alternates: dict[str, Any] = {}
    confs: dict[str, float] = {}
    held: dict[str, list[int]] = {}  # the entry's lines each value was read from
    reasons = []
    for name, raw in {**m.groupdict(), **floating}.items():
        parsed = parse_value(spec.parsers.get(name, "text"), raw or "", template, fy)
        reasons += [f"{name}: {r}" for r in parsed.reasons]
        if name.endswith("_alt"):  # a second reading is compared by validation, not trusted here
            alternates[name.removesuffix("_alt")] = parsed.value
        else:
            values[name] = parsed.value
            confs[name] = parsed.confidence if raw else 0.0
            held[name] = _lines_holding(raw or "", lines, idx)
    for name, value in alternates.items():
        if values.get(name) is None and value is not None:  # the first reading is damaged: take the second
            values[name] = value
            confs[name] = _scoring().get("fallback_factor", 0.8)
            reasons.append(f"{name}: unreadable; taken from the reading printed beside it")
    if loose:
        confs = {name: c * _scoring().get("fallback_factor", 0.8) for name, c in confs.items()}
        reasons.append("entry read by the template's looser fallback pattern")
    if values.get("seq") is None:
        confs.pop("seq", None)  # the entry number is inferred from its neighbours (_renumber)
    factor = _scoring()["correction_factor"]  # per correction on a line the value was read from
    line_conf = {n: min(lines[i].confidence * factor ** len(lines[i].fixes) for i in held[n]) for n in confs}
    sure = {name: round(max(0.0, min(1.0, c * line_conf[name])), 4) for name, c in confs.items()}
    record = ProgressRecord.model_construct(
        source=source,
        confidence=min(sure.values(), default=0.0),  # the row: its least sure value
        field_confidence=sure,
        page=first.page,
        bbox=first.bbox,
        needs_review=True,
        text=text,
        project_code=None,
        project_name=None,
        reasons=reasons,
        **values,
    )  # validated once its entry number is settled (_renumber)
    return record, alternates, None


def _consensus(rows: list[ProgressRecord], names: list[str], min_score: float) -> None:
    """Free texts that recur over a document's progress rows ("งบประมาณได้รับล่าช้า", a repeated note) are
    misread differently each time: a reading nearly identical (rapidfuzz ratio >= `min_score`, spaces
    ignored) to another is replaced by it when the other reads better as Thai (fewer unknown words, or as
    few and fewer words: one right reading beats a misreading OCR repeats, "ขอ|อนุมัติ" beats
    "ขอ|อบ|นุ|มติ"), or else, reading as well, when the other is read more often (a majority of >= 2) or
    holds the slash this one lost (_slash_lost)."""
    values = [getattr(r, n) for r in rows for n in names if isinstance(getattr(r, n), str)]
    counts = Counter(values)
    quality = {v: _thai_quality(v) for v in counts}

    def better(v: str, n: int, value: str) -> bool:
        """Whether `value` should take the spelling `v`, read `n` times."""
        if v == value or fuzz.ratio(_compact(v), _compact(value)) < min_score:
            return False
        if _slash_lost(value, v):
            return True
        if _slash_lost(v, value):
            return False
        return quality[v] <= quality[value] and (quality[v] < quality[value] or n > max(1, counts[value]))

    for row in rows:
        for name in names:
            value = getattr(row, name)
            if not isinstance(value, str) or len(_compact(value)) < 5:
                continue
            best = max(
                ((quality[v] < quality[value], n, v) for v, n in counts.items() if better(v, n, value)),
                default=None,
            )
            recurring = best[2] if best is not None else _recurring_in_junk(value, counts)
            if recurring is not None:
                setattr(row, name, recurring)
                row.reasons.append(  # type: ignore[attr-defined]
                    f"{name}: {value!r} read as the document's recurring {recurring!r}"
                )


def _slash_lost(read: str, other: str) -> bool:
    """`read` is `other` without its slashes ("จัดอบรมจัดทำคำสั่ง" for "จัดอบรม/จัดทำคำสั่ง"): OCR drops a thin
    "/" far more often than it prints one, so the reading with it wins however often it was read without."""
    return "/" in other and "/" not in read and _compact(other).replace("/", "") == _compact(read)


def _recurring_in_junk(value: str, counts: Counter[str]) -> str | None:
    """The longest text read at least twice in the document that `value` is, with specks before or after
    it that read as no word ("ไม่มี 8๕6๕@", "ไ1ไม่มี", "ไม่มีอ 6จจจงง"; not "ดำเนินการ 2 ครั้ง")."""
    key = _compact(value)

    def around(k: str) -> bool:  # `key` is `k` with specks after or before it
        after, before = key.startswith(k) and _no_words(key[len(k) :]), key.endswith(k)
        return after or (before and _no_words(key[: -len(k)]))

    found = [v for v, n in counts.items() if n >= 2 and len(k := _compact(v)) >= 3 and k != key and around(k)]
    return max(found, key=len) if found else None


def _no_words(text: str) -> bool:
    """Specks: no Thai word of three letters or more in `text`."""
    d = dictionary()
    runs = re.findall(r"[\u0e01-\u0e4e]+", text)
    return not any(len(t) >= 3 and t in d.words for run in runs for t in segment(run, custom_dict=d.trie))


def _renumber(rows: list[ProgressRecord]) -> list[ProgressRecord]:
    """Entries are numbered 1, 2, 3 ... in print order. An entry number OCR lost or misread ("(0)", "66)")
    is inferred when its neighbours agree on it; an entry whose number cannot be inferred is dropped."""
    out: list[ProgressRecord] = []
    for k, row in enumerate(rows):
        if row.seq == 0:  # no entry is numbered 0: a misread digit ("(0)" for "(1)") is no number at all
            row.seq = None
        prev = out[-1].seq if out else 0
        nxt = rows[k + 1].seq if k + 1 < len(rows) else None
        if row.seq == prev + 1 or (row.seq is not None and nxt is None and not out):
            out.append(row)
            continue
        expected = prev + 1
        if row.seq is None or nxt == expected + 1 or (nxt is None and out):
            why = "entry number unreadable" if row.seq is None else f"entry number read as {row.seq}"
            row.seq = expected
            row.confidence = round(row.confidence * _scoring().get("fallback_factor", 0.8), 4)
            row.reasons.append(f"seq: {why}; {expected} from its neighbours")  # type: ignore[attr-defined]
            out.append(row)
        elif row.seq is not None:
            out.append(row)
    return out


def _date_variants(iso: str) -> set[str]:
    """Dates one confusable digit away (config/rules.yaml `date_digit_confusions`: 4/8, 1/7 ...), in the
    ISO date or in the Buddhist-era year the forms print (2566 read for 2565 is 2023 for 2022)."""
    pairs = load_rules()["date_digit_confusions"]
    swap: dict[str, set[str]] = {}
    for a, b in pairs:
        swap.setdefault(str(a), set()).add(str(b))
        swap.setdefault(str(b), set()).add(str(a))
    out = set()
    for shift in (0, BE_OFFSET):
        printed = f"{int(iso[:4]) + shift}{iso[4:]}"
        for i, ch in enumerate(printed):
            for alt in swap.get(ch, ()):
                cand = printed[:i] + alt + printed[i + 1 :]
                cand = f"{int(cand[:4]) - shift:04d}{cand[4:]}"
                try:
                    date.fromisoformat(cand)
                except ValueError:
                    continue
                out.add(cand)
    return out


_TWO_MONTHS = 62  # days


def _date_order(
    rows: list[ProgressRecord], alternates: list[dict[str, Any]], newest: str, fiscal_year: int | None = None
) -> None:
    """Progress reports follow one another in time. A report date out of order with its neighbours is
    replaced by the one reading that fits: the second printed date, or the date one confusable digit away
    ("2022-08-28" between 03-29 and 05-30 is 2022-04-28); none or several: left as read. The first report
    has the start of the fiscal year for its earlier neighbour when its date is after the next one's, the
    last report two months past the fiscal year's end for its later one when its date is after that
    ("2566" read for 2564 in the last report of fiscal year 2564). A date fixed bounds the ones before it
    on the next pass (an unread month just before that last report)."""
    ordered = sorted(zip(rows, alternates, strict=True), key=lambda p: p[0].seq)
    if newest == "first":
        ordered.reverse()  # oldest first
    dates = [r.report_date for r, _ in ordered]
    window = None
    if fiscal_year:
        start, end = fiscal_year_range(fiscal_year)
        window = (start.isoformat(), (end + timedelta(days=_TWO_MONTHS)).isoformat())
    for _ in ordered:  # each pass fixes a date or ends
        if not _date_order_pass(ordered, dates, window):
            break


def _date_order_pass(
    ordered: list[tuple[ProgressRecord, dict[str, Any]]],
    dates: list[str | None],
    window: tuple[str, str] | None,
) -> bool:
    """One pass of `_date_order` over the reports oldest first, `window` the first and last dates the fiscal
    year gives its reports; whether it fixed a date."""
    fixed_any = False
    for i, (row, alt) in enumerate(ordered):
        lower = max((d for d in dates[:i] if d), default=None)
        upper = min((d for d in dates[i + 1 :] if d), default=None)
        if window and row.report_date:
            if lower is None and upper and row.report_date > upper:
                lower = window[0]
            if upper is None and lower and row.report_date > window[1]:
                upper = window[1]
        if lower is None or upper is None or lower > upper:
            continue
        if row.report_date is None:
            fixed = _month_between((row.model_extra or {}).get("text") or "", lower, upper)
            why = f"its month unread; {fixed} fits between the reports around it"
        elif lower <= row.report_date <= upper:
            continue
        else:
            second = alt.get("report_date")
            fits = {
                d
                for d in ({second} if second else set()) | _date_variants(row.report_date)
                if lower <= d <= upper
            }
            fixed = _nearest_middle(fits, lower, upper)
            why = f"{row.report_date} out of order with the reports around it; read as {fixed}"
        if fixed is None:
            continue
        row.reasons.append(f"report_date: {why}")  # type: ignore[attr-defined]
        row.report_date = dates[i] = fixed
        row.confidence = round(row.confidence * _scoring().get("fallback_factor", 0.8), 4)
        fixed_any = True
    return fixed_any


# A report date whose day and year OCR read but not the month between them ("31/172561", "30/0|2562",
# "29!0!2567"), or the month and its slashes read as letters ("27เฉม2563" for 27/02/2563, held-out 6201)
_DAY_AND_YEAR = re.compile(
    r"(?<![\d/!|])(\d{1,2})(?:[/!|]\S{1,6}?|[\u0e01-\u0e4e]{1,5})((?:25|20)\d\d)(?!\d)"
)


def _month_between(text: str, lower: str, upper: str) -> str | None:
    """The date of an entry `text` whose month OCR garbled, when its day and year are read and one month
    puts that day strictly between the reports around it (ISO `lower`, `upper`), or, when those are two
    monthly reports apart, the one nearest the middle (31/03, [29/?/2567], 31/05 is 29/04, not 29/05)."""
    if (m := _DAY_AND_YEAR.search(fold_digits(text))) is None:
        return None
    day, year = int(m.group(1)), int(m.group(2))
    year -= BE_OFFSET if year > 2400 else 0
    fits = set()
    for month in range(1, 13):
        try:
            d = date(year, month, day).isoformat()
        except ValueError:
            continue
        if lower < d < upper:
            fits.add(d)
    if len(fits) > 1 and (date.fromisoformat(upper) - date.fromisoformat(lower)).days > _TWO_MONTHS:
        return None  # reports missing between: the middle is no guide
    return _nearest_middle(fits, lower, upper)


def _nearest_middle(fits: set[str], lower: str, upper: str) -> str | None:
    """The one date of `fits`, or when several fit, the one nearest the middle of its neighbours' dates
    by less than half as far as any other (monthly reports: 31/03, [28/06 read for 28/04], 31/05)."""
    if len(fits) <= 1:
        return next(iter(fits), None)
    middle = date.fromordinal(
        (date.fromisoformat(lower).toordinal() + date.fromisoformat(upper).toordinal()) // 2
    )
    near = sorted(fits, key=lambda d: abs((date.fromisoformat(d) - middle).days))
    first, second = (abs((date.fromisoformat(d) - middle).days) for d in near[:2])
    return near[0] if 2 * first < second else None


# ---------------------------------------------------------------- tables


def _column_labels(table: Table) -> list[str]:
    header = table.grid(range(table.header_rows or 1))
    return [" ".join(row[c] for row in header if row[c]) for c in range(table.n_cols)]


_TONE_MARKS = dict.fromkeys(map(ord, "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"))
_VOWEL_MARKS = dict.fromkeys(map(ord, "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"))


def _header_key(text: str) -> str:
    """A header's text for matching: its letters only, without the tone marks or ์ that OCR adds and drops
    most ("สถาน่ะ" for สถานะ, "งบประมาณ์" for งบประมาณ; a short header is otherwise one mark from a miss)
    and without specks read as digits or punctuation ("การ . @ ๕ ดำเนินกวร")."""
    return _NOT_LETTER.sub("", _compact(text).translate(_TONE_MARKS))


_NOT_LETTER = re.compile(r"[^\u0e01-\u0e4eA-Za-z]")


_MIN_BARE = 3  # letters a header keeps without its vowels for that key to tell (ที่ leaves ท, in many)


def _header_score(wanted: str, text: str) -> float:
    """How well `wanted` reads in a header's `text` (0-100), by their keys, or by their keys without the
    vowels above and below the line too, whichever is higher: a vowel added ("สิถานะ" for สถานะ, set 4601)
    weighs less in a long key, a letter read for a speck less in a short one."""
    key, got = _header_key(wanted), _header_key(text)
    bare = key.translate(_VOWEL_MARKS)
    by_letters = fuzz.partial_ratio(bare, got.translate(_VOWEL_MARKS)) if len(bare) >= _MIN_BARE else 0.0
    return max(fuzz.partial_ratio(key, got), by_letters)


def _column(labels: list[str], wanted: str) -> int | None:
    scored = [(_header_score(wanted, lb), c) for c, lb in enumerate(labels)]
    best = max(scored, default=(0, None))
    return best[1] if best[0] >= 85 else None


def _mark_columns(spec: TableSpec, labels: list[str]) -> dict[str, dict[str, int]]:
    """Each marked field's columns, when every one of its values has a column of its own in this table."""
    out = {}
    for name, choices in spec.marks.items():
        cols = {value: _column(labels, text) for value, text in choices.items()}
        found = [c for c in cols.values() if c is not None]
        if len(found) == len(cols) and len(set(found)) == len(found):
            out[name] = {value: c for value, c in cols.items() if c is not None}
    return out


def _matches(spec: TableSpec, labels: list[str]) -> bool:
    joined = " ".join(labels)
    return all(_header_score(h, joined) >= 85 for h in spec.header)


def _cell(table: Table, row: int, col: int) -> TableCell | None:
    return next(
        (c for c in table.cells if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan),
        None,
    )


@lru_cache(maxsize=4096)  # a cell is read for its fields and again for the document's spacing (_spacing)
def _cell_text(text: str) -> CorrectedText:
    """A cell's text normalised and corrected as body lines are (without label repair: a cell holds a
    value, not a form label)."""
    return correct(normalize_line(text), labels=False)


def _cell_line(table: Table, page: PageLayout, number: int, row: list[str], r: int, c: int) -> Line:
    """A cell as a line (`_cell_text`)."""
    cell = _cell(table, r, c)
    conf = 1.0 if cell is None or cell.confidence is None else cell.confidence / 100
    fixed = _cell_text(row[c])
    box = _bbox(cell.box if cell else None, page)
    breaks = tuple(_moved(b, row[c], fixed.text) for b in cell.breaks) if cell else ()
    return Line(fixed.text, number, box, conf, tuple(c.after for c in fixed.corrections), None, breaks)


def _moved(offset: int, before: str, after: str) -> int:
    """Where `offset` of `before` lies in `after`, the same text normalised and corrected."""
    for tag, i1, i2, j1, _ in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if i1 <= offset < i2 or (offset == i2 == len(before)):
            return j1 + (offset - i1) if tag == "equal" else j1
    return len(after)


_LINE_ROW_SCORE = 0.8  # a row cut from a line of text by a pattern is less certain than a ruled cell


def _group_line(spec: TableSpec, text: str) -> re.Match[str] | None:
    """`text` read as the table's group heading (spec.group_line_pattern; group "v" its name)."""
    return re.search(spec.group_line_pattern, text) if spec.group_line_pattern else None


def _group_names(template: Template, field: str, group: Reading | None) -> list[str]:
    """The names a list line's group may have: its group line's, else every one the field's vocabulary
    knows; without their leading "กลุ่ม" (group), which the list's abbreviation drops."""
    spec = template.fields.get(field)
    if group is not None and isinstance(group.value.value, str):
        names = [group.value.value]
    else:
        names = list(domain_words(spec.vocabulary)) if spec and spec.vocabulary else []
    return [_compact(n).removeprefix("กลุ่ม") for n in names]


def _without_group_word(name: str, groups: list[str]) -> str:
    """A list line's project name without its last word when that word opens the row's group: a group
    abbreviated in two words ("นิเทศ ติดตามฯ/ person") leaves the first in the name column."""
    head, _, last = name.rstrip().rpartition(" ")
    if head and len(last) >= 3 and any(g.startswith(last) for g in groups):
        return head
    return name


_ROW_GROUP_RATIO = 85  # partial ratio of a row's group abbreviation to the known group it names
_ROW_GROUP_APART = 70  # ... and below this to the group heading the row stands under
_ROW_GROUP_REASON = "the row's own group/person cell names another group"


def _row_group(group: Reading, abbreviation: str, template: Template, field: str) -> Reading:
    """The group heading a list row stands under, doubted when the row's own "group/ person" cell names
    another known group ("บริหารงานบุคคล / จงรัก" under กลุ่มนิเทศ...): a group heading OCR garbled or ran
    into a row (development 4401 and 5501 fax) leaves its projects under the heading before."""
    key = _NOT_LETTER.sub("", _compact(abbreviation))
    spec = template.fields.get(field)
    if len(key) < 3 or spec is None or not spec.vocabulary or not isinstance(group.value.value, str):
        return group
    named = max(fuzz.partial_ratio(key, g) for g in _group_names(template, field, None))
    if named < _ROW_GROUP_RATIO or fuzz.partial_ratio(key, _compact(group.value.value)) >= _ROW_GROUP_APART:
        return group
    fv = group.value.model_copy(deep=True)
    fv.reasons = [*fv.reasons, f"{_ROW_GROUP_REASON} ({abbreviation.strip()!r})"]
    return Reading(origin=group.origin, value=fv)


_HEADING_RUN_IN_REASON = "a group heading run into the row"
_MIN_RUN_IN = 6  # Thai letters and marks after a run-in heading: a project's name, not a heading's specks


def _heading_run_in(headings: list[str], name: str) -> tuple[str, str] | None:
    """A list row's project name that opens with a known group a heading line names, then more: the heading
    line and the row's read as one ("กลุ่มส่งเสริมการจัดการศึกษาพัฒนาระบบ...", held-out 5501 fax): (group,
    the row's name). `headings`: the table's `_headings`."""
    for known in headings:
        m = re.match(r"\W{0,3}" + r"\s*".join(map(re.escape, _compact(known))), name)
        if m and len(re.findall(r"[\u0e01-\u0e4e]", name[m.end() :])) >= _MIN_RUN_IN:
            return known, name[m.end() :].strip()
    return None


def _garbled_heading(headings: list[str], cols: dict[str, int | None], row: list[str]) -> bool:
    """A row whose name cell reads a known group heading garbled ("ภสลุ่มบริหารุงานบุคคล": a few edits from
    one, several more from any other, development 4401 fax) and whose person cell is empty: a group row."""
    name_col, person_col = cols.get("project_name"), cols.get("responsible_person")
    if name_col is None or person_col is None or row[person_col].strip():
        return False
    return _nearest(_compact(row[name_col]), headings) is not None


def _headings(spec: TableSpec, template: Template) -> list[str]:
    """The known values of the table's group field that its group line reads as a heading, longest first;
    built once a table, not once a row."""
    field = template.fields.get(spec.group_field or "")
    if field is None or not field.vocabulary:
        return []
    known = [k for k in domain_words(field.vocabulary) if _group_line(spec, f"{k} 1,000")]
    return sorted(known, key=len, reverse=True)


def _doubt_run_in(spec: TableSpec, draft: Draft) -> None:
    """The amounts of a row a group heading ran into are in doubt: the heading's may stand for the row's
    ("372,000 163,500" in one cell, the first the heading's)."""
    for name, readings in draft.readings.items():
        if not spec.parsers.get(name, "").startswith("money"):
            continue
        draft.readings[name] = [
            Reading(
                origin=r.origin,
                value=r.value.model_copy(update={"reasons": [*r.value.reasons, _HEADING_RUN_IN_REASON]}),
            )
            for r in readings
        ]


def _rows_from_lines(spec: TableSpec, template: Template, lines: list[Line]) -> list[Draft]:
    """The rows of a table OCR saw only as text lines (spec.line_pattern); see TableSpec."""
    assert spec.line_pattern is not None
    origin = f"lines:{spec.name}"
    rows: list[Draft] = []
    group: Reading | None = None
    headings = _headings(spec, template)
    for line in lines:
        g = _group_line(spec, line.text)
        if spec.group_field and g:
            group = _reading(origin, parse_value("text", g.group("v"), template), line, _LINE_ROW_SCORE)
            continue
        if (m := re.search(spec.line_pattern, line.text)) is None:
            continue
        draft = Draft()
        run_in = None
        for name, raw in m.groupdict().items():
            if name == "project_name" and raw and spec.group_field:
                if run_in := _heading_run_in(headings, raw):
                    heading, raw = run_in
                    group = _reading(origin, parse_value("text", heading, template), line, _LINE_ROW_SCORE)
                raw = _without_group_word(raw, _group_names(template, spec.group_field, group))
            if raw is not None:
                parsed = parse_value(spec.parsers.get(name, "text"), raw, template)
                draft.add(name, _reading(origin, parsed, line, _LINE_ROW_SCORE))
        if run_in:
            _doubt_run_in(spec, draft)
        if spec.group_field and group is not None:
            between = line.text[m.end("project_name") : m.start("responsible_person")]
            draft.add(
                spec.group_field, _row_group(group, between.partition("/")[0], template, spec.group_field)
            )
        rows.append(draft)
    return rows


def _read_tables(
    template: Template, pages: list[PageLayout], lines: list[Line]
) -> tuple[list[Draft], list[TableTotal]]:
    """Project rows of the template's tables (a table continued over pages is read as one; one no page
    holds, from the text lines its `line_pattern` matches) and the total rows with the values they should
    add up."""
    rows_out: list[Draft] = []
    totals: list[TableTotal] = []
    for spec in template.tables:
        group: Reading | None = None
        headings = _headings(spec, template)
        sum_rows: dict[str, list[float]] = {}
        found = False
        for number, page in enumerate(pages, start=1):
            for table in page.tables:
                labels = _column_labels(table)
                if not _matches(spec, labels):
                    continue
                found = True
                cols = {name: _column(labels, text) for name, text in spec.columns.items()}
                marks = _mark_columns(spec, labels)
                key = _column(labels, spec.key) if spec.key else None
                sums = _sum_columns(spec, labels, cols)
                start = table.header_rows or 1
                for r, row in enumerate(table.grid(range(start, table.n_rows)), start=start):
                    if _is_total_row(row, spec.total_label, key):
                        for c, (wanted, lb, field) in sums.items():
                            stated = parse_money(row[c], "table")
                            if stated.ok:
                                totals.append(
                                    TableTotal(
                                        table=spec.name,
                                        page=number,
                                        column=lb,
                                        field=field,
                                        stated=stated.value,
                                        rows=sum_rows.pop(wanted, []),
                                        text=row[c],
                                    )
                                )
                        continue
                    # a group row: nothing under the key column, or, when OCR garbled the key's header or left
                    # a speck for its empty cell ("-"), a row that reads like the template's group line
                    # ("กลุ่ม... 342,800 107,900")
                    like_group = bool(_group_line(spec, " ".join(row))) or _garbled_heading(
                        headings, cols, row
                    )
                    grouped = (
                        not row[key].strip() or (like_group and not _DIGIT.search(row[key]))
                        if key is not None
                        else like_group
                    )
                    if grouped:
                        name_col = cols.get("project_name")
                        if spec.group_field and name_col is not None and row[name_col].strip():
                            line = _cell_line(table, page, number, row, r, name_col)
                            parsed = parse_value("text", line.text, template)
                            group = _reading(f"table:{spec.name}", parsed, line)
                        continue
                    for c, (wanted, _, _) in sums.items():
                        amount = parse_money(row[c], "table")
                        if amount.ok:
                            sum_rows.setdefault(wanted, []).append(amount.value)
                    if not spec.columns:
                        continue
                    draft = Draft()
                    abbreviation = ""  # the group a "group/ person" cell prints
                    run_in = None
                    for name, c in cols.items():
                        if c is None:
                            continue
                        line = _cell_line(table, page, number, row, r, c)  # its text corrected
                        raw = line.text
                        if name == "responsible_person" and "/" in raw:
                            abbreviation = raw.partition("/")[0]
                        if name == "project_name" and (run_in := _heading_run_in(headings, raw)):
                            heading, raw = run_in
                            parsed = parse_value("text", heading, template)
                            group = _reading(f"table:{spec.name}", parsed, line)
                        if name in spec.patterns:
                            m = re.search(spec.patterns[name], raw)
                            raw = m.group("v") if m else ""
                        parsed = parse_value(spec.parsers.get(name, "text"), raw, template)
                        draft.add(name, _reading(f"table:{spec.name}", parsed, line))
                    for name, choice in marks.items():
                        filled = [(value, c) for value, c in choice.items() if row[c].strip(" -")]
                        if len(filled) == 1:
                            value, c = filled[0]
                            parsed = ParsedValue(value=value, confidence=1.0, text=row[c])
                            line = _cell_line(table, page, number, row, r, c)
                            draft.add(name, _reading(f"table:{spec.name}", parsed, line))
                    if spec.group_field and group is not None:
                        draft.add(
                            spec.group_field, _row_group(group, abbreviation, template, spec.group_field)
                        )
                    if run_in:
                        _doubt_run_in(spec, draft)
                    rows_out.append(draft)
        if not found and spec.line_pattern:
            rows_out += _rows_from_lines(spec, template, lines)
    return rows_out, totals


def _affinity(a: Draft, b: Draft) -> float:
    """How likely two drafts are one project: name similarity, plus 10 per other shared field that agrees,
    minus 10 per one that disagrees (one project name can recur in two groups of one report)."""
    score = fuzz.ratio(
        _compact(str(a.first("project_name") or "")), _compact(str(b.first("project_name") or ""))
    )
    for name in a.readings.keys() & b.readings.keys() - {"project_name"}:
        score += 10 * _agreement(a.first(name), b.first(name))
    return score


def _agreement(x: Any, y: Any) -> int:
    """1 when two readings of a field agree, 0 when they may (an amount one digit apart, a name read in
    part: the list's "ธดาภรณ์" or "บริหารงานการเงินฯ" beside the form's full wording), -1 when not."""
    if same(x, y):
        return 1
    if isinstance(x, int | float) and isinstance(y, int | float):
        a, b = f"{x:.2f}", f"{y:.2f}"
        return 0 if len(a) == len(b) and sum(p != q for p, q in zip(a, b, strict=True)) == 1 else -1
    if isinstance(x, str) and isinstance(y, str):
        p, q = _compact(x).rstrip("ฯ"), _compact(y).rstrip("ฯ")
        return 1 if p and q and fuzz.partial_ratio(p, q) >= 90 else 0 if fuzz.ratio(p, q) >= 70 else -1
    return -1


_NAMED_AFFINITY = 85  # a row and a section are one project from this _affinity up
_NAMELESS_AFFINITY = 20  # two fields agreeing (and none disagreeing more) when the section has no name


def _merge(sections: list[Draft], rows: list[Draft]) -> list[Draft]:
    """Table rows and sections pair up best match first (two projects with near-identical names must not
    go to whichever comes first in the table); the result follows the table's (the document's project
    list) order, then sections no row matched."""
    pairs = sorted(
        ((_affinity(row, sec), -i, -k) for i, row in enumerate(rows) for k, sec in enumerate(sections)),
        reverse=True,
    )
    partner: dict[int, int] = {}
    for score, i, k in pairs:
        # a section whose name line OCR lost pairs by the other fields it shares with a row alone
        nameless = sections[-k].first("project_name") is None
        if score < (_NAMELESS_AFFINITY if nameless else _NAMED_AFFINITY):
            continue
        if -i not in partner and -k not in partner.values():
            partner[-i] = -k
    out = []
    for i, row in enumerate(rows):
        if i not in partner:
            out.append(row)
            continue
        sec = sections[partner[i]]
        for fname, readings in row.readings.items():
            sec.readings.setdefault(fname, []).extend(readings)
        out.append(sec)
    return out + [sec for k, sec in enumerate(sections) if k not in partner.values()]


# ---------------------------------------------------------------- derived fields


NEWEST_LOST = "the newest progress entry was not read"  # its values come from an older one


def _derive(template: Template, draft: Draft) -> None:
    spec = template.progress
    # the newest was lost, and what the project takes from it (progress, status) is an older entry's, when
    # the entry printed where the newest is was not read, or (entries printed newest first are numbered
    # from 1) when the first one read has a higher number
    lost_reasons = []
    if spec and draft.progress:
        newest = draft.progress[0] if spec.newest == "first" else draft.progress[-1]
        if draft.entries_read and not draft.entries_read[0 if spec.newest == "first" else -1]:
            lost_reasons = [f"{NEWEST_LOST} (the entry printed {spec.newest} is unread)"]
        elif spec.newest == "first" and (newest.seq or 1) > 1:
            lost_reasons = [f"{NEWEST_LOST} (entry {newest.seq} is the first read)"]
        for project_field, row_field in spec.project_fields.items():
            # as sure as its own reading in the entry: a garbled date or note beside it is not its doubt
            sure = (newest.model_extra or {}).get("field_confidence", {}).get(row_field, newest.confidence)
            parsed = ParsedValue(
                value=getattr(newest, row_field), confidence=sure, text=str(newest.text), reasons=lost_reasons
            )
            line = Line(newest.text, newest.page, newest.bbox, 1.0, (), None)
            draft.add(project_field, _reading("progress", parsed, line))
    if "status" in draft.readings:
        return
    # how surely the values read that an earlier rule did not apply; a rule whose value was not read
    # could not be tried, and the status then rests on how well the whole project was read
    passed_over: list[float] = []
    untried = False
    for rule in template.status_rules:
        evidence, sureness = "", list[float]()  # sureness: of the values the rule read
        if rule.newest_note is not None:
            if not draft.progress:
                untried = True
                continue
            newest = draft.progress[0] if spec and spec.newest == "first" else draft.progress[-1]
            if not re.search(rule.newest_note, newest.note or ""):
                # a misread note may hide the word ("ยณลีก"); one the dictionary reads whole hides none
                if not newest.note or unknown_words(newest.note):
                    passed_over.append(newest.confidence)
                continue
            evidence = newest.note or ""  # the word read is its own evidence: no misreading makes it
        if rule.field is not None:
            readings = draft.readings.get(rule.field)
            if not readings or not isinstance(readings[0].value.value, int | float):
                untried = True
                continue
            if rule.min is not None and readings[0].value.value < rule.min:
                passed_over.append(readings[0].value.confidence)
                continue
            evidence = readings[0].value.text
            sureness.append(readings[0].value.confidence)
        base = [r[0].value for r in draft.readings.values() if r] or [FieldValue(confidence=1.0)]
        if untried:
            sureness += [fv.confidence for fv in base]
        conf = min([rule.confidence, *sureness, *passed_over])
        why = ([] if rule.confidence >= 1 else ["status inferred, not printed"]) + lost_reasons
        draft.add(
            "status",
            Reading(
                origin="derived",
                value=FieldValue(
                    value=rule.status,
                    text=evidence,
                    confidence=round(conf, 4),
                    page=base[0].page,
                    reasons=why,
                ),
            ),
        )
        return


def _common_values(template: Template, drafts: list[Draft]) -> dict[str, Reading]:
    """For `common` derive rules: the reading most of a document's projects agree on (at least two)."""
    out = {}
    for rule in template.derive:
        if rule.common:
            found = [d.readings[rule.field][0] for d in drafts if d.readings.get(rule.field)]
            counts = Counter(str(r.value.value) for r in found)
            if counts and (top := counts.most_common(1)[0])[1] >= 2:
                out[rule.field] = next(r for r in found if str(r.value.value) == top[0])
    return out


def _derive_missing(template: Template, draft: Draft, common: dict[str, Reading]) -> None:
    """Template `derive` rules, for fields the project's own text did not give."""
    for rule in template.derive:
        if draft.readings.get(rule.field):
            continue
        if rule.difference:
            a, b = (draft.readings.get(f) for f in rule.difference)
            if not a or not b:
                continue
            # the values the record will show
            sources = [
                _best_reading(x, _is_money(template, f)).value
                for x, f in zip((a, b), rule.difference, strict=True)
            ]
            if not all(isinstance(fv.value, int | float) for fv in sources):
                continue
            value: Any = round(sources[0].value - sources[1].value, 2)
            if value < 0:  # one of the two is misread: nothing sound to derive
                continue
            why = f"not read: {rule.difference[0]} - {rule.difference[1]}"
        elif rule.field in common:
            sources = [common[rule.field].value]
            value, why = sources[0].value, "not read: the date most of the report's projects give"
        elif rule.status is not None and draft.readings.get("status"):
            status = _best_reading(draft.readings["status"]).value
            if status.value != rule.status:
                continue
            sources, value, why = (
                [status],
                rule.value,
                f"not read: {rule.value:g} for a project {rule.status}",
            )
        else:
            continue
        conf = min(rule.confidence, *(fv.confidence for fv in sources))
        doubts = [r for fv in sources for r in fv.reasons]  # what made a source doubtful makes this so
        fv = FieldValue(
            value=value, text="", confidence=round(conf, 4), page=sources[0].page, reasons=[why, *doubts]
        )
        draft.add(rule.field, Reading(origin="derived", value=fv))


def _amount(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _balance(template: Template, readings: dict[str, list[Reading]], fields: dict[str, FieldValue]) -> None:
    """A `difference` rule the chosen values break (allocated - spent != remaining) mended from the other
    printings: of the combinations of values read for the three fields that balance (within a baht), the
    one changing the fewest fields, if no other changes as few. One misread digit in the form's balance
    line is outvoted by the list's allocated and spent that agree with the form's own."""
    for rule in template.derive:
        names = [*rule.difference, rule.field]
        if len(names) != 3 or not all(n in fields and _amount(fields[n].value) for n in names):
            continue
        chosen = [fields[n].value for n in names]
        if abs(chosen[0] - chosen[1] - chosen[2]) <= 1:
            continue
        options = [
            {r.value.value for r in readings.get(n, []) if r.origin != "derived" and _amount(r.value.value)}
            | {v}
            for n, v in zip(names, chosen, strict=True)
        ]
        balanced = [
            combo for combo in itertools.product(*options) if abs(combo[0] - combo[1] - combo[2]) <= 1
        ]
        changes = sorted((sum(a != b for a, b in zip(c, chosen, strict=True)), c) for c in balanced)
        why = " - ".join(rule.difference)
        if not changes:
            needed = [chosen[1] + chosen[2], chosen[0] - chosen[2], chosen[0] - chosen[1]]
            mend = _likeliest_slip(
                [
                    (n, v, c)
                    for n, v, c in zip(names, needed, chosen, strict=True)
                    if not _twice(readings, n, c)
                ]
            )
            if mend is not None:
                fields[mend[0]] = _mended(fields[mend[0]], mend[1], f"balances {why}")
            continue
        if len(changes) > 1 and changes[1][0] == changes[0][0]:
            continue
        for name, old, new in zip(names, chosen, changes[0][1], strict=True):
            if new != old:
                alike = [r for r in readings[name] if r.value.value == new]
                fv = _corroborated(max(alike, key=lambda r: r.value.confidence), readings[name])
                fv.reasons = [*fv.reasons, f"{old:g} also read; {new:g} balances {why}"]
                fv.needs_review = fields[name].needs_review
                fields[name] = fv


def _twice(readings: dict[str, list[Reading]], name: str, value: float) -> bool:
    """`value` was read for `name` on two lines: no slip of one line, whatever a sum says."""
    return sum(1 for r in readings.get(name, []) if r.origin != "derived" and r.value.value == value) > 1


def _is_money(template: Template, name: str) -> bool:
    spec = template.fields.get(name)
    return spec is not None and spec.parser in ("money", "money_table")


_DECIMALS = re.compile(r"\.\d{1,2}(?!\d)")


def _slip_beside_letters(reading: Reading, other: float) -> bool:
    """Whether the one digit by which an amount read with letters among its digits differs from `other`
    stands beside such a letter: the letter took that digit's place ("2ก06,200" for 246,200, set 4501), and
    the slip tells nothing of what was printed there ("๕อ๑๖,๗๐๐" against ๕๑๖,๗๖๐: the ๐ was printed)."""
    if LETTERS_DROPPED not in reading.value.reasons:
        return False
    mine, theirs = f"{reading.value.value:.0f}", f"{other:.0f}"
    if len(mine) != len(theirs):
        return False
    apart = [i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b]
    text = _DECIMALS.sub("", fold_digits(reading.value.text))
    spots = [m.start() for m in re.finditer(r"\d", text)]
    if len(apart) != 1 or len(spots) < len(mine):
        return False
    at = spots[len(spots) - len(mine) + apart[0]]
    return any(0 <= j < len(text) and re.match(r"[A-Za-z\u0e01-\u0e2e]", text[j]) for j in (at - 1, at + 1))


def _printed_of(x: float, y: float) -> float | None:
    """Of two readings of one amount a digit apart, the one printed, when the slip says: the one OCR's known
    slip (`amount_digit_confusions`) turns into the other, or else the one whose digit is a zero. Where a
    table cell and a section's line disagree by a digit, the zero was printed 24 times of 25 on seven sets
    (read ๑, ๘, ๖, ๔, ๒ or ๙), and choosing by the lines' confidences was right 47 times of 69."""
    slip = digit_slip(x, y)
    if slip is None or slip == ("", ""):
        return None
    known = {(str(a), str(b)) for a, b in load_rules()["amount_digit_confusions"]}
    if (slip in known) != (slip[::-1] in known):
        return x if slip in known else y
    return x if slip[0] == "0" else y if slip[1] == "0" else None


def _likeliest_slip(candidates: list[tuple[Any, float, float]]) -> tuple[Any, float] | None:
    """Of (key, value a sum needs, value read), the one value a single misread digit explains; when the sum
    allows several (a digit off in one column of allocated, spent and remaining alike), the one whose slip
    OCR is known to make (rules.yaml `amount_digit_confusions`: 4 read 6), if only one is."""
    slips = [(key, value, slip) for key, value, read in candidates if (slip := digit_slip(value, read))]
    if len(slips) > 1:
        known = {(str(a), str(b)) for a, b in load_rules()["amount_digit_confusions"]}
        slips = [s for s in slips if s[2] in known]
    return (slips[0][0], slips[0][1]) if len(slips) == 1 else None


def _mended(fv: FieldValue, value: float, why: str, partner: float | None = None) -> FieldValue:
    """The one value a printed sum allows in place of a misread digit; "not read" as printed, so the sum
    it was taken from confirms nothing (tasks.validate). With `partner`, another printing a digit from it
    the other way ("357,110" in the section, "353,100" in the table, for 357,100), every digit of it was
    read in one printing or the other: read, not mended."""
    if partner is not None:
        reason = f"{fv.value:g} and {partner:g} read, each a digit from {value:g}, which {why}"
        return fv.model_copy(update={"value": value, "reasons": [*fv.reasons, reason]})
    return fv.model_copy(
        update={
            "value": value,
            "confidence": round(fv.confidence * _scoring().get("fallback_factor", 0.8), 4),
            "reasons": [
                *fv.reasons,
                f"{MENDED_REASON}: {fv.value:,.2f} read; {value:,.2f}, a digit apart, {why}",
            ],
        }
    )


# ---------------------------------------------------------------- entry point


def _full_names(lines: list[Line]) -> list[Reading]:
    """Every titled name with a surname in these lines ("(ดร.สาวิตรี เจริญสุข)" under a signature, a
    "ผู้รับผิดชอบ" line whose label OCR garbled)."""
    out = []
    for line in lines:
        if line.table is not None:
            continue
        for start, end in person_name_spans(line.text):
            parsed = _person(line.text[start:end])
            doubts = [r for r in parsed.reasons if _KNOWN_NAME not in r]  # a known name's spelling is none
            if parsed.ok and " " in str(parsed.value) and not doubts:
                out.append(_reading("text:name", parsed, line))
    return out


def _complete_name(reading: Reading, names: list[Reading]) -> Reading:
    """A person field read as a bare given name (the project list abbreviates "ดร.สาวิตรี เจริญสุข" to
    "สาวิตรี") becomes the full name printed in the project's text with that given name."""
    value = reading.value.value
    words = re.findall(r"[\u0e01-\u0e4e]+", value) if isinstance(value, str) else []
    if len(words) != 1 or len(words[0]) < 3:  # a full name already, or nothing like a name
        return reading
    short = words[0]
    scored: dict[str, tuple[float, int, Reading]] = {}  # full name -> (given-name ratio, times printed, best)
    for n in names:
        first = (parse_person_name(str(n.value.value)).value or {}).get("first") or ""
        ratio = fuzz.ratio(short, first)
        if ratio >= 85:
            _, times, best = scored.get(n.value.value, (ratio, 0, n))
            scored[n.value.value] = (ratio, times + 1, max(best, n, key=lambda r: r.value.confidence))
    if not scored:
        return reading
    # OCR may print the same person twice a little differently: the closest given name, then the most
    # often printed spelling, wins
    _, _, full = max(scored.values(), key=lambda t: (t[0], t[1]))
    fv = full.value.model_copy(update={"confidence": min(full.value.confidence, reading.value.confidence)})
    fv.reasons = [*fv.reasons, f"completed from the full name printed in the project's text ({value!r} read)"]
    return Reading(origin="text:name", value=fv)


_SNAP_RATIO = 90  # rapidfuzz ratio of a value's start to a known value it is snapped to
_LONGER_RATIO = 80  # ... and to a longer known value that starts as that one does, which stops the snap


_NUMBERED_OFFICE = re.compile(r"เขต[0-9๐-๙]{1,2}")  # "... ชัยภูมิ เขต ๒": one of a province's offices


def _junk(rest: str, labels: tuple[str, ...] = ()) -> bool:
    """What OCR leaves after a known name: nothing, a digit, at most three Thai letters and marks, or the
    start of a label the line wrap cut ("ผู้รับผิ" of ผู้รับผิดชอบ); not the number of an office within a
    province."""
    if _NUMBERED_OFFICE.fullmatch(rest):
        return False
    cut_label = len(rest) >= 3 and any(_compact(label).startswith(rest) for label in labels)
    few_letters = len(re.findall(r"[\u0e01-\u0e4e]", rest)) <= 3
    return not rest or any(ch.isdigit() for ch in rest) or few_letters or cut_label


def _snap(reading: Reading, known: list[str], labels: tuple[str, ...] = ()) -> Reading:
    """A text value that is a known value (garbled) plus junk ("กลุ่มอำนวยการอ55๒", "กลุ่มนโยบายและแผน 2")
    becomes the known value: the one its start matches best, the longer on a tie. `labels`: the family's
    labels, whose cut start may follow the value."""
    value = reading.value.value
    if not isinstance(value, str) or value in known:
        return reading
    key = _compact(value)
    scored = []
    for name in known:
        k = _compact(name)
        if key == k:  # only the spacing differs, which OCR adds and drops: spaced as the list spells it
            return _as_known(reading, name, f"read {value!r}: spaced as the known name")
        score = fuzz.ratio(key[: len(k)], k)
        if score >= _SNAP_RATIO and _junk(key[len(k) :], labels):
            # a substitution is one slip, not two (บางขอน is บางบอน, not บางเขน); then the longer name
            scored.append((score, -Levenshtein.distance(key[: len(k)], k), len(k), name))
    if not scored:
        return reading
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][:3] == scored[1][:3]:
        return reading  # two known names fit as well: no snapping to either
    best = _compact(scored[0][3])
    if any(
        len(k := _compact(name)) > len(best)
        and k.startswith(best)
        and fuzz.ratio(key[: len(k)], k) >= _LONGER_RATIO
        for name in known
    ):
        # the rest is a longer known name's, garbled beyond snapping ("กลุ่มนิเทค ติดตามและประเมินผลการเว้๕ 9
        # จัดการศึกษา", held-out set 3001): not the shorter name
        return reading
    return _as_known(reading, scored[0][3], f"read {value!r}: the known name it starts with")


_NEAREST_EDITS = 4  # at most this many edits from a document field's value to the known value read for it,
_NEAREST_MARGIN = 3  # and this many fewer than to any other known value


def _nearest_known(reading: Reading, spec: FieldSpec) -> Reading:
    """A document field's value its vocabulary does not know, read as the known value a few edits away when
    every other one is several more ("...ประจวบคีรี นธ เขต ๓", "...ร้อยเอยิด เขต ๑"): the offices of 77
    provinces share a long start and differ in short names, too alike for _snap's match of a value's start
    but not for a margin of whole-name edits. The `known_suffix` (the office's number) stays as read."""
    value = reading.value.value
    if not isinstance(value, str) or not value or _known_value(value, spec):
        return reading
    parts = re.fullmatch(f"(?P<body>.*?)(?P<tail>{spec.known_suffix or ''})?", value, flags=re.DOTALL)
    body, tail = (parts["body"], parts["tail"] or "") if parts else (value, "")
    name = _nearest(_compact(body), domain_words(spec.vocabulary))
    if name is None or name + tail == value:
        return reading
    return _as_known(reading, name + tail, f"{value!r} {_KNOWN_NAME} {name + tail!r}, the nearest one")


def _nearest(key: str, known: Iterable[str]) -> str | None:
    """The known value a few edits from `key` (spaces aside) when every other one is several more."""
    scored = sorted((Levenshtein.distance(key, _compact(k)), k) for k in set(known))
    if not scored:
        return None
    edits, name = scored[0]
    margin = scored[1][0] - edits if len(scored) > 1 else _NEAREST_MARGIN
    return name if edits <= _NEAREST_EDITS and margin >= _NEAREST_MARGIN else None


def _as_known(reading: Reading, name: str, why: str) -> Reading:
    fv = reading.value.model_copy(update={"value": name})
    fv.reasons = [*fv.reasons, why]
    return Reading(origin=reading.origin, value=fv)


def _known_value(value: Any, spec: FieldSpec, suffix_read_twice: bool = False) -> str | None:
    """What list knows `value`: its field's vocabulary (an office of the gazetteer, a group of the office;
    plus the template's `known_suffix`), or, for a person, the names every word of it is (after a title)."""
    if not isinstance(value, str) or not value:
        return None
    if spec.vocabulary:
        m = vocabulary_pattern(spec.vocabulary, spec.known_suffix or "").fullmatch(value)
        # the office's number is in no list: a Thai digit OCR confuses there (๒ read for ๑) is not vouched
        # for, unless another line reads the whole value alike (sets 1201-4701: 50 of 50 such offices right)
        if m and (suffix_read_twice or not _RISKY_THAI_DIGITS.search(value[m.end("known") :])):
            return f"{spec.vocabulary} vocabulary"
    if spec.parser == "person":
        words = name_words(value)
        # a lone untitled word is a list cell's given name: one known only as a surname is a name cut short
        if words == [value] and value not in person_names()[0]:
            return None
        if words and all(w in dictionary().names for w in words):
            return "known names"
    return None


def _trust_known(fv: FieldValue, spec: FieldSpec, readings: list[Reading]) -> None:
    """A value a list knows is surer: OCR garbles a name into another known name far less often than
    into nothing known."""
    # only a vocabulary's risky suffix asks whether another line read the whole value alike
    whole = _spaced(fv.value) if spec.vocabulary else None
    twice = whole is not None and any(
        (r.value.page, r.value.bbox) != (fv.page, fv.bbox) and _spaced(r.value.value) == whole
        for r in readings
    )
    if (known := _known_value(fv.value, spec, twice)) is None:
        return
    doubt = (1.0 - fv.confidence) * _scoring().get("known_value_factor", 1.0)
    fv.confidence = round(1.0 - doubt, 4)
    fv.reasons = [*fv.reasons, f"a value of the {known}"]


def _spaced(value: Any) -> Any:
    """A text with its digits folded and its spaces as one, to compare readings; other values as they are."""
    return re.sub(r"\s+", " ", fold_digits(value)).strip() if isinstance(value, str) else value


def _alike(a: Any, b: Any) -> bool:
    """Two readings of one value: `same`, and texts spaced alike too; OCR adds and drops spaces inside
    Thai names, so two lines agreeing but for a space vouch for neither's spacing."""
    if not (isinstance(a, str) and isinstance(b, str)):
        return same(a, b)
    x, y = _spaced(a), _spaced(b)
    return x == y or (bool(x) and bool(y) and (x in y or y in x))


def _corroborated(best: Reading, readings: list[Reading]) -> FieldValue:
    """The chosen value, more certain for every other line that reads the same value (the fiscal year in
    the title and in a table heading, one office name on two pages): two misreadings rarely agree."""
    fv = best.value.model_copy(deep=True)
    seen = {(fv.page, tuple(fv.bbox or ()), fv.text)}
    doubt, alike = 1.0 - fv.confidence, 0
    for r in readings:
        where = (r.value.page, tuple(r.value.bbox or ()), r.value.text)
        if where in seen or not _alike(r.value.value, fv.value):
            continue
        seen.add(where)
        doubt *= 1.0 - _scoring().get("corroboration_factor", 0.5) * r.value.confidence
        alike += 1
    if alike:
        fv.confidence = round(1.0 - doubt, 4)
        fv.reasons = [*fv.reasons, f"read alike on {alike} other line(s)"]
    return fv


_SPACING_CONTEXT = 6  # letters each side of a gap that find it again on another line
BREAK_REASON = "a table cell's line break hides whether a space was printed"
SPLIT_REASON = "the document's lines split evenly on a space"
SPECK_REASON = "a speck OCR spaced off hides whether a space was printed"


def spaced_compact(texts: Iterable[str]) -> tuple[str, set[int]]:
    """The texts without their spaces, one line apart, and where their spaces were (positions in that
    text)."""
    compact: list[str] = []
    spaces: set[int] = set()
    for text in texts:
        for ch in text:
            if ch.isspace():
                spaces.add(len(compact))
            else:
                compact.append(ch)
        compact.append("\n")
    return "".join(compact), spaces


class Printed(NamedTuple):
    """The document's printed lines as `spaced_compact`, and the positions no line votes on (table cells'
    line breaks: Thai wraps between words without a space, so whether one was printed there is unknown)."""

    text: str
    spaces: set[int]
    breaks: set[int]


def _spacing(lines: list[Line], pages: list[PageLayout]) -> Printed:
    """The running-text lines and every ruled table cell (a table row's line joins its cells' wrapped
    lines without a space whatever was printed; the cell knows where it did)."""
    texts = [(line.text, ()) for line in lines if line.table is None]
    for table in (t for page in pages for t in page.tables if t.ruled):
        for cell in table.cells:
            if cell.text:
                fixed = _cell_text(cell.text).text
                texts.append((fixed, tuple(_moved(b, cell.text, fixed) for b in cell.breaks)))
    text, spaces = spaced_compact(t for t, _ in texts)
    breaks: set[int] = set()
    start = 0
    for t, cut in texts:
        breaks |= {start + len(_unspaced(t[:b])) for b in cut}
        start += len(_unspaced(t)) + 1
    return Printed(text, spaces, breaks)


def _spaced_as_printed(best: Reading, printed: Printed) -> Reading:
    """A text spaced as the document's lines most often print it. OCR puts and drops spaces between Thai
    words by the width of a gap, and a wrapped line gives no gap at all ("...ตามพหุปัญญา" / "ระดับ..."),
    so a name chosen from one reading can lose a space its other printings keep, or keep one they lack.
    Between each two Thai letters of the value the lines holding the letters around it vote, spaced or
    not; two votes or more and a majority change it. A table cell's line break no line votes on goes to
    review: nothing on the page says whether a space was printed there; so does one where a speck OCR
    spaced off was dropped with its spaces (held-out 6601: "พหุปัญญา. ระดับ"), and a gap the lines split
    on evenly (a name's table cell against its section heading: held-out 5801's "กิจกรรม เสริม")."""
    value = best.value.value
    if not isinstance(value, str) or not _THAI_LETTER.search(value):
        return best
    text, spaces, breaks = printed
    compact = _unspaced(value)
    spaced = {len(_unspaced(value[: m.start()])) for m in re.finditer(r"\s+", value)}
    n = _SPACING_CONTEXT

    def votes(k: int) -> Counter[bool]:
        lo, hi = max(0, k - n), min(len(compact), k + n)
        found = (m.start() + k - lo for m in re.finditer(f"(?={re.escape(compact[lo:hi])})", text))
        return Counter(at in spaces for at in found if at not in breaks)

    changed, split = [], []
    for k in range(n, len(compact) - n + 1):
        if not (_THAI_LETTER.match(compact[k - 1]) and _WORD_START.match(compact[k])):
            continue
        found, now = votes(k), k in spaced
        if found[not now] >= 2 and found[not now] > found[now]:
            changed.append(k)
        elif found[not now] and found[not now] == found[now]:
            split.append(f"{compact[k - n : k]}|{compact[k : k + n]}")
    raw = best.value.text or ""
    specks = [  # a speck OCR spaced off, dropped with its spaces (_GAP_SPECK): most such gaps print none
        (_unspaced(raw[: m.start()])[-n:], _unspaced(raw[m.end() :])[:n])
        for m in _GAP_SPECK.finditer(raw)
        if not _unspeck_gap(m)
    ]

    def unvoted(gaps: list[tuple[str, str]]) -> list[str]:
        return [
            f"{left}|{right}"
            for left, right in gaps
            for k in range(len(left), len(compact) - len(right) + 1)
            if compact[k - len(left) : k + len(right)] == left + right and not votes(k)
        ]

    unknown, specked = unvoted(best.breaks), unvoted(specks)
    if not changed and not unknown and not specked and not split:
        return best
    spaced ^= set(changed)
    respaced = "".join((" " if i in spaced else "") + ch for i, ch in enumerate(compact))
    fv = best.value.model_copy(update={"value": respaced})
    if changed:
        fv.reasons = [*fv.reasons, f"spaced as the document's other lines print it ({len(changed)} gap(s))"]
    if unknown:
        fv.reasons = [*fv.reasons, f"{BREAK_REASON} ({', '.join(unknown)})"]
    if specked:
        fv.reasons = [*fv.reasons, f"{SPECK_REASON} ({', '.join(specked)})"]
    if split:
        fv.reasons = [*fv.reasons, f"{SPLIT_REASON} ({', '.join(split)})"]
    return Reading(origin=best.origin, value=fv)


def _best_reading(readings: list[Reading], money: bool = False) -> Reading:
    """The first reading, unless a later one continues it: a wrapped line cut the first one short. A value
    a project inherits from a group heading comes after one read for the project itself (its table row's
    status), because a heading OCR missed leaves the previous group's value on every project after it.
    Of two readings of an amount of `money` a digit apart, the slip decides (_printed_of)."""
    readings = sorted(readings, key=lambda r: r.origin == "group")
    first = readings[0]
    if _amount(first.value.value):
        # printings of one number that disagree (the summary table and the project's section; a year on
        # five lines): the value its readings together make surest (fewer risky Thai digits, cleaner
        # lines, more lines agreeing: four ๒๕๖๖ outvote one surer ๒๔๖๖), then its surest reading
        numbers = [r for r in readings if r.origin != "group" and _amount(r.value.value)]
        if not numbers:
            return first
        doubt: dict[Any, float] = {}
        votes: Counter[Any] = Counter()
        seen: set[tuple[Any, ...]] = set()
        for r in numbers:
            where = (r.value.value, r.value.page, tuple(r.value.bbox or ()), r.value.text)
            if where not in seen:  # one line read twice is one vote
                seen.add(where)
                votes[r.value.value] += 1
                doubt[r.value.value] = doubt.get(r.value.value, 1.0) * (1.0 - r.value.confidence)
        surest = min(doubt, key=lambda v: doubt[v])
        # one line against one, the slip decides; also when a third line reads an amount apart from both
        # (another project's, held-out 6201: ๘๐๑,๘๐๐ and ๘๐๑,๘๐๑ beside ๓๑๓,๓๐๐)
        top = [v for v in votes if votes[v] == max(votes.values())] if money else []
        pairs = [(x, y) for i, x in enumerate(top) for y in top[i + 1 :] if digit_slip(x, y)]
        if len(pairs) == 1:
            x, y = pairs[0]
            if not any(_slip_beside_letters(r, y if r.value.value == x else x) for r in numbers):
                surest = _printed_of(x, y) or surest
        return max((r for r in numbers if r.value.value == surest), key=lambda r: r.value.confidence)
    if not isinstance(first.value.value, str):
        return first
    head = _compact(first.value.value)
    cut_short = ""  # what a wrapped line cut off the first reading, when another reading has it
    for other in readings[1:]:
        if (
            isinstance(other.value.value, str)
            and len(_compact(other.value.value)) > len(head)
            and _compact(other.value.value).startswith(head)
        ):
            tail = _compact(other.value.value)[len(head) :]
            first, head, cut_short = other, _compact(other.value.value), tail if _clean_tail(tail) else ""
            break
    else:
        for other in readings[1:]:
            if isinstance(other.value.value, str) and (longer := _completed(first, other)) is not None:
                first, head, cut_short = longer, _compact(longer.value.value), "completed"
                break
    # of the readings of one text (a project's name in the list and in its own section), the one that
    # reads best as Thai: "จัดงานวันเด็ก" rather than "จัดงจันวันเด็ก"; not one a wrapped line cut short
    alike = [
        r
        for r in readings
        if isinstance(r.value.value, str)
        and _one_text(key := _compact(r.value.value), head)
        and not (cut_short and len(key) < len(head) and head.startswith(key))
    ]
    best = min(alike, key=lambda r: _thai_quality(r.value.value))
    return best if _thai_quality(best.value.value) < _thai_quality(first.value.value) else first


def _most_printed(readings: list[Reading], best: Reading) -> Reading:
    """Of a document's printings of one text (its office in the title and in each page's header), the one
    more lines read than `best`'s: a digit misread on one line ("เขต 6" in the title for the "เขต ๑" two
    headers read, held-out 6501 fax) is outvoted. One line read twice is one vote."""
    votes: Counter[str] = Counter()
    seen: set[tuple[Any, ...]] = set()
    for r in readings:
        where = (r.value.page, tuple(r.value.bbox or ()))
        if isinstance(r.value.value, str) and where not in seen:
            seen.add(where)
            votes[_compact(r.value.value)] += 1
    if not isinstance(best.value.value, str) or not votes:
        return best
    top, count = votes.most_common(1)[0]
    if count <= votes[_compact(best.value.value)]:
        return best
    return max(
        (r for r in readings if isinstance(r.value.value, str) and _compact(r.value.value) == top),
        key=lambda r: r.value.confidence,
    )


_ALIKE_RATIO = 90  # rapidfuzz ratio above which two readings are taken for one printed text
# ... or above 85 for two about as long: a garbled "โครงการ" left in front of one ("คารอนุรักษ์...",
# "ารลูกเสือ...") keeps it under 90, as a line cut short does (that one is far shorter)
_ONE_TEXT_RATIO, _ONE_TEXT_SLACK = 85, 4


def _one_text(a: str, b: str) -> bool:
    """Two readings (compacted) of one project's text that are one printed text."""
    ratio = fuzz.ratio(a, b)
    return ratio >= _ALIKE_RATIO or (ratio >= _ONE_TEXT_RATIO and abs(len(a) - len(b)) <= _ONE_TEXT_SLACK)


_MIN_TAIL = 3  # letters a longer reading must add to complete a text a wrapped line cut short
_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")


def _clean_tail(tail: str) -> bool:
    """Letters that can finish a cut-off text: Thai dictionary words only (not a speck, a digit or a
    fragment of the next column)."""
    return len(tail) >= _MIN_TAIL and _THAI_RUN.fullmatch(tail) is not None and unknown_words(tail) == 0


def _completed(short: Reading, long: Reading) -> Reading | None:
    """`short` completed by what `long` reads after it, when `long` begins with `short` as misread text:
    a section heading wrapped onto a line its pattern does not take ("...งานสารบรรณโดย" / "อิเล็กทรอนิกส์")
    beside the table cell that holds it all ("ออบรม...งานสวรบรรณโดยอิเล็กทรอนิกส์")."""
    head, other = _compact(str(short.value.value)), _compact(str(long.value.value))
    if len(other) < len(head) + _MIN_TAIL:
        return None
    score, cut = max((fuzz.ratio(head, other[:k]), k) for k in range(len(head) - 2, len(head) + 3))
    tail = other[cut:]
    if score < _ALIKE_RATIO or not _clean_tail(tail):
        return None
    fv = short.value.model_copy(update={"value": f"{short.value.value}{tail}"})
    fv.confidence = min(short.value.confidence, long.value.confidence)
    fv.reasons = [*fv.reasons, f"completed by {tail!r} from a longer reading"]
    return Reading(origin=short.origin, value=fv)


@lru_cache(maxsize=4096)  # texts recur within a document; a nightly run must not grow without bound
def _thai_quality(text: str) -> tuple[int, int]:
    """How badly a text reads as Thai: its unknown words, then its words (maximal matching: a misread
    word falls apart into more pieces, "ขอ|อบ|นุ|มติ" against "ขอ|อนุมัติ")."""
    return unknown_words(text), len(segment(_compact(text), custom_dict=dictionary().trie))


def extract(
    template: Template,
    source: str,
    pages: list[PageLayout],
    layout: DocumentLayout,
    detection: Detection | None = None,
) -> ExtractionResult:
    """Records of one document of a known family (no validation; see extract_document)."""
    detection = detection or Detection(family=template.family, confidence=1.0, evidence=["family given"])
    lines = body_lines(pages, layout)
    if template.progress:
        lines = split_merged_starts(template.progress, lines)
    labels = _labels(template)
    sections: list[Draft] = [] if template.sections else [Draft()]
    doc = Draft()
    issues: list[Issue] = []
    entries = _entries(template.progress, template, lines) if template.progress else []
    skip = {i for _, idx in entries for i in idx}
    starts = _read_fields(template, lines, skip, labels, sections, doc)
    bounds = [*starts, len(lines)] if template.sections else [0, len(lines)]
    for k, section in enumerate(sections):
        section.names = _full_names(lines[bounds[k] : bounds[k + 1]])
    fy = doc.first("fiscal_year") or next(
        (s.first("fiscal_year") for s in sections if s.first("fiscal_year")), None
    )
    _read_mentions(template, [*lines, *running_lines(pages, layout)], doc)
    for first, idx in entries:
        owner = sum(1 for s in starts if s <= first) - 1 if template.sections else 0
        if owner < 0:
            continue
        record, alternates, issue = _progress_record(template.progress, template, lines, idx, fy, source)  # type: ignore[arg-type]
        if issue:
            issues.append(issue)
        sections[owner].entries_read.append(record is not None)
        if record:
            sections[owner].progress.append(record)
            sections[owner].progress_alternates.append(alternates)
    for section in sections:
        if section.progress:
            kept = {id(r) for r in _renumber(section.progress)}
            pairs = [(r, a) for r, a in zip(section.progress, section.progress_alternates, strict=True)]
            pairs = [(r, a) for r, a in pairs if id(r) in kept]
            section.progress = [r for r, _ in pairs]
            section.progress_alternates = [a for _, a in pairs]
            if template.progress:
                _date_order(section.progress, section.progress_alternates, template.progress.newest, fy)
    if template.progress:
        rows = [r for section in sections for r in section.progress]
        _consensus(rows, template.progress.consensus, _scoring().get("consensus_ratio", 90))
    for section in sections:
        section.progress = [ProgressRecord.model_validate(r.model_dump()) for r in section.progress]
    rows, totals = _read_tables(template, pages, lines)
    drafts = _merge(sections, rows)
    result = ExtractionResult(
        source=source,
        doc_type=template.family,
        detection=detection,
        totals=totals,
        counts=_counts(template, lines),
        issues=issues,
    )
    threshold = load_rules()["review_threshold"]
    for draft in drafts:
        for name, readings in doc.readings.items():
            draft.readings.setdefault(name, []).extend(readings)
    common = _common_values(template, drafts)
    printed = _spacing(lines, pages)
    labels = tuple(label for f in template.fields.values() for label in f.labels)  # cut, one may end a value
    for draft in drafts:
        _derive(template, draft)
        _derive_missing(template, draft, common)
        fields = {}
        for fname, readings in draft.readings.items():
            best = _best_reading(readings, _is_money(template, fname))
            spec = template.fields.get(fname, FieldSpec())
            if spec.scope == "document":
                best = _most_printed(readings, best)
            if spec.parser == "person":
                best = _complete_name(best, draft.names)
            if spec.vocabulary and spec.scope == "section":
                snapped = _snap(best, list(domain_words(spec.vocabulary)), labels)
                # a start garbled past _snap's match, with nothing after it ("สิวนักง่านเขตคลองสามวา")
                best = _nearest_known(best, spec) if snapped is best else snapped
            elif spec.vocabulary:
                best = _nearest_known(best, spec)
            elif spec.parser == "text":
                best = _spaced_as_printed(best, printed)
            fv = _corroborated(best, readings)
            _trust_known(fv, spec, readings)
            if spec.parser in ("money", "money_table", "fiscal_year", "project_code"):
                _arabic_risk(fv)
            fv.needs_review = fv.confidence < threshold
            fields[fname] = fv
        _balance(template, draft.readings, fields)
        own_section = bool(template.sections) and any(draft is s for s in sections)
        for name in template.required + (template.required_with_section if own_section else []):
            fields.setdefault(name, FieldValue(value=None, reasons=[MISSING]))
        if own_section:
            _short_of_form(template, fields)
        code, name = fields.get("project_code"), fields.get("project_name")
        for row in draft.progress:  # the rows name their project as its record does
            row.project_code = code.value if code else None
            row.project_name = name.value if name else None
            row.needs_review = row.confidence < threshold
        result.projects.append(ProjectRecord(source=source, doc_type=template.family, fields=fields))
        result.readings.append(draft.readings)
        result.progress += draft.progress
        result.progress_alternates += draft.progress_alternates
    _balance_totals(result)
    return result


def _short_of_form(template: Template, fields: dict[str, FieldValue]) -> None:
    """A person its project's own form names, left as one word (the list's bare given name, or a titled name
    run into its surname): the form prints title, given name and surname apart, and OCR garbled them past
    completing (_complete_name) or parting; the one word is not the value."""
    for name, fv in fields.items():
        one_word = isinstance(fv.value, str) and len(fv.value.split()) == 1
        if one_word and template.fields.get(name, FieldSpec()).parser == "person":
            fv.reasons = [*fv.reasons, _SHORT_OF_FORM]


def _is_total_row(row: list[str], label: str, key: int | None) -> bool:
    """A table row holding the total label as OCR reads it: behind specks ("รวม |", '“ " รวม', ") รวม"), with
    a letter glued on ("รวมบ") or one misread ("รจม."), a short word no project is named; one misread letter
    only outside the key column, where a row number read as letters ("เวม" for ๓) would pass for it."""
    wanted = _header_key(label)

    def like(cell: str) -> bool:
        got = _header_key(cell)
        return len(got) <= len(wanted) + 1 and fuzz.ratio(got, wanted) >= 60

    return any(_compact(cell) == _compact(label) or (c != key and like(cell)) for c, cell in enumerate(row))


def _sum_columns(
    spec: TableSpec, labels: list[str], cols: dict[str, int | None]
) -> dict[int, tuple[str, str, str | None]]:
    """The columns a total row adds up, found as value columns are (a fax garbles headers: "จมประมาณตามแผน"):
    each one's template name (the key its rows add under, the same on every page of a table continued over
    pages, whatever OCR made of each page's header), its label as read and the project field it holds
    (`cols`: each field's column in this table)."""
    fields = {c: f for f, c in cols.items() if c is not None}
    found = ((wanted, _column(labels, wanted)) for wanted in spec.sum_columns)
    return {c: (wanted, labels[c], fields.get(c)) for wanted, c in found if c is not None}


def _balance_totals(result: ExtractionResult) -> None:
    """A table column whose chosen values do not add up to its total row, mended from the other printings:
    when exactly one set of other readings of that field, fewest first, makes the sum right (a summary's
    amount misread in the table, read right in the project's section), those readings are taken."""
    for total in result.totals:
        name = total.field
        if name is None:
            continue
        members = [
            (p.fields, readings[name])
            for p, readings in zip(result.projects, result.readings, strict=True)
            if name in p.fields
            and _amount(p.fields[name].value)
            and any(r.origin == f"table:{total.table}" for r in readings.get(name, []))
        ]
        summed = sum(fields[name].value for fields, _ in members)
        printings = [
            list({r.value.value: r for r in printed if _amount(r.value.value)}.values())
            for _, printed in members
        ]
        # amounts in whole baht add up to the baht: a baht off is a misread 1 ("575,001" for 575,000)
        whole = all(
            float(v).is_integer() for v in [total.stated, *(r.value.value for rs in printings for r in rs)]
        )
        tolerance = 0.0 if whole else 1.0
        if not members or abs(summed - total.stated) <= tolerance:
            continue
        fixes = _fewest_fixes(
            printings, [fields[name].value for fields, _ in members], total.stated - summed, tolerance
        )
        if fixes is None:
            off = summed - total.stated
            mend = _likeliest_slip(
                [
                    (i, f[name].value - off, f[name].value)
                    for i, (f, printed) in enumerate(members)
                    if not _twice({name: printed}, name, f[name].value)
                ]
            )
            if mend is not None:
                fields, printed = members[mend[0]]
                read, value = fields[name].value, mend[1]
                others = [r.value.value for r in printed if _amount(r.value.value) and r.value.value != read]
                partner = next((v for v in others if digit_slip(value, v)), None)
                fields[name] = _mended(fields[name], value, f"makes '{total.column}' add up", partner)
            continue
        for i, pick in fixes:
            fields, printed = members[i]
            fv = _corroborated(pick, printed)
            old = fields[name].value
            fv.reasons = [
                *fv.reasons,
                f"{old:g} also read; {pick.value.value:g} makes '{total.column}' add up",
            ]
            fv.needs_review = fields[name].needs_review
            fields[name] = fv


_MAX_FIX_COMBINATIONS = 4096  # other readings of a column's cells tried together


def _fewest_fixes(
    readings: list[list[Reading]], chosen: list[float], short: float, tolerance: float = 1.0
) -> list[tuple[int, Reading]] | None:
    """The one set of other readings, fewest first, that makes a column's cells add up to its total
    (`short` = total - their sum): the table's "๑ ๓๓,๓๐๐" cut to 1 and a section's ๓๖๘,๕๐๐ read ๖๘,๕๐๐,
    each read right in the other printing. None when no set does; [] when two sets of as few do (no reason
    to take either)."""
    options = [[(i, r) for r in found if r.value.value != chosen[i]] for i, found in enumerate(readings)]
    options = [o for o in options if o]
    if math.prod(len(o) + 1 for o in options) > _MAX_FIX_COMBINATIONS:
        options = [o for o in options if len(o) == 1][:12]  # one other reading each: 4,096 sets at most
    for size in range(1, len(options) + 1):
        found_sets = [
            list(picks)
            for cells in itertools.combinations(options, size)
            for picks in itertools.product(*cells)
            if abs(sum(r.value.value - chosen[i] for i, r in picks) - short) <= tolerance
        ]
        if found_sets:
            return found_sets[0] if len(found_sets) == 1 else []
    return None


def extract_document(source: str, pages: list[PageLayout], layout: DocumentLayout) -> ExtractionResult:
    """Detect the family, extract with its template, validate. Pure: reads only config and arguments."""
    detection = detect(pages, layout)
    template = load_templates().get(detection.family)
    if template is None:
        return ExtractionResult(source=source, doc_type="unknown", detection=detection)
    return validate(extract(template, source, pages, layout, detection))
