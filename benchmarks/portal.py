"""Load benchmark of the portal (issue 19, item 9): CONCURRENCY uploaders, each sending
typical workbooks one after the other to POST /api/v1/submissions for DURATION seconds,
against `gcmtrack serve` with WORKERS web workers, on SQLite and on PostgreSQL (a throw-away
server started here, as the tests start theirs). Prints the answers' p50/p95/max, the
throughput, and checks that nothing was lost: every upload answered 201 is in the store
afterwards, exactly once, under the id it was given.

Run: .venv/bin/python benchmarks/portal.py [--duration 60] [--concurrency 50] [--workers 4]
     [--db both|sqlite|postgresql]

Each uploader sends for its own State (50 States of the 2026 processes); every upload is new
bytes (a variant of the State's workbook with one text changed), so each is a new version.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path

from _common import ROOT

from gcmtrack.reference.processes import processes
from intake import typical_workbook


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _multipart(data: bytes, name: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def variant(base: bytes, k: int) -> bytes:
    """The workbook `base` with one shared string changed: new bytes, the same valid content
    but for that text (about a millisecond, instead of writing a workbook each time)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    changed = False
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if not changed and item.filename.startswith("xl/") and b"Measures taken: " in data:
                data = data.replace(b"Measures taken: ", f"Measures taken (v{k}): ".encode(), 1)
                changed = True
            target.writestr(item, data)
    assert changed, "the typical workbook no longer holds the text the variants change"
    return out.getvalue()


def upload(port: int, token: str, data: bytes, name: str) -> tuple[int, float, int | None]:
    body, kind = _multipart(data, name)
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("POST", "/api/v1/submissions", body=body,
                     headers={"Authorization": f"Bearer {token}", "Content-Type": kind})
        response = conn.getresponse()
        payload = response.read()
    finally:
        conn.close()
    seconds = time.perf_counter() - start
    sid = None
    if response.status == 201:
        sid = json.loads(payload)["submission_id"]
    return response.status, seconds, sid


def serve(location: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "GCMTRACK_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    proc = subprocess.Popen([sys.executable, "-m", "gcmtrack", "serve", "--db", location, "--port", str(port),
                             "--workers", str(workers), "--no-render-worker"], stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=ROOT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    raise RuntimeError(log.read_text())


