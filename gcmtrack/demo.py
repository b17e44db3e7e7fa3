"""The main job on the bundled samples: a fresh store from submissions/, the report of every
process that has a sample submission for the latest cycle, in every language (with trends
since the cycle before, whose samples are in the store too), and the compiled dataset of
each cycle.

The samples are workbooks of states in the Americas: processes none of whose members sent one
(most of processes/) would render empty reports, so the demo leaves them out and says so."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Callable

from gcmtrack.export import export_dataset
from gcmtrack.ingest import expand_paths, ingest_files
from gcmtrack.reference.processes import processes
from gcmtrack.report.batch import render_reports
from gcmtrack.common.assets import data_dir
from gcmtrack.common.languages import LANGS
from gcmtrack.store import Store

DEMO_DB = "gcmtrack-demo.db"


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
            total = len(ids) * len(LANGS)
            on_stage(f"Rendering {total} reports for cycle {latest} …")
            finished = itertools.count(1)
            rendered = render_reports(store, ids, latest, LANGS, output, force=True, workers=workers,
                                      on_done=lambda _r, t=total: on_render(next(finished), t))
            lines.extend(f"  {r.pdf}" + (f" ({r.pages} pages)" if r.pages else "") for r in rendered)
        for cycle in cycles:
            export = output / f"gcmtrack-{cycle}.xlsx"
            rows = export_dataset(store, cycle, None, export)
            lines.append(f"  {export} ({rows} rows)")
    lines.append(f"Store: {db}")
    return "\n".join(lines)
