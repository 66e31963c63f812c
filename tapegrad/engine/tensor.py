"""Tensor, Variable, TensorShape, IndexedSlices and conversion of Python/NumPy values.

A :class:`Tensor` is an immutable value over a NumPy array (or NumPy scalar, for 0-d results).
A :class:`Variable` is mutable state; reading it while a tape listens yields a fresh Tensor
snapshot, so later assignments never change what a tape saw.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, Iterator

import numpy as np

from . import dtypes as _dt
from .backend import ArrayTypes
from .state import STATE as _STATE, loud as _loud, quiet as _quiet

__all__ = ["Tensor", "Variable", "TensorShape", "IndexedSlices", "constant", "convert_to_tensor",
           "name_scope"]

_new = object.__new__


class _Operators:
    """The ops behind Tensor's Python operators, filled in by ``tapegrad.ops`` (the op
    families sit above this module, so it cannot import them).

    ``add``/``subtract``/``multiply``/``truediv``/``negative`` are ``partial(bind, prim)``
    taking one tuple of operands (one Python call less on the hottest path); the others are
    the public op functions, called with the operands.
    """

    add: Callable
    subtract: Callable
    multiply: Callable
    truediv: Callable
    negative: Callable
    floordiv: Callable
    floormod: Callable
    pow: Callable
    matmul: Callable
    abs: Callable
    logical_not: Callable
    logical_and: Callable
    logical_or: Callable
    logical_xor: Callable
    less: Callable
    less_equal: Callable
    greater: Callable
    greater_equal: Callable
    equal: Callable
    not_equal: Callable
    getitem: Callable
    # what the engine itself calls: unbroadcast's reduction sum_to(g, axes, target_shape), and
    # cast / concat / reshape / stack / transpose for the reverse pass and the jacobians
    sum_to: Callable
    cast: Callable
    concat: Callable
    reshape: Callable
    stack: Callable
    transpose: Callable
    densify: Callable  # IndexedSlices -> dense: densify(values, indices, shape)


OPERATORS = _Operators()
_O = OPERATORS


def _wrap(v) -> Tensor:
    """A Tensor over the NumPy value ``v`` as is (no conversion, no copy)."""
    t = _new(Tensor)
    t._value = v
    return t


class TensorShape(tuple):
    """A tensor's shape: a tuple of ints that prints like TF's.

    >>> import tapegrad as tf
    >>> s = tf.zeros((4, 2)).shape
    >>> s == (4, 2), s.as_list(), s.rank
    (True, [4, 2], 2)
    """

    __slots__ = ()

    def as_list(self) -> list[int]:
        return list(self)

    @property
    def rank(self) -> int:
        return len(self)

    @property
    def ndims(self) -> int:
        return len(self)

    def num_elements(self) -> int:
        n = 1
        for d in self:
            n *= d
        return n

    def is_fully_defined(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list):
            other = tuple(other)
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = tuple.__hash__

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return TensorShape(r) if isinstance(i, slice) else r

    def __repr__(self) -> str:
        return f"TensorShape({list(self)})"

    def __str__(self) -> str:
        return tuple.__repr__(self)


def shape_of(x) -> tuple:
    """Shape of a tensor, array or Python scalar, as a plain tuple."""
    if isinstance(x, _Base):
        return x._value.shape
    return np.shape(x)


class _Base:
    """What Tensor and Variable share: the value, its metadata, operators and conversions."""

    __slots__ = ("_value", "__weakref__")
    __array_priority__ = 100
    __array_ufunc__ = None  # NumPy operators defer to ours: np_array * tensor -> Tensor

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
            raise TypeError("Cannot iterate over a scalar tensor.")
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
        if type(v) is np.ndarray:
            v = v.view()
            v.flags.writeable = False
        return v

    def __array__(self, dtype=None, copy=None):
        if _STATE.active:
            self._leaving("a NumPy function")
        v = np.asarray(self._value, dtype=dtype)
        return v.copy() if copy else v

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
            raise TypeError(f"Only integer tensors can be used as an index, not {self.dtype.name}.")
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

    # -- operators (the ops live in tapegrad.ops; bound at the end of this module) ----------
    def __add__(self, y):
        return _O.add((self, y))

    def __radd__(self, x):
        return _O.add((x, self))

    def __sub__(self, y):
        return _O.subtract((self, y))

    def __rsub__(self, x):
        return _O.subtract((x, self))

    def __mul__(self, y):
        return _O.multiply((self, y))

    def __rmul__(self, x):
        return _O.multiply((x, self))

    def __truediv__(self, y):
        return _O.truediv((self, y))

    def __rtruediv__(self, x):
        return _O.truediv((x, self))

    def __floordiv__(self, y):
        return _O.floordiv(self, y)

    def __rfloordiv__(self, x):
        return _O.floordiv(x, self)

    def __mod__(self, y):
        return _O.floormod(self, y)

    def __rmod__(self, x):
        return _O.floormod(x, self)

    def __pow__(self, y):
        return _O.pow(self, y)

    def __rpow__(self, x):
        return _O.pow(x, self)

    def __matmul__(self, y):
        return _O.matmul(self, y)

    def __rmatmul__(self, x):
        return _O.matmul(x, self)

    def __neg__(self):
        return _O.negative((self,))

    def __pos__(self):
        return self

    def __abs__(self):
        return _O.abs(self)

    def __invert__(self):
        return _O.logical_not(self)

    def __and__(self, y):
        return _O.logical_and(self, y)

    def __rand__(self, x):
        return _O.logical_and(x, self)

    def __or__(self, y):
        return _O.logical_or(self, y)

    def __ror__(self, x):
        return _O.logical_or(x, self)

    def __xor__(self, y):
        return _O.logical_xor(self, y)

    def __lt__(self, y):
        return _O.less(self, y)

    def __le__(self, y):
        return _O.less_equal(self, y)

    def __gt__(self, y):
        return _O.greater(self, y)

    def __ge__(self, y):
        return _O.greater_equal(self, y)

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

    __slots__ = ()

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


class _Scopes(threading.local):
    def __init__(self) -> None:
        self.stack: list[str] = []


_SCOPES = _Scopes()  # per thread: layers built in several threads keep their own names


class name_scope:
    """Context manager prefixing the names of Variables created inside it (``scope/name:0``)."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self) -> str:
        _SCOPES.stack.append(self.name)
        return "/".join(_SCOPES.stack) + "/"

    def __exit__(self, *exc) -> None:
        _SCOPES.stack.pop()


