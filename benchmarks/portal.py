"""Upload to answer through the portal's API, with 1 and with 8 concurrent uploaders, on
SQLite and on PostgreSQL, beside the time of one `gcmtrack validate` of the same workbook,
in one run. The portal is `gcmtrack serve` (gunicorn, 2 web workers) on loopback; PostgreSQL
is a throw-away server started here. Checks that nothing is lost: every upload answered 201
is in the store afterwards, exactly once.

Run: .venv/bin/python benchmarks/portal.py [--per-uploader 5]
"""

from __future__ import annotations

import argparse
import http.client
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
from pathlib import Path

from _common import ROOT

from gcmtrack.reference.processes import processes
from gcmtrack.store import Store
from gcmtrack.store.accounts import add_account, new_token
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


def upload(port: int, token: str, data: bytes, name: str) -> tuple[int, float]:
    body, kind = _multipart(data, name)
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", "/api/v1/submissions", body=body,
                 headers={"Authorization": f"Bearer {token}", "Content-Type": kind})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.perf_counter() - start


def serve(location: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "GCMTRACK_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    proc = subprocess.Popen([sys.executable, "-m", "gcmtrack", "serve", "--db", location, "--port", str(port),
                             "--workers", "2", "--no-render-worker"], stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(log.read_text())


def scenario(location: str, tmp: Path, uploaders: int, per: int, rnd: random.Random) -> dict:
    states = sorted({m for p in processes().values() for m in p.members(2026)})[: uploaders]
    with Store(location) as store:
        add_account(store, "bench@iom.int", "admin")
        token = new_token(store, "bench@iom.int")
    books = {code: [typical_workbook(code, rnd) for _ in range(per)] for code in states}
    port = _free_port()
    proc = serve(location, port, tmp / f"serve-{uploaders}.log")
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def uploader(code: str) -> None:
        for i, data in enumerate(books[code]):
            status, seconds = upload(port, token, data, f"{code}-{i}.xlsx")
            with lock:
                statuses.append(status)
                latencies.append(seconds)

    try:
        upload(port, token, typical_workbook("MEX", rnd), "warm-up.xlsx")  # first request loads Django
        start = time.perf_counter()
        threads = [threading.Thread(target=uploader, args=(code,)) for code in states]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - start
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    with Store(location) as store:
        stored = [s for s in store.submissions() if s.filename != "warm-up.xlsx"]
    lost = statuses.count(201) - len(stored)
    return {"uploads": len(statuses), "created": statuses.count(201), "stored": len(stored), "lost": lost,
            "median": statistics.median(latencies), "p95": sorted(latencies)[int(0.95 * (len(latencies) - 1))],
            "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-uploader", type=int, default=5)
    args = parser.parse_args()
    rnd = random.Random(2026)
    import psycopg

    from tests.pgserver import PostgresServer

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        one = tmp / "mex.xlsx"
        one.write_bytes(typical_workbook("MEX", rnd))
        size_kb = one.stat().st_size // 1024
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "gcmtrack", "validate", str(one)], capture_output=True, cwd=ROOT)
            runs.append(time.perf_counter() - start)
        validate_cli = statistics.median(runs)
        server = PostgresServer().start()
        rows = []
        try:
            for engine in ("sqlite", "postgresql"):
                for uploaders in (1, 8):
                    if engine == "sqlite":
                        location = str(tmp / f"portal-{uploaders}.db")
                    else:
                        name = f"portal_{uploaders}"
                        with psycopg.connect(server.url(), autocommit=True) as conn:
                            conn.execute(f"CREATE DATABASE {name}")
                        location = server.url(name)
                    rows.append((engine, uploaders, scenario(location, tmp, uploaders, args.per_uploader, rnd)))
        finally:
            server.stop()
    print(f"\nportal benchmark: typical workbook ({size_kb} KB), POST /api/v1/submissions "
          f"through gcmtrack serve (2 workers), {args.per_uploader} uploads per uploader")
    print(f"  one `gcmtrack validate` of the same file (whole command, median of 3): {validate_cli * 1000:.0f} ms")
    print(f"  {'database':<11} {'uploaders':>9} {'uploads':>8} {'201':>5} {'stored':>7} {'lost':>5} "
          f"{'median':>9} {'p95':>9} {'x validate':>11}")
    for engine, uploaders, r in rows:
        print(f"  {engine:<11} {uploaders:>9} {r['uploads']:>8} {r['created']:>5} {r['stored']:>7} {r['lost']:>5} "
              f"{r['median'] * 1000:>7.0f}ms {r['p95'] * 1000:>7.0f}ms {r['median'] / validate_cli:>10.2f}x")


if __name__ == "__main__":
    main()
