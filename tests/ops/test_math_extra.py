"""angle, the segment products and confusion_matrix (ops/math_extra.py): gradient checks and
values recorded with TF 2.21 (each expected array below was printed by TensorFlow)."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

GRAD_CASES = [
    GradCase("angle", lambda x, y: tf.math.angle(tf.complex(x, y)), [((3,), (3,)), ((2, 3), (3,))],
             make_args=lambda rng, s: [rng.uniform(0.5, 2, s[0]), rng.uniform(-2, 2, s[1])]),
    GradCase("unsorted_segment_prod", lambda x: tf.math.unsorted_segment_prod(
        x, [0, 2, 0, -1], 3), [((4,),), ((4, 3),)]),
    GradCase("segment_prod", lambda x: tf.math.segment_prod(x, [0, 0, 0, 2]),
             [((4,),), ((4, 2),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def test_angle_as_tf():
    z = tf.constant([1 + 2j, -1 - 0.5j, -3 + 0j], tf.complex128)
    with tf.GradientTape() as tape:
        tape.watch(z)
        y = tf.reduce_sum(tf.math.angle(z) * tf.constant([1.0, 2.0, 3.0], tf.float64))
    np.testing.assert_allclose(tf.math.angle(z).numpy(), [1.10714872, -2.67794504, 3.14159265],
                               rtol=1e-8)
    np.testing.assert_allclose(tape.gradient(y, z).numpy(), [-0.4 + 0.2j, 0.8 - 1.6j, -1j],
                               atol=1e-12)
    x = tf.constant([-2.0, 0.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.math.angle(x))
    assert tape.gradient(y, x) is None  # TF: a real angle is not connected to its input
    np.testing.assert_allclose(tf.math.angle(x).numpy(), [np.pi, 0, 0], rtol=1e-7)
    with pytest.raises(TypeError, match="angle.*int32"):
        tf.math.angle([1, 2])


def test_segment_products_as_tf():
    np.testing.assert_array_equal(
        tf.math.unsorted_segment_prod([1.0, 2.0, 3.0, 4.0], [1, 0, 1, -1], 3).numpy(), [2, 3, 1])
    np.testing.assert_array_equal(tf.math.segment_prod([1.0, 2.0, 3.0, 4.0], [0, 0, 2, 2]),
                                  [2, 1, 12])
    got = tf.math.segment_prod([[1, 2], [3, 4], [5, 6]], [0, 0, 1])
    assert got.dtype == tf.int32 and got.numpy().tolist() == [[3, 8], [5, 6]]
    got = tf.math.unsorted_segment_prod(tf.ones((2, 2, 3)), [[0, 1], [1, 1]], 2)
    assert got.shape == (2, 3)


def test_segment_prod_gradient_with_zeros_as_tf():
    d = tf.constant([2.0, 0.0, 3.0, 0.0, 0.0, 5.0, 0.0, 0.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(d)
        y = tf.reduce_sum(tf.math.unsorted_segment_prod(d, [0, 0, 1, 1, 2, 2, 3, 3], 4) *
                          tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64))
    # one zero: it gets the others' product; two zeros: nothing (TF's _SegmentProdGrad)
    np.testing.assert_array_equal(tape.gradient(y, d).numpy(), [0, 2, 0, 6, 15, 0, 0, 0])


def test_segment_prod_refusals():
    with pytest.raises(InvalidArgumentError, match="unsorted_segment_prod.*out of range"):
        tf.math.unsorted_segment_prod([1.0, 2.0], [0, 3], 2)
    with pytest.raises(InvalidArgumentError, match="segment_prod.*sorted"):
        tf.math.segment_prod([1.0, 2.0], [1, 0])


def test_confusion_matrix_as_tf():
    got = tf.math.confusion_matrix([1, 2, 4], [2, 2, 4])
    assert got.dtype == tf.int32
    want = np.zeros((5, 5), np.int32)
    want[1, 2] = want[2, 2] = want[4, 4] = 1
    np.testing.assert_array_equal(got.numpy(), want)
    got = tf.math.confusion_matrix([1, 2, 4], [2, 2, 4], num_classes=6, weights=[0.5, 1.0, 2.0],
                                   dtype=tf.float32)
    assert got.dtype == tf.float32 and got.shape == (6, 6)
    assert got.numpy()[1, 2] == 0.5 and got.numpy()[2, 2] == 1 and got.numpy()[4, 4] == 2
    assert float(tf.reduce_sum(got)) == 3.5
    np.testing.assert_array_equal(tf.math.confusion_matrix([[1], [0]], [1, 0]).numpy(),
                                  [[1, 0], [0, 1]])


@pytest.mark.parametrize("labels, preds, n, message", [
    ([1, 2, 7], [2, 2, 4], 5, "`labels` out of bound"),
    ([1, -2, 4], [2, 2, 4], None, "`labels` contains negative values"),
    ([1, 2], [2, 2, 4], None, "must match"),
])
def test_confusion_matrix_refusals(labels, preds, n, message):
    with pytest.raises(InvalidArgumentError, match=message):
        tf.math.confusion_matrix(labels, preds, num_classes=n)
