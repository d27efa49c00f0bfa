"""Typed value parsers for OCR'd report fields. Each returns a ParsedValue and never raises on junk:
what cannot be read gives value=None with the reason; what was read with a repair says which repair.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Literal

import yaml

from models.values import ParsedValue
from tasks.thai_text import domain_words, known_name, person_names

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
BE_OFFSET = 543  # Buddhist Era year = Gregorian year + 543


def fold_digits(text: str) -> str:
    """Thai digits to Arabic digits; nothing else changes."""
    return text.translate(_THAI_DIGITS)


def _fail(text: str, reason: str) -> ParsedValue:
    return ParsedValue(value=None, confidence=0.0, reasons=[reason], text=text)


def _ok(text: str, value: object, confidence: float, reasons: list[str]) -> ParsedValue:
    return ParsedValue(
        value=value, confidence=round(max(0.0, min(1.0, confidence)), 3), reasons=reasons, text=text
    )


# --- years and dates -------------------------------------------------------------------------------


def _year(raw: str, fiscal_year: int | None) -> tuple[int, str | None]:
    """Gregorian year from a printed year; the reason says how an era or century was decided."""
    y = int(raw)
    if len(raw) <= 2:
        # Thai reports abbreviate B.E. years ("มี.ค. 67"); a fiscal year in context can overrule that.
        be, ce = 2500 + y, 2000 + y
        if fiscal_year is not None and abs(ce + BE_OFFSET - fiscal_year) < abs(be - fiscal_year):
            return ce, f"two-digit year {raw} read as C.E. {ce} (closer to fiscal year {fiscal_year})"
        return be - BE_OFFSET, f"two-digit year {raw} read as B.E. {be}"
    if y >= 2400:
        return y - BE_OFFSET, None  # B.E.; magnitude alone decides
    return y, None


def _plausible(d: date, fiscal_year: int | None) -> list[str]:
    if fiscal_year is not None:
        start, end = fiscal_year_range(fiscal_year)
        if not start - timedelta(days=366) <= d <= end + timedelta(days=366):
            return [f"date is more than a year outside fiscal year {fiscal_year}"]
    elif not 1950 <= d.year <= 2100:
        return [f"year {d.year} C.E. is implausible for a report"]
    return []


@cache
def _months() -> dict[str, int]:
    data = yaml.safe_load(files("config").joinpath("dictionary/months.yaml").read_text(encoding="utf-8"))
    names: dict[str, int] = {}
    for number, spellings in data["months"].items():
        for spelling in spellings:
            names[spelling] = int(number)
            names[spelling.replace(".", "")] = int(number)
    return names


@cache
def _month_pattern() -> re.Pattern[str]:
    names = sorted(_months(), key=len, reverse=True)
    alternatives = "|".join(re.escape(n).replace(r"\.", r"\.?") for n in names)
    return re.compile(
        rf"(\d{{1,2}})\s*({alternatives})\s*(?:พ\.?\s?ศ\.?|ค\.?\s?ศ\.?)?\s*(\d{{4}}|\d{{2}})(?!\d)"
    )


@cache
def _month_range_pattern() -> re.Pattern[str]:
    abbreviations = sorted((n for n in _months() if n.endswith(".")), key=len, reverse=True)
    alt = "|".join(re.escape(a[:-1]).replace(r"\.", r" ?\.?") for a in abbreviations)
    # the dash may be read ":" or a quote ("มิ.ย.:ส.ค.", 'มิ.ย."ส.ค.'), a space set before a dot ("ส .ค .")
    return re.compile(
        rf"(?:(?<=เดือน)|(?<![\u0e01-\u0e4e.]))\s*({alt}) ?\.\s*[-:\"']\s*({alt})(?: ?\.)?(?![\u0e01-\u0e4e])"
    )


@cache
def _abbreviation_spellings() -> dict[str, str]:
    """A month's abbreviation, with or without its dots -> as printed ("มิย" -> "มิ.ย.")."""
    return {n: a for a in _months() if a.endswith(".") for n in (a, a.replace(".", ""))}


