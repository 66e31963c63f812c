"""Batching stages: batch and padded_batch (whole batches sliced at once from arrays),
ragged_batch, sparse_batch and unbatch."""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from ..engine import nest
from ..engine.errors import InvalidArgumentError
from ..function import TensorSpec
from .composite import RaggedRow, ragged_of, sparse_of
from .dataset import Dataset
from .elements import _is_string, _row
from .sources import _Slices
from .specs import RaggedTensorSpec, SparseTensorSpec
from .transforms import _Shuffle


def _stack(parts: list, pad: tuple | None, op: str) -> Any:
    if pad is None and isinstance(parts[0], RaggedRow):  # rows of a RaggedTensor, as TF
        return ragged_of(parts)
    shapes = {p.shape for p in parts}
    if pad is None:
        if len(shapes) > 1:
            k = next(i for i, p in enumerate(parts) if p.shape != parts[0].shape)
            raise InvalidArgumentError(
                f"Cannot {op} tensors with different shapes in component 0. First element had "
                f"shape {list(parts[0].shape)} and element {k} had shape {list(parts[k].shape)}. "
                f"Use Dataset.padded_batch to batch elements of different shapes.")
        return np.stack(parts)
    shape, value = pad
    target = [max(p.shape[d] for p in parts) for d in range(parts[0].ndim)]
    if shape is not None:
        target = [t if s is None or s == -1 else int(s) for t, s in zip(target, shape)]
    if value is None:
        value = b"" if _is_string(parts[0]) else 0
    out = np.full([len(parts)] + target, value, dtype=parts[0].dtype)
    for i, p in enumerate(parts):
        out[(i,) + tuple(slice(0, n) for n in p.shape)] = p
    return out


class _Batch(Dataset):
    def __init__(self, source: Dataset, size: int, drop: bool, pad: tuple | None = None):
        self.source, self.size, self.drop, self.pad = source, size, drop, pad

    def _iter(self) -> Iterator[Any]:
        if self.pad is None and isinstance(self.source, _Slices) and self.source.sliceable():
            yield from self._slice_batches(self.source, None)
            return
        if self.pad is None and isinstance(self.source, _Shuffle) and isinstance(
                self.source.source, _Slices) and self.source.source.sliceable():
            src = self.source.source
            yield from self._slice_batches(src, self.source.indices(src.n))
            return
        yield from self._buffered()

    def _buffered(self) -> Iterator[Any]:
        """Elements gathered ``size`` at a time and collated."""
        buf: list = []
        for element in self.source._iter():
            buf.append(element)
            if len(buf) == self.size:
                yield self._collate(buf)
                buf = []
        if buf and not self.drop:
            yield self._collate(buf)

    def _first_spec(self) -> Any:
        lead = self.size if self.drop else None

        def spec(s: Any) -> Any:
            if isinstance(s, RaggedTensorSpec):  # rows of a RaggedTensor batch into one
                return RaggedTensorSpec([lead] + list(s.shape), s.dtype, s.ragged_rank + 1,
                                        s.row_splits_dtype)
            inner = s.shape if self.pad is None else tuple(None for _ in s.shape)
            return TensorSpec((lead,) + tuple(inner), s.dtype)
        return nest.map_structure(spec, self.source.element_spec)

    def _slice_batches(self, src: _Slices, order: np.ndarray | None) -> Iterator[Any]:
        """Whole batches sliced (or, shuffled, gathered) at once: no per-element Python loop."""
        stop = src.n - src.n % self.size if self.drop else src.n
        for i in range(0, stop, self.size):
            rows = slice(i, i + self.size) if order is None else order[i:i + self.size]
            yield nest.pack_sequence_as(src.tensors, [a[rows] for a in src.leaves])

    def _collate(self, buf: list) -> Any:
        flats = [nest.flatten(e) for e in buf]
        n = len(flats[0])
        shapes = values = [None] * n
        if self.pad is not None:  # one shape (a list of dims) and one value per component
            if self.pad[0] is not None:
                shapes = [None if s is None else tuple(s)
                          for s in nest.flatten_up_to(buf[0], self.pad[0], check_types=False)]
            if self.pad[1] is not None:
                values = nest.flatten_up_to(buf[0], self.pad[1], check_types=False)
        cols = [_stack([f[k] for f in flats], None if self.pad is None else (shapes[k], values[k]),
                       "batch") for k in range(n)]
        return nest.pack_sequence_as(buf[0], cols)

    def _cardinality(self) -> int:
        n = self.source._cardinality()
        if n < 0:
            return n
        return n // self.size if self.drop else -(-n // self.size)


class _RaggedBatch(_Batch):
    """``ragged_batch``: components of rank >= 1 become RaggedTensors, scalars are stacked."""

    def __init__(self, source: Dataset, size: int, drop: bool, splits_dtype: Any):
        super().__init__(source, size, drop)
        self.splits_dtype = splits_dtype

    def _iter(self) -> Iterator[Any]:
        return _Batch._buffered(self)

    def _collate(self, buf: list) -> Any:
        cols = [[nest.flatten(e)[k] for e in buf] for k in range(len(nest.flatten(buf[0])))]
        return nest.pack_sequence_as(buf[0], [np.stack(c) if c[0].ndim == 0 else ragged_of(c)
                                              for c in cols])

    def _first_spec(self) -> Any:
        lead = self.size if self.drop else None

        def spec(s: TensorSpec) -> Any:
            if not s.shape:
                return TensorSpec((lead,), s.dtype)
            return RaggedTensorSpec([lead, None] + list(s.shape[1:]), s.dtype, 1,
                                    self.splits_dtype)
        return nest.map_structure(spec, self.source.element_spec)


class _SparseBatch(_Batch):
    """``sparse_batch``: each component batched as a SparseTensor of rows of ``row_shape``."""

    def __init__(self, source: Dataset, size: int, row_shape: list):
        super().__init__(source, size, False)
        self.row_shape = row_shape

    def _iter(self) -> Iterator[Any]:
        return _Batch._buffered(self)

    def _collate(self, buf: list) -> Any:
        cols = [[nest.flatten(e)[k] for e in buf] for k in range(len(nest.flatten(buf[0])))]
        return nest.pack_sequence_as(buf[0], [sparse_of(c, self.row_shape) for c in cols])

    def _first_spec(self) -> Any:
        shape = [None] + [None if d == -1 else d for d in self.row_shape]
        return nest.map_structure(lambda s: SparseTensorSpec(shape, s.dtype),
                                  self.source.element_spec)


class _Unbatch(Dataset):
    def __init__(self, source: Dataset):
        self.source = source

    def _first_spec(self) -> Any:
        return nest.map_structure(lambda s: TensorSpec(s.shape[1:], s.dtype),
                                  self.source.element_spec)

    def _iter(self) -> Iterator[Any]:
        for element in self.source._iter():
            leaves = nest.flatten(element)
            for i in range(leaves[0].shape[0]):
                yield nest.pack_sequence_as(element, [_row(a, i) for a in leaves])
