"""The CPU time PostgreSQL's backends spend on one database while a command runs.

The import's own process is only half of a load: the server parses COPY, keeps indexes and
checks keys in its backend (and parallel workers for index builds). ``ServerCpu`` polls
``pg_stat_activity`` for the processes connected to the scratch database and reads their
user + system time from ``/proc/<pid>/stat`` (the server runs on this machine), keeping each
process's last reading: a backend's time up to at most one poll interval before it exits."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from kervan.db.engine import make_engine

#: Seconds between readings: the time a backend spends after its last reading is lost.
POLL = 0.05
_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the command (which may hold spaces, in parentheses): utime is the 14th.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


class ServerCpu:
    """Start before the command, ``stop()`` after it: the backends' CPU seconds in between."""

    def __init__(self, url: str) -> None:
        self._database = make_url(url).database
        self._engine = make_engine(url.rsplit("/", 1)[0] + "/postgres")
        self._seen: dict[int, float] = {}
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        with self._engine.connect() as connection:
            query = text(
                "SELECT pid FROM pg_stat_activity WHERE datname = :db AND pid <> pg_backend_pid()"
            )
            while not self._stopped.wait(POLL):
                for pid in connection.execute(query, {"db": self._database}).scalars():
                    seconds = _cpu_seconds(pid)
                    if seconds is not None:
                        self._seen[pid] = seconds
                connection.rollback()

    def stop(self) -> float:
        self._stopped.set()
        self._thread.join()
        self._engine.dispose()
        return sum(self._seen.values())
