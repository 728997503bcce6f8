#!/usr/bin/env python3
"""Abuse scenarios against `psutil serve`, with a well-behaved scraper.

For each scenario a fresh `psutil serve` (loopback, free port) is started,
the abuse is set going, and one well-behaved client scrapes /metrics
sequentially (a new connection per scrape, `Connection: close`, 10 s
timeout like Prometheus's default scrape_timeout, 0.25 s between scrapes).
Printed per scenario: scrapes answered 200 in full (%), median and p99
latency, and the server's peak thread count, open fds and RSS.

Scenarios (all on 127.0.0.1, bounded in time and count):
  slowloris  200 connections, each trickling a request head one byte every
             5 s (reconnecting when closed)
  keepalive  20 keep-alive clients scraping back to back
  noread     50 connections that pipeline requests and never read
  flood      2,000 silent connections held open (reopened when closed)

    tests/serve_abuse/run.py                      # 60 s per scenario
    tests/serve_abuse/run.py --seconds 5 --check  # short; exit 1 under 99 %

Python standard library only. --bin defaults to the release binary in
$CARGO_TARGET_DIR (or target/). Kills exactly the processes it started.
"""

import argparse
import multiprocessing
import os
import resource
import selectors
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REQUEST = b"GET /metrics HTTP/1.1\r\nHost: abuse\r\nUser-Agent: abuse\r\n\r\n"


