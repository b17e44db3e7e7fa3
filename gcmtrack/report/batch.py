"""From the store to scores and rendered reports: gathers each process's inputs, renders the
reports on every core, and skips reports whose inputs have not changed since the last render."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from gcmtrack import __version__
from gcmtrack.common.catalogue import LOCALE_DIR
from gcmtrack.common.files import write_atomic
from gcmtrack.reference.framework import framework
from gcmtrack.reference.processes import get_process
from gcmtrack.common.assets import data_dir
from gcmtrack.scoring import score_process
from gcmtrack.store import Store

RENDER_INDEX = ".gcmtrack-renders.json"


def report_data(store: Store, process_id: str, cycle: int, *, accepted_only: bool = False):
    """Everything one process's report is made from, with the previous edition's cycle when the
    store holds submissions of its members for it (trends). A store of the bundled fictional
    samples makes reports whose cover says so. With `accepted_only`, only versions that staff
    accepted count."""
    from gcmtrack.report.model import PreviousCycle, ReportData

    process = get_process(process_id)
    fw = framework()
    members = sorted(process.members(cycle))
    latest = store.latest(cycle, members, accepted_only=accepted_only)
    counts = store.version_counts(cycle)
    reviews = store.review_states(cycle)
    score = score_process(process.id, cycle, members, {c: s.submission for c, s in latest.items()}, fw)
    as_of = max((s.ingested_at for s in latest.values()), default=None)
    previous = None
    before = fw.previous_edition(cycle)
    if before is not None:
        then = store.latest(before.year, sorted(process.members(before.year)), accepted_only=accepted_only)
        if then:
            previous = PreviousCycle(before.year, then)
    return ReportData(process=process, cycle=cycle, score=score, latest=latest,
                      version_counts={c: counts[c] for c in latest}, as_of=as_of,
                      sample=store.holds_samples, previous=previous,
                      review_states={c: reviews[c] for c in members if c in reviews}, accepted_only=accepted_only)


# The code that computes or renders a report's figures: a change in any of it re-renders.
_CODE_PACKAGES = ("gcmtrack.common", "gcmtrack.reference", "gcmtrack.scoring", "gcmtrack.report")
_CODE_MODULES = ("gcmtrack.submission", "gcmtrack.intake.problems", "gcmtrack.authored")


@cache
def _assets_digest() -> str:
    """A digest of everything besides the submissions that shapes a report: templates,
    catalogues, reference data, the code that scores and renders, and the gcmtrack version."""
    digest = hashlib.sha256(__version__.encode())
    roots = [data_dir("templates"), data_dir("objectives"), data_dir("processes"), data_dir("states")]
    roots += [Path(str(resources.files(name))) for name in _CODE_PACKAGES]
    roots += [Path(importlib.util.find_spec(name).origin) for name in _CODE_MODULES]
    roots += sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))  # the texts, Annex B's summaries among them
    for root in roots:
        if root.is_file():
            digest.update(root.name.encode())
            digest.update(root.read_bytes())
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _authored_payload(authored):
    if authored is None:
        return None
    fields = dataclasses.asdict(authored)
    fields.pop("extra", None)
    return fields


def inputs_digest(data, lang: str, edition: str = "review") -> str:
    """The content hash of one report's inputs: submissions (by SHA-256 and id), memberships,
    cycle, language, edition, what staff wrote, and the assets digest."""
    payload = {
        "edition": edition,
        "authored": _authored_payload(getattr(data, "authored", None)) if edition == "review" else None,
        "process": data.process.id,
        "cycle": data.cycle,
        "lang": lang,
        "members": list(data.score.members),
        "submissions": sorted((c, s.id, s.sha256, s.ingested_at) for c, s in data.latest.items()),
        "previous": None if data.previous is None else [
            data.previous.cycle, sorted((c, s.id, s.sha256) for c, s in data.previous.latest.items())],
        "versions": sorted(data.version_counts.items()),
        "reviews": sorted(data.review_states.items()),
        "accepted_only": data.accepted_only,
        "as_of": data.as_of,
        "sample": data.sample,
        "assets": _assets_digest(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class RenderResult:
    process: str
    lang: str
    pdf: Path
    html: Path
    pages: int | None
    skipped: bool
    digest: str
    edition: str = "review"


def _render_weight(data) -> int:
    """A report's rendering time grows with its lines: a row per member and objective, a line or
    two per practice and warning."""
    rows = len(framework().objectives)
    return sum(4 * rows + 2 * len(s.submission.practices) + len(s.problems) for s in data.latest.values())


def _render_one(data, lang: str, pdf: Path, html: Path, digest: str, edition: str = "review") -> RenderResult:
    from gcmtrack.report.render import render_pdf

    pages = render_pdf(data, lang, pdf, html, edition=edition)
    return RenderResult(data.process.id, lang, pdf, html, pages if isinstance(pages, int) else None, False, digest,
                        edition)


def _load_index(folder: Path) -> dict[str, str]:
    try:
        return json.loads((folder / RENDER_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def render_reports(store: Store, process_ids: Iterable[str], cycle: int, langs: Iterable[str], output: Path,
                   *, force: bool = False, workers: int | None = None, accepted_only: bool = False,
                   on_done: Callable[[RenderResult], None] | None = None,
                   editions: Iterable[str] = ("review",)) -> list[RenderResult]:
    """Render each process × language × edition into `output`; a pool of `workers` processes
    (default: every core) when there is more than one report to render. The render index keys
    each file by its name, so each edition is skipped on its own inputs. What staff wrote for
    the review (Store.authored_review) is read per language; the data behind each edition is
    published beside it as a Frictionless Data Package."""
    from gcmtrack.report.context import check_edition
    from gcmtrack.report.datapackage import write_datapackage
    from gcmtrack.report.render import report_filename

    editions = [check_edition(e) for e in editions]
    framework().edition(cycle)
    process_ids = [get_process(pid).id for pid in process_ids]
    langs = list(langs)
    output.mkdir(parents=True, exist_ok=True)
    index = _load_index(output)
    jobs, results = [], []
    for pid in process_ids:
        data = report_data(store, pid, cycle, accepted_only=accepted_only)
        authored = {lang: store.authored_review(pid, cycle, lang) for lang in langs}
        for edition in editions:
            # the data behind each edition, once per process and cycle (disclosure and indicators
            # are the process's, the same in every language)
            write_datapackage(dataclasses.replace(data, authored=authored[langs[0]]) if langs else data,
                              output, langs, edition=edition)
            for lang in langs:
                data_l = dataclasses.replace(data, authored=authored[lang])
                pdf = output / report_filename(data.process.id, cycle, lang, edition)
                html = pdf.with_suffix(".html")
                digest = inputs_digest(data_l, lang, edition)
                if not force and index.get(pdf.name) == digest and pdf.exists() and html.exists():
                    result = RenderResult(data.process.id, lang, pdf, html, None, True, digest, edition)
                    results.append(result)
                    if on_done:
                        on_done(result)
                    continue
                jobs.append((data_l, lang, pdf, html, digest, edition))
    # The longest reports first, so that no worker is left with a long one while the others idle.
    jobs.sort(key=lambda job: _render_weight(job[0]), reverse=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    try:
        if workers == 1:
            for job in jobs:
                result = _render_one(*job)
                index[result.pdf.name] = result.digest
                results.append(result)
                if on_done:
                    on_done(result)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(_render_one, *job) for job in jobs]
                for future in as_completed(futures):
                    result = future.result()
                    index[result.pdf.name] = result.digest
                    results.append(result)
                    if on_done:
                        on_done(result)
    finally:
        write_atomic(output / RENDER_INDEX, json.dumps(index, indent=1, sort_keys=True).encode())
    order = {key: i for i, key in enumerate((p, e, g) for p in process_ids for e in editions for g in langs)}
    return sorted(results, key=lambda r: order.get((r.process, r.edition, r.lang), 0))
