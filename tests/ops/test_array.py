"""Shape ops (ops/array.py): gradient checks (reverse, forward, batched jacobian, order 2),
NumPy references, TF's documented outputs and error messages."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.ops import array as a
from tapegrad.testing import UNARY_SHAPES, GradCase, check_grads, check_forward


GRAD_CASES = [
    GradCase("reshape", lambda x: tf.reshape(x, [-1]) * tf.reshape(x, [-1])),
    GradCase("transpose", lambda x: tf.transpose(x) ** 2, [((2, 3),), ((2, 3, 4),)]),
    GradCase("transpose_perm", lambda x: tf.transpose(x, [1, 2, 0]) ** 2, [((2, 3, 4),)]),
    GradCase("matrix_transpose", lambda x: tf.linalg.matrix_transpose(x) ** 2,
             [((2, 3),), ((2, 2, 3),)]),
    GradCase("getitem_basic", lambda x: x[1:, ::-1] ** 2, [((3, 4),)]),
    GradCase("getitem_advanced", lambda x: x[np.array([0, 2, 0])] ** 2, [((3, 2),)]),
    GradCase("getitem_grad", lambda g: a._getitem_grad(g, index=(np.array([0, 2, 0]),),
                                                       shape=(4, 2), nb=0) ** 2, [((3, 2),)]),
    GradCase("broadcast_to", lambda x: tf.broadcast_to(x, [4, 2, 3]) ** 2,
             [((),), ((3,),), ((2, 1),), ((2, 3),)]),
    GradCase("stack", lambda x, y: tf.stack([x, y, x], axis=-1) ** 2,
             [((), ()), ((3,), (3,)), ((2, 3), (2, 3))]),
    GradCase("concat", lambda x, y: tf.concat([x, y, x], axis=0) ** 2,
             [((3,), (2,)), ((2, 3), (1, 3))]),
    GradCase("concat_axis1", lambda x, y: tf.concat([x, y], axis=1) ** 2, [((2, 3), (2, 1))]),
    GradCase("expand_dims", lambda x: tf.expand_dims(x, -1) ** 2, UNARY_SHAPES),
    GradCase("squeeze", lambda x: tf.squeeze(x, [1]) ** 2, [((2, 1, 3),)]),
    GradCase("unstack", lambda x: tf.stack(tf.unstack(x, axis=1)[::-1]) ** 2, [((2, 3),)]),
    GradCase("unstack_one_piece", lambda x: tf.unstack(x, axis=1)[0] ** 2, [((2, 1, 3),)]),
    GradCase("split_one_piece", lambda x: tf.split(x, 1, axis=1)[0] ** 2, [((2, 3),)]),
    GradCase("split", lambda x: tf.split(x, [1, -1], axis=1)[1] ** 2 * tf.split(x, 3, 1)[0],
             [((2, 3),)]),
    GradCase("slice", lambda x: tf.slice(x, [1, 0], [-1, 2]) ** 2, [((3, 3),)]),
    GradCase("reverse", lambda x: tf.reverse(x, [0, 1]) * x, [((2, 3),)]),
    GradCase("unsorted_segment_sum_dense",
             lambda v: tf.IndexedSlices(v, tf.constant([0, 2, 0]), (4, 2)).to_dense() ** 2,
             [((3, 2),)]),
    GradCase("tile", lambda x: tf.tile(x, [2, 3]) ** 2, [((1, 1),), ((2, 3),)]),
    GradCase("pad_constant", lambda x: tf.pad(x, [[1, 2], [0, 1]], constant_values=3.0) ** 2,
             [((2, 3),)]),
    GradCase("pad_reflect", lambda x: tf.pad(x, [[1, 1], [2, 2]], "REFLECT") ** 2, [((2, 3),)]),
    GradCase("pad_symmetric", lambda x: tf.pad(x, [[2, 0], [3, 1]], "SYMMETRIC") ** 2,
             [((2, 3),)]),
    GradCase("meshgrid", lambda x, y: tf.meshgrid(x, y)[0] * tf.meshgrid(x, y)[1] ** 2,
             [((3,), (2,))]),
    GradCase("meshgrid_ij", lambda x, y: tf.meshgrid(x, y, indexing="ij")[1] * x[:, None],
             [((3,), (2,))]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


# -- forward values against NumPy ------------------------------------------------------------------
X = np.arange(24.0).reshape(2, 3, 4)
FORWARD = [
    (lambda: tf.squeeze(np.ones((1, 2, 1))), np.ones(2)),
    (lambda: tf.unstack(X, axis=2)[1], X[:, :, 1]),
    (lambda: tf.split(X, [1, 2], axis=1)[1], X[:, 1:]),
    (lambda: tf.slice(X, [1, 0, 2], [1, -1, 2]), X[1:, :, 2:4]),
    (lambda: tf.reverse(X, [-1]), X[..., ::-1]),
    (lambda: tf.tile(X, [1, 2, 1]), np.tile(X, [1, 2, 1])),
    (lambda: tf.pad(X, [[0, 0], [1, 0], [0, 2]], constant_values=-1.0),
     np.pad(X, [[0, 0], [1, 0], [0, 2]], constant_values=-1.0)),
    (lambda: tf.meshgrid([1, 2], [3, 4, 5], [6])[2].shape, (3, 2, 1)),
]


@pytest.mark.parametrize("i", range(len(FORWARD)))
def test_forward_matches_numpy(i):
    check_forward(*FORWARD[i])


def test_meshgrid_matches_numpy_both_indexings():
    x, y, z = np.arange(2.0), np.arange(3.0), np.arange(4.0)
    for indexing in ("xy", "ij"):
        for got, want in zip(tf.meshgrid(x, y, z, indexing=indexing),
                             np.meshgrid(x, y, z, indexing=indexing), strict=True):
            np.testing.assert_array_equal(got.numpy(), want)


def test_tf_documented_outputs():
    # TensorFlow 2's outputs for these programs
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    np.testing.assert_array_equal(tf.pad(x, [[1, 1], [2, 2]], "REFLECT").numpy(),
                                  [[6, 5, 4, 5, 6, 5, 4], [3, 2, 1, 2, 3, 2, 1],
                                   [6, 5, 4, 5, 6, 5, 4], [3, 2, 1, 2, 3, 2, 1]])
    np.testing.assert_array_equal(tf.pad(x, [[1, 1], [2, 2]], "SYMMETRIC").numpy(),
                                  [[2, 1, 1, 2, 3, 3, 2], [2, 1, 1, 2, 3, 3, 2],
                                   [5, 4, 4, 5, 6, 6, 5], [5, 4, 4, 5, 6, 6, 5]])


# -- errors ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("f, exc, words", [
    (lambda: tf.squeeze(np.ones((2, 3)), [0]), ValueError, ["squeeze", "size 2", "[2, 3]"]),
    (lambda: tf.split(np.ones((2, 5)), 2, axis=1), ValueError, ["split", "[2, 5]", "2"]),
    (lambda: tf.split(np.ones((2, 5)), [1, 1], axis=1), ValueError, ["split", "[1, 1]", "5"]),
    (lambda: tf.tile(np.ones((2, 3)), [2]), ValueError, ["tile", "[2]", "[2, 3]"]),
    (lambda: tf.pad(np.ones((2, 3)), [[1, 1]]), ValueError, ["pad", "[2, 3]"]),
    (lambda: tf.pad(np.ones((2, 3)), [[0, 0], [3, 0]], "REFLECT"), ValueError,
     ["pad", "REFLECT", "size 3"]),
    (lambda: tf.pad(np.ones((2,)), [[1, 1]], "WRAP"), ValueError, ["pad", "WRAP"]),
    (lambda: tf.slice(np.ones((2, 3)), [1, 1], [2, 1]), ValueError, ["slice", "[2, 3]"]),
    (lambda: tf.unstack(np.ones((2, 3)), num=3), ValueError, ["unstack", "[2, 3]"]),
])
def test_errors_name_the_op_and_shapes(f, exc, words):
    with pytest.raises(exc) as info:
        f()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_check_grads_catches_a_wrong_tile_gradient(monkeypatch):
    # keeping one copy instead of summing all of them must fail the check
    monkeypatch.setattr(a._tile, "vjp", lambda g, ans, x, *, multiples: (g[:3],))
    with pytest.raises(AssertionError):
        check_grads(lambda x: tf.tile(x, [2]) ** 2, [np.arange(1.0, 4.0)], order=1,
                    modes=("rev",))
