"""Process.as_dict() read in one call into the extension
(psutil._psutil_rs.process_as_dict) must give what the methods give, and
must step aside when a method is patched (run against our wheel).

    python -m pytest tests/python/test_as_dict.py
"""

import os
import socket
import subprocess
import sys
import threading
import time
from unittest import mock

import pytest

import psutil

import another_user

# Values that move while a process sleeps (or that this test's own reads
# move: its memory, context switches, I/O, the CPU it last ran on).
VOLATILE = {"cpu_percent", "cpu_times", "cpu_num", "io_counters", "memory_full_info",
            "memory_info", "memory_maps", "memory_percent", "num_ctx_switches",
            "threads", "status", "num_fds", "open_files"}
ALL = sorted(psutil._AS_DICT_ATTRS)


class _Spy:
    """Counts calls of the extension's process_as_dict (a module
    attribute, so replacing it does not turn the fast path off)."""

    def __init__(self):
        self.calls = 0
        self.real = psutil._psplatform.cext.process_as_dict

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


@pytest.fixture
def spy():
    s = _Spy()
    with mock.patch.object(psutil._psplatform.cext, "process_as_dict", s):
        yield s


def _methods(p, attrs=None, ad_value=None):
    """as_dict() the way psutil does it: one method call per attribute."""
    with mock.patch.object(psutil, "_as_dict_fast_ok", return_value=False):
        return p.as_dict(attrs, ad_value)


def _wait_for(pred, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def children(tmp_path):
    """Asleep: one under a long name with spaces, one under a name that is
    not UTF-8 (with its own environment), one with nice 5, one Python
    with a file and a socket open; and a zombie."""
    sleep = "/bin/sleep" if os.path.exists("/bin/sleep") else "/usr/bin/sleep"
    spaced = tmp_path / "a sleeper with a long name"
    spaced.symlink_to(sleep)
    odd = os.path.join(os.fsencode(tmp_path), b"sl\xffeep")
    os.symlink(sleep, odd)
    script = ("import socket, sys, time; f = open(sys.argv[1], 'w'); "
              "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); "
              "print(flush=True); time.sleep(3600)")
    procs = [
        subprocess.Popen([str(spaced), "3600"], cwd=str(tmp_path)),
        subprocess.Popen([os.fsdecode(odd), "3600"], env={"A": "1", "B": "x y"}),
        subprocess.Popen([sleep, "3601"], preexec_fn=lambda: os.nice(5)),
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "f")],
                         stdout=subprocess.PIPE),
    ]
    zombie = subprocess.Popen(["true"])
    try:
        procs[3].stdout.readline()
        for p in procs:
            assert _wait_for(lambda: psutil.Process(p.pid).status() == psutil.STATUS_SLEEPING)
        assert _wait_for(lambda: psutil.Process(zombie.pid).status() == psutil.STATUS_ZOMBIE)
        yield procs, zombie
    finally:
        for p in procs:
            p.kill()
            p.wait()
        procs[3].stdout.close()
        zombie.wait()


def _compare(p, attrs, ad_value):
    """The fast as_dict() against the methods: same keys, same types, same
    values (the volatile ones: tried a few times; never for this process,
    whose reads move them)."""
    for _ in range(1 if p.pid == os.getpid() else 10):
        fast = p.as_dict(attrs, ad_value)
        slow = _methods(p, attrs, ad_value)
        assert set(fast) == set(slow)
        for k, v in fast.items():
            assert type(v) is type(slow[k]), k
            if isinstance(v, list) and v and slow[k] and k != "cmdline":
                assert type(v[0]) is type(slow[k][0]), k
        diff = {k for k in fast if k != "cpu_percent" and fast[k] != slow[k]}
        assert diff <= VOLATILE, (diff, {k: (fast[k], slow[k]) for k in diff})
        if not diff or p.pid == os.getpid():
            return fast
        time.sleep(0.1)
    raise AssertionError("volatile values never agreed: %s" % diff)


