#!/usr/bin/env python3
"""Helpers of tests/vm/run.sh (the kernel-matrix harness).

  vmtool.py artifacts [REGEX]      cargo's JSON messages on stdin -> one line
                                   per executable: test|bin TAB NAME TAB EXE
                                   TAB DIR (REGEX filters the test names)
  vmtool.py modules SRC DST NAME…  copy kernel modules NAME (and what they
                                   depend on) from the extracted package tree
                                   SRC to DST, decompressed (busybox insmod
                                   reads plain .ko files); prints the paths
                                   under DST in load order
  vmtool.py report LOG             the per-binary result lines of a VM run
                                   (see tests/vm/init.sh); exit status 1 if a
                                   binary failed, was cut short or never ran

Standard library only: CI runs this before any venv exists.
"""

import json
import lzma
import os
import re
import sys


def artifacts(pattern):
    """Test executables from `cargo test --no-run --message-format=json`."""
    want = re.compile(pattern) if pattern else None
    seen = set()
    for line in sys.stdin:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") != "compiler-artifact" or not msg.get("executable"):
            continue
        target = msg["target"]
        if not msg.get("profile", {}).get("test"):
            # A program the tests run (the `psutil` CLI: CARGO_BIN_EXE_psutil).
            print(f"bin\t{target['name']}\t{msg['executable']}\t-")
            continue
        # A crate's unit tests are named after the crate ("psutil" for the
        # library, "psutil" again for the CLI's main.rs): qualify them.
        kind = target["kind"][0]
        pkg = os.path.basename(os.path.dirname(msg["manifest_path"]))
        name = target["name"] if kind == "test" else f"{pkg}:{kind}"
        if want and not want.search(name):
            continue
        if name in seen:
            continue
        seen.add(name)
        print(f"test\t{name}\t{msg['executable']}\t{os.path.dirname(msg['manifest_path'])}")


def _modinfo_depends(data):
    """The `depends=` value of a module's .modinfo strings."""
    m = re.search(rb"\0depends=([^\0]*)\0", data)
    if not m or not m.group(1):
        return []
    return m.group(1).decode().split(",")


def modules(src, dst, names):
    index = {}
    for dirpath, _dirs, files in os.walk(src):
        for f in files:
            base = f.split(".ko")[0]
            if ".ko" in f:
                # Module names use '_' where file names may use '-'.
                index[base.replace("-", "_")] = os.path.join(dirpath, f)
    order, done = [], set()

    def load(name, chain):
        name = name.replace("-", "_")
        if name in done:
            return
        if name in chain:
            sys.exit(f"module dependency cycle: {' -> '.join(chain + [name])}")
        path = index.get(name)
        if path is None:
            # Built into this kernel (e.g. virtio on 6.12): nothing to load.
            print(f"vmtool: module {name} not in package (built in?)", file=sys.stderr)
            done.add(name)
            return
        with open(path, "rb") as fh:
            data = fh.read()
        if path.endswith(".xz"):
            data = lzma.decompress(data)
        for dep in _modinfo_depends(data):
            load(dep, chain + [name])
        rel = os.path.relpath(path, src).split(".ko")[0] + ".ko"
        out = os.path.join(dst, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "wb") as fh:
            fh.write(data)
        done.add(name)
        order.append(rel)

    for n in names:
        load(n, [])
    for rel in order:
        print(rel)


# ---- report ---------------------------------------------------------------

BEGIN = re.compile(r"^@@VM-BEGIN (\S+)(?: t=([\d.]+))?")
END = re.compile(r"^@@VM-END (\S+) rc=(\d+)(?: t=([\d.]+))?")
RESULT = re.compile(
    r"test result: (\w+)\. (\d+) passed; (\d+) failed; (\d+) ignored; \d+ measured; (\d+) filtered out"
)
# Tests that return early say so on their captured output ("skipped: no
# oracle venv", "SKIP: tmux is not installed"): --show-output prints it
# under "---- NAME stdout ----".
SECTION = re.compile(r"^---- (\S+) stdout ----$")
SKIPLINE = re.compile(r"^(skipped|SKIP)\b")


