"""The one rounding rule for figures: half-up from the exact value.

Scores are rationals (means of status weights); scoring computes them exactly and hands out the
nearest float, whose shortest decimal form (`repr`) is the exact value whenever that value has a
short decimal expansion (0.475 stays 0.475, never 0.47499999…). Figures for people (CLI tables,
CSV, the export, reports) are rounded half-up to PRINTED_DECIMALS from that value, once;
JSON keeps PUBLISHED_DECIMALS, rounded the same way. Nothing rounds an already rounded figure.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PRINTED_DECIMALS = 2  # figures for people: tables, CSV, export, PDF and HTML
PUBLISHED_DECIMALS = 4  # JSON


def round_half_up(value: float | Fraction | Decimal | None, places: int = PRINTED_DECIMALS) -> Decimal | None:
    """`value` rounded half-up to `places` decimals (0.475 -> 0.48, 0.125 -> 0.13); None stays None."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)  # 28 digits: ample for scores
    elif isinstance(value, Decimal):
        exact = value
    else:
        exact = Decimal(repr(float(value)))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def published(value: float | Fraction | None) -> float | None:
    """A score as JSON publishes it: PUBLISHED_DECIMALS decimals, half-up."""
    number = round_half_up(value, PUBLISHED_DECIMALS)
    return None if number is None else float(number)


def printed(value: float | Fraction | None, *, sign: bool = False, missing: str = "\u2013") -> str:
    """A figure for people in plain (English) notation: "0.48", "+0.10" with `sign`, an en dash for None.
    Reports format the same rounded Decimal in their language (report.i18n)."""
    number = round_half_up(value)
    if number is None:
        return missing
    text = f"{number:.{PRINTED_DECIMALS}f}"
    if sign and number > 0:
        text = "+" + text
    if text in ("-0.00",):
        text = "0.00"
    return text
