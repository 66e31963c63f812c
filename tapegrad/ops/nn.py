"""Neural-network ops (``tf.nn``): activations, softmax and cross-entropies, normalization,
dropout and embeddings. Convolution and pooling live in ``ops/conv.py``.

Kernels TF has as single ops (relu6, elu, softmax, the softmax cross-entropies, …) are primitives
here, with forward, VJP and JVP together; functions TF itself composes in Python (gelu, silu, the
sigmoid cross-entropies, moments, batch_normalization) are composed the same way, so their
derivatives come from their parts.
Softmax-like VJPs take cotangents with leading batch dimensions: their axis is kept negative
(counted from the end), so it means the same dimension with or without a batch prefix.
"""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.convert import convert_to_tensor, static_float
from ..engine.errors import InvalidArgumentError
from ..engine.registry import primitive
from ..engine.state import DISTRIBUTION as _DIST
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of, _wrap
from . import math as _m
from .array import expand_dims, reshape
from .creation import _static_ints
from .indexing import gather, where
from .math import exp, sigmoid, tanh
from .random import uniform
from .reduce import _reduce_sum, normalize_axes, reduce_mean, reduce_sum
from .special import erf, softplus

__all__ = [
    "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "swish", "softplus",
    "softsign", "sigmoid", "tanh", "softmax", "log_softmax",
    "softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits",
    "sigmoid_cross_entropy_with_logits", "weighted_cross_entropy_with_logits", "l2_loss",
    "log_poisson_loss", "compute_average_loss", "scale_regularization_loss", "bias_add",
    "dropout", "moments", "batch_normalization", "embedding_lookup",
]


def _as_float_tensor(x: Any, op: str):
    """``x`` unchanged if it is a tensor/array of a float dtype; Python values become float32."""
    v = x._value if isinstance(x, _Base) else convert_raw(x)
    if v.dtype.kind not in "fc":
        raise TypeError(f"{op}: expects a floating-point tensor, got "
                        f"{_dt.from_numpy(v.dtype).name}{list(v.shape)}; cast it first.")
    return x if isinstance(x, _Base) else _wrap(v)


def _neg_axis(axis: Any, rank: int, op: str) -> int:
    """``axis`` counted from the end (-1 = last), checked against ``rank``."""
    axis = int(axis._value if isinstance(axis, _Base) else axis)
    if rank == 0:
        raise ValueError(f"{op}: expects a tensor of rank >= 1, got a scalar (shape []).")
    if not -rank <= axis < rank:
        raise ValueError(f"{op}: axis {axis} is out of range for a tensor of rank {rank} "
                         f"(valid: [{-rank}, {rank})).")
    return axis % rank - rank


# -- relu and friends -----------------------------------------------------------------------------
@primitive
def relu(x):
    """max(x, 0) (``tf.nn.relu``); the gradient at 0 is 0, as TF's.

    >>> import tapegrad as tf
    >>> tf.nn.relu([-1.0, 0.0, 2.0]).numpy()
    array([0., 0., 2.], dtype=float32)
    """
    if x.dtype.kind in "cb":
        raise InvalidArgumentError(f"relu: no kernel for {_dt.from_numpy(x.dtype).name} "
                                   f"(TF's relu takes real numbers); got shape {list(x.shape)}.")
    return np.maximum(x, 0)


relu.defvjp(lambda g, ans, x: (relu_grad(g, ans),))
relu.defjvp(lambda t, ans, x: relu_grad(t[0], ans))


@primitive
def relu_grad(g, ans):
    """``g`` where ``ans > 0``, else 0: relu's VJP as one op (TF's ReluGrad)."""
    # g * mask, as TF's kernel computes it (so inf * 0 gives NaN there too); on random signs it
    # is ~5x faster than np.where, which mispredicts a branch per element
    return g * (ans > 0)


# relu_grad is linear in g; the mask (from ans) is piecewise constant, so it has no gradient.
relu_grad.defvjps(lambda gg, out, g, ans: relu_grad(gg, ans), None)
relu_grad.defjvp(lambda t, out, g, ans: relu_grad(t[0], ans) if t[0] is not None else None)


@primitive(name="relu6")
def _relu6(x):
    return np.minimum(np.maximum(x, 0), 6)


def _relu6_mask(x):
    # TF's Relu6Grad passes the gradient only strictly inside (0, 6)
    return _m.logical_and(_m.greater(x, 0), _m.less(x, 6))


_relu6.defvjp(lambda g, ans, x: (where(_relu6_mask(x), g, 0),))
_relu6.defjvp(lambda t, ans, x: where(_relu6_mask(x), t[0], 0))


