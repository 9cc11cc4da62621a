"""Reading the dates people write at the top of articles ("Friday, July 21, 2017", "21 July 2017",
"2017-07-21", "20170721"), never guessing which of two numbers is the day and which the month."""

from __future__ import annotations

import datetime as dt
import re

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Each name, its common abbreviations ("Sept.", "Thurs."), lower case -> 1-12 or 0-6 (Monday).
MONTHS = (
    {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
    | {name.lower()[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)}
    | {"sept": 9}
)
WEEKDAYS = (
    {name.lower(): number for number, name in enumerate(WEEKDAY_NAMES)}
    | {name.lower()[:3]: number for number, name in enumerate(WEEKDAY_NAMES)}
    | {"tues": 1, "thur": 3, "thurs": 3}
)
_FILLERS = frozenset({"st", "nd", "rd", "th", "of"})  # "21st of July"
DATE_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS) | _FILLERS
_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+")
_SEPARATORS = re.compile(r"[\s,./-]*")
EXAMPLES = "20211129, 2021-11-29 or 29 November 2021"


class DateProblem(ValueError):
    """Why a piece of text is not a date this tool will read; str() is a whole phrase naming the text."""


def looks_like_date(line: str) -> bool:
    """A short line of numbers and month or day names ("Monday, Nov. 29th 2021"): meant as a date."""
    line = line.strip()
    tokens = _TOKEN.findall(line)
    return (
        0 < len(line) <= 40
        and any(token.isdigit() for token in tokens)
        and all(token.isdigit() or token.lower() in DATE_WORDS for token in tokens)
        and all(_SEPARATORS.fullmatch(gap) for gap in _TOKEN.split(line))
    )


def read_date(text: str) -> dt.date:
    """The date `text` writes, in any form listed in the module docstring; else DateProblem.

    A weekday, if given, must be the date's. Numbers alone are read only year first (2021-11-29,
    2021/11/29, 20211129): 05/07/2021 is 5 July in one country and May 7 in another, so it is refused.
    """
    value = text.strip()
    shown = _shown(value)
    if not looks_like_date(value):
        raise DateProblem(f"expected a date like {EXAMPLES}, got {shown}")
    numbers: list[str] = []
    month: int | None = None
    weekday: int | None = None
    order: list[str] = []  # "n" for a number, "m" for the month's name, in the order written
    for token in _TOKEN.findall(value):
        word = token.lower()
        if token.isdigit():
            numbers.append(token)
            order.append("n")
        elif word in MONTHS and month is None:
            month = MONTHS[word]
            order.append("m")
        elif word in WEEKDAYS and weekday is None:
            weekday = WEEKDAYS[word]
        elif word not in _FILLERS:
            raise DateProblem(f"{shown} names two months or two weekdays; expected one date like {EXAMPLES}")
    year, month, day = _year_month_day(numbers, month, order, shown)
    try:
        date = dt.date(year, month, day)
    except ValueError as error:
        raise DateProblem(f"{shown} is not a calendar date ({error})") from None
    if weekday is not None and date.weekday() != weekday:
        raise DateProblem(
            f"{shown} does not add up: {date.day} {MONTH_NAMES[date.month - 1]} {date.year} was a "
            f"{WEEKDAY_NAMES[date.weekday()]}, not a {WEEKDAY_NAMES[weekday]}"
        )
    return date


def _year_month_day(
    numbers: list[str], month: int | None, order: list[str], shown: str
) -> tuple[int, int, int]:
    if month is None:
        if len(numbers) == 1 and len(numbers[0]) == 8:
            digits = numbers[0]
            return int(digits[:4]), int(digits[4:6]), int(digits[6:])
        if len(numbers) == 3 and len(numbers[0]) == 4 and all(len(n) <= 2 for n in numbers[1:]):
            return int(numbers[0]), int(numbers[1]), int(numbers[2])
        if len(numbers) == 3 and len(numbers[2]) == 4 and all(len(n) <= 2 for n in numbers[:2]):
            raise DateProblem(
                f"{shown} could be day/month or month/day: write the date year first "
                f"({numbers[2]}-MM-DD) or with the month's name, like 29 November 2021"
            )
        raise DateProblem(f"expected a date like {EXAMPLES}, got {shown}")
    if len(numbers) != 2:
        missing = "has no year" if len(numbers[0]) <= 2 else "has no day"
        problem = missing if len(numbers) == 1 else "has more numbers than a day and a year"
        raise DateProblem(f"{shown} {problem}: write the date like 29 November 2021")
    # The month's name between the numbers or before both: 29 November 2021, 2021 Nov 29, November 29, 2021.
    first, second = numbers
    day, year = (second, first) if len(first) == 4 and order.index("m") == 1 else (first, second)
    if len(year) != 4 or len(day) > 2:
        raise DateProblem(f"{shown} needs a day and a four-digit year, like 29 November 2021")
    return int(year), month, int(day)


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")
