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
        print("  %s: %s" % (name, ", ".join("%s %s %+.2f p=%.2g" % (
            c["function"], c["share"], c["change_points"], c["p"]) for c in flags)))
    if len(aa_flagged) > 1 or not all(doc["tested"] for _, doc in aa):
        bad = 1
    grew, wrong, others, growth = 0, 0, {}, []
    for name, doc in ab:
        flags = significant(doc)
        hot = [c for c in flags if c["function"] == "hot"]
        if any(c["change_points"] > 0 for c in hot):
            grew += 1
            growth.append(max(c["change_points"] for c in hot))
        if any(c["change_points"] < 0 for c in hot):
            wrong += 1
        for fn in {c["function"] for c in flags if c["function"] != "hot"}:
            others.setdefault(fn, []).append(name)
    print("A/B: hot flagged as grown in %d of %d comparisons (at least %d needed), "
          "with the wrong sign in %d; growth %.2f to %.2f points"
          % (grew, n, n - 1, wrong, min(growth or [0]), max(growth or [0])))
    worst = max((len(v) for v in others.values()), default=0)
    print("A/B: other functions flagged: %s (each in at most 1 comparison allowed)"
          % (", ".join("%s in %d" % (k, len(v)) for k, v in sorted(others.items()))
             or "none"))
    if grew < n - 1 or wrong or worst > 1:
        bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