def relu6(features: Any, name: str | None = None) -> Tensor:
    """min(max(x, 0), 6) (``tf.nn.relu6``); the gradient is 0 at 0 and at 6, as TF's.

    >>> import tapegrad as tf
    >>> tf.nn.relu6([-1.0, 3.0, 8.0]).numpy()
    array([0., 3., 6.], dtype=float32)
    """
    return _relu6(_as_float_tensor(features, "relu6"))


@primitive(name="leaky_relu")
def _leaky_relu(x, *, alpha):
    return np.where(x > 0, x, x * np.asarray(alpha, x.dtype))


_leaky_relu.defvjp(lambda g, ans, x, *, alpha: (where(_m.greater(x, 0), g, g * alpha),))
_leaky_relu.defjvp(lambda t, ans, x, *, alpha: where(_m.greater(x, 0), t[0], t[0] * alpha))


def leaky_relu(features: Any, alpha: float = 0.2, name: str | None = None) -> Tensor:
    """x if x > 0 else alpha * x (``tf.nn.leaky_relu``); the slope at 0 is ``alpha``, as TF's.

    >>> import tapegrad as tf
    >>> tf.nn.leaky_relu([-1.0, 2.0]).numpy()
    array([-0.2,  2. ], dtype=float32)
    """
    return _leaky_relu(_as_float_tensor(features, "leaky_relu"), alpha=float(alpha))


@primitive
def elu(x):
    """x if x > 0 else exp(x) - 1 (``tf.nn.elu``); the slope at 0 is 1, as TF's.

    >>> import tapegrad as tf
    >>> tf.nn.elu([-1.0, 2.0]).numpy()
    array([-0.63212055,  2.        ], dtype=float32)
    """
    # exp(x) - 1 rather than expm1, as TF's kernel, so the float32 numbers are TF's
    return np.where(x < 0, np.exp(np.minimum(x, 0)) - np.ones((), x.dtype), x)


# TF's EluGrad, from the output: d elu = ans + 1 where ans < 0, else 1
elu.defvjp(lambda g, ans, x: (where(_m.less(ans, 0), g * (ans + 1), g),))
elu.defjvp(lambda t, ans, x: where(_m.less(ans, 0), t[0] * (ans + 1), t[0]))

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@primitive
def selu(x):
    """scale * (x if x > 0 else alpha * (exp(x) - 1)) (``tf.nn.selu``), with TF's constants.

    >>> import tapegrad as tf
    >>> tf.nn.selu([-1.0, 1.0]).numpy()
    array([-1.1113307,  1.050701 ], dtype=float32)
    """
    dt = x.dtype
    neg = np.asarray(_SELU_SCALE * _SELU_ALPHA, dt) * (np.exp(np.minimum(x, 0)) - np.ones((), dt))
    return np.where(x < 0, neg, np.asarray(_SELU_SCALE, dt) * x)


# TF's SeluGrad, from the output: d selu = ans + scale*alpha where ans < 0, else scale
selu.defvjp(lambda g, ans, x: (where(_m.less(ans, 0), g * (ans + _SELU_SCALE * _SELU_ALPHA),
                                     g * _SELU_SCALE),))
selu.defjvp(lambda t, ans, x: where(_m.less(ans, 0), t[0] * (ans + _SELU_SCALE * _SELU_ALPHA),
                                    t[0] * _SELU_SCALE))


def gelu(features: Any, approximate: bool = False, name: str | None = None) -> Tensor:
    """Gaussian error linear unit x * Phi(x) (``tf.nn.gelu``): exact, with erf, by default;
    the tanh approximation with ``approximate=True``. Composed as TF composes it.

    >>> import tapegrad as tf
    >>> tf.nn.gelu([-1.0, 1.0]).numpy().round(4)
    array([-0.1587,  0.8413], dtype=float32)
    """
    x = _as_float_tensor(features, "gelu")
    if approximate:
        return 0.5 * x * (1.0 + tanh(0.7978845608028654 * (x + 0.044715 * _m.pow(x, 3))))
    return 0.5 * x * (1.0 + erf(x / 1.4142135623730951))


def silu(features: Any, beta: float = 1.0, name: str | None = None) -> Tensor:
    """x * sigmoid(beta * x) (``tf.nn.silu``, also ``tf.nn.swish``).

    >>> import tapegrad as tf
    >>> tf.nn.silu([0.0, 1.0]).numpy().round(4)
    array([0.    , 0.7311], dtype=float32)
    """
    x = _as_float_tensor(features, "silu")
    if isinstance(beta, _Base):  # a tensor beta gets a gradient too, as in TF
        return x * sigmoid(_m.cast(beta, x.dtype) * x)
    return x * sigmoid(beta * x if beta != 1.0 else x)


