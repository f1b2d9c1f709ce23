"""A pool of forked workers in which every task has a time limit.

Used by ``fuzz.py`` and ``soak.py``: one input that hangs the game must not stop a run of
thousands. Each worker runs one task at a time; a task over its time limit has its worker
killed (and replaced), and the run goes on. A worker may report part of its work as it goes
(``report``), so a task cut short still says how far it got. Each worker's memory is capped,
so one input that asks for gigabytes fails in its own process with a MemoryError.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from multiprocessing.connection import wait

TIMED_OUT = "timed out"
DIED = "worker died"
MEMORY_MARGIN = 2 * 2**30  # bytes of address space a worker may take beyond its start


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _worker(conn, work, init) -> None:
    if init is not None:
        init()
    size = _address_space()
    if size:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY_MARGIN, resource.RLIM_INFINITY))
        except (ValueError, OSError):
            pass

    def report(partial) -> None:
        conn.send(("part", partial))

    while True:
        task = conn.recv()
        if task is None:
            return
        conn.send(("done", work(task, report)))


class _Slot:
    def __init__(self, ctx, work, init):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, work, init), daemon=True)
        self.proc.start()
        child.close()
        self.task = None
        self.started = 0.0
        self.partial = None

    def give(self, task) -> None:
        self.task, self.started, self.partial = task, time.monotonic(), None
        self.conn.send(task)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def run(tasks, work, jobs: int, timeout: float, init=None):
    """Run ``work(task, report)`` over the tasks in ``jobs`` forked processes; yield
    ``(task, result, seconds)`` as tasks finish, in any order. A task over ``timeout`` seconds
    yields ``(task, (TIMED_OUT, last report or None), seconds)``; one whose process died
    (killed by the system, a crash of the interpreter) yields ``(task, (DIED, last report),
    seconds)``. ``init`` runs once in each worker before its first task."""
    ctx = mp.get_context("fork")
    todo = list(tasks)[::-1]
    slots = [_Slot(ctx, work, init) for _ in range(max(1, min(jobs, len(todo))))]
    busy: dict = {}
    try:
        for s in slots:
            if todo:
                s.give(todo.pop())
                busy[s.conn] = s
        while busy:
            now = time.monotonic()
            first_end = min(s.started + timeout for s in busy.values())
            ready = wait(list(busy), timeout=max(0.0, first_end - now))
            finished = []
            for conn in ready:
                s = busy[conn]
                try:
                    what, payload = conn.recv()
                except (EOFError, OSError):
                    finished.append((s, (DIED, s.partial), True))
                    continue
                if what == "part":
                    s.partial = payload
                else:
                    finished.append((s, payload, False))
            now = time.monotonic()
            for s in list(busy.values()):
                if s not in [f[0] for f in finished] and now - s.started > timeout:
                    finished.append((s, (TIMED_OUT, s.partial), True))
            for s, result, dead in finished:
                task, seconds = s.task, time.monotonic() - s.started
                del busy[s.conn]
                if dead:
                    s.stop(kill=True)
                    slots.remove(s)
                    s = _Slot(ctx, work, init)
                    slots.append(s)
                if todo:
                    s.give(todo.pop())
                    busy[s.conn] = s
                yield task, result, seconds
    finally:
        for s in slots:
            s.stop(kill=bool(busy))