def month_range(text: str) -> str:
    """A range of abbreviated months as printed, "มิ.ย.-ส.ค.": OCR drops inner dots ("มิย."), sets
    spaces around the dash or reads it as ":" or a quote; after "เดือน" the range keeps one space."""
    canonical = _abbreviation_spellings()

    def fix(m: re.Match[str]) -> str:
        first, last = (canonical[re.sub(r"[. ]", "", g)] for g in m.groups())
        spaces = m.group(0)[: len(m.group(0)) - len(m.group(0).lstrip())]
        lead = " " if m.start() and re.match(r"[\u0e01-\u0e4e]", text[m.start() - 1]) else spaces
        return f"{lead}{first}-{last}"

    return _month_range_pattern().sub(fix, text)


# a time may follow, OCR sometimes gluing it to the day ("2018-10-0100:00:00")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?!\d)")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4}|\d{2})(?!\d)")


_GLUED_DIGIT = re.compile(r"\d[^\s():]?$")  # a digit right before a day, or one speck before it


def parse_date(text: str, fiscal_year: int | None = None) -> ParsedValue:
    """A date as ISO yyyy-mm-dd (Gregorian). Accepts dd/mm/BBBB, d/m/BBBB, dd/mm/BB, ISO with a time,
    "31 มีนาคม 2567", "31 มี.ค. 67", "วันที่ 10 เมษายน 2567", Thai digits. `fiscal_year` (B.E.) decides
    two-digit centuries and flags dates far outside it. A day/month swap (11/29/2020) is swapped back
    with a reason and lower confidence; an impossible date gives no value."""
    if not isinstance(text, str):
        return _fail(str(text), "not text")
    s = fold_digits(text)
    reasons: list[str] = []
    confidence = 1.0
    if m := _ISO.search(s):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if y >= 2400:
            y -= BE_OFFSET
            reasons.append("ISO date written with a B.E. year")
    elif m := _month_pattern().search(s):
        d, mo = int(m.group(1)), _months()[m.group(2)]
        y, why = _year(m.group(3), fiscal_year)
        if why:
            reasons.append(why)
            confidence -= 0.05
        # "321 มีนาคม" for 31: a digit of the day misread; "3ฯ1 มีนาคม": a speck read between its digits
        if glued := _GLUED_DIGIT.search(s[: m.start()]):
            reasons.append(f"a third digit glued to the day ({glued.group()}{m.group(1)})")
            confidence -= 0.4
    elif m := _NUMERIC.search(s):
        d, mo = int(m.group(1)), int(m.group(2))
        y, why = _year(m.group(3), fiscal_year)
        if why:
            reasons.append(why)
            confidence -= 0.05
        if mo > 12 >= d:
            d, mo = mo, d
            reasons.append(f"month {d} > 12: read as month/day ({m.group(0)}) and swapped")
            confidence -= 0.35
    else:
        return _fail(text, "no date found")
    try:
        value = date(y, mo, d)
    except ValueError:
        return _fail(text, f"impossible date: day {d}, month {mo}, year {y}")
    if _ISO.search(s[m.end() :]) or _NUMERIC.search(s[m.end() :]) or _month_pattern().search(s[m.end() :]):
        reasons.append("more than one date in the text; the first was taken")
        confidence -= 0.1
    if not 1900 <= value.year <= 2200:  # no report is dated here: a misread year ("9021") is no reading
        return _fail(text, f"year {value.year} C.E. is no report's year")
    implausible = _plausible(value, fiscal_year)
    if implausible:
        reasons += implausible
        confidence -= 0.4
    return _ok(text, value.isoformat(), confidence, reasons)


def fiscal_year_range(fiscal_year: int) -> tuple[date, date]:
    """Thai government fiscal year (B.E.) -> (1 October of the previous year, 30 September), Gregorian.
    ปีงบประมาณ 2565 = 2021-10-01 .. 2022-09-30."""
    ce = fiscal_year - BE_OFFSET
    return date(ce - 1, 10, 1), date(ce, 9, 30)


