"""IndexedSlices: the sparse gradient of a gather (rows of a dense tensor), as TF's."""

from __future__ import annotations

import numpy as np

from . import dtypes as _dt
from .operators import OPERATORS as _O
from .shape import TensorShape

__all__ = ["IndexedSlices"]


class IndexedSlices:
    """A sparse gradient: ``values[i]`` is the gradient of row ``indices[i]`` of a tensor of
    ``dense_shape``.  What ``gather``/``embedding_lookup`` return as gradient, as in TF.

    ``tf.convert_to_tensor(slices)`` (or any op) densifies it; optimizers apply it row-wise.
    """

    __slots__ = ("values", "indices", "dense_shape")

    def __init__(self, values, indices, dense_shape):
        self.values = values
        self.indices = indices
        self.dense_shape = tuple(int(d) for d in dense_shape)

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self.dense_shape)

    @property
    def dtype(self) -> _dt.DType:
        return self.values.dtype

    def to_dense(self):
        """Sum the rows into a dense tensor (differentiable)."""
        return _O.densify(self.values, self.indices, self.dense_shape)

    def numpy(self):
        return self.to_dense().numpy()

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.to_dense()._value, dtype=dtype)

    def __repr__(self) -> str:
        return (f"IndexedSlices(indices={np.asarray(self.indices._value).tolist()}, "
                f"values=shape{tuple(self.values.shape)}, dense_shape={list(self.dense_shape)})")
