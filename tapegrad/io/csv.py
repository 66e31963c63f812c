"""``tf.io.decode_csv``: CSV records into one tensor per column, typed by ``record_defaults``."""

from __future__ import annotations

import csv
from typing import Any

import numpy as np

from ..engine import dtypes as _dt
from ..engine.convert import constant
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import _Base

__all__ = ["decode_csv"]


def _column(default: Any, k: int) -> tuple[Any, Any]:
    """``(kind, default)``: kind a NumPy dtype or ``bytes``; default None when required."""
    if isinstance(default, _Base):
        v = np.asarray(default._value).ravel()
        kind = v.dtype if v.dtype.kind != "O" else bytes
        return kind, (v[0] if v.size else None)
    if isinstance(default, (list, tuple)):
        default = default[0] if default else None
    if default is None:
        raise InvalidArgumentError(f"decode_csv: record_defaults[{k}] is empty; give a value or "
                                   f"an empty typed tensor (tf.constant([], tf.int64))")
    if isinstance(default, (str, bytes)):
        return bytes, default.encode() if isinstance(default, str) else default
    if isinstance(default, _dt.DType):
        return _dt.np_dtype(default), None
    kind = np.float32 if isinstance(default, float) else (np.int32 if isinstance(default, int)
                                                          else np.asarray(default).dtype)
    return np.dtype(kind), default


def _records(records: Any) -> tuple[list[str], tuple]:
    if isinstance(records, _Base):
        records = records._value
    a = np.asarray(records, dtype=object)
    return [r.decode() if isinstance(r, bytes) else str(r) for r in a.ravel()], a.shape


def decode_csv(records: Any, record_defaults: Any, field_delim: str = ",",
               use_quote_delim: bool = True, na_value: str = "", select_cols: Any = None,
               name: str | None = None) -> list:
    """Split CSV lines into columns: one tensor per column, shaped like ``records``; empty
    fields take the column's default, a required (empty-default) column must be present.
    String columns come back as NumPy object arrays of ``bytes`` until string tensors exist.

    >>> import tapegrad as tf
    >>> a, b = tf.io.decode_csv(["1,2.5", "3,"], [tf.constant([], tf.int64), [0.0]])
    >>> a.numpy().tolist(), b.numpy().tolist()
    ([1, 3], [2.5, 0.0])
    """
    cols = [_column(d, k) for k, d in enumerate(record_defaults)]
    lines, shape = _records(records)
    quoting = csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE
    out: list[list] = [[] for _ in cols]
    for r, line in enumerate(lines):
        fields = next(csv.reader([line], delimiter=field_delim, quoting=quoting), [""])
        if select_cols is not None:
            fields = [fields[i] if i < len(fields) else "" for i in select_cols]
        if len(fields) != len(cols):
            raise InvalidArgumentError(f"Expect {len(cols)} fields but have {len(fields)} in "
                                       f"record {r}")
        for k, (text, (kind, default)) in enumerate(zip(fields, cols)):
            if text == "" or text == na_value:
                if default is None:
                    raise InvalidArgumentError(f"Field {k} is required but missing in record "
                                               f"{r}!")
                out[k].append(default)
            elif kind is bytes:
                out[k].append(text.encode())
            else:
                try:
                    out[k].append(np.dtype(kind).type(float(text) if np.dtype(kind).kind == "f"
                                                       else int(text)))
                except ValueError:
                    raise InvalidArgumentError(f"Field {k} in record {r} is not a valid "
                                               f"{np.dtype(kind).name}: '{text}'") from None
    return [_as_column(vals, kind, shape) for vals, (kind, _) in zip(out, cols)]


def _as_column(vals: list, kind: Any, shape: tuple) -> Any:
    if kind is bytes:
        a = np.empty(len(vals), object)
        a[:] = vals
        return a.reshape(shape) if shape else a[0]
    return constant(np.asarray(vals, dtype=kind).reshape(shape))