_YEAR = re.compile(r"(?<!\d)(\d{4}|\d{2})(?!\d)")
_YEAR_AFTER_SPECK = re.compile(r"(?<!\d)\d(2[45]\d\d)(?!\d)")  # "72564": a speck or a colon read as a digit
_YEAR_ROUND_SPECK = re.compile(r"(?<!\d)(2[45]\d{0,2})[^\d\s](\d{1,2})(?!\d)")  # "256(4", "256ว3"


def parse_fiscal_year(text: str) -> ParsedValue:
    """A fiscal year as a B.E. int ("2565", "พ.ศ. ๒๕๖๕", "65"); a C.E. year is converted, with a reason."""
    if not isinstance(text, str):
        return _fail(str(text), "not text")
    s = fold_digits(text)
    m = _YEAR.search(s)
    if m is None and (stray := _YEAR_AFTER_SPECK.search(s)) is not None:
        return _ok(text, int(stray.group(1)), 0.7, [f"a stray digit before the year ({stray.group(0)})"])
    inside = _YEAR_ROUND_SPECK.search(s) if m is None else None
    if inside is not None and len(year := inside.group(1) + inside.group(2)) == 4:
        return _ok(text, int(year), 0.7, [f"a speck inside the year ({inside.group(0)})"])
    if m is None:
        return _fail(text, "no year found")
    y = int(m.group(1))
    if len(m.group(1)) == 2:
        return _ok(text, 2500 + y, 0.9, [f"two-digit year {m.group(1)} read as B.E. {2500 + y}"])
    if 2400 <= y <= 2700:
        return _ok(text, y, 1.0, [])
    if 1900 <= y <= 2200:
        return _ok(text, y + BE_OFFSET, 0.85, [f"C.E. year {y} converted to B.E. {y + BE_OFFSET}"])
    return _fail(text, f"{y} is not a plausible fiscal year")


# --- amounts ---------------------------------------------------------------------------------------

