# Type stubs for psutil._psposix: POSIX helpers (internal).
from typing import Any

def pid_exists(pid: int) -> bool: ...
def wait_pid(
    pid: int, timeout: float | None = None, proc_name: str | None = None
) -> int | None: ...
# The internals are Any on purpose (an incomplete stub, said so).
def __getattr__(name: str) -> Any: ...  # pyright: ignore[reportIncompleteStub]
