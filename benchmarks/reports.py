"""Time and peak memory of the demo, of one process report against WeasyPrint alone on the same
HTML, and of a generated global-scale run (193 states, 25 processes, 50 practices each, 3
languages = 75 PDFs) on every core; then one changed submission and the same run again, which
must re-render only the reports of the processes that state belongs to.

Run: .venv/bin/python benchmarks/reports.py [--quick | --no-global] [--serial]
(--quick: 40 states, 5 processes, 1 language: a smoke run of the same code paths;
--no-global: only the demo and the one-report ratio; --serial: also the global run on 1 worker.)
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, print_results

import yaml

GCMTRACK = [sys.executable, "-m", "gcmtrack"]


def run_cli(args: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB of the command and its workers, output) of one CLI run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(GCMTRACK + args, capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"gcmtrack {' '.join(args)} failed:\n{proc.stderr}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return elapsed, peak, proc.stdout + proc.stderr


def weasyprint_alone(html: Path, pdf: Path) -> float:
    """Wall seconds of a subprocess that only runs WeasyPrint on `html`, with the report's options."""
    code = ("import sys; from weasyprint import HTML; from gcmtrack.report.render import AssetFetcher, "
            "templates_dir, PDF_VARIANT; HTML(filename=sys.argv[1], base_url=templates_dir().as_uri() + '/', "
            "url_fetcher=AssetFetcher()).write_pdf(sys.argv[2], pdf_variant=PDF_VARIANT, pdf_tags=True)")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(html), str(pdf)], check=True)
    return time.perf_counter() - start