_DASH_ONLY = re.compile(r"^[\s\-–—_.]*[-–—][\s\-–—_.]*$")
_AMOUNT = re.compile(r"(?<![\d.])\d[\d,]*(?:\.\d{3})*(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
# A dotted leader's last dot stuck to the amount (".13,600 บาท"): baht are never written ".5".
_LEADER_BEFORE_AMOUNT = re.compile(r"(?<![\d.])\.+(?=\d)")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # "24.000": OCR read the comma as a dot
_UNIT_WORDS = re.compile(r"จำนวน|บาท|งปม\.?|ร้อยละ|[:=]")


def _number(token: str) -> tuple[float, list[str], float]:
    """Value of a digit string with optional separators: (value, reasons, confidence penalty)."""
    if re.match(r"0\d", token):  # "จำนวน01 บาท": no amount is printed so; a speck or a letter read as 0
        value, reasons, penalty = _number(token[1:])
        return value, ["a leading zero", *reasons], penalty + 0.3
    if "," not in token and _DOT_THOUSANDS.fullmatch(token):
        return float(token.replace(".", "")), ["'.' read as a thousands separator (2 decimals at most)"], 0.2
    # "270.100.7" (held-out 6101, fax): separators read as dots; the last is the decimal point
    plain = token.replace(",", "").rstrip(".")
    if plain.count(".") > 1:
        whole, _, decimals = plain.rpartition(".")
        return float(f"{whole.replace('.', '')}.{decimals}"), ["irregular thousands separators"], 0.3
    if "," not in token:
        whole = token.split(".")[0]
        if len(whole) >= 5:
            return float(token), ["no thousands separator (comma lost?)"], 0.05
        return float(token), [], 0.0
    if _GROUPED.fullmatch(token):
        return float(token.replace(",", "")), [], 0.0
    return float(token.replace(",", "").rstrip(".")), ["irregular thousands separators"], 0.3


# One or two digits, a space, then the rest of a thousands group ("๑ ๔,๖๐๐"): OCR opened a gap inside the
# leading group (at most three digits together), which would otherwise leave only "4,600".
_SPLIT_LEADING = re.compile(r"(?<![\d,.])(\d{1,2})\s(\d{1,2})(?=,\d{3}(?!\d))")


# Letters or marks OCR put between the digits of a grouped amount ("๑๖๗ซ,๕๐๐", "339,บ000", "57@,@700"):
# dropped only when what is left is a well-formed grouped amount, so a misread digit is never guessed.
_JUNK_IN_AMOUNT = re.compile(r"(?<![\d,.])\d[\d,]*(?:[^\d\s,.]{1,2}[\d,]*)+\d")


def _close_junk(s: str) -> tuple[str, bool]:
    for m in _JUNK_IN_AMOUNT.finditer(s):
        digits = re.sub(r"[^\d,]", "", m.group(0))
        if "," in digits and _GROUPED.fullmatch(digits):
            return s[: m.start()] + digits + s[m.end() :], True
    return s, False


# A thousands separator OCR read as another mark ("101)945", "240:300.", ",:"), or as a gap right before
# บาท ("1 700 บาท", "147 100. บาท"): the group after it has exactly three digits. A leader's dot may
# precede the number (".2:300").
_MISREAD_SEPARATOR = re.compile(
    r"(?<![\d,])(?<!\d\.)(\d{1,3})(?:,?[):;]|\s(?=\d{3}\.?\s*บาท))(\d{3})(?![\d.,]\d)"
)


def _close_separator(s: str) -> tuple[str, bool]:
    def close(m: re.Match[str]) -> str:
        if ")" in m.group(0) and "(" in s[: m.start()]:
            return m.group(0)  # "(ครั้งที่3)100 บาท": a bracket closed after a count, no separator
        return f"{m.group(1)},{m.group(2)}"

    closed = _MISREAD_SEPARATOR.sub(close, s)
    return closed, closed != s


def _close_split(s: str) -> tuple[str, bool]:
    m = _SPLIT_LEADING.search(s)
    if m is None or len(m.group(1)) + len(m.group(2)) > 3:
        return s, False
    return s[: m.start()] + m.group(1) + m.group(2) + s[m.end() :], True


DASH_ZERO = "'-' in a table cell means zero"
ONE_DECIMAL = "one satang digit"  # "10,800.7 บาท"; the seeds print none of their 270 amounts so
_ONE_DECIMAL = re.compile(r"\.\d$")
LETTERS_DROPPED = "letters inside the amount's digits were dropped"  # a digit may have gone with them


def parse_money(
    text: str, context: Literal["form", "table"] = "form", max_value: float | None = None
) -> ParsedValue:
    """Baht amount as a float ("26,185 บาท", "๕,๑๐๐,๐๐๐ บาท", "จำนวน6,000 ... บาท", "130000").
    A lone "-" is 0 in a table cell and no value in a form field (`context`). With `max_value`, a value
    too large that fits once two decimals are restored is taken as a lost decimal point (flagged)."""
    if not isinstance(text, str):
        return _fail(str(text), "not text")
    s = re.sub(r"(\d)[,.]\s+(\d{3})(?!\d)", r"\1,\2", fold_digits(text))  # "26, 185" -> "26,185"
    s, split = _close_split(s)  # "๑ ๔,๖๐๐" -> "14,600"
    s, junk = _close_junk(s)
    s, separator = _close_separator(s)
    s = _LEADER_BEFORE_AMOUNT.sub("", s)
    if _DASH_ONLY.match(s):
        if context == "table":
            return _ok(text, 0.0, 0.95, [DASH_ZERO])
        return _fail(text, "'-' in a form field means no value was given")
    amounts = _AMOUNT.findall(s)
    if not amounts:
        return _fail(text, "no amount found")
    reasons: list[str] = []
    confidence = 1.0
    if split:
        reasons.append("a space inside the amount's leading digits was closed")
        confidence -= 0.15
    if junk:
        reasons.append(LETTERS_DROPPED)
        confidence -= 0.3
    if separator:
        reasons.append("a mark or gap read for the thousands separator")
        confidence -= 0.15
    token = amounts[0]
    if len(amounts) > 1:
        before_baht = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*บาท", s)
        token = before_baht.group(1) if before_baht else token
        reasons.append(
            "several numbers in the text; took " + ("the one before บาท" if before_baht else "the first")
        )
        confidence -= 0.2
    value, why, penalty = _number(token.rstrip(","))
    reasons += why
    confidence -= penalty
    if _ONE_DECIMAL.search(token):  # baht print two satang digits or none: a speck or a dot leader read
        reasons.append(ONE_DECIMAL)
        confidence -= 0.3
    if max_value is not None and value > max_value:
        value, why, penalty = _over_maximum(
            value, token, max_value, f"above the expected maximum {max_value:g}", 0.4
        )
        reasons.append(why)
        confidence -= penalty
    return _ok(text, value, confidence, reasons)


def _over_maximum(
    value: float, raw: str, maximum: float, what: str, penalty: float
) -> tuple[float, str, float]:
    """A number above its maximum most often lost its decimal point to OCR ("4231" for 42.31): restore
    it when that brings the value in range, else keep the value and say why it is doubtful."""
    if "." not in raw and value / 100 <= maximum:
        return value / 100, f"{what}: decimal point restored", 0.35
    return value, what, penalty


_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?:\s*(%|ร้อยละ)|\s+(9)(?![\d.]))?")