def test_fast_same_as_methods(children, spy):
    procs, zombie = children
    flag = object()
    me = psutil.Process()
    targets = [psutil.Process(p.pid) for p in procs + [zombie]] + [me, psutil.Process(1)]
    for p in targets:
        for attrs in (None, [], ["pid", "name", "cmdline", "username"],
                      ["cpu_percent"], ["memory_percent", "cpu_percent", "exe"]):
            before = spy.calls
            _compare(p, attrs, flag)
            assert spy.calls > before, (p, attrs)
    spaced, odd, niced, py = (psutil.Process(p.pid).as_dict() for p in procs)
    assert spaced["name"] == "a sleeper with a long name"
    assert odd["name"] == os.fsdecode(b"sl\xffeep")
    assert odd["environ"] == {"A": "1", "B": "x y"}
    assert niced["nice"] == 5
    assert [f.path for f in py["open_files"]] == [os.path.join(os.path.dirname(
        spaced["cmdline"][0]), "f")]
    (conn,) = py["net_connections"]
    assert conn.status == psutil.CONN_LISTEN and conn.laddr.ip == "127.0.0.1"
    assert conn.family is socket.AF_INET and conn.type is socket.SOCK_STREAM
    assert type(py["memory_maps"][0]) is psutil._ntuples.pmmap_grouped
    assert type(py["ionice"].ioclass) is psutil._psplatform.IOPriority
    z = psutil.Process(zombie.pid).as_dict(ad_value=flag)
    assert z["status"] == psutil.STATUS_ZOMBIE
    assert any(v is flag for v in z.values())


def test_fast_leaves_what_the_methods_leave(children, spy):
    procs, _ = children
    p = psutil.Process(procs[0].pid)
    assert p._name is None and p._create_time is None
    d = p.as_dict(["name", "create_time", "exe"])
    assert spy.calls == 1
    assert p._name == d["name"] == p._proc._name
    assert p._create_time == d["create_time"] == p.create_time()
    assert p._exe == d["exe"]
    # cpu_percent: the first call 0.0, the next one from the sample kept
    assert p.as_dict(["cpu_percent"]) == {"cpu_percent": 0.0}
    first = p._last_proc_cpu_times
    assert first is not None
    assert isinstance(p.as_dict(["cpu_percent"])["cpu_percent"], float)
    assert p._last_proc_cpu_times is not first
    assert isinstance(p.cpu_percent(), float)


def test_patched_methods_are_called(spy):
    p = psutil.Process()
    with mock.patch.object(psutil.Process, "name", return_value="patched") as m:
        assert p.as_dict(["name", "pid"]) == {"name": "patched", "pid": p.pid}
        assert p.as_dict()["name"] == "patched"
        assert m.call_count == 2
    with mock.patch.object(psutil._psplatform.Process, "cmdline", return_value=["x"]):
        assert p.as_dict(["cmdline"]) == {"cmdline": ["x"]}
    with mock.patch.object(psutil._psplatform.Process, "_memory_maps_grouped",
                           return_value=[]):
        assert p.as_dict(["memory_maps"]) == {"memory_maps": []}
    with mock.patch.object(p, "nice", return_value=42):  # on the instance
        assert p.as_dict(["nice"]) == {"nice": 42}
    with mock.patch.object(p._proc, "uids", side_effect=psutil.AccessDenied(p.pid)):
        assert p.as_dict(["uids", "username"], ad_value=7) == {"uids": 7, "username": 7}
    with mock.patch("psutil.Process.cpu_percent", return_value=12.5):
        assert p.as_dict(["cpu_percent"]) == {"cpu_percent": 12.5}
    assert spy.calls == 0
    # psutil's own test_as_dict
    with mock.patch("psutil.Process.nice", create=True, side_effect=psutil.AccessDenied):
        assert p.as_dict(attrs=["nice"], ad_value=1) == {"nice": 1}
    with mock.patch("psutil.Process.nice", create=True,
                    side_effect=psutil.NoSuchProcess(p.pid, "name")):
        with pytest.raises(psutil.NoSuchProcess):
            p.as_dict(attrs=["nice"])
    with mock.patch("psutil.Process.nice", create=True,
                    side_effect=psutil.ZombieProcess(p.pid, "name")):
        assert p.as_dict(attrs=["nice"], ad_value="foo") == {"nice": "foo"}
    with mock.patch("psutil.Process.nice", create=True, side_effect=NotImplementedError):
        assert "nice" not in p.as_dict()
        with pytest.raises(NotImplementedError):
            p.as_dict(attrs=["nice"])
    assert spy.calls == 0
    # unpatched again: the fast path is back
    assert p.as_dict(["name"])["name"] == psutil.Process().name()
    assert spy.calls == 1


