"""Elementwise special functions (ops/special.py): gradient checks over the shape matrix,
forward values against NumPy and the standard library, TF conventions."""

import math

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import BINARY_SHAPES, GradCase, check_unary_against, value_and_gradients

GRAD_CASES = [
    GradCase("atan2", tf.math.atan2, BINARY_SHAPES, make_args=lambda rng, s: [
        rng.uniform(-2, 2, s[0]), rng.uniform(0.5, 2, s[1])]),
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
    return value_and_gradients(f, *[tf.constant(x) for x in xs])[1]


# -- forward values against NumPy / the standard library ----------------------------------------
X = np.array([-0.9, -0.3, 0.0, 0.4, 0.95])
UNARY_REFS = {
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
    check_unary_against(getattr(tf.math, name), ref, x)


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


def test_tf_documented_gradients():
    # d/dx tan = 1 + tan^2, d/dx asinh = 1/sqrt(1 + x^2)
    x = np.array([0.3, -1.1])
    np.testing.assert_allclose(_grad(tf.math.tan, x)[0], 1 / np.cos(x) ** 2, rtol=1e-14)
    np.testing.assert_allclose(_grad(tf.math.asinh, x)[0], 1 / np.sqrt(1 + x * x), rtol=1e-14)


# -- errors ----------------------------------------------------------------------------------------
def test_integer_input_to_float_op_is_rejected():
    with pytest.raises(TypeError, match=r"sin: expects a float tensor, got int32"):
        tf.math.sin(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="erf"):
        tf.math.erf([1, 2])
