"""Stages that keep elements: prefetch (a background thread), cache in memory or in a file,
and snapshot (a saved dataset under the pipeline's fingerprint)."""

from __future__ import annotations

import contextvars
import os
import queue
import threading
from typing import Any, Callable, Iterator

from . import fingerprint, storage
from .dataset import Dataset
from .saving import _SPEC_FILE, _publish


class _FileCache(Dataset):
    """``cache(filename)``: the first complete pass is written to a record file, moved into
    place only when the pass ends; later passes (and later programs) read it. A pass left
    early leaves no file, so a partial cache is never reused."""

    _same_spec = True

    def __init__(self, source: Dataset, path: str):
        self.source, self.path = source, path

    def _iter(self) -> Iterator[Any]:
        if storage.is_complete(self.path):
            yield from storage.read_records(self.path)
            return
        writer = None
        try:
            for element in self.source._iter():
                if writer is None:
                    writer = storage.RecordWriter(self.path, element)
                writer.write(element)
                yield element
        except BaseException:
            if writer is not None:
                writer.abort()
            raise
        if writer is not None:
            writer.commit()

    def _cardinality(self) -> int:
        return self.source._cardinality()


class _Prefetch(Dataset):
    """Elements produced by a background thread into a queue of ``size``, ahead of the consumer.

    Leaving the loop early (``break``, an exception, garbage collection) stops and joins the
    thread; an error in the pipeline is raised in the consumer.
    """

    _same_spec = True

    def __init__(self, source: Dataset, size: int):
        self.source, self.size = source, size

    def _iter(self) -> Iterator[Any]:
        q: queue.Queue = queue.Queue(self.size)
        stop = threading.Event()
        context = contextvars.copy_context()  # the pass's options reach the stages upstream
        worker = threading.Thread(target=context.run, args=(_produce, self.source, q, stop),
                                  daemon=True, name="tapegrad.data.prefetch")
        worker.start()
        try:
            while True:
                kind, item = q.get()
                if kind == "end":
                    return
                if kind == "error":
                    raise item
                yield item
        finally:
            stop.set()
            while worker.is_alive():
                try:
                    q.get(timeout=0.01)
                except queue.Empty:
                    pass
            worker.join()

    def _cardinality(self) -> int:
        return self.source._cardinality()


def _produce(source: Dataset, q: queue.Queue, stop: threading.Event) -> None:
    """The prefetch thread: put each element (then "end", or the error) unless told to stop."""
    def put(kind: str, item: Any) -> bool:
        while not stop.is_set():
            try:
                q.put((kind, item), timeout=0.05)
                return True
            except queue.Full:
                continue
        return False
    try:
        for element in source._iter():
            if not put("item", element):
                return
    except BaseException as e:  # handed to the consumer, which raises it
        put("error", e)
        return
    put("end", None)


class _Cache(Dataset):
    _same_spec = True

    def __init__(self, source: Dataset):
        self.source, self.cached = source, None

    def _iter(self) -> Iterator[Any]:
        if self.cached is not None:
            yield from self.cached
            return
        seen = []
        for element in self.source._iter():
            seen.append(element)
            yield element
        self.cached = seen

    def _cardinality(self) -> int:
        return self.source._cardinality()


class _Snapshot(Dataset):
    """``snapshot``: a saved dataset in ``path/<fingerprint>``, written by the first complete
    pass (while it is consumed) and read by the later ones."""

    _same_spec = True

    def __init__(self, source: Dataset, path: str, compression: str | None,
                 reader_func: Callable | None, shard_func: Callable | None):
        self.source, self.path, self.compression = source, path, compression
        self.reader_func, self.shard_func = reader_func, shard_func

    def _iter(self) -> Iterator[Any]:
        folder = os.path.join(self.path, f"{fingerprint.digest(self.source):016x}")
        if os.path.exists(os.path.join(folder, _SPEC_FILE)):
            yield from Dataset.load(folder, reader_func=self.reader_func)._iter()
            return
        os.makedirs(folder, exist_ok=True)
        yield from _publish(self.source._iter(), folder, self.compression, self.shard_func)

    def _cardinality(self) -> int:
        return self.source._cardinality()
