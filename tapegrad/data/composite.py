"""Ragged and sparse elements in a pipeline: building the batches of ``ragged_batch`` and
``sparse_batch`` from NumPy rows, and their specs and NumPy values as TF gives them."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.errors import DataLossError, InvalidArgumentError
from ..ops.ragged import RaggedTensor
from ..ops.sparse import SparseTensor, to_dense
from .specs import RaggedTensorSpec, SparseTensorSpec

__all__ = ["is_composite", "ragged_of", "sparse_of", "composite_spec", "composite_numpy",
           "RaggedRow", "RaggedRows", "ragged_rows"]


class RaggedRow(np.ndarray):
    """A row sliced from a RaggedTensor (``from_tensor_slices``): a dense array that remembers
    it came from a ragged tensor, so its spec is a ``RaggedTensorSpec`` of ragged rank 0 and
    ``batch`` makes its rows a RaggedTensor again, as in TF."""


class RaggedRows:
    """The rows of a RaggedTensor being sliced (one leaf of ``from_tensor_slices``)."""

    def __init__(self, rows: list):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> RaggedRow:
        return self.rows[i]


def ragged_rows(rt: RaggedTensor) -> RaggedRows:
    """The rows of a RaggedTensor of ragged rank 1, as RaggedRow arrays.

    >>> import tapegrad as tf
    >>> [r.tolist() for r in ragged_rows(tf.ragged.constant([[1], [2, 3]])).rows]
    [[1], [2, 3]]
    """
    if rt.ragged_rank != 1:
        raise InvalidArgumentError(f"Dataset.from_tensor_slices: a RaggedTensor of ragged rank "
                                   f"1 only, got ragged rank {rt.ragged_rank}.")
    values, splits = rt.values.numpy(), rt.row_splits.numpy()
    return RaggedRows([values[a:b].view(RaggedRow) for a, b in zip(splits[:-1], splits[1:])])


def is_composite(x: Any) -> bool:
    """Whether a pipeline leaf is a RaggedTensor or a SparseTensor (kept as such)."""
    return isinstance(x, (RaggedTensor, SparseTensor))


def ragged_of(parts: list) -> RaggedTensor:
    """Rows of the same rank k >= 1 as one RaggedTensor, ragged in the first dimension (ragged
    rank 1, the later dimensions uniform); rows whose later dimensions differ are ragged there
    too.

    >>> ragged_of([np.arange(2), np.arange(3)]).to_list()
    [[0, 1], [0, 1, 2]]
    >>> ragged_of([np.zeros((1, 2)), np.zeros((3, 2))]).ragged_rank
    1
    """
    splits = np.concatenate([[0], np.cumsum([len(p) for p in parts])]).astype(np.int64)
    if parts[0].ndim == 1 or len({p.shape[1:] for p in parts}) == 1:
        return RaggedTensor(np.asarray(np.concatenate(parts)), splits)
    return RaggedTensor(ragged_of([row for p in parts for row in p]), splits)


def sparse_of(parts: list, row_shape: list) -> SparseTensor:
    """Rows of rank ``len(row_shape)`` as one SparseTensor of dense shape
    ``[len(parts)] + row_shape`` (a -1 in ``row_shape`` takes the batch's largest size); every
    entry of every row is stored, zeros included, as TF does.

    >>> sparse_of([np.array([7]), np.array([8, 9])], [3]).indices.numpy().tolist()
    [[0, 0], [1, 0], [1, 1]]
    """
    for p in parts:
        if p.ndim != len(row_shape):
            raise InvalidArgumentError(f"sparse_batch: an element of rank {p.ndim} does not match "
                                       f"row_shape {row_shape} of rank {len(row_shape)}.")
    shape = [max(p.shape[d] for p in parts) if n in (-1, None) else int(n)
             for d, n in enumerate(row_shape)]
    for p in parts:
        if any(a > b for a, b in zip(p.shape, shape)):
            raise DataLossError(f"Input element had shape ({list(p.shape)}) that is larger than "
                                f"the row shape ({shape}).")
    rows = [np.concatenate([np.full((p.size, 1), i), np.indices(p.shape).reshape(p.ndim, -1).T],
                           axis=1) for i, p in enumerate(parts)]
    return SparseTensor(np.concatenate(rows).astype(np.int64),
                        np.concatenate([p.ravel() for p in parts]), [len(parts)] + shape)


def composite_spec(x: Any) -> Any:
    """The ``element_spec`` entry of a ragged or sparse leaf (or a row of a ragged one)."""
    if isinstance(x, RaggedRow):
        return RaggedTensorSpec([None] + list(x.shape[1:]), x.dtype.type, 0)
    if isinstance(x, RaggedTensor):
        return RaggedTensorSpec(list(x.shape), x.dtype, x.ragged_rank)
    return SparseTensorSpec(list(x.shape), x.dtype)


def composite_numpy(x: Any) -> Any:
    """What TF's ``as_numpy_iterator`` gives: a ragged value as an object array of its rows
    (NumPy arrays of the values' dtype) — one array when every row has the same shape — and a
    sparse value as its dense array."""
    if isinstance(x, SparseTensor):
        return to_dense(x).numpy()
    inner = x.values
    values = composite_numpy(inner) if isinstance(inner, RaggedTensor) else inner.numpy()
    splits = x.row_splits.numpy()
    rows = [values[a:b] for a, b in zip(splits[:-1], splits[1:])]
    if rows and values.dtype != object and len({np.shape(r) for r in rows}) == 1:
        return np.stack(rows)
    out = np.empty(len(rows), dtype=object)
    out[:] = rows
    return out
