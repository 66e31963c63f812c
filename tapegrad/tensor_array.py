"""``tf.TensorArray`` with TF's eager semantics: a Python list of tensors.

Every element is an ordinary tensor, and ``stack``/``gather``/``concat``/``unstack`` are the
array family's ops, so gradients flow through a TensorArray on the tape with no rule of its own
(as in TF's eager mode, where the gradient of a TensorArray is that of its stack and reads).
A write changes the array in place and returns it, so both ``ta = ta.write(i, x)`` (the TF 1
idiom that ``tf.while_loop`` bodies use) and a bare ``ta.write(i, x)`` work. Inside
``tapegrad.function`` reads never clear (TF's graph TensorArray ignores ``clear_after_read``),
which is why this module sits beside ``function.py`` rather than among the op families.
"""

from __future__ import annotations

from typing import Any

from .engine import dtypes as _dt
from .engine.backend import xp as np
from .engine.convert import convert_to_tensor
from .engine.errors import InvalidArgumentError, OutOfRangeError
from .engine.shape import TensorShape
from .engine.tensor import Tensor, _Base
from .ops.array import concat, split as _split, stack, unstack
from .ops.creation import zeros
from .function import executing_eagerly

__all__ = ["TensorArray"]


def _index(i: Any, op: str) -> int:
    """A Python int from an int or a scalar integer tensor."""
    value = np.asarray(i.numpy() if isinstance(i, _Base) else i)
    if value.shape != () or value.dtype.kind not in "iu":
        raise InvalidArgumentError(f"TensorArray.{op}: index must be a scalar integer, got "
                                   f"{value.dtype.name} of shape {list(value.shape)}.")
    return int(value)


def _shape(s: Any) -> tuple | None:
    """``element_shape`` as a tuple (None dims unknown), or None for an unknown rank."""
    if s is None:
        return None
    dims = s.as_list() if hasattr(s, "as_list") else list(s)
    return tuple(None if d is None or d == -1 else int(d) for d in dims)


def _merge(known: tuple | None, got: tuple) -> tuple | None:
    """The shape agreeing with both, or None when they conflict."""
    if known is None:
        return got
    if len(known) != len(got):
        return None
    out = []
    for a, b in zip(known, got):
        if a is not None and a != b:
            return None
        out.append(b)
    return tuple(out)


