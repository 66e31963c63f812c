"""Tensor: an immutable value over a NumPy array, and the conversion of Python/NumPy values.

A :class:`Tensor` holds one NumPy value (an ndarray, or a NumPy scalar for 0-d results) and
nothing else. Its Python operators call the ops in :data:`OPERATORS` (filled by
``tapegrad.ops``). ``Variable`` (variable.py) shares the same base, ``_Base``.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from . import dtypes as _dt
from .backend import ArrayTypes
from .errors import InvalidArgumentError, named
from .indexed_slices import IndexedSlices
from .operators import OPERATORS as _O
from .shape import TensorShape
from .state import STATE as _STATE

__all__ = ["Tensor", "convert_raw", "shape_of", "holds_tensor"]

_new = object.__new__


def _wrap(v) -> Tensor:
    """A Tensor over the NumPy value ``v`` as is (no conversion, no copy)."""
    t = _new(Tensor)
    t._value = v
    return t


def shape_of(x) -> tuple:
    """Shape of a tensor, array or Python scalar, as a plain tuple."""
    if isinstance(x, _Base):
        return x._value.shape
    if holds_tensor(x):  # a list of tensors: its shape without reading their values
        return (len(x),) + tuple(shape_of(x[0])) if len(x) else (0,)
    return np.shape(x)


class _Base:
    """What Tensor and Variable share: the value, its metadata, operators and conversions."""

    __slots__ = ("_value", "__weakref__")
    # As TF's EagerTensor: no __array_ufunc__, so NumPy functions (np.add(t, 1), np.exp(t),
    # np.concatenate) read the value through __array__ and return arrays, while the priority
    # makes ndarray operators defer to ours (np_array * tensor -> Tensor).
    __array_priority__ = 100

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._value.shape)

    def get_shape(self) -> TensorShape:
        return TensorShape(self._value.shape)

    @property
    def dtype(self) -> _dt.DType:
        return _dt.from_numpy(self._value.dtype)

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def device(self) -> str:
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    def __len__(self) -> int:
        if not self._value.shape:
            raise TypeError("len() of a 0-d tensor is undefined (shape=()).")
        return self._value.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if not self._value.shape:
            raise named(TypeError("Cannot iterate over a scalar tensor."))
        for i in range(self._value.shape[0]):
            yield self[i]

    __hash__ = None  # type: ignore[assignment]  # elementwise __eq__, as in TF 2: use .ref()

    def ref(self) -> _Ref:
        """A hashable reference to this object (TF's ``Tensor.ref()``), for dict keys and sets."""
        return _Ref(self)

    def experimental_ref(self) -> _Ref:
        return _Ref(self)

    # -- leaving tapegrad: NumPy and Python values ------------------------------------------
    def _leaving(self, how: str) -> None:
        for listener in _STATE.listeners:
            listener.on_leave(self, how)

    def numpy(self):
        """The value as NumPy (a read-only view for a Tensor, a copy for a Variable)."""
        if _STATE.active:
            self._leaving(".numpy()")
        v = self._value
        if type(v) is np.ndarray and v.dtype == object and not v.shape:
            return v.item()  # a scalar string tensor gives bytes, as TF's
        if type(v) is np.ndarray:
            v = v.view()
            v.flags.writeable = False
        return v

    def __array__(self, dtype=None, copy=None):
        if _STATE.active:
            self._leaving("a NumPy function")
        v = np.asarray(self._value, dtype=dtype)
        if copy:
            return v.copy()
        if v is self._value:  # a zero-copy view that cannot change the tensor
            v = v.view()
            v.flags.writeable = False
        return v

    def __float__(self) -> float:
        if _STATE.active:
            self._leaving("float()")
        return float(self._value)

    def __int__(self) -> int:
        if _STATE.active:
            self._leaving("int()")
        return int(self._value)

    def __index__(self) -> int:
        if self._value.dtype.kind not in "iu":
            raise named(TypeError(f"Only integer tensors can be used as an index, not "
                                  f"{self.dtype.name}."))
        if _STATE.active:
            self._leaving("use as an index")
        return int(self._value)

    def __bool__(self) -> bool:
        if _STATE.active:
            self._leaving("bool(), e.g. `if tensor:`")
        return bool(self._value)

    def __complex__(self) -> complex:
        return complex(self._value)

    def __format__(self, spec: str) -> str:
        if not self._value.shape:
            return format(self._value.item(), spec)
        return format(str(self), spec)

    def _numpy_text(self) -> str:
        v = self._value
        text = str(v) if v.ndim == 0 else repr(np.asarray(v))
        return "\n" + text if "\n" in text else text

    # -- operators: the ops live in tapegrad.ops, which fills OPERATORS (one line each) ----
    def __add__(self, y): return _O.add((self, y))
    def __radd__(self, x): return _O.add((x, self))
    def __sub__(self, y): return _O.subtract((self, y))
    def __rsub__(self, x): return _O.subtract((x, self))
    def __mul__(self, y): return _O.multiply((self, y))
    def __rmul__(self, x): return _O.multiply((x, self))
    def __truediv__(self, y): return _O.truediv((self, y))
    def __rtruediv__(self, x): return _O.truediv((x, self))
    def __floordiv__(self, y): return _O.floordiv(self, y)
    def __rfloordiv__(self, x): return _O.floordiv(x, self)
    def __mod__(self, y): return _O.floormod(self, y)
    def __rmod__(self, x): return _O.floormod(x, self)
    def __pow__(self, y): return _O.pow(self, y)
    def __rpow__(self, x): return _O.pow(x, self)
    def __matmul__(self, y): return _O.matmul(self, y)
    def __rmatmul__(self, x): return _O.matmul(x, self)
    def __neg__(self): return _O.negative((self,))
    def __pos__(self): return self
    def __abs__(self): return _O.abs(self)
    def __invert__(self): return _O.logical_not(self)
    def __and__(self, y): return _O.logical_and(self, y)
    def __rand__(self, x): return _O.logical_and(x, self)
    def __or__(self, y): return _O.logical_or(self, y)
    def __ror__(self, x): return _O.logical_or(x, self)
    def __xor__(self, y): return _O.logical_xor(self, y)
    def __lt__(self, y): return _O.less(self, y)
    def __le__(self, y): return _O.less_equal(self, y)
    def __gt__(self, y): return _O.greater(self, y)
    def __ge__(self, y): return _O.greater_equal(self, y)

    def __eq__(self, y):  # type: ignore[override]
        if y is None:
            return False
        return _O.equal(self, y)

    def __ne__(self, y):  # type: ignore[override]
        if y is None:
            return True
        return _O.not_equal(self, y)

    def __getitem__(self, index):
        return _O.getitem(self, index)


class Tensor(_Base):
    """An immutable multi-dimensional value, as ``tf.Tensor``.

    >>> import tapegrad as tf
    >>> tf.constant([[1.0, 2.0]]) * 2
    <tapegrad.Tensor: shape=(1, 2), dtype=float32, numpy=array([[2., 4.]], dtype=float32)>
    """

    # Keras attaches a layer's output mask here (``tensor._keras_mask``), as TF's eager tensors
    __slots__ = ("_keras_mask",)

    def __init__(self, value: Any):
        self._value = convert_raw(value)

    def __repr__(self) -> str:
        return (f"<tapegrad.Tensor: shape={tuple(self._value.shape)}, dtype={self.dtype.name}, "
                f"numpy={self._numpy_text()}>")

    def __str__(self) -> str:
        text = str(self._value)  # NumPy's str, as TF's: tf.Tensor([1. 2.], shape=(2,), ...)
        text = "\n" + text if "\n" in text else text
        return f"tapegrad.Tensor({text}, shape={tuple(self._value.shape)}, dtype={self.dtype.name})"

    def __reduce__(self):
        return (Tensor, (np.asarray(self._value),))


class _Ref:
    """Hashable wrapper returned by ``Tensor.ref()``; ``.deref()`` gives the object back."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self) -> int:
        return id(self._obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Ref) and other._obj is self._obj

    def __repr__(self) -> str:
        return f"<Reference wrapping {self._obj!r}>"


def _all_text(arr) -> bool:
    return arr.size > 0 and all(isinstance(v, (str, bytes)) for v in arr.reshape(-1))


def _as_bytes(arr):
    """A NumPy object array of bytes (str encoded as UTF-8), TF's string values."""
    flat = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in arr.reshape(-1)]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(arr.shape)


