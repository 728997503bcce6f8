"""Hostile arguments: no Rust panic may reach Python (pyo3's PanicException
is a BaseException that `except Exception` misses), and each call raises
what real psutil 7.2.2 raises.

test_sweep_matches_real_psutil runs hostile_sweep.py with our psutil and
with real psutil (the oracle venv, in its own interpreter) and compares
the outcomes call by call. The other tests pin the cases the sweep found.
"""

import errno
import json
import math
import os
import socket
import subprocess
import sys

import pytest

import psutil
import psutil._psposix

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SWEEP = os.path.join(HERE, "hostile_sweep.py")


def oracle_python():
    """An interpreter with real psutil 7.2.2, or None."""
    path = os.environ.get("PSUTIL_ORACLE_PYTHON") or os.path.join(
        ROOT, ".venv-oracle", "bin", "python"
    )
    return path if os.access(path, os.X_OK) else None


# Where ours deliberately differs from real psutil, by call prefix.
DELIBERATE = {
    # os.kill casts the signal number to a C int, so real psutil sends
    # 2**32+1 as SIGHUP (1) and -2**63 as 0; we refuse it with EINVAL.
    "Process.send_signal(sig=2**32+1)": "builtins.OSError[errno 22]",
    "Process.send_signal(sig=-2**63)": "builtins.OSError[errno 22]",
    # os.statvfs also takes a file descriptor: real psutil.disk_usage(True)
    # reports the file system of stdout. Ours takes paths only.
    "disk_usage(path=": "builtins.TypeError",
}


def deliberate(key, real, ours):
    # psutil checks these with `assert` (AssertionError, or nothing at all
    # under python -O); we raise the ValueError/TypeError/OverflowError of
    # the check itself.
    if real == "builtins.AssertionError":
        return ours.startswith("builtins.") and ours != "builtins.AssertionError"
    return any(key.startswith(k) and ours == v for k, v in DELIBERATE.items())


