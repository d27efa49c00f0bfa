"""How the seed reports print numbers and dates: Thai or Arabic digits, Buddhist-era years, Thai months.

Kept apart from tasks/values.py on purpose: the factory writes what the parsers must read, and tables
shared by both would hide a mistake in either.
"""

from __future__ import annotations

from datetime import date

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
          "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]  # fmt: skip
MONTHS_ABBR = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
]
BE_OFFSET = 543


class Printer:
    """Formats values the way one document prints them."""

    def __init__(self, thai_digits: bool):
        self.thai_digits = thai_digits

    def __call__(self, text: str) -> str:
        return text.translate(THAI_DIGITS) if self.thai_digits else text

    def money(self, amount: float) -> str:
        text = f"{amount:,.2f}" if amount != int(amount) else f"{int(amount):,}"
        return self(text)

    def table_money(self, amount: float) -> str:
        """Tables print zero as a dash."""
        return "-" if amount == 0 else self.money(amount)

    def count(self, n: int, dash_for_zero: bool = True) -> str:
        return "-" if n == 0 and dash_for_zero else self(str(n))

    def percent(self, value: float) -> str:
        return self(f"{value:.2f}")

    def dmy_be(self, d: date) -> str:  # 25/10/2562
        return self(f"{d.day:02d}/{d.month:02d}/{d.year + BE_OFFSET}")

    def short_be(self, d: date) -> str:  # 5/4/67
        return self(f"{d.day}/{d.month}/{(d.year + BE_OFFSET) % 100:02d}")

    def long_be(self, d: date) -> str:  # 31 มีนาคม 2567
        return self(f"{d.day} {MONTHS[d.month - 1]} {d.year + BE_OFFSET}")

    def abbr_be(self, d: date) -> str:  # 31 มี.ค. 67
        return self(f"{d.day} {MONTHS_ABBR[d.month - 1]} {(d.year + BE_OFFSET) % 100:02d}")

    def month_be(self, d: date) -> str:  # มี.ค. 67
        return self(f"{MONTHS_ABBR[d.month - 1]} {(d.year + BE_OFFSET) % 100:02d}")

    def year(self, be_year: int) -> str:
        return self(str(be_year))


def iso_time(d: date) -> str:  # 2019-10-01 00:00:00, as the BMA form prints project start/end
    return f"{d.isoformat()} 00:00:00"


def fiscal_year_range(be_year: int) -> tuple[date, date]:
    """Thai fiscal year BE N runs from 1 October of CE N-544 to 30 September of CE N-543."""
    ce = be_year - BE_OFFSET
    return date(ce - 1, 10, 1), date(ce, 9, 30)
