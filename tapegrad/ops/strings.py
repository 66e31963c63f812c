"""String ops (``tf.strings``) on string tensors (NumPy object arrays of bytes). None has a
gradient, as in TF; ``split`` and ``unicode_split`` give RaggedTensors."""

from __future__ import annotations

import re
from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.convert import static_int, static_ints
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import Tensor, _Base, convert_raw
from .ragged import RaggedTensor

__all__ = ["lower", "upper", "length", "join", "reduce_join", "regex_replace",
           "regex_full_match", "strip", "substr", "to_number", "as_string", "split",
           "unicode_split", "ngrams", "format"]


def _strings(x: Any, op: str) -> np.ndarray:
    v = x._value if isinstance(x, _Base) else convert_raw(x)
    if v.dtype != object:
        raise TypeError(f"strings.{op}: the input must be a string tensor, got "
                        f"{_dt.from_numpy(v.dtype).name}; use tf.strings.as_string first.")
    return np.asarray(v)


def _map(fn, a: np.ndarray, dtype=object) -> Tensor:
    flat = [fn(v) for v in a.reshape(-1)]
    out = np.empty(len(flat), dtype=dtype)
    out[:] = flat
    return Tensor(out.reshape(a.shape))


def lower(input: Any, encoding: str = "", name: str | None = None) -> Tensor:  # noqa: A002
    """Lower-cased (ASCII, or Unicode with ``encoding='utf-8'``) (``tf.strings.lower``).

    >>> import tapegrad as tf
    >>> tf.strings.lower(["Hello World"]).numpy()
    array([b'hello world'], dtype=object)
    """
    a = _strings(input, "lower")
    if encoding:
        return _map(lambda b: b.decode("utf-8").lower().encode("utf-8"), a)
    return _map(lambda b: b.lower(), a)


def upper(input: Any, encoding: str = "", name: str | None = None) -> Tensor:  # noqa: A002
    """Upper-cased (``tf.strings.upper``).

    >>> import tapegrad as tf
    >>> tf.strings.upper("abc").numpy()
    b'ABC'
    """
    a = _strings(input, "upper")
    if encoding:
        return _map(lambda b: b.decode("utf-8").upper().encode("utf-8"), a)
    return _map(lambda b: b.upper(), a)


def length(input: Any, name: str | None = None, unit: str = "BYTE") -> Tensor:  # noqa: A002
    """The length of each string in bytes, or in Unicode characters with ``unit='UTF8_CHAR'``
    (``tf.strings.length``).

    >>> import tapegrad as tf
    >>> tf.strings.length(["héllo"], unit="UTF8_CHAR").numpy().tolist()
    [5]
    """
    a = _strings(input, "length")
    count = (lambda b: len(b.decode("utf-8"))) if unit == "UTF8_CHAR" else len
    return _map(count, a, np.int32)


def join(inputs: Any, separator: str = "", name: str | None = None) -> Tensor:
    """The elementwise concatenation of a list of string tensors (``tf.strings.join``).

    >>> import tapegrad as tf
    >>> tf.strings.join([["a", "b"], "x"], separator="-").numpy()
    array([b'a-x', b'b-x'], dtype=object)
    """
    parts = np.broadcast_arrays(*[_strings(p, "join") for p in inputs])
    sep = separator.encode("utf-8") if isinstance(separator, str) else separator
    out = np.empty(parts[0].shape, dtype=object)
    for i in np.ndindex(out.shape):
        out[i] = sep.join(p[i] for p in parts)
    return Tensor(out)


def reduce_join(inputs: Any, axis: Any = None, keepdims: bool = False, separator: str = "",
                name: str | None = None) -> Tensor:
    """The strings joined along ``axis`` (all when None) (``tf.strings.reduce_join``).

    >>> import tapegrad as tf
    >>> tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=1, separator=",").numpy()
    array([b'a,b', b'c,d'], dtype=object)
    """
    a = _strings(inputs, "reduce_join")
    sep = separator.encode("utf-8") if isinstance(separator, str) else separator
    if axis is None:
        out = np.empty((), dtype=object)
        out[()] = sep.join(a.reshape(-1))
        return Tensor(out.reshape((1,) * a.ndim) if keepdims else out)
    axis = static_int(axis, "axis", "reduce_join")
    if not -a.ndim <= axis < max(a.ndim, 1):
        raise InvalidArgumentError(f"reduce_join: axis {axis} is out of range for rank {a.ndim}.")
    moved = np.moveaxis(a, axis, -1)
    out = np.empty(moved.shape[:-1], dtype=object)
    for i in np.ndindex(out.shape):
        out[i] = sep.join(moved[i])
    return Tensor(np.expand_dims(out, axis) if keepdims else out)


