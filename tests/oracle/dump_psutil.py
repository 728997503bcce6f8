#!/usr/bin/env python3
"""Dump what the real psutil 7.2.2 reports, as JSON, for differential testing.

Run it with the oracle venv's interpreter (see setup_venv.sh):

    .venv-oracle/bin/python tests/oracle/dump_psutil.py [--attrs a,b] [--pids 1,2]
    .venv-oracle/bin/python tests/oracle/dump_psutil.py --module

Process mode prints a JSON list with one object per process, ascending pid,
in the same format as `psutil procinfo --all --json` (see README.md here).
Module mode prints one JSON object with pids(), pid_exists() probes and the
parent()/children() relations, like `psutil procinfo --module --json`.
"""

import argparse
import enum
import json
import os
import sys

import psutil

# Every name Process.as_dict() accepts, minus the three compared elsewhere
# (net_connections, cpu_percent, memory_percent).
DEFAULT_ATTRS = [
    "cmdline", "cpu_affinity", "cpu_num", "cpu_times", "create_time", "cwd",
    "environ", "exe", "gids", "io_counters", "ionice", "memory_full_info",
    "memory_info", "memory_maps", "name", "nice", "num_ctx_switches",
    "num_fds", "num_threads", "open_files", "pid", "ppid", "status",
    "terminal", "threads", "uids", "username",
]

# Probes for pid_exists() that never name a process (pid_max itself is one
# past the largest pid the kernel hands out).
FIXED_ABSENT_PROBES = [0, 2147483647]
N_GAP_PROBES = 5


def to_json(value):
    """Convert a psutil return value to plain JSON data.

    namedtuples become objects keyed by field name (recursively), IntEnums
    (IOPriority in ionice) become ints, tuples/lists become lists.
    """
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {f: to_json(getattr(value, f)) for f in value._fields}
    if isinstance(value, enum.Enum):
        return int(value.value)
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def dump_processes(attrs, wanted, pure_iter):
    """One p.info per process, from process_iter(attrs, ad_value=None)."""
    iter_attrs = list(attrs)
    separate_environ = "environ" in attrs and not pure_iter
    if separate_environ:
        # Kernel quirk (reference doc 2.2): on recent kernels reading
        # /proc/<kthread>/environ fails with ESRCH, so psutil raises
        # NoSuchProcess for a live kernel thread and process_iter() silently
        # drops the whole process. To keep kernel threads in the dump, environ
        # is fetched on its own and left out of the object in that case.
        iter_attrs.remove("environ")
    if not iter_attrs:
        iter_attrs = ["pid"]  # attrs=[] would mean "all attributes"

    out = []
    for proc in psutil.process_iter(iter_attrs, ad_value=None):
        if wanted is not None and proc.pid not in wanted:
            continue
        info = dict(proc.info)
        if separate_environ:
            try:
                info["environ"] = proc.environ()
            except (psutil.ZombieProcess, psutil.AccessDenied):
                info["environ"] = None  # what as_dict(ad_value=None) gives
            except psutil.NoSuchProcess:
                if not proc.is_running():
                    continue  # really gone: process_iter would drop it too
                # live process, environ undefined: omit the key
        obj = {k: to_json(v) for k, v in info.items()}
        obj["pid"] = proc.pid
        out.append(obj)
    out.sort(key=lambda o: o["pid"])
    return out


def thread_ids():
    """Ids of all threads that are not a thread-group leader."""
    tids = set()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            tasks = os.listdir("/proc/%s/task" % name)
        except OSError:
            continue
        tids.update(int(t) for t in tasks if t.isdigit() and t != name)
    return tids


def pid_exists_probes(pids):
    """The pid_exists() probe set (the Rust CLI uses the same rule):
    every pid, every non-leader thread id, 0, pid_max, 2147483647, and the
    N_GAP_PROBES smallest positive integers that are neither a pid nor a tid.
    """
    tids = thread_ids()
    taken = set(pids) | tids
    gaps = []
    n = 1
    while len(gaps) < N_GAP_PROBES:
        if n not in taken:
            gaps.append(n)
        n += 1
    with open("/proc/sys/kernel/pid_max") as f:
        pid_max = int(f.read())
    return sorted(set(pids) | tids | set(gaps) | set(FIXED_ABSENT_PROBES) | {pid_max})


def dump_module():
    pids = psutil.pids()
    pid_exists = {str(p): psutil.pid_exists(p) for p in pid_exists_probes(pids)}

    parent, children, children_recursive = {}, {}, {}
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            rel = {}
            for key, call in (
                ("parent", lambda: proc.parent()),
                ("children", lambda: proc.children()),
                ("children_recursive", lambda: proc.children(recursive=True)),
            ):
                try:
                    value = call()
                except psutil.ZombieProcess:
                    raise  # a subclass of NoSuchProcess: skip the pid
                except psutil.AccessDenied:
                    rel[key] = None
                    continue
                if key == "parent":
                    rel[key] = None if value is None else value.pid
                else:
                    rel[key] = sorted(c.pid for c in value)
        except psutil.NoSuchProcess:
            continue  # vanished (or zombie) while we looked: skip the pid
        parent[str(pid)] = rel["parent"]
        children[str(pid)] = rel["children"]
        children_recursive[str(pid)] = rel["children_recursive"]

    return {
        "pids": pids,
        "pid_exists": pid_exists,
        "parent": parent,
        "children": children,
        "children_recursive": children_recursive,
    }


def int_list(text):
    return {int(x) for x in text.split(",") if x.strip()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--attrs", help="comma-separated attribute names "
                    "(default: all as_dict attrs but net_connections, "
                    "cpu_percent, memory_percent)")
    ap.add_argument("--pids", type=int_list, help="comma-separated pids to keep")
    ap.add_argument("--module", action="store_true",
                    help="dump module-level values instead of processes")
    ap.add_argument("--pure-iter", action="store_true",
                    help="pass environ to process_iter() too (kernel threads "
                    "whose environ raises NoSuchProcess are then dropped)")
    args = ap.parse_args()

    if psutil.__version__ != "7.2.2":
        sys.exit("dump_psutil: expected psutil 7.2.2, got %s" % psutil.__version__)

    if args.module:
        data = dump_module()
        json.dump(data, sys.stdout, sort_keys=True)
        sys.stdout.write("\n")
        return

    attrs = DEFAULT_ATTRS if args.attrs is None else \
        [a.strip() for a in args.attrs.split(",") if a.strip()]
    if "pid" not in attrs:
        attrs = attrs + ["pid"]
    data = dump_processes(attrs, args.pids, args.pure_iter)
    # One process per line: valid JSON that still diffs and greps well.
    sys.stdout.write("[\n")
    sys.stdout.write(",\n".join(json.dumps(o, sort_keys=True) for o in data))
    sys.stdout.write("\n]\n")


if __name__ == "__main__":
    main()
