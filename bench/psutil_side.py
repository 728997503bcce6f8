"""The psutil 7.2.2 side of the benchmark workloads (run in .venv-oracle).

Usage: psutil_side.py WORKLOAD ROUNDS. Prints, like psutil-bench, one line
per round: milliseconds, then the item count.
"""
import sys
import time

import psutil

LISTING = ["pid", "ppid", "name", "username", "status", "create_time", "cmdline",
           "cpu_times", "memory_info", "num_threads", "nice"]


def oneshot_calls(p):
    p.name(); p.cpu_times(); p.cpu_percent(); p.create_time(); p.ppid()
    p.status(); p.terminal(); p.gids(); p.num_ctx_switches(); p.num_threads()
    p.uids(); p.username(); p.memory_info(); p.memory_percent(); p.cpu_num()
    p.nice(); p.cmdline()
    return 17


def one_round(workload):
    if workload == "listing":
        return len(list(psutil.process_iter(LISTING)))
    if workload == "as_dict":
        n = 0
        for p in psutil.process_iter():
            try:
                p.as_dict()
                n += 1
            except psutil.NoSuchProcess:
                pass
        return n
    if workload == "oneshot":
        p = psutil.Process()
        return sum(oneshot_calls(p) for _ in range(1000))
    if workload == "oneshot_on":
        p = psutil.Process()
        n = 0
        for _ in range(1000):
            with p.oneshot():
                n += oneshot_calls(p)
        return n
    if workload == "connections":
        return len(psutil.net_connections("all"))
    if workload == "system":
        for _ in range(100):
            psutil.virtual_memory()
            psutil.cpu_times(percpu=True)
            psutil.disk_io_counters()
            psutil.net_io_counters()
            psutil.disk_partitions()
        return 500
    raise SystemExit("unknown workload %r" % workload)


def main():
    workload, rounds = sys.argv[1], int(sys.argv[2])
    if workload == "listing":
        list(psutil.process_iter(LISTING))  # warm the handle cache
    for _ in range(rounds):
        t = time.perf_counter()
        n = one_round(workload)
        print("%.3f %d" % ((time.perf_counter() - t) * 1e3, n), flush=True)


if __name__ == "__main__":
    main()
