"""Random tensors: reproducible under ``random.set_seed``, never differentiable.

Each sampling op is a primitive (``differentiable=False``) whose forward draws from a NumPy
generator, so a replayed recording draws fresh numbers, as TF's stateful random ops do.

Seeds follow TF's rules: ``set_seed(s)`` restarts the global stream; an op-level ``seed=k``
selects its own stream, determined by (global seed, k) and restarted by ``set_seed``, so a
program with fixed seeds repeats its whole sequence of draws while successive calls of the same
op still differ (as TF's ``A1, A2`` example).
"""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.registry import primitive
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from ..engine.convert import static_int
from ..engine.errors import InvalidArgumentError, named
from .creation import _shape_arg

__all__ = ["set_seed", "normal", "uniform", "truncated_normal", "shuffle", "categorical",
           "generator", "gamma", "poisson"]

_GEN = [np.random.default_rng()]
_DEFAULT_GLOBAL_SEED = 87654321  # used with an op seed when no global seed is set (TF's idea)
_SEEDS: dict = {"global": None, "streams": {}}


def set_seed(seed: int | None) -> None:
    """Make every later random op reproducible (``tf.random.set_seed``); ``None`` clears the
    global seed, so later ops draw fresh numbers again (as TF).

    >>> import tapegrad as tf
    >>> tf.random.set_seed(1); a = tf.random.normal([2]).numpy()
    >>> tf.random.set_seed(1); bool((a == tf.random.normal([2]).numpy()).all())
    True
    """
    if seed is not None and not isinstance(seed, (int, np.integer)):
        raise TypeError(f"set_seed: seed must be an integer or None, got "
                        f"{type(seed).__name__} {seed!r}.")
    if seed is not None and seed < 0:
        raise ValueError(f"set_seed: seed must be a non-negative integer, got {seed}.")
    _GEN[0] = np.random.default_rng(None if seed is None else int(seed))
    _SEEDS["global"] = None if seed is None else int(seed)
    _SEEDS["streams"] = {}


def generator(seed: int | None = None):
    """The global generator, or a fresh one for an op-level ``seed`` (the same numbers on
    every call: what stateless initializers and dropout with a seed want).

    >>> import tapegrad as tf
    >>> int(tf.random.generator(3).integers(100)) == int(tf.random.generator(3).integers(100))
    True
    """
    if seed is None:
        return _GEN[0]
    seed = static_int(seed, "seed", "random")
    if seed < 0:
        raise named(InvalidArgumentError(f"random: a seed must be a non-negative integer, got "
                                         f"{seed}."))
    return np.random.default_rng(seed)


def _stream(seed: int | None):
    """The generator a sampling op draws from: the global one, or the op seed's own stream."""
    if seed is None:
        return _GEN[0]
    streams = _SEEDS["streams"]
    gen = streams.get(int(seed))
    if gen is None:
        g = _SEEDS["global"]
        g = _DEFAULT_GLOBAL_SEED if g is None else g
        gen = np.random.default_rng([g & (2**63 - 1), int(seed) & (2**63 - 1)])
        streams[int(seed)] = gen
    return gen


def _float_dtype(dtype: Any, op: str):
    d = _dt.np_dtype(dtype)
    if d is None or d.kind != "f":
        raise ValueError(f"{op}: dtype must be floating, got {_dt.as_dtype(dtype).name}.")
    return d


def _param(v: Any):
    """mean/stddev/minval/maxval as given to the primitive: Python numbers or NumPy values."""
    return v if isinstance(v, (int, float)) else convert_raw(v)


def _affine(z, scale: Any, shift: Any):
    """``z * scale + shift`` with tapegrad ops, so the gradient reaches tensor parameters (TF
    builds its samplers this way: only the draw itself has no gradient)."""
    return z * scale + shift


# -- normal, truncated normal, uniform ------------------------------------------------------------
@primitive(name="random_normal", differentiable=False)
def _normal(*, shape, mean, stddev, dtype, seed):
    z = _stream(seed).standard_normal(shape)
    return np.asarray(z * stddev + mean).astype(dtype)


def normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _dt.float32,
           seed: int | None = None, name: str | None = None) -> Tensor:
    """Samples from N(mean, stddev²) (``tf.random.normal``); the draw has no gradient, but
    tensor ``mean``/``stddev`` get one (the sample is ``z * stddev + mean``), as TF's.

    >>> import tapegrad as tf
    >>> tf.random.normal([2, 3], seed=1).shape
    TensorShape([2, 3])
    """
    shape = _shape_arg(shape, "random.normal")
    d = _float_dtype(dtype, "random.normal")
    if isinstance(mean, _Base) or isinstance(stddev, _Base):
        return _affine(_normal(shape=shape, mean=0.0, stddev=1.0, dtype=d, seed=seed), stddev,
                       mean)
    return _normal(shape=shape, mean=_param(mean), stddev=_param(stddev), dtype=d, seed=seed)


def draw_truncated(gen, shape) -> Any:
    """Standard normals redrawn until within two standard deviations (shared by the stateful,
    stateless and Generator samplers)."""
    z = np.asarray(gen.standard_normal(shape))
    bad = np.abs(z) > 2.0
    while bad.any():  # resample what falls beyond two standard deviations, as TF
        z[bad] = gen.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2.0
    return z


def draw_uniform(gen, shape, minval, maxval, dtype) -> Any:
    """U[minval, maxval) of ``dtype`` (integers when ``dtype`` is integral)."""
    if np.dtype(dtype).kind in "iu":
        return np.asarray(gen.integers(minval, maxval, shape)).astype(dtype)
    return np.asarray(gen.uniform(minval, maxval, shape)).astype(dtype)


@primitive(name="truncated_normal", differentiable=False)
def _truncated_normal(*, shape, mean, stddev, dtype, seed):
    return np.asarray(draw_truncated(_stream(seed), shape) * stddev + mean).astype(dtype)


def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _dt.float32,
                     seed: int | None = None, name: str | None = None) -> Tensor:
    """Samples from N(mean, stddev²) redrawn until within two standard deviations of the mean
    (``tf.random.truncated_normal``).

    >>> import tapegrad as tf
    >>> bool((abs(tf.random.truncated_normal([1000], seed=3)) <= 2.0).numpy().all())
    True
    """
    shape = _shape_arg(shape, "random.truncated_normal")
    d = _float_dtype(dtype, "random.truncated_normal")
    if isinstance(mean, _Base) or isinstance(stddev, _Base):
        return _affine(_truncated_normal(shape=shape, mean=0.0, stddev=1.0, dtype=d, seed=seed),
                       stddev, mean)
    return _truncated_normal(shape=shape, mean=_param(mean), stddev=_param(stddev), dtype=d,
                             seed=seed)


@primitive(name="random_uniform", differentiable=False)
def _uniform(*, shape, minval, maxval, dtype, seed):
    return draw_uniform(_stream(seed), shape, minval, maxval, dtype)


def uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = _dt.float32,
            seed: int | None = None, name: str | None = None) -> Tensor:
    """Samples from U[minval, maxval) (``tf.random.uniform``); integer dtypes need
    ``maxval``.

    >>> import tapegrad as tf
    >>> x = tf.random.uniform([100], 2, 5, dtype=tf.int32, seed=7).numpy()
    >>> bool(x.min() >= 2 and x.max() < 5)
    True
    """
    shape = _shape_arg(shape, "random.uniform")
    d, lo, hi = uniform_args(minval, maxval, dtype, "random.uniform")
    if isinstance(lo, _Base) or isinstance(hi, _Base):
        return _affine(_uniform(shape=shape, minval=0.0, maxval=1.0, dtype=d, seed=seed),
                       hi - lo, lo)
    return _uniform(shape=shape, minval=lo, maxval=hi, dtype=d, seed=seed)


