"""Small core names of ``tf`` that query or pass tensors through: is_tensor, shape_n,
broadcast_static_shape, get_static_value, identity_n, no_op."""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.shape import TensorShape
from ..engine.tensor import Tensor, _Base, _wrap, shape_of
from .math import identity

__all__ = ["newaxis", "is_tensor", "shape_n", "broadcast_static_shape", "get_static_value",
           "identity_n", "no_op"]

newaxis = None  # ``tf.newaxis``: ``x[:, tf.newaxis]`` adds an axis, as in NumPy


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is a tapegrad tensor or variable (``tf.is_tensor``); arrays are not.

    >>> import tapegrad as tf, numpy as np
    >>> tf.is_tensor(tf.constant(1.0)), tf.is_tensor(tf.Variable(1.0)), tf.is_tensor(np.ones(2))
    (True, True, False)
    """
    return isinstance(x, _Base)


def shape_n(input: Any, out_type: Any = _dt.int32, name: str | None = None) -> list[Tensor]:  # noqa: A002
    """The shapes of several tensors, one 1-D integer tensor each (``tf.shape_n``).

    >>> import tapegrad as tf
    >>> [s.numpy().tolist() for s in tf.shape_n([tf.zeros((2, 3)), tf.zeros(4)])]
    [[2, 3], [4]]
    """
    dt = _dt.np_dtype(out_type)
    return [_wrap(np.asarray(shape_of(x), dtype=dt)) for x in input]


def broadcast_static_shape(shape_x: Any, shape_y: Any) -> TensorShape:
    """The shape two shapes broadcast to (``tf.broadcast_static_shape``).

    >>> import tapegrad as tf
    >>> tf.broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([3]))
    TensorShape([2, 3])
    """
    try:
        return TensorShape(np.broadcast_shapes(tuple(shape_x), tuple(shape_y)))
    except TypeError as e:
        raise TypeError(f"broadcast_static_shape: shape_x and shape_y must be TensorShapes or "
                        f"lists of ints, got {shape_x!r:.40} and {shape_y!r:.40} ({e}).") from None
    except ValueError:
        raise ValueError(f"broadcast_static_shape: incompatible shapes {list(shape_x)} and "
                         f"{list(shape_y)}; each pair of trailing dimensions must be equal or "
                         f"one of them 1.") from None


def get_static_value(tensor: Any, partial: bool = False) -> Any:
    """The NumPy value of ``tensor`` (``tf.get_static_value``): eager tensors are always known.

    >>> import tapegrad as tf
    >>> tf.get_static_value(tf.constant([1, 2]))
    array([1, 2], dtype=int32)
    """
    if isinstance(tensor, _Base):
        return tensor.numpy()
    if isinstance(tensor, (np.ndarray, np.generic, int, float, bool, complex)):
        return np.asarray(tensor)
    raise TypeError(f"get_static_value: expected a tensor, got {type(tensor).__name__}.")


def identity_n(input: Any, name: str | None = None) -> list[Tensor]:  # noqa: A002
    """Each tensor of a list passed through (``tf.identity_n``); gradients pass through too.

    >>> import tapegrad as tf
    >>> [float(t) for t in tf.identity_n([tf.constant(1.0), tf.constant(2.0)])]
    [1.0, 2.0]
    """
    if not isinstance(input, (list, tuple)):
        raise TypeError(f"identity_n: input must be a list of tensors, got "
                        f"{type(input).__name__}.")
    return [identity(x) for x in input]


def no_op(name: str | None = None) -> None:
    """Does nothing (``tf.no_op``); eager TF returns None too.

    >>> import tapegrad as tf
    >>> tf.no_op() is None
    True
    """
    return None