def _pattern(p: Any) -> bytes:
    return p.encode("utf-8") if isinstance(p, str) else bytes(convert_raw(p).item()) \
        if not isinstance(p, bytes) else p


def regex_replace(input: Any, pattern: Any, rewrite: Any, replace_global: bool = True,  # noqa: A002
                  name: str | None = None) -> Tensor:
    """Matches of ``pattern`` replaced by ``rewrite`` (``\\1`` for groups)
    (``tf.strings.regex_replace``); Python's ``re`` stands in for RE2.

    >>> import tapegrad as tf
    >>> tf.strings.regex_replace(["a1b22"], "[0-9]+", "#").numpy()
    array([b'a#b#'], dtype=object)
    """
    rx = re.compile(_pattern(pattern))
    rw = _pattern(rewrite)
    return _map(lambda b: rx.sub(rw, b, count=0 if replace_global else 1),
                _strings(input, "regex_replace"))


def regex_full_match(input: Any, pattern: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Whether each whole string matches ``pattern`` (``tf.strings.regex_full_match``).

    >>> import tapegrad as tf
    >>> tf.strings.regex_full_match(["abc", "ab1"], "[a-z]+").numpy().tolist()
    [True, False]
    """
    rx = re.compile(_pattern(pattern))
    return _map(lambda b: rx.fullmatch(b) is not None, _strings(input, "regex_full_match"),
                bool)


def strip(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Leading and trailing whitespace removed (``tf.strings.strip``).

    >>> import tapegrad as tf
    >>> tf.strings.strip(["  a b \\n"]).numpy()
    array([b'a b'], dtype=object)
    """
    return _map(lambda b: b.strip(), _strings(input, "strip"))


def substr(input: Any, pos: Any, len: Any, name: str | None = None,  # noqa: A002
           unit: str = "BYTE") -> Tensor:
    """``len`` bytes (or characters with ``unit='UTF8_CHAR'``) from ``pos`` (negative: from
    the end) (``tf.strings.substr``).

    >>> import tapegrad as tf
    >>> tf.strings.substr(["hello"], 1, 3).numpy()
    array([b'ell'], dtype=object)
    """
    a = _strings(input, "substr")
    p, n = static_int(convert_raw(pos), "pos", "substr"), static_int(convert_raw(len), "len",
                                                                       "substr")

    def cut(b):
        s = b.decode("utf-8") if unit == "UTF8_CHAR" else b
        if p > s.__len__() or p < -s.__len__():
            raise InvalidArgumentError(f"strings.substr: pos {p} out of range for {b!r}.")
        start = p if p >= 0 else s.__len__() + p
        piece = s[start:start + n]
        return piece.encode("utf-8") if unit == "UTF8_CHAR" else piece
    return _map(cut, a)


def to_number(string_tensor: Any, out_type: Any = _dt.float32, name: str | None = None) -> Tensor:
    """Each string parsed as a number of ``out_type`` (``tf.strings.to_number``).

    >>> import tapegrad as tf
    >>> tf.strings.to_number(["1.5", "-2"]).numpy().tolist()
    [1.5, -2.0]
    """
    a = _strings(string_tensor, "to_number")
    npd = _dt.np_dtype(out_type)
    parse = int if np.dtype(npd).kind in "iu" else float

    def num(b):
        try:
            return parse(b.decode("utf-8").strip())
        except ValueError:
            raise InvalidArgumentError(f"strings.to_number: StringToNumberOp could not correctly "
                                       f"convert string: {b.decode('utf-8', 'replace')}") from None
    return _map(num, a, npd)


def as_string(input: Any, precision: int = -1, scientific: bool = False,  # noqa: A002
              shortest: bool = False, width: int = -1, fill: str = "",
              name: str | None = None) -> Tensor:
    """Numbers (or bools) formatted as strings (``tf.strings.as_string``); floats with 6
    decimals by default, as TF's.

    >>> import tapegrad as tf
    >>> tf.strings.as_string([1.5, 2.0]).numpy()
    array([b'1.500000', b'2.000000'], dtype=object)
    """
    v = input._value if isinstance(input, _Base) else convert_raw(input)
    a = np.asarray(v)
    if a.dtype == object:
        return Tensor(a)
    if a.dtype.kind == "f":
        spec = ("e" if scientific else "g" if shortest else "f")
        prec = "" if precision < 0 and shortest else f".{6 if precision < 0 else precision}"
    elif a.dtype.kind == "b":
        return _map(lambda b: b"true" if b else b"false", a)
    else:
        spec, prec = "d", ""
    w = f"{fill if fill else ''}{width}" if width > 0 else ""
    fmt = "{:" + w + prec + spec + "}"
    return _map(lambda x: fmt.format(x.item() if hasattr(x, "item") else x).encode("utf-8"), a)


def _ragged_of(pieces: list) -> RaggedTensor:
    flat = [p for row in pieces for p in row]
    values = np.empty(len(flat), dtype=object)
    values[:] = flat
    return RaggedTensor.from_row_lengths(Tensor(values), [len(r) for r in pieces])


def split(input: Any, sep: Any = None, maxsplit: int = -1,  # noqa: A002
          name: str | None = None) -> RaggedTensor:
    """Each string of a vector split on ``sep`` (runs of whitespace when None), as a
    RaggedTensor of rows (``tf.strings.split``).

    >>> import tapegrad as tf
    >>> tf.strings.split(["a b  c", "d"]).to_list()
    [[b'a', b'b', b'c'], [b'd']]
    """
    a = _strings(input, "split")
    s = None if sep is None else (sep.encode("utf-8") if isinstance(sep, str) else sep)
    if a.ndim == 0:
        return Tensor(np.asarray(_ragged_of([a.item().split(s, maxsplit)]).to_list()[0],
                                 dtype=object))
    if a.ndim != 1:
        raise InvalidArgumentError(f"strings.split: the input must be a scalar or a vector, got "
                                   f"shape {list(a.shape)}.")
    return _ragged_of([b.split(s, maxsplit) for b in a])


def unicode_split(input: Any, input_encoding: str, errors: str = "replace",  # noqa: A002
                  replacement_char: int = 65533, name: str | None = None) -> RaggedTensor:
    """Each string of a vector split into its characters, each UTF-8 encoded
    (``tf.strings.unicode_split``).

    >>> import tapegrad as tf
    >>> tf.strings.unicode_split(["hé"], "UTF-8").to_list()
    [[b'h', b'\\xc3\\xa9']]
    """
    a = _strings(input, "unicode_split")
    rows = [[c.encode("utf-8") for c in b.decode(input_encoding.lower(), errors)]
            for b in a.reshape(-1)]
    return _ragged_of(rows)


def ngrams(data: Any, ngram_width: Any, separator: str = " ", pad_values: Any = None,
           padding_width: Any = None, preserve_short_sequences: bool = False,
           name: str | None = None) -> Any:
    """The ``ngram_width``-grams of each row, joined by ``separator`` (``tf.strings.ngrams``,
    without padding).

    >>> import tapegrad as tf
    >>> tf.strings.ngrams(tf.ragged.constant([["a", "b", "c"], ["d"]]), 2).to_list()
    [[b'a b', b'b c'], []]
    """
    if pad_values is not None:
        raise NotImplementedError("strings.ngrams: pad_values is not supported; pad the rows "
                                  "first.")
    sep = separator.encode("utf-8")
    widths = static_ints(ngram_width, "ngram_width", "ngrams")

    def grams(row):
        out = [sep.join(row[i:i + w]) for w in widths for i in range(len(row) - w + 1)]
        if not out and preserve_short_sequences and row:
            out = [sep.join(row)]
        return out
    if isinstance(data, RaggedTensor):
        return _ragged_of([grams(r) for r in data.to_list()])
    a = _strings(data, "ngrams")
    return Tensor(np.asarray(grams(list(a.reshape(-1))), dtype=object))


def format(template: str, inputs: Any, placeholder: str = "{}", summarize: int = 3,  # noqa: A001
           name: str | None = None) -> Tensor:
    """``template`` with each ``placeholder`` replaced by the next input, printed as TF prints
    tensors (``tf.strings.format``).

    >>> import tapegrad as tf
    >>> tf.strings.format("x={} y={}", [tf.constant(2), tf.constant([1.5, 2.0])]).numpy()
    b'x=2 y=[1.5 2]'
    """
    items = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    parts = template.split(placeholder)
    if len(parts) - 1 != len(items):
        raise InvalidArgumentError(f"strings.format: {len(parts) - 1} placeholder(s) for "
                                   f"{len(items)} input(s).")
    out = parts[0]
    for item, tail in zip(items, parts[1:]):
        out += _show(item, summarize) + tail
    res = np.empty((), dtype=object)
    res[()] = out.encode("utf-8")
    return Tensor(res)


def _show(x: Any, summarize: int) -> str:
    v = np.asarray(x._value if isinstance(x, _Base) else convert_raw(x))
    if v.ndim == 0:
        item = v.item()
        return item.decode("utf-8") if isinstance(item, bytes) else f"{item:g}" \
            if isinstance(item, float) else str(item)
    n = v.shape[0]
    idx = list(range(n)) if n <= 2 * summarize else \
        list(range(summarize)) + [None] + list(range(n - summarize, n))
    body = [("..." if i is None else _show(v[i], summarize)) for i in idx]
    return "[" + (" " if v.ndim == 1 else "\n ").join(body) + "]"
