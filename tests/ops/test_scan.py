"""Scans, arg-extrema, top-k and segment ops (ops/scan.py): gradients, values, TF's numbers."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.ops import scan
from tapegrad.testing import GradCase, check_grads, value_and_gradients

R2 = [((2, 3),)]
R3 = [((2, 3, 4),)]
RANK1UP = [((3,),), ((2, 3),)]


def _nonzero(rng, shapes):
    """|x| in [0.5, 1.5] with random signs: products and norms stay away from 0."""
    return [rng.choice([-1.0, 1.0], s) * rng.uniform(0.5, 1.5, s) for s in shapes]


GRAD_CASES = [
    GradCase("cumsum", tf.math.cumsum, RANK1UP),
    GradCase("cumsum_axis1_exclusive", lambda x: tf.math.cumsum(x, 1, exclusive=True), R2),
    GradCase("cumsum_reverse", lambda x: tf.math.cumsum(x, -1, reverse=True), RANK1UP),
    GradCase("cumsum_exclusive_reverse",
             lambda x: tf.math.cumsum(x, 0, exclusive=True, reverse=True), RANK1UP),
    GradCase("cumprod", tf.math.cumprod, RANK1UP, make_args=_nonzero),
    GradCase("cumprod_axis1_exclusive", lambda x: tf.math.cumprod(x, 1, exclusive=True), R2,
             make_args=_nonzero),
    GradCase("cumprod_exclusive_reverse",
             lambda x: tf.math.cumprod(x, -1, exclusive=True, reverse=True), RANK1UP,
             make_args=_nonzero),
    GradCase("top_k", lambda x: tf.math.top_k(x, k=2).values, RANK1UP + R3),
    GradCase("unsorted_segment_sum",
             lambda x: tf.math.unsorted_segment_sum(x, np.array([2, 0, 2]), 4),
             [((3,),), ((3, 2),)]),
    GradCase("unsorted_segment_sum_2d_ids_negative",
             lambda x: tf.math.unsorted_segment_sum(x, np.array([[1, -1, 0], [1, 1, 2]]), 3),
             [((2, 3),), ((2, 3, 2),)]),
    GradCase("segment_sum", lambda x: tf.math.segment_sum(x, [0, 0, 1]), [((3,),), ((3, 2),)]),
    GradCase("unsorted_segment_max",
             lambda x: tf.math.unsorted_segment_max(x, np.array([1, 0, 1, -1]), 3),
             [((4,),), ((4, 2),)]),
    GradCase("unsorted_segment_min",
             lambda x: tf.math.unsorted_segment_min(x, np.array([[1, 0], [1, 1]]), 2),
             [((2, 2),), ((2, 2, 3),)]),
    GradCase("unsorted_segment_mean",
             lambda x: tf.math.unsorted_segment_mean(x, np.array([1, 0, 1, -1]), 3),
             [((4,),), ((4, 2),)]),
    GradCase("segment_mean", lambda x: tf.math.segment_mean(x, [0, 0, 2]), [((3, 2),)]),
    GradCase("segment_gather", lambda x: scan._segment_gather(x, ids=np.array([2, -1, 2, 0]),
                                                           nb=0), [((3,),), ((3, 2),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def _grad(f, *xs):
    return value_and_gradients(f, *xs, dtype=np.float32)


# -- forward values against NumPy -----------------------------------------------------------------
def test_cumulative_values():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    np.testing.assert_array_equal(tf.math.cumsum(x, axis=1).numpy(), np.cumsum(x, 1))
    np.testing.assert_array_equal(tf.math.cumsum(x, axis=1, exclusive=True).numpy(),
                                  [[0, 1, 3], [0, 4, 9]])
    np.testing.assert_array_equal(tf.math.cumsum(x, axis=1, reverse=True).numpy(),
                                  [[6, 5, 3], [15, 11, 6]])
    np.testing.assert_array_equal(tf.math.cumsum(x, exclusive=True, reverse=True).numpy(),
                                  [[4, 5, 6], [0, 0, 0]])
    np.testing.assert_array_equal(tf.math.cumprod(x, axis=-1).numpy(), np.cumprod(x, 1))
    np.testing.assert_array_equal(tf.math.cumprod(x, 1, exclusive=True, reverse=True).numpy(),
                                  [[6, 3, 1], [30, 6, 1]])
    assert tf.math.cumsum(tf.constant([1, 2, 3])).numpy().tolist() == [1, 3, 6]


def test_argmax_argmin_top_k_values():
    x = np.array([[1.0, 5.0, 5.0], [3.0, 0.0, 9.0]])
    am = tf.math.argmax(x, axis=1)
    assert am.dtype == tf.int64 and am.numpy().tolist() == [1, 2]  # first index on ties
    assert tf.math.argmax(x).numpy().tolist() == [1, 0, 1]  # axis defaults to 0
    assert tf.math.argmin(x, axis=-1, output_type=tf.int32).numpy().tolist() == [0, 1]
    values, indices = tf.math.top_k(x, k=2)
    assert values.numpy().tolist() == [[5.0, 5.0], [9.0, 3.0]]
    assert indices.dtype == tf.int32 and indices.numpy().tolist() == [[1, 2], [2, 0]]
    assert tf.math.top_k(tf.constant([3, 1, 2]), k=3).values.numpy().tolist() == [3, 2, 1]
    # TF: argmax skips NaN (-> 2); top_k ranks NaN first (-> [1, 2])
    assert int(tf.math.argmax([1.0, np.nan, 3.0])) == 2
    assert int(tf.math.argmin([1.0, np.nan, -3.0])) == 2
    assert tf.math.top_k([1.0, np.nan, 3.0], 2).indices.numpy().tolist() == [1, 2]


def test_segment_sum_values():
    data = np.arange(12.0).reshape(4, 3)
    got = tf.math.unsorted_segment_sum(data, [2, 0, 2, -1], 3).numpy()
    np.testing.assert_array_equal(got, [data[1], np.zeros(3), data[0] + data[2]])
    got = tf.math.segment_sum(data, [0, 0, 1, 3]).numpy()
    np.testing.assert_array_equal(got, [data[0] + data[1], data[2], np.zeros(3), data[3]])


# -- TF's numbers (outputs of TF 2 for the same programs, float32) ---------------------------------
def test_cumulative_tf_numbers():
    y, (dx,) = _grad(lambda x: tf.math.cumprod(x, exclusive=True, reverse=True), [1.0, 2.0, 3.0])
    assert y.tolist() == [6.0, 3.0, 1.0] and dx.tolist() == [0.0, 3.0, 3.0]
    w = tf.constant([1.0, 2.0, 3.0])
    y, (dx,) = _grad(lambda x: tf.reduce_sum(tf.math.cumsum(x, exclusive=True) * w),
                     [1.0, 2.0, 3.0])
    assert y == 11.0 and dx.tolist() == [5.0, 3.0, 0.0]


def test_top_k_and_segment_gradients_tf_numbers():
    y, (dx,) = _grad(lambda x: tf.math.top_k(x, 2).values, [[1.0, 4.0, 2.0, 4.0]])
    assert y.tolist() == [[4.0, 4.0]] and dx.tolist() == [[0.0, 1.0, 0.0, 1.0]]
    y, (dx,) = _grad(lambda x: tf.math.unsorted_segment_sum(x, [1, 0, 1, -1], 3),
                     [1.0, 2.0, 3.0, 4.0])
    assert y.tolist() == [2.0, 4.0, 0.0] and dx.tolist() == [1.0, 1.0, 1.0, 0.0]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NaN/inf on purpose
def test_segment_mean_max_min_tf_numbers():
    # TF 2 outputs and gradients of sum(y * [1, 2, ...]) for these programs
    x = [[1.0, 5.0], [3.0, 2.0], [3.0, 7.0], [0.0, 9.0]]
    w = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y, (dx,) = _grad(lambda x: tf.math.unsorted_segment_max(x, [0, 1, 0, -1], 3) * w, x)
    assert y[:2].tolist() == [[3, 14], [9, 8]]
    assert dx.tolist() == [[0, 0], [3, 4], [1, 2], [0, 0]]
    x = [[1.0, 5.0], [3.0, 2.0], [1.0, 7.0], [0.0, 9.0]]
    y, (dx,) = _grad(lambda x: tf.math.unsorted_segment_min(x, [0, 1, 0, -1], 3) * w, x)
    assert y[:2].tolist() == [[1, 10], [9, 8]]
    assert dx.tolist() == [[0.5, 2], [3, 4], [0.5, 0], [0, 0]]  # the tie in segment 0 splits
    empty = tf.math.unsorted_segment_max([1.0], [0], 2).numpy()
    assert empty[1] == np.finfo(np.float32).min  # TF: lowest finite value, not -inf
    y, (dx,) = _grad(lambda x: tf.math.unsorted_segment_mean(x, [0, 1, 0, -1], 3) * w, x)
    assert y.tolist() == [[1, 12], [9, 8], [0, 0]]
    assert dx.tolist() == [[0.5, 1], [3, 4], [0.5, 1], [0, 0]]
    y, (dx,) = _grad(lambda x: tf.math.segment_mean(x, [0, 0, 2]), [1.0, 2.0, 4.0])
    assert y.tolist() == [1.5, 0.0, 4.0] and dx.tolist() == [0.5, 0.5, 1.0]


def test_batched_jacobian_of_scans_matches_loop():
    # one vectorized backward pass through every axis-aware VJP
    x = np.random.default_rng(1).uniform(0.5, 1.5, (2, 3, 2))
    for f in [lambda x: tf.math.cumsum(x, axis=1, reverse=True),
              lambda x: tf.math.cumprod(x, axis=2, exclusive=True),
              lambda x: tf.math.unsorted_segment_sum(x, [[0, 1, 0], [1, 1, 0]], 2),
              lambda x: tf.math.top_k(x, 1).values]:
        check_grads(f, [x], order=2, modes=("jac",))


# -- errors ----------------------------------------------------------------------------------------
def test_bad_axis_names_op_and_rank():
    with pytest.raises(ValueError, match=r"cumsum: axis 3 is out of range .*rank 2"):
        tf.math.cumsum(np.ones((2, 3)), axis=3)
    with pytest.raises(ValueError, match="argmax"):
        tf.math.argmax(np.ones((2, 3)), axis=2)


def test_bad_arguments():
    with pytest.raises(InvalidArgumentError, match=r"top_k.*k=4.*\[3\]"):
        tf.math.top_k([1.0, 2.0, 3.0], k=4)
    with pytest.raises(InvalidArgumentError, match=r"segment id 5 is out of range \[0, 3\)"):
        tf.math.unsorted_segment_sum([1.0, 2.0], [0, 5], 3)
    with pytest.raises(InvalidArgumentError, match=r"segment_sum: segment_ids must be a sorted"):
        tf.math.segment_sum([1.0, 2.0], [1, 0])
    with pytest.raises(InvalidArgumentError, match=r"\[3\] is not a prefix of data shape \[2\]"):
        tf.math.unsorted_segment_sum([1.0, 2.0], [0, 1, 1], 2)
