"""Runs a test script against a process of another user."""
import os
import pwd
import subprocess
import sys

import pytest


def run_script(script):
    """Runs `script` (its argv[1]: the target PID) in a fresh interpreter
    so that the target belongs to another user: as nobody on our own PID
    when we are root, else on PID 1. The script must print "ok"."""
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("nobody")
        except KeyError:
            pytest.skip("no user 'nobody' to run as")
        target, kwargs = os.getpid(), {"user": "nobody", "cwd": "/"}
    else:
        target, kwargs = 1, {}
    out = subprocess.run([sys.executable, "-c", script, str(target)],
                         capture_output=True, text=True, timeout=60, **kwargs)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
