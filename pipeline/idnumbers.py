"""Citizen ID numbers (公民身份号码, GB 11643-1999): check digit, birth date, masking.

Full numbers never leave this module in logs or outputs: callers store
``mask_id_number(n)`` (first 6 and last 4 characters kept).
"""

from __future__ import annotations

import re
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")
# Anything that looks like a full 18-character ID number inside a longer text.
FULL_ID_PATTERN = re.compile(r"(?<![0-9])\d{17}[0-9Xx](?![0-9Xx])")


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalise_id_number(raw: str) -> str:
    """Strip spaces and make the check character upper-case; no other repair."""
    return re.sub(r"\s+", "", raw).upper()


def birth_date_of(number: str) -> date | None:
    """The birth date encoded in digits 7-14, or None when it is not a real date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_number_problem(raw: str, today: date | None = None) -> str | None:
    """Why ``raw`` is not a valid 18-digit ID number, in Chinese; None when it is valid.

    Args:
        raw: The number as written in the manifest.
        today: Birth dates after this day are implausible (default: no upper bound check).
    """
    number = normalise_id_number(raw)
    if not _SHAPE.match(number):
        return "位数或字符不符（应为18位，末位可为X）"
    born = birth_date_of(number)
    if born is None:
        return "出生日期无效"
    if born.year < 1900 or (today is not None and born > today):
        return "出生日期不合理"
    if check_digit(number[:17]) != number[17]:
        return "校验码错误"
    return None


def is_valid_id_number(raw: str, today: date | None = None) -> bool:
    return id_number_problem(raw, today) is None


def mask_id_number(raw: str) -> str:
    """Keep the first 6 and last 4 characters: ``141002********0017``.

    Shorter strings (not an ID number) are masked all but their last 2 characters,
    so nothing number-like leaks whatever the input.
    """
    number = normalise_id_number(raw)
    if len(number) >= 11:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return "*" * max(len(number) - 2, 0) + number[-2:]


def redact_id_numbers(text: str) -> str:
    """Mask every full ID number inside free text (for logs and messages)."""
    return FULL_ID_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
