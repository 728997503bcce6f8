"""Our own tests of the Rust-backed psutil module (run against our wheel).

    python -m pytest tests/python/test_ours.py
"""

import gc
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import tracemalloc

import pytest

import psutil


def test_is_ours():
    assert psutil.__version__ == "7.2.2"
    assert psutil.version_info == (7, 2, 2)
    assert hasattr(psutil, "_psutil_rs") or "psutil._psutil_rs" in sys.modules


def test_process_basics():
    p = psutil.Process()
    assert p.pid == os.getpid()
    assert p.name()
    assert p.exe() == os.path.realpath(sys.executable)
    assert p.cmdline()[0]
    assert p.ppid() == os.getppid()
    assert p.status() in {psutil.STATUS_RUNNING, psutil.STATUS_SLEEPING}
    assert p.uids().real == os.getuid()
    assert p.memory_info().rss > 0
    assert p.num_threads() >= 1
    assert p.cwd() == os.getcwd()
    assert p == psutil.Process()
    assert hash(p) == hash(psutil.Process())
    assert "psutil.Process(pid=" in repr(p)
    d = p.as_dict(["pid", "name", "cpu_times"])
    assert set(d) == {"pid", "name", "cpu_times"}
    assert type(d["cpu_times"]).__name__ == "pcputimes"


def test_oneshot_reentrant():
    p = psutil.Process()
    with p.oneshot():
        with p.oneshot():
            a = p.cpu_times()
        assert p.cpu_times() is a
    assert p.cpu_times() is not a


def test_process_iter_and_cache():
    procs = list(psutil.process_iter(["pid", "name"]))
    pids = [p.pid for p in procs]
    assert pids == sorted(pids)
    assert os.getpid() in pids
    assert all(p.info["pid"] == p.pid for p in procs)
    assert os.getpid() in psutil._pmap
    psutil.process_iter.cache_clear()
    assert not psutil._pmap


def test_system_functions():
    vm = psutil.virtual_memory()
    assert type(vm).__name__ == "svmem" and vm.total > 0
    assert psutil.cpu_count() >= 1
    assert len(psutil.cpu_times(percpu=True)) == psutil.cpu_count()
    assert 0.0 <= psutil.cpu_percent(interval=0.05) <= 100.0
    assert psutil.boot_time() < time.time()
    assert psutil.disk_usage("/").total > 0
    assert psutil.pids() == sorted(psutil.pids())
    assert psutil.pid_exists(os.getpid())
    assert not psutil.pid_exists(-1)
    assert isinstance(psutil.net_if_addrs(), dict)
    assert isinstance(psutil.net_connections("all"), list)
    with pytest.raises(ValueError, match="invalid kind argument"):
        psutil.net_connections("foo")


def test_exceptions_format_and_pickle():
    e = psutil.NoSuchProcess(1, name="foo")
    assert str(e) == "process no longer exists (pid=1, name='foo')"
    assert repr(e) == "psutil.NoSuchProcess(pid=1, name='foo', msg='process no longer exists')"
    z = psutil.ZombieProcess(5, name="z", ppid=1)
    assert isinstance(z, psutil.NoSuchProcess)
    assert str(z) == "PID still exists but it's a zombie (pid=5, ppid=1, name='z')"
    assert str(psutil.AccessDenied(3, name="n")) == "(pid=3, name='n')"
    assert str(psutil.TimeoutExpired(3, pid=4)) == "timeout after 3 seconds (pid=4)"
    for exc in (e, z, psutil.AccessDenied(3, "n", "m"), psutil.TimeoutExpired(2, 7, "x")):
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is type(exc)
        assert repr(back) == repr(exc)


def test_errors_from_rust_are_psutil_classes():
    with pytest.raises(psutil.NoSuchProcess) as cm:
        psutil.Process(2**31 - 2)
    assert cm.value.pid == 2**31 - 2
    with pytest.raises(ValueError):
        psutil.Process(-1)


def test_wait_and_negsignal():
    sub = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    p = psutil.Process(sub.pid)
    with pytest.raises(psutil.TimeoutExpired):
        p.wait(0.01)
    p.terminate()
    code = p.wait(5)
    assert code == -signal.SIGTERM
    assert type(code).__name__ == "Negsignal"
    assert p.wait() == code  # cached
    assert not p.is_running()
    with pytest.raises(psutil.NoSuchProcess):
        p.name()


def test_wait_releases_the_gil():
    sub = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.6)"])
    p = psutil.Process(sub.pid)
    ticks = []
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    t = threading.Thread(target=spin)
    t.start()
    try:
        assert p.wait(10) == 0
    finally:
        stop.set()
        t.join()
    # the other thread kept running while wait() blocked in Rust
    assert len(ticks) > 20


def test_popen_wraps_subprocess():
    with psutil.Popen(
        [sys.executable, "-c", "print('hi')"], stdout=subprocess.PIPE
    ) as p:
        out, _ = p.communicate()
        assert out.strip() == b"hi"
        assert p.wait() == 0
        assert p.returncode == 0


def test_no_leak_across_repeated_calls():
    p = psutil.Process()

    def work():
        p.as_dict(["name", "cmdline", "memory_info", "cpu_times", "num_fds"])
        psutil.virtual_memory()
        psutil.cpu_times(percpu=True)
        try:
            psutil.Process(2**31 - 2)
        except psutil.NoSuchProcess:
            pass

    for _ in range(50):
        work()
    gc.collect()
    tracemalloc.start()
    snap1 = tracemalloc.take_snapshot()
    for _ in range(500):
        work()
    gc.collect()
    snap2 = tracemalloc.take_snapshot()
    tracemalloc.stop()
    growth = sum(s.size_diff for s in snap2.compare_to(snap1, "filename"))
    assert growth < 64 * 1024, growth
    # and the process (Rust allocations included) does not keep growing
    rss1 = p.memory_info().rss
    for _ in range(2000):
        work()
    rss2 = p.memory_info().rss
    assert rss2 - rss1 < 8 * 1024 * 1024, (rss1, rss2)


def test_procfs_path_is_dynamic(tmp_path):
    old = psutil.PROCFS_PATH
    psutil.PROCFS_PATH = str(tmp_path)
    try:
        with pytest.raises(OSError):
            psutil.virtual_memory()
        with pytest.raises(psutil.NoSuchProcess):
            psutil.Process()
    finally:
        psutil.PROCFS_PATH = old
    assert psutil.virtual_memory().total > 0
