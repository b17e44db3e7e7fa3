"""Shared helpers for the benchmark scripts: timing, peak memory, repo imports."""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@contextmanager
def measure(label: str, results: list):
    """Time a block and record the peak of Python allocations during it (tracemalloc)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results.append((label, elapsed, peak))


def print_results(title: str, results: list) -> None:
    print(f"\n{title}")
    print(f"  {'what':<58} {'time':>10} {'peak py-mem':>12}")
    for label, elapsed, peak in results:
        print(f"  {label:<58} {elapsed * 1000:>8.1f}ms {peak / 2**20:>10.1f}MB")
    print(f"  process max RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
