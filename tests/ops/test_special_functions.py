"""lgamma, digamma, polygamma, zeta, lbeta, erfinv, erfcinv, ndtri, Bessel i0/i1 (scaled and
not): gradient checks, values against the standard library and known constants."""

import math

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import GradCase

POS = (0.3, 4.0)
GRAD_CASES = [
    GradCase("lgamma", tf.math.lgamma, domain=POS),
    GradCase("digamma", tf.math.digamma, domain=(0.5, 4.0)),
    GradCase("polygamma", lambda x: tf.math.polygamma(tf.ones_like(x) * 2.0, x), domain=(0.5, 3)),
    GradCase("zeta", lambda q: tf.math.zeta(tf.ones_like(q) * 3.0, q), domain=(0.5, 3.0)),
    # TF defines no gradient for x: only q varies, broadcast against a fixed x
    GradCase("zeta(broadcast q)", lambda q: tf.math.zeta(tf.constant([2.0, 3.0, 4.5], q.dtype),
                                                         q), [((3,),), ((2, 1),), ((),)],
             domain=(0.5, 3.0)),
    GradCase("lbeta", tf.math.lbeta, [((3,),), ((2, 3),)], domain=(0.5, 3.0)),
    GradCase("erfinv", tf.math.erfinv, domain=(-0.9, 0.9)),
    GradCase("erfcinv", tf.math.erfcinv, domain=(0.1, 1.9)),
    GradCase("ndtri", tf.math.ndtri, domain=(0.05, 0.95)),
    GradCase("bessel_i0e", tf.math.bessel_i0e, domain=(0.2, 3.0)),
    GradCase("bessel_i1e", tf.math.bessel_i1e, domain=(-3.0, -0.2)),
    GradCase("bessel_i0", tf.math.bessel_i0, domain=(0.2, 3.0)),
    GradCase("bessel_i1", tf.math.bessel_i1, domain=(0.2, 3.0)),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


X = np.array([0.1, 0.5, 1.0, 2.5, 7.0, 25.0, 170.5, -0.3, -2.7])


def test_lgamma_and_digamma_against_the_standard_library():
    got = tf.math.lgamma(tf.constant(X, tf.float64)).numpy()
    np.testing.assert_allclose(got, [math.lgamma(v) for v in X], rtol=1e-14)
    h = 1e-6
    fd = [(math.lgamma(v + h) - math.lgamma(v - h)) / (2 * h) for v in X]
    np.testing.assert_allclose(tf.math.digamma(tf.constant(X, tf.float64)).numpy(), fd, atol=1e-7)
    assert float(tf.math.digamma(1.0)) == pytest.approx(-0.5772156649, abs=1e-7)  # -γ
    assert np.isinf(tf.math.lgamma([0.0, -2.0]).numpy()).all()
    assert np.isnan(tf.math.digamma([0.0, -3.0]).numpy()).all()
    assert tf.math.lgamma(tf.constant([1.0], tf.float32)).dtype == tf.float32


def test_polygamma_and_zeta_known_values():
    z = tf.math.zeta(tf.constant([2.0, 3.0, 4.0], tf.float64), 1.0).numpy()
    np.testing.assert_allclose(z, [math.pi ** 2 / 6, 1.2020569031595942, math.pi ** 4 / 90],
                               rtol=1e-13)
    assert np.isnan(float(tf.math.zeta(0.5, 1.0))) and np.isinf(float(tf.math.zeta(1.0, 1.0)))
    # polygamma(n, 1) = (-1)^(n+1) n! zeta(n + 1)
    p = tf.math.polygamma(tf.constant([0.0, 1.0, 2.0], tf.float64), 1.0).numpy()
    np.testing.assert_allclose(p, [-0.5772156649015329, math.pi ** 2 / 6, -2 * 1.2020569031595942],
                               rtol=1e-12)


def test_inverse_error_functions_invert():
    y = np.array([-0.999999, -0.9, -0.3, -1e-12, 0.0, 1e-9, 0.5, 0.99])
    x = tf.math.erfinv(tf.constant(y, tf.float64)).numpy()
    np.testing.assert_allclose([math.erf(v) for v in x], y, rtol=1e-12, atol=1e-20)
    c = np.array([1e-200, 1e-10, 0.3, 1.0, 1.7])
    xc = tf.math.erfcinv(tf.constant(c, tf.float64)).numpy()
    np.testing.assert_allclose([math.erfc(v) for v in xc], c, rtol=1e-12)
    p = np.array([1e-300, 1e-8, 0.025, 0.5, 0.975, 0.999])
    q = tf.math.ndtri(tf.constant(p, tf.float64)).numpy()
    np.testing.assert_allclose([0.5 * math.erfc(-v / math.sqrt(2)) for v in q], p, rtol=1e-12)
    assert tf.math.erfinv([1.0, -1.0, 2.0]).numpy().tolist()[:2] == [np.inf, -np.inf]
    assert np.isnan(tf.math.erfinv([2.0]).numpy()).all()


def test_bessel_against_numpy_i0_and_series():
    x = np.array([-30.0, -3.0, 0.0, 0.5, 5.0, 19.9, 20.1, 60.0])
    i0e = tf.math.bessel_i0e(tf.constant(x, tf.float64)).numpy()
    np.testing.assert_allclose(i0e, np.i0(x) * np.exp(-np.abs(x)), rtol=1e-13)
    # I1 from its series sum_k (x/2)^(2k+1) / (k! (k+1)!)
    def series(v):
        term = total = v / 2
        for k in range(1, 200):
            term *= (v / 2) ** 2 / (k * (k + 1))
            total += term
        return total

    i1 = [series(v) for v in x]
    np.testing.assert_allclose(tf.math.bessel_i1(tf.constant(x, tf.float64)).numpy(), i1,
                               rtol=1e-12)
    with tf.GradientTape() as tape:
        z = tf.constant(0.0)
        tape.watch(z)
        y = tf.math.bessel_i1e(z)
    assert float(tape.gradient(y, z)) == 0.5  # TF's value at 0


def test_integer_input_is_refused():
    with pytest.raises(TypeError, match="lgamma"):
        tf.math.lgamma(tf.constant([1, 2]))
