"""Elementwise math: gradient checks over the shape matrix, forward values, TF conventions."""

import math

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.ops import math as m
from tapegrad.testing import BINARY_SHAPES, GradCase, check_grads


def _away_from_zero(lo=0.3, hi=2.0):
    """Inputs with |x| in [lo, hi] and a random sign: away from kinks at 0."""
    def make(rng, shapes):
        return [rng.choice([-1.0, 1.0], s) * rng.uniform(lo, hi, s) for s in shapes]
    return make


def _distinct_pair(rng, shapes):
    """x, y that never tie (|x - y| >= 0.2 after broadcasting), for maximum/minimum."""
    y = rng.uniform(-2, 2, shapes[1])
    x = rng.uniform(-2, 2, shapes[0])
    gap = np.broadcast_to(x, np.broadcast_shapes(shapes[0], shapes[1])) - y
    while np.any(np.abs(gap) < 0.2):
        x = rng.uniform(-2, 2, shapes[0])
        gap = np.broadcast_to(x, np.broadcast_shapes(shapes[0], shapes[1])) - y
    return [x, y]


def _floormod_args(rng, shapes):
    """y in [1.5, 2]; x / y stays 0.2 away from an integer (floormod jumps there)."""
    y = rng.uniform(1.5, 2.0, shapes[1])
    k = rng.integers(-2, 2, shapes[0]) + rng.uniform(0.2, 0.8, shapes[0])
    return [k * np.max(y), y] if np.shape(y) != np.shape(k) else [k * y, y]


def _positive(lo, hi):
    return lambda rng, shapes: [rng.uniform(lo, hi, s) for s in shapes]