def test_subclass_overriding_a_method(spy):
    class Mine(psutil.Process):
        def name(self):
            return "mine"

    class Plain(psutil.Process):
        pass

    assert Mine().as_dict(["name"]) == {"name": "mine"}
    assert spy.calls == 0
    assert Plain().as_dict(["name"]) == {"name": psutil.Process().name()}
    assert spy.calls == 1


def test_gone_and_reused(spy):
    sub = subprocess.Popen(["sleep", "3600"])
    p = psutil.Process(sub.pid)
    sub.kill()
    sub.wait()
    with pytest.raises(psutil.NoSuchProcess) as got:
        p.as_dict()
    with pytest.raises(psutil.NoSuchProcess) as want:
        _methods(p)
    assert type(got.value) is type(want.value) and got.value.pid == sub.pid
    # a PID seen reused: NoSuchProcess from ppid(), as psutil raises it
    me = psutil.Process()
    me._pid_reused = True
    with pytest.raises(psutil.NoSuchProcess):
        me.as_dict(["ppid"])
    with pytest.raises(psutil.NoSuchProcess):
        me.as_dict()


def test_bad_attrs_raise_as_before():
    p = psutil.Process()
    for bad, exc in ((["foo"], ValueError), (["pid", "foo"], ValueError),
                     ("name", TypeError), (5, TypeError)):
        with pytest.raises(exc) as got:
            p.as_dict(bad)
        with pytest.raises(exc) as want:
            _methods(p, bad)
        assert str(got.value) == str(want.value)
    assert p.as_dict(("pid",)) == p.as_dict({"pid"}) == {"pid": p.pid}


def test_threads_and_fork(children):
    procs, _ = children
    ps = [psutil.Process(p.pid) for p in procs] + [psutil.Process()]
    errors = []

    def work():
        try:
            for _ in range(20):
                for p in ps:
                    d = p.as_dict()
                    assert d["pid"] == p.pid and isinstance(d["memory_maps"], list)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    # a fork while the other threads read: the child has no helper thread
    pid = os.fork()
    if pid == 0:
        try:
            d = psutil.Process().as_dict()
            ok = d["pid"] == os.getpid() and isinstance(d["memory_maps"], list)
            os._exit(0 if ok else 1)
        except BaseException:  # noqa: BLE001
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    for t in threads:
        t.join()
    assert not errors
    assert os.waitstatus_to_exitcode(status) == 0


_AD_SCRIPT = r"""
import os, sys, psutil
from unittest import mock
flag = object()
target = int(sys.argv[1])
used = []
real = psutil._psplatform.cext.process_as_dict
def spy(*a, **k):
    used.append(1)
    return real(*a, **k)
psutil._psplatform.cext.process_as_dict = spy
p = psutil.Process(target)
info = p.as_dict(ad_value=flag)
assert used, "fast path not used"
denied = sorted(k for k, v in info.items() if v is flag)
assert {"cwd", "environ", "exe", "io_counters", "memory_maps", "num_fds",
        "open_files"} <= set(denied), denied
with mock.patch.object(psutil, "_as_dict_fast_ok", return_value=False):
    expected = p.as_dict(ad_value=flag)
assert sorted(k for k, v in expected.items() if v is flag) == denied
print("ok")
"""


def test_ad_value_for_access_denied():
    another_user.run_script(_AD_SCRIPT)