def server_cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of the server's process
    group (gunicorn's arbiter and its web workers), from /proc; 0 where /proc is missing."""
    total = 0
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += int(fields[11]) + int(fields[12])  # fields 14 and 15: utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def prepare(location: str, states: list[str]) -> str:
    """The store with every 2026 cycle open and an admin's upload token."""
    import datetime as dt

    from gcmtrack.store import Store
    from gcmtrack.store.accounts import add_account, new_token
    from gcmtrack.store.deadlines import set_deadline

    with Store(location) as store:
        for pid in processes():
            set_deadline(store, pid, 2026, dt.date(2027, 12, 31), True, actor="bench")
        add_account(store, "bench@iom.int", "admin")
        return new_token(store, "bench@iom.int", scope="upload")


def scenario(location: str, tmp: Path, args, bases: dict[str, bytes]) -> dict:
    states = sorted(bases)
    token = prepare(location, states)
    port = _free_port()
    proc = serve(location, port, args.workers, tmp / f"serve-{abs(hash(location))}.log")
    answers: list[tuple[int, float, int | None, str]] = []
    lock = threading.Lock()
    stop_at = [0.0]

    def uploader(code: str) -> None:
        k = 0
        while time.monotonic() < stop_at[0]:
            k += 1
            status, seconds, sid = upload(port, token, variant(bases[code], k), f"{code.lower()}-{k}.xlsx")
            with lock:
                answers.append((status, seconds, sid, code))

    try:
        upload(port, token, variant(bases[states[0]], 0), "warm-up.xlsx")  # each worker loads Django on first use
        for _ in range(args.workers * 2):
            upload(port, token, b"not a workbook", "warm-up.bin")
        cpu_before = server_cpu_seconds(proc.pid)
        start = time.monotonic()
        stop_at[0] = start + args.duration
        threads = [threading.Thread(target=uploader, args=(code,)) for code in states]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - start
        cpu = server_cpu_seconds(proc.pid) - cpu_before
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)

    from gcmtrack.store import Store

    with Store(location, create=False) as store:
        stored = {s.id: s for s in store.submissions() if s.filename != "warm-up.xlsx"}
    created = [a for a in answers if a[0] == 201]
    ids = [a[2] for a in created]
    missing = [sid for sid in ids if sid not in stored]
    wrong = [a for a in created if a[2] in stored and stored[a[2]].state != a[3]]
    latencies = sorted(a[1] for a in answers)
    return {"uploads": len(answers), "created": len(created), "stored": len(stored),
            "statuses": {s: sum(1 for a in answers if a[0] == s) for s in sorted({a[0] for a in answers})},
            "lost": len(missing) + len(wrong) + (len(stored) - len(set(ids))),
            "p50": statistics.median(latencies), "p95": latencies[int(0.95 * (len(latencies) - 1))],
            "max": latencies[-1], "wall": wall, "cpu_ms": 1000 * cpu / max(1, len(answers))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of uploading (default 60)")
    parser.add_argument("--concurrency", type=int, default=50, help="uploaders at once (default 50)")
    parser.add_argument("--workers", type=int, default=4, help="gcmtrack serve --workers (default 4)")
    parser.add_argument("--db", choices=("both", "sqlite", "postgresql"), default="both")
    args = parser.parse_args()
    rnd = random.Random(2026)
    members = sorted({m for p in processes().values() for m in p.members(2026)})
    if args.concurrency > len(members):
        parser.error(f"at most {len(members)} uploaders (one per State)")
    states = rnd.sample(members, args.concurrency)
    bases = {code: typical_workbook(code, rnd) for code in states}
    size_kb = statistics.median(len(b) for b in bases.values()) / 1024
    engines = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    load = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        server = None
        try:
            for engine in engines:
                if engine == "sqlite":
                    location = str(tmp / "portal.db")
                else:
                    import psycopg

                    from tests.pgserver import PostgresServer

                    server = PostgresServer().start()
                    with psycopg.connect(server.url(), autocommit=True) as conn:
                        conn.execute("CREATE DATABASE portal_load")
                    location = server.url("portal_load")
                rows.append((engine, scenario(location, tmp, args, bases)))
        finally:
            if server is not None:
                server.stop()
    print(f"\nportal load benchmark: {args.concurrency} concurrent uploaders for {args.duration:.0f} s, "
          f"POST /api/v1/submissions (typical workbook, {size_kb:.0f} KB), gcmtrack serve --workers {args.workers}")
    print(f"  machine: {os.cpu_count()} cores, load average {load[0]:.1f} before the run "
          "(a closed loop: each answer's time includes its wait for a free worker)")
    print(f"  {'database':<11} {'uploads':>8} {'201':>6} {'stored':>7} {'lost':>5} {'per s':>7} "
          f"{'p50':>8} {'p95':>8} {'max':>8} {'server CPU':>11}  answers")
    for engine, r in rows:
        print(f"  {engine:<11} {r['uploads']:>8} {r['created']:>6} {r['stored']:>7} {r['lost']:>5} "
              f"{r['uploads'] / r['wall']:>7.1f} {r['p50'] * 1000:>6.0f}ms {r['p95'] * 1000:>6.0f}ms "
              f"{r['max'] * 1000:>6.0f}ms {r['cpu_ms']:>6.0f}ms/up  {r['statuses']}")
    if any(r["lost"] for _e, r in rows):
        sys.exit("LOST: an upload answered 201 is not in the store as it was answered")


if __name__ == "__main__":
    main()
