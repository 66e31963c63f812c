"""Stateless random ops (``tf.random.stateless_*``, ``split``, ``fold_in``): the same seed pair
gives the same numbers, on every call and after replay.

A seed is a pair of integers (shape [2], int32 or int64). It keys a counter-based Philox
generator (NumPy's ``Philox``), so the draw is a pure function of (seed, shape, dtype, params):
deterministic as TF's, though not TF's bit stream. The forward of each op is a primitive with no
gradient; tensor location/scale parameters are applied outside it with tapegrad ops, so they get
the gradient TF gives them.
"""

from __future__ import annotations

import enum
from typing import Any

from ..engine import dtypes as _dt
from ..engine.backend import xp as np
from ..engine.convert import static_int, static_ints
from ..engine.errors import InvalidArgumentError
from ..engine.registry import primitive
from ..engine.tensor import Tensor, _Base, convert_raw
from .creation import _shape_arg
from .random import (_float_dtype, _param, categorical_args, draw_categorical, draw_truncated,
                     draw_uniform, param_array, uniform_args)

__all__ = ["Algorithm", "create_rng_state", "split", "fold_in", "stateless_normal",
           "stateless_uniform", "stateless_truncated_normal", "stateless_categorical",
           "stateless_binomial", "stateless_poisson", "stateless_gamma",
           "stateless_parameterized_truncated_normal"]


class Algorithm(enum.Enum):
    """The random-number algorithms TF names (``tf.random.Algorithm``); tapegrad draws every
    one of them with Philox."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_ALG_NAMES = {"philox": 1, "threefry": 2, "auto_select": 3}


def alg_int(alg: Any) -> int:
    """TF's algorithm argument (None, a name, an ``Algorithm`` or its number) as a number."""
    if alg is None:
        return 1
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, str) and alg.lower() in _ALG_NAMES:
        return _ALG_NAMES[alg.lower()]
    if isinstance(alg, (int, np.integer)) and int(alg) in (1, 2, 3):
        return int(alg)
    raise ValueError(f"random: unknown algorithm {alg!r}; use 'philox', 'threefry', "
                     f"'auto_select' or tf.random.Algorithm.")


def create_rng_state(seed: Any, alg: Any) -> Any:
    """The state vector a ``Generator`` starts from (``tf.random.create_rng_state``): the seed
    cut into 64-bit words (Philox: counter, counter, key; ThreeFry: counter, key).

    >>> import tapegrad as tf
    >>> tf.random.create_rng_state(1234, "philox")
    array([1234,    0,    0])
    """
    size = 2 if alg_int(alg) == 2 else 3
    if isinstance(seed, int):
        words = [(seed >> (64 * i)) & (2**64 - 1) for i in range(size)]
    else:
        words = static_ints(seed, "seed", "random.create_rng_state")[:size]
        words += [0] * (size - len(words))
    return np.asarray([w - 2**64 if w >= 2**63 else w for w in words], dtype=np.int64)


def philox(seed: Any, op: str):
    """A NumPy generator keyed by a seed pair (shape [2], integers)."""
    s = _seed_value(seed)
    if s.shape != (2,) or s.dtype.kind not in "iu":
        raise InvalidArgumentError(f"{op}: seed must be a pair of integers (shape [2], int32 or "
                                   f"int64), got {s.dtype.name} of shape {list(s.shape)}.")
    key = s.astype(np.int64).view(np.uint64)
    return np.random.Generator(np.random.Philox(key=key))


def _seed_value(seed: Any) -> Any:
    """The seed's NumPy value; Python ints are int32, as TF converts them."""
    return np.asarray(seed._value if isinstance(seed, _Base) else convert_raw(seed))


# -- seeds ---------------------------------------------------------------------------------------
def split(seed: Any, num: int = 2, alg: Any = "auto_select") -> Tensor:
    """``num`` new seed pairs derived from ``seed`` (``tf.random.split``), of its dtype.

    >>> import tapegrad as tf
    >>> s = tf.random.split([1, 2], num=3)
    >>> s.shape, s.dtype.name, bool((s.numpy() == tf.random.split([1, 2], 3).numpy()).all())
    (TensorShape([3, 2]), 'int32', True)
    """
    alg_int(alg)
    gen = philox(seed, "random.split")
    d = _seed_value(seed).dtype
    d = np.dtype(np.int32) if d.kind == "i" and d.itemsize <= 4 else np.dtype(np.int64)
    info = np.iinfo(d)
    num = static_int(num, "num", "random.split")
    if num < 0:
        raise InvalidArgumentError(f"random.split: num must be >= 0, got {num}.")
    return Tensor(gen.integers(info.min, info.max, (num, 2), dtype=d, endpoint=True))