swish = silu


def softsign(features: Any, name: str | None = None) -> Tensor:
    """x / (1 + |x|) (``tf.nn.softsign``); gradient 1 / (1 + |x|)^2, as TF's SoftsignGrad.

    >>> import tapegrad as tf
    >>> tf.nn.softsign([-3.0, 1.0]).numpy()
    array([-0.75,  0.5 ], dtype=float32)
    """
    x = _as_float_tensor(features, "softsign")
    return x / (1 + _m.abs(x))


# -- softmax --------------------------------------------------------------------------------------
@primitive(name="softmax")
def _softmax(x, *, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _sum_keep(x, axis):
    """Sum over the (negative) ``axis`` keeping it; works with any batch prefix on ``x``."""
    return _reduce_sum(x, axes=(len(shape_of(x)) + axis,), keepdims=True)


# y = softmax(x): dx = y * (g - sum(g * y))
_softmax.defvjp(lambda g, ans, x, *, axis: (ans * (g - _sum_keep(g * ans, axis)),))
_softmax.defjvp(lambda t, ans, x, *, axis: ans * (t[0] - _sum_keep(t[0] * ans, axis)))


def softmax(logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``axis`` (``tf.nn.softmax``), stable for large logits.

    >>> import tapegrad as tf
    >>> tf.nn.softmax([1.0, 1.0, 1e4]).numpy()
    array([0., 0., 1.], dtype=float32)
    """
    x = _as_float_tensor(logits, "softmax")
    return _softmax(x, axis=_neg_axis(axis, len(shape_of(x)), "softmax"))


@primitive(name="log_softmax")
def _log_softmax(x, *, axis):
    s = x - np.max(x, axis=axis, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


# y = x - logsumexp(x): dx = g - exp(y) * sum(g)
_log_softmax.defvjp(lambda g, ans, x, *, axis: (g - exp(ans) * _sum_keep(g, axis),))
_log_softmax.defjvp(lambda t, ans, x, *, axis: t[0] - _sum_keep(exp(ans) * t[0], axis))


def log_softmax(logits: Any, axis: int = -1, name: str | None = None) -> Tensor:
    """x - log(sum(exp(x))) along ``axis`` (``tf.nn.log_softmax``), finite for large logits.

    >>> import tapegrad as tf
    >>> tf.nn.log_softmax([0.0, 1e4]).numpy()
    array([-10000.,      0.], dtype=float32)
    """
    x = _as_float_tensor(logits, "log_softmax")
    return _log_softmax(x, axis=_neg_axis(axis, len(shape_of(x)), "log_softmax"))


# -- cross-entropies ------------------------------------------------------------------------------
def _same_shape(labels, logits, op: str) -> None:
    ls, gs = shape_of(labels), shape_of(logits)
    if ls != gs:
        raise ValueError(f"{op}: labels and logits must have the same shape, got labels "
                         f"{list(ls)} and logits {list(gs)}.")


def _labels_like(labels: Any, logits, op: str):
    """Labels as a tensor of the logits' dtype (Python/NumPy values are converted to it)."""
    ld = logits._value.dtype
    if isinstance(labels, _Base):
        if labels._value.dtype != ld:
            raise TypeError(f"{op}: labels are {labels.dtype.name} but logits are "
                            f"{_dt.from_numpy(ld).name}; they must match (tf.cast the labels).")
        return labels
    lv = convert_raw(labels)
    if lv.dtype.kind not in "biuf":
        raise TypeError(f"{op}: labels must be numbers, got {_dt.from_numpy(lv.dtype).name}.")
    return _wrap(np.asarray(lv, dtype=ld))


# TF has each cross-entropy as ONE kernel that also returns the backprop; here each is one
# primitive (forward, VJP, JVP together), so an eager step dispatches one op, not a dozen. The
# labels are an INPUT (not a param), so a traced function replays new labels. The VJPs are written
# with tapegrad ops (a helper primitive for softmax * sum(labels) - labels), so nested tapes give
# higher derivatives; cotangents may carry leading batch dims (the axis stays negative).
@primitive(name="softmax_cross_entropy_with_logits")
def _softmax_xent(labels, logits, *, axis):
    s = logits - np.max(logits, axis=axis, keepdims=True)
    lse = np.log(np.sum(np.exp(s), axis=axis, keepdims=True))
    return -np.sum(labels * (s - lse), axis=axis)


@primitive(name="softmax_cross_entropy_grad")
def _softmax_xent_grad(labels, logits, *, axis):
    """d loss / d logits = softmax(logits) * sum(labels) - labels."""
    e = np.exp(logits - np.max(logits, axis=axis, keepdims=True))
    return e * (np.sum(labels, axis=axis, keepdims=True) / np.sum(e, axis=axis, keepdims=True)) \
        - labels


def _softmax_xent_grad_dlogits(gg, ans, labels, logits, *, axis):
    # softmax's VJP applied to gg * sum(labels)
    p = _softmax(logits, axis=axis)
    h = gg * _sum_keep(labels, axis)
    return p * (h - _sum_keep(h * p, axis))


_softmax_xent_grad.defvjps(
    lambda gg, ans, labels, logits, *, axis: _sum_keep(gg * _softmax(logits, axis=axis), axis)
    - gg,
    _softmax_xent_grad_dlogits)
_softmax_xent_grad.defjvp(
    lambda t, ans, labels, logits, *, axis: _add_opt(
        None if t[0] is None else _softmax(logits, axis=axis) * _sum_keep(t[0], axis) - t[0],
        None if t[1] is None else _softmax(logits, axis=axis) * _sum_keep(labels, axis)
        * (t[1] - _sum_keep(t[1] * _softmax(logits, axis=axis), axis))))

_softmax_xent.defvjps(
    lambda g, ans, labels, logits, *, axis: -expand_dims(g, axis)
    * _log_softmax(logits, axis=axis),
    lambda g, ans, labels, logits, *, axis: expand_dims(g, axis)
    * _softmax_xent_grad(labels, logits, axis=axis))
_softmax_xent.defjvp(
    lambda t, ans, labels, logits, *, axis: _add_opt(
        None if t[0] is None else -_sum_drop(t[0] * _log_softmax(logits, axis=axis), axis),
        None if t[1] is None else _sum_drop(t[1] * _softmax_xent_grad(labels, logits, axis=axis),
                                            axis)))


def _add_opt(a, b):
    return b if a is None else a if b is None else a + b


def _sum_drop(x, axis):
    """Sum over the (negative) ``axis``, dropping it."""
    return _reduce_sum(x, axes=(len(shape_of(x)) + axis,), keepdims=False)


def _check_labels(lab, n):
    if lab.size and (lab.min() < 0 or lab.max() >= n):
        bad = lab[(lab < 0) | (lab >= n)]
        raise InvalidArgumentError(
            f"sparse_softmax_cross_entropy_with_logits: received a label value of "
            f"{int(bad.flat[0])} which is outside the valid range of [0, {n}).")


@primitive(name="sparse_softmax_cross_entropy_with_logits")
def _sparse_xent(labels, logits):
    n = logits.shape[-1]
    _check_labels(labels, n)  # here, not in the wrapper, so a traced function checks new labels
    s = logits - np.max(logits, axis=-1, keepdims=True)
    lse = np.log(np.sum(np.exp(s), axis=-1))
    flat = labels.reshape(-1)
    picked = s.reshape(-1, n)[np.arange(flat.size), flat].reshape(labels.shape)
    return lse - picked


@primitive(name="sparse_softmax_cross_entropy_grad")
def _sparse_xent_grad(labels, logits):
    """d loss / d logits = softmax(logits) - one_hot(labels) (TF's backprop output)."""
    e = np.exp(logits - np.max(logits, axis=-1, keepdims=True))
    p = e / np.sum(e, axis=-1, keepdims=True)
    flat = labels.reshape(-1)
    p.reshape(-1, p.shape[-1])[np.arange(flat.size), flat] -= 1  # p is fresh: a view, no copy
    return p


def _sparse_xent_grad_dlogits(gg, ans, labels, logits):
    p = _softmax(logits, axis=-1)  # softmax's VJP (the one-hot is constant)
    return p * (gg - _sum_keep(gg * p, -1))


_sparse_xent_grad.defvjps(None, _sparse_xent_grad_dlogits)
_sparse_xent_grad.defjvp(
    lambda t, ans, labels, logits: None if t[1] is None else
    _softmax(logits, axis=-1) * (t[1] - _sum_keep(t[1] * _softmax(logits, axis=-1), -1)))


@primitive(name="sparse_softmax_cross_entropy_bwd")
def _sparse_xent_bwd(g, labels, logits):
    """The whole VJP in one op: g[..., None] * (softmax(logits) - one_hot(labels)); ``g`` may
    carry leading batch dims."""
    return g[..., None] * _sparse_xent_grad.impl(labels, logits)


def _sparse_xent_bwd_dlogits(gg, ans, g, labels, logits):
    # softmax's VJP applied to gg * g[..., None], then g's own batch dims (nb1) summed away
    p = _softmax(logits, axis=-1)
    h = gg * expand_dims(g, -1)
    d = p * (h - _sum_keep(h * p, -1))
    nb2 = len(shape_of(gg)) - len(shape_of(ans))
    nb1 = len(shape_of(g)) - len(shape_of(logits)) + 1
    return _reduce_sum(d, axes=tuple(range(nb2, nb2 + nb1)), keepdims=False) if nb1 else d


_sparse_xent_bwd.defvjps(
    lambda gg, ans, g, labels, logits: _sum_drop(gg * _sparse_xent_grad(labels, logits), -1),
    None, _sparse_xent_bwd_dlogits)
_sparse_xent_bwd.defjvp(
    lambda t, ans, g, labels, logits: _add_opt(
        None if t[0] is None else expand_dims(t[0], -1) * _sparse_xent_grad(labels, logits),
        None if t[2] is None else expand_dims(g, -1) * _sparse_xent_grad_dlogits(t[2], None,
                                                                                 labels, logits)))
_sparse_xent.defvjps(None, lambda g, ans, labels, logits: _sparse_xent_bwd(g, labels, logits))
_sparse_xent.defjvp(
    lambda t, ans, labels, logits: None if t[1] is None else
    _sum_drop(t[1] * _sparse_xent_grad(labels, logits), -1))


def softmax_cross_entropy_with_logits(labels: Any, logits: Any, axis: int = -1,
                                      name: str | None = None) -> Tensor:
    """-sum(labels * log_softmax(logits)) along ``axis``
    (``tf.nn.softmax_cross_entropy_with_logits``).

    Stable for extreme logits. Differentiable in both ``labels`` (gradient -log_softmax(logits))
    and ``logits`` (gradient softmax(logits) * sum(labels) - labels, which is TF's
    softmax - labels whenever each row of labels sums to 1).

    >>> import tapegrad as tf
    >>> loss = tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=[[0.0, 0.0]])
    >>> loss.numpy().round(4)
    array([0.6931], dtype=float32)
    """
    op = "softmax_cross_entropy_with_logits"
    logits = _as_float_tensor(logits, op)
    labels = _labels_like(labels, logits, op)
    _same_shape(labels, logits, op)
    return _softmax_xent(labels, logits, axis=_neg_axis(axis, len(shape_of(logits)), op))


def sparse_softmax_cross_entropy_with_logits(labels: Any, logits: Any,
                                             name: str | None = None) -> Tensor:
    """-log_softmax(logits)[label] per row (``tf.nn.sparse_softmax_cross_entropy_with_logits``).

    ``labels`` are integer class ids of shape ``logits.shape[:-1]``; an id outside
    ``[0, num_classes)`` raises InvalidArgumentError (as TF on CPU). The gradient w.r.t. the
    logits is softmax(logits) - one_hot(labels); labels get none.

    >>> import tapegrad as tf
    >>> loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1], logits=[[0.0, 0.0]])
    >>> loss.numpy().round(4)
    array([0.6931], dtype=float32)
    """
    op = "sparse_softmax_cross_entropy_with_logits"
    logits = _as_float_tensor(logits, op)
    lab = labels._value if isinstance(labels, _Base) else convert_raw(labels)
    gs = shape_of(logits)
    if lab.dtype.kind not in "iu":
        raise TypeError(f"{op}: labels must be integer class ids, got "
                        f"{_dt.from_numpy(lab.dtype).name}{list(lab.shape)}.")
    if len(gs) == 0 or lab.shape != gs[:-1]:
        raise ValueError(f"{op}: labels must have the shape of logits without its last "
                         f"dimension: got labels {list(lab.shape)} and logits {list(gs)}.")
    labels = labels if isinstance(labels, _Base) else _wrap(lab)
    return _sparse_xent(labels, logits)


def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                      name: str | None = None) -> Tensor:
    """Elementwise logistic loss max(x, 0) - x * z + log(1 + exp(-|x|))
    (``tf.nn.sigmoid_cross_entropy_with_logits``), composed as TF composes it, so stable for
    extreme logits and with the right slope (sigmoid(x) - z) at x = 0.

    >>> import tapegrad as tf
    >>> loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[1e4, 0.0])
    >>> loss.numpy().round(4)
    array([0.    , 0.6931], dtype=float32)
    """
    op = "sigmoid_cross_entropy_with_logits"
    if labels is None or logits is None:
        raise ValueError(f"{op}: both labels= and logits= must be given.")
    logits = _as_float_tensor(logits, op)
    labels = _labels_like(labels, logits, op)
    _same_shape(labels, logits, op)
    cond = _m.greater_equal(logits, 0)
    relu_logits = where(cond, logits, 0)
    neg_abs_logits = where(cond, -logits, logits)
    return relu_logits - logits * labels + softplus(neg_abs_logits)


def weighted_cross_entropy_with_logits(labels: Any, logits: Any, pos_weight: Any,
                                       name: str | None = None) -> Tensor:
    """Sigmoid cross-entropy with the positive term weighted by ``pos_weight``
    (``tf.nn.weighted_cross_entropy_with_logits``): (1 - z) x + (1 + (q - 1) z) *
    (log(1 + exp(-|x|)) + max(-x, 0)), composed as TF composes it (so, as TF's, its slope at
    exactly x = 0 uses abs'(0) = relu'(0) = 0).

    >>> import tapegrad as tf
    >>> loss = tf.nn.weighted_cross_entropy_with_logits([1.0, 0.0], [0.0, 0.0], pos_weight=2.0)
    >>> loss.numpy().round(4)
    array([1.3863, 0.6931], dtype=float32)
    """
    op = "weighted_cross_entropy_with_logits"
    logits = _as_float_tensor(logits, op)
    labels = _labels_like(labels, logits, op)
    _same_shape(labels, logits, op)
    pos_weight = pos_weight if isinstance(pos_weight, _Base) else \
        convert_to_tensor(pos_weight, dtype=logits.dtype)
    log_weight = 1 + (pos_weight - 1) * labels
    return (1 - labels) * logits + log_weight * (softplus(-_m.abs(logits)) + relu(-logits))


def log_poisson_loss(targets: Any, log_input: Any, compute_full_loss: bool = False,
                     name: str | None = None) -> Tensor:
    """Poisson negative log-likelihood exp(c) - c * z from the log-rate c
    (``tf.nn.log_poisson_loss``); ``compute_full_loss`` adds TF's Stirling term
    z log z - z + log(2 pi z) / 2 where z > 1.

    >>> import tapegrad as tf
    >>> tf.nn.log_poisson_loss([2.0], [1.0]).numpy().round(4)
    array([0.7183], dtype=float32)
    """
    op = "log_poisson_loss"
    log_input = _as_float_tensor(log_input, op)
    targets = _labels_like(targets, log_input, op)
    _same_shape(targets, log_input, op)
    result = exp(log_input) - log_input * targets
    if compute_full_loss:
        small = _m.logical_and(_m.greater_equal(targets, 0), _m.less_equal(targets, 1))
        z = where(small, 1.0, targets)  # the Stirling term only where z > 1 (finite elsewhere)
        stirling = z * _m.log(z) - z + 0.5 * _m.log(2 * 3.141592653589793 * z)
        result = result + where(small, 0.0, stirling)
    return result


def compute_average_loss(per_example_loss: Any, sample_weight: Any = None,
                         global_batch_size: int | None = None) -> Tensor:
    """sum(per_example_loss * sample_weight) / global_batch_size
    (``tf.nn.compute_average_loss``); the global batch size defaults to the loss's first
    dimension times the replicas of the strategy in scope (``tapegrad.distribute``).

    >>> import tapegrad as tf
    >>> float(tf.nn.compute_average_loss([1.0, 2.0, 3.0, 6.0]))
    3.0
    """
    op = "compute_average_loss"
    loss = _as_float_tensor(per_example_loss, op)
    shape = shape_of(loss)
    if not shape:
        raise ValueError(f"{op}: per_example_loss must have rank >= 1 (one loss per example), "
                         f"got a scalar.")
    if sample_weight is not None:
        sample_weight = _labels_like(sample_weight, loss, op)
        try:
            np.broadcast_shapes(shape_of(sample_weight), shape)
        except ValueError:
            raise ValueError(f"{op}: sample_weight {list(shape_of(sample_weight))} does not "
                             f"broadcast to per_example_loss {list(shape)}.") from None
        loss = loss * sample_weight
    n = shape[0] * _replicas() if global_batch_size is None else int(global_batch_size)
    total = reduce_sum(loss)
    return total / n if n else total * 0  # TF divides with div_no_nan


def scale_regularization_loss(regularization_loss: Any) -> Tensor:
    """The summed regularization loss, divided by the number of replicas of the strategy in
    scope (``tf.nn.scale_regularization_loss``; one replica outside any strategy).

    >>> import tapegrad as tf
    >>> float(tf.nn.scale_regularization_loss([0.5, 0.25]))
    0.75
    """
    total = reduce_sum(_as_float_tensor(regularization_loss, "scale_regularization_loss"))
    n = _replicas()
    return total if n == 1 else total / n


def _replicas() -> int:
    """The replicas in sync of the strategy in scope on this thread (1 when none is)."""
    strategy = _DIST.stack[-1] if _DIST.stack else None
    return 1 if strategy is None else int(strategy.num_replicas_in_sync)


# -- losses, bias, normalization ------------------------------------------------------------------
def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """sum(t ** 2) / 2 (``tf.nn.l2_loss``), a scalar.

    >>> import tapegrad as tf
    >>> float(tf.nn.l2_loss([1.0, 2.0, 3.0]))
    7.0
    """
    x = _as_float_tensor(t, "l2_loss")
    return reduce_sum(x * x) * 0.5


def bias_add(value: Any, bias: Any, data_format: str | None = None,
             name: str | None = None) -> Tensor:
    """Add a 1-D ``bias`` along the channel dimension (``tf.nn.bias_add``): the last one, or
    dimension 1 when ``data_format`` starts with ``"NC"``.

    >>> import tapegrad as tf
    >>> tf.nn.bias_add([[1.0, 2.0]], [10.0, 20.0]).numpy()
    array([[11., 22.]], dtype=float32)
    """
    vs, bs = shape_of(value), shape_of(bias)
    nc = data_format is not None and str(data_format).upper().startswith("NC")
    if len(vs) < 2:
        raise ValueError(f"bias_add: value must have rank >= 2, got shape {list(vs)}.")
    ch = vs[1] if nc else vs[-1]
    if len(bs) != 1 or bs[0] != ch:
        raise ValueError(f"bias_add: bias must be 1-D with the {ch} channels of value "
                         f"{list(vs)} ({data_format or 'NHWC'}), got bias shape {list(bs)}.")
    if nc:
        bias = reshape(bias, [ch] + [1] * (len(vs) - 2))
    return _m.add(value, bias)


def moments(x: Any, axes: Any, shift: Any = None, keepdims: bool = False,
            name: str | None = None) -> tuple[Tensor, Tensor]:
    """Mean and variance of ``x`` over ``axes`` (``tf.nn.moments``); float16 is computed in
    float32 and cast back, as TF does.

    >>> import tapegrad as tf
    >>> mean, var = tf.nn.moments(tf.constant([[1.0, 2.0], [3.0, 5.0]]), axes=[0])
    >>> mean.numpy(), var.numpy()
    (array([2. , 3.5], dtype=float32), array([1.  , 2.25], dtype=float32))
    """
    x = _as_float_tensor(x, "moments")
    rank = len(shape_of(x))
    ax = normalize_axes(_static_ints(axes, "axes", "moments"), rank, "moments")
    half = x._value.dtype == np.float16
    y = _m.cast(x, _dt.float32) if half else x
    mean = reduce_mean(y, ax, keepdims=True)
    d = y - mean
    variance = reduce_mean(d * d, ax, keepdims=True)
    if not keepdims:
        mean = reshape(mean, [s for i, s in enumerate(shape_of(x)) if i not in ax])
        variance = reshape(variance, shape_of(mean))
    if half:
        mean, variance = _m.cast(mean, _dt.float16), _m.cast(variance, _dt.float16)
    return mean, variance


def batch_normalization(x: Any, mean: Any, variance: Any, offset: Any, scale: Any,
                        variance_epsilon: float, name: str | None = None) -> Tensor:
    """(x - mean) * scale / sqrt(variance + eps) + offset (``tf.nn.batch_normalization``),
    computed as TF does: x * inv + (offset - mean * inv) with inv = scale / sqrt(var + eps).
    ``offset`` and ``scale`` may be None.

    >>> import tapegrad as tf
    >>> tf.nn.batch_normalization(tf.constant([1.0, 3.0]), 2.0, 1.0, None, None, 0.0).numpy()
    array([-1.,  1.], dtype=float32)
    """
    x = _as_float_tensor(x, "batch_normalization")
    # Python numbers and lists take x's dtype (TF converts them with x's dtype as the hint)
    mean, variance, offset, scale = (None if v is None else v if isinstance(v, _Base)
                                     else Tensor(convert_raw(v, x._value.dtype))
                                     for v in (mean, variance, offset, scale))
    if mean is None or variance is None:
        raise ValueError("batch_normalization: mean and variance must be tensors or numbers, "
                         "got None.")
    inv = 1.0 / _m.sqrt(_m.add(variance, variance_epsilon))
    if scale is not None:
        inv = inv * scale
    shift = -mean * inv if offset is None else offset - mean * inv
    return x * inv + shift


# -- dropout --------------------------------------------------------------------------------------
def dropout(x: Any, rate: float, noise_shape: Any = None, seed: int | None = None,
            name: str | None = None) -> Tensor:
    """Zero each element with probability ``rate`` and scale the kept ones by 1 / (1 - rate)
    (``tf.nn.dropout``). ``noise_shape`` (broadcastable to x's shape) shares one draw along its
    size-1 dimensions (a None entry means x's size). The draw is ``tf.random.uniform(noise_shape,
    seed=seed)``, so seeds follow TF's rules: after ``tf.random.set_seed`` the sequence of masks
    repeats, while successive calls with the same op ``seed`` still differ. The gradient is the
    same mask times the scale.

    >>> import tapegrad as tf
    >>> tf.random.set_seed(0)
    >>> y = tf.nn.dropout(tf.ones([1000]), rate=0.5, seed=1)
    >>> sorted(set(y.numpy().tolist()))
    [0.0, 2.0]
    """
    x = _as_float_tensor(x, "dropout")
    rate = static_float(rate, "rate", "dropout")
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"dropout: rate must be a float in the range [0, 1), got {rate}.")
    xs = shape_of(x)
    if noise_shape is None:
        shape = xs
    elif isinstance(noise_shape, (list, tuple)) and len(noise_shape) == len(xs):
        # TF: a None entry in noise_shape means x's size there
        shape = tuple(d if n is None else n for n, d in zip(noise_shape, xs, strict=True))
        shape = _static_ints(shape, "noise_shape", "dropout")
    else:
        shape = _static_ints(noise_shape, "noise_shape", "dropout")
    try:
        np.broadcast_shapes(shape, xs)
    except ValueError:
        raise ValueError(f"dropout: noise_shape {list(shape)} does not broadcast to x's shape "
                         f"{list(xs)}.") from None
    if rate == 0.0:
        return x  # TF's fast path: nothing is drawn
    # TF's composition: the draw is a random op (a replayed recording draws a fresh mask)
    dt = _dt.from_numpy(x._value.dtype)
    keep = _m.greater_equal(uniform(shape, dtype=dt, seed=seed), rate)
    return x * (1.0 / (1.0 - rate)) * _m.cast(keep, dt)