def convert_raw(value: Any, dtype: Any = None):
    """A Python or NumPy value as a NumPy value with TF's default dtypes (float32, int32)."""
    npd = _dt.np_dtype(dtype)
    if isinstance(value, ArrayTypes):
        if npd is not None and value.dtype != npd:
            return _cast_checked(value, npd)
        return value
    if isinstance(value, _Base):
        v = value._value
        return v if npd is None or v.dtype == npd else _cast_checked(v, npd)
    if isinstance(value, IndexedSlices):
        return convert_raw(value.to_dense(), dtype)
    if holds_tensor(value):
        return _stack_raw(value, npd)
    if value is None:
        raise named(ValueError("Attempt to convert a value (None) with an unsupported type "
                               "(<class 'NoneType'>) to a Tensor."))
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as e:
        raise named(ValueError(f"Can't convert {type(value).__name__} to a tensor: {e}")) \
            from None
    if arr.dtype == np.uint64 or (arr.dtype == object and _has_big_int(value)):
        raise named(ValueError(f"Can't convert Python sequence with out-of-range integer to "
                               f"Tensor: integers must fit in int64 ({value!r})."))
    if arr.dtype.kind in "US" or (arr.dtype == object and _all_text(arr)):
        return _as_bytes(arr)  # a string tensor: bytes objects, as TF's
    if arr.dtype == object or arr.dtype.kind in "USV":
        raise named(TypeError(f"Can't convert {value!r} ({type(value).__name__}) to a numeric "
                              f"tensor."))
    if npd is not None:
        return _cast_checked(arr, npd)
    if arr.dtype == np.float64:
        return arr.astype(np.float32)
    if arr.dtype == np.int64:
        if arr.size and (arr.max() > 2**31 - 1 or arr.min() < -2**31):
            return arr
        return arr.astype(np.int32)
    return arr