BIN = BINARY_SHAPES
GRAD_CASES = [
    # the operators
    GradCase("add", tf.add, BIN),
    GradCase("subtract", tf.subtract, BIN),
    GradCase("multiply", tf.multiply, BIN),
    GradCase("divide", tf.divide, BIN, make_args=_away_from_zero(0.5, 2.0)),
    GradCase("negative", tf.negative),
    GradCase("pow", tf.pow, BIN, make_args=lambda rng, s: [rng.uniform(0.5, 2, s[0]),
                                                          rng.uniform(-2, 2, s[1])]),
    GradCase("pow_scalar_exponent", lambda x: x ** 3.0),
    GradCase("square", tf.square),
    GradCase("sqrt", tf.sqrt, domain=(0.5, 3.0)),
    GradCase("exp", tf.exp),
    GradCase("log", tf.math.log, domain=(0.3, 3.0)),
    GradCase("tanh", tf.tanh),
    GradCase("sigmoid", tf.sigmoid, domain=(-4.0, 4.0)),
    GradCase("abs", tf.abs, make_args=_away_from_zero()),
    GradCase("sign", lambda x: tf.sign(x) * x, make_args=_away_from_zero()),
    GradCase("cast", lambda x: tf.cast(x, tf.float64) * x),
    GradCase("identity", lambda x: tf.identity(x) * x),
    GradCase("floormod", tf.math.floormod, [((3,), (3,)), ((2, 3), (2, 3)), ((2, 3), ())],
             make_args=_floormod_args),
    # binary
    GradCase("maximum", tf.maximum, BIN, make_args=_distinct_pair),
    GradCase("minimum", tf.minimum, BIN, make_args=_distinct_pair),
    GradCase("add_n", lambda x, y, z: tf.math.add_n([x, y, z]),
             [((), (), ()), ((2, 3), (2, 3), (2, 3))]),
    GradCase("squared_difference", tf.math.squared_difference, BIN),
    GradCase("xlogy", tf.math.xlogy, BIN, make_args=lambda rng, s: [rng.uniform(-2, 2, s[0]),
                                                                   rng.uniform(0.5, 2, s[1])]),
    GradCase("xdivy", m.xdivy, BIN, make_args=_away_from_zero(0.5, 2.0)),
    GradCase("divide_no_nan", tf.math.divide_no_nan, BIN, make_args=_away_from_zero(0.5, 2.0)),
    GradCase("atan2", tf.math.atan2, BIN, make_args=lambda rng, s: [
        rng.uniform(-2, 2, s[0]), rng.uniform(0.5, 2, s[1])]),
    # unary
    GradCase("reciprocal", tf.math.reciprocal, make_args=_away_from_zero(0.5, 2.0)),
    GradCase("rsqrt", tf.math.rsqrt, domain=(0.5, 3.0)),
    GradCase("expm1", tf.math.expm1),
    GradCase("log1p", tf.math.log1p, domain=(-0.5, 2.0)),
    GradCase("softplus", tf.math.softplus, domain=(-4.0, 4.0)),
    GradCase("log_sigmoid", tf.math.log_sigmoid, domain=(-4.0, 4.0)),
    GradCase("sin", tf.math.sin, domain=(-3.0, 3.0)),
    GradCase("cos", tf.math.cos, domain=(-3.0, 3.0)),
    GradCase("tan", tf.math.tan, domain=(-1.2, 1.2)),
    GradCase("asin", tf.math.asin, domain=(-0.8, 0.8)),
    GradCase("acos", tf.math.acos, domain=(-0.8, 0.8)),
    GradCase("atan", tf.math.atan),
    GradCase("sinh", tf.math.sinh),
    GradCase("cosh", tf.math.cosh),
    GradCase("asinh", tf.math.asinh),
    GradCase("acosh", tf.math.acosh, domain=(1.3, 3.0)),
    GradCase("atanh", tf.math.atanh, domain=(-0.8, 0.8)),
    GradCase("erf", tf.math.erf),
    GradCase("erfc", tf.math.erfc),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def _grad(f, *xs):
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    return [None if g is None else g.numpy() for g in tape.gradient(y, xs)]


# -- forward values against NumPy / the standard library ----------------------------------------
X = np.array([-0.9, -0.3, 0.0, 0.4, 0.95])
UNARY_REFS = {
    "reciprocal": (lambda x: 1 / x, np.array([0.5, 1.5, -2.0])),
    "rsqrt": (lambda x: 1 / np.sqrt(x), np.array([0.25, 1.0, 9.0])),
    "expm1": (np.expm1, np.array([-1.0, 1e-12, 2.0])),
    "log1p": (np.log1p, np.array([-0.5, 1e-12, 3.0])),
    "softplus": (lambda x: np.log1p(np.exp(x)), X),
    "log_sigmoid": (lambda x: -np.log1p(np.exp(-x)), X),
    "sin": (np.sin, X), "cos": (np.cos, X), "tan": (np.tan, X),
    "asin": (np.arcsin, X), "acos": (np.arccos, X), "atan": (np.arctan, X),
    "sinh": (np.sinh, X), "cosh": (np.cosh, X), "asinh": (np.arcsinh, X),
    "acosh": (np.arccosh, np.array([1.0, 1.5, 10.0])), "atanh": (np.arctanh, X),
    "erf": (np.vectorize(math.erf), np.array([-3.0, -0.2, 0.0, 0.46875, 1.0, 4.5])),
    "erfc": (np.vectorize(math.erfc), np.array([-3.0, -0.2, 0.0, 0.46875, 1.0, 4.5, 20.0])),
}


@pytest.mark.parametrize("name", sorted(UNARY_REFS))
def test_unary_values(name):
    ref, x = UNARY_REFS[name]
    got = getattr(tf.math, name)(x)
    assert got.dtype == tf.float64
    np.testing.assert_allclose(got.numpy(), ref(x), rtol=1e-14, atol=0)
    x32 = x.astype(np.float32)
    got32 = getattr(tf.math, name)(x32)
    assert got32.dtype == tf.float32
    np.testing.assert_allclose(got32.numpy(), ref(x32.astype(np.float64)).astype(np.float32),
                               rtol=2e-6)


def test_erf_matches_math_erf_to_float64_precision():
    x = np.linspace(-8, 8, 20001)
    np.testing.assert_allclose(tf.math.erf(x).numpy(), [math.erf(v) for v in x],
                               rtol=0, atol=4e-16)
    x = np.linspace(0, 26, 5201)
    np.testing.assert_allclose(tf.math.erfc(x).numpy(), [math.erfc(v) for v in x], rtol=2e-15)
    x = np.linspace(-26, 0, 5201)
    np.testing.assert_allclose(tf.math.erfc(x).numpy(), [math.erfc(v) for v in x], rtol=2e-15)
    for n in (4, 1000):  # the per-element path (small arrays) and the vectorized one
        edge = tf.math.erf(np.resize([np.inf, -np.inf, np.nan, 0.0], n)).numpy()[:4]
        assert edge[0] == 1 and edge[1] == -1 and np.isnan(edge[2]) and edge[3] == 0
        edge = tf.math.erfc(np.resize([30.0, -30.0, np.nan, np.inf], n)).numpy()[:4]
        assert edge[:2].tolist() == [0.0, 2.0] and np.isnan(edge[2]) and edge[3] == 0


def test_erf_gradient_is_the_gaussian():
    x = np.array([-1.5, 0.0, 0.7])
    (dx,) = _grad(tf.math.erf, x)
    np.testing.assert_allclose(dx, 2 / np.sqrt(np.pi) * np.exp(-x * x), rtol=1e-15)
    (dx,) = _grad(tf.math.erfc, x)
    np.testing.assert_allclose(dx, -2 / np.sqrt(np.pi) * np.exp(-x * x), rtol=1e-15)


def test_stable_tails():
    np.testing.assert_allclose(tf.math.softplus([-800.0, 800.0]).numpy(), [0.0, 800.0])
    np.testing.assert_allclose(tf.math.log_sigmoid([-800.0, 800.0]).numpy(), [-800.0, 0.0])
    (dx,) = _grad(tf.math.log_sigmoid, np.array([-800.0, 0.0, 800.0]))
    np.testing.assert_allclose(dx, [1.0, 0.5, 0.0])


def test_binary_values():
    x = np.array([[1.0, -2.0, 3.0]])
    y = np.array([[2.0], [-1.0]])
    np.testing.assert_array_equal(tf.maximum(x, y).numpy(), np.maximum(x, y))
    np.testing.assert_array_equal(tf.minimum(x, y).numpy(), np.minimum(x, y))
    np.testing.assert_array_equal(tf.math.squared_difference(x, y).numpy(), (x - y) ** 2)
    np.testing.assert_allclose(tf.math.atan2(x, y).numpy(), np.arctan2(x, y), rtol=1e-15)
    np.testing.assert_array_equal(tf.math.add_n([x, 2 * x, x]).numpy(), 4 * x)
    np.testing.assert_array_equal(tf.math.floordiv([7, -7], [2, 2]).numpy(), [3, -4])
    np.testing.assert_array_equal(tf.math.floormod([7.0, -7.0], 2.0).numpy(), [1.0, 1.0])


def test_maximum_minimum_ties_go_to_x():
    # TF's MaximumGrad / MinimumGrad: on x == y the whole gradient goes to x
    x, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 2.0])
    assert [g.tolist() for g in _grad(tf.maximum, x, y)] == [[1, 0, 1], [0, 1, 0]]
    assert [g.tolist() for g in _grad(tf.minimum, x, y)] == [[1, 1, 0], [0, 0, 1]]


