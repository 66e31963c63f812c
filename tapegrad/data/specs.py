"""``tf.RaggedTensorSpec`` and ``tf.SparseTensorSpec``: the ``element_spec`` entries of datasets
whose elements are ragged or sparse (``ragged_batch``, ``sparse_batch``)."""

from __future__ import annotations

from typing import Any

from ..engine import dtypes as _dt
from ..engine.shape import TensorShape

__all__ = ["RaggedTensorSpec", "SparseTensorSpec"]


def _shape(shape: Any) -> TensorShape | None:
    """The shape as a TensorShape; None (unknown rank) stays None."""
    if shape is None or isinstance(shape, TensorShape):
        return shape
    return TensorShape(list(shape))


def _shape_repr(shape: TensorShape | None) -> str:
    return "TensorShape(None)" if shape is None else repr(shape)


def _dims(shape: TensorShape | None) -> Any:
    return None if shape is None else list(shape)


class RaggedTensorSpec:
    """The type of a ``tf.RaggedTensor``: shape (None where ragged), dtype, ragged rank, and
    the dtype of the row splits.

    >>> import tapegrad as tf
    >>> tf.RaggedTensorSpec([None, None], tf.int32)
    RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)
    """

    def __init__(self, shape: Any = None, dtype: Any = _dt.float32, ragged_rank: int | None = None,
                 row_splits_dtype: Any = _dt.int64, flat_values_spec: Any = None):
        self.shape = _shape(shape)
        self.dtype, self.row_splits_dtype = _dt.as_dtype(dtype), _dt.as_dtype(row_splits_dtype)
        rank = None if self.shape is None else len(self.shape)
        self.ragged_rank = (rank - 1 if rank else 0) if ragged_rank is None else int(ragged_rank)
        if rank is not None and not 0 <= self.ragged_rank < max(rank, 1):
            raise ValueError(f"RaggedTensorSpec: ragged_rank must be in [0, {rank}) for shape "
                             f"{self.shape}, got {ragged_rank}.")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RaggedTensorSpec) and (
            _dims(self.shape) == _dims(other.shape) and self.dtype == other.dtype and
            self.ragged_rank == other.ragged_rank and
            self.row_splits_dtype == other.row_splits_dtype)

    def __hash__(self) -> int:
        return hash((repr(self.shape), self.dtype.name, self.ragged_rank))

    def __repr__(self) -> str:
        return (f"RaggedTensorSpec({_shape_repr(self.shape)}, tf.{self.dtype.name}, "
                f"{self.ragged_rank}, tf.{self.row_splits_dtype.name})")


class SparseTensorSpec:
    """The type of a ``tf.sparse.SparseTensor``: its dense shape and dtype.

    >>> import tapegrad as tf
    >>> tf.SparseTensorSpec([None, 5], tf.int64)
    SparseTensorSpec(TensorShape([None, 5]), tf.int64)
    """

    def __init__(self, shape: Any = None, dtype: Any = _dt.float32):
        self.shape, self.dtype = _shape(shape), _dt.as_dtype(dtype)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SparseTensorSpec) and (
            _dims(self.shape) == _dims(other.shape) and self.dtype == other.dtype)

    def __hash__(self) -> int:
        return hash((repr(self.shape), self.dtype.name))

    def __repr__(self) -> str:
        return f"SparseTensorSpec({_shape_repr(self.shape)}, tf.{self.dtype.name})"
