"""Random tensors: reproducible under ``random.set_seed``, never differentiable."""

from __future__ import annotations

from typing import Any

from .._backend import xp as np
from .. import dtypes as _dt
from ..tensor import Tensor, _new
from .array import _shape_arg

__all__ = ["set_seed", "normal", "uniform", "generator"]

_GEN = [np.random.default_rng()]


def set_seed(seed: int) -> None:
    """Make every later random op reproducible (``tf.random.set_seed``).

    >>> import tapegrad as tf
    >>> tf.random.set_seed(1); a = tf.random.normal([2]).numpy()
    >>> tf.random.set_seed(1); bool((a == tf.random.normal([2]).numpy()).all())
    True
    """
    _GEN[0] = np.random.default_rng(int(seed))


def generator(seed: int | None = None):
    """The global generator, or a fresh one for an op-level ``seed``."""
    return _GEN[0] if seed is None else np.random.default_rng(int(seed))


def _wrap(v) -> Tensor:
    t = _new(Tensor)
    t._value = v
    return t


def _float_dtype(dtype: Any, op: str):
    d = _dt.np_dtype(dtype)
    if d.kind != "f":
        raise ValueError(f"{op}: dtype must be floating, got {_dt.from_numpy(d).name}.")
    return d


def normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = _dt.float32,
           seed: int | None = None, name: str | None = None) -> Tensor:
    """Samples from N(mean, stddev²) (``tf.random.normal``)."""
    d = _float_dtype(dtype, "random.normal")
    v = generator(seed).standard_normal(_shape_arg(shape, "random.normal"))
    return _wrap((v * float(stddev) + float(mean)).astype(d))


def uniform(shape: Any, minval: float = 0, maxval: float | None = None, dtype: Any = _dt.float32,
            seed: int | None = None, name: str | None = None) -> Tensor:
    """Samples from U[minval, maxval) (``tf.random.uniform``); integers need ``maxval``."""
    d = _dt.np_dtype(dtype)
    shape = _shape_arg(shape, "random.uniform")
    if d.kind in "iu":
        if maxval is None:
            raise ValueError("random.uniform: maxval must be given for an integer dtype.")
        return _wrap(generator(seed).integers(int(minval), int(maxval), shape).astype(d))
    hi = 1.0 if maxval is None else float(maxval)
    return _wrap(generator(seed).uniform(float(minval), hi, shape).astype(d))
