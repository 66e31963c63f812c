"""Creation ops and shape queries (ops/creation.py): values and dtypes against NumPy, TF's
dtype defaults, and error messages. None of them is differentiable, so no GRAD_CASES."""

import numpy as np
import pytest

import tapegrad as tf

X = np.arange(24.0).reshape(2, 3, 4)
FORWARD = [
    (lambda: tf.shape(X), np.array([2, 3, 4], np.int32)),
    (lambda: tf.size(X), np.int32(24)),
    (lambda: tf.rank(X), np.int32(3)),
    (lambda: tf.zeros((2, 3)), np.zeros((2, 3), np.float32)),
    (lambda: tf.ones([3], tf.int64), np.ones(3, np.int64)),
    (lambda: tf.zeros_like(X), np.zeros_like(X)),
    (lambda: tf.ones_like([[1, 2]]), np.ones((1, 2), np.int32)),
    (lambda: tf.fill([2, 2], 1.5), np.full((2, 2), 1.5, np.float32)),
    (lambda: tf.eye(2, 3), np.eye(2, 3, dtype=np.float32)),
    (lambda: tf.linspace(-1.0, 1.0, 5), np.linspace(-1, 1, 5).astype(np.float32)),
    (lambda: tf.range(5), np.arange(5, dtype=np.int32)),
    (lambda: tf.range(1.0, 2.0, 0.25), np.arange(1.0, 2.0, 0.25).astype(np.float32)),
    (lambda: tf.range(6, 0, -2), np.array([6, 4, 2], np.int32)),
]


@pytest.mark.parametrize("i", range(len(FORWARD)))
def test_forward_matches_numpy(i):
    f, want = FORWARD[i]
    got = f().numpy()
    np.testing.assert_array_equal(got, want)
    assert got.dtype == want.dtype


def test_tf_dtype_defaults():
    # TF: shape and size are int32 unless out_type says otherwise; float64 start gives float64
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert tf.shape(x).dtype == tf.int32 and tf.size(x).dtype == tf.int32
    assert tf.shape(x, out_type=tf.int64).dtype == tf.int64
    assert tf.range(np.float64(0), 3).dtype == tf.float64
    assert tf.eye(2, batch_shape=[3]).shape == (3, 2, 2)


@pytest.mark.parametrize("f, words", [
    (lambda: tf.zeros([2, -1]), ["zeros", "[2, -1]", "negative"]),
    (lambda: tf.fill([-3], 1.0), ["fill", "negative"]),
    (lambda: tf.range(0, 3, 0), ["range", "delta"]),
])
def test_errors_name_the_op(f, words):
    with pytest.raises((ValueError, TypeError)) as info:
        f()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_a_float_shape_is_refused_not_truncated():
    with pytest.raises(TypeError, match=r"zeros: shape must be integers, got \[1.5\]"):
        tf.zeros([1.5])
