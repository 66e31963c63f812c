"""``tf.summary``: file writers and the scalar, histogram, image and text summaries, written
as TensorBoard event files by ``events.py`` (no TensorBoard or protobuf needed to write)."""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import threading
import time
import zlib
from typing import Any, Iterator

import numpy as np

from ..engine.tensor import _Base
from . import events as _ev

__all__ = ["SummaryWriter", "create_file_writer", "scalar", "histogram", "image", "text",
           "record_if", "set_step", "get_step", "flush"]

_STATE = threading.local()
_COUNTER = [0]


def _np(x: Any) -> np.ndarray:
    return np.asarray(x._value if isinstance(x, _Base) else x)


class SummaryWriter:
    """Appends events to ``<logdir>/events.out.tfevents.<time>.<host>.<pid>.<n><suffix>``.

    >>> import tempfile, tapegrad as tf
    >>> writer = tf.summary.create_file_writer(tempfile.mkdtemp())
    >>> with writer.as_default(step=3):
    ...     tf.summary.scalar("loss", 0.5)
    True
    """

    def __init__(self, logdir: str, filename_suffix: str = ""):
        os.makedirs(logdir, exist_ok=True)
        _COUNTER[0] += 1
        name = (f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}."
                f"{os.getpid()}.{_COUNTER[0]}{filename_suffix or ''}")
        self.path = os.path.join(logdir, name)
        self.closed = False
        self._append(_ev.record(_ev.event(time.time(), 0, file_version="brain.Event:2")))

    def _append(self, data: bytes) -> None:
        # each event is appended and the file closed again: nothing to lose or leak when a
        # writer is dropped without close()
        with open(self.path, "ab") as f:
            f.write(data)

    @contextlib.contextmanager
    def as_default(self, step: int | None = None) -> Iterator["SummaryWriter"]:
        """Make this the writer that summaries go to (and ``step`` their step) inside the
        ``with`` block."""
        old = (getattr(_STATE, "writer", None), getattr(_STATE, "step", None))
        _STATE.writer = self
        if step is not None:
            _STATE.step = int(_np(step))
        try:
            yield self
        finally:
            _STATE.writer, _STATE.step = old
            self.flush()

    def set_as_default(self, step: int | None = None) -> None:
        _STATE.writer = self
        if step is not None:
            _STATE.step = int(_np(step))

    def write(self, step: int, value: bytes) -> None:
        if self.closed:
            raise ValueError(f"SummaryWriter: {self.path!r} is closed.")
        self._append(_ev.record(_ev.event(time.time(), step, summary_values=[value])))

    def flush(self) -> None:
        """Events are on disk as soon as they are written; kept for TF's API."""

    def close(self) -> None:
        self.closed = True


def create_file_writer(logdir: str, max_queue: int | None = None,
                       flush_millis: int | None = None, filename_suffix: str | None = None,
                       name: str | None = None, experimental_trackable: bool = False
                       ) -> SummaryWriter:
    """A ``SummaryWriter`` for ``logdir`` (created if missing); each event is appended to the
    file as it is written (``max_queue``/``flush_millis`` are accepted and unused).

    >>> import tempfile, tapegrad as tf
    >>> tf.summary.create_file_writer(tempfile.mkdtemp()).path.split("/")[-1][:19]
    'events.out.tfevents'
    """
    return SummaryWriter(str(logdir), filename_suffix or "")


def set_step(step: Any) -> None:
    """The default step of summaries written without ``step=`` (``tf.summary.experimental``)."""
    _STATE.step = None if step is None else int(_np(step))


def get_step() -> int | None:
    return getattr(_STATE, "step", None)


@contextlib.contextmanager
def record_if(condition: Any) -> Iterator[None]:
    """Write summaries inside the block only while ``condition`` (a bool, or a callable
    returning one) holds.

    >>> import tempfile, tapegrad as tf
    >>> with tf.summary.create_file_writer(tempfile.mkdtemp()).as_default(step=0):
    ...     with tf.summary.record_if(False):
    ...         tf.summary.scalar("x", 1.0)
    False
    """
    old = getattr(_STATE, "record_if", True)
    _STATE.record_if = condition
    try:
        yield
    finally:
        _STATE.record_if = old