_SPECK_BEFORE_SIGN = re.compile(r"[.,:;'\"]+\s*%")
_GLUED_SIGN = re.compile(r"(?<![\d.])(\d{1,3}\.\d\d)(?:96?|6)(?![\d.])")


def parse_percent(text: str) -> ParsedValue:
    """A percentage as a float in 0-100 ("10.00 %", "ร้อยละ 10", "ร้อยละ ๑๒.๐๐"). OCR's "%" read as "9"
    ("1.00 9") and a lost decimal point ("4231" -> 42.31) are repaired with a reason."""
    if not isinstance(text, str):
        return _fail(str(text), "not text")
    s = fold_digits(text)
    if glued := _GLUED_SIGN.search(s):  # "25.009": percents are printed with two decimals
        return _ok(text, float(glued.group(1)), 0.8, ["percent sign read as 9 or 96, glued to the number"])
    m = _PERCENT.search(s)
    if m is None:
        return _fail(text, "no number found")
    raw = m.group(1)
    value = float(raw)
    reasons: list[str] = []
    confidence = 1.0
    if m.group(3):
        reasons.append("percent sign read as 9")
        confidence -= 0.15
    if _SPECK_BEFORE_SIGN.match(s, m.end(1)):  # "90.60.%" printed 90.00 %: the speck spoiled a digit too
        reasons.append("a speck between the number and its percent sign")
        confidence -= 0.3
    if value > 100:
        value, why, penalty = _over_maximum(value, raw, 100, f"{raw} is above 100", 0.5)
        reasons.append(why)
        confidence -= penalty
    return _ok(text, value, confidence, reasons)


# --- codes, names, phones --------------------------------------------------------------------------

# the dash may be misread, or have a speck beside it ("50150700-:1616")
_CODE = re.compile(r"(?<!\d)(\d{8})\s*[-–—:;.=_~\"'“”]{0,2}\s*(\d{4})(?!\d)")
_CODE_DASH_AS_DIGIT = re.compile(r"(?<!\d)(\d{8})\d(\d{4})(?!\d)")


def parse_project_code(text: str) -> ParsedValue:
    """Project code "########-####" (also with Thai digits, split by OCR like "50220000 -6950")."""
    if not isinstance(text, str):
        return _fail(str(text), "not text")
    s = fold_digits(text)
    m = _CODE.search(s)
    if m is None and (m := _CODE_DASH_AS_DIGIT.search(s)) is not None:
        # thirteen digits: the dash read as one ("5016360028112"); which digit it was is a guess, so doubtful
        return _ok(text, f"{m.group(1)}-{m.group(2)}", 0.6, ["the dash read as a digit"])
    if m is None:
        return _fail(text, "no ########-#### code found")
    reasons = []
    confidence = 1.0
    between = s[m.end(1) : m.start(2)]
    if between != "-":
        marks = between.replace(" ", "")
        dash = any(d in marks for d in "-–—")
        if dash:
            reasons.append(
                "spaces around the dash" if len(marks) == 1 else f"a speck beside the dash ({marks!r})"
            )
        else:
            reasons.append(f"dash read as {marks!r}" if marks else "dash missing")
        confidence -= 0.1 if dash else 0.2
    return _ok(text, f"{m.group(1)}-{m.group(2)}", confidence, reasons)


