"""The report's languages: its gettext catalogue (the "report" domain of the one translation
system, gcmtrack/common/catalogue.py), and the one place where numbers, percentages and dates
are written the way each language writes them."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time
from babel.numbers import format_decimal, format_percent

from gcmtrack.common.catalogue import Catalogue, catalogue, po_path as _po_path
from gcmtrack.common.languages import UnknownLanguageError, check_lang  # noqa: F401 (the report's callers use them from here)
from gcmtrack.scoring.rounding import PRINTED_DECIMALS, round_half_up

DOMAIN = "report"
NO_VALUE = "\u2013"  # en dash: printed for an excluded objective or a score that does not exist

#: Digits: Latin (Western) digits in every language, Arabic included, as the UN's Arabic documents
#: write figures (CLDR's Arabic also defaults to them; said here so that no locale data changes it).
#: Separators follow the language ("0.75" ar/en/zh, "0,75" es/fr/pt/ru).
DIGITS = "latn"

# The one rounding rule (scoring/rounding.py): JSON publishes 4 decimals; the report, like the CLI
# tables, the CSV and the export, prints 2, half-up from the exact value. Annex A states it.


def po_path(lang: str):
    """The report catalogue's .po file of `lang`."""
    return _po_path(DOMAIN, lang)


def translations(lang: str) -> Catalogue:
    """The report catalogue of one language (compiled, loaded once per process)."""
    return catalogue(DOMAIN, lang)


# --------------------------------------------------------------------------- numbers


def _quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_score(value: float | Decimal | None, lang: str) -> str:
    """A score in [0, 1] with 2 decimals, half-up from the exact value ("0.75" en, "0,75" es/fr);
    an en dash for None."""
    number = round_half_up(value, PRINTED_DECIMALS)
    if number is None:
        return NO_VALUE
    return format_decimal(number, format="0.00", locale=lang, numbering_system=DIGITS)


def format_change(value: Decimal | None, lang: str) -> str:
    """A change of score with its sign ("+0.10", "−0.05", "0.00"); an en dash for None."""
    number = round_half_up(value, PRINTED_DECIMALS)
    if number is None:
        return NO_VALUE
    if number == 0:
        return format_decimal(Decimal("0.00"), format="0.00", locale=lang, numbering_system=DIGITS)
    text = format_decimal(abs(number), format="0.00", locale=lang, numbering_system=DIGITS)
    return ("+" if number > 0 else "\u2212") + text


def format_share(value: float | None, lang: str) -> str:
    """A share in [0, 1] as a whole percentage ("82%" en, "82 %" es/fr), half-up from the exact
    value; an en dash for None."""
    number = round_half_up(value, 2)
    if number is None:
        return NO_VALUE
    return format_percent(number, locale=lang, numbering_system=DIGITS)


def format_number(value: float, lang: str, decimals: int = 2) -> str:
    """Any other decimal number, e.g. a status weight ("0.25" en, "0,25" fr)."""
    pattern = "0." + "0" * decimals if decimals else "0"
    return format_decimal(_quantize(Decimal(str(value)), decimals), format=pattern, locale=lang,
                          numbering_system=DIGITS)


def format_count(value: int, lang: str) -> str:
    return format_decimal(value, format="#,##0", locale=lang, numbering_system=DIGITS)


# --------------------------------------------------------------------------- dates


def parse_utc(value: str) -> dt.datetime:
    """An ISO 8601 UTC time as the store writes it ("2026-03-02T14:05:09Z")."""
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


#: UN editorial style: day, month, year in every language ("4 December 2026", "4 de diciembre de
#: 2026", "4 décembre 2026", "2026年12月4日", "4 декабря 2026 г."); Babel's English "long" format
#: is the US "December 4, 2026".
_LONG_DATE = {"en": "d MMMM y"}

#: The months as the UN's Arabic documents name them: the Levantine name, a slash, the Egyptian
#: one ("4 كانون الأول/ديسمبر 2026"); CLDR gives the Egyptian name alone.
UN_ARABIC_MONTHS = ("كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو", "حزيران/يونيه",
                    "تموز/يوليه", "آب/أغسطس", "أيلول/سبتمبر", "تشرين الأول/أكتوبر", "تشرين الثاني/نوفمبر",
                    "كانون الأول/ديسمبر")


#: A range of days in these languages: what stands between the first and the last day, and the
#: first day with its month ("5–8 أيار/مايو 2026", "5 a 8 de maio de 2026", "5–8 мая 2026 г.").
_RANGES = {
    "ar": ("\u2013", lambda day: f"{day.day} {UN_ARABIC_MONTHS[day.month - 1]}"),
    "pt": (" a ", lambda day: format_date(day, "d 'de' MMMM", locale="pt")),
    "ru": ("\u2013", lambda day: format_date(day, "d MMMM", locale="ru")),
}


def format_long_date(day: dt.date, lang: str) -> str:
    """"4 December 2026" / "4 de diciembre de 2026" / "4 décembre 2026" / "4 كانون الأول/ديسمبر 2026" (UN style)."""
    if lang == "ar":
        return f"{day.day} {UN_ARABIC_MONTHS[day.month - 1]} {day.year}"
    return format_date(day, format=_LONG_DATE.get(lang, "long"), locale=lang)


def format_month(day: dt.date, lang: str) -> str:
    """"December 2021": a month whose day the sources do not give."""
    if lang == "ar":
        return f"{UN_ARABIC_MONTHS[day.month - 1]} {day.year}"
    return format_skeleton("yMMMM", day, locale=lang)


def format_date_range(first: dt.date, last: dt.date, lang: str) -> str:
    """"5–8 May 2026" / "5–8 de mayo de 2026" / "5–8 mai 2026" (UN style, day before month)."""
    if lang == "zh":  # as the UN's Chinese documents: "2026年5月5日至8日", "2026年4月28日至5月8日"
        if (first.year, first.month) == (last.year, last.month):
            return f"{format_long_date(first, lang)}至{last.day}日"
        if first.year == last.year:
            return f"{format_long_date(first, lang)}至{last.month}月{last.day}日"
        return f"{format_long_date(first, lang)}至{format_long_date(last, lang)}"
    if lang in _RANGES:  # the UN's Arabic months; CLDR abbreviates months in pt and ru intervals
        between, day_month = _RANGES[lang]
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day}{between}{format_long_date(last, lang)}"
        between = " \u2013 " if between == "\u2013" else between  # a spaced dash between dates of several words
        if first.year == last.year:
            return f"{day_month(first)}{between}{format_long_date(last, lang)}"
        return f"{format_long_date(first, lang)}{between}{format_long_date(last, lang)}"
    if lang == "en":
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day}\u2013{last.day} {format_date(last, 'MMMM y', locale=lang)}"
        if first.year == last.year:
            return f"{format_date(first, 'd MMMM', locale=lang)} \u2013 {format_long_date(last, lang)}"
        return f"{format_long_date(first, lang)} \u2013 {format_long_date(last, lang)}"
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