def flush(writer: SummaryWriter | None = None) -> None:
    w = writer or getattr(_STATE, "writer", None)
    if w is not None:
        w.flush()


def _target(op: str, step: Any) -> tuple[SummaryWriter | None, int]:
    writer = getattr(_STATE, "writer", None)
    cond = getattr(_STATE, "record_if", True)
    if writer is None or not (cond() if callable(cond) else bool(cond)):
        return None, 0
    step = get_step() if step is None else int(_np(step))
    if step is None:
        raise ValueError(f"tf.summary.{op}: no step set; pass step= or use "
                         f"writer.as_default(step=...) / tf.summary.experimental.set_step.")
    return writer, step


def scalar(name: str, data: Any, step: Any = None, description: str | None = None) -> bool:
    """Write one scalar; ``False`` (nothing written) when no writer is the default."""
    writer, step = _target("scalar", step)
    if writer is None:
        return False
    value = float(_np(data))
    writer.write(step, _ev.value(name, simple_value=value,
                                 metadata=_ev.plugin_metadata("scalars")))
    return True


def histogram(name: str, data: Any, step: Any = None, buckets: int | None = None,
              description: str | None = None) -> bool:
    """Write the histogram of ``data`` in ``buckets`` (30) equal-width buckets."""
    writer, step = _target("histogram", step)
    if writer is None:
        return False
    x = _np(data).astype(np.float64).ravel()
    if x.size == 0:
        limits, counts, lo, hi = [], [], 0.0, 0.0
    else:
        lo, hi = float(x.min()), float(x.max())
        counts_, edges = np.histogram(x, bins=int(buckets or 30),
                                      range=(lo, hi) if hi > lo else (lo - 0.5, lo + 0.5))
        limits, counts = edges[1:].tolist(), counts_.tolist()
    histo = _ev.histogram_proto(lo, hi, float(x.size), float(x.sum()), float((x * x).sum()),
                                limits, counts)
    writer.write(step, _ev.value(name, histo=histo))
    return True


def _png(img: np.ndarray) -> bytes:
    h, w, c = img.shape
    raw = b"".join(b"\x00" + img[i].tobytes() for i in range(h))
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data +  # noqa: E731
                                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    color = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def image(name: str, data: Any, step: Any = None, max_outputs: int = 3,
          description: str | None = None) -> bool:
    """Write up to ``max_outputs`` images of a ``[k, h, w, c]`` batch (floats in [0, 1] or
    uint8; c in 1..4) as PNGs."""
    writer, step = _target("image", step)
    if writer is None:
        return False
    x = _np(data)
    if x.ndim != 4 or x.shape[-1] not in (1, 2, 3, 4):
        raise ValueError(f"tf.summary.image: expected a [k, h, w, c] batch with c in 1..4, got "
                         f"shape {x.shape}.")
    if x.dtype != np.uint8:
        x = np.clip(np.round(x.astype(np.float64) * 255.0), 0, 255).astype(np.uint8)
    for i, img in enumerate(x[:max_outputs]):
        tag = name if x.shape[0] == 1 or max_outputs == 1 else f"{name}/image/{i}"
        proto = _ev.image_proto(img.shape[0], img.shape[1], img.shape[2], _png(img))
        writer.write(step, _ev.value(tag, image=proto))
    return True


def text(name: str, data: Any, step: Any = None, description: str | None = None) -> bool:
    """Write one string (Markdown in TensorBoard's Text tab)."""
    writer, step = _target("text", step)
    if writer is None:
        return False
    s = _np(data).item() if not isinstance(data, str) else data
    s = s if isinstance(s, bytes) else str(s).encode()
    writer.write(step, _ev.value(name, tensor=_ev.string_tensor(s),
                                 metadata=_ev.plugin_metadata("text")))
    return True
