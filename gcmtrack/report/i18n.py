"""The report's languages: gettext catalogues compiled from the .po files at run time, and the
one place where numbers, percentages and dates are written the way each language writes them.

The catalogues live in gcmtrack/report/locale/<lang>/LC_MESSAGES/report.po and are read at run
time by a small PO reader (no compiled .mo is kept in the repository; Babel's own PO parser took
half a second per language, more than the rest of a report's preparation).
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time
from babel.numbers import format_decimal, format_percent

from gcmtrack.common.languages import LANGS
from gcmtrack.scoring.rounding import PRINTED_DECIMALS, round_half_up

DOMAIN = "report"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
NO_VALUE = "\u2013"  # en dash: printed for an excluded objective or a score that does not exist

# The one rounding rule (scoring/rounding.py): JSON publishes 4 decimals; the report, like the CLI
# tables, the CSV and the export, prints 2, half-up from the exact value. Annex A states it.


class UnknownLanguageError(ValueError):
    """The report has no catalogue for this language."""


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UnknownLanguageError(f"no report language {lang!r}; languages: {', '.join(LANGS)}")
    return lang


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


class Catalogue(gettext.NullTranslations):
    """One language's messages: msgid -> msgstr (untranslated or fuzzy entries fall back to the msgid)."""

    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self.messages = messages

    def gettext(self, message: str) -> str:
        return self.messages.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def read_catalogue(text: str) -> dict[str, str]:
    """The msgid -> msgstr pairs of a PO file (no plural forms: the report uses none); fuzzy
    entries are left out, as a compiled catalogue would leave them out."""
    messages: dict[str, str] = {}
    entry: dict[str, str] = {}
    key = None
    fuzzy = marked = False  # fuzzy: the current entry; marked: a "#, fuzzy" flag for the next one

    def finish() -> None:
        if entry.get("msgid") and entry.get("msgstr") and not fuzzy:
            messages[entry["msgid"]] = entry["msgstr"]

    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            marked = marked or (line.startswith("#,") and "fuzzy" in line)
            continue
        if line.startswith('"'):
            if key:
                entry[key] += ast.literal_eval(line)
            continue
        word, _, rest = line.partition(" ")
        if word == "msgid":
            finish()
            entry, fuzzy, marked = {}, marked, False
        key = word if word in ("msgid", "msgstr") else None
        if key:
            entry[key] = ast.literal_eval(rest)
    finish()
    return messages


@cache
def translations(lang: str) -> Catalogue:
    """The catalogue of one language, read once per process from its .po file."""
    check_lang(lang)
    return Catalogue(read_catalogue(po_path(lang).read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- numbers


def _quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_score(value: float | Decimal | None, lang: str) -> str:
    """A score in [0, 1] with 2 decimals, half-up from the exact value ("0.75" en, "0,75" es/fr);
    an en dash for None."""
    number = round_half_up(value, PRINTED_DECIMALS)
    if number is None:
        return NO_VALUE
    return format_decimal(number, format="0.00", locale=lang)


def format_change(value: Decimal | None, lang: str) -> str:
    """A change of score with its sign ("+0.10", "−0.05", "0.00"); an en dash for None."""
    number = round_half_up(value, PRINTED_DECIMALS)
    if number is None:
        return NO_VALUE
    if number == 0:
        return format_decimal(Decimal("0.00"), format="0.00", locale=lang)
    text = format_decimal(abs(number), format="0.00", locale=lang)
    return ("+" if number > 0 else "\u2212") + text


def format_share(value: float | None, lang: str) -> str:
    """A share in [0, 1] as a whole percentage ("82%" en, "82 %" es/fr), half-up from the exact
    value; an en dash for None."""
    number = round_half_up(value, 2)
    if number is None:
        return NO_VALUE
    return format_percent(number, locale=lang)


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