def test_xlogy_and_divide_no_nan_are_nan_safe_in_the_gradient():
    x, y = np.array([0.0, 0.0, 2.0]), np.array([0.0, 1.0, 4.0])
    np.testing.assert_array_equal(tf.math.xlogy(x, y).numpy(), [0.0, 0.0, 2 * np.log(4)])
    dx, dy = _grad(tf.math.xlogy, x, y)
    np.testing.assert_allclose(dx, [0.0, 0.0, np.log(4)])
    np.testing.assert_allclose(dy, [0.0, 0.0, 0.5])
    a, b = np.array([1.0, 0.0, 3.0]), np.array([0.0, 0.0, 2.0])
    np.testing.assert_array_equal(tf.math.divide_no_nan(a, b).numpy(), [0.0, 0.0, 1.5])
    da, db = _grad(tf.math.divide_no_nan, a, b)
    np.testing.assert_allclose(da, [0.0, 0.0, 0.5])
    np.testing.assert_allclose(db, [0.0, 0.0, -0.75])
    # second derivatives stay finite too
    check_grads(tf.math.xlogy, [np.array([0.5, 1.5]), np.array([0.7, 2.0])], order=2)


def test_abs_sign_conventions_at_zero():
    (dx,) = _grad(tf.abs, np.array([-2.0, 0.0, 3.0]))
    assert dx.tolist() == [-1.0, 0.0, 1.0]  # TF: abs'(0) = sign(0) = 0
    (dx,) = _grad(tf.sign, np.array([-2.0, 0.0, 3.0]))
    assert dx.tolist() == [0.0, 0.0, 0.0]


