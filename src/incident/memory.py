"""Process memory: have glibc return large freed blocks to the system at once.

By default glibc raises its mmap threshold to the size of the largest block freed so far,
so after the first freed column (8 MB per million claims) the freed columns of every later
step stay in the heap and the resident size grows with the garbage of the whole run. A fixed
threshold keeps the resident size at what is alive (measured at 1,000,000 claims: about
1,150 MB peak without, about 1,000 MB with). This is a setting of the process, so only the
application entry points call it (``python -m incident``, the benchmarks), never library code.
Elsewhere (no glibc) nothing happens.
"""

from __future__ import annotations

#: Blocks from this size on are mapped on their own and unmapped when freed: a column of half a
#: million rows or more (smaller blocks are reused in the heap, which costs no page faults).
MMAP_THRESHOLD = 4 << 20
_DONE = False


def return_freed_memory() -> None:
    """Fix glibc's mmap threshold at :data:`MMAP_THRESHOLD` (once per process; no-op without glibc)."""
    global _DONE
    if _DONE:
        return
    _DONE = True
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-3, MMAP_THRESHOLD)  # -3 = M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass
