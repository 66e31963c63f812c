"""Ragged tensors (``tf.ragged``): rows of different lengths, as ``values`` cut by
``row_splits``. The values are a tapegrad tensor (or, nested, a RaggedTensor), and ``to_tensor``
scatters them with a differentiable scatter, so gradients flow through the flat values.
"""

from __future__ import annotations

from typing import Any, Callable

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.errors import InvalidArgumentError
from ..engine.shape import TensorShape
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .creation import fill
from .indexing import tensor_scatter_nd_update
from .math import cast

__all__ = ["RaggedTensor", "constant", "map_flat_values"]


def _tensor(x: Any, dtype: Any = None) -> Tensor:
    if isinstance(x, _Base):
        return x if dtype is None or x.dtype == _dt.as_dtype(dtype) else cast(x, dtype)
    return Tensor(convert_raw(x, dtype))


class RaggedTensor:
    """Rows of different lengths (``tf.RaggedTensor``): row ``i`` is
    ``values[row_splits[i]:row_splits[i + 1]]``.

    >>> import tapegrad as tf
    >>> rt = tf.RaggedTensor.from_row_lengths([1, 2, 3, 4], [3, 0, 1])
    >>> rt.to_list()
    [[1, 2, 3], [], [4]]
    >>> rt.to_tensor().numpy().tolist()
    [[1, 2, 3], [0, 0, 0], [4, 0, 0]]
    """

    def __init__(self, values: Any, row_splits: Any, internal: bool = True):
        self._values = values if isinstance(values, RaggedTensor) else _tensor(values)
        self._splits = np.asarray(row_splits._value if isinstance(row_splits, _Base)
                                  else row_splits, np.int64).reshape(-1)
        n = self._values.nrows() if isinstance(self._values, RaggedTensor) else \
            shape_of(self._values)[0]
        s = self._splits
        if s.size == 0 or s[0] != 0 or (np.diff(s) < 0).any() or s[-1] != n:
            raise InvalidArgumentError(f"RaggedTensor: row_splits must start at 0, never "
                                       f"decrease and end at the number of values ({n}); got "
                                       f"{s.tolist()}.")

    @classmethod
    def from_row_splits(cls, values: Any, row_splits: Any, name: str | None = None,
                        validate: bool = True) -> RaggedTensor:
        """Rows cut from ``values`` at ``row_splits``."""
        return cls(values, row_splits)

    @classmethod
    def from_row_lengths(cls, values: Any, row_lengths: Any, name: str | None = None,
                         validate: bool = True) -> RaggedTensor:
        """Rows of ``row_lengths`` consecutive values."""
        lengths = np.asarray(convert_raw(row_lengths), np.int64).reshape(-1)
        return cls(values, np.concatenate([[0], np.cumsum(lengths)]))

    @classmethod
    def from_value_rowids(cls, values: Any, value_rowids: Any, nrows: Any = None,
                          name: str | None = None, validate: bool = True) -> RaggedTensor:
        """Rows given by each value's (sorted) row id."""
        ids = np.asarray(convert_raw(value_rowids), np.int64).reshape(-1)
        n = int(nrows) if nrows is not None else (int(ids.max()) + 1 if ids.size else 0)
        return cls.from_row_lengths(values, np.bincount(ids, minlength=n)[:n])

    @property
    def values(self) -> Any:
        return self._values

    @property
    def row_splits(self) -> Tensor:
        return Tensor(self._splits)

    @property
    def flat_values(self) -> Tensor:
        v = self._values
        return v.flat_values if isinstance(v, RaggedTensor) else v

    @property
    def nested_row_splits(self) -> tuple:
        inner = self._values.nested_row_splits if isinstance(self._values, RaggedTensor) else ()
        return (self.row_splits,) + inner

    @property
    def ragged_rank(self) -> int:
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    @property
    def dtype(self) -> _dt.DType:
        return self.flat_values.dtype

    @property
    def shape(self) -> TensorShape:
        inner = self._values.shape[1:] if isinstance(self._values, RaggedTensor) else \
            list(shape_of(self._values))[1:]
        return TensorShape([self.nrows(), None] + list(inner))

    def nrows(self) -> int:
        return int(self._splits.size - 1)

    def row_lengths(self, axis: int = 1, name: str | None = None) -> Tensor:
        """The length of each row."""
        return Tensor(np.diff(self._splits))

    def value_rowids(self, name: str | None = None) -> Tensor:
        """The row of each value."""
        return Tensor(np.repeat(np.arange(self.nrows()), np.diff(self._splits)))

    def bounding_shape(self, axis: Any = None, name: str | None = None,
                       out_type: Any = _dt.int64) -> Tensor:
        """The shape of the smallest dense tensor that holds every row."""
        lengths = np.diff(self._splits)
        inner = self._values.bounding_shape().numpy().tolist()[1:] if \
            isinstance(self._values, RaggedTensor) else list(shape_of(self._values))[1:]
        shape = np.asarray([self.nrows(), int(lengths.max()) if lengths.size else 0] + inner,
                           _dt.np_dtype(out_type))
        return Tensor(shape if axis is None else shape[axis])

    def to_tensor(self, default_value: Any = None, name: str | None = None,
                  shape: Any = None) -> Tensor:
        """The rows padded with ``default_value`` (0, or b'' for strings) to the bounding shape;
        a differentiable scatter of the values."""
        bound = [int(d) for d in (self.bounding_shape().numpy() if shape is None else shape)]
        inner = self._values.to_tensor(default_value, shape=[self._values.nrows()] + bound[2:]) \
            if isinstance(self._values, RaggedTensor) else self._values
        rows = np.repeat(np.arange(self.nrows()), np.diff(self._splits))
        cols = np.arange(self._splits[-1]) - self._splits[:-1][rows]
        keep = cols < bound[1]
        pad = (b"" if self.dtype == _dt.string else 0) if default_value is None else default_value
        if self.dtype == _dt.string:  # no arithmetic on bytes: place them with NumPy
            out = np.full(bound, _tensor(pad)._value.item(), dtype=object)
            out[rows[keep], cols[keep]] = inner._value[keep]
            return Tensor(out)
        base = fill(bound, _tensor(pad, self.dtype))
        if not keep.any():
            return base
        vals = inner if keep.all() else inner[np.nonzero(keep)[0]]
        return tensor_scatter_nd_update(base, np.stack([rows[keep], cols[keep]], -1), vals)

    def to_list(self) -> list:
        """The rows as nested Python lists."""
        inner = self._values.to_list() if isinstance(self._values, RaggedTensor) else \
            self._values.numpy().tolist()
        return [inner[a:b] for a, b in zip(self._splits[:-1], self._splits[1:])]

    def numpy(self) -> Any:
        rows = [np.asarray(r, dtype=object if self.dtype == _dt.string else None)
                for r in self.to_list()]
        out = np.empty(len(rows), dtype=object)
        out[:] = rows
        return out

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            i = key + self.nrows() if key < 0 else key
            if not 0 <= i < self.nrows():
                raise InvalidArgumentError(f"RaggedTensor: row {key} is out of range for "
                                           f"{self.nrows()} rows.")
            a, b = int(self._splits[i]), int(self._splits[i + 1])
            v = self._values
            return _row_slice(v, a, b)
        if isinstance(key, slice):
            idx = range(self.nrows())[key]
            rows = [self[i] for i in idx]
            return constant([r.to_list() if isinstance(r, RaggedTensor) else r.numpy().tolist()
                             for r in rows], dtype=self.dtype)
        raise TypeError(f"RaggedTensor: index with an int or a slice of rows, got {key!r}.")

    def with_flat_values(self, new_values: Any) -> RaggedTensor:
        """The same rows with other flat values."""
        if isinstance(self._values, RaggedTensor):
            return RaggedTensor(self._values.with_flat_values(new_values), self._splits)
        return RaggedTensor(new_values, self._splits)

    def __repr__(self) -> str:
        return f"<tf.RaggedTensor {self.to_list()!r}>"