def fold_in(seed: Any, data: Any, alg: Any = "auto_select") -> Tensor:
    """A new seed pair from ``seed`` and an integer ``data`` (``tf.random.fold_in``): different
    data give independent seeds.

    >>> import tapegrad as tf
    >>> a, b = tf.random.fold_in([1, 2], 3), tf.random.fold_in([1, 2], 4)
    >>> a.shape, bool((a.numpy() != b.numpy()).any())
    (TensorShape([2]), True)
    """
    alg_int(alg)
    s = _seed_value(seed)
    philox(seed, "random.fold_in")  # checks the seed
    d = np.dtype(np.int32) if s.dtype.itemsize <= 4 else np.dtype(np.int64)
    mixed = np.random.SeedSequence([int(w) & (2**63 - 1) for w in s]
                                   + [static_int(_param(data), "data", "random.fold_in")
                                      & (2**63 - 1)])
    info = np.iinfo(d)
    words = mixed.generate_state(2, np.uint64) % (int(info.max) + 1)
    return Tensor(words.astype(d))


# -- samplers -------------------------------------------------------------------------------------
@primitive(name="stateless_random_normal", differentiable=False)
def _stateless_normal(seed, *, shape, dtype):
    return np.asarray(philox(seed, "stateless_normal").standard_normal(shape)).astype(dtype)


@primitive(name="stateless_truncated_normal", differentiable=False)
def _stateless_truncated(seed, *, shape, dtype):
    return draw_truncated(philox(seed, "stateless_truncated_normal"), shape).astype(dtype)


@primitive(name="stateless_random_uniform", differentiable=False)
def _stateless_uniform(seed, *, shape, minval, maxval, dtype):
    return draw_uniform(philox(seed, "stateless_uniform"), shape, minval, maxval, dtype)


def _scaled(z: Tensor, scale: Any, shift: Any) -> Tensor:
    """``z * scale + shift``: tapegrad ops, so tensor parameters get their gradient."""
    if not isinstance(scale, _Base) and not isinstance(shift, _Base):
        return Tensor(np.asarray(z._value * _param(scale) + _param(shift)).astype(z._value.dtype))
    return z * scale + shift


def stateless_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                     dtype: Any = _dt.float32, name: str | None = None,
                     alg: Any = "auto_select") -> Tensor:
    """Samples from N(mean, stddev²), a pure function of ``seed`` (``tf.random.stateless_normal``).

    >>> import tapegrad as tf
    >>> a = tf.random.stateless_normal([2, 3], seed=[1, 2])
    >>> bool((a.numpy() == tf.random.stateless_normal([2, 3], seed=[1, 2]).numpy()).all())
    True
    """
    alg_int(alg)
    shape = _shape_arg(shape, "random.stateless_normal")
    d = _float_dtype(dtype, "random.stateless_normal")
    return _scaled(_stateless_normal(_seed_value(seed), shape=shape, dtype=d), stddev, mean)


def stateless_truncated_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                               dtype: Any = _dt.float32, name: str | None = None,
                               alg: Any = "auto_select") -> Tensor:
    """Samples from N(mean, stddev²) kept within two standard deviations, a pure function of
    ``seed`` (``tf.random.stateless_truncated_normal``).

    >>> import tapegrad as tf
    >>> x = tf.random.stateless_truncated_normal([500], seed=[3, 4])
    >>> bool(tf.reduce_max(tf.abs(x)) <= 2.0)
    True
    """
    alg_int(alg)
    shape = _shape_arg(shape, "random.stateless_truncated_normal")
    d = _float_dtype(dtype, "random.stateless_truncated_normal")
    return _scaled(_stateless_truncated(_seed_value(seed), shape=shape, dtype=d), stddev, mean)


