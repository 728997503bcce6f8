#!/usr/bin/env python3
"""Compare our psutil CLI's JSON with the real psutil's (the oracle).

    compare.py [options] ours1.json oracle.json ours2.json

ours1 and ours2 are `psutil procinfo --all --json` (or `--module --json`)
outputs taken just before and just after the oracle dump made by
dump_psutil.py, so a value that moves on its own (CPU times, counters,
memory) is right when the oracle's value lies between ours1 and ours2.

Plain python3, standard library only: this must not import psutil.
Exit status: 0 all good, 1 mismatches (or too little was compared),
2 bad input.
"""

import argparse
import json
import re
import math
import sys
from collections import defaultdict

MAX_LINES = 60

# ---------------------------------------------------------------------------
# Per-attribute rules (process mode)
#
#   exact   the oracle must equal ours1 or ours2 (deep equality)
#   ctime   |oracle - ours| <= 0.011 s for ours1 or ours2
#   cpu     oracle within [min, max] of ours1/ours2, slack 0.05 s
#   mem     same, slack max(5 %, 64 KiB)
#   count   same, slack 5 % + 16
#   bytes   same, slack 5 % + 64 KiB
#   (pss fields get extra slack for the observer effect, see pss_slack)
#
# An oracle value equal to ours1 or ours2 is always accepted.
# ---------------------------------------------------------------------------

CTIME_TOL = 0.011
CPU_SLACK = 0.05


def slack(kind, lo, hi):
    big = max(abs(lo), abs(hi))
    if kind == "cpu":
        return CPU_SLACK
    if kind == "mem":
        return max(0.05 * big, 64 * 1024)
    if kind == "count":
        return 0.05 * big + 16
    if kind == "bytes":
        return 0.05 * big + 64 * 1024
    raise ValueError(kind)


MEM_FIELDS = ["rss", "vms", "shared", "text", "lib", "data", "dirty", "uss", "pss", "swap"]
MAP_FIELDS = ["rss", "size", "pss", "shared_clean", "shared_dirty", "private_clean",
              "private_dirty", "referenced", "anonymous", "swap"]

# attr -> ("scalar", rule) | ("fields", {field: rule}) | ("keyed", key, {field: rule})
RULES = {
    "pid": ("scalar", "exact"),
    "name": ("scalar", "exact"),
    "exe": ("scalar", "exact"),
    "cmdline": ("scalar", "exact"),
    "username": ("scalar", "exact"),
    "uids": ("scalar", "exact"),
    "gids": ("scalar", "exact"),
    "terminal": ("scalar", "exact"),
    "cwd": ("scalar", "exact"),
    "environ": ("scalar", "exact"),
    "nice": ("scalar", "exact"),
    "ionice": ("scalar", "exact"),
    "cpu_affinity": ("scalar", "exact"),
    "ppid": ("scalar", "exact"),  # can change (reparenting): either side will do
    "status": ("scalar", "exact"),
    "cpu_num": ("scalar", "exact"),
    "num_threads": ("scalar", "exact"),
    "num_fds": ("scalar", "exact"),
    "create_time": ("scalar", "ctime"),
    "cpu_times": ("fields", {f: "cpu" for f in ["user", "system", "children_user",
                                                "children_system", "iowait"]}),
    "memory_info": ("fields", {f: "mem" for f in MEM_FIELDS}),
    "memory_full_info": ("fields", {f: "mem" for f in MEM_FIELDS}),
    "num_ctx_switches": ("fields", {"voluntary": "count", "involuntary": "count"}),
    "io_counters": ("fields", {"read_count": "count", "write_count": "count",
                               "read_bytes": "bytes", "write_bytes": "bytes",
                               "read_chars": "bytes", "write_chars": "bytes"}),
    "threads": ("keyed", "id", {"id": "exact", "user_time": "cpu", "system_time": "cpu"}),
    "open_files": ("keyed", "fd", {"path": "exact", "fd": "exact", "position": "bytes",
                                   "mode": "exact", "flags": "exact"}),
    "memory_maps": ("keyed", "path", dict({"path": "exact"}, **{f: "mem" for f in MAP_FIELDS})),
}

