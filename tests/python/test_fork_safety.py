"""A fork while other threads run process_iter(attrs) must leave the child
able to use psutil: nothing a parent thread held at the fork (a process
handle's lock, the listing cache, a Rust-side cache) may block it.

Real psutil can hang here too: its child waits on a lock inherited from
the parent. The forking runs in a subprocess with a timeout, so a hang
fails the test instead of the CI job.

`username` is left out: glibc's getpwuid_r is not fork-safe (a child
whose parent had a thread inside it at the fork can block for good on
glibc's nss_module_list_lock, seen about once in 30000 forks), whoever
calls it, psutil included.
"""

import json
import os
import signal
import subprocess
import sys
import textwrap

FORKS = 200

SCRIPT = textwrap.dedent(
    """
    import json, os, signal, sys, threading, time, warnings
    import psutil

    warnings.simplefilter("ignore", DeprecationWarning)  # fork + threads
    FORKS = int(sys.argv[1])
    ATTRS = ["name", "status", "ppid", "cpu_times", "memory_info",
             "uids", "terminal", "num_threads", "create_time"]
    stop = threading.Event()

    def lister():
        while not stop.is_set():
            for p in psutil.process_iter(ATTRS):
                pass

    threads = [threading.Thread(target=lister) for _ in range(3)]
    for t in threads:
        t.start()
    stuck = failed = 0
    for _ in range(FORKS):
        pid = os.fork()
        if pid == 0:
            try:
                n = sum(1 for _ in psutil.process_iter(ATTRS))
                os._exit(0 if n > 0 else 2)
            except BaseException:
                os._exit(1)
        deadline = time.monotonic() + 20
        while True:
            got, status = os.waitpid(pid, os.WNOHANG)
            if got:
                failed += os.waitstatus_to_exitcode(status) != 0
                break
            if time.monotonic() > deadline:
                stuck += 1
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                break
            time.sleep(0.002)
    stop.set()
    for t in threads:
        t.join()
    print(json.dumps({"stuck": stuck, "failed": failed}))
    """
)


def test_fork_during_process_iter_attrs():
    # Its own process group: on timeout, a blocked fork child goes too.
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(FORKS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    assert proc.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result == {"stuck": 0, "failed": 0}, result
