"""Indexing ops (ops/indexing.py): gradient checks (reverse, forward, batched jacobian,
order 2), NumPy references, TF's documented outputs, sparse gathers and error messages."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.ops import indexing as ix
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import BINARY_SHAPES, GradCase, check_forward


def _distinct(rng, shapes):
    """Values whose sort order is stable under the finite-difference step (no near-ties)."""
    out = []
    for s in shapes:
        n = int(np.prod(s))
        out.append((rng.permutation(n) + rng.uniform(0, 0.5, n)).reshape(s) / n)
    return out


_IDX = np.array([[2, 0], [1, 2]])
GRAD_CASES = [
    GradCase("where", lambda x, y: tf.where(x > 0, x * y, y * y), BINARY_SHAPES,
             make_args=lambda rng, s: [rng.choice([-1, 1], s[0]) * rng.uniform(0.3, 2, s[0]),
                                       rng.uniform(-2, 2, s[1])]),
    GradCase("gather_axis0", lambda x: tf.gather(x, _IDX) ** 2, [((3,),), ((3, 2),)]),
    GradCase("gather_axis1", lambda x: tf.gather(x, _IDX, axis=1) ** 2, [((2, 3),)]),
    GradCase("gather_batch_dims", lambda x: tf.gather(x, _IDX, axis=1, batch_dims=1) ** 2,
             [((2, 3),)]),
    GradCase("gather_batch_dims_axis2",
             lambda x: tf.gather(x, _IDX, axis=2, batch_dims=1) ** 2, [((2, 2, 3),)]),
    GradCase("gather_nd", lambda x: tf.gather_nd(x, [[0, 1], [1, 2], [0, 1]]) ** 2,
             [((2, 3),), ((2, 3, 2),)]),
    GradCase("boolean_mask", lambda x: tf.boolean_mask(x, [True, False, True]) ** 2,
             [((3,),), ((3, 2),)]),
    GradCase("tensor_scatter_nd_update",
             lambda x, u: tf.tensor_scatter_nd_update(x, [[2], [0]], u) ** 2,
             [((3,), (2,)), ((3, 2), (2, 2))]),
    GradCase("tensor_scatter_nd_add",
             lambda x, u: tf.tensor_scatter_nd_add(x, [[2], [0], [2]], u) ** 2,
             [((3,), (3,)), ((3, 2), (3, 2))]),
    GradCase("tensor_scatter_nd_sub",
             lambda x, u: tf.tensor_scatter_nd_sub(x, [[2], [0]], u) ** 2,
             [((3,), (2,)), ((3, 2), (2, 2))]),
    GradCase("tensor_scatter_nd_max",
             lambda x, u: tf.tensor_scatter_nd_max(x, [[2], [0]], u) ** 2,
             [((3,), (2,))], make_args=_distinct),
    GradCase("tensor_scatter_nd_min",
             lambda x, u: tf.tensor_scatter_nd_min(x, [[2], [0]], u) ** 2,
             [((3,), (2,))], make_args=_distinct),
    GradCase("identity_n", lambda x, y: tf.identity_n([x * y, y])[0] * tf.identity_n([y])[0],
             [((2,), (2,))]),
    GradCase("sort", lambda x: tf.sort(x, axis=0) * tf.sort(x, direction="DESCENDING"),
             [((4,),), ((3, 2),)], make_args=_distinct),
    # the scatter-adds that transpose gather / gather_nd / top_k's take (indices are inputs)
    GradCase("gather_grad", lambda g: ix._gather_grad(g, _IDX, axis=1, shape=(2, 3, 2)) ** 2,
             [((2, 2, 2, 2),)]),
    GradCase("gather_nd_grad",
             lambda g: ix._gather_nd_grad(g, np.array([[0, 1], [1, 2], [0, 1]]), batch_dims=0,
                                          shape=(2, 3, 2)) ** 2, [((3, 2),)]),
    GradCase("put_along_last_axis",
             lambda g: ix._put_along_last(g, np.array([[2, 0], [1, 3]]), n=4) ** 2,
             [((2, 2),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


# -- forward values against NumPy ------------------------------------------------------------------
X = np.arange(24.0).reshape(2, 3, 4)
FORWARD = [
    (lambda: tf.gather(X, [2, 0], axis=-1), np.take(X, [2, 0], axis=-1)),
    (lambda: tf.gather(X, [[0, 2], [1, 1]], axis=1, batch_dims=1),
     np.stack([X[0][[0, 2]], X[1][[1, 1]]])),
    (lambda: tf.gather(X, [[0, 2], [1, 1]], axis=2, batch_dims=1),
     np.stack([X[0][:, [0, 2]], X[1][:, [1, 1]]])),
    (lambda: tf.gather_nd(X, [[1, 2], [0, 0]]), X[[1, 0], [2, 0]]),
    (lambda: tf.gather_nd(X, [[1], [0]], batch_dims=1), np.stack([X[0, 1], X[1, 0]])),
    (lambda: tf.boolean_mask(X, np.array([[True, False, True], [False, False, True]])),
     X[np.array([[True, False, True], [False, False, True]])]),
    (lambda: tf.boolean_mask(X, [True, False, False, True], axis=2), X[:, :, [0, 3]]),
    (lambda: tf.sort(X[..., ::-1], axis=-1), np.sort(X, -1)),
    (lambda: tf.one_hot([1, 3], 3, on_value=5.0, off_value=-1.0, axis=0),
     np.array([[-1, -1], [5, -1], [-1, -1]], np.float32)),
]


@pytest.mark.parametrize("i", range(len(FORWARD)))
def test_forward_matches_numpy(i):
    check_forward(*FORWARD[i])


def test_tf_documented_outputs():
    # TensorFlow 2's outputs for these programs
    np.testing.assert_array_equal(tf.argsort([3.0, 1.0, 3.0], direction="DESCENDING").numpy(),
                                  [0, 2, 1])
    np.testing.assert_array_equal(tf.one_hot([0, 2, -1], 3).numpy(),
                                  [[1, 0, 0], [0, 0, 1], [0, 0, 0]])
    assert tf.one_hot([0], 2).dtype == tf.float32
    # repeated index: the last update wins
    np.testing.assert_array_equal(
        tf.tensor_scatter_nd_update(tf.ones((3, 2)), [[0], [0]], [[1.0, 2.0], [3.0, 4.0]]).numpy(),
        [[3, 4], [1, 1], [1, 1]])


def test_scatter_gradient_reaches_only_written_updates():
    x = tf.Variable([1.0, 2.0, 3.0])
    u = tf.Variable([10.0, 20.0, 30.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.tensor_scatter_nd_update(x, [[2], [0], [2]], u) * [1.0, 2.0, 3.0])
    gx, gu = tape.gradient(y, [x, u])
    np.testing.assert_array_equal(tf.convert_to_tensor(gx).numpy(), [0, 2, 0])
    np.testing.assert_array_equal(tf.convert_to_tensor(gu).numpy(), [0, 1, 3])


# -- sparse gradients ------------------------------------------------------------------------------
def test_gather_on_large_variable_gives_indexed_slices():
    rng = np.random.default_rng(0)
    table = tf.Variable(rng.standard_normal((10000, 64)).astype(np.float32))
    ids = np.array([5, 17, 5, 9999])
    w = rng.standard_normal((4, 64)).astype(np.float32)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(table, ids) * w)
    g = tape.gradient(y, table)
    assert isinstance(g, tf.IndexedSlices)
    assert g.values.shape == (4, 64) and g.dense_shape == (10000, 64)
    np.testing.assert_array_equal(g.indices.numpy(), ids)
    dense = np.zeros((10000, 64), np.float32)
    np.add.at(dense, ids, w)
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), dense)


def test_sparse_gradients_accumulate_and_densify_on_use():
    v = tf.Variable(np.arange(6.0).reshape(3, 2))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(v, [0, 1])) + tf.reduce_sum(tf.gather(v, [1]) * 2.0)
    g = tape.gradient(y, v)
    assert isinstance(g, tf.IndexedSlices)  # two lookups: concatenated rows
    np.testing.assert_array_equal(g.indices.numpy(), [0, 1, 1])
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), [[1, 1], [3, 3], [0, 0]])
    with tf.GradientTape() as tape:  # a dense path too: the sum is dense
        y = tf.reduce_sum(tf.gather(v, [0]) * v[0])
    assert not isinstance(tape.gradient(y, v), tf.IndexedSlices)
    with tf.GradientTape() as tape:  # other axes: dense, as TF
        y = tf.reduce_sum(tf.gather(v, [1], axis=1))
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [[0, 1]] * 3)


def test_second_derivative_through_sparse_gradient():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(tf.gather(v, [2, 0]) ** 3)
        g = inner.gradient(y, v)
        assert isinstance(g, tf.IndexedSlices)
        z = tf.reduce_sum(tf.convert_to_tensor(g) * [1.0, 1.0, 1.0])
        z2 = tf.reduce_sum(tf.reshape(g, [-1]) * [1.0, 2.0, 3.0])  # an op consuming it directly
    # d/dv of 3 v_i^2 at rows 2 and 0
    np.testing.assert_allclose(outer.gradient(z, v).numpy(), [6.0, 0.0, 18.0])
    np.testing.assert_allclose(outer.gradient(z2, v).numpy(), [6.0, 0.0, 54.0])


def test_gather_jacobian_is_dense():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.gather(v, [2, 0]) * 2.0
    np.testing.assert_array_equal(tape.jacobian(y, v).numpy(), [[0, 0, 2], [2, 0, 0]])


def test_boolean_mask_gradient_is_dense():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.boolean_mask(v, [True, False, True]))
    g = tape.gradient(y, v)
    assert isinstance(g, tf.Tensor)
    np.testing.assert_array_equal(g.numpy(), [1, 0, 1])


# -- errors ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("f, exc, words", [
    (lambda: tf.gather(np.ones((2, 3)), [0], axis=2), ValueError, ["gather", "axis 2", "rank 2"]),
    (lambda: tf.gather(np.ones((2, 3)), [3]), InvalidArgumentError, ["gather", "3", "[2, 3]"]),
    (lambda: tf.gather(np.ones((2, 3)), [0.0]), TypeError, ["gather", "float32"]),
    (lambda: tf.boolean_mask(np.ones((2, 3)), [True, False, True]), ValueError,
     ["boolean_mask", "[3]", "[2, 3]"]),
    (lambda: tf.tensor_scatter_nd_update(np.ones(3), [[0]], [1.0, 2.0]), ValueError,
     ["tensor_scatter_nd_update", "[2]", "[1]"]),
    (lambda: tf.gather_nd(np.ones((2, 3)), [[0, 0, 0]]), ValueError, ["gather_nd", "[2, 3]"]),
    (lambda: tf.sort(np.ones(3), direction="UP"), ValueError, ["sort", "UP"]),
])
def test_errors_name_the_op_and_shapes(f, exc, words):
    with pytest.raises(exc) as info:
        f()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_where_python_branches_take_tf_default_dtypes():
    # TF's outputs for these programs: tf.where(True, 2.0, 1) -> float32 2.0,
    # tf.where(True, 2, 1) -> int32 2, tf.where([True], [1.5], [2]) -> float32 [1.5],
    # tf.where([True, False], [1, 2], [3.0, 4.0]) -> TypeError (cannot convert to int32)
    r = tf.where(True, 2.0, 1)
    assert r.dtype == tf.float32 and r.numpy() == 2.0
    r = tf.where(True, 2, 1)
    assert r.dtype == tf.int32 and r.numpy() == 2
    r = tf.where([True, False], 2.0, 1.0)
    assert r.dtype == tf.float32 and r.numpy().tolist() == [2.0, 1.0]
    r = tf.where([True], [1.5], [2])
    assert r.dtype == tf.float32 and r.numpy().tolist() == [1.5]
    with pytest.raises(TypeError, match="where"):
        tf.where([True, False], [1, 2], [3.0, 4.0])
    # TF raises for these too (cannot convert 2.0 to int32, 1 to bool)
    with pytest.raises(TypeError, match="where"):
        tf.where(True, tf.constant(1), 2.0)
    with pytest.raises(TypeError, match="where"):
        tf.where(True, True, 1)
