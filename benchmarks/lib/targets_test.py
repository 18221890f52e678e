#!/usr/bin/env python3
"""targets_test.py: the verdicts of the report's issue-19 targets table
(report._speed_targets) on made-up results, so that a target that stops
being checked, or is checked on the median where it must hold in every
round, fails here rather than in a reader's trust.

    python3 benchmarks/lib/targets_test.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from lib import report, suite  # noqa: E402


def run(ratio=0.95, rounds=None, overrides=None, guard=0.99, explicit=1.02, drop=()):
    """The table's verdict column, one word per target, for a suite where
    every benchmark ran at `ratio` (rounds: `rounds` or ten of `ratio`)."""
    results = {}
    for b in suite.ALL:
        if b.name in drop:
            continue
        r = (overrides or {}).get(b.name, ratio)
        rr = rounds.get(b.name) if rounds and b.name in rounds else [r] * 10
        results[b.name] = {"w2n-guard": {"scalar": {"ratio": r, "round_ratios": rr}}}
    gms = {"scalar": {"w2n-guard": guard, "w2n-explicit": explicit}}
    rows = [line for line in report._speed_targets(suite.ALL, results, gms)
            if line.startswith("| ") and not line.startswith("| target")]
    return [row.rstrip(" |").rsplit("| ", 1)[1] for row in rows]


def check(name, got, want):
    if got != want:
        print(f"FAIL {name}: want {want}, got {got}")
        return 1
    print(f"ok   {name}")
    return 0


MET = ["met", "met", "met", "met"]
fails = 0
fails += check("all within", run(), MET)
# One slow round of one shape misses, though its median is fine.
fails += check("a shape's one slow round",
               run(rounds={"lu": [1.0] * 9 + [1.21]}), ["**missed**", "met", "met", "met"])
# A shape that did not run is not a shape that passed.
fails += check("a shape missing", run(drop=("floyd",)), ["**missed**", "met", "met", "met"])
# A kernel that is no shape may have a slow round.
fails += check("a slow round elsewhere", run(rounds={"sieve": [1.0] * 9 + [1.5]}), MET)
fails += check("guard geomean", run(guard=1.001), ["met", "**missed**", "met", "met"])
fails += check("explicit geomean", run(explicit=1.051), ["met", "met", "**missed**", "met"])
fails += check("a real program", run(overrides={"jsonstat": 1.11}),
               ["met", "met", "met", "**missed**"])
fails += check("a kernel is no real program", run(overrides={"sieve": 1.15}), MET)
fails += check("nothing measured", run(drop=[b.name for b in suite.ALL], guard=None,
                                       explicit=None), ["–", "–", "–", "–"])
sys.exit(1 if fails else 0)
