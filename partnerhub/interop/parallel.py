"""The helper processes of a large import.

An import checks every row before it writes anything, and then builds each partnership's rows, search
document included: some 170 µs of Python a row, against the 50 µs this process then takes to store them
(docs/import-format.md#speed). A large
import (`PARALLEL` new rows or more, on Linux with more than one processor) therefore forks one `Helper`
per processor once the file has been read and its organisations resolved in file order (services.py),
and gives each an equal, consecutive share of the new rows. Each helper checks its share and says whether
it found problems (`Verdict`); if no row of the file has one, this process reserves the keys of every
share (in file order) and each helper builds the rows of its own and sends them batch by batch, while
this process writes them as they come, from whichever helper.

A helper shares this process's memory copy-on-write (the rows read, the reference data), so nothing but
its verdict and its rows crosses its pipe. It runs no query (one raises, and the import writes nothing)
and holds no lock. However the import ends, its helpers end with it.
"""

import gc
import multiprocessing
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from django.db import connection

from . import writer
from .readers import Problem, RawRow
from .records import Organised, Record, Resolver

PARALLEL = 5_000  # new rows: forking and the pipes cost some milliseconds, which small imports do without
MOST_HELPERS = 8  # this process writes every row: past a few helpers it is the bottleneck


@dataclass
class Verdict:
    """What a helper found in its share: every problem, and what its records make."""

    problems: list[Problem] = field(default_factory=list)
    counts: writer.Counts = field(default_factory=writer.Counts)
    said_published: int = 0


def helpers_for(rows: int) -> int:
    """How many helper processes an import of this many new rows takes (none: it runs here)."""
    processors = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if rows < PARALLEL or sys.platform != "linux" or processors < 2:
        return 0
    return min(processors, MOST_HELPERS)


class Helper:
    """A forked process that checks, then builds, the rows at `share` (indexes into `rows`)."""

    def __init__(self, resolver: Resolver, rows: list[RawRow], organised: list[Organised], share: list[int]):
        context = multiprocessing.get_context("fork")
        self.pipe, theirs = context.Pipe()
        self.verdict: Verdict | None = None
        gc.freeze()  # the collector would otherwise touch, and so copy, every object the helper shares
        try:
            self.process = context.Process(
                target=_help, args=(resolver, rows, organised, share, theirs), daemon=True
            )
            self.process.start()
        finally:
            gc.unfreeze()
        theirs.close()

    def wait(self) -> Verdict:
        """The helper's verdict on its share (it has checked every row of it)."""
        if self.verdict is None:
            self.verdict = self._receive("verdict")
        return self.verdict

    def order(self, keys: writer.Keys, load: writer.Load) -> None:
        """Have the helper build the rows of its share, with these keys, for this load."""
        self.pipe.send(("build", keys, load.status, load.now, load.user_id))

    def receive(self) -> writer.Batch | None:
        """The next batch of the helper's rows; None once it has sent them all."""
        return self._receive("rows")

    def close(self) -> None:
        self.pipe.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()

    def _receive(self, kind: str):
        try:
            message = self.pipe.recv()
        except EOFError:
            raise RuntimeError("A process helping with the import stopped.") from None
        if message[0] == "error":
            raise RuntimeError(f"A process helping with the import failed:\n{message[1]}")
        assert message[0] in (kind, "done"), message[0]
        return message[1] if message[0] == kind else None


def order(helpers: list[Helper], load: writer.Load) -> None:
    """Reserve the keys of every helper's share after the load's own (in file order, as the shares are)
    and have each build its rows."""
    for helper in helpers:
        helper.order(load.reserve(helper.wait().counts), load)


def batches(helpers: list[Helper]) -> Iterator[writer.Batch]:
    """The helpers' batches as they come, from whichever helper, until each has sent all of its own."""
    building = {helper.pipe: helper for helper in helpers}
    while building:
        for pipe in wait(list(building)):
            batch = building[pipe].receive()  # type: ignore[index]
            if batch is None:
                del building[pipe]  # type: ignore[arg-type]
            else:
                yield batch


def _help(resolver: Resolver, rows: list[RawRow], organised: list[Organised], share: list[int], pipe) -> None:
    """In a helper: check the share, send the verdict, then (if told to) build and send its rows."""
    try:
        with connection.execute_wrapper(_refuse_query):
            resolver.problems = []
            records = resolver.check_all(rows, organised, share)
            pipe.send(("verdict", verdict_of(records, resolver.problems)))
            order = pipe.recv()
            if order[0] != "build" or resolver.problems:
                return
            _, keys, status, now, user_id = order
            for batch in writer.batches(records, keys, status=status, now=now, user_id=user_id):
                pipe.send(("rows", batch))
            pipe.send(("done", None))
    except (EOFError, BrokenPipeError):
        pass  # the import ended without needing the rest
    except BaseException:
        with suppress(OSError):
            pipe.send(("error", traceback.format_exc()))
    finally:
        pipe.close()


def verdict_of(records: list[Record], problems: list[Problem]) -> Verdict:
    return Verdict(problems, writer.Counts.of(records), sum(1 for r in records if r.status == "published"))


def _refuse_query(execute, sql, params, many, context):
    raise RuntimeError(f"No query may run in a process helping with an import: {sql}")