def stateless_uniform(shape: Any, seed: Any, minval: Any = 0, maxval: Any = None,
                      dtype: Any = _dt.float32, name: str | None = None,
                      alg: Any = "auto_select") -> Tensor:
    """Samples from U[minval, maxval), a pure function of ``seed``
    (``tf.random.stateless_uniform``); integer dtypes need ``maxval``.

    >>> import tapegrad as tf
    >>> x = tf.random.stateless_uniform([100], seed=[1, 2], minval=2, maxval=5, dtype=tf.int64)
    >>> x.dtype.name, bool(tf.reduce_min(x) >= 2 and tf.reduce_max(x) < 5)
    ('int64', True)
    """
    alg_int(alg)
    shape = _shape_arg(shape, "random.stateless_uniform")
    d, lo, hi = uniform_args(minval, maxval, dtype, "random.stateless_uniform")
    if d.kind in "iu" or not (isinstance(lo, _Base) or isinstance(hi, _Base)):
        return _stateless_uniform(_seed_value(seed), shape=shape, minval=lo, maxval=hi, dtype=d)
    z = _stateless_uniform(_seed_value(seed), shape=shape, minval=0.0, maxval=1.0, dtype=d)
    return z * (hi - lo) + lo


@primitive(name="stateless_multinomial", differentiable=False)
def _stateless_categorical(logits, seed, *, num_samples, dtype):
    return draw_categorical(philox(seed, "stateless_categorical"), logits, num_samples, dtype)


def stateless_categorical(logits: Any, num_samples: int, seed: Any, dtype: Any = _dt.int64,
                          name: str | None = None) -> Tensor:
    """Class indices drawn from softmax(``logits``) per row, a pure function of ``seed``
    (``tf.random.stateless_categorical``).

    >>> import tapegrad as tf
    >>> tf.random.stateless_categorical([[0.0, -float("inf")]], 3, seed=[7, 8]).numpy()
    array([[0, 0, 0]])
    """
    x, d = categorical_args(logits, dtype, "random.stateless_categorical")
    n = static_int(num_samples, "num_samples", "random.stateless_categorical")
    return _stateless_categorical(x, _seed_value(seed), num_samples=n, dtype=d)


@primitive(name="stateless_random_binomial", differentiable=False)
def _stateless_binomial(seed, *, shape, counts, probs, dtype):
    gen = philox(seed, "stateless_binomial")
    n = np.broadcast_to(counts, shape).astype(np.int64)
    return np.asarray(gen.binomial(n, np.broadcast_to(probs, shape))).astype(dtype)


def stateless_binomial(shape: Any, seed: Any, counts: Any, probs: Any,
                       output_dtype: Any = _dt.int32, name: str | None = None) -> Tensor:
    """Successes in ``counts`` trials of probability ``probs`` (both broadcast to ``shape``), a
    pure function of ``seed`` (``tf.random.stateless_binomial``).

    >>> import tapegrad as tf
    >>> x = tf.random.stateless_binomial([4], seed=[1, 2], counts=10.0, probs=[0.0, 1.0, 0.5, 0.5])
    >>> x.numpy()[:2].tolist(), x.dtype.name
    ([0, 10], 'int32')
    """
    shape = _shape_arg(shape, "random.stateless_binomial")
    c, p = param_array(counts, np.float64), param_array(probs, np.float64)
    if np.any(p < 0) or np.any(p > 1) or np.any(c < 0):
        raise InvalidArgumentError("random.stateless_binomial: probs must lie in [0, 1] and "
                                   "counts be non-negative.")
    return _stateless_binomial(_seed_value(seed), shape=shape, counts=c, probs=p,
                               dtype=_dt.np_dtype(output_dtype))


@primitive(name="stateless_random_poisson", differentiable=False)
def _stateless_poisson(seed, *, shape, lam, dtype):
    gen = philox(seed, "stateless_poisson")
    return np.asarray(gen.poisson(np.broadcast_to(lam, shape))).astype(dtype)


def stateless_poisson(shape: Any, seed: Any, lam: Any, dtype: Any = _dt.int32,
                      name: str | None = None) -> Tensor:
    """Samples from Poisson(``lam``) (broadcast to ``shape``), a pure function of ``seed``
    (``tf.random.stateless_poisson``).

    >>> import tapegrad as tf
    >>> tf.random.stateless_poisson([3], seed=[1, 2], lam=[0.0, 0.0, 0.0]).numpy().tolist()
    [0, 0, 0]
    """
    shape = _shape_arg(shape, "random.stateless_poisson")
    lam = param_array(lam, np.float64)
    if np.any(lam < 0):
        raise InvalidArgumentError("random.stateless_poisson: lam must be non-negative.")
    return _stateless_poisson(_seed_value(seed), shape=shape, lam=lam, dtype=_dt.np_dtype(dtype))


