"""The data behind a regional review, published with it as a Frictionless Data Package
(review.md, report v2; https://specs.frictionlessdata.io/): a folder `<process>-<cycle>-data/`
beside `<process>-<cycle>-<lang>.pdf/.html` holding `datapackage.json` and one CSV per table,
each described by a Table Schema (types, descriptions, primary and foreign keys).

Tables: the participation of every member, the objectives of the cycle's IMRF edition, what
each state reported per objective (status, measures, evidence, partners, principles: in full),
the practices (in full) and the objectives each maps to, the statuses reported per objective
(counts), the aggregated scores with the number of states they rest on, the context indicators
staff imported, and, only when the process discloses them `named`, per-state scores.

Written with the standard library (csv, json) through common.spreadsheet's one CSV writer: every
field quoted, and text that a spreadsheet could run as a formula prefixed with an apostrophe
(said in each such field's description). Nothing is cut. The package is deterministic: its
`created` is the data's "as of" time, so an unchanged store writes identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from gcmtrack import __version__
from gcmtrack.authored import DEFAULT_DISCLOSURE, DISCLOSURES, IndicatorValue
from gcmtrack.common.files import write_atomic
from gcmtrack.common.spreadsheet import csv_writer, neutralise
from gcmtrack.reference.framework import framework
from gcmtrack.reference.states import states
from gcmtrack.scoring.rounding import PUBLISHED_DECIMALS, published

DESCRIPTOR = "datapackage.json"
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
_NEUTRALISED = (" Text that a spreadsheet could read as a formula (starting with = + - @, a tab, CR or LF, also "
                "after spaces or control characters) or that starts with an apostrophe is written with one more "
                "apostrophe in front; remove it to get the text as written.")


EDITIONS = ("review", "staff")


def package_archive(folder: Path) -> bytes:
    """The data package written in `folder` as one ZIP (datapackage.json and its CSVs at the
    root, as Frictionless reads a zipped package), the same bytes for the same files: what the
    portal serves beside a rendered report."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            info = zipfile.ZipInfo(path.name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def package_folder(output: Path, process_id: str, cycle: int, edition: str = "review") -> Path:
    """Where the data is published: `<output>/<process-id-lowercase>-<cycle>-data/` beside the
    public review, `…-staff-data/` for the staff edition (per-state scores named)."""
    return output / (f"{process_id.strip().lower()}-{int(cycle)}-" + ("staff-data" if edition == "staff" else "data"))


@dataclass(frozen=True)
class _Field:
    name: str
    type: str
    description: str
    text: bool = False  # free text from a submission or from staff: neutralised in the CSV

    def schema(self) -> dict[str, Any]:
        field = {"name": self.name, "type": self.type,
                 "description": self.description + (_NEUTRALISED if self.text else "")}
        if self.type == "boolean":
            field.update(trueValues=["true"], falseValues=["false"])
        return field


@dataclass(frozen=True)
class _Table:
    name: str
    title: str
    description: str
    fields: tuple[_Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()  # fields, resource, fields

    def resource(self, rows: int) -> dict[str, Any]:
        schema: dict[str, Any] = {"fields": [f.schema() for f in self.fields], "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [{"fields": list(fields), "reference": {"resource": resource, "fields": list(ref)}}
                                     for fields, resource, ref in self.foreign_keys]
        return {"name": self.name, "path": f"{self.name}.csv", "profile": "tabular-data-resource",
                "title": self.title, "description": self.description, "format": "csv", "mediatype": "text/csv",
                "encoding": "utf-8", "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True,
                                                 "lineTerminator": "\r\n", "header": True},
                "schema": schema, "rows": rows}


_STATE = _Field("state", "string", "The state's ISO 3166-1 alpha-3 code.")
_OBJECTIVE = _Field("objective", "integer", "The GCM objective's number (1 to 23).")

