"""Calls every public psutil function and Process method with hostile
arguments and prints, as JSON, what each call came to.

    python hostile_sweep.py          # with whichever psutil is installed

Run once with real psutil and once with ours (never both in one
interpreter); test_hostile_inputs.py compares the two. Each parameter of
each callable is set in turn to each value of HOSTILE, the others keeping
their defaults (or a harmless base value when required). Process methods
run against a fresh child of ours (`sleep`), so signals, priorities and
limits only ever reach it. Outcome of a call: "ok", or the exception's
module and name (plus the errno for an OSError).
"""

import inspect
import json
import math
import subprocess
import sys
import types

import psutil
import psutil._psposix

# Names of the values: the keys of the JSON output.
HOSTILE = {
    "2**64": 2**64,
    "2**63": 2**63,
    "-2**63": -(2**63),
    "2**32+1": 2**32 + 1,
    "2**31": 2**31,
    "-1": -1,
    "1e300": 1e300,
    "inf": math.inf,
    "-inf": -math.inf,
    "nan": math.nan,
    "True": True,
    "False": False,
    "1.5": 1.5,
    "'x'": "x",
    "'a\\0b'": "a\0b",
    "b'x'": b"x",
    "[]": [],
    "object()": object(),
}

# Parameters that are durations: values psutil would accept and then
# block on for longer than a couple of seconds are left out.
DURATIONS = {"timeout", "interval"}

# Never called: Popen runs programs, test() prints a table.
SKIP = {"Popen", "test"}


def is_long_wait(where, param, value):
    if param not in DURATIONS or isinstance(value, bool):
        return False
    if not isinstance(value, (int, float)) or math.isnan(value):
        return False
    if where == "wait_procs":
        # psutil loops until the deadline, however far: any long one blocks.
        return value > 2
    # Process.wait, cpu_percent & co. raise OverflowError from huge values
    # (poll()'s C int, time.sleep's 64-bit nanoseconds); in between they
    # would just wait.
    limit = 2**31 / 1000 if where == "Process.wait" else 9.2e9
    return 2 < value <= limit


def outcome(call):
    try:
        ret = call()
        if isinstance(ret, types.GeneratorType):
            for _ in ret:
                pass
    except BaseException as e:  # noqa: BLE001 - a panic is what we look for
        name = f"{type(e).__module__}.{type(e).__qualname__}"
        if isinstance(e, OSError) and e.errno is not None:
            name += f"[errno {e.errno}]"
        if not isinstance(e, Exception):
            name = "NOT-AN-EXCEPTION:" + name
        return name
    return "ok"


class Child:
    """A `sleep` child, killed and reaped on exit."""

    def __enter__(self):
        self.popen = subprocess.Popen(["sleep", "60"])
        return self.popen.pid

    def __exit__(self, *exc):
        self.popen.kill()
        self.popen.wait()


def params(func):
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    return [
        p
        for p in sig.parameters.values()
        if p.name != "self"
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]


def base_values(where, pid):
    """Values for required parameters (and safe ones for wait_procs)."""
    return {
        "pid_exists": {"pid": pid},
        "disk_usage": {"path": "/"},
        "wait_procs": {"procs": [psutil.Process(pid)], "timeout": 0.05},
        "Process.rlimit": {"resource": psutil.RLIMIT_NOFILE},
        "Process.send_signal": {"sig": 0},
    }.get(where, {})


def sweep():
    results = {}
    with Child() as pid:
        for name in psutil.__all__:
            func = getattr(psutil, name)
            if name in SKIP or inspect.isclass(func) or not callable(func):
                continue
            plist = params(func)
            results[f"{name}()"] = None  # marks the signature as seen
            for p in plist:
                base = base_values(name, pid)
                for vname, value in HOSTILE.items():
                    if is_long_wait(name, p.name, value):
                        continue
                    kwargs = {**base, p.name: value}
                    key = f"{name}({p.name}={vname})"
                    results[key] = outcome(lambda: func(**kwargs))
            if not plist:
                results[f"{name}()"] = outcome(func)
    for vname, value in HOSTILE.items():
        results[f"Process(pid={vname})"] = outcome(lambda: psutil.Process(value))
    for mname, meth in inspect.getmembers(psutil.Process, inspect.isfunction):
        if mname.startswith("_"):
            continue
        where = f"Process.{mname}"
        plist = params(meth)
        if not plist:
            with Child() as pid:
                proc = psutil.Process(pid)
                results[f"{where}()"] = outcome(lambda: _enter(getattr(proc, mname)()))
            continue
        for p in plist:
            for vname, value in HOSTILE.items():
                if is_long_wait(where, p.name, value):
                    continue
                with Child() as pid:
                    proc = psutil.Process(pid)
                    kwargs = {**base_values(where, pid), p.name: value}
                    results[f"{where}({p.name}={vname})"] = outcome(
                        lambda: getattr(proc, mname)(**kwargs)
                    )
    # The internal wait the issue names: pid_t and timeout conversions.
    wait_pid = psutil._psposix.wait_pid
    with Child() as pid:
        for vname, value in HOSTILE.items():
            results[f"_psposix.wait_pid(pid={vname})"] = outcome(
                lambda: wait_pid(value, timeout=0.01)
            )
            if not is_long_wait("Process.wait", "timeout", value):
                results[f"_psposix.wait_pid(timeout={vname})"] = outcome(
                    lambda: wait_pid(pid, timeout=value)
                )
    return results


def _enter(ret):
    """oneshot() returns a context manager: use it."""
    if hasattr(ret, "__enter__"):
        with ret:
            pass
    return ret


if __name__ == "__main__":
    json.dump(sweep(), sys.stdout, indent=0, sort_keys=True)
