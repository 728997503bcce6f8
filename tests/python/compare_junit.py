"""Compare two runs of psutil's test suite (junit XML files).

Prints pass/fail/skip counts of both runs side by side and the tests that
pass with real psutil but not with ours. Exits 1 if one of those is not
listed in the not-applicable file (one test id per line, then its reason;
'#' starts a comment).
"""

import argparse
import sys
import xml.etree.ElementTree as ET

RANK = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}


def load(paths):
    out = {}
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as err:
            print(f"warning: cannot read {path}: {err}", file=sys.stderr)
            continue
        for case in root.iter("testcase"):
            cls = case.get("classname", "")
            name = case.get("name", "")
            tid = f"{cls}::{name}" if cls else name
            kinds = {child.tag for child in case}
            if "error" in kinds:
                outcome = "error"
            elif "failure" in kinds:
                outcome = "failed"
            elif "skipped" in kinds:
                outcome = "skipped"
            else:
                outcome = "passed"
            # subtests may report several times: keep the worst outcome
            prev = out.get(tid)
            if prev is None or RANK[outcome] > RANK[prev]:
                out[tid] = outcome
    return out


def node_id(tid):
    """junit `tests.test_linux.TestProcess::test_x` -> pytest
    `tests/test_linux.py::TestProcess::test_x`."""
    cls, _, name = tid.rpartition("::")
    parts = cls.split(".")
    mod = next((i for i, p in enumerate(parts) if p.startswith("test_")), len(parts) - 1)
    path = "/".join(parts[: mod + 1]) + ".py"
    return "::".join([path] + parts[mod + 1:] + [name])


def counts(results):
    c = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    for outcome in results.values():
        c[outcome] += 1
    return c


def load_na(path):
    ids = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
                if not line:
                    continue
                tid, _, reason = line.partition(" ")
                ids[tid] = reason.strip()
    except FileNotFoundError:
        pass
    return ids


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--real", nargs="+", required=True)
    ap.add_argument("--ours", nargs="+", required=True)
    ap.add_argument("--not-applicable", required=True)
    ap.add_argument("--retry", nargs="*", default=[],
                    help="junit files of a second run of the lost tests with ours; "
                         "a test that passes there counts as passed (flaky)")
    ap.add_argument("--write-unexplained",
                    help="write the pytest node ids of the unexplained lost tests here")
    args = ap.parse_args()

    real = load(args.real)
    ours = load(args.ours)
    retried = load(args.retry) if args.retry else {}
    flaky = sorted(t for t, o in retried.items() if o == "passed" and ours.get(t) != "passed")
    ours.update({t: "passed" for t in flaky})
    na = load_na(args.not_applicable)

    cr, co = counts(real), counts(ours)
    print(f"{'':12}{'real psutil':>14}{'ours':>10}")
    for k in ("passed", "failed", "error", "skipped"):
        print(f"{k:12}{cr[k]:>14}{co[k]:>10}")
    print(f"{'total':12}{len(real):>14}{len(ours):>10}")

    lost = sorted(t for t, o in real.items() if o == "passed" and ours.get(t) != "passed")
    gained = sorted(t for t, o in ours.items() if o == "passed" and real.get(t) not in (None, "passed"))
    real_pass = cr["passed"]
    kept = real_pass - len(lost)
    print(f"\npassing with real psutil: {real_pass}; also passing with ours: {kept}")
    if gained:
        print(f"passing with ours but not with real psutil: {len(gained)}")
        for t in gained:
            print(f"  + {t}  (real: {real[t]})")
    unexplained = [t for t in lost if t not in na]
    explained = [t for t in lost if t in na]
    print(f"\nlost, listed as not applicable: {len(explained)}")
    for t in explained:
        print(f"  ~ {t}  ({ours.get(t, 'missing')}): {na[t]}")
    if flaky:
        print(f"\nfailed once, passed when run again (flaky): {len(flaky)}")
        for t in flaky:
            print(f"  * {t}")
    if args.write_unexplained:
        with open(args.write_unexplained, "w", encoding="utf-8") as f:
            for t in unexplained:
                f.write(node_id(t) + "\n")
    print(f"\nlost, NOT explained: {len(unexplained)}")
    for t in unexplained:
        print(f"  - {t}  ({ours.get(t, 'missing')})")
    stale = sorted(t for t in na if t not in lost)
    if stale:
        print(f"\nnot-applicable entries that no longer apply: {len(stale)}")
        for t in stale:
            print(f"  ? {t}")
    # the plain closing line
    print(f"\n{co['passed']} passed, {co['failed'] + co['error']} failed, {co['skipped']} skipped")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
