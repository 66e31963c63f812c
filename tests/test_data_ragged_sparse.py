"""ragged_batch / sparse_batch and their specs, against TF 2.21's outputs on the same pipelines
(recorded with TF: element_spec reprs, as_numpy_iterator values, SparseTensor parts, errors)."""

import numpy as np
import pytest

import tapegrad as tf

Dataset = tf.data.Dataset


def _ranges():
    return Dataset.range(5).map(lambda x: tf.range(x))


def test_ragged_batch_spec_values_and_tensors_as_tf():
    rb = _ranges().ragged_batch(2)
    assert repr(rb.element_spec) == \
        "RaggedTensorSpec(TensorShape([None, None]), tf.int64, 1, tf.int64)"
    assert rb.element_spec == tf.RaggedTensorSpec([None, None], tf.int64, 1, tf.int64)
    assert repr(_ranges().ragged_batch(2, drop_remainder=True).element_spec) == \
        "RaggedTensorSpec(TensorShape([2, None]), tf.int64, 1, tf.int64)"
    first = next(iter(rb))
    assert isinstance(first, tf.RaggedTensor) and first.to_list() == [[], [0]]
    got = list(rb.as_numpy_iterator())
    # TF: object arrays of rows, and one 2-D array when the rows agree ([[0, 1, 2, 3]])
    assert got[0].dtype == object and [r.tolist() for r in got[0]] == [[], [0]]
    assert [r.tolist() for r in got[1]] == [[0, 1], [0, 1, 2]]
    assert got[2].dtype == np.int64 and got[2].tolist() == [[0, 1, 2, 3]]


def test_ragged_batch_of_structures_keeps_inner_dims_and_stacks_scalars():
    ds = Dataset.range(6).map(lambda x: (tf.reshape(tf.range(x * 2), (x, 2)), x,
                                         {"s": tf.fill([x % 3], "ab")}))
    rb = ds.ragged_batch(3)
    m, n, d = rb.element_spec
    assert repr(m) == "RaggedTensorSpec(TensorShape([None, None, 2]), tf.int64, 1, tf.int64)"
    assert (n.shape, n.dtype) == ((None,), tf.int64)
    assert repr(d["s"]) == "RaggedTensorSpec(TensorShape([None, None]), tf.string, 1, tf.int64)"
    a, b, c = next(rb.as_numpy_iterator())
    assert [r.shape for r in a] == [(0, 2), (1, 2), (2, 2)] and a[2].tolist() == [[0, 1], [2, 3]]
    assert b.tolist() == [0, 1, 2]
    assert [r.tolist() for r in c["s"]] == [[], [b"ab"], [b"ab", b"ab"]]


def test_sparse_batch_as_tf():
    sb = _ranges().sparse_batch(2, [5])
    assert repr(sb.element_spec) == "SparseTensorSpec(TensorShape([None, 5]), tf.int64)"
    first = next(iter(sb))
    assert first.indices.numpy().tolist() == [[1, 0]] and first.values.numpy().tolist() == [0]
    assert first.dense_shape.numpy().tolist() == [2, 5]
    second = list(sb.as_numpy_iterator())[1]  # TF 2.21 gives the dense array here
    assert second.tolist() == [[0, 1, 0, 0, 0], [0, 1, 2, 0, 0]]
    with pytest.raises(tf.errors.DataLossError,
                       match=r"Input element had shape \(\[3\]\) that is larger than the row "
                             r"shape \(\[2\]\)"):
        list(_ranges().sparse_batch(2, [2]))
    with pytest.raises(ValueError, match="row_shape"):
        _ranges().sparse_batch(2, [-1])


def test_experimental_names_and_gradient_through_a_ragged_batch():
    ex = tf.data.experimental
    assert next(iter(_ranges().apply(ex.dense_to_ragged_batch(3)))).to_list() == [[], [0], [0, 1]]
    sp = next(iter(_ranges().apply(ex.dense_to_sparse_batch(3, [2]))))
    assert sp.dense_shape.numpy().tolist() == [3, 2]
    rt = next(iter(Dataset.from_tensor_slices([[1.0, 2.0], [3.0, 4.0]]).ragged_batch(2)))
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(rt.flat_values * v)
    assert float(tape.gradient(loss, v)) == 10.0


def test_slices_of_a_ragged_tensor_batch_into_ragged_tensors_as_tf():
    rt = tf.ragged.constant([[1], [2, 3], [], [4, 5, 6]])
    ds = Dataset.from_tensor_slices(rt)
    # TF 2.21: each row is a dense tensor; the spec is ragged of ragged rank 0
    assert repr(ds.element_spec) == "RaggedTensorSpec(TensorShape([None]), tf.int32, 0, tf.int64)"
    rows = list(ds)
    assert all(r.dtype == tf.int32 for r in rows)
    assert [r.numpy().tolist() for r in rows] == [[1], [2, 3], [], [4, 5, 6]]
    got = list(ds.as_numpy_iterator())
    assert all(type(v) is np.ndarray and v.dtype == np.int32 for v in got)
    b = ds.batch(2)
    assert repr(b.element_spec) == \
        "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)"
    assert repr(ds.batch(2, drop_remainder=True).element_spec) == \
        "RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)"
    assert [x.to_list() for x in b] == [[[1], [2, 3]], [[], [4, 5, 6]]]
    shuffled = Dataset.from_tensor_slices((rt, [0, 1, 2, 3])).shuffle(4, seed=1).batch(4)
    rows, labels = next(iter(shuffled))
    assert sorted(zip(labels.numpy().tolist(), rows.to_list())) == \
        [(0, [1]), (1, [2, 3]), (2, []), (3, [4, 5, 6])]
    with pytest.raises(tf.errors.InvalidArgumentError, match="ragged rank 1 only"):
        Dataset.from_tensor_slices(tf.ragged.constant([[[1]], [[2, 3]]]))
