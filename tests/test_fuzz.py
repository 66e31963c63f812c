"""Property test: random programs of 3-12 ops on random shapes differentiate correctly.

Hypothesis draws the input shapes (broadcasting pairs included), the inputs' seed and a program
of elementwise unary/binary ops, reductions and shape ops over every value made so far; reverse
mode, forward mode and the vectorized jacobian are compared with central finite differences
(``tapegrad.testing.check_grads`` at order 1). The ``ci`` profile runs 200 programs; set
``TAPEGRAD_HYPOTHESIS_PROFILE=long`` for 10,000 (see tests/conftest.py).
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import tapegrad as tf
from tapegrad.testing import check_grads


def _op(name):
    obj = tf
    for part in name.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _pool(table: dict) -> dict:
    """The entries whose tapegrad ops all exist (ops are added over time; use what is there)."""
    return {k: f for k, (needs, f) in table.items() if all(_op(n) is not None for n in needs)}


# Smooth everywhere on the inputs they get (domains are kept by construction: log(1 + x^2) ...).
UNARY = _pool({
    "sin": (["math.sin"], lambda x: tf.math.sin(x)),
    "cos": (["math.cos"], lambda x: tf.math.cos(x)),
    "tanh": (["tanh"], lambda x: tf.tanh(x)),
    "sigmoid": (["sigmoid"], lambda x: tf.sigmoid(x)),
    "exp": (["exp"], lambda x: tf.exp(x)),
    "square": (["square"], lambda x: tf.square(x)),
    "negative": (["negative"], lambda x: -x),
    "log1p_sq": (["math.log1p"], lambda x: tf.math.log1p(x * x)),
    "log_sq": (["math.log"], lambda x: tf.math.log(1.0 + x * x)),
    "sqrt": (["sqrt"], lambda x: tf.sqrt(1.0 + x * x)),
    "rsqrt": (["math.rsqrt"], lambda x: tf.math.rsqrt(1.0 + x * x)),
    "softplus": (["nn.softplus"], lambda x: tf.nn.softplus(x)),
    "atan": (["math.atan"], lambda x: tf.math.atan(x)),
    "asinh": (["math.asinh"], lambda x: tf.math.asinh(x)),
    "erf": (["math.erf"], lambda x: tf.math.erf(x)),
    "elu_shift": (["nn.elu"], lambda x: tf.nn.elu(x * x + 0.1)),
    "gelu": (["nn.gelu"], lambda x: tf.nn.gelu(x)),
    "silu": (["nn.silu"], lambda x: tf.nn.silu(x)),
    "pow_const": (["pow"], lambda x: (1.0 + x * x) ** 1.5),
    "scale_shift": (["multiply", "add"], lambda x: x * 0.7 + 0.2),
})

BINARY = _pool({
    "add": (["add"], lambda x, y: x + y),
    "subtract": (["subtract"], lambda x, y: x - y),
    "multiply": (["multiply"], lambda x, y: x * y),
    "divide": (["divide"], lambda x, y: x / (1.0 + y * y)),
    "pow": (["pow"], lambda x, y: tf.pow(1.0 + x * x, tf.tanh(y))),
    "atan2": (["math.atan2"], lambda x, y: tf.math.atan2(x, 1.5 + tf.math.cos(y))),
    "squared_difference": (["math.squared_difference"],
                           lambda x, y: tf.math.squared_difference(x, y)),
    "maximum": (["maximum"], lambda x, y: tf.maximum(x, y)),
    "xlogy": (["math.xlogy"], lambda x, y: tf.math.xlogy(tf.exp(x), 1.0 + y * y)),  # x > 0
    "where": (["where"], lambda x, y: tf.where(x > 0.3, x * y, tf.math.sin(x + y))),
})

REDUCE = _pool({
    "reduce_sum": (["reduce_sum"], tf.reduce_sum),
    "reduce_mean": (["reduce_mean"], tf.reduce_mean),
    "reduce_logsumexp": (["reduce_logsumexp"], tf.reduce_logsumexp),
    "reduce_max": (["reduce_max"], tf.reduce_max),
    "reduce_min": (["reduce_min"], tf.reduce_min),
    # norm and l2_normalize have no derivative at 0 (nan, as TF), which x - x reaches exactly
    "norm": (["norm"], lambda x, axis, keepdims: tf.norm(tf.exp(x), axis=axis, keepdims=keepdims)),
    "reduce_prod": (["reduce_prod"], tf.reduce_prod),
    "reduce_variance": (["math.reduce_variance"], lambda x, axis, keepdims:
                        tf.math.reduce_variance(x, axis=axis, keepdims=keepdims)),
})

# (minimum rank, op)
SHAPE_OPS = {k: v for k, v in {
    "flatten": (0, lambda x: tf.reshape(x, [-1])),
    "transpose": (2, lambda x: tf.transpose(x)),
    "expand_dims": (0, lambda x: tf.expand_dims(x, 0)),
    "reverse_last": (1, lambda x: x[..., ::-1]),
    "first_row": (1, lambda x: x[0]),
    "gram": (2, lambda x: tf.matmul(x, x, transpose_b=True)),
    "concat_self": (1, lambda x: tf.concat([x, x * 2.0], axis=-1)),
    "stack_self": (0, lambda x: tf.stack([x, tf.math.sin(x)])),
    "softmax": (1, lambda x: tf.nn.softmax(x)),
    "cumsum": (1, lambda x: tf.math.cumsum(x, axis=-1)),
    "log_softmax": (1, lambda x: tf.nn.log_softmax(x)),
    "l2_normalize": (1, lambda x: tf.math.l2_normalize(tf.exp(x), axis=-1)),
    "gather_rows": (1, lambda x: tf.gather(x, [0, 0, x.shape[0] - 1])),   # repeated rows
    "tile": (1, lambda x: tf.tile(x, [2] * x.ndim)),
    "pad": (1, lambda x: tf.pad(x, [[1, 0]] * x.ndim, constant_values=0.5)),
    "einsum_dot": (1, lambda x: tf.einsum("...i,...i->...", x, tf.math.sin(x))),
    "squeeze_expand": (0, lambda x: tf.squeeze(tf.expand_dims(x, -1), -1)),
}.items() if all(_op(n) is not None for n in {
    "flatten": ["reshape"], "transpose": ["transpose"], "expand_dims": ["expand_dims"],
    "reverse_last": [], "first_row": [], "gram": ["matmul"], "concat_self": ["concat"],
    "stack_self": ["stack"], "softmax": ["nn.softmax"], "cumsum": ["math.cumsum"],
    "log_softmax": ["nn.log_softmax"], "l2_normalize": ["math.l2_normalize"],
    "gather_rows": ["gather"], "tile": ["tile"], "pad": ["pad"], "einsum_dot": ["einsum"],
    "squeeze_expand": ["squeeze", "expand_dims"]}[k])}

SHAPES = [(), (3,), (2, 3), (1, 3), (2, 1), (2, 2, 3)]
KINDS = ["unary", "unary", "binary", "binary", "reduce", "shape"]
BIG = 1e3   # a value past this is squashed with tanh, so programs stay in float range


def _broadcastable(a, b) -> bool:
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


def _apply(step, vals):
    kind, name, i = step[0], step[1], step[2]
    x = vals[i]
    if kind == "unary":
        return UNARY[name](x)
    if kind == "binary":
        return BINARY[name](x, vals[step[3]])
    if kind == "reduce":
        return REDUCE[name](x, axis=step[3], keepdims=step[4])
    if kind == "squash":
        return tf.tanh(x)
    return SHAPE_OPS[name][1](x)


@st.composite
def programs(draw):
    n_in = draw(st.integers(1, 3))
    shapes = [draw(st.sampled_from(SHAPES)) for _ in range(n_in)]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    args = [rng.uniform(-1.5, 1.5, s) for s in shapes]
    vals = [tf.constant(a) for a in args]
    steps = []
    for _ in range(draw(st.integers(3, 12))):
        kind = draw(st.sampled_from(KINDS))
        i = draw(st.integers(0, len(vals) - 1))
        x = vals[i]
        rank = x.ndim
        if kind == "binary":
            partners = [j for j, v in enumerate(vals) if _broadcastable(x.shape, v.shape)]
            step = ("binary", draw(st.sampled_from(sorted(BINARY))), i,
                    draw(st.sampled_from(partners)))
        elif kind == "reduce" and rank > 0:
            axis = draw(st.one_of(st.none(), st.integers(-rank, rank - 1)))
            step = ("reduce", draw(st.sampled_from(sorted(REDUCE))), i, axis, draw(st.booleans()))
        elif kind == "shape" and any(r <= rank for r, _ in SHAPE_OPS.values()):
            names = sorted(k for k, (r, _) in SHAPE_OPS.items() if r <= rank)
            step = ("shape", draw(st.sampled_from(names)), i)
        else:
            step = ("unary", draw(st.sampled_from(sorted(UNARY))), i)
        steps.append(step)
        vals.append(_apply(step, vals))
        if np.max(np.abs(vals[-1].numpy()), initial=0.0) > BIG:
            steps.append(("squash", "tanh", len(vals) - 1))
            vals.append(_apply(steps[-1], vals))
    return args, steps


def _program_fn(steps):
    def f(*xs):
        vals = list(xs)
        for step in steps:
            vals.append(_apply(step, vals))
        return vals[-1]
    return f


@given(programs())
def test_random_programs_match_finite_differences(program):
    args, steps = program
    check_grads(_program_fn(steps), args, order=1, rtol=1e-4, atol=1e-5)


def test_the_pools_are_not_empty():
    # the fuzz test must exercise a real mix of ops
    assert len(UNARY) >= 10 and len(BINARY) >= 4 and len(REDUCE) >= 3 and len(SHAPE_OPS) >= 4
