"""tf.experimental.numpy (ops/tnp.py): NumPy's names, dtypes and results, differentiable."""

import subprocess
import sys

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import BINARY_SHAPES, GradCase

tnp = tf.experimental.numpy

GRAD_CASES = [
    GradCase("tnp unary", lambda x: tnp.exp(tnp.sin(x)) + tnp.square(tnp.tanh(x)) + tnp.abs(x)),
    GradCase("tnp binary", lambda x, y: tnp.power(tnp.maximum(x, y) + 3.0, tnp.ones_like(x) * 2)
             + tnp.arctan2(x, y + 3.0), BINARY_SHAPES),
    GradCase("tnp reductions", lambda x: tnp.sum(x, axis=-1) + tnp.mean(x) + tnp.amax(x)
             + tnp.std(x), [((3,),), ((2, 3),)]),
    GradCase("tnp shape ops", lambda x: tnp.concatenate([tnp.reshape(x, [-1]),
                                                         tnp.reshape(tnp.transpose(x), [-1])])
             * tnp.squeeze(tnp.expand_dims(tnp.reshape(tnp.stack([x, x]), [-1]), 0)),
             [((2, 3),)]),
    GradCase("tnp products", lambda a, b: tnp.dot(a, b) + tnp.matmul(a, b)
             + tnp.einsum("ij,jk->ik", a, b), [((2, 3), (3, 2))]),
    GradCase("tnp dot of vectors", lambda a, b: tnp.dot(a, b), [((3,), (3,))]),
    GradCase("tnp clip/where/take", lambda x: tnp.clip(x, -0.5, 0.5) * tnp.where(x > 0, x, -x)
             + tnp.take(x, [0, 0, 1]), [((3,),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def test_dtypes_follow_numpy_as_tfs_tnp():
    # TF 2.21's tnp: asarray(1.5) float64, asarray([1, 2]) int64, zeros float64, arange(3)
    # int64, linspace float64, mean of ints float64
    assert tnp.asarray(1.5).dtype == tf.float64 and tnp.asarray([1, 2]).dtype == tf.int64
    assert tnp.zeros(2).dtype == tf.float64 and tnp.ones([2, 2], tnp.float32).dtype == tf.float32
    assert tnp.arange(3).dtype == tf.int64 and tnp.arange(3.0).dtype == tf.float64
    assert tnp.linspace(0, 1, 3).dtype == tf.float64
    assert tnp.mean(tnp.asarray([1, 2])).dtype == tf.float64
    assert float(tnp.mean(tnp.asarray([1, 2]))) == 1.5
    # NumPy promotion between operands of different dtypes
    assert tnp.add(tf.constant([1.0], tf.float32), tnp.asarray([2.0])).dtype == tf.float64


def test_values_match_numpy():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    np.testing.assert_allclose(tnp.dot(a, b).numpy(), np.dot(a, b))
    np.testing.assert_allclose(tnp.sum(a, axis=0, keepdims=True).numpy(), a.sum(0, keepdims=True))
    assert tnp.argmax(a).numpy() == np.argmax(a)
    np.testing.assert_array_equal(tnp.cumsum(a).numpy(), np.cumsum(a))
    np.testing.assert_array_equal(tnp.take(a, [1, 5]).numpy(), np.take(a, [1, 5]))
    np.testing.assert_array_equal(tnp.sort(a).numpy(), np.sort(a))
    np.testing.assert_array_equal(tnp.diag([1.0, 2.0]).numpy(), np.diag([1.0, 2.0]))
    np.testing.assert_array_equal(tnp.diag(a).numpy(), np.diag(a))
    assert [t.numpy().tolist() for t in tnp.where([[True, False], [False, True]])] == \
        [[0, 1], [0, 1]]
    assert tnp.full([2], 7).numpy().tolist() == [7, 7] and tnp.eye(2).numpy()[1, 1] == 1.0
    assert tnp.shape(a) == (3, 4) and tnp.ndim(a) == 2 and tnp.size(a) == 12
    assert tnp.array(1.0, ndmin=2).shape == (1, 1)


def test_enable_numpy_behavior_adds_numpy_methods():
    code = ("import tapegrad as tf\n"
            "tf.experimental.numpy.experimental_enable_numpy_behavior()\n"
            "t = tf.constant([[1.0, 2.0], [3.0, 4.0]])\n"
            "assert t.T.numpy().tolist() == [[1.0, 3.0], [2.0, 4.0]]\n"
            "assert t.reshape(4).shape == (4,) and t.ravel().shape == (4,)\n"
            "assert t.astype(tf.int32).dtype == tf.int32 and t.size == 4\n"
            "assert float(t.sum()) == 10.0 and t.mean(axis=0).numpy().tolist() == [2.0, 3.0]\n"
            "assert t.tolist() == [[1.0, 2.0], [3.0, 4.0]]\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
