#!/usr/bin/env python3
"""Compare a `vigil scan examples/org --format json` result with expected.json.

Usage:  go run ./cmd/vigil scan examples/org --format json > /tmp/scan.json
        python3 examples/tools/check_expected.py /tmp/scan.json [--extra]

Reads expected.json and every expected-<cloud>.json beside it. Reports planted misconfigurations that are not FAIL (with the status the scan
gave, or "absent"), documented-clean resources that have a FAIL, and with
--extra the FAILs that expected.json does not mention. Exit status 1 when a
planted finding is missing or a clean resource fails.
"""

import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(os.path.dirname(HERE), "org", "expected.json")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        scan = json.load(f)
    # expected.json and the per-cloud expected-<cloud>.json beside it
    exp = {"planted": [], "clean": [], "incidental": []}
    folder = os.path.dirname(EXPECTED)
    for name in sorted(os.listdir(folder)):
        if name == "expected.json" or (name.startswith("expected-") and name.endswith(".json")):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                part = json.load(f)
            for key in exp:
                exp[key] += part.get(key) or []
    status = {}
    fails = collections.defaultdict(list)
    ids = set()
    for fd in scan.get("findings") or []:
        rid = fd["resource"]["id"]
        ids.add(rid)
        status[(fd["rule_id"], rid)] = fd["status"]
        if fd["status"] == "FAIL":
            fails[rid].append(fd["rule_id"])
    bad = 0
    missing = [p for p in exp["planted"] if status.get((p["rule_id"], p["resource_id"])) != "FAIL"]
    for p in missing:
        st = status.get((p["rule_id"], p["resource_id"]))
        if st is None:
            st = "absent (resource %s)" % ("seen" if p["resource_id"] in ids else "not in findings")
        print("MISSING  %-45s %-8s %s  [%s]" % (p["rule_id"], st, p["resource_id"], p["why"]))
    for c in exp["clean"]:
        if c["resource_id"] not in ids:
            print("UNSEEN   clean resource has no finding at all (ID mismatch?): %s" % c["resource_id"])
        bad_rules = sorted(set(fails.get(c["resource_id"], ())) - set(c.get("planted_rules", ())))
        if bad_rules:
            print("NOTCLEAN %s: %s" % (c["resource_id"], ", ".join(bad_rules)))
            bad += 1
    planted = {(p["rule_id"], p["resource_id"]) for p in exp["planted"]}
    incidental = exp.get("incidental") or []
    if "--extra" in sys.argv:
        for (rule, rid), st in sorted(status.items()):
            if st == "FAIL" and (rule, rid) not in planted:
                known = any(i["rule_id"] == rule and i["resource_id_contains"] in rid for i in incidental)
                print("%s %-45s %s" % ("INCIDENT" if known else "EXTRA   ", rule, rid))
    print("planted flagged %d/%d; clean resources with a FAIL %d/%d"
          % (len(exp["planted"]) - len(missing), len(exp["planted"]), bad, len(exp["clean"])))
    return 1 if missing or bad else 0


if __name__ == "__main__":
    sys.exit(main())
