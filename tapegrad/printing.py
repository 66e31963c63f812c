"""``tf.print`` and TF's text form of a tensor's values (``Tensor::SummarizeValue``).

TF writes a float with the fewest digits that read back to the same float32 (6, else 9
significant digits) or float64 (15, else 17), booleans as 1/0, and keeps ``summarize`` entries
at each end of every axis, with ``...`` between.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from .engine.tensor import _Base

__all__ = ["print_", "format_value", "format_scalar"]


def format_scalar(x: Any) -> str:
    """One element as TF prints it.

    >>> from tapegrad.printing import format_scalar
    >>> import numpy as np
    >>> [format_scalar(v) for v in (np.float32(0.1), np.float32(1 / 3), np.float64(1 / 3))]
    ['0.1', '0.333333343', '0.33333333333333331']
    """
    if isinstance(x, (bool, np.bool_)):
        return "1" if x else "0"
    if isinstance(x, (np.floating, float)):
        if np.isnan(x):
            return "nan"
        if np.isinf(x):
            return "inf" if x > 0 else "-inf"
        short, full = (6, 9) if isinstance(x, (np.float32, np.float16)) else (15, 17)
        text = f"{float(x):.{short}g}"
        return text if type(x)(text) == x else f"{float(x):.{full}g}"
    if isinstance(x, (np.complexfloating, complex)):
        return f"({format_scalar(x.real)},{format_scalar(x.imag)})"
    if isinstance(x, bytes):
        return x.decode("utf-8", "backslashreplace")
    return str(x)


def _rows(a: np.ndarray, n: int) -> list:
    """Indices along the first axis to show, ``None`` marking the ``...``."""
    size = a.shape[0]
    if n < 0 or size <= 2 * n:
        return list(range(size))
    return list(range(n)) + [None] + list(range(size - n, size))


def _format(a: np.ndarray, n: int, depth: int) -> str:
    if a.ndim == 0:
        return format_scalar(a[()])
    parts = ["..." if i is None else _format(a[i], n, depth + 1) for i in _rows(a, n)]
    if a.ndim == 1:
        return "[" + " ".join(parts) + "]"
    sep = "\n" * (a.ndim - 1) + " " * (depth + 1)
    return "[" + sep.join(parts) + "]"


def format_value(value: Any, summarize: int = 3) -> str:
    """A tensor's values as ``tf.print`` writes them (``summarize`` entries per axis end;
    -1 for all).

    >>> import tapegrad as tf
    >>> from tapegrad.printing import format_value
    >>> print(format_value(tf.range(10)))
    [0 1 2 ... 7 8 9]
    >>> print(format_value(tf.constant([[1.5, 2.0], [3.0, 4.0]])))
    [[1.5 2]
     [3 4]]
    """
    a = value._value if isinstance(value, _Base) else value
    a = np.asarray(a)
    if summarize is None:
        summarize = 3
    return _format(a, int(summarize), 0)


def _open_stream(output_stream: Any):
    if isinstance(output_stream, str):
        if not output_stream.startswith("file://"):
            raise ValueError(f"tf.print: output_stream {output_stream!r} is not supported; use "
                             f"sys.stdout, sys.stderr or 'file://<path>'")
        return open(output_stream[len("file://"):], "a", encoding="utf-8"), True
    return output_stream, False


def _text(x: Any, summarize: int, top: bool) -> str:
    if isinstance(x, _Base) or isinstance(x, np.ndarray):
        return format_value(x, summarize)
    if isinstance(x, str):
        return x if top else repr(x)
    if isinstance(x, dict):
        items = ", ".join(f"{_text(k, summarize, False)}: {_text(v, summarize, False)}"
                          for k, v in x.items())
        return "{" + items + "}"
    if type(x) in (list, tuple):
        inner = ", ".join(_text(v, summarize, False) for v in x)
        return f"[{inner}]" if isinstance(x, list) else f"({inner}{',' if len(x) == 1 else ''})"
    return str(x)


def print_(*inputs: Any, output_stream: Any = None, summarize: int = 3, sep: str = " ",
           end: str = "\n", name: str | None = None) -> None:
    """Print tensors and Python values as TF does (``tf.print``), to ``sys.stderr`` by
    default, or to ``output_stream``: a stream or ``'file://path'`` (appended to).

    >>> import sys
    >>> import tapegrad as tf
    >>> tf.print("x:", tf.constant([1.0, 2.5]), {"n": tf.range(5)}, output_stream=sys.stdout)
    x: [1 2.5] {'n': [0 1 2 3 4]}
    >>> tf.print(tf.range(10), summarize=2, sep=",", end="!\\n", output_stream=sys.stdout)
    [0 1 ... 8 9]!
    """
    stream, close = _open_stream(sys.stderr if output_stream is None else output_stream)
    try:
        stream.write(sep.join(_text(x, summarize, True) for x in inputs) + end)
    finally:
        if close:
            stream.close()
