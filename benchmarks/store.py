"""The store on SQLite and on PostgreSQL, side by side in one run: ingest of 200 typical
workbooks into a new store, and `score` of a 193-state cycle (a process made of every UN
member, each with a typical workbook). PostgreSQL is a throw-away server started here
(tests/pgserver.py; fsync on, as in production).

Run: .venv/bin/python benchmarks/store.py [--count 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from _common import ROOT  # noqa: F401 - puts the repository on sys.path

from gcmtrack.service.ingest import ingest_files
from gcmtrack.reference.framework import framework
from gcmtrack.reference.states import states
from gcmtrack.scoring import score_process
from gcmtrack.store import Store
from intake import typical_workbook


def _pg_server():
    import psycopg

    from tests.pgserver import PostgresServer

    server = PostgresServer()
    server.start()
    return server, psycopg


def _fresh_pg(server, psycopg, name: str) -> str:
    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return server.url(name)


def run(label: str, location: str, files: list[Path], members: list[str]) -> dict:
    start = time.perf_counter()
    with Store(location) as store:
        store.submissions()  # schema created before timing the ingest
        created = time.perf_counter() - start
        start = time.perf_counter()
        report = ingest_files(store, files)
        ingest = time.perf_counter() - start
        assert report.valid
        fw = framework()
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            latest = {c: s.submission for c, s in store.latest(2026, members).items()}
            score = score_process("ALL", 2026, members, latest, fw)
            timings.append(time.perf_counter() - start)
        assert len(score.submitted) == len(members)
    return {"label": label, "create": created, "ingest": ingest, "score": statistics.median(timings)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    rnd = random.Random(2026)
    members = sorted(code for code, entity in states().entities.items() if entity.un_member)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        batch = tmp / "batch"
        batch.mkdir()
        codes = members
        for i in range(args.count):
            (batch / f"{i:04d}.xlsx").write_bytes(typical_workbook(codes[i % len(codes)], rnd))
        cycle = tmp / "cycle"
        cycle.mkdir()
        for code in members:
            (cycle / f"{code}.xlsx").write_bytes(typical_workbook(code, rnd))
        batch_files = sorted(batch.iterdir())
        cycle_files = sorted(cycle.iterdir())
        server, psycopg = _pg_server()
        try:
            rows = []
            for engine in ("sqlite", "postgresql"):
                where = str(tmp / f"{engine}-batch.db") if engine == "sqlite" else _fresh_pg(server, psycopg, "batch")
                ingest = run(engine, where, batch_files, [])
                where = str(tmp / f"{engine}-cycle.db") if engine == "sqlite" else _fresh_pg(server, psycopg, "cycle")
                scored = run(engine, where, cycle_files, members)
                rows.append((engine, ingest["create"], ingest["ingest"], scored["score"]))
        finally:
            server.stop()
    print(f"\nstore benchmark: {args.count} typical workbooks ingested into a new store; score of a "
          f"{len(members)}-state cycle (median of 3)")
    print(f"  {'database':<12} {'create schema':>14} {'ingest':>10} {'per file':>10} {'score':>10}")
    for engine, create, ingest, score in rows:
        print(f"  {engine:<12} {create:>13.2f}s {ingest:>9.2f}s {ingest / args.count * 1000:>8.1f}ms {score:>9.2f}s")
    (sq, pg) = rows
    print(f"  PostgreSQL / SQLite: ingest {pg[2] / sq[2]:.2f}x, score {pg[3] / sq[3]:.2f}x")


if __name__ == "__main__":
    main()