def report(log):
    with open(log, encoding="utf-8", errors="replace") as fh:
        lines = [l.rstrip("\r\n") for l in fh]
    kernel = next((l.split(None, 1)[1] for l in lines if l.startswith("@@VM-KERNEL ")), "?")
    boot = next((l.split(None, 1)[1] for l in lines if l.startswith("@@VM-UPTIME ")), "?")
    expected = []
    for l in lines:
        if l.startswith("@@VM-PLAN "):
            expected = l.split()[1:]
    results, cur, body, t0 = {}, None, [], None
    for l in lines:
        m = BEGIN.match(l)
        if m:
            cur, body, t0 = m.group(1), [], m.group(2)
            continue
        m = END.match(l)
        if m and cur == m.group(1):
            secs = float(m.group(3)) - float(t0) if t0 and m.group(3) else None
            results[cur] = (int(m.group(2)), body, secs)
            cur = None
            continue
        if cur is not None:
            body.append(l)
    done = next((l for l in lines if l.startswith("@@VM-DONE")), "")
    end = done.split("t=")[1] if "t=" in done else "?"
    print(f"kernel {kernel}: booted in {boot} s, done at {end} s (guest uptime)")
    bad = 0
    failures = []
    flaky = []
    for name in expected + [r for r in results if r not in expected]:
        if name not in results:
            state = "cut short" if name == cur else "never ran"
            print(f"  {name:32} FAILED: {state}")
            bad += 1
            if name == cur:
                failures.append((name, body[-60:]))
            continue
        rc, body, secs = results[name]
        # A binary that failed and passed when run again: its counts are
        # the second run's, and its first failure is shown all the same.
        retry = next((k for k, b in enumerate(body) if b.startswith("@@VM-RETRY ")), None)
        if retry is not None:
            first, body = body[:retry], body[retry + 1:]
            start = next((k for k, b in enumerate(first) if b == "failures:"), None)
            flaky.append((name, rc == 0, first[start:] if start is not None else first[-60:]))
        counts = [RESULT.search(b) for b in body]
        counts = [c for c in counts if c]
        skipped, section = set(), None
        for b in body:
            m = SECTION.match(b)
            if m:
                section = m.group(1)
            elif section and SKIPLINE.match(b):
                skipped.add(section)
        if counts:
            p = sum(int(c.group(2)) for c in counts)
            f = sum(int(c.group(3)) for c in counts)
            i = sum(int(c.group(4)) for c in counts)
            # A test that printed "skipped" may have skipped only one part
            # (e.g. the oracle comparison, then checked against `df`): it
            # counts as passed, and the report says how many said so.
            line = f"{p} passed ({len(skipped)} skipped all or part), {f} failed, {i} ignored"
        elif name.startswith("extra:"):
            line = "shell command"
        else:
            line = "no libtest summary"
        ok = rc == 0
        took = f", {secs:.0f}s" if secs is not None else ""
        print(f"  {name:32} {'ok    ' if ok else 'FAILED'} {line} (exit {rc}{took})")
        if skipped:
            print(f"  {'':32}        skipped (part): {', '.join(sorted(skipped))}")
        if not ok:
            bad += 1
            # libtest's "failures:" block, or the tail of the output; printed
            # after the table so that a log cut to its tail still shows it.
            start = next((k for k, b in enumerate(body) if b == "failures:"), None)
            shown = body[start:] if start is not None else body[-60:]
            failures.append((name, shown[:300]))
    for name, passed, shown in flaky:
        state = "passed when run again" if passed else "failed again"
        print(f"  --- {name} failed once, {state}; the first run's failures:")
        print("\n".join("    | " + b for b in shown[:300]))
    for name, shown in failures:
        print(f"  --- {name} failed:")
        print("\n".join("    | " + b for b in shown))
    if not expected and not results:
        print("  no result lines: the VM did not get to run anything")
        bad += 1
    if not any(l.startswith("@@VM-DONE") for l in lines):
        print("  the VM did not finish (no @@VM-DONE line): timeout or crash")
        bad += 1
    return 1 if bad else 0


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "artifacts":
        artifacts(args[0] if args else None)
    elif cmd == "modules":
        modules(args[0], args[1], args[2:])
    elif cmd == "report":
        sys.exit(report(args[0]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
