"""``tf.io.serialize_tensor`` / ``parse_tensor``: TF's ``TensorProto`` wire format.

TensorProto{1: dtype enum, 2: TensorShapeProto{2: Dim{1: size}}, 4: tensor_content (the raw
little-endian bytes), 8: string_val (repeated bytes)}; values given in the typed repeated
fields instead of ``tensor_content`` (5 float, 6 double, 7 int, 10 int64, 11 bool, 13 half)
are read too, a single value filling the shape as TF allows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import dtypes as _dt
from ..engine.convert import constant
from ..engine.errors import DataLossError, InvalidArgumentError
from ..engine.tensor import _Base
from ..formats import wire
from ..formats.tfproto import DT_STRING, DTYPES, ENUM, parse_shape, shape_proto

__all__ = ["serialize_tensor", "parse_tensor"]


def serialize_tensor(tensor: Any, name: str | None = None) -> bytes:
    """The ``TensorProto`` bytes of ``tensor`` (Python ``bytes`` until tapegrad has string
    tensors); byte strings and object arrays of them are serialized as ``tf.string``.

    >>> import tapegrad as tf
    >>> tf.io.serialize_tensor(tf.constant(True)).hex()
    '080a1200220101'
    """
    if isinstance(tensor, (bytes, str)) or (isinstance(tensor, np.ndarray) and
                                            tensor.dtype.kind in "OSU"):
        a = np.asarray(tensor, dtype=object)
        vals = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in a.ravel()]
        return (wire.uint(1, DT_STRING) + wire.ld(2, shape_proto(a.shape)) +
                b"".join(wire.ld(8, v) for v in vals))
    a = np.asarray(tensor._value if isinstance(tensor, _Base) else constant(tensor)._value)
    if a.dtype not in ENUM:
        raise InvalidArgumentError(f"serialize_tensor: dtype {a.dtype} is not supported")
    raw = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
    return wire.uint(1, ENUM[a.dtype]) + wire.ld(2, shape_proto(a.shape)) + wire.ld(4, raw)


_TYPED = {5: "<f4", 6: "<f8", 13: "<u2"}  # packed fixed-width fields (13: half as uint16 bits)


def _typed_values(msg: dict, npd: np.dtype) -> np.ndarray:
    for num, fmt in _TYPED.items():
        if num in msg:
            if num == 13:
                ints = wire.packed_varints(msg[num])
                return np.asarray(ints, np.uint16).view(np.float16)
            return np.concatenate([np.frombuffer(v, fmt) if isinstance(v, bytes) else
                                   np.asarray([v]) for v in msg[num]])
    for num in (7, 10, 11):
        if num in msg:
            return np.asarray([wire.signed(v) for v in wire.packed_varints(msg[num])])
    return np.empty(0, npd)


def parse_tensor(serialized: Any, out_type: Any, name: str | None = None) -> Any:
    """The tensor in a serialized ``TensorProto``; ``out_type`` must be its dtype.

    >>> import tapegrad as tf
    >>> data = tf.io.serialize_tensor(tf.constant([[1.0, 2.0]]))
    >>> tf.io.parse_tensor(data, tf.float32).numpy()
    array([[1., 2.]], dtype=float32)
    """
    if isinstance(serialized, _Base):
        serialized = serialized._value.item()
    msg = wire.parse(bytes(serialized), "TensorProto")
    dtype, shape = wire.first(msg, 1, 0), parse_shape(wire.first(msg, 2, b""))
    n = int(np.prod(shape, dtype=np.int64))
    want = "string" if out_type is None or getattr(out_type, "name", out_type) == "string" \
        else _dt.as_dtype(out_type).name
    got = "string" if dtype == DT_STRING else (np.dtype(DTYPES[dtype]).name if dtype in DTYPES
                                                 else f"enum {dtype}")
    if want.replace("bool_", "bool") != got:
        raise InvalidArgumentError(f"parse_tensor: Type mismatch between parsed tensor "
                                   f"({got}) and dtype ({want})")
    if dtype == DT_STRING:
        vals = msg.get(8, [])
        if len(vals) != n:
            raise DataLossError(f"parse_tensor: {len(vals)} strings for shape {list(shape)}")
        out = np.empty(n, object)
        out[:] = vals
        return out.reshape(shape) if shape else out[0]
    npd = np.dtype(DTYPES[dtype])
    content = wire.first(msg, 4)
    if content is not None:
        if len(content) != n * npd.itemsize:
            raise DataLossError(f"parse_tensor: {len(content)} bytes for shape {list(shape)} "
                                f"of {npd.name}")
        a = np.frombuffer(content, npd.newbyteorder("<")).astype(npd)
    else:
        a = _typed_values(msg, npd).astype(npd)
        if a.size == 1 and n != 1:
            a = np.full(n, a[0], npd)
        elif a.size != n:
            raise DataLossError(f"parse_tensor: {a.size} values for shape {list(shape)}")
    return constant(a.reshape(shape))


