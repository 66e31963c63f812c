"""``tf.train.Example`` and its parts, encoded and decoded by hand (see
:mod:`tapegrad.formats.wire`), and ``tf.io.parse_single_example`` / ``parse_example``.

Wire layout (TF's ``example.proto``, ``feature.proto``): Example{1: Features};
Features{1: map<string, Feature>}; Feature{1: BytesList | 2: FloatList | 3: Int64List};
each list {1: repeated value} — floats and int64s packed, as TF writes them; unpacked
values are read too.

String values come back as Python ``bytes`` (NumPy object arrays for several) until tapegrad
has string tensors; a ``VarLenFeature`` comes back as a ``SparseTensorValue``
``(indices, values, dense_shape)``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..engine import dtypes as _dt
from ..engine.convert import constant
from ..engine.errors import DataLossError, InvalidArgumentError
from ..engine.tensor import _Base
from ..formats import wire

__all__ = ["BytesList", "FloatList", "Int64List", "Feature", "Features", "Example",
           "FixedLenFeature", "VarLenFeature", "FixedLenSequenceFeature", "SparseTensorValue",
           "parse_single_example", "parse_example"]


class _Message:
    """What the protobuf classes offer that scripts use: ``SerializeToString``,
    ``FromString``, ``ParseFromString``, equality."""

    def SerializeToString(self, deterministic: bool = True) -> bytes:  # noqa: N802  (TF's)
        return self._encode()

    @classmethod
    def FromString(cls, data: bytes):  # noqa: N802  (protobuf's name)
        return cls._decode(_raw(data))

    def ParseFromString(self, data: bytes) -> int:  # noqa: N802  (protobuf's name)
        self.__dict__.update(type(self)._decode(_raw(data)).__dict__)
        return len(data)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items() if v is not None)
        return f"{type(self).__name__}({inner})"


def _raw_list(cls: type, values: list) -> Any:
    """A list message over already-decoded values (no per-value conversion)."""
    out = cls.__new__(cls)
    out.value = values
    return out


class BytesList(_Message):
    """``tf.train.BytesList``: a list of byte strings (str values are UTF-8 encoded)."""

    def __init__(self, value: Any = ()):
        self.value = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in value]

    def _encode(self) -> bytes:
        return b"".join(wire.ld(1, v) for v in self.value)

    @classmethod
    def _decode(cls, data: bytes) -> BytesList:
        return cls(wire.parse(data, "BytesList").get(1, []))


class FloatList(_Message):
    """``tf.train.FloatList``: float32 values."""

    def __init__(self, value: Any = ()):
        self.value = [float(np.float32(v)) for v in np.asarray(value, np.float64).ravel()]

    def _encode(self) -> bytes:
        if not self.value:
            return b""
        return wire.ld(1, np.asarray(self.value, "<f4").tobytes())

    @classmethod
    def _decode(cls, data: bytes) -> FloatList:
        out: list = []
        msg = wire.parse(data, "FloatList")
        for v in msg.get(1, []):  # packed: 4·n bytes; unpacked: one fixed32 each
            if len(v) % 4:
                raise DataLossError(f"FloatList: {len(v)} bytes is not a whole number of floats")
            out.extend(np.frombuffer(v, "<f4").tolist())
        return _raw_list(cls, out)


class Int64List(_Message):
    """``tf.train.Int64List``: int64 values."""

    def __init__(self, value: Any = ()):
        self.value = [int(v) for v in np.asarray(value, np.int64).ravel()]

    def _encode(self) -> bytes:
        return wire.ld(1, b"".join(wire.varint(v) for v in self.value)) if self.value else b""

    @classmethod
    def _decode(cls, data: bytes) -> Int64List:
        vals = wire.packed_varints(wire.parse(data, "Int64List").get(1, []))
        return _raw_list(cls, [wire.signed(v) for v in vals])


_KINDS = (("bytes_list", BytesList, 1), ("float_list", FloatList, 2),
          ("int64_list", Int64List, 3))


class Feature(_Message):
    """``tf.train.Feature``: one of ``bytes_list``, ``float_list``, ``int64_list``."""

    def __init__(self, bytes_list: BytesList | None = None, float_list: FloatList | None = None,
                 int64_list: Int64List | None = None):
        self.bytes_list, self.float_list, self.int64_list = bytes_list, float_list, int64_list
        if sum(x is not None for x in (bytes_list, float_list, int64_list)) > 1:
            raise ValueError("tf.train.Feature: give one of bytes_list, float_list, int64_list")

    def WhichOneof(self, name: str = "kind") -> str | None:  # noqa: N802  (protobuf's name)
        return next((k for k, _, _ in _KINDS if getattr(self, k) is not None), None)

    def _encode(self) -> bytes:
        return b"".join(wire.ld(num, getattr(self, k)._encode()) for k, _, num in _KINDS
                        if getattr(self, k) is not None)

    @classmethod
    def _decode(cls, data: bytes) -> Feature:
        msg = wire.parse(data, "Feature")
        kw = {k: c._decode(msg[num][-1]) for k, c, num in _KINDS if num in msg}
        return cls(**kw)


class Features(_Message):
    """``tf.train.Features``: a map from name to Feature."""

    def __init__(self, feature: dict | None = None):
        self.feature = dict(feature or {})

    def _encode(self) -> bytes:
        return b"".join(wire.ld(1, wire.ld(1, k.encode()) + wire.ld(2, f._encode()))
                        for k, f in self.feature.items())

    @classmethod
    def _decode(cls, data: bytes) -> Features:
        out = {}
        for entry in wire.parse(data, "Features").get(1, []):
            e = wire.parse(entry, "Features entry")
            out[wire.first(e, 1, b"").decode("utf-8")] = Feature._decode(wire.first(e, 2, b""))
        return cls(out)


class Example(_Message):
    """``tf.train.Example``: a record of named features.

    >>> import tapegrad as tf
    >>> ex = tf.train.Example(features=tf.train.Features(feature={
    ...     "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[3]))}))
    >>> data = ex.SerializeToString(); data.hex()
    '0a100a0e0a056c6162656c12051a030a0103'
    >>> tf.train.Example.FromString(data).features.feature["label"].int64_list.value
    [3]
    """

    def __init__(self, features: Features | None = None):
        self.features = features if features is not None else Features()

    def _encode(self) -> bytes:
        return wire.ld(1, self.features._encode())

    @classmethod
    def _decode(cls, data: bytes) -> Example:
        return cls(Features._decode(wire.first(wire.parse(data, "Example"), 1, b"")))


def _raw(data: Any) -> bytes:
    if isinstance(data, _Base):
        data = data._value
    if isinstance(data, np.ndarray):
        data = data.item()
    if isinstance(data, np.bytes_):
        return bytes(data)
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"expected a serialized proto (bytes), got {type(data).__name__}")
    return bytes(data)


# -- parsing ---------------------------------------------------------------------------------
class FixedLenFeature(NamedTuple):
    """A feature with a fixed number of values, reshaped to ``shape``."""

    shape: Any
    dtype: Any
    default_value: Any = None


class VarLenFeature(NamedTuple):
    """A feature with any number of values, parsed into a sparse value."""

    dtype: Any


class FixedLenSequenceFeature(NamedTuple):
    """Any number of values, each of ``shape``: parsed into ``[n, *shape]``."""

    shape: Any
    dtype: Any
    allow_missing: bool = False
    default_value: Any = None


class SparseTensorValue(NamedTuple):
    """``(indices, values, dense_shape)`` of a parsed ``VarLenFeature``."""

    indices: Any
    values: Any
    dense_shape: Any


def _kind_of(dtype: Any) -> str:
    if dtype is None or getattr(dtype, "name", dtype) == "string":
        return "bytes_list"
    d = _dt.as_dtype(dtype)
    if d == _dt.float32:
        return "float_list"
    if d == _dt.int64:
        return "int64_list"
    raise InvalidArgumentError(f"parse_example: feature dtype {d.name} is not supported; use "
                               f"tf.float32, tf.int64 or tf.string")


_TF_TYPE = {"bytes_list": "string", "float_list": "float", "int64_list": "int64"}


def _values(feat: Feature | None, key: str, kind: str) -> np.ndarray | None:
    if feat is None:
        return None
    got = feat.WhichOneof()
    if got is None:
        return _empty(kind)
    if got != kind:
        raise InvalidArgumentError(f"Name: <unknown>, Key: {key}, Index: 0.  Data types don't "
                                   f"match. Data type: {_TF_TYPE[got]} but expected type: "
                                   f"{_TF_TYPE[kind]}")
    vals = getattr(feat, kind).value
    if kind == "bytes_list":
        out = np.empty(len(vals), object)
        out[:] = vals
        return out
    return np.asarray(vals, np.float32 if kind == "float_list" else np.int64)


def _empty(kind: str) -> np.ndarray:
    return np.empty(0, {"bytes_list": object, "float_list": np.float32,
                        "int64_list": np.int64}[kind])


def _fixed(vals: np.ndarray | None, spec: Any, key: str, kind: str) -> np.ndarray:
    shape = tuple(int(d) for d in spec.shape)
    if isinstance(spec, FixedLenSequenceFeature):
        if vals is None:
            if not spec.allow_missing:
                raise InvalidArgumentError(f"Feature: {key} (data type: {_TF_TYPE[kind]}) is "
                                           f"required but could not be found.")
            vals = _empty(kind)
        per = int(np.prod(shape, dtype=np.int64))
        if per and vals.size % per:
            raise InvalidArgumentError(f"Key: {key}.  Number of values {vals.size} is not a "
                                       f"multiple of the element size {per}.")
        return vals.reshape((-1,) + shape)
    if vals is None:
        if spec.default_value is None:
            raise InvalidArgumentError(f"Feature: {key} (data type: {_TF_TYPE[kind]}) is "
                                       f"required but could not be found.")
        default = np.asarray(spec.default_value, dtype=_empty(kind).dtype)
        return np.broadcast_to(default, shape).copy()
    if vals.size != int(np.prod(shape, dtype=np.int64)):
        raise InvalidArgumentError(f"Key: {key}.  Can't parse serialized Example: expected "
                                   f"{int(np.prod(shape))} values for shape {list(shape)}, "
                                   f"got {vals.size}.")
    return vals.reshape(shape)


def _out(a: np.ndarray) -> Any:
    if a.dtype == object:
        return a[()] if a.ndim == 0 else a
    return constant(a)


def _parse_all(serialized: list, features: dict) -> list[dict]:
    parsed = []
    for s in serialized:
        feats = Example.FromString(s).features.feature
        row = {}
        for key, spec in features.items():
            kind = _kind_of(spec.dtype)
            row[key] = (_values(feats.get(key), key, kind), kind)
        parsed.append(row)
    return parsed


def parse_single_example(serialized: Any, features: dict, example_names: Any = None,
                         name: str | None = None) -> dict:
    """Parse one serialized ``Example`` into ``{name: value}`` by ``features``'s specs.

    >>> import tapegrad as tf
    >>> ex = tf.train.Example(features=tf.train.Features(feature={
    ...     "x": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0]))}))
    >>> out = tf.io.parse_single_example(ex.SerializeToString(),
    ...     {"x": tf.io.FixedLenFeature([2], tf.float32),
    ...      "y": tf.io.FixedLenFeature([], tf.int64, default_value=-1)})
    >>> out["x"].numpy().tolist(), int(out["y"])
    ([1.0, 2.0], -1)
    """
    (row,) = _parse_all([_raw(serialized)], features)
    out = {}
    for key, spec in features.items():
        vals, kind = row[key]
        if isinstance(spec, VarLenFeature):
            vals = _empty(kind) if vals is None else vals
            out[key] = SparseTensorValue(constant(np.arange(vals.size, dtype=np.int64)[:, None]),
                                         _out(vals), constant(np.array([vals.size], np.int64)))
        else:
            out[key] = _out(_fixed(vals, spec, key, kind))
    return out


def _batch_list(serialized: Any) -> list[bytes]:
    if isinstance(serialized, _Base):
        serialized = serialized._value
    return [_raw(s) for s in np.asarray(serialized, dtype=object).ravel()]


def parse_example(serialized: Any, features: dict, example_names: Any = None,
                  name: str | None = None) -> dict:
    """Parse a batch of serialized ``Example``\\ s: fixed-length features stacked along a
    first axis, var-length ones as one sparse value with ``[batch, index]`` indices.

    >>> import tapegrad as tf
    >>> def ex(*v):
    ...     return tf.train.Example(features=tf.train.Features(feature={"v": tf.train.Feature(
    ...         int64_list=tf.train.Int64List(value=v))})).SerializeToString()
    >>> sp = tf.io.parse_example([ex(1, 2), ex(3)], {"v": tf.io.VarLenFeature(tf.int64)})["v"]
    >>> sp.indices.numpy().tolist(), sp.values.numpy().tolist(), sp.dense_shape.numpy().tolist()
    ([[0, 0], [0, 1], [1, 0]], [1, 2, 3], [2, 2])
    """
    rows = _parse_all(_batch_list(serialized), features)
    out = {}
    for key, spec in features.items():
        if isinstance(spec, VarLenFeature):
            kind = _kind_of(spec.dtype)
            parts = [_empty(kind) if r[key][0] is None else r[key][0] for r in rows]
            idx = [[b, i] for b, p in enumerate(parts) for i in range(p.size)]
            width = max((p.size for p in parts), default=0)
            out[key] = SparseTensorValue(
                constant(np.asarray(idx, np.int64).reshape(-1, 2)),
                _out(np.concatenate(parts) if parts else _empty(kind)),
                constant(np.array([len(parts), width], np.int64)))
        else:
            out[key] = _out(np.stack([_fixed(*r[key][:1], spec, key, r[key][1]) for r in rows])
                            if rows else np.empty((0,) + tuple(spec.shape)))
    return out

