"""A thread pool behind ``map(num_parallel_calls=...)`` and ``interleave(num_parallel_calls=...)``.

Only the user's functions run on the pool; the upstream iterator is advanced on the consuming
thread alone, so sources need no locks. NumPy releases the GIL inside its kernels, so a map over
big arrays runs on several cores. At most ``workers`` calls are in flight (bounded memory), and
leaving the loop early cancels what has not started and joins the pool: no thread is left behind.
"""

from __future__ import annotations

import collections
import os
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Callable, Iterator

__all__ = ["workers_for", "parallel_map", "interleave"]

_END = object()


def workers_for(num_parallel_calls: int | None, autotune: int) -> int:
    """Threads for ``num_parallel_calls`` (``AUTOTUNE``: one per core); 0 or 1 means serial.

    >>> workers_for(4, -1), workers_for(None, -1), workers_for(-1, -1) >= 1
    (4, 1, True)
    """
    if num_parallel_calls is None:
        return 1
    if int(num_parallel_calls) == autotune:
        return os.cpu_count() or 1
    if int(num_parallel_calls) <= 0:
        raise ValueError(f"num_parallel_calls must be positive or tf.data.AUTOTUNE, got "
                         f"{num_parallel_calls}.")
    return int(num_parallel_calls)


def parallel_map(fn: Callable[[int, Any], Any], items: Iterator[Any], workers: int,
                 deterministic: bool) -> Iterator[Any]:
    """``fn(i, item)`` for each item on ``workers`` threads; in input order when
    ``deterministic``, else as each finishes. An error is raised where its result would be.

    >>> list(parallel_map(lambda i, x: x * 10, iter([1, 2, 3]), 2, True))
    [10, 20, 30]
    """
    pool = ThreadPoolExecutor(workers, thread_name_prefix="tapegrad.data.map")
    pending: collections.deque[Future] = collections.deque()
    try:
        for i, item in enumerate(items):
            pending.append(pool.submit(fn, i, item))
            if len(pending) >= workers:
                yield from _drain(pending, deterministic, keep=workers - 1)
        yield from _drain(pending, deterministic, keep=0)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _drain(pending: collections.deque, deterministic: bool, keep: int) -> Iterator[Any]:
    """Results until at most ``keep`` calls are in flight."""
    while len(pending) > keep:
        if deterministic:
            yield pending.popleft().result()
            continue
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for f in [f for f in pending if f in done]:
            pending.remove(f)
            yield f.result()


class _Ready:
    """A finished call, for the serial path: ``result()`` gives its value or raises its error."""

    def __init__(self, fn: Callable, *args: Any):
        try:
            self.value, self.error = fn(*args), None
        except Exception as e:  # raised where the result is used, as a pool's future does
            self.value, self.error = None, e

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


def _next_block(it: Iterator[Any], n: int) -> tuple[Iterator[Any], list, bool]:
    out = []
    for _ in range(n):
        element = next(it, _END)
        if element is _END:
            return it, out, True
        out.append(element)
    return it, out, False


def interleave(open_fn: Callable[[Any], Iterator[Any]], outer: Iterator[Any], cycle: int,
               block: int, workers: int = 1) -> Iterator[Any]:
    """TF's interleave: ``cycle`` slots visited in turn, ``block`` elements from each; a slot
    whose iterator ends is refilled from ``outer`` at its next visit, in place. With
    ``workers`` > 1 each open slot fetches its next block on a pool while the others are
    consumed; the order is the same.

    >>> ins = [iter([1]), iter([2, 2]), iter([3, 3, 3])]
    >>> list(interleave(lambda it: it, iter(ins), 2, 1))
    [1, 2, 2, 3, 3, 3]
    """
    pool = ThreadPoolExecutor(workers, "tapegrad.data.interleave") if workers > 1 else None
    submit = pool.submit if pool is not None else _Ready
    slots: list = [None] * cycle
    exhausted, k = False, 0
    try:
        while not (exhausted and not any(slots)):
            if slots[k] is None and not exhausted:
                element = next(outer, _END)
                exhausted = element is _END
                if not exhausted:
                    slots[k] = submit(lambda e: _next_block(open_fn(e), block), element)
            if slots[k] is not None:
                it, items, ended = slots[k].result()
                slots[k] = None if ended else submit(_next_block, it, block)
                yield from items
            k = (k + 1) % cycle
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
