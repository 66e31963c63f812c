"""More tf.nn (ops/nn_more.py): gradient checks; TF's documented examples and the defining
formulas in NumPy."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

GRAD_CASES = [
    GradCase("crelu", tf.nn.crelu, [((3,),), ((2, 3),)]),
    GradCase("sufficient_statistics+normalize_moments", lambda x: tf.nn.normalize_moments(
        *tf.nn.sufficient_statistics(x, [0], shift=0.5))[1], [((4,),), ((4, 2),)]),
    GradCase("weighted_moments", lambda x, w: tf.nn.weighted_moments(x, [-1], w * w + 0.5)[1],
             [((3,), (3,)), ((2, 3), (3,))]),
    GradCase("depth_to_space", lambda x: tf.nn.depth_to_space(x, 2), [((1, 2, 1, 8),)]),
    GradCase("space_to_depth", lambda x: tf.nn.space_to_depth(x, 2, data_format="NCHW"),
             [((1, 2, 2, 4),)]),
    GradCase("lrn", lambda x: tf.nn.lrn(x, 1, 1.5, 0.5, 0.75), [((1, 2, 1, 4),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def test_depth_space_as_tf_documents():
    x = tf.constant([[[[1, 2, 3, 4]]]])  # TF's depth_to_space example
    assert tf.nn.depth_to_space(x, 2).numpy().tolist() == [[[[1], [2]], [[3], [4]]]]
    y = tf.constant([[[[1], [2]], [[3], [4]]]])  # TF's space_to_depth example
    assert tf.nn.space_to_depth(y, 2).numpy().tolist() == [[[[1, 2, 3, 4]]]]
    z = np.random.default_rng(0).normal(size=(2, 4, 6, 8))
    np.testing.assert_array_equal(tf.nn.depth_to_space(tf.nn.space_to_depth(z, 2), 2).numpy(), z)
    nchw = tf.nn.space_to_depth(np.transpose(z, [0, 3, 1, 2]), 2, data_format="NCHW").numpy()
    np.testing.assert_array_equal(np.transpose(nchw, [0, 2, 3, 1]),
                                  tf.nn.space_to_depth(z, 2).numpy())


def test_lrn_and_moments_formulas():
    x = np.random.default_rng(1).normal(size=(2, 3, 3, 7))
    r, bias, alpha, beta = 2, 1.5, 0.3, 0.75
    sq = np.pad(x ** 2, [(0, 0)] * 3 + [(r, r)])
    want = x / (bias + alpha * sum(sq[..., k:k + 7] for k in range(2 * r + 1))) ** beta
    np.testing.assert_allclose(tf.nn.local_response_normalization(x, r, bias, alpha, beta)
                               .numpy(), want, rtol=1e-12)
    w = np.abs(x[1])
    m, v = tf.nn.weighted_moments(x[0], [0, 2], w)
    mean = (w * x[0]).sum((0, 2)) / w.sum((0, 2))
    np.testing.assert_allclose(m.numpy(), mean, rtol=1e-12)
    np.testing.assert_allclose(
        v.numpy(), (w * (x[0] - mean[None, :, None]) ** 2).sum((0, 2)) / w.sum((0, 2)),
        rtol=1e-12)
    count, mss, vss, shift = tf.nn.sufficient_statistics(x, [0, 1, 2], keepdims=True)
    assert float(count) == 18.0 and mss.shape == (1, 1, 1, 7) and shift is None
    mean2, var2 = tf.nn.normalize_moments(count, mss, vss, None)
    np.testing.assert_allclose(var2.numpy().ravel(), x.var((0, 1, 2)), rtol=1e-10)


def test_errors():
    with pytest.raises(InvalidArgumentError, match="divisible"):
        tf.nn.depth_to_space(tf.ones([1, 1, 1, 3]), 2)
    with pytest.raises(InvalidArgumentError, match="divisible"):
        tf.nn.space_to_depth(tf.ones([1, 3, 2, 1]), 2)
    with pytest.raises(InvalidArgumentError, match="4-D"):
        tf.nn.lrn(tf.ones([2, 3]))
    with pytest.raises(ValueError, match="data_format"):
        tf.nn.depth_to_space(tf.ones([1, 1, 1, 4]), 2, data_format="NWHC")
