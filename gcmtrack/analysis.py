"""The compiled dataset as pandas DataFrames, for analysts' notebooks.

Needs the optional extra: ``pip install 'gcmtrack[analysis]'``. Nothing else in gcmtrack
imports pandas.

    >>> from gcmtrack.analysis import load_dataset
    >>> frames = load_dataset("review.db", 2026, "RCM")
    >>> frames.objectives.pivot(index="state", columns="objective", values="score")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gcmtrack.errors import GcmtrackError
from gcmtrack.export import COLUMNS, dataset_rows
from gcmtrack.store import Store

if TYPE_CHECKING:  # pragma: no cover
    import pandas


@dataclass(frozen=True)
class Dataset:
    """`objectives`: one row per state and objective (the export's columns);
    `states`: one row per state with its overall score, reported share and version."""

    objectives: "pandas.DataFrame"
    states: "pandas.DataFrame"


def _pandas():
    try:
        import pandas
    except ImportError:
        raise GcmtrackError("pandas is not installed: pip install 'gcmtrack[analysis]'") from None
    return pandas


def load_dataset(store: Store | str | None, cycle: int, process_id: str | None = None) -> Dataset:
    """The dataset of a cycle (optionally one process's members) as DataFrames. `store` is an
    open Store or a store location (path or URL; None for the default)."""
    pd = _pandas()
    if not isinstance(store, Store):
        with Store(store, create=False) as opened:
            return load_dataset(opened, cycle, process_id)
    from gcmtrack.reference.framework import framework
    from gcmtrack.scoring import score_submission

    frame = pd.DataFrame(dataset_rows(store, cycle, process_id), columns=COLUMNS)
    edition = framework().edition(cycle)
    wanted = None
    if process_id:
        from gcmtrack.reference.processes import get_process
        wanted = sorted(get_process(process_id).members(cycle))
    per_state = []
    for code, stored in store.latest(cycle, wanted).items():
        score = score_submission(stored.submission, framework(), edition)
        per_state.append({"cycle": cycle, "state": code, "overall": score.overall,
                          "reported_share": score.reported_share, "version": stored.version,
                          "sha256": stored.sha256, "ingested_at": stored.ingested_at})
    states = pd.DataFrame(per_state, columns=["cycle", "state", "overall", "reported_share", "version",
                                              "sha256", "ingested_at"])
    return Dataset(objectives=frame, states=states)
