"""Elementwise math (ops/math.py): gradient checks over the shape matrix, forward values, TF
conventions."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.ops import math as m
from tapegrad.testing import (BINARY_SHAPES, GradCase, check_grads, check_unary_against,
                              value_and_gradients)


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
    # float32 -> float64 -> float32 in the float32 run: each cast's gradient keeps its source dtype
    GradCase("cast", lambda x: tf.cast(tf.cast(x, tf.float64) ** 2, x.dtype) * x),
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
    # unary
    GradCase("reciprocal", tf.math.reciprocal, make_args=_away_from_zero(0.5, 2.0)),
    GradCase("rsqrt", tf.math.rsqrt, domain=(0.5, 3.0)),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def _grad(f, *xs):
    return value_and_gradients(f, *[tf.constant(x) for x in xs])[1]


# -- forward values against NumPy / the standard library ----------------------------------------
X = np.array([-0.9, -0.3, 0.0, 0.4, 0.95])
UNARY_REFS = {
    "reciprocal": (lambda x: 1 / x, np.array([0.5, 1.5, -2.0])),
    "rsqrt": (lambda x: 1 / np.sqrt(x), np.array([0.25, 1.0, 9.0])),
}


@pytest.mark.parametrize("name", sorted(UNARY_REFS))
def test_unary_values(name):
    ref, x = UNARY_REFS[name]
    check_unary_against(getattr(tf.math, name), ref, x)


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
    np.testing.assert_allclose(tf.math.xlogy(x, y).numpy(), [0.0, 0.0, 2 * np.log(4)], rtol=1e-14)
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


def test_comparisons_and_logic():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])
    assert tf.math.greater(a, b).numpy().tolist() == [False, False, True]
    assert tf.math.less(a, b).numpy().tolist() == [True, False, False]
    assert tf.math.equal(a, b).numpy().tolist() == [False, True, False]
    p, q = np.array([True, True, False]), np.array([True, False, False])
    assert tf.math.logical_and(p, q).numpy().tolist() == [True, False, False]
    assert tf.math.logical_not(p).numpy().tolist() == [False, False, True]


def test_reciprocal_rsqrt_documented_gradients():
    # d/dx reciprocal = -1/x^2, d/dx rsqrt = -1/2 x^(-3/2)
    x = np.array([0.3, -1.1])
    np.testing.assert_allclose(_grad(tf.math.reciprocal, x)[0], -1 / x ** 2, rtol=1e-14)
    np.testing.assert_allclose(_grad(tf.math.rsqrt, np.array([4.0]))[0], [-1 / 16])


# -- errors ----------------------------------------------------------------------------------------
def test_dtype_mismatch_names_op_and_dtypes():
    with pytest.raises(TypeError, match=r"maximum.*float32.*float64"):
        tf.maximum(tf.constant([1.0]), tf.constant([1.0], tf.float64))
    with pytest.raises(TypeError, match="atan2"):
        tf.math.atan2(tf.constant([1.0]), tf.constant([1.0], tf.float64))


def test_add_n_rejects_mismatched_inputs():
    with pytest.raises(ValueError, match=r"add_n.*\[2\].*\[3\]"):
        tf.math.add_n([[1.0, 2.0], [1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="add_n"):
        tf.math.add_n([])


def test_incompatible_broadcast_names_the_op():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"squared_difference.*\[2\].*\[3\]"):
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


@pytest.mark.parametrize("op", ["sqrt", "exp", "log", "tanh", "sigmoid"])
def test_transcendental_ops_refuse_integer_tensors_as_tf_does(op):
    with pytest.raises(TypeError, match=rf"{op}: expects a float tensor, got int32\[2\]"):
        getattr(tf.math, op)(tf.constant([1, 4]))


def test_dtype_refusals_and_true_division_as_tf():
    with pytest.raises(TypeError, match="floor: expects a float tensor, got int32"):
        tf.math.floor(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="negative: no kernel for uint8"):
        -tf.constant([1, 2], tf.uint8)
    with pytest.raises(TypeError, match="greater: complex128 numbers have no order"):
        tf.math.greater(tf.constant([1j], tf.complex128), tf.constant([2j], tf.complex128))
    with pytest.raises(TypeError, match="divide: cannot divide bool tensors"):
        tf.constant([True]) / tf.constant([True])
    with pytest.raises(TypeError, match="atan2: no kernel for inputs of dtype complex64"):
        tf.math.atan2(tf.constant([1j], tf.complex64), tf.constant([1j], tf.complex64))
    q8 = tf.constant([1, 3], tf.int8) / tf.constant([2, 4], tf.int8)
    q32 = tf.constant([1, 3]) / tf.constant([2, 4])
    assert (q8.dtype, q32.dtype) == (tf.float32, tf.float64)  # TF's truediv
    np.testing.assert_array_equal(q8.numpy(), [0.5, 0.75])
