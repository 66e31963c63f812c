"""More of ``tf.math``: NaN-safe products, polynomials, running log-sum-exp, order tests,
top-k membership, permutations and float neighbours.

Differentiable ones are composites of existing ops (their gradient comes from those), except
``multiply_no_nan``, a primitive because TF's gradient of it is not the gradient of its
composite form.
"""

from __future__ import annotations

from typing import Any

from ..engine import dtypes as _dt
from ..engine.backend import xp as np
from ..engine.convert import convert_to_tensor, static_int
from ..engine.errors import InvalidArgumentError
from ..engine.registry import primitive, unbroadcast
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .indexing import where
from .creation import zeros_like
from .math import add_n, floormod, divide_no_nan, equal, exp, greater, less, log, tangent_add
from .math import multiply
from .special import log1p

__all__ = ["mod", "multiply_no_nan", "reciprocal_no_nan", "xlog1py", "scalar_mul", "polyval",
           "accumulate_n", "cumulative_logsumexp", "rint", "zero_fraction", "in_top_k",
           "invert_permutation", "is_non_decreasing", "is_strictly_increasing", "nextafter"]


def _value(x: Any) -> Any:
    return np.asarray(x._value if isinstance(x, _Base) else convert_raw(x))


# -- NaN-safe products ----------------------------------------------------------------------------
@primitive(name="multiply_no_nan", same_dtype=True)
def _multiply_no_nan(x, y):
    with np.errstate(invalid="ignore"):
        return np.where(np.asarray(y) == 0, np.zeros((), np.result_type(x, y)), x * y)[()]


# TF's MulNoNanGrad: dx = mul_no_nan(g, y), dy = mul_no_nan(x, g)
_multiply_no_nan.defvjps(
    lambda g, ans, x, y: unbroadcast(_multiply_no_nan(g, y), x, ans),
    lambda g, ans, x, y: unbroadcast(_multiply_no_nan(x, g), y, ans))
_multiply_no_nan.defjvp(lambda t, ans, x, y: tangent_add(
    None if t[0] is None else _multiply_no_nan(t[0], y),
    None if t[1] is None else _multiply_no_nan(x, t[1]), ans))


def multiply_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x * y, and 0 where y == 0 even if x is inf or NaN (``tf.math.multiply_no_nan``).

    >>> import tapegrad as tf
    >>> tf.math.multiply_no_nan([float("inf"), 2.0], [0.0, 3.0]).numpy()
    array([0., 6.], dtype=float32)
    """
    return _multiply_no_nan(x, y)


def reciprocal_no_nan(x: Any, name: str | None = None) -> Tensor:
    """1 / x, and 0 where x == 0 (``tf.math.reciprocal_no_nan``).

    >>> import tapegrad as tf
    >>> tf.math.reciprocal_no_nan([0.0, 4.0]).numpy()
    array([0.  , 0.25], dtype=float32)
    """
    x = convert_to_tensor(x)
    return divide_no_nan(zeros_like(x) + 1, x)


def xlog1py(x: Any, y: Any, name: str | None = None) -> Tensor:
    """x * log1p(y), and 0 where x == 0 (``tf.math.xlog1py``).

    >>> import tapegrad as tf
    >>> tf.math.xlog1py([0.0, 2.0], [-1.0, 1e-8]).numpy()
    array([0.e+00, 2.e-08], dtype=float32)
    """
    x = convert_to_tensor(x)
    zero = equal(x, 0)
    y = convert_to_tensor(y, dtype_hint=x.dtype)
    safe_y = where(zero, zeros_like(y), y)  # log1p(-1) where x == 0 stays out of the gradient
    return where(zero, zeros_like(x * safe_y), x * log1p(safe_y))


def mod(x: Any, y: Any, name: str | None = None) -> Tensor:
    """The remainder of floor division, with the sign of ``y`` (``tf.math.mod``, as
    ``tf.math.floormod``).

    >>> import tapegrad as tf
    >>> tf.math.mod([7.0, -7.0], 3.0).numpy()
    array([1., 2.], dtype=float32)
    """
    return floormod(x, y)


def scalar_mul(scalar: Any, x: Any, name: str | None = None) -> Tensor:
    """``scalar * x`` for a 0-d ``scalar`` (``tf.math.scalar_mul``).

    >>> import tapegrad as tf
    >>> tf.math.scalar_mul(2.0, tf.constant([1.0, 3.0])).numpy()
    array([2., 6.], dtype=float32)
    """
    if len(shape_of(scalar)) != 0:
        raise ValueError(f"scalar_mul: scalar must be 0-d, got shape {list(shape_of(scalar))}.")
    return multiply(scalar, x)


def polyval(coeffs: list, x: Any, name: str | None = None) -> Tensor:
    """Σ coeffs[i] · x^(n-1-i), the highest power first, by Horner's rule (``tf.math.polyval``).

    >>> import tapegrad as tf
    >>> tf.math.polyval([2.0, 0.0, 1.0], tf.constant([1.0, 3.0])).numpy()   # 2x² + 1
    array([ 3., 19.], dtype=float32)
    """
    if not isinstance(coeffs, (list, tuple)):
        raise ValueError("polyval: coeffs must be a list of tensors or numbers.")
    x = convert_to_tensor(x)
    if not coeffs:
        return x * 0
    out = zeros_like(x) + coeffs[0]
    for c in coeffs[1:]:
        out = out * x + c
    return out


def accumulate_n(inputs: list, shape: Any = None, tensor_dtype: Any = None,
                 name: str | None = None) -> Tensor:
    """The elementwise sum of same-shaped tensors (``tf.math.accumulate_n``, as ``add_n``).

    >>> import tapegrad as tf
    >>> tf.math.accumulate_n([tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])]).numpy()
    array([4., 6.], dtype=float32)
    """
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError(f"accumulate_n: inputs must be a non-empty list of tensors, got "
                         f"{inputs!r:.40}.")
    out = add_n(list(inputs))
    if shape is not None and tuple(out.shape) != tuple(shape):
        raise ValueError(f"accumulate_n: inputs have shape {list(out.shape)}, not {list(shape)}.")
    if tensor_dtype is not None and out.dtype != _dt.as_dtype(tensor_dtype):
        raise TypeError(f"accumulate_n: inputs are {out.dtype.name}, not "
                        f"{_dt.as_dtype(tensor_dtype).name}.")
    return out


@primitive(name="cumulative_logsumexp")
def _cumulative_logsumexp(x, *, axis, exclusive, reverse):
    y = np.moveaxis(x, axis, -1)
    if reverse:
        y = y[..., ::-1]
    out = np.logaddexp.accumulate(y, axis=-1)
    if exclusive:  # log of an empty sum is -inf
        out = np.concatenate([np.full(out.shape[:-1] + (1,), -np.inf, out.dtype),
                              out[..., :-1]], axis=-1)
    if reverse:
        out = out[..., ::-1]
    return np.moveaxis(out, -1, axis)


def _signed_log_parts(v):
    """log(max(v, 0)) and log(max(-v, 0)): a signed quantity in log space (-inf for 0); the
    inner ``where`` keeps log's infinite slope at 0 out of higher derivatives."""
    one = zeros_like(v) + 1
    minus_inf = Tensor(np.full(shape_of(v), -np.inf, np.asarray(v._value).dtype))
    pos, neg = greater(v, 0), less(v, 0)
    return (where(pos, log(where(pos, v, one)), minus_inf),
            where(neg, log(where(neg, -v, one)), minus_inf))


