"""Real threads against the real test database: the fixture that lets them write at once, and the helper that
starts them together and collects what they raised."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence

import pytest
from django.db import connection, connections


@pytest.fixture
def database_for_threads(transactional_db, tmp_path):
    """Let real threads write at once: on SQLite, move the in-memory test database to a WAL file meanwhile.

    SQLite's shared-cache memory database answers "table is locked" to concurrent writers at once instead of
    waiting; a file database waits (busy timeout), as it does in production. PostgreSQL needs nothing.
    """
    if connection.vendor != "sqlite":
        yield
        return
    settings_dict = connections.settings["default"]
    memory_name = settings_dict["NAME"]
    keep_alive = sqlite3.connect(str(memory_name), uri=True)  # the memory database lives while one connection does
    file_name = str(tmp_path / "threads.sqlite3")
    target = sqlite3.connect(file_name)
    keep_alive.backup(target)
    # Switch to WAL once, before the threads: each new connection's init command then finds WAL already
    # set; several connections switching at the same moment can fail with "database is locked".
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    settings_dict["NAME"] = file_name
    connection.close()  # Django keeps in-memory connections open; with the file name set, this one really closes
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.ensure_connection()  # back on the memory database before the last other link to it goes
        keep_alive.close()


def run_together(actions: Sequence[Callable[[], object]]) -> list[BaseException]:
    """Run each action in its own thread, all released together (a barrier); return what they raised ([] when
    nothing). Each thread closes its own database connection when done, as a request would."""
    start = threading.Barrier(len(actions))
    failures: list[BaseException] = []

    def run(action: Callable[[], object]) -> None:
        try:
            start.wait()
            action()
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    started = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=60)
    return failures


def run_at_once(action: Callable[[], object], *, threads: int) -> list[BaseException]:
    """`action` in `threads` threads at once: what they raised, [] when nothing."""
    return run_together([action] * threads)
