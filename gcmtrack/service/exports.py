"""A process's dataset for a cycle as a file to hand over (the portal's export links): XLSX
(dataset and practices sheets), or CSV (the dataset, or its practices), audited."""

from __future__ import annotations

import tempfile
from pathlib import Path

from gcmtrack.store import Action, Store

EXPORT_FORMATS = ("xlsx", "csv", "practices.csv")


def export_file(store: Store, process_id: str, cycle: int, fmt: str, lang: str, *, actor: str) -> tuple[bytes, str]:
    """The export's bytes and file name; `fmt` is one of EXPORT_FORMATS."""
    from gcmtrack.export import practices_path, write_export

    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    suffix = "xlsx" if fmt == "xlsx" else "csv"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"export.{suffix}"
        write_export(store, cycle, process_id, out, lang)
        data = (practices_path(out) if fmt == "practices.csv" else out).read_bytes()
    store.audit(actor, Action.EXPORT, object_type="process", object_id=process_id,
                process=process_id, cycle=cycle, detail={"format": fmt})
    return data, f"{process_id.lower()}-{cycle}" + ("-practices.csv" if fmt == "practices.csv" else f".{suffix}")
