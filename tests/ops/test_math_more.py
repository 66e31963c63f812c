"""More tf.math names (ops/math_more.py): gradient checks, values recorded with TF 2.21, TF's
edge cases (NaN-safe products, ties in in_top_k, exclusive/reverse running log-sum-exp)."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import BINARY_SHAPES, GradCase

GRAD_CASES = [
    GradCase("multiply_no_nan", tf.math.multiply_no_nan, BINARY_SHAPES),
    GradCase("reciprocal_no_nan", tf.math.reciprocal_no_nan, domain=(0.5, 2.0)),
    GradCase("xlog1py", tf.math.xlog1py, BINARY_SHAPES,
             make_args=lambda rng, s: [rng.uniform(0.5, 2, s[0]), rng.uniform(-0.5, 2, s[1])]),
    GradCase("scalar_mul", lambda x: tf.math.scalar_mul(tf.reduce_sum(x), x)),
    GradCase("polyval", lambda a, x: tf.math.polyval([a, x * 2.0, 3.0], x), BINARY_SHAPES),
    GradCase("accumulate_n", lambda x, y: tf.math.accumulate_n([x * y, y, x]),
             [((3,), (3,)), ((2, 3), (2, 3))]),
    GradCase("cumulative_logsumexp", lambda x: tf.math.cumulative_logsumexp(x, axis=-1),
             [((4,),), ((2, 3),)]),
    GradCase("cumulative_logsumexp(exclusive, reverse)", lambda x: tf.math.cumulative_logsumexp(
        x, axis=0, exclusive=True, reverse=True)[:-1], [((4,),), ((3, 2),)]),
    GradCase("math.mod / softmax / log_softmax / softsign", lambda x: tf.math.softmax(x) +
             tf.math.log_softmax(x) + tf.math.softsign(x) + tf.math.mod(x, 7.0),
             [((3,),), ((2, 3),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


X = np.array([[0.5, -1.0, 2.0, 0.0], [3.0, 1.0, -2.0, 0.25]])


def test_cumulative_logsumexp_as_tf():
    # recorded with TF 2.21 (tf.math.cumulative_logsumexp)
    np.testing.assert_allclose(tf.math.cumulative_logsumexp(X, axis=1).numpy(),
                               [[0.5, 0.7014132779827524, 2.241311296657157, 2.342349582389822],
                                [3.0, 3.1269280110429727, 3.1328452337275756, 3.187310003314871]],
                               rtol=1e-12)
    got = tf.math.cumulative_logsumexp(X, axis=1, exclusive=True, reverse=True).numpy()
    np.testing.assert_allclose(got[:, :3], [[2.1698460195562856, 2.1269280110429727, 0.0],
                                            [1.4201261880575138, 0.35020655891674723, 0.25]],
                               rtol=1e-12)
    assert np.isneginf(got[:, 3]).all()
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.math.cumulative_logsumexp(x, axis=1, exclusive=True) *
                          tf.constant([[1.0, -2.0, 3.0, 0.5]], tf.float64))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(),
                               [[0.5403686246509487, 0.5668328580544126, 0.3927985172946379, 0],
                                [1.0801915314651902, 0.4168585933338574, 0.00294987520095139, 0]],
                               rtol=1e-12, atol=1e-15)
    big = tf.math.cumulative_logsumexp([0.0, 0.0, 1000.0]).numpy()
    np.testing.assert_allclose(big, [0.0, np.log(2.0), 1000.0])


def test_nan_safe_products_as_tf():
    a, b = tf.constant([np.inf, 2.0, 3.0]), tf.constant([0.0, 0.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        y = tf.reduce_sum(tf.math.multiply_no_nan(a, b) * tf.constant([1.0, 2.0, 3.0]))
    assert float(y) == 18.0
    da, db = tape.gradient(y, [a, b])
    assert da.numpy().tolist() == [0.0, 0.0, 6.0] and db.numpy().tolist() == [np.inf, 4.0, 9.0]
    np.testing.assert_allclose(tf.math.xlog1py([0.0, 2.0, 0.5], [-1.0, 0.5, 3.0]).numpy(),
                               [0.0, 0.8109301924705505, 0.6931471824645996], rtol=1e-6)
    assert tf.math.reciprocal_no_nan([0.0, 2.0]).numpy().tolist() == [0.0, 0.5]


def test_no_gradient_helpers_as_tf():
    # TF 2.21: ties with the target do not push it out; a non-finite row is never in the top k
    got = tf.math.in_top_k([0, 1, 2], [[1.0, 1.0, 0.0], [1.0, 2.0, 3.0], [np.nan, 0.0, 1.0]], 1)
    assert got.numpy().tolist() == [True, False, False]
    assert tf.nn.in_top_k is tf.math.in_top_k
    assert tf.math.invert_permutation([3, 4, 0, 2, 1]).numpy().tolist() == [2, 4, 3, 0, 1]
    with pytest.raises(InvalidArgumentError, match="permutation"):
        tf.math.invert_permutation([0, 0, 1])
    assert bool(tf.math.is_non_decreasing([[1, 2], [2, 3]]))
    assert not bool(tf.math.is_strictly_increasing([1, 2, 2]))
    assert tf.math.rint([0.5, 1.5, -2.5]).numpy().tolist() == [0.0, 2.0, -2.0]
    assert float(tf.math.zero_fraction(tf.constant([0, 1, 0, 2]))) == 0.5
    assert np.isnan(float(tf.math.zero_fraction(tf.zeros([0]))))
    assert float(tf.math.nextafter(tf.constant(1.0, tf.float64), 0.0)) == np.nextafter(1.0, 0.0)
    assert tf.math.polyval([], tf.constant([1.0, 2.0])).numpy().tolist() == [0.0, 0.0]


def test_bad_arguments():
    with pytest.raises(ValueError, match="0-d"):
        tf.math.scalar_mul(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0]))
    with pytest.raises(TypeError, match="float"):
        tf.math.rint(tf.constant([1, 2]))
    with pytest.raises(InvalidArgumentError, match="axis"):
        tf.math.cumulative_logsumexp([1.0, 2.0], axis=1)
    with pytest.raises(ValueError, match="shape"):
        tf.math.accumulate_n([tf.ones([2])], shape=[3])
