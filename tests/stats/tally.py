#!/usr/bin/env python3
"""Tally the comparisons of a proof run (tests/stats/t0100-noise.sh).

tally.py DIR: DIR holds aa-N.json (the program against itself) and ab-N.json
(the program with hot slowed down against it), the --report JSON of each
comparison. Prints what was flagged and exits 1 when the proof fails:
more than 1 A/A comparison flagging anything, hot not flagged as grown in
at least all but one A/B comparison, hot flagged with the wrong sign, or
another function flagged in more than one A/B comparison.
"""
import glob
import json
import os
import sys


def load(pattern):
    docs = []
    for path in sorted(glob.glob(pattern)):
        with open(path) as f:
            docs.append((os.path.basename(path), json.load(f)))
    return docs


def significant(doc):
    return [c for c in doc["changes"] if c["significant"]]


def side(s):
    """A side of a tested share: mean, spread, and the runs set aside."""
    aside = ", %d set aside" % s["set_aside"] if s.get("set_aside") else ""
    return "%.2f%% (sd %.2f%s)" % (100 * s["mean"], 100 * s["sd"], aside)


def describe(c):
    """One tested function of a report in a line: share, means, spreads, p."""
    return "%s %s -> %s, %+.2f points, p=%.2g" % (
        c["share"], side(c["base"]), side(c["new"]), c["change_points"], c["p"])


def main():
    d = sys.argv[1]
    aa, ab = load(os.path.join(d, "aa-*.json")), load(os.path.join(d, "ab-*.json"))
    if not aa or len(aa) != len(ab):
        print("tally: %d A/A and %d A/B reports" % (len(aa), len(ab)))
        return 1
    n = len(aa)
    bad = 0
    aa_flagged = [(name, significant(doc)) for name, doc in aa if significant(doc)]
    print("A/A: %d of %d comparisons flagged something (at most 1 allowed)"
          % (len(aa_flagged), n))
    for name, flags in aa_flagged:
        for c in flags:
            print("  %s: %s flagged: %s" % (name, c["function"], describe(c)))
    if len(aa_flagged) > 1 or not all(doc["tested"] for _, doc in aa):
        bad = 1
    grew, wrong, others, growth, missed, flagged = 0, 0, {}, [], [], []
    for name, doc in ab:
        flags = significant(doc)
        hot = [c for c in flags if c["function"] == "hot"]
        if any(c["change_points"] > 0 for c in hot):
            grew += 1
            growth.append(max(c["change_points"] for c in hot))
        else:
            missed.append((name, [c for c in doc["changes"] if c["function"] == "hot"]))
        if any(c["change_points"] < 0 for c in hot):
            wrong += 1
        for c in flags:
            if c["function"] != "hot":
                others.setdefault(c["function"], set()).add(name)
                flagged.append("  %s: %s flagged: %s" % (name, c["function"], describe(c)))
    print("A/B: hot flagged as grown in %d of %d comparisons (at least %d needed), "
          "with the wrong sign in %d; growth %.2f to %.2f points"
          % (grew, n, n - 1, wrong, min(growth or [0]), max(growth or [0])))
    for name, rows in missed:
        print("  %s: hot not flagged: %s" % (name, "; ".join(describe(c) for c in rows)
                                           or "not tested"))
    worst = max((len(v) for v in others.values()), default=0)
    print("A/B: other functions flagged: %s (each in at most 1 comparison allowed)"
          % (", ".join("%s in %d" % (k, len(v)) for k, v in sorted(others.items()))
             or "none"))
    for line in flagged:
        print(line)
    if grew < n - 1 or wrong or worst > 1:
        bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