@cache
def _titles() -> tuple[str, ...]:
    return tuple(sorted(domain_words("title"), key=len, reverse=True))


@cache
def _title_pattern(title: str | None = None) -> str:
    """Regex of one title (or of all, longest first) as OCR prints it: the space in "ว่าที่ ร.ต." may be
    lost or read as a dot, a "." may come out as ":", "'", "," or "์", an า as ำ ("นำง"), a ว as จ
    ("นางสาจ"), a ด as ต ("ตร."), and a stray mark may follow a letter ("ว่าที่ รู้.ต.", "น.สํ.", "นางส่าว",
    "นางสาัว")."""
    if title is None:
        return "|".join(f"(?:{_title_pattern(t)})" for t in _titles())
    printed = {" ": r"[\s.]?", ".": "[.:',์]", "า": "[าำ]", "ว": "[วจ]", "ด": "[ดต]"}
    last = len(title) - 1  # a mark after the title's last letter is the name's ("นางสาวิตรี": นาง สาวิตรี)
    return "".join(
        printed.get(ch, re.escape(ch))
        + (_STRAY_MARKS if ("ก" <= ch <= "ฮ" or ch == "า") and k < last else "")
        for k, ch in enumerate(title)
    )


_STRAY_MARKS = "[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]{0,2}"


_NAME_WORD = r"[\u0e01-\u0e4e]+"
_NAME_START = "(?=[ก-ฮเ-ไ])"  # a given name starts with a consonant or a leading vowel, never a mark
_DOT_FOR_SPACE = re.compile(r"(?<=[\u0e01-\u0e4e]{3})[.'\"](?=[\u0e01-\u0e4e]{2})")
_TITLE_GAP = re.compile(r"\s+(?=\.)|(?<=\.)\s+(?=[\u0e01-\u0e4e]{1,2}\.)")
_SPLIT_TITLE = re.compile(r"^น\s+(?=า[งย])")  # "น ายสุรงค์": OCR parted นาย/นาง after its น


