"""``Progbar``: the one-line progress bar of ``fit`` and the demo (``tf.keras.utils.Progbar``)."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

__all__ = ["Progbar"]


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
