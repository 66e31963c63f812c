"""Variable: mutable state that a GradientTape watches when it is read.

Reading a Variable while a listener is active yields a fresh snapshot Tensor, so a later
``assign`` never changes what a tape saw; assignments are never recorded (state stops
gradients) but listeners hear them (``on_assign``).
"""

from __future__ import annotations

import sys
import threading
import weakref
from typing import Any

import numpy as np

from . import dtypes as _dt
from .indexed_slices import IndexedSlices
from .state import DISTRIBUTION as _DIST, STATE as _STATE, loud as _loud, quiet as _quiet, \
    scope_prefix
from .errors import InvalidArgumentError
from .operators import OPERATORS as _O
from .tensor import Tensor, _Base, _new, convert_raw

__all__ = ["Variable", "SlicedRead"]


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

    __slots__ = ("_name", "_trainable", "_shape", "_constraint", "_lock")

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
        self._lock = threading.Lock()  # each write is one atomic read-modify-write
        base = name if name is not None else "Variable"
        self._name = scope_prefix() + base + ":0" if ":" not in base else base
        self._trainable = bool(trainable)
        self._shape = v.shape
        self._constraint = constraint
        if _DIST.stack:  # a strategy's scope is open: its replicas start from one value
            _DIST.stack[-1]._variable_created(self)

    @property
    def name(self) -> str:
        return self._name

    def __deepcopy__(self, memo: dict) -> Variable:
        twin = Variable.__new__(Variable)
        twin._value, twin._lock = np.array(self._value), threading.Lock()
        twin._name, twin._trainable = self._name, self._trainable
        twin._shape, twin._constraint = self._shape, self._constraint
        memo[id(self)] = twin
        return twin

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
        with self._lock:
            if self._shares_value():
                self._value = np.array(v, dtype=self._value.dtype)
            else:
                self._value[...] = v
            new = self._value
        return self._set("assign", value, new)

    def assign_add(self, delta: Any, use_locking: Any = None, name: Any = None,
                   read_value: bool = True) -> Variable:
        """``self += delta``. Not recorded on any tape."""
        d = self._coerce(delta, "assign_add")
        quiet = _quiet()  # inf - inf is NaN silently, as in TF (and as ops are)
        try:
            with self._lock:
                if self._shares_value():
                    self._value = np.add(self._value, d)
                else:
                    np.add(self._value, d, out=self._value)
                new = self._value
        finally:
            _loud(quiet)
        return self._set("assign_add", delta, new)

    def assign_sub(self, delta: Any, use_locking: Any = None, name: Any = None,
                   read_value: bool = True) -> Variable:
        """``self -= delta``. Not recorded on any tape."""
        d = self._coerce(delta, "assign_sub")
        quiet = _quiet()
        try:
            with self._lock:
                if self._shares_value():
                    self._value = np.subtract(self._value, d)
                else:
                    np.subtract(self._value, d, out=self._value)
                new = self._value
        finally:
            _loud(quiet)
        return self._set("assign_sub", delta, new)

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
        quiet = _quiet()
        try:
            with self._lock:
                if self._shares_value():
                    self._value = np.array(self._value)
                np.subtract.at(self._value, idx, vals)
                new = self._value
        finally:
            _loud(quiet)
        return self._set("scatter_sub", sparse_delta, new)


    # -- writes to parts (sliced assign, scatter) --------------------------------------------
    def __getitem__(self, index):
        out = _O.getitem(self, index)
        _SLICES[id(out)] = (self, index)
        weakref.finalize(out, _SLICES.pop, id(out), None)
        out.__class__ = SlicedRead  # same layout: the read gains assign/assign_add/assign_sub
        return out

    def _write_part(self, op: str, index: Any, value: Any, how) -> Variable:
        """``how(copy, index, updates)`` on a copy of the value, which then becomes the value."""
        v = value._value if isinstance(value, _Base) else convert_raw(value, self._value.dtype)
        if v.dtype != self._value.dtype:
            raise TypeError(f"{op} on variable '{self._name}': updates have dtype "
                            f"{_dt.from_numpy(v.dtype).name}, the variable {self.dtype.name}.")
        quiet = _quiet()
        try:
            with self._lock:
                new = np.array(self._value)
                how(new, index, v)
                self._value = new
        except (IndexError, ValueError) as e:
            raise InvalidArgumentError(f"{op} on variable '{self._name}' of shape "
                                       f"{list(self._shape)}: {e}") from None
        finally:
            _loud(quiet)
        return self._set(op, value, new)

    def scatter_nd_update(self, indices: Any, updates: Any, name: Any = None) -> Variable:
        """Set the slices at ``indices`` (last axis indexes the first dims) to ``updates``."""
        return self._write_part("scatter_nd_update", _nd(indices), updates, _put)

    def scatter_nd_add(self, indices: Any, updates: Any, name: Any = None) -> Variable:
        """Add ``updates`` at ``indices``; repeated indices add up."""
        return self._write_part("scatter_nd_add", _nd(indices), updates, np.add.at)

    def scatter_nd_sub(self, indices: Any, updates: Any, name: Any = None) -> Variable:
        """Subtract ``updates`` at ``indices``; repeated indices add up."""
        return self._write_part("scatter_nd_sub", _nd(indices), updates, np.subtract.at)

    def scatter_update(self, sparse_delta: IndexedSlices, name: Any = None) -> Variable:
        """Set rows ``sparse_delta.indices`` to ``sparse_delta.values``."""
        return self._write_part("scatter_update", _rows(sparse_delta.indices),
                                sparse_delta.values, _put)

    def scatter_add(self, sparse_delta: IndexedSlices, name: Any = None) -> Variable:
        """Add ``sparse_delta.values`` to rows ``sparse_delta.indices``."""
        return self._write_part("scatter_add", _rows(sparse_delta.indices),
                                sparse_delta.values, np.add.at)

    def batch_scatter_update(self, sparse_delta: IndexedSlices, name: Any = None) -> Variable:
        """Per batch entry ``b``: set ``self[b, indices[b, i]]`` to ``values[b, i]``."""
        idx = _rows(sparse_delta.indices)[0]
        grid = np.meshgrid(*(np.arange(n) for n in idx.shape[:-1]), indexing="ij")
        index = tuple(np.broadcast_to(g[..., None], idx.shape) for g in grid) + (idx,)
        return self._write_part("batch_scatter_update", index, sparse_delta.values, _put)


