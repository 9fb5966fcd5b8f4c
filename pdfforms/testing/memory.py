"""The peak resident memory of this process, for benchmarks and tests that read it
in a child process of their own."""

from __future__ import annotations

import resource


def peak_resident() -> int:
    """Bytes: the most resident memory this process has held since it started.

    Linux's getrusage(ru_maxrss) keeps the high-water mark across execve, so a child
    started by a parent holding 500 MB reports at least 500 MB whatever it did
    itself (measured: a child printing its own ru_maxrss said 511 MB). VmHWM in
    /proc/self/status is the mark of this program's own memory, and is taken where
    there is one; elsewhere (macOS: bytes, not kB) ru_maxrss is all there is.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