def _finite_parts(x, ans):
    """Where x is -inf (no mass: zero slope), and x, ans with -inf replaced by 0 so that no
    -inf - (-inf) turns the slopes of the other entries into NaN."""
    xv, av = np.asarray(x._value), np.asarray(ans._value)
    dead = Tensor(np.isneginf(xv))
    safe_x = where(dead, zeros_like(x), x)
    safe_ans = where(Tensor(np.isneginf(av)), zeros_like(ans), ans)
    return dead, safe_x, safe_ans


def _cle_vjp(g, ans, x, *, axis, exclusive, reverse):
    # TF's CumulativeLogsumexp gradient: dx_j = sum_{i >= j} g_i exp(x_j - ans_i), summed in log
    # space for the positive and negative parts of g separately
    nb = len(shape_of(g)) - len(shape_of(ans))
    dead, x, ans = _finite_parts(x, ans)
    pos, neg = _signed_log_parts(g)
    kw = dict(axis=axis + nb, exclusive=exclusive, reverse=not reverse)
    dx = (exp(_cumulative_logsumexp(pos - ans, **kw) + x)
          - exp(_cumulative_logsumexp(neg - ans, **kw) + x))
    return (where(dead, zeros_like(dx), dx),)


def _cle_jvp(t, ans, x, *, axis, exclusive, reverse):
    dead, x, ans = _finite_parts(x, ans)
    pos, neg = _signed_log_parts(where(dead, zeros_like(t[0]), t[0]))
    kw = dict(axis=axis, exclusive=exclusive, reverse=reverse)
    return (exp(_cumulative_logsumexp(pos + x, **kw) - ans)
            - exp(_cumulative_logsumexp(neg + x, **kw) - ans))


_cumulative_logsumexp.defvjp(_cle_vjp)
_cumulative_logsumexp.defjvp(_cle_jvp)


def cumulative_logsumexp(x: Any, axis: int = 0, exclusive: bool = False, reverse: bool = False,
                         name: str | None = None) -> Tensor:
    """log(cumsum(exp(x))) along ``axis``, without overflow (``tf.math.cumulative_logsumexp``).

    >>> import tapegrad as tf
    >>> [round(v, 4) for v in tf.math.cumulative_logsumexp([0.0, 0.0, 1000.0]).numpy().tolist()]
    [0.0, 0.6931, 1000.0]
    """
    x = convert_to_tensor(x)
    if x._value.dtype.kind != "f":
        raise TypeError(f"cumulative_logsumexp: expects a float tensor, got {x.dtype.name}.")
    rank = len(shape_of(x))
    ax = int(axis) + rank if int(axis) < 0 else int(axis)
    if not 0 <= ax < rank:
        raise InvalidArgumentError(f"cumulative_logsumexp: axis {axis} is out of range for a "
                                   f"tensor of rank {rank}.")
    return _cumulative_logsumexp(x, axis=ax, exclusive=bool(exclusive), reverse=bool(reverse))


