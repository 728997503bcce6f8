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

import another_user


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
    pids = psutil.pids()
    assert pids == sorted(pids)
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


# ---------------------------------------------------------------------------
# process_iter(attrs): the batch read by the extension (psutil._psutil_rs
# process_listing) must give what as_dict() gives.

from unittest import mock  # noqa: E402

# Attributes that stay put for a process asleep in sleep(1).
STABLE = sorted(psutil._LISTING_ATTRS)
LISTING = ["pid", "ppid", "name", "username", "status", "create_time",
           "cmdline", "cpu_times", "memory_info", "num_threads", "nice"]


class _Spy:
    """Counts calls of the extension's process_listing (a module
    attribute, so replacing it does not turn the batch off)."""

    def __init__(self):
        self.calls = 0
        self.real = psutil._psplatform.cext.process_listing

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


@pytest.fixture
def spy():
    s = _Spy()
    with mock.patch.object(psutil._psplatform.cext, "process_listing", s):
        yield s


def _wait_for(pred, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def sleepers(tmp_path):
    """Children asleep: one under a name with spaces, one under a name
    that is not UTF-8, one with nice 7, one with odd arguments."""
    sleep = "/bin/sleep" if os.path.exists("/bin/sleep") else "/usr/bin/sleep"
    spaced = tmp_path / "my sleeper x"
    spaced.symlink_to(sleep)
    odd = os.path.join(os.fsencode(tmp_path), b"sl\xffeep")
    os.symlink(sleep, odd)
    argvs = [
        [str(spaced), "3600"],
        [os.fsdecode(odd), "3600"],
        [sleep, "3601"],
        # says when its start-up is over: until then its memory grows, and
        # a listing and a later as_dict() would see different numbers
        [sys.executable, "-c", "import time; print(flush=True); time.sleep(3600)",
         "arg with spaces", os.fsdecode(b"\xfe\xff"), ""],
    ]
    procs = [subprocess.Popen(argvs[0], cwd=str(tmp_path)),
             subprocess.Popen(argvs[1], env={"A": "1", "B": "x y"}),
             subprocess.Popen(argvs[2], preexec_fn=lambda: os.nice(7)),
             subprocess.Popen(argvs[3], stdout=subprocess.PIPE)]
    try:
        procs[3].stdout.readline()
        for p, argv in zip(procs, argvs):
            assert _wait_for(lambda: psutil.Process(p.pid).cmdline() == argv)
            assert _wait_for(lambda: psutil.Process(p.pid).status() == psutil.STATUS_SLEEPING)
        yield procs, argvs
    finally:
        for p in procs:
            p.kill()
            p.wait()
        procs[3].stdout.close()


def _infos(attrs, pids, ad_value=None):
    return {p.pid: p.info for p in psutil.process_iter(attrs, ad_value) if p.pid in pids}


def _differences(infos, attrs):
    """Keys whose value differs from a fresh as_dict(); a wrong type fails."""
    diff = set()
    for pid, info in infos.items():
        expected = psutil.Process(pid).as_dict(attrs)
        assert set(info) == set(expected)
        for k, v in info.items():
            assert type(v) is type(expected[k]), k
            if k == "cpu_percent":
                continue
            if k == "memory_full_info":
                # uss and pss move whenever another process maps or unmaps
                # pages this one shares (any Python starting or exiting)
                same = v[:7] == expected[k][:7] and all(
                    abs(getattr(v, f) - getattr(expected[k], f)) <= 1 << 20
                    for f in ("uss", "pss", "swap"))
            else:
                same = v == expected[k]
            if not same:
                diff.add((pid, info.get("name"), k, repr(v), repr(expected[k])))
    return diff


def test_listing_same_as_as_dict(sleepers, spy):
    procs, argvs = sleepers
    pids = {p.pid for p in procs}
    psutil.process_iter.cache_clear()
    for attrs in (LISTING, STABLE, ["pid"], STABLE + ["cpu_percent", "open_files"]):
        for round_ in range(2):  # new Process objects, then the cached ones
            # a child may still be settling (e.g. the interpreter's start):
            # a value read twice must agree at least once in a few tries
            for attempt in range(5):
                before = spy.calls
                infos = _infos(attrs, pids)
                assert spy.calls == before + 1
                assert set(infos) == pids
                diff = _differences(infos, attrs)
                if not diff:
                    break
                time.sleep(0.2)
            assert not diff, (attrs, round_)
    by_pid = _infos(STABLE, pids)
    spaced, odd, niced, args = (by_pid[p.pid] for p in procs)
    assert spaced["name"] == "my sleeper x"
    assert spaced["cmdline"] == argvs[0]
    assert spaced["cwd"] == os.path.dirname(argvs[0][0])
    assert odd["name"] == os.fsdecode(b"sl\xffeep")
    assert odd["cmdline"] == argvs[1]
    assert odd["environ"] == {"A": "1", "B": "x y"}
    assert niced["nice"] == 7
    assert args["cmdline"] == argvs[3]
    assert [type(a) for a in args["cmdline"]] == [str] * 6
    assert type(spaced["cpu_times"]) is psutil._ntuples.pcputimes
    assert type(spaced["memory_info"]) is psutil._ntuples.pmem
    assert type(spaced["ionice"].ioclass) is psutil._psplatform.IOPriority
    assert spaced["username"] == psutil.Process(os.getpid()).username()
    assert spaced["ppid"] == os.getpid()


def test_listing_cache_and_order(sleepers, spy):
    procs, _ = sleepers
    psutil.process_iter.cache_clear()
    it = psutil.process_iter(LISTING)
    assert iter(it) is it and hasattr(it, "send")  # still a generator
    first = list(it)
    assert spy.calls == 1
    assert [p.pid for p in first] == sorted(p.pid for p in first)
    assert all(p.info["pid"] == p.pid for p in first)
    second = {p.pid: p for p in psutil.process_iter(LISTING)}
    for p in first:
        if p.pid in second:
            assert second[p.pid] is p  # Process objects are reused
    assert psutil._pmap[procs[0].pid] is second[procs[0].pid]
    child = second[procs[0].pid]
    assert child._name == "my sleeper x"  # as as_dict() leaves them
    assert child._create_time == child.info["create_time"]
    assert child == psutil.Process(procs[0].pid)
    assert "my sleeper x" in repr(child)
    psutil.process_iter.cache_clear()
    assert not psutil._pmap


def test_listing_skips_vanished(sleepers, spy):
    procs, _ = sleepers
    list(psutil.process_iter(["pid"]))
    victim = procs[2]
    assert victim.pid in psutil._pmap
    dead = psutil._pmap[victim.pid]
    victim.kill()
    victim.wait()
    infos = _infos(LISTING, {p.pid for p in procs})
    assert victim.pid not in infos
    assert victim.pid not in psutil._pmap
    assert set(infos) == {procs[0].pid, procs[1].pid, procs[3].pid}
    # PIDs gone between listing and reading: skipped, dropped from the cache
    cache = dict(psutil._pmap)
    cache[victim.pid] = dead
    rows = psutil._psplatform.cext.process_listing(
        [procs[0].pid, victim.pid, 2**22 + 7], cache, ["pid", "name"], None,
        psutil.Process._from_handle, psutil._uid_name)
    assert [p.pid for p, _ in rows] == [procs[0].pid]
    assert victim.pid not in cache and 2**22 + 7 not in cache


def test_listing_ad_value_for_zombie(spy):
    sub = subprocess.Popen(["true"])
    try:
        assert _wait_for(lambda: psutil.Process(sub.pid).status() == psutil.STATUS_ZOMBIE)
        flag = object()
        info = _infos(STABLE, {sub.pid}, ad_value=flag)[sub.pid]
        assert spy.calls == 1
        assert info == psutil.Process(sub.pid).as_dict(STABLE, ad_value=flag)
        assert info["status"] == psutil.STATUS_ZOMBIE
        assert any(v is flag for v in info.values())  # e.g. exe, cwd
    finally:
        sub.wait()


_AD_SCRIPT = r"""
import os, sys, psutil
flag = object()
attrs = ["pid", "name", "environ", "exe", "cwd", "num_fds", "io_counters"]
target = int(sys.argv[1])
used = []
real = psutil._psplatform.cext.process_listing
def spy(*a, **k):
    used.append(1)
    return real(*a, **k)
psutil._psplatform.cext.process_listing = spy
info = [p.info for p in psutil.process_iter(attrs, flag) if p.pid == target][0]
assert used, "batch not used"
denied = sorted(k for k, v in info.items() if v is flag)
assert denied == ["cwd", "environ", "exe", "io_counters", "num_fds"], denied
assert info["pid"] == target and isinstance(info["name"], str)
expected = psutil.Process(target).as_dict(attrs, ad_value=flag)
assert info == expected, (info, expected)
print("ok")
"""


def test_listing_ad_value_for_access_denied():
    another_user.run_script(_AD_SCRIPT)


def test_listing_honors_patched_methods(spy):
    with mock.patch.object(psutil._psplatform.Process, "cpu_times",
                           side_effect=psutil.AccessDenied(0, "")) as m:
        flag = object()
        for p in psutil.process_iter(["pid", "cpu_times"], ad_value=flag):
            assert p.info["cpu_times"] is flag
        assert m.called
    with mock.patch.object(psutil.Process, "name", return_value="patched") as m:
        assert {p.info["name"] for p in psutil.process_iter(["name"])} == {"patched"}
        assert m.called
    with mock.patch("psutil.Process.as_dict",
                    side_effect=psutil.NoSuchProcess(os.getpid())):
        assert not list(psutil.process_iter(["cpu_times"]))
    with mock.patch.object(psutil, "pids", return_value=[os.getpid()]):
        assert [p.pid for p in psutil.process_iter(["name"])] == [os.getpid()]
    assert spy.calls == 1  # only for the patched pids()
    # unpatched again: the batch is back
    list(psutil.process_iter(["name"]))
    assert spy.calls == 2


def test_listing_bad_attrs_raise_as_before():
    p = psutil.Process()
    for bad in (["foo"], ["pid", "foo", "bar"], "name", 5, [["name"]]):
        with pytest.raises((TypeError, ValueError)) as want:
            p.as_dict(bad)
        with pytest.raises(type(want.value)) as got:
            list(psutil.process_iter(bad))
        if not isinstance(bad, list) or bad != [["name"]]:
            assert str(got.value) == str(want.value)


def test_listing_all_attrs_and_mixed(spy):
    me = os.getpid()
    for attrs in ([], (), ["name", "cpu_percent", "memory_maps"]):
        info = _infos(attrs, {me})[me]
        want = psutil.Process().as_dict(attrs)
        assert set(info) == set(want)
    assert spy.calls == 3
    # only attributes outside the batch: the as_dict() way
    info = _infos(["cpu_percent"], {me})[me]
    assert set(info) == {"cpu_percent"}
    assert spy.calls == 3


# --- `import psutil` stays light (bench/run.py, workload 9) -------------

LAZY_MODULES = ("collections", "contextlib", "enum", "functools", "pwd", "signal", "socket",
                "threading")


def _fresh(code):
    """Runs *code* in a new interpreter (where nothing imported psutil yet)
    and returns its stdout."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd="/")
    return out.stdout.strip()


def test_import_loads_no_heavy_module():
    loaded = _fresh(
        "import sys\n"
        "before = set(sys.modules)\n"
        "import psutil\n"
        "print(' '.join(sorted(m for m in %r if m in sys.modules and m not in before)))"
        % (LAZY_MODULES,))
    assert loaded == ""


def test_lazy_names_are_the_real_ones():
    # The enums behind the constants are made on first use, once.
    assert psutil.AF_LINK is psutil._pslinux.AddressFamily.AF_LINK
    assert int(psutil.AF_LINK) == 17 and repr(psutil.AF_LINK) == "<AddressFamily.AF_LINK: 17>"
    assert psutil.NIC_DUPLEX_FULL is psutil._common.NicDuplex.NIC_DUPLEX_FULL == 2
    assert psutil.POWER_TIME_UNLIMITED is psutil._common.BatteryTime.POWER_TIME_UNLIMITED
    assert psutil.IOPRIO_CLASS_IDLE is psutil._pslinux.IOPriority.IOPRIO_CLASS_IDLE == 3
    assert psutil._psposix.negsig_to_enum(-15) is psutil._psposix.Negsignal.SIGTERM
    assert psutil.signal is signal and psutil.threading is threading
    assert set(psutil.__all__) <= set(dir(psutil))
    assert {"svmem", "scputimes", "pfullmem"} <= set(dir(psutil._ntuples))
    with pytest.raises(AttributeError):
        psutil.no_such_name  # noqa: B018
    with pytest.raises(AttributeError):
        psutil._ntuples.no_such_type  # noqa: B018


def test_lazy_namedtuples_once_across_threads():
    # Eight threads ask for types nobody made yet: each gets one class.
    out = _fresh(
        "import threading, psutil\n"
        "from psutil import _ntuples\n"
        "seen, go = [], threading.Barrier(8)\n"
        "def ask():\n"
        "    go.wait()\n"
        "    seen.append((_ntuples.sswap, _ntuples.pmmap_ext, psutil.NIC_DUPLEX_HALF))\n"
        "ts = [threading.Thread(target=ask) for _ in range(8)]\n"
        "[t.start() for t in ts]; [t.join() for t in ts]\n"
        "print(len(seen), len(set(seen)), _ntuples.pmmap_ext._fields[:3])")
    assert out == "8 1 ('addr', 'perms', 'path')"


def test_first_cpu_percent_compares_with_the_import_sample():
    # The samples taken at import are plain lists until used; the first
    # calls must still compare with them, as psutil's do.
    out = _fresh(
        "import psutil, time\n"
        "t = time.time()\n"
        "while time.time() - t < 0.3: pass\n"
        "a = psutil.cpu_percent()\n"
        "b = psutil.cpu_times_percent(percpu=True)\n"
        "print(a > 0, type(b[0]).__name__, len(b) == psutil.cpu_count())")
    assert out == "True scputimes True"