def uniform_args(minval: Any, maxval: Any, dtype: Any, op: str):
    """(NumPy dtype, low, high) for a uniform sampler: ints for integer dtypes (``maxval``
    required), tensors kept as they are for float dtypes (their gradient goes through)."""
    d = _dt.np_dtype(dtype)
    if d.kind in "iu":
        if maxval is None:
            raise ValueError(f"{op}: maxval must be given for an integer dtype "
                             f"({_dt.from_numpy(d).name}).")
        lo, hi = (static_int(_param(v), what, op) for v, what in ((minval, "minval"),
                                                                  (maxval, "maxval")))
        if hi <= lo:
            raise ValueError(f"{op}: need minval < maxval, got {lo} and {hi}.")
        return d, lo, hi
    if d.kind != "f":
        raise named(ValueError(f"{op}: dtype must be floating or integer, got "
                               f"{_dt.from_numpy(d).name}."))
    hi = 1.0 if maxval is None else maxval
    if isinstance(minval, _Base) or isinstance(hi, _Base):
        return d, minval, hi
    return d, _param(minval), _param(hi)


# -- shuffle, categorical -------------------------------------------------------------------------
@primitive(name="random_shuffle", differentiable=False)
def _shuffle(x, *, seed):
    return x[_stream(seed).permutation(x.shape[0])] if x.ndim else x


def shuffle(value: Any, seed: int | None = None, name: str | None = None) -> Tensor:
    """``value`` with its first dimension randomly permuted (``tf.random.shuffle``); no
    gradient, as TF's.

    >>> import tapegrad as tf
    >>> sorted(tf.random.shuffle([1, 2, 3, 4], seed=2).numpy().tolist())
    [1, 2, 3, 4]
    """
    return _shuffle(value, seed=seed)


@primitive(name="multinomial", differentiable=False)
def _categorical(logits, *, num_samples, dtype, seed):
    return draw_categorical(_stream(seed), logits, num_samples, dtype)


def draw_categorical(gen, logits, num_samples, dtype) -> Any:
    """``num_samples`` class indices per row of ``logits`` (a NumPy [batch, classes] array)."""
    # inverse CDF of softmax(logits) per row; -inf logits have probability 0
    z = logits.astype(np.float64)
    z = np.exp(z - np.max(z, axis=-1, keepdims=True))
    cdf = np.cumsum(z, axis=-1)
    cdf /= cdf[:, -1:]
    rows, classes = logits.shape
    u = gen.uniform(size=(rows, num_samples))
    # one sorted search for all rows: row r's CDF and draws are shifted by r
    shift = np.arange(rows)[:, None]
    idx = np.searchsorted((cdf + shift).ravel(), (u + shift).ravel(), side="right")
    idx = idx.reshape(rows, num_samples) - shift * classes
    return np.minimum(idx, classes - 1).astype(dtype)


def categorical(logits: Any, num_samples: int, dtype: Any = None, seed: int | None = None,
                name: str | None = None) -> Tensor:
    """``num_samples`` class indices per row drawn from softmax(``logits``) (``logits``:
    [batch, classes]) (``tf.random.categorical``); int64 unless ``dtype`` says otherwise.

    >>> import tapegrad as tf
    >>> tf.random.categorical([[0.0, -float("inf")]], 3, seed=1).numpy()
    array([[0, 0, 0]])
    """
    x, d = categorical_args(logits, dtype, "random.categorical")
    n = static_int(num_samples, "num_samples", "random.categorical")
    return _categorical(x, num_samples=n, dtype=d, seed=seed)