# -- no gradient in TF: rounding, order tests, membership, permutations -------------------------
def rint(x: Any, name: str | None = None) -> Tensor:
    """Round to the nearest integer, halves to even (``tf.math.rint``); no gradient.

    >>> import tapegrad as tf
    >>> tf.math.rint([-1.5, 0.5, 1.5, 2.7]).numpy()
    array([-2.,  0.,  2.,  3.], dtype=float32)
    """
    v = _value(x)
    if v.dtype.kind != "f":
        raise TypeError(f"rint: expects a float tensor, got {_dt.from_numpy(v.dtype).name}.")
    return Tensor(np.rint(v))


def zero_fraction(value: Any, name: str | None = None) -> Tensor:
    """The fraction of zeros in ``value``, a float32 scalar (``tf.math.zero_fraction``).

    >>> import tapegrad as tf
    >>> float(tf.math.zero_fraction([[0.0, 1.0], [0.0, 0.0]]))
    0.75
    """
    v = _value(value)
    return Tensor(np.float32(np.mean(v == 0)) if v.size else np.float32(np.nan))


def in_top_k(targets: Any, predictions: Any, k: int, name: str | None = None) -> Tensor:
    """Whether each row's target class is among its ``k`` largest predictions
    (``tf.math.in_top_k``); ties at the k-th value count as in, non-finite rows as out.

    >>> import tapegrad as tf
    >>> tf.math.in_top_k([2, 0], [[0.1, 0.3, 0.6], [0.5, 0.4, 0.1]], k=1).numpy()
    array([ True,  True])
    """
    t, p = _value(targets), _value(predictions)
    if p.ndim != 2 or t.shape != (p.shape[0],):
        raise InvalidArgumentError(f"in_top_k: predictions must be [batch, classes] and targets "
                                   f"[batch], got {list(p.shape)} and {list(t.shape)}.")
    if t.dtype.kind not in "iu":
        raise TypeError("in_top_k: targets must be int32 or int64.")
    rows = np.arange(p.shape[0])
    valid = (t >= 0) & (t < p.shape[1])
    target = p[rows, np.clip(t, 0, p.shape[1] - 1)]
    better = (p > target[:, None]).sum(axis=1)
    return Tensor(valid & np.isfinite(p).all(axis=1) & (better < static_int(k, "k", "in_top_k")))


def invert_permutation(x: Any, name: str | None = None) -> Tensor:
    """The inverse permutation: ``y[x[i]] = i`` (``tf.math.invert_permutation``).

    >>> import tapegrad as tf
    >>> tf.math.invert_permutation([3, 4, 0, 2, 1]).numpy()
    array([2, 4, 3, 0, 1], dtype=int32)
    """
    v = _value(x)
    if v.ndim != 1 or v.dtype.kind not in "iu" or sorted(v.tolist()) != list(range(v.size)):
        raise InvalidArgumentError(f"invert_permutation: x must be a 1-D permutation of "
                                   f"0..n-1, got {v.tolist()}.")
    out = np.empty_like(v)
    out[v] = np.arange(v.size, dtype=v.dtype)
    return Tensor(out)


def is_non_decreasing(x: Any, name: str | None = None) -> Tensor:
    """True if the flattened ``x`` never decreases (``tf.math.is_non_decreasing``).

    >>> import tapegrad as tf
    >>> bool(tf.math.is_non_decreasing([1, 1, 2])), bool(tf.math.is_non_decreasing([2, 1]))
    (True, False)
    """
    v = _value(x).reshape(-1)
    return Tensor(np.bool_(np.all(v[1:] >= v[:-1])))


def is_strictly_increasing(x: Any, name: str | None = None) -> Tensor:
    """True if the flattened ``x`` always increases (``tf.math.is_strictly_increasing``).

    >>> import tapegrad as tf
    >>> bool(tf.math.is_strictly_increasing([1, 2, 5]))
    True
    >>> bool(tf.math.is_strictly_increasing([1, 1]))
    False
    """
    v = _value(x).reshape(-1)
    return Tensor(np.bool_(np.all(v[1:] > v[:-1])))


def nextafter(x1: Any, x2: Any, name: str | None = None) -> Tensor:
    """The next representable float after ``x1`` towards ``x2`` (``tf.math.nextafter``).

    >>> import tapegrad as tf
    >>> bool(tf.math.nextafter(1.0, 2.0) > 1.0)
    True
    """
    a = _value(x1)
    b = _value(x2)
    if b.dtype.kind not in "iuf":
        raise TypeError(f"nextafter: x2 must be a real number or tensor, got {x2!r:.40}.")
    b = b.astype(a.dtype)
    if a.dtype.kind != "f":
        raise TypeError(f"nextafter: expects float tensors, got {_dt.from_numpy(a.dtype).name}.")
    return Tensor(np.nextafter(a, b))