PARTICIPATION = _Table(
    "participation", "Participation",
    "Every member of the process in the review cycle: whether it submitted, and the version that counts.",
    (_STATE,
     _Field("state_name", "string", "The state's UN short name, in English."),
     _Field("gcm_vote", "string", "How the state voted on the GCM's endorsement in the General Assembly "
                                  "(in_favour, against, abstained, did_not_vote, not_a_member)."),
     _Field("gcm_position", "string", "The latest recorded change of the state's position on the GCM, if any."),
     _Field("submitted", "boolean", "Whether a version of the state's report counts for this review."),
     _Field("version", "integer", "The number of the version that counts (1 for the state's first file)."),
     _Field("versions", "integer", "How many versions the state sent in this cycle."),
     _Field("review_state", "string", "The secretariat's review of the version that counts: submitted (not yet "
                                      "reviewed), accepted, returned or withdrawn."),
     _Field("workbook_date", "date", "The date the state wrote on its report."),
     _Field("received", "datetime", "When the version that counts was received (UTC)."),
     _Field("period", "string", "The reporting period the state gave.", text=True),
     _Field("institution", "string", "The institution that reported.", text=True),
     _Field("language", "string", "The language the state wrote in (ISO 639-1)."),
     _Field("filename", "string", "The name of the file the state sent.", text=True),
     _Field("sha256", "string", "The SHA-256 of that file.")),
    primary_key=("state",))

OBJECTIVES = _Table(
    "objectives", "Objectives",
    "The 23 objectives of the Global Compact for Migration and the round table of the cycle's IMRF edition "
    "that discusses each.",
    (_OBJECTIVE,
     _Field("label", "string", "The objective's short label, in English."),
     _Field("title", "string", "The objective's title, in English."),
     _Field("round_table", "integer", "The round table of the IMRF edition that discusses the objective.")),
    primary_key=("objective",))

STATE_OBJECTIVES = _Table(
    "state_objectives", "What states reported, per objective",
    "One row per state that submitted and objective, in full, as the state wrote it (never cut).",
    (_STATE, _OBJECTIVE,
     _Field("status", "string", "The status the state gave itself (a code; not_reported when it left the "
                                "objective out)."),
     _Field("status_label", "string", "The status, in English."),
     _Field("measures", "string", "The measures the state reported, in full.", text=True),
     _Field("evidence", "string", "The evidence the state gave, in full.", text=True),
     _Field("partners", "string", "The partners the state named, in full.", text=True),
     _Field("principles", "string", "The GCM guiding principles the state marked (letters a to j, comma-separated)."),
     _Field("source_row", "integer", "The row of the Objectives sheet of the state's workbook.")),
    primary_key=("state", "objective"),
    foreign_keys=((("state",), "participation", ("state",)), (("objective",), "objectives", ("objective",))))

PRACTICES = _Table(
    "practices", "Practices",
    "Every practice the states reported, with all its fields, in full.",
    (_STATE,
     _Field("row", "integer", "The practice's row in the Practices sheet of the state's workbook."),
     _Field("title", "string", "The practice's title.", text=True),
     _Field("description", "string", "The practice's description, in full.", text=True),
     _Field("status", "string", "The status the state gave the practice (a code)."),
     _Field("status_label", "string", "The status, in English."),
     _Field("objectives", "string", "The objectives the state named (comma-separated numbers)."),
     _Field("themes", "string", "The themes the state chose (comma-separated keys)."),
     _Field("start_year", "integer", "The year the practice started."),
     _Field("partners", "string", "The partners the state named.", text=True),
     _Field("link", "string", "A link the state gave.", text=True),
     _Field("principles", "string", "The GCM guiding principles the state marked (letters a to j).")),
    primary_key=("state", "row"),
    foreign_keys=((("state",), "participation", ("state",)),))

PRACTICE_OBJECTIVES = _Table(
    "practice_objectives", "Objectives each practice serves",
    "Each practice and each objective it maps to (those the state named and those of its themes).",
    (_STATE, _Field("row", "integer", "The practice's row (see practices)."), _OBJECTIVE),
    primary_key=("state", "row", "objective"),
    foreign_keys=((("state", "row"), "practices", ("state", "row")), (("objective",), "objectives", ("objective",))))

