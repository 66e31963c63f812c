"""TF's ``DataType`` enum and ``TensorShapeProto``, shared by checkpoints and TensorProtos."""

from __future__ import annotations

import numpy as np

from . import wire

__all__ = ["DTYPES", "ENUM", "DT_STRING", "DTYPE_NAMES", "shape_proto", "parse_shape"]

# TF's DataType enum <-> NumPy (DT_STRING = 7 is handled apart).
DTYPES = {1: np.float32, 2: np.float64, 3: np.int32, 4: np.uint8, 5: np.int16, 6: np.int8,
          8: np.complex64, 9: np.int64, 10: np.bool_, 17: np.uint16, 18: np.complex128,
          19: np.float16, 22: np.uint32, 23: np.uint64}
ENUM = {np.dtype(v): k for k, v in DTYPES.items()}
DT_STRING = 7
DTYPE_NAMES = {k: np.dtype(v).name for k, v in DTYPES.items()} | {7: "string"}


def shape_proto(shape: tuple) -> bytes:
    """The body of a ``TensorShapeProto``: one ``dim {size}`` per axis.

    >>> from tapegrad.formats.tfproto import parse_shape, shape_proto
    >>> parse_shape(shape_proto((2, 0, 3)))
    (2, 0, 3)
    """
    return b"".join(wire.ld(2, wire.uint(1, d) if d else b"") for d in shape)


def parse_shape(data: bytes) -> tuple:
    dims = wire.parse(data, "TensorShapeProto").get(2, [])
    return tuple(wire.signed(wire.first(wire.parse(d, "dim"), 1, 0)) for d in dims)
