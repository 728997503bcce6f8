"""Tests of psutil.cgroups (ours only: real psutil has no such module).

Fixture trees are the Rust crate's (crates/psutil/tests/fixtures/cgroup);
the live tests read this machine's own cgroup.
"""

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

import psutil
from psutil import cgroups

FIX = Path(__file__).resolve().parents[2] / "crates/psutil/tests/fixtures/cgroup"
ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
MIB = 1 << 20


@pytest.fixture
def tree(request):
    """Points PROCFS_PATH and the cgroup root at a fixture tree."""

    def use(name):
        psutil.PROCFS_PATH = str(FIX / name / "proc")
        cgroups.set_cgroupfs_path(str(FIX / name / "sys/fs/cgroup"))

    yield use
    psutil.PROCFS_PATH = "/proc"
    cgroups.set_cgroupfs_path("/sys/fs/cgroup")


def test_kept_out_of_psutil_namespace():
    assert "cgroups" not in psutil.__all__
    code = "import sys, psutil; print('psutil.cgroups' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_v2_fixture(tree):
    tree("v2")
    cg = cgroups.cgroup(4242)
    assert cg.version == 2
    assert cg.name == f"cri-containerd-{ID}.scope"
    assert cg.placement() == cgroups.placement(
        "containerd", ID, "5f2e9a4c-1b7d-4e0a-9c3b-2d8f6a1e4b70",
        f"cri-containerd-{ID}.scope",
        "kubepods-burstable-pod5f2e9a4c_1b7d_4e0a_9c3b_2d8f6a1e4b70.slice",
    )
    m = cg.memory()
    assert m.usage == 192 * MIB
    assert m.limit == 512 * MIB
    assert m.high == math.inf
    assert m.swap_usage is None
    assert m.swap_limit == 0
    assert m.working_set == 160 * MIB
    assert m.stat["anon"] == 144 * MIB
    assert m.events == cgroups.memevents(0, 0, 17, 3, 2)
    c = cg.cpu()
    assert (c.usage_seconds, c.user_seconds, c.system_seconds) == (4.5, 4.0, 0.5)
    assert (c.quota_us, c.period_us, c.limit_cpus) == (150000, 100000, 1.5)
    assert (c.weight, c.shares, c.nr_periods, c.nr_throttled) == (79, None, 120, 45)
    assert c.throttled_seconds == 2.25
    assert c.cpuset == [0, 1, 2, 3]
    io = cg.io()
    assert io.devices[0] == cgroups.cgiodevice(8, 0, 1048576, 4194304, 16, 64)
    assert io.limits is None
    assert cg.pids() == cgroups.cgpids(7, math.inf)
    p = cg.pressure()
    assert p.cpu.some == cgroups.psiline(12.5, 10.0, 5.25, 2250000)
    assert p.cpu.full.total == 2100000
    assert cg.processes() == [4242, 4250]
    assert cg.effective_memory_limit() == 256 * MIB
    assert cg.effective_cpu_limit() == 1.5
    assert cgroups.effective_cpu_count(4242) == 2
    assert cgroups.effective_memory_limit(4242) == 256 * MIB
    vm = cg.virtual_memory()
    assert (vm.total, vm.used, vm.available, vm.free) == (256 * MIB, 160 * MIB, 96 * MIB, 64 * MIB)
    assert vm.percent == 62.5
    sysp = cgroups.system_pressure()
    assert sysp.cpu.some.avg10 == 2.04
    assert sysp.io.full.avg300 == 0.15


def test_v2_root_and_tree(tree):
    tree("v2")
    root = cgroups.root()
    assert (root.path, root.name, root.version) == ("/", "/", 2)
    assert root.memory().usage is None
    assert [c.path for c in root.children()] == ["/kubepods.slice", "/system.slice"]
    ssh = cgroups.Cgroup("/system.slice/ssh.service")
    assert ssh.memory().limit == math.inf
    assert ssh.effective_memory_limit() == math.inf
    assert ssh.cpu().limit_cpus == math.inf
    assert ssh.placement().unit == "ssh.service"
    assert ssh == cgroups.cgroup(4243)
    with pytest.raises(OSError):
        cgroups.Cgroup("/nope")


def test_v1_fixture(tree):
    tree("v1")
    cg = cgroups.cgroup(4242)
    assert (cg.path, cg.version) == (f"/docker/{ID}", 1)
    assert len(cg.hierarchies()) == 10
    assert cg.memory().limit == 512 * MIB
    assert cg.memory().swap_limit == math.inf
    assert cg.effective_memory_limit() == 256 * MIB
    assert cg.cpu().limit_cpus == 0.5
    assert cgroups.effective_cpu_count(4242) == 1
    assert cg.pressure() == cgroups.pressure(None, None, None)
    assert cgroups.system_pressure() is None
    io = cg.io()
    assert io.limits == [cgroups.cgiolimit(254, 0, 1 << 30, 1 << 30, math.inf, 10000)]
    assert cg.placement().runtime == "docker"


def test_errors(tree):
    tree("v2")
    with pytest.raises(psutil.NoSuchProcess):
        cgroups.cgroup(999999999)


def _own_path():
    v2 = None
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, ctrls, path = line.rstrip("\n").split(":", 2)
            if "memory" in ctrls.split(","):
                return path
            if ctrls == "":
                v2 = path
    return v2


def test_live_self():
    cg = cgroups.cgroup()
    assert cg.path == _own_path()
    assert cg == cgroups.cgroup(os.getpid())
    n = cgroups.effective_cpu_count()
    assert 1 <= n <= len(os.sched_getaffinity(0))
    assert cgroups.effective_memory_limit() <= psutil.virtual_memory().total
    assert cgroups.cgroupfs_path() == "/sys/fs/cgroup"
    m = cg.memory()
    if m.usage is not None:
        assert m.usage > 0
    # psutil's own answers stay the host's.
    assert psutil.cpu_count() == os.cpu_count()