class Variable(_Base):
    """Mutable state that a GradientTape watches automatically when it is read.

    Arithmetic on a Variable gives a Tensor; ``assign``, ``assign_add`` and ``assign_sub`` change
    it in place and are never recorded, so (as in TensorFlow) state stops gradients.

    >>> import tapegrad as tf
    >>> v = tf.Variable(3.0, name="v")
    >>> with tf.GradientTape() as tape:
    ...     y = v * v
    >>> float(tape.gradient(y, v)), v.name
    (6.0, 'v:0')
    """

    __slots__ = ("_name", "_trainable", "_shape", "_constraint")

    def __init__(self, initial_value: Any = None, trainable: bool = True, name: str | None = None,
                 dtype: Any = None, shape: Any = None, constraint: Any = None, **unused: Any):
        if initial_value is None:
            raise ValueError("Variable: initial_value must be given.")
        if callable(initial_value):
            initial_value = initial_value()
        if isinstance(initial_value, _Base):
            v = initial_value._value
            if dtype is not None and v.dtype != _dt.np_dtype(dtype):
                v = v.astype(_dt.np_dtype(dtype))
        else:
            v = convert_raw(initial_value, dtype)
        v = np.array(v)  # own a private, writable copy
        self._value = v
        base = name if name is not None else "Variable"
        self._name = "/".join(_SCOPES.stack + [base]) + ":0" if ":" not in base else base
        self._trainable = bool(trainable)
        self._shape = v.shape
        self._constraint = constraint

    @property
    def name(self) -> str:
        return self._name

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    def __repr__(self) -> str:
        return (f"<tapegrad.Variable '{self._name}' shape={tuple(self._value.shape)} "
                f"dtype={self.dtype.name}, numpy={self._numpy_text()}>")

    def __str__(self) -> str:
        return self.__repr__()

    def numpy(self):
        if _STATE.active:
            self._leaving(".numpy()")
        return np.array(self._value)

    # -- reads ------------------------------------------------------------------------------
    def _read_for_listeners(self, value) -> Tensor:
        """A snapshot Tensor of ``value`` that watching tapes / accumulators / tracer see."""
        snap = _new(Tensor)
        snap._value = value
        for listener in _STATE.listeners:
            listener.on_read(self, snap)
        return snap

    def read_value(self) -> Tensor:
        """The current value as a Tensor (recorded as a read of this variable)."""
        if _STATE.active:
            return self._read_for_listeners(self._value)
        t = _new(Tensor)
        t._value = self._value
        return t

    value = read_value

    # -- writes ------------------------------------------------------------------------------
    def _coerce(self, value: Any, op: str):
        v = value._value if isinstance(value, _Base) else convert_raw(value, self._value.dtype)
        if v.dtype != self._value.dtype:
            if isinstance(value, _Base) or v.dtype.kind != self._value.dtype.kind:
                raise TypeError(f"{op} on variable '{self._name}': value has dtype "
                                f"{_dt.from_numpy(v.dtype).name}, the variable "
                                f"{self.dtype.name}; cast it first.")
            v = v.astype(self._value.dtype)
        if v.shape != self._shape:
            if v.shape == () or (op != "assign" and _broadcasts_to(v.shape, self._shape)):
                pass
            else:
                raise ValueError(f"{op} on variable '{self._name}': cannot assign a value of shape "
                                 f"{tuple(v.shape)} to a variable of shape {tuple(self._shape)}.")
        return v

    def _set(self, op: str, value: Any, new) -> Variable:
        for listener in _STATE.listeners:
            listener.on_assign(self, op, value)
        return self

    def assign(self, value: Any, use_locking: Any = None, name: Any = None,
               read_value: bool = True) -> Variable:
        """Set the value (same shape and dtype). Not recorded on any tape."""
        v = self._coerce(value, "assign")
        if v.shape != self._shape:
            v = np.broadcast_to(v, self._shape)
        if self._shares_value():
            self._value = np.array(v, dtype=self._value.dtype)
        else:
            self._value[...] = v
        return self._set("assign", value, self._value)

    def assign_add(self, delta: Any, use_locking: Any = None, name: Any = None,
                   read_value: bool = True) -> Variable:
        """``self += delta``. Not recorded on any tape."""
        d = self._coerce(delta, "assign_add")
        quiet = _quiet()  # inf - inf is NaN silently, as in TF (and as ops are)
        try:
            if self._shares_value():
                self._value = np.add(self._value, d)
            else:
                np.add(self._value, d, out=self._value)
        finally:
            _loud(quiet)
        return self._set("assign_add", delta, self._value)

    def assign_sub(self, delta: Any, use_locking: Any = None, name: Any = None,
                   read_value: bool = True) -> Variable:
        """``self -= delta``. Not recorded on any tape."""
        d = self._coerce(delta, "assign_sub")
        quiet = _quiet()
        try:
            if self._shares_value():
                self._value = np.subtract(self._value, d)
            else:
                np.subtract(self._value, d, out=self._value)
        finally:
            _loud(quiet)
        return self._set("assign_sub", delta, self._value)

    def _shares_value(self) -> bool:
        # Tensors, tape records and NumPy views all hold a reference to the array: write in
        # place only when nobody else can see it (the attribute and getrefcount's own argument).
        return sys.getrefcount(self._value) > 2 or not isinstance(self._value, np.ndarray)

    def scatter_sub(self, sparse_delta: IndexedSlices) -> Variable:
        """Subtract an IndexedSlices (rows ``indices`` of ``values``) in place."""
        vals = np.asarray(sparse_delta.values._value if isinstance(sparse_delta.values, _Base)
                          else sparse_delta.values, dtype=self._value.dtype)
        idx = np.asarray(sparse_delta.indices._value if isinstance(sparse_delta.indices, _Base)
                         else sparse_delta.indices)
        if self._shares_value():
            self._value = np.array(self._value)
        quiet = _quiet()
        try:
            np.subtract.at(self._value, idx, vals)
        finally:
            _loud(quiet)
        return self._set("scatter_sub", sparse_delta, self._value)


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

    def to_dense(self) -> Tensor:
        """Sum the rows into a dense tensor (differentiable)."""
        return _O.densify(self.values, self.indices, self.dense_shape)

    def numpy(self):
        return self.to_dense().numpy()

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.to_dense()._value, dtype=dtype)

    def __repr__(self) -> str:
        return (f"IndexedSlices(indices={np.asarray(self.indices._value).tolist()}, "
                f"values=shape{tuple(self.values.shape)}, dense_shape={list(self.dense_shape)})")


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
    if value is None:
        raise ValueError("Attempt to convert a value (None) with an unsupported type "
                         "(<class 'NoneType'>) to a Tensor.")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as e:
        raise ValueError(f"Can't convert {type(value).__name__} to a tensor: {e}") from None
    if arr.dtype == object or arr.dtype.kind in "USV":
        raise TypeError(f"Can't convert {value!r} ({type(value).__name__}) to a numeric tensor.")
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
        if not np.all(np.equal(np.mod(arr, 1), 0)):
            raise TypeError(f"Cannot convert {arr.tolist() if arr.size < 8 else 'a value'} "
                            f"to a tensor of dtype {_dt.from_numpy(npd).name}: it is not integral.")
    return np.asarray(arr).astype(npd) if arr.ndim else npd.type(arr)


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str | None = None) -> Tensor:
    """A constant Tensor from a Python value, NumPy array or tensor (TF's ``tf.constant``).

    >>> import tapegrad as tf
    >>> tf.constant([1, 2]).dtype, tf.constant(1.5).dtype, tf.constant(0, shape=(2,)).numpy()
    (tf.int32, tf.float32, array([0, 0], dtype=int32))
    """
    v = convert_raw(value, dtype)
    if shape is not None:
        shape = tuple(int(d) for d in shape)
        if v.size == 1:
            v = np.full(shape, v.reshape(()), dtype=v.dtype)
        elif v.size == int(np.prod(shape)):
            v = np.reshape(v, shape)
        else:
            raise TypeError(f"constant: cannot reshape a value of {v.size} elements to shape "
                            f"{list(shape)}.")
    elif isinstance(v, np.ndarray) and v.base is not None and isinstance(value, np.ndarray):
        v = v.copy()
    elif isinstance(value, np.ndarray) and v is value:
        v = value.copy()  # later writes to the user's array must not change the constant
    t = _new(Tensor)
    t._value = v
    return t


