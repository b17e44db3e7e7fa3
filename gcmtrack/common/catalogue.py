"""The one translation system: gettext catalogues, one loader and one lenient formatter.

Every text gcmtrack shows a person comes from a catalogue
gcmtrack/locale/<lang>/LC_MESSAGES/<domain>.po, kept in the repository and compiled to a .mo
beside it when the package is installed (hatch_build.py, for wheels and editable installs
alike). A source checkout that was never installed, or a .po edited since, is compiled here on
first use (and the .mo written when the folder is writable): the texts always come from a
compiled catalogue, and a missing .po is a clear error.

One domain per layer that shows the text, so that each layer loads only its own:

  report    the PDF report (templates/report/*.html, gcmtrack/report/*.py): gettext as usual,
            msgid = the English text, `%(name)s` placeholders (Jinja's i18n extension)
  portal    the portal's pages and e-mails
  template  the prose of the workbooks gcmtrack writes (blank template, Problems sheet)
  problems  validation problems: "<code>.message", "<code>.hint", a warning's "<code>.summary",
            and "did-you-mean"
  cli       what the command line prints about a workbook

The last four are keyed: each message has a msgctxt, the stable key the code asks for (the keys
the code had before gettext, so callers did not change), its msgid is the English text (what a
translator translates from) and its msgstr the language's text, with `{name}` placeholders
filled in by `fill`. Extraction (babel.cfg at the repository's root; the keywords below) and
the completeness of every catalogue in every language are checked by tests/test_catalogues.py.
"""

from __future__ import annotations

import gettext
import io
import os
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from gcmtrack.common.languages import DEFAULT_LANG, LANGS, check_lang

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAINS: tuple[str, ...] = ("report", "portal", "template", "problems", "cli")
KEYED_DOMAINS: tuple[str, ...] = ("portal", "template", "problems", "cli")

#: Where and how Babel finds each domain's messages in the code (babel.cfg maps the files):
#: the report uses gettext's own names (`pybabel extract -F babel.cfg -k _w`); a keyed domain's
#: function takes the key first (`texts("x")` reads the list "x.0", "x.1", ...). The problems
#: catalogue is keyed by the codes of problems.yaml, checked against the codes the intake writes.
EXTRACTION: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "report": (("gcmtrack/report/", "templates/report/"), {"_": None, "gettext": None, "ngettext": (1, 2), "_w": None}),
    "portal": (("gcmtrack/portal/", "gcmtrack/service/"), {"t": None, "_in": (2,)}),
    "template": (("gcmtrack/intake/template.py", "gcmtrack/intake/annotate.py"), {"t": None, "text": (1,), "texts": (1,)}),
    "cli": (("gcmtrack/cli/",), {"_say": (1,)}),
}

_CONTEXT = "\x04"  # how a compiled catalogue joins msgctxt and msgid


class Catalogue(gettext.GNUTranslations):
    """One domain in one language, read from its compiled .mo: gettext for the report, and
    `text(key)` for a keyed domain."""

    def __init__(self, data: bytes, domain: str, lang: str) -> None:
        super().__init__(io.BytesIO(data))
        self.domain, self.lang = domain, lang
        self.keys: dict[str, str] = {
            key.partition(_CONTEXT)[0]: value for key, value in self._catalog.items()
            if isinstance(key, str) and _CONTEXT in key
        }

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def text(self, key: str, params: Mapping[str, Any] | None = None) -> str:
        """The message of `key` with its {placeholders} filled in; KeyError for an unknown key.
        A key the language's catalogue lacks (a message added since it was translated) is shown
        in the default language rather than failing the page; tests/test_catalogues.py keeps
        every catalogue complete, so this serves only a deployment ahead of its translations."""
        try:
            template = self.keys[key]
        except KeyError:
            if self.lang == DEFAULT_LANG or key not in catalogue(self.domain, DEFAULT_LANG):
                raise KeyError(f"the {self.domain} catalogue ({self.lang}) has no message {key!r}") from None
            return catalogue(self.domain, DEFAULT_LANG).text(key, params)
        return fill(template, params)


class _Params(dict):
    """A format mapping that leaves an unknown placeholder visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: Mapping[str, Any] | None = None) -> str:
    """The one lenient formatter: `{name}` placeholders filled in from `params` (None as an
    empty text); a placeholder `params` lacks stays as it is. Without params the template is
    returned untouched."""
    if not params:
        return template
    return template.format_map(_Params({k: "" if v is None else v for k, v in params.items()}))


def po_path(domain: str, lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{domain}.po"


def mo_path(domain: str, lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return po_path(domain, lang, locale_dir).with_suffix(".mo")


def compile_po(po: Path) -> bytes:
    """The .mo of a .po file (fuzzy and untranslated entries left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parent.parent.name, domain=po.stem)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every catalogue of every language to its .mo (the build hook calls this)."""
    written = []
    for lang in LANGS:
        for domain in DOMAINS:
            po = po_path(domain, lang, locale_dir)
            if not po.is_file():
                raise FileNotFoundError(f"no catalogue {po} (every language needs every domain)")
            mo = mo_path(domain, lang, locale_dir)
            _write_atomic(mo, compile_po(po))
            written.append(mo)
    return written


@cache
def catalogue(domain: str, lang: str) -> Catalogue:
    """The compiled catalogue of `domain` in `lang`, loaded once per process."""
    check_lang(lang)
    if domain not in DOMAINS:
        raise KeyError(f"no catalogue domain {domain!r}; domains: {', '.join(DOMAINS)}")
    po, mo = po_path(domain, lang), mo_path(domain, lang)
    if not po.is_file():
        raise FileNotFoundError(f"the {domain} catalogue of {lang!r} is missing: {po}")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        data = mo.read_bytes()
    else:  # not installed, or the .po was edited since: compile it now
        data = compile_po(po)
        try:
            _write_atomic(mo, data)
        except OSError:
            pass  # a read-only installation: the compiled catalogue stays in memory
    return Catalogue(data, domain, lang)


def text(domain: str, key: str, lang: str, **params: Any) -> str:
    """The message `key` of a keyed domain in `lang`, with its {placeholders} filled in."""
    return catalogue(domain, lang).text(key, params)
