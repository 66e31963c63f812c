"""tf.sparse (ops/sparse.py) and the counting ops (ops/counting.py): values against TF 2.21
(tests/data/tf_sparse.json, from tools/record_sparse.py) and gradients through the values."""

import json
import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

with open(os.path.join(os.path.dirname(__file__), "..", "data", "tf_sparse.json")) as _f:
    DATA = json.load(_f)
ENV = {"tf": tf}
exec(DATA["setup"], ENV)  # noqa: S102 - the recorded setup text


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["call"] for c in DATA["cases"]])
def test_as_tf(case):
    got = np.asarray(eval(case["call"], ENV))  # noqa: S307 - the recorded texts
    want = np.asarray(case["value"], dtype=case["dtype"])
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


IDX = [[0, 0], [1, 2], [2, 1], [2, 3]]


def _sp(v):
    return tf.sparse.SparseTensor(IDX, v, [3, 4])


GRAD_CASES = [
    GradCase("sparse_to_dense", lambda v: tf.sparse.to_dense(_sp(v)) ** 2, [((4,),)]),
    GradCase("sparse_add", lambda v: tf.sparse.add(_sp(v), _sp(v * v)).values * v[0],
             [((4,),)]),
    GradCase("sparse_add_dense", lambda v, d: tf.sparse.add(_sp(v), d) ** 2,
             [((4,), (3, 4))]),
    GradCase("sparse_dense_matmul", lambda v, b: tf.sparse.sparse_dense_matmul(_sp(v), b) ** 2,
             [((4,), (4, 2))]),
    GradCase("sparse_dense_matmul_adjoint", lambda v, b: tf.sparse.sparse_dense_matmul(
        _sp(v), b, adjoint_a=True, adjoint_b=True), [((4,), (2, 3))]),
    GradCase("sparse_reduce_sum", lambda v: tf.sparse.reduce_sum(_sp(v * v), axis=0),
             [((4,),)]),
    GradCase("sparse_softmax", lambda v: tf.sparse.softmax(_sp(v)).values, [((4,),)]),
    GradCase("sparse_reshape_slice_concat", lambda v: tf.sparse.to_dense(tf.sparse.concat(
        0, [tf.sparse.slice(_sp(v), [1, 0], [2, 4]), tf.sparse.reshape(_sp(v), [6, 2])],
        expand_nonconcat_dims=True)) ** 2, [((4,),)]),
    GradCase("sparse_transpose_retain", lambda v: tf.sparse.retain(
        tf.sparse.transpose(_sp(v)), [True, False, True, True]).values ** 3, [((4,),)]),
    GradCase("from_dense", lambda x: tf.sparse.from_dense(x).values ** 2, [((2, 3),)]),
    GradCase("segment_max_sorted", lambda x: tf.math.segment_max(x, [0, 0, 2]),
             [((3,),), ((3, 2),)]),
    GradCase("segment_min_sorted", lambda x: tf.math.segment_min(x, [1, 1, 2]), [((3, 2),)]),
    GradCase("unsorted_segment_sqrt_n",
             lambda x: tf.math.unsorted_segment_sqrt_n(x, [1, 0, 1], 3), [((3,),), ((3, 2),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def test_errors():
    with pytest.raises(InvalidArgumentError, match="SparseTensor: indices must be"):
        tf.sparse.SparseTensor([[0, 0]], [1.0, 2.0], [2, 2])
    with pytest.raises(InvalidArgumentError, match="out of bounds"):
        tf.sparse.to_dense(tf.sparse.SparseTensor([[5]], [1.0], [3]))
    with pytest.raises(InvalidArgumentError, match="call tf.sparse.reorder"):
        tf.sparse.to_dense(tf.sparse.SparseTensor([[2], [0]], [1.0, 2.0], [3]))
    with pytest.raises(TypeError, match="expected a SparseTensor"):
        tf.sparse.to_dense(tf.ones([2]))
    with pytest.raises(InvalidArgumentError, match="sparse_dense_matmul: cannot multiply"):
        tf.sparse.sparse_dense_matmul(_sp(tf.ones(4)), tf.ones([3, 2]))
    with pytest.raises(InvalidArgumentError, match="bincount: arr must be non-negative"):
        tf.math.bincount([-1, 2])
    with pytest.raises(InvalidArgumentError, match="segment_max: segment_ids must be sorted"):
        tf.math.segment_max([1.0, 2.0], [1, 0])


def test_sparse_properties():
    st = _sp([1.0, 2.0, 3.0, 4.0])
    assert st.shape == (3, 4) and st.dtype == tf.float32
    assert st.dense_shape.dtype == tf.int64 and st.indices.dtype == tf.int64
    assert "SparseTensor(indices=" in repr(st)