# Values a running process can change back and forth on its own. When the
# process was visibly active between ours1 and ours2, a mismatch here is
# reported as "unstable" and does not fail (quiet processes, e.g. the helpers
# run_differential.sh spawns, are still checked strictly). kworker names
# change with the work queue they last served, hence "name".
VOLATILE = {"status", "cpu_num", "num_threads", "num_fds", "memory_info",
            "memory_full_info", "memory_maps", "open_files", "threads", "cwd",
            "name"}

# What tells us a process did something between ours1 and ours2.
ACTIVITY_ATTRS = ["num_ctx_switches", "cpu_times", "io_counters", "threads",
                  "num_threads", "num_fds", "memory_info", "status", "cpu_num"]


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def deep_eq(a, b):
    """JSON equality; ints and floats compare by value, bools are not numbers."""
    if is_num(a) and is_num(b):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(deep_eq(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(deep_eq(x, y) for x, y in zip(a, b))
    return a == b


def intkey(k):
    """Sort key / pid for the string keys of module dumps."""
    try:
        return int(k)
    except (TypeError, ValueError):
        return -1


def leaves(v):
    """How many scalar values a JSON value holds (at least 1)."""
    if isinstance(v, dict):
        return max(1, sum(leaves(x) for x in v.values()))
    if isinstance(v, list):
        return max(1, sum(leaves(x) for x in v))
    return 1


def short(v, width=48):
    s = json.dumps(v, sort_keys=True, ensure_ascii=False)
    return s if len(s) <= width else s[: width - 3] + "..."


def narrow(o1, orc, o2):
    """Cut big values down to what differs, for printing.

    Objects keep only the keys where the oracle differs from ours1 or ours2;
    long lists of plain values become {"-": only in ours1, "+": only in oracle}.
    """
    if all(isinstance(x, dict) for x in (o1, orc, o2)):
        keys = [k for k in sorted(set(o1) | set(orc) | set(o2))
                if not (deep_eq(orc.get(k), o1.get(k)) and deep_eq(orc.get(k), o2.get(k)))]
        return tuple({k: x.get(k, "<none>") for k in keys} for x in (o1, orc, o2))
    if all(isinstance(x, list) for x in (o1, orc)) and len(o1) + len(orc) > 8:
        try:
            s1, so = set(o1), set(orc)
        except TypeError:  # unhashable items (objects)
            return o1, orc, o2
        if s1 != so:
            return ({"-": sorted(s1 - so, key=str)}, {"+": sorted(so - s1, key=str)},
                    "<as ours1>" if isinstance(o2, list) and set(o2) == s1 else o2)
    return o1, orc, o2


def check_scalar(rule, o1, orc, o2, extra_slack=0):
    """True if the oracle's value is acceptable under `rule`."""
    if deep_eq(orc, o1) or deep_eq(orc, o2):
        return True
    if rule == "exact":
        return False
    if not (is_num(orc) and is_num(o1) and is_num(o2)):
        return False
    if any(isinstance(x, float) and not math.isfinite(x) for x in (orc, o1, o2)):
        return False
    if rule == "ctime":
        return abs(orc - o1) <= CTIME_TOL or abs(orc - o2) <= CTIME_TOL
    lo, hi = min(o1, o2), max(o1, o2)
    s = slack(rule, lo, hi) + extra_slack
    return lo - s <= orc <= hi + s


# Map fields whose split moves with the number of mappers: compared as sums.
SPLIT_PAIRS = {
    "shared_clean": ("shared_clean", "private_clean"),
    "private_clean": ("shared_clean", "private_clean"),
    "shared_dirty": ("shared_dirty", "private_dirty"),
    "private_dirty": ("shared_dirty", "private_dirty"),
}


def pss_slack(entries, shared_of):
    """Extra slack for a Pss value: Pss divides each shared page by its number
    of mappers, which our own dump processes and the oracle change (observer
    effect). With N >= 2 mappers one more moves a page's share by <= 1/6;
    allow 1/4 of the largest shared size seen."""
    sizes = [shared_of(e) for e in entries if isinstance(e, dict)]
    sizes = [x for x in sizes if is_num(x)]
    return max(sizes) / 4 if sizes else 0


def shared_in_full_info(d):
    if is_num(d.get("rss")) and is_num(d.get("uss")):
        return d["rss"] - d["uss"]
    return None


def shared_in_map(d):
    if is_num(d.get("shared_clean")) and is_num(d.get("shared_dirty")):
        return d["shared_clean"] + d["shared_dirty"]
    return None


# ---------------------------------------------------------------------------
# result bookkeeping
# ---------------------------------------------------------------------------

class Report:
    def __init__(self, allow_attrs, allow_pid_attrs):
        self.allow_attrs = allow_attrs
        self.allow_pid_attrs = allow_pid_attrs
        self.values = 0
        # attr -> counters
        self.table = defaultdict(lambda: {"pids": 0, "values": 0, "bad": 0,
                                          "unstable": 0, "allowed": 0})
        self.problems = []  # (status, pid, label, o1, orc, o2)
        self.notes = []
        self.fatal = []

    def compared(self, attr, nvalues, pid_counted=True):
        self.values += nvalues
        row = self.table[attr]
        row["values"] += nvalues
        if pid_counted:
            row["pids"] += 1

    def mismatch(self, pid, attr, label, o1, orc, o2, volatile_ok=False):
        if pid is not None and (pid, attr) in self.allow_pid_attrs:
            status = "allowed"
        elif attr in self.allow_attrs:
            status = "allowed"
        elif volatile_ok:
            status = "unstable"
        else:
            status = "bad"
        self.table[attr][status] += 1
        self.problems.append((status, pid, label, o1, orc, o2))

    def failed(self):
        return bool(self.fatal) or any(p[0] == "bad" for p in self.problems)

    def print(self, header):
        out = [header]
        out.extend(self.notes)
        out.append("values compared: %d" % self.values)
        bad = [p for p in self.problems if p[0] == "bad"]
        others = [p for p in self.problems if p[0] != "bad"]
        out.append("mismatches: %d failing, %d allowed, %d unstable (process active)"
                   % (len(bad), sum(p[0] == "allowed" for p in others),
                      sum(p[0] == "unstable" for p in others)))
        lines = []
        for status, pid, label, o1, orc, o2 in bad + others:
            tag = {"bad": "MISMATCH", "allowed": "allowed ", "unstable": "unstable"}[status]
            o1, orc, o2 = narrow(o1, orc, o2)
            lines.append("  %s pid=%s %s: ours1=%s oracle=%s ours2=%s"
                         % (tag, pid if pid is not None else "-", label,
                            short(o1), short(orc), short(o2)))
        if len(lines) > MAX_LINES:
            extra = len(lines) - MAX_LINES
            lines = lines[:MAX_LINES] + ["  ... %d more not shown" % extra]
        out.extend(lines)
        if self.table:
            w = max(len(a) for a in self.table)
            out.append("%-*s %6s %8s %6s %8s %7s"
                       % (w, "attribute", "pids", "values", "bad", "unstable", "allowed"))
            for attr in sorted(self.table):
                r = self.table[attr]
                out.append("%-*s %6d %8d %6d %8d %7d"
                           % (w, attr, r["pids"], r["values"], r["bad"],
                              r["unstable"], r["allowed"]))
        for f in self.fatal:
            out.append("FAIL: " + f)
        out.append("RESULT: " + ("FAIL" if self.failed() else "OK"))
        print("\n".join(out))


# ---------------------------------------------------------------------------
# process mode
# ---------------------------------------------------------------------------

def by_pid(data, which, rep):
    if not isinstance(data, list):
        raise SystemExit("compare: %s: expected a JSON list of processes" % which)
    out = {}
    prev = None
    for obj in data:
        pid = obj.get("pid") if isinstance(obj, dict) else None
        if not is_num(pid) or isinstance(pid, float):
            raise SystemExit("compare: %s: entry without an integer pid: %s"
                             % (which, short(obj, 200)))
        if prev is not None and pid <= prev:
            rep.mismatch(None, "format", "%s not sorted by ascending pid (%d after %d)"
                         % (which, pid, prev), None, None, None)
        prev = pid
        out[pid] = obj
    return out


def same_process(a, b):
    """Do two snapshots of a pid show the same process (create_time, name)?"""
    return (is_num(a.get("create_time")) and is_num(b.get("create_time"))
            and abs(a["create_time"] - b["create_time"]) <= CTIME_TOL
            and deep_eq(a.get("name"), b.get("name")))


def is_active(p1, p2):
    """Did this process visibly do anything between ours1 and ours2?"""
    return any(a in p1 and a in p2 and not deep_eq(p1[a], p2[a]) for a in ACTIVITY_ATTRS)


def compare_keyed(rep, pid, attr, key, fields, o1, orc, o2, active):
    """Lists of objects matched by `key` (threads by id, files by fd, ...)."""
    vol = active and attr in VOLATILE
    if not all(isinstance(x, list) for x in (o1, orc, o2)):
        rep.compared(attr, leaves(orc))
        if not (deep_eq(orc, o1) or deep_eq(orc, o2)):
            rep.mismatch(pid, attr, attr, o1, orc, o2, vol)
        return

    def index(lst):
        return {e.get(key) if isinstance(e, dict) else None: e for e in lst}

    m1, mo, m2 = index(o1), index(orc), index(o2)
    k1, ko, k2 = set(m1), set(mo), set(m2)
    nvalues = 0
    # Membership: whatever ours saw both times must be in the oracle; if ours
    # saw the same set both times, the oracle must not have more.
    for k in sorted(k1 & k2 - ko, key=str):
        rep.mismatch(pid, attr, "%s[%s=%s] missing in oracle" % (attr, key, k),
                     m1[k], None, m2[k], vol)
    if k1 == k2:
        for k in sorted(ko - k1, key=str):
            rep.mismatch(pid, attr, "%s[%s=%s] missing in ours" % (attr, key, k),
                         None, mo[k], None, vol)
    common = [k for k in (e.get(key) for e in orc if isinstance(e, dict))
              if k in k1 and k in k2]
    # Order matters too (psutil sorts thread ids as strings, maps are in
    # first-seen order, ...): common keys must come in the same order.
    def order(lst):
        return [k for k in (e.get(key) for e in lst if isinstance(e, dict)) if k in set(common)]

    if order(o1) != common:
        rep.mismatch(pid, attr, "%s order of %s" % (attr, key), order(o1), common, order(o2))
    for k in common:
        e1, eo, e2 = m1[k], mo[k], m2[k]
        names = set(eo) | set(e1) | set(e2)
        for f in sorted(names):
            if f not in eo:
                rep.mismatch(pid, attr, "%s[%s=%s].%s missing in oracle" % (attr, key, k, f),
                             e1.get(f), None, e2.get(f), vol)
                continue
            rule = fields.get(f, "exact")
            extra = pss_slack((e1, eo, e2), shared_in_map) if f == "pss" else 0
            nvalues += 1
            pair = SPLIT_PAIRS.get(f)
            if pair and all(is_num(e.get(g)) for e in (e1, eo, e2) for g in pair):
                # Whether a resident page counts as shared or private depends
                # on how many processes map it at that instant, and the
                # measuring tools map common libraries themselves (observer
                # effect): compare the clean (dirty) total, not its split.
                tot = [e[pair[0]] + e[pair[1]] for e in (e1, eo, e2)]
                if not check_scalar(rule, tot[0], tot[1], tot[2], extra):
                    rep.mismatch(pid, attr, "%s[%s=%s].%s+%s" % (attr, key, k, pair[0], pair[1]),
                                 tot[0], tot[1], tot[2], vol)
                continue
            if not check_scalar(rule, e1.get(f), eo[f], e2.get(f), extra):
                rep.mismatch(pid, attr, "%s[%s=%s].%s" % (attr, key, k, f),
                             e1.get(f), eo[f], e2.get(f), vol)
    rep.compared(attr, max(nvalues, 1))


def compare_attr(rep, pid, attr, o1, orc, o2, active):
    kind = RULES.get(attr, ("scalar", "exact"))
    vol = active and attr in VOLATILE
    if kind[0] == "keyed":
        compare_keyed(rep, pid, attr, kind[1], kind[2], o1, orc, o2, active)
        return
    if kind[0] == "fields" and all(isinstance(x, dict) for x in (o1, orc, o2)):
        fields = kind[1]
        for f in sorted(set(orc) | set(o1) | set(o2)):
            if f not in orc or f not in o1 or f not in o2:
                rep.mismatch(pid, attr, "%s.%s present only in some dumps" % (attr, f),
                             o1.get(f), orc.get(f), o2.get(f), vol)
                continue
            extra = pss_slack((o1, orc, o2), shared_in_full_info) if f == "pss" else 0
            if not check_scalar(fields.get(f, "exact"), o1[f], orc[f], o2[f], extra):
                rep.mismatch(pid, attr, "%s.%s" % (attr, f), o1[f], orc[f], o2[f], vol)
        rep.compared(attr, max(len(orc), 1))
        return
    rule = kind[1] if kind[0] == "scalar" else "exact"
    rep.compared(attr, leaves(orc))
    if not check_scalar(rule, o1, orc, o2):
        rep.mismatch(pid, attr, attr, o1, orc, o2, vol)


def compare_processes(d1, do, d2, args, rep):
    p1, po, p2 = by_pid(d1, "ours1", rep), by_pid(do, "oracle", rep), by_pid(d2, "ours2", rep)

    in_all = sorted(set(p1) & set(po) & set(p2))
    stable, changed = [], []
    for pid in in_all:
        # Same process in ours1 and ours2 (then also at oracle time: a pid
        # cannot be reused and come back with the old create time). The
        # oracle's own name/create_time are then compared like any attribute,
        # so a wrong name or create time in ours is reported, not excluded.
        (stable if same_process(p1[pid], p2[pid]) else changed).append(pid)

    # A pid ours saw twice as the same process must be in psutil's list too.
    for pid in sorted(set(p1) & set(p2) - set(po)):
        if same_process(p1[pid], p2[pid]):
            rep.mismatch(pid, "pid-set", "listed by ours1 and ours2, not by psutil",
                         p1[pid].get("name"), None, p2[pid].get("name"))
    # A process psutil saw that had started well before ours1 (--t0) was
    # alive during the whole ours1 run, so ours1 must have listed it.
    oracle_only = sorted(set(po) - set(p1) - set(p2))
    if args.t0 is not None:
        for pid in sorted(set(po) - set(p1)):
            ct = po[pid].get("create_time")
            if is_num(ct) and ct < args.t0 - 1.0:  # create_time may be ~1 s early
                rep.mismatch(pid, "pid-set", "started before ours1, not listed by ours1",
                             None, po[pid].get("name"), p2.get(pid, {}).get("name"))

    attrs = set()
    for pid in stable:
        attrs |= set(po[pid])
    attrs = sorted(attrs)

    rep.notes.append("pids: ours1=%d oracle=%d ours2=%d, in all three=%d, "
                     "stable=%d, changed in between (excluded)=%d, oracle-only=%d"
                     % (len(p1), len(po), len(p2), len(in_all), len(stable),
                        len(changed), len(oracle_only)))
    if changed:
        rep.notes.append("excluded pids: " + ", ".join(
            "%d(%s)" % (pid, p1[pid].get("name")) for pid in changed[:20])
            + (" ..." if len(changed) > 20 else ""))
    rep.notes.append("compared %d attributes x %d pids: %s"
                     % (len(attrs), len(stable), ",".join(attrs)))

    skipped = defaultdict(int)
    for pid in stable:
        a, o, b = p1[pid], po[pid], p2[pid]
        active = is_active(a, b)
        for attr in attrs:
            if attr not in o:
                skipped[attr] += 1  # oracle has no value (e.g. kthread environ)
                continue
            if attr not in a or attr not in b:
                rep.compared(attr, 1)
                rep.mismatch(pid, attr, attr + " missing in ours", a.get(attr, "<missing>"),
                             o[attr], b.get(attr, "<missing>"))
                continue
            compare_attr(rep, pid, attr, a[attr], o[attr], b[attr], active)
    if skipped:
        rep.notes.append("not compared (no oracle value): " + ", ".join(
            "%s x%d" % kv for kv in sorted(skipped.items())))

    for pid in args.require_pids:
        if pid not in stable:
            rep.fatal.append("required pid %d was not compared (%s)" % (
                pid, "changed in between" if pid in changed else
                "missing from " + ",".join(n for n, d in (("ours1", p1), ("oracle", po),
                                                          ("ours2", p2)) if pid not in d)))
    if not stable:
        rep.fatal.append("no process could be compared")
    elif len(stable) < args.min_stable * len(in_all):
        rep.fatal.append("only %d of %d common pids were stable (< %.0f%%); "
                         "do ours' create_time/name agree between runs?"
                         % (len(stable), len(in_all), 100 * args.min_stable))


# ---------------------------------------------------------------------------
# module mode
# ---------------------------------------------------------------------------

MODULE_KEYS = ["pids", "pid_exists", "parent", "children", "children_recursive"]


def compare_module(d1, do, d2, args, rep):
    for name, d in (("ours1", d1), ("oracle", do), ("ours2", d2)):
        missing = [k for k in MODULE_KEYS if k not in d]
        if missing:
            rep.fatal.append("%s lacks %s" % (name, ", ".join(missing)))
    if rep.fatal:
        return

    # pids(): sorted; whatever ours listed both times must be in the oracle.
    s1, so, s2 = set(d1["pids"]), set(do["pids"]), set(d2["pids"])
    for name, d in (("ours1", d1), ("ours2", d2)):
        if d["pids"] != sorted(set(d["pids"])):
            rep.mismatch(None, "pids", "%s pids() not sorted/unique" % name, None, None, None)
    stable = s1 & s2
    rep.compared("pids", len(stable), pid_counted=False)
    for pid in sorted(stable - so):
        rep.mismatch(pid, "pids", "in ours1 and ours2 pids(), not in psutil's", True, False, True)
    rep.notes.append("pids: ours1=%d oracle=%d ours2=%d stable=%d, oracle-only=%d "
                     "(transient, e.g. the oracle itself)"
                     % (len(s1), len(so), len(s2), len(stable), len(so - s1 - s2)))

    # pid_exists(): the probes all three made, where ours answered the same twice.
    e1, eo, e2 = d1["pid_exists"], do["pid_exists"], d2["pid_exists"]
    common = sorted(set(e1) & set(eo) & set(e2), key=intkey)
    n = 0
    for k in common:
        if e1[k] != e2[k]:
            continue
        n += 1
        rep.compared("pid_exists", 1)
        if not deep_eq(e1[k], eo[k]):
            rep.mismatch(intkey(k), "pid_exists", "pid_exists(%s)" % k, e1[k], eo[k], e2[k])
    rep.notes.append("pid_exists: oracle probes=%d, probed by all three=%d, compared=%d"
                     % (len(eo), len(common), n))
    if len(eo) and len(common) < 0.5 * len(eo):
        rep.fatal.append("ours probed only %d of the oracle's %d pid_exists values "
                         "(same probe rule? see README.md)" % (len(common), len(eo)))

    # parent()/children(): pids ours listed both times (pid reuse in between
    # is not detectable here, but improbable).
    n_rel = 0
    for attr in ("parent", "children", "children_recursive"):
        m1, mo, m2 = d1[attr], do[attr], d2[attr]
        for k in sorted(set(m1) & set(mo) & set(m2), key=intkey):
            if intkey(k) not in stable:
                continue
            a, o, b = m1[k], mo[k], m2[k]
            n_rel += 1
            if attr == "parent":
                rep.compared(attr, 1)
                if not (deep_eq(o, a) or deep_eq(o, b)):
                    rep.mismatch(intkey(k), attr, "parent()", a, o, b)
                continue
            rep.compared(attr, leaves(o))
            if deep_eq(o, a) or deep_eq(o, b):
                continue
            if not all(isinstance(x, list) for x in (a, o, b)):
                rep.mismatch(intkey(k), attr, attr + "()", a, o, b)
                continue
            # Children come and go (our own dump processes are children of
            # the harness shell): the ones ours saw both times must be there,
            # and if ours saw the same set both times it must match exactly.
            if not set(a) & set(b) <= set(o) or (set(a) == set(b) and set(o) != set(a)):
                rep.mismatch(intkey(k), attr, attr + "()", a, o, b)
        for name, m, mine in (("ours1", m1, d1), ("ours2", m2, d2)):
            gone = [p for p in mine["pids"] if str(p) not in m and str(p) in mo]
            if len(gone) > max(5, 0.1 * len(mine["pids"])):
                rep.fatal.append("%s has no %s entry for %d pids psutil reported"
                                 % (name, attr, len(gone)))
    if n_rel == 0:
        rep.fatal.append("no parent/children values could be compared")


# ---------------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ours1")
    ap.add_argument("oracle")
    ap.add_argument("ours2")
    ap.add_argument("--allow", action="append", default=[], metavar="ATTR[,ATTR]",
                    help="attributes whose mismatches are reported but do not fail")
    ap.add_argument("--allow-pid-attr", action="append", default=[], metavar="PID:ATTR",
                    help="one (pid, attribute) exception; repeatable or comma-separated")
    ap.add_argument("--require-pids", default="", metavar="PID[,PID]",
                    help="fail unless these pids were compared (process mode)")
    ap.add_argument("--t0", type=float, metavar="EPOCH",
                    help="wall-clock time just before ours1 started: psutil-only "
                         "processes created before it mean ours missed them")
    ap.add_argument("--min-stable", type=float, default=0.5, metavar="FRACTION",
                    help="fail if fewer than this fraction of the common pids is "
                         "stable (default 0.5)")
    args = ap.parse_args(argv)
    args.allow_attrs = {a.strip() for s in args.allow for a in s.split(",") if a.strip()}
    args.allow_pid_attrs = set()
    for s in args.allow_pid_attr:
        for item in s.split(","):
            if not item.strip():
                continue
            pid, sep, attr = item.strip().partition(":")
            if not sep or not pid.isdigit() or not attr:
                ap.error("bad --allow-pid-attr item %r (want PID:ATTR)" % item)
            args.allow_pid_attrs.add((int(pid), attr))
    try:
        args.require_pids = [int(x) for x in args.require_pids.split(",") if x.strip()]
    except ValueError:
        ap.error("bad --require-pids")
    return args


_BAD_BYTES = re.compile("[\udc80-\udcff\ufffd]+")


def normalize_text(v):
    """Our strings are UTF-8: invalid bytes become U+FFFD, where psutil keeps
    them as lone surrogates (surrogateescape). Both sides are reduced to one
    U+FFFD per run of undecodable bytes (a documented difference; the raw
    bytes are available from Process::cmdline_os)."""
    if isinstance(v, str):
        return _BAD_BYTES.sub("\ufffd", v)
    if isinstance(v, list):
        return [normalize_text(x) for x in v]
    if isinstance(v, dict):
        return {normalize_text(k): normalize_text(x) for k, x in v.items()}
    return v


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return normalize_text(json.load(f))
    except (OSError, ValueError) as e:
        print("compare: cannot read %s: %s" % (path, e), file=sys.stderr)
        sys.exit(2)


def main(argv=None):
    args = parse_args(argv)
    d1, do, d2 = load(args.ours1), load(args.oracle), load(args.ours2)
    kinds = {"module" if isinstance(d, dict) and "pids" in d else
             "processes" if isinstance(d, list) else "unknown" for d in (d1, do, d2)}
    if len(kinds) != 1 or "unknown" in kinds:
        print("compare: the three files must all be process lists or all module "
              "dumps (got %s)" % ", ".join(sorted(kinds)), file=sys.stderr)
        return 2
    kind = kinds.pop()
    rep = Report(args.allow_attrs, args.allow_pid_attrs)
    if kind == "module":
        compare_module(d1, do, d2, args, rep)
    else:
        compare_processes(d1, do, d2, args, rep)
    rep.print("== compare (%s): ours1=%s oracle=%s ours2=%s"
              % (kind, args.ours1, args.oracle, args.ours2))
    return 1 if rep.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
