"""Shared helpers for the benchmark scripts: timing, peak memory, repo imports."""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from typing import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def measure(label: str, step: Callable[[], object], results: list) -> None:
    """Run `step` twice: once untraced for the time, once under tracemalloc for the peak of Python
    allocations (tracemalloc slows Python several-fold, so it never times anything). `step`
    must be repeatable (e.g. write to a fresh store each call)."""
    start = time.perf_counter()
    step()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    try:
        step()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    results.append((label, elapsed, peak))


def print_results(title: str, results: list) -> None:
    print(f"\n{title}")
    print(f"  {'what':<58} {'time':>10} {'peak py-mem':>12}")
    for label, elapsed, peak in results:
        print(f"  {label:<58} {elapsed * 1000:>8.1f}ms {peak / 2**20:>10.1f}MB")
    print(f"  process max RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