STATUS_COUNTS = _Table(
    "status_counts", "Statuses reported, per objective",
    "How many of the states that submitted gave each status to each objective.",
    (_OBJECTIVE, _Field("status", "string", "A status (a code; not_reported when left out)."),
     _Field("status_label", "string", "The status, in English."),
     _Field("states", "integer", "How many states gave it."),
     _Field("submitted", "integer", "How many states submitted (the base).")),
    primary_key=("objective", "status"),
    foreign_keys=((("objective",), "objectives", ("objective",)),))

SCORES = _Table(
    "scores", "Aggregated scores",
    "The process's coverage scores (0 to 1; see the review's annex on the method), each with the number of states "
    f"it rests on, rounded half-up to {PUBLISHED_DECIMALS} decimals from the exact value.",
    (_Field("scope", "string", "overall, round_table or objective."),
     _Field("round_table", "integer", "The round table, for a round table's score."),
     _Field("objective", "integer", "The objective, for an objective's score."),
     _Field("score", "number", "The mean of the scores of the states it rests on; empty when none."),
     _Field("states", "integer", "How many states the score rests on (those with a score for it)."),
     _Field("submitted", "integer", "How many members submitted."),
     _Field("members", "integer", "How many members the process has in the cycle."),
     _Field("base", "string", "The base in words, e.g. \"8 of 23 members\"."),
     _Field("describes_region", "boolean", "false when the score rests on fewer than a third of the members or on "
                                           "fewer than 3 states: it describes those states, not the region.")))

STATE_SCORES = _Table(
    "state_scores", "Scores per state",
    "Each state's coverage score per objective (published only when the process discloses per-state scores).",
    (_STATE, _OBJECTIVE,
     _Field("score", "number", f"The state's score, rounded half-up to {PUBLISHED_DECIMALS} decimals; empty when "
                               "the objective does not count for it (not applicable).")),
    primary_key=("state", "objective"),
    foreign_keys=((("state",), "participation", ("state",)), (("objective",), "objectives", ("objective",))))

INDICATORS = _Table(
    "indicators", "Context indicators",
    "The context indicators staff imported for the review, each value with its source, year and unit.",
    (_Field("indicator", "string", "The indicator's code (e.g. SDG 10.7.2).", text=True),
     _Field("geo", "string", "The area: an ISO 3166-1 alpha-3 code, or an M49 code for a region.", text=True),
     _Field("year", "integer", "The year of the value."),
     _Field("value", "string", "The value, as the source gives it.", text=True),
     _Field("unit", "string", "The unit.", text=True),
     _Field("source", "string", "The source.", text=True),
     _Field("note", "string", "A note.", text=True),
     _Field("dataset", "string", "The imported dataset the value came from.", text=True)))


