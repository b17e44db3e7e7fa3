"""`gcmtrack demo --serve`: the demo's store made ready for the portal — demo accounts (one per
role, with passwords generated for this run and printed once), the cycle's deadline opened for
every process with a sample, the demo's reports published — then `gcmtrack serve`."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from gcmtrack.common.languages import LANGS
from gcmtrack.reference.processes import processes
from gcmtrack.store import Store, utc_now

DEMO_DEADLINE = dt.date(2026, 3, 31)
# (e-mail, role, state, processes, language, what to try)
DEMO_ACCOUNTS = (
    ("jamaica@demo.invalid", "submitter", "JAM", (), "en",
     "upload a workbook for Jamaica (see submissions/), read the answer, withdraw"),
    ("mexico@demo.invalid", "submitter", "MEX", (), "es", "the same for Mexico, in Spanish"),
    ("staff@demo.invalid", "staff", None, ("CMC", "RCM"), "en",
     "the CMC and RCM dashboards: accept or return with a reason, render and publish reports"),
    ("reviewer@demo.invalid", "reviewer", None, ("ALL",), "fr", "the published reports, in French"),
    ("admin@demo.invalid", "admin", None, (), "en", "everything"),
)


def prepare(location: str, output: Path) -> list[tuple[str, str, str, str]]:
    """Accounts, deadlines and published reports on the demo store; returns (e-mail, role,
    password, what to try) for each demo account."""
    from gcmtrack.export import export_dataset
    from gcmtrack.store.accounts import add_account
    from gcmtrack.store.deadlines import set_deadline
    from gcmtrack.store.models import RenderedReport

    rows = []
    with Store(location) as store:
        for email, role, state, process_ids, lang, hint in DEMO_ACCOUNTS:
            password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
            add_account(store, email, role, state=state, process_ids=process_ids, password=password, lang=lang,
                        actor="demo")
            rows.append((email, role, password, hint))
        now = utc_now()
        for cycle in store.cycles():
            for pid, process in processes().items():
                if not store.latest(cycle, process.members(cycle)):
                    continue
                set_deadline(store, pid, cycle, DEMO_DEADLINE, actor="demo")
                data_path = output / f".{pid.lower()}-{cycle}-data.csv"
                export_dataset(store, cycle, pid, data_path)
                data = data_path.read_bytes()
                data_path.unlink()
                for lang in LANGS:
                    pdf = output / f"{pid.lower()}-{cycle}-{lang}.pdf"
                    if not pdf.exists():
                        continue
                    with store._write():
                        RenderedReport.objects.using(store.alias).update_or_create(
                            process=pid, cycle=cycle, lang=lang,
                            defaults={"pdf": pdf.read_bytes(), "html": pdf.with_suffix(".html").read_bytes(),
                                      "data": data, "pages": None, "digest": "demo", "rendered_at": now,
                                      "published_at": now})
    return rows