# -- embeddings -----------------------------------------------------------------------------------
def embedding_lookup(params: Any, ids: Any, max_norm: float | None = None,
                     name: str | None = None) -> Tensor:
    """Rows ``params[ids]`` (``tf.nn.embedding_lookup``), through ``tf.gather``: the gradient
    w.r.t. a Variable ``params`` is an IndexedSlices (only the looked-up rows), densified only
    when something needs a dense tensor.

    >>> import tapegrad as tf
    >>> tf.nn.embedding_lookup(tf.constant([[1.0], [2.0], [3.0]]), [2, 0]).numpy()
    array([[3.],
           [1.]], dtype=float32)
    """
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise NotImplementedError("embedding_lookup: sharded params (a list of more than "
                                      "one tensor) are not supported; concat them first.")
        params = params[0]
    ids_v = ids._value if isinstance(ids, _Base) else convert_raw(ids)
    if ids_v.dtype.kind not in "iu":
        raise TypeError(f"embedding_lookup: ids must be integers, got "
                        f"{_dt.from_numpy(ids_v.dtype).name}{list(ids_v.shape)}.")
    n = shape_of(params)[0] if shape_of(params) else 0
    if ids_v.size and (ids_v.min() < 0 or ids_v.max() >= n):
        bad = ids_v[(ids_v < 0) | (ids_v >= n)].flat[0]
        raise InvalidArgumentError(f"embedding_lookup: id {int(bad)} is not in [0, {n}) "
                                   f"(params shape {list(shape_of(params))}).")
    # the ids tensor itself (not its value), so a traced function replays new ids
    out = gather(params, ids if isinstance(ids, _Base) else ids_v)
    if max_norm is not None:
        norm = _m.sqrt(reduce_sum(out * out, axis=-1, keepdims=True))
        out = out * where(_m.greater(norm, max_norm), max_norm / norm, 1.0)
    return out