def write_datapackage(data, output: Path, langs: Iterable[str] = ("en",), *, edition: str = "review",
                      disclosure: str | None = None, indicators: Iterable[IndicatorValue] | None = None) -> Path:
    """Write the data behind one process's review (a `report.model.ReportData`) into
    package_folder(output, …, edition); returns the folder. Per-state scores follow `disclosure`
    (default: the process's authored setting when the data carries one, else the review's
    `aggregate`; the staff edition is always `named`): only `named` publishes them. Files are
    written atomically; a table no longer published is removed."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; expected one of {', '.join(EDITIONS)}")
    authored = getattr(data, "authored", None)
    if edition == "staff":
        disclosure = "named"
    disclosure = disclosure or getattr(authored, "disclosure", None) or DEFAULT_DISCLOSURE
    if disclosure not in DISCLOSURES:
        raise ValueError(f"unknown disclosure {disclosure!r}; expected one of {', '.join(DISCLOSURES)}")
    if indicators is None:
        indicators = getattr(authored, "indicators", ()) or ()
    indicators = list(indicators)
    tables = [(PARTICIPATION, _participation(data)), (OBJECTIVES, _objectives(data)),
              (STATE_OBJECTIVES, _state_objectives(data)), (PRACTICES, _practices(data)),
              (PRACTICE_OBJECTIVES, _practice_objectives(data)), (STATUS_COUNTS, _status_counts(data)),
              (SCORES, _scores(data))]
    if disclosure == "named":
        tables.append((STATE_SCORES, _state_scores(data)))
    if indicators:
        tables.append((INDICATORS, [_indicator(i) for i in indicators]))
    folder = package_folder(output, data.process.id, data.cycle, edition)
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables:
        write_atomic(folder / f"{table.name}.csv", _csv(table, rows))
    for stale in (STATE_SCORES, INDICATORS):
        if stale not in [t for t, _ in tables] and (folder / f"{stale.name}.csv").exists():
            (folder / f"{stale.name}.csv").unlink()
    descriptor = _descriptor(data, list(langs), edition, disclosure, [(t, len(rows)) for t, rows in tables])
    write_atomic(folder / DESCRIPTOR, (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return folder


def _descriptor(data, langs: list[str], edition: str, disclosure: str, tables) -> dict[str, Any]:
    process, cycle = data.process, data.cycle
    imrf = framework().edition(cycle)
    name = process.name("en")
    sources = [{"title": f"The reports the members of the {name} sent for the {cycle} review cycle "
                         "(gcmtrack workbooks)"}]
    sources += [{"title": s, **({"path": s} if s.startswith(("https://", "http://")) else {})}
                for s in process.sources]
    return {
        "profile": "tabular-data-package",
        "name": f"{process.id.lower()}-{cycle}-{edition}-data",
        "title": f"{name} ({process.acronym('en')}): the data behind the {cycle} regional review",
        "description": (f"What the members of the {name} reported for the {cycle} review cycle of the Global Compact "
                        f"for Safe, Orderly and Regular Migration, ahead of the {imrf.title('en')}, in full: "
                        "participation, what each state reported per objective, the practices, the statuses "
                        "reported and the aggregated scores with their base"
                        + (", and the scores per state" if disclosure == "named" else "")
                        + (". The states' texts are in the language each wrote in (participation.language); "
                           "labels are in English.")
                        + (" Fictional sample data." if getattr(data, "sample", False) else "")),
        "created": data.as_of or _now(),
        "licenses": [LICENSE],
        "sources": sources,
        "contributors": [{"title": f"The secretariat of the {name}", "role": "publisher"}],
        "keywords": ["Global Compact for Migration", "GCM", "regional review", imrf.title("en"), process.id],
        # gcmtrack's own properties: the process and cycle, the review's languages, the disclosure setting
        "process": process.id,
        "cycle": cycle,
        "imrf_edition": imrf.name,
        "language": "en",
        "edition": edition,
        "review_languages": langs,
        "disclosure": disclosure,
        "sample": bool(getattr(data, "sample", False)),
        "generator": f"gcmtrack {__version__}",
        "resources": [table.resource(rows) for table, rows in tables],
    }


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _csv(table: _Table, rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([f.name for f in table.fields])
    for row in rows:
        writer.writerow([_cell(row.get(f.name), f) for f in table.fields])
    return buffer.getvalue().encode("utf-8")


def _cell(value: Any, field: _Field) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    return str(neutralise(text)) if field.text else text


def _date(value: str | None) -> str | None:
    """An ISO date, or None when the value is not one (never a broken cell)."""
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat() if value else None
    except ValueError:
        return None


def _participation(data) -> list[dict[str, Any]]:
    registry = states()
    rows = []
    for code in data.score.members:
        stored = data.latest.get(code)
        position = registry.position(code)
        sub = stored.submission if stored else None
        rows.append({
            "state": code, "state_name": registry.get(code).name("en"), "gcm_vote": position.vote,
            "gcm_position": position.latest, "submitted": stored is not None,
            "version": stored.version if stored else None, "versions": data.version_counts.get(code),
            "review_state": data.review_states.get(code) or (stored.review_state if stored else None),
            "workbook_date": _date(stored.workbook_date or sub.date) if stored else None,
            "received": stored.ingested_at if stored else None,
            "period": sub.period if sub else None, "institution": sub.institution if sub else None,
            "language": sub.lang if sub else None, "filename": stored.filename if stored else None,
            "sha256": stored.sha256 if stored else None,
        })
    return rows


def _objectives(data) -> list[dict[str, Any]]:
    fw = framework()
    edition = fw.edition(data.cycle)
    return [{"objective": n, "label": o.label("en"), "title": o.title("en"), "round_table": edition.round_table_of(n)}
            for n, o in fw.objectives.items()]


def _state_objectives(data) -> list[dict[str, Any]]:
    fw = framework()
    rows = []
    for code in data.score.submitted:
        sub = data.latest[code].submission
        for number in fw.objectives:
            row = sub.objectives.get(number)
            status = row.status if row else "not_reported"
            rows.append({"state": code, "objective": number, "status": status, "status_label": _status_label(status),
                         "measures": row.measures if row else None, "evidence": row.evidence if row else None,
                         "partners": row.partners if row else None, "principles": row.principles if row else None,
                         "source_row": (row.row or None) if row else None})
    return rows


def _status_label(status: str) -> str:
    if status == "not_reported":
        return "Not reported"
    return framework().status(status).name("en")


def _practices(data) -> list[dict[str, Any]]:
    rows = []
    for code in data.score.submitted:
        for p in data.latest[code].submission.practices:
            rows.append({"state": code, "row": p.row, "title": p.title, "description": p.description,
                         "status": p.status, "status_label": _status_label(p.status), "objectives": p.objectives,
                         "themes": p.themes, "start_year": p.start_year, "partners": p.partners, "link": p.link,
                         "principles": p.principles})
    return rows


def _practice_objectives(data) -> list[dict[str, Any]]:
    fw = framework()
    rows = []
    for code in data.score.submitted:
        for p in data.latest[code].submission.practices:
            rows += [{"state": code, "row": p.row, "objective": n} for n in sorted(set(p.mapped_objectives(fw)))]
    return rows


def _status_counts(data) -> list[dict[str, Any]]:
    fw = framework()
    keys = [s.key for s in fw.statuses] + ["not_reported"]
    submitted = len(data.score.submitted)
    rows = []
    for number in fw.objectives:
        counts = dict.fromkeys(keys, 0)
        for code in data.score.submitted:
            row = data.latest[code].submission.objectives.get(number)
            status = row.status if row else "not_reported"
            counts[status] = counts.get(status, 0) + 1
        rows += [{"objective": number, "status": key, "status_label": _status_label(key), "states": count,
                  "submitted": submitted} for key, count in counts.items()]
    return rows


def _scores(data) -> list[dict[str, Any]]:
    score = data.score
    members, submitted = len(score.members), len(score.submitted)
    edition = framework().edition(data.cycle)

    def line(scope, value, based_on, round_table=None, objective=None):
        return {"scope": scope, "round_table": round_table, "objective": objective, "score": published(value),
                "states": based_on, "submitted": submitted, "members": members,
                "base": f"{based_on} of {members} members",
                "describes_region": based_on >= 3 and 3 * based_on >= members}

    per_state = score.states.values()
    rows = [line("overall", score.overall, sum(1 for s in per_state if s.overall is not None))]
    rows += [line("round_table", score.round_tables[t.number],
                  sum(1 for s in per_state if s.round_tables.get(t.number) is not None), round_table=t.number)
             for t in edition.round_tables]
    rows += [line("objective", value, sum(1 for s in per_state if s.objectives.get(n) is not None), objective=n)
             for n, value in score.objectives.items()]
    return rows


def _state_scores(data) -> list[dict[str, Any]]:
    return [{"state": code, "objective": n, "score": published(value)}
            for code in data.score.submitted for n, value in data.score.states[code].objectives.items()]


def _indicator(value: IndicatorValue) -> dict[str, Any]:
    return {"indicator": value.indicator, "geo": value.geo, "year": value.year, "value": value.value,
            "unit": value.unit, "source": value.source, "note": value.note, "dataset": value.dataset}