@primitive(name="stateless_random_gamma", differentiable=False)
def _stateless_gamma(seed, *, shape, alpha, dtype):
    gen = philox(seed, "stateless_gamma")
    return np.asarray(gen.standard_gamma(np.broadcast_to(alpha, shape))).astype(dtype)


def stateless_gamma(shape: Any, seed: Any, alpha: Any, beta: Any = None,
                    dtype: Any = _dt.float32, name: str | None = None) -> Tensor:
    """Samples from Gamma(``alpha``, rate ``beta``) (broadcast to ``shape``), a pure function of
    ``seed`` (``tf.random.stateless_gamma``); a tensor ``beta`` gets a gradient.

    >>> import tapegrad as tf
    >>> x = tf.random.stateless_gamma([2, 3], seed=[1, 2], alpha=[0.5, 1.0, 2.0])
    >>> x.shape, bool(tf.reduce_all(x > 0))
    (TensorShape([2, 3]), True)
    """
    shape = _shape_arg(shape, "random.stateless_gamma")
    d = _float_dtype(dtype, "random.stateless_gamma")
    a = param_array(alpha, d)
    if np.any(a <= 0):
        raise InvalidArgumentError("random.stateless_gamma: alpha must be positive.")
    z = _stateless_gamma(_seed_value(seed), shape=shape, alpha=a, dtype=d)
    return z if beta is None else z / (beta if isinstance(beta, _Base) else param_array(beta, d))


@primitive(name="stateless_parameterized_truncated_normal", differentiable=False)
def _stateless_ptn(seed, *, shape, lo, hi, dtype):
    gen = philox(seed, "stateless_parameterized_truncated_normal")
    lo, hi = np.broadcast_to(lo, shape), np.broadcast_to(hi, shape)
    z = np.asarray(gen.standard_normal(shape), dtype=np.float64)
    for _ in range(1000):  # redraw what falls outside; then place the rest uniformly inside
        bad = (z < lo) | (z > hi)
        if not bad.any():
            break
        z[bad] = gen.standard_normal(int(bad.sum()))
    bad = (z < lo) | (z > hi)
    z[bad] = gen.uniform(lo[bad], hi[bad])
    return z.astype(dtype)


def stateless_parameterized_truncated_normal(shape: Any, seed: Any, means: Any = 0.0,
                                             stddevs: Any = 1.0, minvals: Any = -2.0,
                                             maxvals: Any = 2.0,
                                             name: str | None = None) -> Tensor:
    """Samples from N(means, stddevs²) truncated to [minvals, maxvals], a pure function of
    ``seed`` (``tf.random.stateless_parameterized_truncated_normal``).

    >>> import tapegrad as tf
    >>> x = tf.random.stateless_parameterized_truncated_normal([200], [1, 2], 1.0, 2.0, 0.0, 1.5)
    >>> bool(tf.reduce_min(x) >= 0.0 and tf.reduce_max(x) <= 1.5)
    True
    """
    shape = _shape_arg(shape, "random.stateless_parameterized_truncated_normal")
    m, s = param_array(means, np.float64), param_array(stddevs, np.float64)
    lo, hi = param_array(minvals, np.float64), param_array(maxvals, np.float64)
    if np.any(s <= 0) or np.any(np.broadcast_to(hi, shape) <= np.broadcast_to(lo, shape)):
        raise InvalidArgumentError("random.stateless_parameterized_truncated_normal: stddevs "
                                   "must be positive and maxvals greater than minvals.")
    d = np.result_type(*[v._value.dtype for v in (means, stddevs, minvals, maxvals)
                         if isinstance(v, _Base)] or [np.float32])
    z = _stateless_ptn(_seed_value(seed), shape=shape, lo=(lo - m) / s, hi=(hi - m) / s,
                       dtype=np.float64)
    return Tensor(np.asarray(np.broadcast_to(m, shape) + z._value * s).astype(d))
