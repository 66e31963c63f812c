"""Creation ops and shape queries (ops/creation.py): values and dtypes against NumPy, TF's
dtype defaults, and error messages. Only ``fill`` is differentiable (w.r.t. ``value``)."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import GradCase

GRAD_CASES = [
    GradCase("fill", lambda v: tf.fill([2, 3], v) * tf.reshape(tf.range(1.0, 7.0, dtype=v.dtype),
                                                              [2, 3]), [((),)]),
    GradCase("fill_scalar_shape", lambda v: tf.fill([], v) ** 2, [((),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def test_fill_gradient_is_the_sum_of_the_cotangent():
    v = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = tf.fill([2, 3], v)
    assert float(tape.gradient(y, v)) == 6.0  # TF: reduce_sum of the cotangent


def test_fill_refuses_a_non_scalar_value():
    with pytest.raises(tf.errors.InvalidArgumentError, match="fill: value must be a scalar"):
        tf.fill([2], [1.0, 2.0])


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


# -- dtype inference as TF 2.21 (values recorded from TF 2.21's eager mode) ------------------------
@pytest.mark.parametrize("f, dtype", [
    (lambda: tf.linspace(-2, 2, 201), tf.float64),
    (lambda: tf.linspace(-2.0, 2.0, 5), tf.float32),
    (lambda: tf.linspace(np.int64(0), 2, 5), tf.float64),
    (lambda: tf.linspace(np.float64(0), 2, 5), tf.float64),
    (lambda: tf.linspace(0.0, 2, 5), tf.float32),
    (lambda: tf.range(5), tf.int32),
    (lambda: tf.range(5.0), tf.float32),
    (lambda: tf.range(1, 5, 0.5), tf.float32),
    (lambda: tf.range(np.int64(3)), tf.int64),
    (lambda: tf.range(np.int64(3), 5.0), tf.float32),
    (lambda: tf.range(3, np.float64(5)), tf.float64),
    (lambda: tf.range(2**40, 2**40 + 2), tf.int64),
    (lambda: tf.constant(2**40), tf.int64),
    (lambda: tf.constant([1, 2**40]), tf.int64),
    (lambda: tf.convert_to_tensor(2**40), tf.int64),
    (lambda: tf.fill([2], 2**40), tf.int64),
    (lambda: tf.constant(np.float64(1)), tf.float64),
    (lambda: tf.constant(np.ones(2, np.int64)), tf.int64),
    (lambda: tf.constant(1j), tf.complex128),
    (lambda: tf.ones_like(np.ones(2)), tf.float64),
    (lambda: tf.zeros_like([1, 2]), tf.int32),
])
def test_creation_dtypes_as_tf(f, dtype):
    assert f().dtype == dtype


def test_creation_values_as_tf():
    np.testing.assert_allclose(tf.linspace(-2, 2, 201).numpy()[:3], [-2.0, -1.98, -1.96])
    assert tf.range(2**40, 2**40 + 2).numpy().tolist() == [2**40, 2**40 + 1]
    assert tf.linspace([0.0, 1.0], [1.0, 2.0], 3).shape == (3, 2)
    assert int(tf.constant(2**40, tf.int32)) == 0  # TF 2.21 wraps, it does not raise
    assert tf.constant(-1, tf.uint8).numpy() == 255


@pytest.mark.parametrize("f, cls, words", [
    (lambda: tf.constant(2**63), ValueError, "out-of-range integer"),
    (lambda: tf.constant([1, 2**70]), ValueError, "out-of-range integer"),
    (lambda: tf.constant(1.5, tf.int32), TypeError, "1.5"),
    (lambda: tf.range(0, 3, 0), tf.errors.InvalidArgumentError, "delta != 0"),
    (lambda: tf.range(5, 0), tf.errors.InvalidArgumentError, "start <= limit"),
    (lambda: tf.range(0, 5, -1), tf.errors.InvalidArgumentError, "start >= limit"),
    (lambda: tf.linspace(0.0, 1.0, -1), tf.errors.InvalidArgumentError, "num"),
])
def test_creation_errors_as_tf(f, cls, words):
    with pytest.raises(cls, match=words):
        f()