def _cast_checked(arr, npd: np.dtype):
    if npd.kind in "iub" and arr.dtype.kind == "f":
        if not np.isfinite(arr).all() or not (np.floor(arr) == arr).all():  # no NaN warning
            raise TypeError(f"Cannot convert {arr.tolist() if arr.size < 8 else 'a value'} "
                            f"to a tensor of dtype {_dt.from_numpy(npd).name}: it is not integral.")
    return np.asarray(arr).astype(npd) if arr.ndim else npd.type(arr)




def holds_tensor(value: Any) -> bool:
    """Whether ``value`` is a (nested) list or tuple with a tensor or variable somewhere in it."""
    if type(value) is not list and type(value) is not tuple:
        return False
    return any(isinstance(x, _Base) or holds_tensor(x) for x in value)


def _stack_raw(value: Any, npd: Any):
    """A list holding tensors as one array: the tensors' dtype decides, as TF's packing does."""
    items = [_stack_raw(x, npd) if holds_tensor(x) else x for x in value]
    if npd is None:
        npd = pack_dtype(items)
    vals = [convert_raw(x, npd) for x in items]
    if any(v.shape != vals[0].shape for v in vals):
        raise ValueError(f"Can't pack tensors of shapes {[list(v.shape) for v in vals]} into one "
                         f"tensor: they must all have the same shape.")
    return np.stack(vals)


def pack_dtype(items: list):
    """The one NumPy dtype of the tensors (and packed arrays) in a list being packed."""
    dtypes = {x._value.dtype if isinstance(x, _Base) else x.dtype for x in items
              if isinstance(x, (_Base, np.ndarray))}
    if len(dtypes) > 1:
        raise InvalidArgumentError(f"Can't pack a list of tensors of dtypes "
                                   f"{sorted(_dt.from_numpy(d).name for d in dtypes)} into one "
                                   f"tensor; cast them to one dtype first (tf.cast).")
    return dtypes.pop() if dtypes else None


def _has_big_int(value: Any) -> bool:
    """Whether a Python int beyond int64 sits in ``value`` (NumPy makes those object arrays)."""
    if isinstance(value, int):
        return not -2**63 <= value < 2**63
    return isinstance(value, (list, tuple)) and any(_has_big_int(x) for x in value)