def parse_person_name(text: str) -> ParsedValue:
    """Thai personal name -> {"title", "first", "last"} ("นางณัฐสุดา รัชตวโรทัย โทร. 1544",
    "ว่าที่ ร.อ.อรรถพล ห้วยกรุด", "(นายจรัล รุ่งเรืองศิรินนท์)"). Spelling is kept exactly as read."""
    if not isinstance(text, str):
        return _fail(str(text), "not text")
    # a speck before the title reads as a quote or a dash ('"น.ส .นิรชา ชีไธ', "-ว่าที่ ร. ต.สมเกียรติ")
    s = re.split(r"โทร", text)[0].strip(" .()[]\t'\"-")
    s = _TITLE_GAP.sub("", s)  # "น .ส .เอกรัฐ", "ร. ต.ศิริพร": OCR spaces inside an abbreviated title
    s = _SPLIT_TITLE.sub("น", s)
    titled = re.match(rf"(?:{_title_pattern()})\s*", s)  # its dots are the title's ("ว่าที่ร.ตี๋.เอกรัฐ")
    at = titled.end() if titled else 0
    s = s[:at] + _DOT_FOR_SPACE.sub(" ", s[at:])  # "นายณัฐสุดา.ซีไธ": the space before the surname read as "."
    m = re.match(
        rf"(?:({_title_pattern()})\s*)?({_NAME_START}{_NAME_WORD})(?:\s+({_NAME_WORD}))?(?:\s+({_NAME_WORD}))?",
        s,
    )
    if m is None:
        return _fail(text, "no Thai name found")
    title, first, last, third = m.groups()
    reasons = []
    confidence = 1.0
    if title is not None and title not in _titles():  # "ว่าที่ร.ต.", "น:ส.": written as the list spells it
        title = next(t for t in _titles() if re.fullmatch(_title_pattern(t), title))
    names, families = person_names()
    # no given name is that short, or its two pieces make a known one: OCR put a space inside it ("สุ มาภรณ์",
    # "ประ เสริฐ พึ่งบุญ")
    if last and (len(first) <= 2 or (third and first not in names and first + last in names)):
        first, last = first + last, third
        reasons.append("a space inside the given name was closed")
        confidence -= 0.1
    if last and third and (len(last) <= 2 or (len(third) <= 2 and last + third in person_names()[1])):
        # a space inside the surname: no surname is that short ("ว งศ์ใหญ่"), or the piece after it makes a
        # known one ("ไกรเก ตุ")
        last = last + third
        reasons.append("a space inside the surname was closed")
        confidence -= 0.1
    if title and last is None and first not in names:  # "นางสมศรีทองดี": the space before the surname lost
        # parted where both halves are known names (the surname maybe misread by one cheap confusion), else
        # after the longest known given name (below)
        # a surname starts with a consonant or a leading vowel (เ แ โ ใ ไ), never with a mark
        cuts = [n for n in range(3, len(first) - 2) if first[:n] in names and re.match("[ก-ฮเ-ไ]", first[n])]
        given = next((first[:n] for n in cuts if first[n:] in families), None) or next(
            (first[:n] for n in cuts if known_name(first[n:])), None
        )
        if given:
            first, last = given, first[len(given) :]
            reasons.append("surname parted from a known given name")
            confidence -= 0.1
        elif cuts:
            # most family names are in no list: after the longest known given name it starts, doubted
            # ("นางสาวธดาภรณ์พึ่งบุญ")
            first, last = first[: cuts[-1]], first[cuts[-1] :]
            reasons.append("surname parted after a known given name; the surname is in no list")
            confidence -= 0.25
    if not (first in names and last in families):
        # OCR spaced the name wrongly ("นางพ รทิพย์ แสงสุข", "กิติรัตน์ไกรเก ตุ"): its Thai letters parted
        # where both halves are known names, if only one cut does that
        parted = _known_halves(re.findall(_NAME_WORD, s[m.end(1) if title else m.start(2) :]))
        if parted is not None and parted != (first, last):
            first, last = parted
            reasons.append("read as two known names across the spaces OCR put")
            confidence -= 0.1
    if title is None and last is None:
        return _fail(text, "a single word without a title is not read as a person's name")
    if title is None:
        reasons.append("no title")
        confidence -= 0.2
    if last is None:
        reasons.append("no surname")
        confidence -= 0.3
    return _ok(text, {"title": title, "first": first, "last": last}, confidence, reasons)


def _known_halves(words: list[str]) -> tuple[str, str] | None:
    """(given, family) names that the first one to four Thai words, joined, are the only known cut of."""
    names, families = person_names()
    for k in range(min(len(words), 4), 0, -1):
        joined = "".join(words[:k])
        cuts = [n for n in range(2, len(joined) - 1) if joined[:n] in names and joined[n:] in families]
        if len(cuts) == 1:
            return joined[: cuts[0]], joined[cuts[0] :]
    return None


_PHONE = re.compile(r"โทร(?:ศัพท์)?\.?\s*:?\s*(\d[\d\s\-]*\d|\d)")


def parse_phone(text: str) -> ParsedValue:
    """Phone extension after โทร ("โทร. 1544", "โทร.7037"): the digits as a string."""
    if not isinstance(text, str):
        return _fail(str(text), "not text")
    m = _PHONE.search(fold_digits(text))
    if m is None:
        return _fail(text, "no number after โทร")
    digits = re.sub(r"\D", "", m.group(1))
    reasons = [] if 3 <= len(digits) <= 5 else ["not a 3-5 digit extension; kept as a full number"]
    return _ok(text, digits, 1.0 if not reasons else 0.8, reasons)
