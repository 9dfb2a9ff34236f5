"""The helper processes of a large import.

An import checks every row before it writes anything, and then builds each partnership's rows, search
document included: some 210 µs of Python a row, against the 70 µs this process then takes to store them
(docs/import-format.md#speed). A large import (`PARALLEL` new rows or more, on Linux with more than one
processor) therefore shares its new rows among helper processes, one per processor (a `Team`): each checks
an equal, consecutive share of the file and says whether it found problems (`Verdict`), then builds the
rows of its share and sends them batch by batch, while this process writes them as they come.

The team forks its helpers as the file is read (`Team.add`): the first once the first share of the file
is read and its organisations resolved in file order, so that it checks its share while this process reads
on; the last once the whole file is read (`Team.finish`). This process then writes; each helper is told to
build (`Team.batches`) as soon as it and every helper before it have found no problem, with the keys
reserved for its share after theirs, so that the keys follow the file. A helper that found problems stops
the writing: the import's transaction rolls back, and the problems of every share are reported.

A helper shares this process's memory copy-on-write (the rows read, the reference data), so nothing but
its verdict and its rows crosses its pipe. It runs no query (one raises, and the import writes nothing)
and holds no lock. However the import ends, its helpers end with it (`Team.close`).
"""

import gc
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import accumulate
from multiprocessing.connection import wait
from typing import Any

from django.db import connection

from . import writer
from .readers import Problem, RawRow
from .records import Organised, Record, Resolver

PARALLEL = 5_000  # new rows: forking and the pipes cost some milliseconds, which small imports do without
MOST_HELPERS = 8  # this process writes every row: past a few helpers it is the bottleneck
# Reading and organising a row here costs about this fraction of what checking and building it costs a
# helper (35 µs against 230: docs/import-format.md#speed); see `marks`.
READING = 0.15

Existing = dict[str, tuple[int, bool]]  # external_id -> (partnership id, whether it is the registry's own)


class Refused(Exception):
    """A helper found problems in its share: nothing may be written."""


@dataclass
class Verdict:
    """What a helper found in its share: every problem, and what its records make."""

    problems: list[Problem] = field(default_factory=list)
    counts: writer.Counts = field(default_factory=writer.Counts)
    said_published: int = 0


def processors() -> int:
    """How many helpers a large import takes on this machine (none: it runs here)."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(count, MOST_HELPERS) if sys.platform == "linux" and count > 1 else 0


class Team:
    """An import's rows as its file is read (`add`, in file order, which resolves their organisations), and
    the helpers that check and build its new rows.

    `size` is the length in bytes of the file, when known, and `position` says how far it is read: the
    first helpers are forked once the file is read to the end of their share; `lookup` finds which
    external_ids the registry has (those rows update a partnership, and are checked here)."""

    def __init__(self, resolver: Resolver, *, size: int | None, position: Callable[[], int],
                 lookup: Callable[[list[str]], Existing]):  # fmt: skip
        self.resolver, self.lookup = resolver, lookup
        self.size, self.position = size or 0, position
        self.rows: list[RawRow] = []
        self.organised: list[Organised] = []
        self.slots = processors()
        self.marks = [round(self.size * mark) for mark in marks(self.slots)] if self.size else []
        self.helpers: list[Helper] = []
        self.existing: Existing = {}
        self.here: list[int] = []  # the rows this process checks
        self.new = 0  # new rows among those taken
        self.taken = 0  # the rows before this one are in a helper's share, or here

    def add(self, row: RawRow) -> None:
        """The next row of the file; the next helper is forked if the file is read to the end of its share
        and the import looks large (from how far in the file its rows went)."""
        self.rows.append(row)
        self.organised.append(self.resolver.organise(row))
        if self.marks and (position := self.position()) >= self.marks[0]:
            while self.marks and position >= self.marks[0]:
                self.marks.pop(0)
            if len(self.rows) * self.size >= PARALLEL * position:
                self._fork(self._take())

    def finish(self) -> list[int]:
        """After the last row: share the rest of the new rows among the helpers not forked yet, if the
        import is large (else this process checks them); the indexes of the rows this process checks."""
        new = self._take()
        left = self.slots - len(self.helpers)
        if self.helpers or (self.new >= PARALLEL and left):
            for n in range(left):
                self._fork(new[len(new) * n // left : len(new) * (n + 1) // left])
        else:
            self.here += new
        return sorted(self.here)

    def verdicts(self) -> list[Verdict]:
        """Every helper's verdict (waiting for those still checking)."""
        return [helper.wait() for helper in self.helpers]

    def batches(self, load: writer.Load) -> Iterator[writer.Batch]:
        """The helpers' batches as they come, from whichever helper, until each has sent all of its own.
        A helper is told to build once it and those before it have found no problem (so the keys follow
        the file); raises Refused as soon as one has found any."""
        waiting = list(self.helpers)  # not told to build yet, in file order
        building: dict[Any, list] = {}  # pipe -> [helper, the partnerships it has still to send]
        while waiting or building:
            while waiting and waiting[0].verdict is not None:
                helper = waiting.pop(0)
                counts = helper.wait().counts
                helper.order(load.reserve(counts), load)
                building[helper.pipe] = [helper, counts.partnerships]
            checking: dict[Any, Helper] = {h.pipe: h for h in waiting if h.verdict is None}
            for pipe in wait([*checking, *building]):
                if pipe in checking:
                    if checking[pipe].wait().problems:
                        raise Refused
                    continue
                helper, due = building[pipe]
                batch = helper.receive()
                if batch is not None:
                    building[pipe][1] -= len(batch["ids"])
                    yield batch
                elif due:  # fewer rows than it had counted: write none of them
                    raise RuntimeError(f"A process helping with the import sent {due} partnerships too few.")
                else:
                    del building[pipe]

    def close(self) -> None:
        for helper in self.helpers:
            helper.close()

    def _take(self) -> list[int]:
        """The new rows read since the last share (the others are checked here)."""
        start, self.taken = self.taken, len(self.rows)
        ids = [o.external_id for o in self.organised[start : self.taken]]
        self.existing.update(self.lookup(ids))
        new: list[int] = []
        for i, external_id in enumerate(ids, start):
            (self.here if external_id in self.existing else new).append(i)
        self.new += len(new)
        return new

    def _fork(self, share: list[int]) -> None:
        if share:
            self.helpers.append(Helper(self.resolver, self.rows, self.organised, share))


def marks(slots: int, reading: float = READING) -> list[float]:
    """Where in the file (as fractions of it) the shares of the first `slots - 1` helpers end; the last
    helper takes the rest once the file is read. A helper forked earlier starts sooner (it checks while
    this process reads the shares after its own), so it gets more rows, as many more as it can check in
    that head start, and the helpers finish together: each share is the last one plus `reading` times
    the part of the file after it. With two helpers: 0.535 and 0.465."""
    # From the last share backwards, in units of the last share; then as fractions of the file.
    shares: list[float] = []
    after = 0.0
    for _ in range(slots):
        shares.insert(0, 1 + reading * after)
        after += shares[0]
    return [end / after for end in accumulate(shares[:-1])]


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