def run_sweep(python, isolated=False):
    # -I for the oracle: nothing on our path may shadow its psutil.
    out = subprocess.run(
        [python, *(["-I"] if isolated else []), SWEEP],
        capture_output=True,
        text=True,
        timeout=600,
        cwd="/",
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def test_sweep_matches_real_psutil():
    ours = run_sweep(sys.executable)
    panics = {k: v for k, v in ours.items() if v and "NOT-AN-EXCEPTION" in v}
    assert not panics
    python = oracle_python()
    if python is None:
        if os.environ.get("PSUTIL_REQUIRE_ORACLE"):
            pytest.fail("no oracle venv with real psutil (PSUTIL_ORACLE_PYTHON)")
        pytest.skip("no oracle venv with real psutil")
    real = run_sweep(python, isolated=True)
    assert sorted(ours) == sorted(real), "different functions or signatures"
    diffs = [
        f"{k}: real {real[k]}, ours {ours[k]}"
        for k in sorted(real)
        if real[k] != ours[k] and not deliberate(k, real[k], ours[k])
    ]
    assert not diffs, "\n".join(diffs)


@pytest.fixture
def child():
    sub = subprocess.Popen(["sleep", "60"])
    yield sub
    sub.kill()
    sub.wait()


@pytest.mark.parametrize("timeout", [1e300, 2.0**64, 2**64, math.inf, 3e6])
def test_wait_timeout_too_large_is_overflow_error(child, timeout):
    # Was a PanicException for 1e300 (Duration::from_secs_f64). psutil's
    # poll() takes milliseconds in a C int: 24.8 days at most.
    with pytest.raises(OverflowError):
        psutil.Process(child.pid).wait(timeout)


def test_wait_timeout_nan_is_value_error(child):
    with pytest.raises(ValueError):
        psutil.Process(child.pid).wait(math.nan)


def test_wait_pid_beyond_pid_t(child):
    # 2**32+1 used to be truncated to PID 1: a wait on init.
    for pid in (2**32 + 1, 2**31):
        with pytest.raises(OverflowError):
            psutil._psposix.wait_pid(pid, 0.01)
    with pytest.raises(OverflowError):
        psutil._psposix.wait_pid(child.pid, 1e300)


@pytest.mark.parametrize("interval", [1e300, math.inf, 2**63])
def test_cpu_percent_interval_too_large_is_overflow_error(interval):
    # time.sleep's limit in psutil; the Rust sleep used to panic.
    with pytest.raises(OverflowError):
        psutil.cpu_percent(interval)
    with pytest.raises(OverflowError):
        psutil.Process().cpu_percent(interval)


def test_pid_exists_beyond_pid_t():
    for pid in (2**31, 2**32 - 1, 2**32 + 1):
        with pytest.raises(OverflowError):
            psutil.pid_exists(pid)
    assert psutil.pid_exists(os.getpid())
    assert not psutil.pid_exists(-1)


@pytest.mark.parametrize("sig", [999, -1, 2**31])
def test_send_signal_unknown_number_is_oserror_einval(child, sig):
    with pytest.raises(OSError) as e:
        psutil.Process(child.pid).send_signal(sig)
    assert type(e.value) is OSError
    assert e.value.errno == errno.EINVAL
    assert child.poll() is None


@pytest.mark.parametrize("pid", [True, False])
def test_process_of_a_bool_is_not_found(pid):
    # psutil looks for /proc/True/stat: True is not PID 1.
    with pytest.raises(psutil.NoSuchProcess) as e:
        psutil.Process(pid)
    assert e.value.pid is pid
    assert e.value.msg == "process PID not found"
    assert e.value.name is None


def test_children_of_a_dead_process(child):
    p = psutil.Process(child.pid)
    p.name()  # a known name must not show in the error either
    child.kill()
    child.wait()
    for recursive in (False, True):
        with pytest.raises(psutil.NoSuchProcess) as e:
            p.children(recursive=recursive)
        assert e.value.msg == "process PID not found"
        assert e.value.name is None
        assert str(e.value) == f"process PID not found (pid={child.pid})"


def test_af_link_is_psutils_own_enum():
    link = psutil.AF_LINK
    assert type(link).__name__ == "AddressFamily"
    assert type(link).__module__ == "psutil._pslinux"
    assert not isinstance(link, socket.AddressFamily)
    assert repr(link) == "<AddressFamily.AF_LINK: 17>"
    assert link.name == "AF_LINK"
    assert link == socket.AF_PACKET == 17
    assert list(type(link)) == [link]
    # MAC addresses keep socket's AF_PACKET, equal to AF_LINK.
    macs = [a for addrs in psutil.net_if_addrs().values() for a in addrs
            if a.family == psutil.AF_LINK]
    assert all(a.family is socket.AF_PACKET for a in macs)


def test_disk_usage_nul_byte_is_value_error():
    for path in ("a\x00b", b"/\x00"):
        with pytest.raises(ValueError):
            psutil.disk_usage(path)


@pytest.mark.parametrize("ioclass", [-1, 4, 7, 8, 9])
def test_ionice_unknown_class_is_einval(child, ioclass):
    # The kernel's answer for an unknown class. psutil passes the class to
    # the kernel, which keeps its low 3 bits: 8 becomes NONE, 9 RT. We
    # refuse those too (README, deliberate differences).
    p = psutil.Process(child.pid)
    before = p.ionice()
    with pytest.raises(OSError) as e:
        p.ionice(ioclass)
    assert e.value.errno == errno.EINVAL
    assert p.ionice() == before


def test_ionice_value_checks_come_first(child):
    p = psutil.Process(child.pid)
    with pytest.raises(ValueError, match="value not in 0-7 range"):
        p.ionice(9, 8)
    with pytest.raises(ValueError, match="ioclass accepts no value"):
        p.ionice(psutil.IOPRIO_CLASS_IDLE, 5)
    with pytest.raises(TypeError):
        p.ionice(1.5)
