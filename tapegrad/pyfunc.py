"""Python functions inside tapegrad programs: ``tf.py_function``, ``tf.numpy_function``,
``tf.vectorized_map``, ``tf.ensure_shape`` and ``tf.grad_pass_through``.

tapegrad runs eagerly, so ``py_function`` simply calls ``func`` on tensors: the tape records the
tapegrad ops it runs, and gradients flow through them, as TF's ``py_function``.
``numpy_function`` hands ``func`` NumPy arrays: its results leave the tape (no gradient), as in
TF. Inside ``tapegrad.function`` both run on every call (nothing is traced into a plan).
"""

from __future__ import annotations

from typing import Any, Callable

from .custom import custom_gradient
from .engine import dtypes as _dt
from .engine.convert import convert_to_tensor
from .engine.errors import InvalidArgumentError
from .engine.tensor import Tensor, _Base, shape_of
from .ops.control_flow import map_fn
from .ops.math import cast, identity

__all__ = ["py_function", "numpy_function", "vectorized_map", "ensure_shape",
           "grad_pass_through"]


def _typed(results: Any, Tout: Any, op: str) -> Any:  # noqa: N803 - TF's name
    """``results`` as tensors of the ``Tout`` dtype(s); a list ``Tout`` gives a list."""
    if Tout is None:
        return None
    many = isinstance(Tout, (list, tuple))
    outs = list(results) if isinstance(results, (list, tuple)) else [results]
    touts = list(Tout) if many else [Tout]
    if len(outs) != len(touts):
        raise InvalidArgumentError(f"{op}: func returned {len(outs)} value(s) but Tout names "
                                   f"{len(touts)}.")
    typed = []
    for v, d in zip(outs, touts):
        t = v if isinstance(v, _Base) else convert_to_tensor(v)
        typed.append(t if t.dtype == _dt.as_dtype(d) else cast(t, d))
    return typed if many else typed[0]


def py_function(func: Callable, inp: Any, Tout: Any, name: str | None = None) -> Any:  # noqa: N803
    """Call ``func(*inp)`` with tensors and return its results as ``Tout`` (``tf.py_function``);
    the tapegrad ops inside are recorded, so gradients flow through them as in TF.

    >>> import tapegrad as tf
    >>> x = tf.constant(3.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = tf.py_function(lambda v: v * v, [x], tf.float32)
    >>> float(tape.gradient(y, x))
    6.0
    """
    args = [a if isinstance(a, _Base) else convert_to_tensor(a) for a in inp]
    return _typed(func(*args), Tout, "py_function")


def numpy_function(func: Callable, inp: Any, Tout: Any, stateful: bool = True,
                   name: str | None = None) -> Any:  # noqa: N803
    """Call ``func(*inp)`` with NumPy arrays and return its results as ``Tout`` tensors
    (``tf.numpy_function``). The results leave the tape: no gradient flows back to ``inp``.

    >>> import numpy as np, tapegrad as tf
    >>> tf.numpy_function(lambda a: np.sort(a), [tf.constant([3, 1, 2])], tf.int32).numpy()
    array([1, 2, 3], dtype=int32)
    """
    arrays = [a.numpy() if isinstance(a, _Base) else a for a in inp]
    out = func(*arrays)
    return _typed(out, Tout, "numpy_function")


def vectorized_map(fn: Callable, elems: Any, fallback_to_while_loop: bool = True,
                   warn: bool = True) -> Any:
    """``fn`` applied to each slice of ``elems`` along axis 0, results stacked
    (``tf.vectorized_map``). tapegrad runs the loop (``tf.map_fn``); results and gradients are
    the same as TF's vectorized version.

    >>> import tapegrad as tf
    >>> tf.vectorized_map(lambda r: tf.reduce_sum(r * r), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    <tapegrad.Tensor: shape=(2,), dtype=float32, numpy=array([ 5., 25.], dtype=float32)>
    """
    return map_fn(fn, elems)


def ensure_shape(x: Any, shape: Any, name: str | None = None) -> Tensor:
    """``x`` unchanged if its shape is compatible with ``shape`` (None entries match any
    size), else ``InvalidArgumentError`` (``tf.ensure_shape``).

    >>> import tapegrad as tf
    >>> tf.ensure_shape(tf.zeros([2, 3]), [None, 3]).shape
    TensorShape([2, 3])
    """
    t = x if isinstance(x, _Base) else convert_to_tensor(x)
    got = tuple(shape_of(t))
    want = None if shape is None else list(getattr(shape, "as_list", lambda: shape)()) \
        if not isinstance(shape, (list, tuple)) else list(shape)
    ok = want is None or (len(want) == len(got) and all(
        w is None or int(w) == g for w, g in zip(want, got)))
    if not ok:
        shown = [("?" if w is None else int(w)) for w in want]
        raise InvalidArgumentError(f"ensure_shape: Shape of tensor {list(got)} is not compatible "
                                   f"with expected shape {shown}.")
    return identity(t)


def grad_pass_through(f: Callable) -> Callable:
    """``f`` with an identity gradient: the forward value is ``f(x)``, the gradient passes to
    ``x`` unchanged (``tf.grad_pass_through``), e.g. through ``Variable.assign`` or a rounding.

    >>> import tapegrad as tf
    >>> x = tf.constant(2.4)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = tf.grad_pass_through(tf.round)(x) * 3.0
    >>> float(y), float(tape.gradient(y, x))
    (6.0, 3.0)
    """
    @custom_gradient
    def passed(x):
        def grad(upstream):
            return upstream
        return f(x), grad

    return passed