def _row_slice(v: Any, a: int, b: int) -> Any:
    if isinstance(v, RaggedTensor):
        return RaggedTensor(_row_slice(v._values, int(v._splits[a]), int(v._splits[b])),
                            v._splits[a:b + 1] - v._splits[a])
    return v[a:b]


def _depth(x: Any) -> int:
    return 1 + max((_depth(v) for v in x), default=0) if isinstance(x, (list, tuple)) else 0


def constant(pylist: Any, dtype: Any = None, ragged_rank: Any = None, inner_shape: Any = None,
             name: str | None = None, row_splits_dtype: Any = _dt.int64) -> RaggedTensor:
    """A RaggedTensor from nested Python lists (``tf.ragged.constant``).

    >>> import tapegrad as tf
    >>> rt = tf.ragged.constant([[1, 2], [3]])
    >>> rt.row_lengths().numpy().tolist(), rt.flat_values.numpy().tolist()
    ([2, 1], [1, 2, 3])
    """
    if _depth(pylist) < 2:
        raise ValueError(f"ragged.constant: need a list of lists, got {pylist!r}.")
    rows = list(pylist)
    if _depth(pylist) == 2 or ragged_rank == 1:
        flat = [v for r in rows for v in r]
        values = _tensor(flat if flat else np.zeros(0, np.float32), dtype)
    else:
        values = constant([v for r in rows for v in r], dtype, None if ragged_rank is None
                          else ragged_rank - 1)
    return RaggedTensor.from_row_lengths(values, [len(r) for r in rows])


def map_flat_values(op: Callable, *args: Any, **kwargs: Any) -> RaggedTensor:
    """``op`` applied to the flat values of the ragged arguments, rows kept
    (``tf.ragged.map_flat_values``).

    >>> import tapegrad as tf
    >>> tf.ragged.map_flat_values(tf.square, tf.ragged.constant([[1, 2], [3]])).to_list()
    [[1, 4], [9]]
    """
    ragged = [a for a in list(args) + list(kwargs.values()) if isinstance(a, RaggedTensor)]
    if not ragged:
        raise ValueError("ragged.map_flat_values: at least one argument must be a RaggedTensor.")
    flat = [a.flat_values if isinstance(a, RaggedTensor) else a for a in args]
    kw = {k: v.flat_values if isinstance(v, RaggedTensor) else v for k, v in kwargs.items()}
    return ragged[0].with_flat_values(op(*flat, **kw))
