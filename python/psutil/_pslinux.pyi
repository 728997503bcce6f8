# Type stubs for psutil._pslinux: the Linux backend. Only the names the
# public API hands out are typed; the rest is internal (Any).
import enum
from typing import Any, Final

class AddressFamily(enum.IntEnum):
    AF_LINK = 17

AF_LINK: Final = AddressFamily.AF_LINK

class IOPriority(enum.IntEnum):
    IOPRIO_CLASS_NONE = 0
    IOPRIO_CLASS_RT = 1
    IOPRIO_CLASS_BE = 2
    IOPRIO_CLASS_IDLE = 3

IOPRIO_CLASS_NONE: Final = IOPriority.IOPRIO_CLASS_NONE
IOPRIO_CLASS_RT: Final = IOPriority.IOPRIO_CLASS_RT
IOPRIO_CLASS_BE: Final = IOPriority.IOPRIO_CLASS_BE
IOPRIO_CLASS_IDLE: Final = IOPriority.IOPRIO_CLASS_IDLE

CLOCK_TICKS: int
PAGESIZE: int
PROC_STATUSES: dict[str, str]

# The internals are Any on purpose (an incomplete stub, said so).
def __getattr__(name: str) -> Any: ...  # pyright: ignore[reportIncompleteStub]
