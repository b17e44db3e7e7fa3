"""Time and peak memory of validate and ingest: one typical workbook (23 objective rows,
50 practices), 200 such workbooks, and each hostile file of tests/hostile.py; and a whole cold
`gcmtrack validate` of a sample workbook against a bare openpyxl read of it (goal: <= 1.0x).

Run: .venv/bin/python benchmarks/intake.py [--count 200] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, measure, print_results

from gcmtrack.reference.framework import framework
from gcmtrack.service.ingest import ingest_files
from gcmtrack.intake.validate import validate_bytes
from gcmtrack.reference.processes import processes
from gcmtrack.store import Store
from tests.builders import build_workbook


def typical_workbook(state: str, rnd: random.Random) -> bytes:
    fw = framework()
    statuses = [s.name("en") for s in fw.statuses]
    themes = [t.name("en") for t in fw.themes]
    rows = [(n, rnd.choice(statuses), "Measures taken: " + "national plan, pilot, budget. " * rnd.randint(2, 30),
             f"https://example.org/evidence/{n}", "IOM; UNHCR; civil society", "a, f, i") for n in range(1, 24)]
    practices = [{
        "title": f"Programme {i} of {state}", "description": "Description of the programme. " * rnd.randint(5, 60),
        "objectives": ", ".join(str(rnd.randint(1, 23)) for _ in range(rnd.randint(1, 3))),
        "themes": rnd.choice(themes), "status": rnd.choice(statuses), "start_year": rnd.randint(2015, 2025),
        "partners": "IOM", "link": f"https://example.org/p/{i}", "principles": "b; j",
    } for i in range(50)]
    return build_workbook(state=state, objectives=rows, practices=practices)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15, help="runs of each cold command (the median is shown)")
    args = parser.parse_args()
    cold_command(ROOT / "submissions" / "mex-2026.xlsx", args.runs)
    rnd = random.Random(2026)
    states = sorted({m for p in processes().values() for m in p.members(2026)})
    results: list = []
    one = typical_workbook("MEX", rnd)
    print(f"typical workbook: {len(one) / 1024:.0f} KB (23 objective rows, 50 practices)")
    validate_bytes(one)  # warm caches (framework, state registry)
    measure("validate 1 typical workbook", lambda: validate_bytes(one, "mex.xlsx"), results)
    assert validate_bytes(one, "mex.xlsx").valid
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / "in"
        folder.mkdir()
        for i in range(args.count):
            state = states[i % len(states)]
            (folder / f"{i:04d}-{state.lower()}.xlsx").write_bytes(typical_workbook(state, rnd))
        files = sorted(folder.iterdir())
        single = tmp / "mex.xlsx"
        single.write_bytes(one)
        stores = iter(range(10))

        def ingest_into_fresh_store(paths):
            with Store(str(tmp / f"store-{next(stores)}.db")) as store:
                report = ingest_files(store, paths)
            assert report.valid

        measure("ingest 1 typical workbook (new store)", lambda: ingest_into_fresh_store([single]), results)
        def validate_all():
            for path in files:
                validate_bytes(path.read_bytes(), path.name)

        measure(f"validate {args.count} typical workbooks", validate_all, results)
        measure(f"ingest {args.count} typical workbooks (new store)", lambda: ingest_into_fresh_store(files), results)
        size = max(p.stat().st_size for p in tmp.glob("store-*.db"))
    print_results("Intake", results)
    print(f"  store size after {args.count} ingests: {size / 2**20:.1f} MB")

    import tests.hostile as hostile

    hostile_results: list = []
    makers = [name for name in dir(hostile) if not name.startswith("_") and callable(getattr(hostile, name))
              and getattr(getattr(hostile, name), "__module__", "") == hostile.__name__]
    for name in sorted(makers):
        maker = getattr(hostile, name)
        try:
            data = maker()
        except TypeError:
            continue  # needs arguments (a builder, not a hostile file)
        if not isinstance(data, bytes):
            continue
        measure(f"validate {name} ({len(data) / 1024:.0f} KB)", lambda: validate_bytes(data, f"{name}.xlsx"),
                hostile_results)
        codes = sorted({p.code for p in validate_bytes(data, f"{name}.xlsx").problems})[:3]
        hostile_results[-1] = (hostile_results[-1][0] + f" -> {','.join(codes) or 'valid'}",) + hostile_results[-1][1:]
    print_results("Hostile files (tests/hostile.py)", hostile_results)
    annotate_many_problems()


def cold_command(path: Path, runs: int) -> None:
    """A whole `gcmtrack validate FILE` in a new Python process (start-up, imports, reading,
    checking, printing) against a new process that only reads the same file with openpyxl:
    what a user waits for, against the least any Python tool that opens the workbook costs."""
    # compiled modules are kept, as they are for an installed gcmtrack (and for openpyxl here)
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    commands = {
        "gcmtrack validate": [sys.executable, "-m", "gcmtrack", "validate", str(path)],
        "bare openpyxl read": [sys.executable, "-c", "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])",
                               str(path)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # once each first: compiled modules, warm file cache
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
    for _ in range(runs):  # alternated, so that a busy moment of the machine hits both alike
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"cold command, {path.name} ({path.stat().st_size / 1024:.0f} KB), median of {runs} runs:")
    for name, value in median.items():
        print(f"  {name:<20} {value * 1000:>8.1f}ms (fastest {min(times[name]) * 1000:.1f}ms)")
    ratio = median["gcmtrack validate"] / median["bare openpyxl read"]
    print(f"  ratio gcmtrack validate / bare openpyxl read: {ratio:.2f}x (goal <= 1.0x)\n")


def annotate_many_problems() -> None:
    """A workbook with 30,000 problems (10,000 practices, each with an unknown status, objective
    and theme): validate it, then write its annotated copy, as `validate --annotate` does. The
    validator lists at most max_problems of them; the copy lists what it lists."""
    from gcmtrack.intake.annotate import annotate

    practices = [{"title": f"P{i}", "status": "Donee", "objectives": "99", "themes": "zzz"} for i in range(10_000)]
    data = build_workbook(practices=practices)
    result = validate_bytes(data, "many.xlsx")
    total = len(result.problems) - 1 + result.problems[-1].params.get("count", 0)
    print(f"\nworkbook with {total} problems: {len(data) / 1024:.0f} KB, {len(result.problems)} listed")
    results: list = []
    measure("validate it", lambda: validate_bytes(data, "many.xlsx"), results)
    measure("write its annotated copy",
            lambda: annotate(data, [p.to_dict(result.lang) for p in result.problems], result.lang), results)
    print_results("30,000 problems", results)


if __name__ == "__main__":
    main()
