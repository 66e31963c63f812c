"""Variable: mutable state that a GradientTape watches when it is read.

Reading a Variable while a listener is active yields a fresh snapshot Tensor, so a later
``assign`` never changes what a tape saw; assignments are never recorded (state stops
gradients) but listeners hear them (``on_assign``).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from . import dtypes as _dt
from .indexed_slices import IndexedSlices
from .state import STATE as _STATE, loud as _loud, quiet as _quiet, scope_prefix
from .tensor import Tensor, _Base, _new, convert_raw

__all__ = ["Variable"]


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
        self._name = scope_prefix() + base + ":0" if ":" not in base else base
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


def _broadcasts_to(shape: tuple, target: tuple) -> bool:
    """Whether an array of ``shape`` broadcasts to exactly ``target`` (for ``assign_add``)."""
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False
