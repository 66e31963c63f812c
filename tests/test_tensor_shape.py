"""TensorShape with unknown dimensions and unknown rank; the expected values are TF 2.21's
(run with TensorFlow: each line below printed the same there)."""

import pickle

import pytest

import tapegrad as tf


def test_partial_shape_answers_as_tf():
    s, u = tf.TensorShape([None, 3]), tf.TensorShape(None)
    assert (repr(s), str(s), repr(u), str(u)) == ("TensorShape([None, 3])", "(None, 3)",
                                                  "TensorShape(None)", "<unknown>")
    assert s.num_elements() is None and not s.is_fully_defined() and s.rank == 2
    assert u.rank is None and u.ndims is None and u.dims is None and u.num_elements() is None
    assert tf.TensorShape([2, 0]).num_elements() == 0 and tf.TensorShape([]).num_elements() == 1
    assert s.dims == [None, 3] and s.as_list() == [None, 3]


def test_compatibility_merge_and_concatenation():
    s, u = tf.TensorShape([None, 3]), tf.TensorShape(None)
    assert s.is_compatible_with([2, 3]) and not s.is_compatible_with([2, 4])
    assert s.is_compatible_with(u) and u.is_compatible_with([1, 2, 3])
    assert not s.is_compatible_with([3])
    assert s.merge_with([2, None]) == (2, 3) and u.merge_with(s) == s
    assert s.concatenate([4]) == (None, 3, 4) and s + [5] == (None, 3, 5)
    assert str(u.concatenate([1])) == "<unknown>"
    assert s.most_specific_compatible_shape([2, 3]) == (None, 3)
    assert str(s.most_specific_compatible_shape([2, 3, 4])) == "<unknown>"
    assert tf.TensorShape([2, 3]).is_subtype_of(s) and s.is_subtype_of(u)
    assert not s.is_subtype_of([2, 3])
    assert s.with_rank(2) == s and u.with_rank(2) == (None, None)
    assert s.with_rank_at_most(3) == s and s.with_rank_at_least(1) == s


def test_equality_indexing_and_hash():
    s, u = tf.TensorShape([None, 3]), tf.TensorShape(None)
    assert s == [None, 3] and s == (None, 3) and s == tf.TensorShape([None, 3]) and u == u
    assert not s != [None, 3] and u != () and s != u
    assert hash(s) == hash(tf.TensorShape([None, 3]))
    assert s[0] is None and s[1:] == (3,) and isinstance(s[1:], tf.TensorShape)
    assert u[1] is None and u[0:1] == (None,) and str(u[1:]) == "<unknown>"
    assert tf.TensorShape(3) == (3,)
    assert pickle.loads(pickle.dumps(u)) == u and pickle.loads(pickle.dumps(s)) == s


@pytest.mark.parametrize("call, message", [
    (lambda: tf.TensorShape(None).as_list(), r"as_list\(\) is not defined on an unknown"),
    (lambda: len(tf.TensorShape(None)), "Cannot take the length of shape with unknown rank"),
    (lambda: tf.TensorShape([None, 3]).merge_with([2, 4]), r"\(None, 3\) and \(2, 4\) are not"),
    (lambda: tf.TensorShape([None, 3]).with_rank(3), "must have rank 3"),
    (lambda: tf.TensorShape([None, 3]).assert_is_fully_defined(), "is not fully defined"),
    (lambda: tf.TensorShape([None, 3]).assert_is_compatible_with([1, 2]), "incompatible"),
    (lambda: tf.TensorShape([None, 3]).with_rank_at_least(3), "rank at least 3"),
    (lambda: tf.TensorShape([-1]), "negative"),
])
def test_refusals_are_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bad_dimension_type_names_the_class():
    with pytest.raises(TypeError, match="TensorShape.*str"):
        tf.TensorShape(["a"])


def test_eager_shapes_stay_fully_defined_tuples():
    t = tf.zeros((2, 3))
    assert t.shape.is_fully_defined() and t.shape.num_elements() == 6
    assert tuple(t.shape) == (2, 3) and t.shape.is_compatible_with([None, 3])


def test_tensor_spec_shape_is_a_tensor_shape():
    spec = tf.TensorSpec([None, 3])
    assert isinstance(spec.shape, tf.TensorShape) and spec.shape == (None, 3)
    assert repr(tf.TensorSpec([3])) == "TensorSpec(shape=(3,), dtype=tf.float32, name=None)"
    unknown = tf.TensorSpec(None, tf.int32)
    assert unknown.shape.rank is None and unknown.is_compatible_with(tf.zeros((2, 2), tf.int32))
    assert repr(unknown) == "TensorSpec(shape=<unknown>, dtype=tf.int32, name=None)"
