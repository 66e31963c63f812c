"""``tf.constant`` and ``tf.convert_to_tensor``: Python, NumPy and tapegrad values as Tensors."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes as _dt
from .errors import named
from .indexed_slices import IndexedSlices
from .operators import OPERATORS
from .state import STATE
from .tensor import Tensor, _Base, _new, convert_raw, holds_tensor, pack_dtype
from .variable import Variable

__all__ = ["constant", "convert_to_tensor", "holds_tensor", "pack_operands", "pack_sequence",
           "static_int", "static_ints", "static_float"]


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
    if STATE.active and holds_tensor(value):
        packed = pack_sequence(value)
        if dtype is not None and packed._value.dtype != _dt.np_dtype(dtype):
            raise ValueError(f"convert_to_tensor: requested dtype {_dt.as_dtype(dtype).name} "
                             f"for a list of tensors of dtype {packed.dtype.name}.")
        return packed
    if dtype is None and dtype_hint is not None:
        try:
            return constant(value, dtype_hint)
        except TypeError:
            pass
    return constant(value, dtype)


def pack_operands(args: tuple) -> tuple:
    """``args`` with each list/tuple that holds tensors packed by ``pack_sequence`` (so
    gradients reach its tensors); ``args`` itself when none does, which is every plain op: a
    loop with inline type tests, no generator and no call per operand, as it runs per recorded
    op.

    >>> import tapegrad as tf
    >>> x = tf.constant(1.0)
    >>> pack_operands((x, 2.0))[0] is x
    True
    """
    for a in args:
        if (type(a) is list or type(a) is tuple) and holds_tensor(a):
            return tuple(pack_sequence(a) if holds_tensor(a) else a for a in args)
    return args


def pack_sequence(value: Any) -> Tensor:
    """A (nested) list/tuple holding tensors as one tensor, packed by ``stack`` ops that the
    tape records, so gradients reach each element (TF's auto-packing). Python numbers in it
    take the dtype of the first tensor, as TF converts them.

    >>> import tapegrad as tf
    >>> a = tf.Variable(2.0)
    >>> with tf.GradientTape() as tape:
    ...     y = tf.reduce_sum([a * a, 3.0 * a])
    >>> float(tape.gradient(y, a))
    7.0
    """
    items = [pack_sequence(x) if holds_tensor(x) else x for x in value]
    dtype = pack_dtype(items)
    return OPERATORS.stack([x if isinstance(x, _Base) else constant(x, dtype) for x in items])


# -- static (Python-valued) arguments: sizes, axes, counts ----------------------------------------
def static_int(value: Any, what: str, op: str) -> int:
    """``value`` as a Python int: an int, a NumPy integer or a one-element integer tensor.
    Anything else (None, a string, 1.5, a bool tensor) is a ``TypeError`` naming ``op`` and
    the argument ``what``.

    >>> from tapegrad.engine.convert import static_int
    >>> static_int(3, "depth", "one_hot")
    3
    """
    v = value._value if isinstance(value, (Tensor, Variable)) else value
    if isinstance(v, np.ndarray) and v.size == 1:
        v = v.reshape(())[()]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise named(TypeError(f"{op}: {what} must be an integer, got {value!r} "
                              f"({type(value).__name__})."))
    return int(v)


def static_ints(value: Any, what: str, op: str) -> list[int]:
    """``value`` as a list of Python ints: an int, a list of ints or a 1-D integer tensor."""
    v = value._value if isinstance(value, (Tensor, Variable)) else value
    if isinstance(v, np.ndarray):
        v = v.tolist() if v.ndim else v[()]
    if isinstance(v, (list, tuple)):
        return [static_int(a, what, op) for a in v]
    return [static_int(v, what, op)]


def static_float(value: Any, what: str, op: str) -> float:
    """``value`` as a Python float (a number or a one-element real tensor); anything else is a
    ``TypeError`` naming ``op`` and the argument ``what``."""
    v = value._value if isinstance(value, (Tensor, Variable)) else value
    if isinstance(v, np.ndarray) and v.size == 1:
        v = v.reshape(())[()]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer,
                                                             np.floating)):
        raise named(TypeError(f"{op}: {what} must be a real number, got {value!r} "
                              f"({type(value).__name__})."))
    return float(v)
