"""The report's languages: gettext catalogues compiled from the .po files at run time, and the
one place where numbers, percentages and dates are written the way each language writes them.

The catalogues live in gcmtrack/report/locale/<lang>/LC_MESSAGES/report.po and are compiled in
memory with Babel (no compiled .mo is kept in the repository).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from gcmtrack.common.languages import LANGS

DOMAIN = "report"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
NO_VALUE = "\u2013"  # en dash: printed for an excluded objective or a score that does not exist

# Scores are published to 4 decimals (`gcmtrack score --json`, the export); the report prints
# that published value to 2 decimals, halves rounded up. Annex A states this rule.
PUBLISHED_DECIMALS = 4
PRINTED_DECIMALS = 2


class UnknownLanguageError(ValueError):
    """The report has no catalogue for this language."""


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UnknownLanguageError(f"no report language {lang!r}; languages: {', '.join(LANGS)}")
    return lang


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> Translations:
    """The compiled catalogue of one language, built once per process from its .po file."""
    check_lang(lang)
    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


# --------------------------------------------------------------------------- numbers


def published(value: float | None) -> Decimal | None:
    """The value as `gcmtrack score --json` publishes it (4 decimals), exactly."""
    if value is None:
        return None
    return Decimal(str(round(float(value), PUBLISHED_DECIMALS)))


def _quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_score(value: float | None, lang: str) -> str:
    """A score in [0, 1] with 2 decimals ("0.75" en, "0,75" es/fr); an en dash for None."""
    number = published(value)
    if number is None:
        return NO_VALUE
    return format_decimal(_quantize(number, PRINTED_DECIMALS), format="0.00", locale=lang)


def format_share(value: float | None, lang: str) -> str:
    """A share in [0, 1] as a whole percentage ("82%" en, "82 %" es/fr); an en dash for None."""
    number = published(value)
    if number is None:
        return NO_VALUE
    return format_percent(_quantize(number, 2), locale=lang)


def format_number(value: float, lang: str, decimals: int = 2) -> str:
    """Any other decimal number, e.g. a status weight ("0.25" en, "0,25" fr)."""
    pattern = "0." + "0" * decimals if decimals else "0"
    return format_decimal(_quantize(Decimal(str(value)), decimals), format=pattern, locale=lang)


def format_count(value: int, lang: str) -> str:
    return format_decimal(value, format="#,##0", locale=lang)


# --------------------------------------------------------------------------- dates


def parse_utc(value: str) -> dt.datetime:
    """An ISO 8601 UTC time as the store writes it ("2026-03-02T14:05:09Z")."""
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def format_long_date(day: dt.date, lang: str) -> str:
    """"2 March 2026" the way the language writes it."""
    return format_date(day, format="long", locale=lang)


def format_month(day: dt.date, lang: str) -> str:
    """"December 2021": a month whose day the sources do not give."""
    return format_skeleton("yMMMM", day, locale=lang)


def format_date_range(first: dt.date, last: dt.date, lang: str) -> str:
    """"May 5 – 8, 2026" / "5–8 de mayo de 2026" / "5–8 mai 2026"."""
    return format_interval(first, last, "yMMMMd", locale=lang)


def format_clock(moment: dt.datetime, lang: str) -> str:
    return format_time(moment.time(), format="HH:mm", locale=lang)


def iso_date(value: str | None) -> str | None:
    """The calendar date (UTC) of an ISO time: tables print ISO dates, unambiguous in every language."""
    return None if not value else parse_utc(value).date().isoformat()


def language_name(lang: str) -> str:
    """The language's own name for itself, capitalised ("English", "Español", "Français")."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]