def connect(addr, timeout=5.0):
    s = socket.create_connection(addr, timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_response(s, deadline):
    """Reads one response on a blocking socket; (status, body length ok)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        s.settimeout(max(0.001, deadline - time.monotonic()))
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the head")
        buf += chunk
    head, body = buf.split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ")[1])
    length = None
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    if length is None:
        raise ConnectionError("no Content-Length")
    while len(body) < length:
        s.settimeout(max(0.001, deadline - time.monotonic()))
        chunk = s.recv(min(1 << 20, length - len(body)))
        if not chunk:
            raise ConnectionError("closed mid-body")
        body += chunk
    return status, len(body) == length and length > 0


# ---- abusers: each runs until `stop` is set ---------------------------------


def slowloris(addr, stop, n=200, every=5.0):
    payload = REQUEST.replace(b"\r\n\r\n", b"\r\nX-Pad: " + b"a" * 200 + b"\r\n\r\n")
    conns = {}  # i -> [socket, bytes sent, next send time]
    start = time.monotonic()
    for i in range(n):
        # Staggered, so bytes arrive all the time rather than in bursts.
        conns[i] = [None, 0, start + every * i / n]
    while not stop.is_set():
        now = time.monotonic()
        for c in conns.values():
            if c[2] > now:
                continue
            c[2] = now + every
            try:
                if c[0] is None:
                    c[0], c[1] = connect(addr), 0
                c[0].send(payload[c[1] % len(payload) : c[1] % len(payload) + 1])
                c[1] += 1
            except OSError:
                if c[0] is not None:
                    c[0].close()
                c[0] = None
                c[2] = now  # reconnect on the next round
        stop.wait(0.02)
    for c in conns.values():
        if c[0] is not None:
            c[0].close()


def keepalive_client(addr, stop):
    s = None
    while not stop.is_set():
        try:
            if s is None:
                s = connect(addr)
            s.sendall(REQUEST)
            read_response(s, time.monotonic() + 10)
        except (OSError, ValueError, IndexError):
            if s is not None:
                s.close()
            s = None
            stop.wait(0.01)
    if s is not None:
        s.close()


def keepalive(addr, stop, n=20):
    ts = [threading.Thread(target=keepalive_client, args=(addr, stop)) for _ in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def noread(addr, stop, n=50, burst=64):
    conns = [None] * n
    while not stop.is_set():
        for i in range(n):
            try:
                if conns[i] is None:
                    conns[i] = connect(addr)
                    conns[i].setblocking(False)
                conns[i].send(REQUEST * burst)
            except BlockingIOError:
                pass  # the server stopped reading from us: fine, keep it
            except OSError:
                if conns[i] is not None:
                    conns[i].close()
                conns[i] = None
        stop.wait(0.5)
    for s in conns:
        if s is not None:
            s.close()


def flood(addr, stop, n=2000):
    sel = selectors.DefaultSelector()
    count = 0
    while not stop.is_set():
        # Top up to n open connections, then look for ones the server closed.
        while count < n and not stop.is_set():
            try:
                s = connect(addr, timeout=2)
            except OSError:
                break
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            count += 1
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                if s.recv(4096):
                    continue
            except BlockingIOError:
                continue
            except OSError:
                pass
            sel.unregister(s)
            s.close()
            count -= 1
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    sel.close()


SCENARIOS = {
    "slowloris": slowloris,
    "keepalive": keepalive,
    "noread": noread,
    "flood": flood,
}

# ---- the server and its measurements ----------------------------------------


def start_server(binary, extra):
    p = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0"] + extra,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    line = p.stderr.readline().decode()
    prefix = "psutil serve: listening on http://"
    if not line.startswith(prefix):
        p.kill()
        p.wait()
        sys.exit("unexpected first line from psutil serve: %r" % line)
    host, port = line.strip()[len(prefix) :].rsplit("/metrics", 1)[0].rsplit(":", 1)
    # Keep draining stderr so the server never blocks on it.
    threading.Thread(target=lambda: p.stderr.read(), daemon=True).start()
    return p, (host, int(port))


def proc_sample(pid):
    """(threads, rss KiB, open fds) of pid, or None once it is gone."""
    try:
        threads = rss = 0
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("Threads:"):
                    threads = int(line.split()[1])
                elif line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
        return threads, rss, len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return None


def scrape(addr, timeout=10.0):
    t = time.monotonic()
    deadline = t + timeout
    try:
        s = connect(addr, timeout=timeout)
        try:
            s.sendall(REQUEST.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
            status, complete = read_response(s, deadline)
        finally:
            s.close()
        outcome = "ok" if status == 200 and complete else str(status)
    except socket.timeout:
        outcome = "timeout"
    except (OSError, ValueError, IndexError) as e:
        outcome = type(e).__name__
    return outcome, time.monotonic() - t


def run_scenario(name, binary, seconds, extra):
    p, addr = start_server(binary, extra)
    # The abuse runs in a process of its own, so that its threads don't
    # hold the well-behaved client up on Python's GIL.
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    abuser = ctx.Process(target=SCENARIOS[name], args=(addr, stop), daemon=True)
    samples = []
    sampling = threading.Event()

    def sampler():
        while not sampling.is_set():
            s = proc_sample(p.pid)
            if s:
                samples.append(s)
            sampling.wait(0.5)

    sam = threading.Thread(target=sampler, daemon=True)
    try:
        abuser.start()
        sam.start()
        time.sleep(2)  # let the abuse build up before measuring
        outcomes, latencies = {}, []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            outcome, dt = scrape(addr)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome == "ok":
                latencies.append(dt)
            time.sleep(0.25)
    finally:
        stop.set()
        abuser.join(timeout=15)
        if abuser.is_alive():
            abuser.kill()
            abuser.join()
        sampling.set()
        sam.join()
        p.kill()
        p.wait()
    total = sum(outcomes.values())
    ok = outcomes.get("ok", 0)
    lat = sorted(latencies)
    return {
        "scenario": name,
        "scrapes": total,
        "ok": ok,
        "success": 100.0 * ok / total if total else 0.0,
        "median_ms": 1000 * statistics.median(lat) if lat else float("nan"),
        "p99_ms": 1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))] if lat else float("nan"),
        "threads": max((s[0] for s in samples), default=0),
        "rss_mib": max((s[1] for s in samples), default=0) / 1024,
        "fds": max((s[2] for s in samples), default=0),
        "failures": {k: v for k, v in outcomes.items() if k != "ok"},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    ap.add_argument("--bin", default=os.path.join(target, "release", "psutil"))
    ap.add_argument("--seconds", type=float, default=60, help="measured time per scenario")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--check", action="store_true", help="exit 1 if a scenario is under --min-success")
    ap.add_argument("--min-success", type=float, default=99.0)
    ap.add_argument("serve_args", nargs="*", help="extra `psutil serve` arguments (after --)")
    a = ap.parse_args()
    if not os.access(a.bin, os.X_OK):
        sys.exit("serve_abuse: no binary at %s (cargo build --release -p psutil-cli, or --bin)" % a.bin)
    # The flood holds 2,000 sockets.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < 4096:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 4096, hard))
    print("serve_abuse: %s, %g s per scenario" % (a.bin, a.seconds), flush=True)
    print("%-10s %8s %8s %10s %9s %8s %6s %8s  %s" % (
        "scenario", "scrapes", "success", "median", "p99", "threads", "fds", "RSS", "failures"))
    bad = []
    for name in a.scenarios.split(","):
        if name not in SCENARIOS:
            sys.exit("unknown scenario %r (have: %s)" % (name, ", ".join(SCENARIOS)))
        r = run_scenario(name, a.bin, a.seconds, a.serve_args)
        print("%-10s %8d %7.1f%% %8.1fms %7.1fms %8d %6d %5.1fMiB  %s" % (
            name, r["scrapes"], r["success"], r["median_ms"], r["p99_ms"],
            r["threads"], r["fds"], r["rss_mib"], r["failures"] or "-"), flush=True)
        if r["success"] < a.min_success:
            bad.append(name)
    if a.check and bad:
        print("serve_abuse: FAIL: under %g%% success: %s" % (a.min_success, ", ".join(bad)))
        return 1
    if a.check:
        print("serve_abuse: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
