"""The demo on the bundled samples. `run_demo`, the main job: a fresh store from submissions/, the report of every
process that has a sample submission for the latest cycle, in every language (with trends
since the cycle before, whose samples are in the store too), and the compiled dataset of
each cycle.

The samples are workbooks of states in the Americas: processes none of whose members sent one
(most of processes/) would render empty reports, so the demo leaves them out and says so.

`prepare`, for `gcmtrack demo --serve`: the demo's store made ready for the portal — demo
accounts (one per role, with passwords generated for this run and printed once), the cycle's
deadline opened for every process with a sample, the demo's reports published."""

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
from gcmtrack.store import Store, utc_now
from gcmtrack.store.events import Role

DEMO_DB = "gcmtrack-demo.db"
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
        table = processes()
        cycles = store.cycles()
        if cycles:
            # Reports of the latest cycle only: they show the trends since the previous one.
            latest = max(cycles)
            ids = [pid for pid, p in table.items() if store.latest(latest, p.members(latest))]
            skipped = len(table) - len(ids)
            if skipped:
                lines.append(f"{skipped} process(es) have no sample submission for cycle {latest} and are not rendered.")
            editions = ("review", "staff")  # both editions (review.md), each named by report_filename
            total = len(ids) * len(LANGS) * len(editions)
            on_stage(f"Rendering {total} reports for cycle {latest} …")
            finished = itertools.count(1)
            rendered = render_reports(store, ids, latest, LANGS, output, force=True, workers=workers,
                                      on_done=lambda _r, t=total: on_render(next(finished), t), editions=editions)
            lines.extend(f"  {r.pdf}" + (f" ({r.pages} pages)" if r.pages else "") for r in rendered)
        for cycle in cycles:
            export = output / f"gcmtrack-{cycle}.xlsx"
            rows = export_dataset(store, cycle, None, export)
            lines.append(f"  {export} ({rows} rows)")
    lines.append(f"Store: {db}")
    return "\n".join(lines)


def prepare(location: str, output: Path) -> list[tuple[str, str, str, str]]:
    """Accounts, deadlines and published reports on the demo store; returns (e-mail, role,
    password, what to try) for each demo account."""
    from gcmtrack.store.accounts import add_account
    from gcmtrack.store.deadlines import set_deadline
    from gcmtrack.store.jobs import publish_report

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
                    pdf = output / f"{pid.lower()}-{cycle}-{lang}.pdf"
                    if not pdf.exists():
                        continue
                    publish_report(store, pid, cycle, lang, pdf=pdf.read_bytes(),
                                   html=pdf.with_suffix(".html").read_bytes(), data=data, digest="demo", at=now)
    return rows
