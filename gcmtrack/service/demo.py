"""The demo on the bundled samples. `run_demo`, the main job: a fresh store from submissions/, the report of every
process that has a sample submission for the latest cycle, in each language the process works
in (with trends since the cycle before, whose samples are in the store too), and the compiled
dataset of each cycle.

The samples are workbooks of states in the Americas: processes none of whose members sent one
(most of processes/) would render empty reports, so the demo leaves them out and says so,
except the ESCWA and ECE regional reviews (LANGUAGE_SHOWCASE): their review edition is rendered
in each of their languages (Arabic, right to left; Russian), to show every script a review is
written in.
For RCM and CMC the demo also writes what a secretariat would (submissions/review/: sample
texts per section in three languages, featured items, two stakeholder inputs and a small
indicators CSV), so that their review edition shows every part; the store holds sample data,
so every page of it says that the content is sample content.

`prepare`, for `gcmtrack demo --serve`: the demo's store made ready for the portal — demo
accounts (one per role, with passwords generated for this run and printed once), the cycle's
deadline opened for every process with a sample, the demo's reviews published and its staff
editions kept for the processes' staff."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from pathlib import Path
from typing import Callable

from gcmtrack.common.assets import data_dir
from gcmtrack.common.languages import LANGS
from gcmtrack.export import export_dataset
from gcmtrack.reference.processes import processes
from gcmtrack.report.batch import render_reports
from gcmtrack.service.ingest import expand_paths, ingest_files
from gcmtrack.service.rendering import report_languages
from gcmtrack.store import Store, utc_now
from gcmtrack.store.events import Role

DEMO_DB = "gcmtrack-demo.db"
#: Reviews the demo renders even without a sample submission, in each language their process
#: works in: the Arab region's (ESCWA: Arabic and English...) and the ECE region's (English,
#: French, Russian).
LANGUAGE_SHOWCASE = ("ESCWA", "ECE")
# The demo's deadlines follow its own clock: its workbooks are stored today, so the latest
# cycle is open and due in DEMO_OPEN_DAYS (every sample on time, none "late"); earlier cycles
# are closed (listed as such, never offered for upload).
DEMO_OPEN_DAYS = 30
# (e-mail, role, state, processes, language, what to try)
DEMO_ACCOUNTS = (
    ("jamaica@demo.invalid", Role.SUBMITTER, "JAM", (), "en",
     "upload a workbook for Jamaica (see submissions/), read the answer, withdraw"),
    ("mexico@demo.invalid", Role.SUBMITTER, "MEX", (), "es", "the same for Mexico, in Spanish"),
    ("staff@demo.invalid", Role.STAFF, None, ("CMC", "RCM"), "en",
     "the CMC and RCM dashboards: accept or return with a reason, render and publish reports"),
    ("reviewer@demo.invalid", Role.REVIEWER, None, ("ALL",), "fr", "the published reports, in French"),
    ("admin@demo.invalid", Role.ADMIN, None, (), "en", "everything"),
)


def run_demo(output: Path, *, on_stage: Callable[[str], None] = lambda _m: None,
             on_render: Callable[[int, int], None] = lambda _d, _t: None, workers: int | None = None) -> str:
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    db = output / DEMO_DB
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    files = expand_paths([data_dir("submissions")])
    on_stage(f"Ingesting {len(files)} sample workbooks from submissions/ into {db} …")
    with Store(str(db)) as store:
        store.set_meta("sample_data", "1")
        report = ingest_files(store, files)
        rejected = [r.result.path for r in report.files if not r.accepted]
        accepted = len(report.files) - len(rejected)
        lines = [f"{accepted} of {len(report.files)} workbooks accepted"
                 + (f"; rejected: {', '.join(rejected)}" if rejected else ".")]
        for authored in add_sample_reviews(store, data_dir("submissions") / "review"):
            lines.append(authored)
        table = processes()
        cycles = store.cycles()
        if cycles:
            # Reports of the latest cycle only: they show the trends since the previous one.
            latest = max(cycles)
            ids = [pid for pid, p in table.items() if store.latest(latest, p.members(latest))]
            showcase = [pid for pid in LANGUAGE_SHOWCASE if pid in table and pid not in ids]
            skipped = len(table) - len(ids) - len(showcase)
            if skipped:
                lines.append(f"{skipped} process(es) have no sample submission for cycle {latest} and are not rendered.")
            # (languages, editions) -> process ids: both editions (review.md) of each process with
            # samples, the review of each showcase process, each in its working languages; one
            # batch (one pool of workers) per group of processes that share their languages
            groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
            for pid in ids:
                groups.setdefault((report_languages(table[pid]), ("review", "staff")), []).append(pid)
            for pid in showcase:
                groups.setdefault((report_languages(table[pid]), ("review",)), []).append(pid)
            plan = [(group, langs, editions) for (langs, editions), group in groups.items()]
            total = sum(len(group) * len(langs) * len(editions) for group, langs, editions in plan)
            on_stage(f"Rendering {total} reports for cycle {latest} …")
            finished = itertools.count(1)
            rendered = []
            for group, langs, editions in plan:
                rendered += render_reports(store, group, latest, langs, output, force=True, workers=workers,
                                           on_done=lambda _r, t=total: on_render(next(finished), t),
                                           editions=editions)
            lines.extend(f"  {r.pdf}" + (f" ({r.pages} pages)" if r.pages else "") for r in rendered)
        for cycle in cycles:
            export = output / f"gcmtrack-{cycle}.xlsx"
            rows = export_dataset(store, cycle, None, export)
            lines.append(f"  {export} ({rows} rows)")
    lines.append(f"Store: {db}")
    return "\n".join(lines)


def add_sample_reviews(store: Store, folder: Path) -> list[str]:
    """Save the sample authored content of `folder` (one <process>-<cycle>.yaml each, see
    submissions/review/) through the same service functions as `gcmtrack review-text`,
    `review-feature`, `review-inputs` and `review-indicators`; one line per review."""
    from gcmtrack.common.assets import load_yaml
    from gcmtrack.reference.framework import framework
    from gcmtrack.service import authoring

    lines = []
    for path in sorted(Path(folder).glob("*.yaml")) if Path(folder).is_dir() else ():
        data = load_yaml(path)
        process, cycle = data["process"], int(data["cycle"])
        saved = 0
        for section, body in data.get("texts", {}).items():
            per_table = body if section in authoring.PER_ROUND_TABLE else {None: body}
            for table, by_lang in per_table.items():
                for lang, markdown in by_lang.items():
                    where = authoring.place(process, cycle, lang, section, None if table is None else int(table))
                    authoring.save_text(store, where, markdown.strip() + "\n", actor="demo")
                    saved += 1
        featured = 0
        for item in data.get("features", ()):
            stored = store.latest(cycle, [item["state"]]).get(item["state"])
            row = None
            if stored is not None and item.get("practice"):
                row = next((p.row for p in stored.submission.practices
                            if item["objective"] in p.mapped_objectives(framework())), None)
            if stored is None or (item.get("practice") and row is None):
                raise ValueError(f"{path.name}: feature {item}: the samples hold no such "
                                 f"{'practice' if item.get('practice') else 'version'}")
            authoring.feature(store, process, stored.id, int(item["objective"]), practice_row=row, actor="demo")
            featured += 1
        for entry in data.get("inputs", ()):
            authoring.add_input(store, process, cycle, organisation=entry["organisation"], kind=entry["kind"],
                                lang=entry["lang"], date=str(entry["date"]), text=entry["text"],
                                consent=bool(entry["consent"]), actor="demo")
        values = 0
        if data.get("indicators"):
            csv_path = path.parent / data["indicators"]
            values = authoring.import_indicators(store, process, cycle, csv_path.read_bytes(), csv_path.name,
                                                 actor="demo")["rows"]
        lines.append(f"{process} {cycle} review: {saved} sample texts, {featured} featured items, "
                     f"{len(data.get('inputs', ()))} stakeholder inputs, {values} indicator values (sample content)")
    return lines


def prepare(location: str, output: Path) -> list[tuple[str, str, str, str]]:
    """Accounts, deadlines and published reports on the demo store; returns (e-mail, role,
    password, what to try) for each demo account."""
    from gcmtrack.store.accounts import add_account
    from gcmtrack.store.deadlines import set_deadline
    from gcmtrack.report.datapackage import DESCRIPTOR, package_archive, package_folder
    from gcmtrack.report.render import report_filename
    from gcmtrack.store.jobs import DATA_PACKAGE, keep_staff_report, publish_report

    rows = []
    with Store(location) as store:
        for email, role, state, process_ids, lang, hint in DEMO_ACCOUNTS:
            password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
            add_account(store, email, role, state=state, process_ids=process_ids, password=password, lang=lang,
                        actor="demo")
            rows.append((email, role, password, hint))
        now = utc_now()
        cycles = store.cycles()
        for cycle in cycles:
            for pid, process in processes().items():
                if not store.latest(cycle, process.members(cycle)):
                    continue
                latest = cycle == max(cycles)
                due = now.date() + dt.timedelta(days=DEMO_OPEN_DAYS) if latest else now.date()
                set_deadline(store, pid, cycle, due, latest, actor="demo")
                data_path = output / f".{pid.lower()}-{cycle}-data.csv"
                export_dataset(store, cycle, pid, data_path)
                data = data_path.read_bytes()
                data_path.unlink()
                for lang in LANGS:
                    # the review edition is published; the staff edition is kept for staff only
                    for edition, keep in (("review", publish_report), ("staff", keep_staff_report)):
                        pdf = output / report_filename(pid, cycle, lang, edition)
                        if not pdf.exists():
                            continue
                        package = package_folder(output, pid, cycle, edition)
                        given = ({"data": package_archive(package), "data_format": DATA_PACKAGE}
                                 if (package / DESCRIPTOR).exists() else {"data": data})
                        keep(store, pid, cycle, lang, pdf=pdf.read_bytes(), html=pdf.with_suffix(".html").read_bytes(),
                             digest="demo", at=now, **given)
    return rows