def test_rounding_and_predicates_have_no_gradient():
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.7])
    np.testing.assert_array_equal(tf.math.round(x).numpy(), [0.0, 2.0, 2.0, -0.0, -2.0])
    np.testing.assert_array_equal(tf.math.floor(x).numpy(), np.floor(x))
    np.testing.assert_array_equal(tf.math.ceil(x).numpy(), np.ceil(x))
    assert tf.math.round(tf.constant([3, -4])).numpy().tolist() == [3, -4]
    for f in (tf.math.round, tf.math.floor, tf.math.ceil):
        assert _grad(f, x) == [None]
    v = np.array([1.0, np.nan, np.inf, -np.inf])
    assert tf.math.is_nan(v).numpy().tolist() == [False, True, False, False]
    assert tf.math.is_finite(v).numpy().tolist() == [True, False, False, False]
    assert tf.math.is_inf(v).numpy().tolist() == [False, False, True, True]


def test_comparisons_and_logic():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])
    assert tf.math.greater(a, b).numpy().tolist() == [False, False, True]
    assert tf.math.less(a, b).numpy().tolist() == [True, False, False]
    assert tf.math.equal(a, b).numpy().tolist() == [False, True, False]
    p, q = np.array([True, True, False]), np.array([True, False, False])
    assert tf.math.logical_and(p, q).numpy().tolist() == [True, False, False]
    assert tf.math.logical_not(p).numpy().tolist() == [False, False, True]


def test_tf_documented_gradients():
    # d/dx tan = 1 + tan^2, d/dx asinh = 1/sqrt(1 + x^2), d/dx reciprocal = -1/x^2
    x = np.array([0.3, -1.1])
    np.testing.assert_allclose(_grad(tf.math.tan, x)[0], 1 / np.cos(x) ** 2, rtol=1e-14)
    np.testing.assert_allclose(_grad(tf.math.asinh, x)[0], 1 / np.sqrt(1 + x * x), rtol=1e-14)
    np.testing.assert_allclose(_grad(tf.math.reciprocal, x)[0], -1 / x ** 2, rtol=1e-14)
    np.testing.assert_allclose(_grad(tf.math.rsqrt, np.array([4.0]))[0], [-1 / 16])


# -- errors ----------------------------------------------------------------------------------------
def test_dtype_mismatch_names_op_and_dtypes():
    with pytest.raises(TypeError, match=r"maximum.*float32.*float64"):
        tf.maximum(tf.constant([1.0]), tf.constant([1.0], tf.float64))
    with pytest.raises(TypeError, match="atan2"):
        tf.math.atan2(tf.constant([1.0]), tf.constant([1.0], tf.float64))


def test_integer_input_to_float_op_is_rejected():
    with pytest.raises(TypeError, match=r"sin: expects a float tensor, got int32"):
        tf.math.sin(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="erf"):
        tf.math.erf([1, 2])


def test_add_n_rejects_mismatched_inputs():
    with pytest.raises(ValueError, match=r"add_n.*\[2\].*\[3\]"):
        tf.math.add_n([[1.0, 2.0], [1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="add_n"):
        tf.math.add_n([])


def test_incompatible_broadcast_names_the_op():
    with pytest.raises(Exception, match=r"squared_difference.*\[2\].*\[3\]"):
        tf.math.squared_difference(np.ones(2), np.ones(3))


def test_every_name_resolves():
    for name in ["maximum", "minimum", "add_n", "floordiv", "floormod", "reciprocal", "rsqrt",
                 "expm1", "log", "log1p", "log_sigmoid", "sin", "cos", "tan", "asin", "acos",
                 "atan", "atan2", "sinh", "cosh", "asinh", "acosh", "atanh", "erf", "erfc",
                 "softplus", "squared_difference", "xlogy", "divide_no_nan", "round", "floor",
                 "ceil", "is_nan", "is_finite", "greater", "less", "equal", "logical_and",
                 "logical_not"]:
        assert callable(getattr(tf.math, name)), name
    assert tf.nn.softplus is tf.math.softplus
    for name in ["maximum", "minimum", "sign", "square", "sqrt", "exp", "tanh", "sigmoid", "abs",
                 "negative", "pow", "add_n", "sin", "atan2", "round"]:
        assert callable(getattr(tf, name)), name
