"""Matched-cycle trends: how a process's scores changed since the previous IMRF edition's cycle,
over the states that submitted in both cycles only (a state that joins or leaves the count never
makes a trend).

Both cycles are scored again over those matched states by the one scoring method, and every change
is the exact difference of the exact scores: rounding for people happens on the change, never on
the difference of rounded figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from gcmtrack.reference.framework import Framework
from gcmtrack.scoring import ProcessScore, score_process
from gcmtrack.submission import Submission


def exact_change(before: Fraction | None, now: Fraction | None) -> Fraction | None:
    """`now - before`, exactly; None when either side has no score."""
    return None if before is None or now is None else now - before


@dataclass(frozen=True)
class MatchedTrends:
    """A process's scores in the previous cycle and now, over the same states."""

    previous_cycle: int
    states: tuple[str, ...]  # the states that submitted in both cycles, in the order of `now`'s submissions
    before: ProcessScore  # the previous cycle, these states only
    now: ProcessScore  # this cycle, these states only

    def change(self, kind: str, key: int | None = None) -> Fraction | None:
        """The exact change of a process figure: `kind` "overall", or "objectives" / "round_tables"
        with the objective's or round table's number as `key`."""
        before, now = self.before.exact[kind], self.now.exact[kind]
        if key is not None:
            before, now = before.get(key), now.get(key)
        return exact_change(before, now)

    def state_change(self, code: str, kind: str = "overall", key: int | None = None) -> Fraction | None:
        """The exact change of one matched state's figure (same `kind` and `key` as `change`);
        None for a state that did not submit in both cycles."""
        if code not in self.before.states or code not in self.now.states:
            return None
        before, now = self.before.states[code].exact[kind], self.now.states[code].exact[kind]
        if key is not None:
            before, now = before.get(key), now.get(key)
        return exact_change(before, now)


def matched_trends(process_id: str, cycle: int, now: Mapping[str, Submission], previous_cycle: int,
                   then: Mapping[str, Submission], framework: Framework) -> MatchedTrends | None:
    """The trends of a process since `previous_cycle` over the states in both `now` (this cycle's
    counted submissions) and `then` (the previous cycle's); None when no state is in both."""
    matched = tuple(code for code in now if code in then)
    if not matched:
        return None
    return MatchedTrends(
        previous_cycle=previous_cycle,
        states=matched,
        before=score_process(process_id, previous_cycle, matched, {c: then[c] for c in matched}, framework),
        now=score_process(process_id, cycle, matched, {c: now[c] for c in matched}, framework),
    )