_SLICES: dict = {}  # id of a live sliced read -> (variable, index); tensors are unhashable


class SlicedRead(Tensor):
    """What ``variable[index]`` returns: a Tensor that can also write that part of the
    variable back (``v[0, 1].assign(x)``, ``v[1:].assign_add(d)``), as TF's sliced reads can.

    >>> import tapegrad as tf
    >>> v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> _ = v[0, 1].assign(9.0); _ = v[1:].assign_add([[1.0, 1.0]])
    >>> v.numpy().tolist()
    [[1.0, 9.0], [4.0, 5.0]]
    """

    __slots__ = ()

    def _write(self, op: str, value: Any, how) -> Variable:
        var, index = _SLICES[id(self)]
        return var._write_part(op, index, value, how)

    def assign(self, value: Any, use_locking: Any = None, name: Any = None,
               read_value: bool = True) -> Variable:
        return self._write("assign", value, _put)

    def assign_add(self, delta: Any, use_locking: Any = None, name: Any = None,
                   read_value: bool = True) -> Variable:
        return self._write("assign_add", delta, _add_at_slice)

    def assign_sub(self, delta: Any, use_locking: Any = None, name: Any = None,
                   read_value: bool = True) -> Variable:
        return self._write("assign_sub", delta, _sub_at_slice)


def _put(arr, index, v) -> None:
    arr[index] = v


def _add_at_slice(arr, index, v) -> None:
    arr[index] += v


def _sub_at_slice(arr, index, v) -> None:
    arr[index] -= v


def _nd(indices: Any) -> tuple:
    """scatter_nd indices (last axis indexes the first dims) as a NumPy index tuple."""
    idx = np.asarray(indices._value if isinstance(indices, _Base) else indices)
    if idx.dtype.kind not in "iu" or idx.ndim < 1:
        raise TypeError(f"scatter_nd: indices must be an integer tensor of rank >= 1, got "
                        f"{idx.dtype}{list(idx.shape)}.")
    return tuple(idx[..., k] for k in range(idx.shape[-1]))


def _rows(indices: Any) -> tuple:
    idx = np.asarray(indices._value if isinstance(indices, _Base) else indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"scatter: indices must be integers, got {idx.dtype}.")
    return (idx,)


def _broadcasts_to(shape: tuple, target: tuple) -> bool:
    """Whether an array of ``shape`` broadcasts to exactly ``target`` (for ``assign_add``)."""
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False
