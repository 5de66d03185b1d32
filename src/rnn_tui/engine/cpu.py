"""Process-wide settings that make the training loop fast.

They change results only below float32's smallest normal number: with FTZ a gradient
that would have been a denormal is a zero instead (horizon.py counts both as underflowed).

Denormals: as a tanh RNN learns to forget, its backward pass carries gradients that
shrink past float32's smallest normal number (1.2e-38). Arithmetic on such denormals
runs 10 to 160 times slower on x86, and the step rate collapses. NumPy has no switch for
it; the CPU does: flush-to-zero (FTZ) and denormals-are-zero (DAZ), set per thread by
the `daz` package.

Freed memory: every step allocates a few arrays of megabytes (the cache of the unrolled
sequence). glibc hands blocks that large back to the OS when they are freed, so the next
step page-faults them in again, which costs as much as a third of the forward pass.
Raising glibc's mmap and trim thresholds keeps them in the heap for reuse.
"""

from __future__ import annotations

import ctypes
import ctypes.util

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_KEEP_BYTES = 1 << 30


def flush_denormals() -> bool:
    """Set FTZ and DAZ for the calling thread. True when set, False where unavailable
    (non-x86 CPUs or `daz` not importable): denormals are then kept, and slow."""
    try:
        import daz

        daz.set_ftz()
        daz.set_daz()
    except Exception:  # a CPU or platform without the flags: slower, not wrong
        return False
    return True


def keep_denormals() -> None:
    """Undo `flush_denormals` (benchmarks compare both)."""
    try:
        import daz

        daz.unset_ftz()
        daz.unset_daz()
    except Exception:  # as above: nothing to undo
        pass


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed blocks up to 1 GiB in the heap. False where not glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, _KEEP_BYTES)
                    and libc.mallopt(_M_TRIM_THRESHOLD, 2 * _KEEP_BYTES))
    except (OSError, AttributeError):
        return False


def tune_for_training() -> dict[str, bool]:
    """Both settings for the calling process/thread; says which took effect."""
    return {"flush_denormals": flush_denormals(), "keep_freed_memory": keep_freed_memory()}