def global_data_root(folder: Path, states: list[str], n_processes: int, rnd: random.Random) -> Path:
    """A data root with the real framework and states and `n_processes` generated processes
    that together cover every state (each state in 1-3 processes)."""
    root = folder / "data"
    root.mkdir()
    for name in ("objectives", "states", "templates", "submissions"):
        (root / name).symlink_to(ROOT / name)
    (root / "processes").mkdir()
    groups: list[list[str]] = [[] for _ in range(n_processes)]
    for i, code in enumerate(states):
        groups[i % n_processes].append(code)
        for extra in rnd.sample(range(n_processes), rnd.randint(0, 2)):
            if code not in groups[extra]:
                groups[extra].append(code)
    for i, members in enumerate(groups, start=1):
        data = {"id": f"P{i:02d}", "name": {lang: f"Generated process {i}" for lang in ("en", "es", "fr")},
                "acronym": {lang: f"P{i:02d}" for lang in ("en", "es", "fr")}, "established": 2000,
                "languages": ["en"], "members": [{"state": c} for c in sorted(members)], "observers": []}
        (root / "processes" / f"p{i:02d}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-global", action="store_true", help="only the demo and one report")
    parser.add_argument("--serial", action="store_true", help="also the global run on one worker")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from intake import typical_workbook

    from gcmtrack.reference.states import states as registry

    results: list = []
    rnd = random.Random(2030)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # 1. the demo, as a newcomer runs it
        seconds, peak, _out = run_cli(["demo", "--output", str(tmp / "demo")])
        results.append(("gcmtrack demo (subprocess, all cores)", seconds, peak * 2**20))

        # 2. one process report, and WeasyPrint alone on the same HTML (both subprocesses, best of 3)
        db_demo = str(tmp / "demo" / "gcmtrack-demo.db")
        ours, theirs = [], []
        for i in range(3):
            seconds, peak, out = run_cli(["report", "--process", "RCM", "--cycle", "2026", "--lang", "en", "--force",
                                          "--output", str(tmp / "one"), "--db", db_demo])
            ours.append(seconds)
            theirs.append(weasyprint_alone(tmp / "one" / "rcm-2026-en.html", tmp / "alone.pdf"))
        pages = out.split("(")[-1].split()[0]
        results.append((f"report RCM 2026 en ({pages} pages), gcmtrack CLI", min(ours), peak * 2**20))
        results.append(("the same HTML, WeasyPrint alone (same options)", min(theirs), 0))
        ratio = min(ours) / min(theirs)
        if args.no_global:
            print_results("Reports (peak memory column: max RSS of the command and its workers)", results)
            print(f"  gcmtrack report / WeasyPrint alone: {ratio:.2f}x")
            return

        # 3. global scale
        un_members = sorted(c for c, e in registry().entities.items() if e.un_member)
        n_states, n_processes, langs = (40, 5, ["en"]) if args.quick else (193, 25, ["en", "es", "fr"])
        chosen = un_members[:n_states]
        root = global_data_root(tmp, chosen, n_processes, rnd)
        env = {"GCMTRACK_DATA_ROOT": str(root)}
        inbox = tmp / "inbox"
        inbox.mkdir()
        for code in chosen:
            (inbox / f"{code.lower()}-2026.xlsx").write_bytes(typical_workbook(code, rnd))
        db = str(tmp / "global.db")
        seconds, peak, out = run_cli(["ingest", str(inbox), "--db", db], env)
        results.append((f"ingest {n_states} workbooks of 50 practices (subprocess)", seconds, peak * 2**20))
        lang_args = [a for lang in langs for a in ("--lang", lang)]
        reports = n_processes * len(langs)
        serial = None
        if args.serial:
            serial, peak1, _ = run_cli(["report", "--all", "--cycle", "2026", "--db", db, "--output",
                                        str(tmp / "serial"), "--jobs", "1", *lang_args], env)
            results.append((f"report --all: {reports} PDFs, 1 worker", serial, peak1 * 2**20))
        pooled, peak2, out = run_cli(["report", "--all", "--cycle", "2026", "--db", db, "--output",
                                      str(tmp / "pooled"), *lang_args], env)
        pages = sum(int(line.split("(")[-1].split()[0]) for line in out.splitlines() if line.startswith("Wrote"))
        results.append((f"GLOBAL RUN report --all: {reports} PDFs, {os.cpu_count()} workers", pooled, peak2 * 2**20))
        skipped, peak3, out = run_cli(["report", "--all", "--cycle", "2026", "--db", db, "--output",
                                       str(tmp / "pooled"), *lang_args], env)
        results.append(("report --all again, inputs unchanged (all skipped)", skipped, peak3 * 2**20))
        assert "Skipped" in out and "Wrote" not in out, out
        # one state sends a new version: only the reports of its processes are rendered again
        changed = chosen[len(chosen) // 2]
        (inbox / "changed.xlsx").write_bytes(typical_workbook(changed, random.Random(7)))
        run_cli(["ingest", str(inbox / "changed.xlsx"), "--db", db], env)
        affected = sum(1 for f in (root / "processes").glob("*.yaml")
                       if any(m["state"] == changed for m in yaml.safe_load(f.read_text())["members"]))
        again, peak4, out = run_cli(["report", "--all", "--cycle", "2026", "--db", db, "--output",
                                     str(tmp / "pooled"), *lang_args], env)
        rerendered = sum(1 for line in out.splitlines() if line.startswith("Wrote"))
        results.append((f"after 1 changed submission ({changed}): {rerendered} re-rendered", again, peak4 * 2**20))
        assert rerendered == affected * len(langs), (rerendered, affected)
    print_results("Reports (peak memory column: max RSS of the command and its workers)", results)
    print(f"  gcmtrack report / WeasyPrint alone on the same HTML: {ratio:.2f}x (best of 3 each)")
    print(f"  global run: {reports} PDFs, {pages} pages in all, {pooled / 60:.1f} min on {os.cpu_count()} cores"
          + (f"; pool speedup {serial / pooled:.2f}x" if serial else ""))
    print(f"  after one changed submission: {rerendered} of {reports} re-rendered "
          f"({affected} processes x {len(langs)} languages), {again:.1f} s")


if __name__ == "__main__":
    main()
