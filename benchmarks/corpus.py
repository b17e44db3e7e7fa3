"""Replay a corpus of real-world and malformed spreadsheets through the workbook reader.

    .venv/bin/python benchmarks/corpus.py [CORPUS_DIR] [--no-memory]

Every file goes through `gcmtrack.intake.xlsx.read_workbook` (and through
`gcmtrack.intake.validate.validate_bytes` when that exists). Prints the outcome per
problem code, time per file and peak memory, and lists any file that raised anything but
WorkbookError or took longer than SLOW_SECONDS: both lists must stay empty. Exit status 1
if they are not. A file still running after TIMEOUT_SECONDS counts as a hang.
"""

from __future__ import annotations

import argparse
import collections
import resource
import signal
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from gcmtrack.errors import WorkbookError
from gcmtrack.intake.xlsx import read_workbook

try:
    from gcmtrack.intake.validate import validate_bytes
except ImportError:  # written by another engineer; the reader is benchmarked either way
    validate_bytes = None

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpus" / "poi-spreadsheet"
SLOW_SECONDS = 1.0
TIMEOUT_SECONDS = 30


class Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise Hang()


def read_outcome(data: bytes, name: str) -> tuple[str, list[str]]:
    """('ok' or the error code, warning codes); other exceptions propagate."""
    try:
        workbook = read_workbook(data, name)
    except WorkbookError as error:
        return error.problem.code, []
    return "ok", [problem.code for problem in workbook.problems]


def validate_outcome(data: bytes, name: str) -> str:
    result = validate_bytes(data, name)
    errors = sorted({problem.code for problem in result.problems if problem.is_error})
    return "valid" if not errors else ",".join(errors)


def timed(call, *args):
    signal.alarm(TIMEOUT_SECONDS)
    start = time.perf_counter()
    try:
        return call(*args), time.perf_counter() - start
    finally:
        signal.alarm(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    args = parser.parse_args(argv)
    files = sorted(p for p in args.corpus.resolve().iterdir() if p.suffix.lower() in (".xlsx", ".xlsm"))
    if not files:
        print(f"no .xlsx/.xlsm files in {args.corpus}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGALRM, _alarm)

    outcomes: collections.Counter[str] = collections.Counter()
    warnings: collections.Counter[str] = collections.Counter()
    verdicts: collections.Counter[str] = collections.Counter()
    times: dict[str, float] = {}
    validate_times: dict[str, float] = {}
    unexpected: list[str] = []
    for path in files:
        data = path.read_bytes()
        try:
            (outcome, warning_codes), seconds = timed(read_outcome, data, path.name)
        except Hang:
            unexpected.append(f"{path.name}: no answer after {TIMEOUT_SECONDS} s (read)")
            continue
        except Exception as error:  # the point of the benchmark: there must be none
            unexpected.append(f"{path.name}: read_workbook raised {type(error).__name__}: {error}")
            continue
        times[path.name] = seconds
        outcomes[outcome] += 1
        warnings.update(warning_codes)
        if validate_bytes is not None:
            try:
                verdict, seconds = timed(validate_outcome, data, path.name)
            except Hang:
                unexpected.append(f"{path.name}: no answer after {TIMEOUT_SECONDS} s (validate)")
                continue
            except Exception as error:
                unexpected.append(f"{path.name}: validate_bytes raised {type(error).__name__}: {error}")
                continue
            validate_times[path.name] = seconds
            verdicts[verdict] += 1

    print(f"{len(files)} files from {args.corpus.resolve()}")
    print("\nread_workbook outcome (ok or error code):")
    for code, count in outcomes.most_common():
        print(f"  {count:5d}  {code}")
    print("warnings raised while reading:")
    for code, count in warnings.most_common():
        print(f"  {count:5d}  {code}")
    if validate_bytes is not None:
        print("validate_bytes verdict (error codes):")
        for code, count in verdicts.most_common():
            print(f"  {count:5d}  {code}")

    slow = []
    for label, table in (("read_workbook", times), ("validate_bytes", validate_times)):
        if not table:
            continue
        values = sorted(table.values())
        slowest = max(table, key=table.get)
        print(
            f"\n{label}: total {sum(values):.2f} s, p50 {statistics.median(values) * 1000:.1f} ms, "
            f"p95 {values[int(len(values) * 0.95)] * 1000:.1f} ms, max {values[-1] * 1000:.0f} ms ({slowest})"
        )
        slow += [f"{name} ({label}): {t:.2f} s" for name, t in table.items() if t > SLOW_SECONDS]

    if not args.no_memory:
        peaks = {}
        for path in files:
            data = path.read_bytes()
            tracemalloc.start()
            try:
                timed(read_outcome, data, path.name)
            except Exception:
                pass  # already reported above
            peaks[path.name] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        worst = max(peaks, key=peaks.get)
        print(
            f"read_workbook peak allocation (tracemalloc): max {peaks[worst] / 2**20:.1f} MiB ({worst}), "
            f"p50 {statistics.median(peaks.values()) / 2**20:.2f} MiB"
        )
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

    print(f"\nunexpected exceptions or hangs: {len(unexpected)}")
    for line in unexpected:
        print(f"  {line}")
    print(f"files slower than {SLOW_SECONDS:.0f} s: {len(slow)}")
    for line in slow:
        print(f"  {line}")
    return 1 if unexpected or slow else 0


if __name__ == "__main__":
    sys.exit(main())