class TensorArray:
    """A list of same-dtype tensors written one at a time (``tf.TensorArray``).

    Reads, writes and ``stack`` are recorded on the tape, so a loss built from a TensorArray
    differentiates back to the values written into it.

    >>> import tapegrad as tf
    >>> x = tf.constant(2.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    ...     for i in range(3):
    ...         ta = ta.write(i, x ** (i + 1))
    ...     y = tf.reduce_sum(ta.stack())
    >>> float(y), float(tape.gradient(y, x))     # 2 + 4 + 8, 1 + 2x + 3x²
    (14.0, 17.0)
    """

    def __init__(self, dtype: Any, size: Any = None, dynamic_size: bool | None = None,
                 clear_after_read: bool | None = None, tensor_array_name: str | None = None,
                 handle: Any = None, flow: Any = None, infer_shape: bool = True,
                 element_shape: Any = None, colocate_with_first_write_call: bool = True,
                 name: str | None = None) -> None:
        if handle is not None:
            raise ValueError("TensorArray: handles are not supported in eager execution.")
        if size is None:
            raise ValueError("TensorArray: size must be given (use size=0 with "
                             "dynamic_size=True for an array that grows).")
        self._dtype = _dt.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        self._infer_shape = infer_shape
        self._element_shape = _shape(element_shape)
        self._items: list = [None] * _index(size, "__init__")
        self._cleared: set = set()

    # -- properties TF code reads ------------------------------------------------------------
    @property
    def dtype(self) -> _dt.DType:
        return self._dtype

    @property
    def dynamic_size(self) -> bool:
        return self._dynamic_size

    @property
    def element_shape(self) -> TensorShape | None:
        """The elements' shape as far as known (``None`` while the rank is unknown)."""
        return None if self._element_shape is None else TensorShape(self._element_shape)

    @property
    def flow(self) -> Tensor:
        """For compatibility: flows mean nothing in eager execution."""
        return convert_to_tensor(0)

    def identity(self) -> TensorArray:
        return self

    def size(self, name: str | None = None) -> Tensor:
        """The number of elements, an int32 scalar tensor."""
        return convert_to_tensor(len(self._items))

    def close(self, name: str | None = None) -> None:
        self._items = []

    # -- writing --------------------------------------------------------------------------
    def _write(self, index: Any, value: Any) -> None:
        i = _index(index, "write")
        if i < 0:
            raise OutOfRangeError(f"TensorArray.write: negative index {i} is not allowed.")
        if i >= len(self._items):
            if not self._dynamic_size:
                raise OutOfRangeError(
                    f"TensorArray.write: index {i} but the array has size {len(self._items)} "
                    f"and is not resizeable (pass dynamic_size=True).")
            self._items.extend([None] * (i + 1 - len(self._items)))
        value = convert_to_tensor(value, dtype_hint=self._dtype)
        if value.dtype != self._dtype:
            raise InvalidArgumentError(
                f"TensorArray.write: the array holds {self._dtype.name} but the value is "
                f"{value.dtype.name}; cast it with tf.cast.")
        got = tuple(value.shape)
        merged = _merge(self._element_shape, got)
        if merged is None:
            raise ValueError(f"TensorArray.write: incompatible shape for value ({list(got)}), "
                             f"expected {list(self._element_shape)}.")
        if self._infer_shape:
            self._element_shape = merged
        self._items[i] = value
        self._cleared.discard(i)

    def write(self, index: Any, value: Any, name: str | None = None) -> TensorArray:
        """Store ``value`` at ``index`` (growing the array when ``dynamic_size``)."""
        self._write(index, value)
        return self

    def unstack(self, value: Any, name: str | None = None) -> TensorArray:
        """Replace the elements by the slices of ``value`` along its first axis."""
        value = convert_to_tensor(value, dtype_hint=self._dtype)
        pieces = unstack(value)
        if len(pieces) > len(self._items) and not self._dynamic_size:
            raise ValueError(f"TensorArray.unstack: cannot unstack {len(pieces)} tensors into "
                             f"an array of static size {len(self._items)}.")
        self._items = [None] * len(pieces)
        for i, piece in enumerate(pieces):
            self._write(i, piece)
        return self

    def scatter(self, indices: Any, value: Any, name: str | None = None) -> TensorArray:
        """Write ``value[k]`` at ``indices[k]`` for each k."""
        idx = np.asarray(indices.numpy() if isinstance(indices, _Base) else indices).reshape(-1)
        value = convert_to_tensor(value, dtype_hint=self._dtype)
        for i, piece in zip(idx.tolist(), unstack(value), strict=True):
            self._write(i, piece)
        return self

    def split(self, value: Any, lengths: Any, name: str | None = None) -> TensorArray:
        """Replace the elements by consecutive pieces of ``value`` of the given ``lengths``."""
        value = convert_to_tensor(value, dtype_hint=self._dtype)
        sizes = [int(n) for n in np.asarray(lengths).reshape(-1)]
        if not value.shape or sum(sizes) != value.shape[0]:
            raise InvalidArgumentError(
                f"TensorArray.split: lengths {sizes} must sum to the first dimension of the "
                f"value's shape {list(value.shape)}.")
        if not self._dynamic_size and len(sizes) != len(self._items):
            raise InvalidArgumentError(
                f"TensorArray.split: {len(sizes)} lengths for an array of static size "
                f"{len(self._items)}.")
        self._items = list(_split(value, sizes))
        return self

    # -- reading --------------------------------------------------------------------------
    def _element(self, i: int) -> Tensor:
        if self._items[i] is None:
            if self._element_shape is None or None in self._element_shape:
                raise InvalidArgumentError(
                    f"TensorArray: element {i} was never written and the element shape is not "
                    f"known; write it, or give element_shape.")
            self._items[i] = zeros(self._element_shape, self._dtype)
        return self._items[i]

    def read(self, index: Any, name: str | None = None) -> Tensor:
        """The element at ``index`` (zeros of the element shape if never written)."""
        i = _index(index, "read")
        if i < 0 or i >= len(self._items):
            raise OutOfRangeError(f"TensorArray.read: index {i} but the array has size "
                                  f"{len(self._items)}.")
        if self._items[i] is None and i in self._cleared:
            raise InvalidArgumentError(
                f"TensorArray.read: could not read index {i} twice because it was cleared "
                f"after a previous read (perhaps try setting clear_after_read=False?).")
        value = self._element(i)
        if self._clear_after_read and executing_eagerly():
            self._items[i] = None
            self._cleared.add(i)
        return value

    def stack(self, name: str | None = None) -> Tensor:
        """All elements stacked along a new first axis."""
        if not self._items:
            shape = (0,) + (self._element_shape or ())
            if None in shape:
                raise InvalidArgumentError("TensorArray.stack: the array is empty and its "
                                           "element shape is not known.")
            return zeros(shape, self._dtype)
        return stack([self._element(i) for i in range(len(self._items))])

    def gather(self, indices: Any, name: str | None = None) -> Tensor:
        """The elements at ``indices``, stacked."""
        idx = np.asarray(indices.numpy() if isinstance(indices, _Base) else indices).reshape(-1)
        for i in idx.tolist():
            if i < 0 or i >= len(self._items):
                raise OutOfRangeError(f"TensorArray.gather: index {i} but the array has size "
                                      f"{len(self._items)}.")
        return stack([self._element(i) for i in idx.tolist()])

    def concat(self, name: str | None = None) -> Tensor:
        """All elements joined along their first axis."""
        parts = [self._element(i) for i in range(len(self._items))]
        for i, p in enumerate(parts):
            if not p.shape:
                raise InvalidArgumentError(f"TensorArray.concat: element {i} is a scalar; "
                                           f"concat needs at least vectors (use stack).")
        return concat(parts, 0)

    def __repr__(self) -> str:
        return (f"<tf.TensorArray dtype={self._dtype.name} size={len(self._items)} "
                f"element_shape={self._element_shape}>")
