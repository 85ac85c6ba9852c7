"""HiGHS (``highspy``), the one solver of the node (seat allocation, disclosure control): one
way to make an instance that prints nothing."""

from __future__ import annotations

import ctypes
import os
import sys
import threading

import highspy

_FIRST = threading.Lock()
_banner_swallowed = False


def quiet_highs() -> highspy.Highs:
    """A HiGHS instance that prints nothing. HiGHS writes its banner to the C library's
    standard output when a process makes its first instance, before any option can be set,
    so that one is made with file descriptor 1 pointed at /dev/null (and the C buffers
    flushed before it is restored): a CLI's output and the node's JSON logs stay clean. Every
    instance then has its output off."""
    global _banner_swallowed
    with _FIRST:
        if _banner_swallowed:
            highs = highspy.Highs()
        else:
            highs = _swallowing_stdout(highspy.Highs)
            _banner_swallowed = True
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("log_to_console", False)
    return highs


def _swallowing_stdout(make: type[highspy.Highs]) -> highspy.Highs:
    sys.stdout.flush()
    libc = ctypes.CDLL(None)
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        made = make()
        libc.fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    return made
