"""POSIX helpers: waiting for processes, exit-code conversion."""

import errno
import os
import time

from . import _psutil_rs as cext
from ._common import TimeoutExpired
from ._common import debug
from ._common import _lazy_module_names
from ._common import memoize
from ._common import usage_percent

__all__ = ["pid_exists", "wait_pid", "disk_usage", "get_terminal_map"]


def _make_negsignal():
    import enum
    import signal

    return enum.IntEnum(
        "Negsignal", {s.name: -s.value for s in signal.Signals}, module=__name__
    )


# signal and Negsignal are made on first use: `import psutil` stays light.
__getattr__, __dir__, _lazy = _lazy_module_names(globals(), {
    "signal": ("signal", lambda: __import__("signal")),
    "Negsignal": ("Negsignal", _make_negsignal),
})  # fmt: skip


def negsig_to_enum(num):
    """-15 -> Negsignal.SIGTERM (unknown numbers are returned as is)."""
    try:
        return _lazy("Negsignal")(num)
    except ValueError:
        return num


# convert_exit_code(), pid_exists(), wait_pid_posix() and
# wait_pid_pidfd_open() are kept in Python for psutil's tests, which patch
# what they call (test_process's test_os_waitpid_error and
# test_os_waitpid_bad_ret_status patch os.waitpid, test_pidfd_open_errors
# patches os.pidfd_open, test_posix's test_pid_exists_let_raise patches
# os.kill). psutil.pid_exists(), Process.wait() and wait_pid() below use the
# crate's implementations.
def convert_exit_code(status):
    """A waitpid() status as psutil reports it: the exit code, or the
    negated signal number (as a Negsignal) for a signal death.
    """
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    if os.WIFSIGNALED(status):
        return negsig_to_enum(-os.WTERMSIG(status))
    raise ValueError(f"unknown process exit status {status!r}")


def _convert_code(code):
    if code is not None and code < 0:
        return negsig_to_enum(code)
    return code


def pid_exists(pid):
    """True if a process (or zombie) with this PID exists."""
    if pid == 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _check_deadline(deadline, timeout, pid, proc_name):
    if deadline is not None and time.monotonic() >= deadline:
        raise TimeoutExpired(timeout, pid=pid, name=proc_name)


def wait_pid_posix(pid, timeout=None, proc_name=None):
    """Wait with waitpid(WNOHANG) polling and exponential back-off; for a
    process that is not our child, poll until it disappears (-> None).
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    delay = 0.0001
    while True:
        try:
            got, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            while pid_exists(pid):
                _check_deadline(deadline, timeout, pid, proc_name)
                time.sleep(delay)
                delay = min(delay * 2, 0.04)
            return None
        except InterruptedError:
            continue
        if got == 0:
            _check_deadline(deadline, timeout, pid, proc_name)
            time.sleep(delay)
            delay = min(delay * 2, 0.04)
            continue
        return convert_exit_code(status)


_PIDFD_FALLBACK = {errno.ESRCH, errno.EMFILE, errno.ENFILE, errno.ENODEV,
                   errno.EPERM, errno.EACCES, errno.ENOSYS, errno.EINVAL}


def wait_pid_pidfd_open(pid, timeout=None, proc_name=None):
    """Wait through pidfd_open() + poll(), without busy polling; falls
    back to wait_pid_posix() when a pidfd can't be had.
    """
    try:
        pidfd = os.pidfd_open(pid, 0)
    except OSError as err:
        if err.errno in _PIDFD_FALLBACK:
            debug(err)
            return wait_pid_posix(pid, timeout, proc_name)
        raise
    import select  # here, not at the top: `import psutil` stays light

    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        ms = None if timeout is None else max(0, int(timeout * 1000))
        while True:
            try:
                events = poller.poll(ms)
            except InterruptedError:
                continue
            break
        if not events:
            raise TimeoutExpired(timeout, pid=pid, name=proc_name)
    finally:
        os.close(pidfd)
    return wait_pid_posix(pid, timeout, proc_name)


def wait_pid_kqueue(pid, timeout=None, proc_name=None):
    raise NotImplementedError("kqueue is not available on Linux")


def can_use_pidfd_open():
    return hasattr(os, "pidfd_open")


def can_use_kqueue():
    return False


def wait_pid(pid, timeout=None, proc_name=None):
    """Wait for ``pid`` to end: its exit code (or Negsignal) if it is a
    child of ours, else None. Runs in Rust with the GIL released.
    """
    return _convert_code(cext.wait_pid(pid, timeout, proc_name))


def disk_usage(path):
    return cext.disk_usage(path)


# Kept in Python for psutil's tests: test_linux's test_terminal_mocked
# patches it; Process.terminal() is the crate's.
@memoize
def get_terminal_map():
    """{st_rdev: path} of the terminals in /dev."""
    import glob  # (imports re): not at `import psutil` time

    ret = {}
    for name in glob.glob("/dev/tty*") + glob.glob("/dev/pts/*"):
        try:
            ret[os.stat(name).st_rdev] = name
        except FileNotFoundError:
            pass
    return ret
