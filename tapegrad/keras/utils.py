"""``tf.keras.utils``: ``Progbar`` (the progress bar of ``fit`` and the demo) and the array
helpers ``to_categorical``, ``normalize``, ``pad_sequences``, ``set_random_seed``."""

from __future__ import annotations

import random
import sys
import time
from typing import Any, TextIO

import numpy as np

from ..ops import random as _random
from .dataset_utils import split_dataset, timeseries_dataset_from_array
from .image_dataset import image_dataset_from_directory
from .text_dataset import text_dataset_from_directory

__all__ = ["Progbar", "to_categorical", "normalize", "pad_sequences", "set_random_seed",
           "timeseries_dataset_from_array", "split_dataset", "image_dataset_from_directory",
           "text_dataset_from_directory"]


def _fmt(v: float) -> str:
    return f"{v:.4f}" if abs(v) >= 1e-3 or v == 0 else f"{v:.4e}"


class Progbar:
    """A progress bar for ``target`` steps, redrawn in place on a terminal.

    ``verbose=1`` redraws the bar on a TTY and, on anything else (a log file, a pipe, a test),
    prints only the final line of each bar; ``verbose=2`` prints only the final line;
    ``verbose=0`` prints nothing.  ``values`` are ``(name, value)`` pairs shown after the bar
    (running means unless listed in ``stateful_metrics``).

    >>> import io
    >>> from tapegrad.keras.utils import Progbar
    >>> out = io.StringIO()
    >>> bar = Progbar(2, stream=out)
    >>> bar.update(1, [("loss", 1.0)]); bar.update(2, [("loss", 3.0)])
    >>> print(out.getvalue().strip())  # doctest: +ELLIPSIS
    2/2 [==============================] - ...s ...ms/step - loss: 2.0000
    """

    def __init__(self, target: int | None, width: int = 30, verbose: int = 1,
                 interval: float = 0.05, stateful_metrics: Any = None, unit_name: str = "step",
                 stream: TextIO | None = None):
        # target None: the number of steps is unknown until the end ("7/Unknown")
        self.target = None if target is None else int(target)
        self.width, self.verbose = int(width), int(verbose)
        self.interval, self.unit_name = interval, unit_name
        self.stateful = set(stateful_metrics or ())
        self.stream = stream if stream is not None else sys.stdout
        isatty = getattr(self.stream, "isatty", None)
        self.dynamic = bool(isatty and isatty())
        self._sums: dict[str, list[float]] = {}
        self._order: list[str] = []
        self._start = time.perf_counter()
        self._last_draw = 0.0
        self._seen = 0

    def update(self, current: int, values: Any = None, finalize: bool | None = None) -> None:
        """Advance to step ``current``, folding ``values`` into the running means."""
        for name, value in values or ():
            value = float(value)
            if name not in self._sums:
                self._order.append(name)
                self._sums[name] = [0.0, 0.0]
            if name in self.stateful:
                self._sums[name] = [value, 1.0]
            else:
                n = max(current - self._seen, 1)
                self._sums[name][0] += value * n
                self._sums[name][1] += n
        self._seen = current
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        final = finalize
        if self.verbose == 0:
            return
        now = time.perf_counter()
        if not final and (not self.dynamic or self.verbose != 1 or
                          now - self._last_draw < self.interval):
            return
        self._last_draw = now
        line = self._line(current, now - self._start, final)
        if self.dynamic and self.verbose == 1:
            self.stream.write("\r" + line + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def add(self, n: int, values: Any = None) -> None:
        """Advance by ``n`` steps."""
        self.update(self._seen + n, values)

    def _line(self, current: int, elapsed: float, final: bool) -> str:
        if self.target is None:
            return f"{current}/Unknown {elapsed:.0f}s" + self._metrics()
        digits = len(str(self.target))
        done = int(self.width * min(current, self.target) / max(self.target, 1))
        bar = "=" * done
        if done < self.width:
            bar += ">" + "." * (self.width - done - 1)
        head = f"{current:{digits}d}/{self.target} [{bar}]"
        per = elapsed / max(current, 1)
        if final:
            timing = f"{elapsed:.0f}s {per * 1e3:.0f}ms/{self.unit_name}"
        else:
            timing = f"ETA: {per * (self.target - current):.0f}s"
        return f"{head} - {timing}{self._metrics()}"

    def _metrics(self) -> str:
        return "".join(f" - {k}: {_fmt(s / max(c, 1))}" for k, (s, c) in
                       ((k, self._sums[k]) for k in self._order))


def to_categorical(x: Any, num_classes: int | None = None) -> np.ndarray:
    """One-hot rows (float64, as Keras 3 returns for NumPy input) for integer labels; a
    trailing axis of size 1 is dropped first.

    >>> from tapegrad.keras.utils import to_categorical
    >>> to_categorical([0, 2, 1], num_classes=3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    x = np.array(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = tuple(shape[:-1])
    x = x.reshape(-1)
    num_classes = int(np.max(x)) + 1 if not num_classes else int(num_classes)
    if x.size and (x.min() < 0 or x.max() >= num_classes):
        raise ValueError(f"to_categorical: labels must lie in [0, {num_classes}), got "
                         f"values from {x.min()} to {x.max()}.")
    out = np.zeros((x.shape[0], num_classes))
    out[np.arange(x.shape[0]), x] = 1
    return out.reshape(tuple(shape) + (num_classes,))


def normalize(x: Any, axis: int = -1, order: int = 2) -> np.ndarray:
    """``x`` divided by its ``order``-norm along ``axis`` (zero norms left as 1).

    >>> from tapegrad.keras.utils import normalize
    >>> normalize([[3.0, 4.0], [0.0, 0.0]]).tolist()
    [[0.6, 0.8], [0.0, 0.0]]
    """
    x = np.asarray(x, dtype=np.result_type(np.asarray(x).dtype, np.float32))
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


def pad_sequences(sequences: Any, maxlen: int | None = None, dtype: Any = "int32",
                  padding: str = "pre", truncating: str = "pre",
                  value: float = 0.0) -> np.ndarray:
    """Pad (or cut) each sequence to ``maxlen`` (default: the longest), at the start
    (``"pre"``) or the end (``"post"``).

    >>> from tapegrad.keras.utils import pad_sequences
    >>> pad_sequences([[1, 2, 3], [4]], maxlen=2, padding="post").tolist()
    [[2, 3], [4, 0]]
    """
    for name, v in (("padding", padding), ("truncating", truncating)):
        if v not in ("pre", "post"):
            raise ValueError(f"pad_sequences: {name} must be 'pre' or 'post', got {v!r}.")
    seqs = [np.asarray(s) for s in sequences]
    maxlen = max((len(s) for s in seqs), default=0) if maxlen is None else int(maxlen)
    tail = next((s.shape[1:] for s in seqs if len(s)), ())
    out = np.full((len(seqs), maxlen) + tuple(tail), value, dtype=dtype)
    for i, s in enumerate(seqs):
        if not len(s) or not maxlen:
            continue
        s = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        if padding == "post":
            out[i, :len(s)] = s
        else:
            out[i, -len(s):] = s
    return out


def set_random_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and ``tf.random`` at once.

    >>> import numpy as np
    >>> from tapegrad.keras.utils import set_random_seed
    >>> set_random_seed(3); a = np.random.rand()
    >>> set_random_seed(3); bool(a == np.random.rand())
    True
    """
    if not isinstance(seed, int):
        raise ValueError(f"set_random_seed: expected an int seed, got {seed!r}.")
    random.seed(seed)
    np.random.seed(seed)
    _random.set_seed(seed)
