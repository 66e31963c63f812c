"""TensorFlow-style dtypes (``tapegrad.float32`` …) over NumPy dtypes."""

from __future__ import annotations

from typing import Any

import numpy as np


class DType:
    """A tensor element type, compared equal to itself, its name and its NumPy dtype.

    >>> import tapegrad as tf
    >>> tf.constant(1.0).dtype == tf.float32
    True
    >>> tf.float32.is_floating, tf.int32.is_integer
    (True, True)
    """

    __slots__ = ("name", "as_numpy_dtype", "_np")

    def __init__(self, np_dtype: Any):
        self._np = np.dtype(np_dtype)
        self.as_numpy_dtype = self._np.type
        self.name = "bool" if self._np == np.bool_ else \
            "string" if self._np.kind == "O" else self._np.name

    @property
    def is_floating(self) -> bool:
        return self._np.kind == "f"

    @property
    def is_complex(self) -> bool:
        return self._np.kind == "c"

    @property
    def is_integer(self) -> bool:
        return self._np.kind in "iu"

    @property
    def is_bool(self) -> bool:
        return self._np.kind == "b"

    @property
    def is_unsigned(self) -> bool:
        return self._np.kind == "u"

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def size(self) -> int:
        return self._np.itemsize

    @property
    def min(self):
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self):
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DType):
            return self._np == other._np
        try:
            return self._np == np.dtype(other)  # type: ignore[arg-type]
        except TypeError:
            return False

    def __hash__(self) -> int:
        return hash(self._np)

    def __repr__(self) -> str:
        return f"tf.{self.name}"


float16 = half = DType(np.float16)
float32 = DType(np.float32)
float64 = double = DType(np.float64)
int8 = DType(np.int8)
int16 = DType(np.int16)
int32 = DType(np.int32)
int64 = DType(np.int64)
uint8 = DType(np.uint8)
uint16, uint32, uint64 = DType(np.uint16), DType(np.uint32), DType(np.uint64)  # tf.dtypes
bool_ = DType(np.bool_)
complex64 = DType(np.complex64)
complex128 = DType(np.complex128)
string = DType(np.object_)  # string tensors hold bytes objects, as TF returns them

_BY_NP = {d._np: d for d in (float16, float32, float64, int8, int16, int32, int64, uint8, bool_,
                            complex64, complex128, uint16, uint32, uint64, string)}
_BY_NAME = {d.name: d for d in _BY_NP.values()}
_BY_NAME.update({"float": float32, "double": float64, "half": float16})


def as_dtype(dtype: Any) -> DType:
    """Turn a DType, NumPy dtype, Python type or name into a tapegrad DType.

    >>> import tapegrad as tf
    >>> tf.as_dtype("float64") is tf.float64
    True
    """
    if isinstance(dtype, DType):
        return dtype
    if isinstance(dtype, str) and dtype in _BY_NAME:
        return _BY_NAME[dtype]
    if dtype is float:
        return float32
    if dtype is int:
        return int32
    if dtype is bool:
        return bool_
    try:
        d = _BY_NP[np.dtype(dtype)]
    except (TypeError, KeyError):
        raise TypeError(f"Cannot convert {dtype!r} to a tapegrad dtype; use one of "
                        f"{sorted(_BY_NAME)}") from None
    return d


def np_dtype(dtype: Any) -> np.dtype:
    """The NumPy dtype for a tapegrad dtype-like value (None stays None)."""
    if dtype is None:
        return None
    if isinstance(dtype, DType):
        return dtype._np
    return as_dtype(dtype)._np


def from_numpy(npd: np.dtype) -> DType:
    """The tapegrad DType of a NumPy dtype."""
    try:
        return _BY_NP[npd]
    except KeyError:
        return as_dtype(npd)