def categorical_args(logits: Any, dtype: Any, op: str):
    """``logits`` checked to be [batch, classes] and the integer output dtype (int64 default)."""
    x = logits if isinstance(logits, _Base) else convert_raw(logits)
    s = shape_of(x)
    if np.asarray(x._value if isinstance(x, _Base) else x).dtype.kind not in "iuf":
        raise named(TypeError(f"{op}: logits must be real numbers, got "
                              f"{_dt.from_numpy(np.asarray(x).dtype).name}."))
    if len(s) != 2 or s[1] == 0:
        raise ValueError(f"{op}: logits must have shape [batch_size, num_classes]"
                         f" with num_classes > 0, got {list(s)}.")
    d = np.dtype(np.int64) if dtype is None else _dt.np_dtype(dtype)
    if d.kind not in "iu":
        raise ValueError(f"{op}: dtype must be int32 or int64, got "
                         f"{_dt.from_numpy(d).name}.")
    return x, d


# -- gamma, poisson -------------------------------------------------------------------------------
def param_array(v: Any, dtype: Any) -> Any:
    """A distribution parameter as a NumPy array of ``dtype`` (a tensor's value, or a constant)."""
    v = v._value if isinstance(v, _Base) else convert_raw(v)
    if v.dtype.kind not in "biuf":
        raise named(TypeError(f"a distribution parameter must be a real number or tensor, got "
                              f"{_dt.from_numpy(v.dtype).name}{list(v.shape)}."))
    return np.asarray(v, dtype=dtype)


@primitive(name="random_gamma", differentiable=False)
def _gamma(*, shape, alpha, dtype, seed):
    a = np.broadcast_to(alpha, tuple(shape) + alpha.shape)
    return np.asarray(_stream(seed).standard_gamma(a)).astype(dtype)


def gamma(shape: Any, alpha: Any, beta: Any = None, dtype: Any = _dt.float32,
          seed: int | None = None, name: str | None = None) -> Tensor:
    """Samples from Gamma(alpha, beta) (rate ``beta``), of shape ``shape`` followed by the
    broadcast shape of ``alpha`` and ``beta`` (``tf.random.gamma``). A tensor ``beta`` gets a
    gradient (the sample is ``standard_gamma(alpha) / beta``, as TF builds it).

    >>> import tapegrad as tf
    >>> tf.random.gamma([10], alpha=[0.5, 1.5], seed=1).shape
    TensorShape([10, 2])
    >>> bool(tf.reduce_all(tf.random.gamma([5], 2.0, seed=1) > 0))
    True
    """
    shape = _shape_arg(shape, "random.gamma")
    d = _float_dtype(dtype, "random.gamma")
    a = param_array(alpha, d)
    b = None if beta is None else (beta if isinstance(beta, _Base) else param_array(beta, d))
    if np.any(a <= 0):
        raise ValueError("random.gamma: alpha must be positive.")
    if b is not None:
        a = np.broadcast_to(a, np.broadcast_shapes(a.shape, shape_of(b)))
    z = _gamma(shape=shape, alpha=a, dtype=d, seed=seed)
    return z if b is None else z / b


@primitive(name="random_poisson", differentiable=False)
def _poisson(*, shape, lam, dtype, seed):
    lam = np.broadcast_to(lam, tuple(shape) + lam.shape)
    return np.asarray(_stream(seed).poisson(lam)).astype(dtype)


def poisson(shape: Any, lam: Any, dtype: Any = _dt.float32, seed: int | None = None,
            name: str | None = None) -> Tensor:
    """Samples from Poisson(lam), of shape ``shape`` followed by ``lam``'s shape
    (``tf.random.poisson``); float or integer ``dtype``.

    >>> import tapegrad as tf
    >>> x = tf.random.poisson([4], [1.0, 10.0], dtype=tf.int32, seed=2)
    >>> x.shape, x.dtype.name
    (TensorShape([4, 2]), 'int32')
    """
    shape = _shape_arg(shape, "random.poisson")
    d = _dt.np_dtype(dtype)
    if d.kind not in "fiu":
        raise ValueError(f"random.poisson: dtype must be floating or integer, got "
                         f"{_dt.from_numpy(d).name}.")
    lam = param_array(lam, np.float64)
    if np.any(lam < 0):
        raise ValueError("random.poisson: lam must be non-negative.")
    return _poisson(shape=shape, lam=lam, dtype=d, seed=seed)