def convert_to_tensor(value: Any, dtype: Any = None, dtype_hint: Any = None,
                      name: str | None = None) -> Tensor:
    """A Tensor for ``value``; a Tensor passes through, a Variable is read.

    >>> import tapegrad as tf
    >>> tf.convert_to_tensor([1.0, 2.0]).shape
    TensorShape([2])
    """
    if isinstance(value, Tensor):
        if dtype is not None and value._value.dtype != _dt.np_dtype(dtype):
            raise ValueError(f"convert_to_tensor: requested dtype {_dt.as_dtype(dtype).name} for "
                             f"a tensor of dtype {value.dtype.name}; use tf.cast instead.")
        return value
    if isinstance(value, Variable):
        if dtype is not None and value._value.dtype != _dt.np_dtype(dtype):
            raise ValueError(f"convert_to_tensor: requested dtype {_dt.as_dtype(dtype).name} for "
                             f"variable '{value.name}' of dtype {value.dtype.name}.")
        return value.read_value()
    if isinstance(value, IndexedSlices):
        return value.to_dense()
    if dtype is None and dtype_hint is not None:
        try:
            return constant(value, dtype_hint)
        except TypeError:
            pass
    return constant(value, dtype)


def _broadcasts_to(shape: tuple, target: tuple) -> bool:
    """Whether an array of ``shape`` broadcasts to exactly ``target`` (for ``assign_add``)."""
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False
