"""tapegrad.function's reduce_retracing counts traces as TF 2.21 does (counts recorded with TF)."""

import warnings

import numpy as np

import tapegrad as tf


def _counts(shapes, **kw):
    f = tf.function(lambda x: x * 2.0, **kw)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for s in shapes:
            np.testing.assert_array_equal(f(tf.ones(s)).numpy(), 2.0 * np.ones(s))
            out.append(f.experimental_get_tracing_count())
    return out


def test_reduce_retracing_relaxes_dims_then_ranks_as_tf():
    # TF 2.21: [2] traces, [3] retraces with shape [None], [2, 2] with an unknown rank
    assert _counts([[2], [3], [4], [5], [2, 2], [3, 3], [2], [4, 4]], reduce_retracing=True) \
        == [1, 2, 2, 2, 3, 3, 3, 3]
    assert _counts([[2, 3], [2, 4], [3, 4], [5, 5]], reduce_retracing=True) == [1, 2, 3, 3]


def test_without_it_every_shape_traces():
    assert _counts([[2], [3], [2], [4]]) == [1, 2, 2, 3]


def test_dtype_and_python_values_still_retrace():
    f = tf.function(lambda x, k: x * k, reduce_retracing=True)
    f(tf.ones([2]), 1)
    f(tf.ones([3]), 1)
    f(tf.ones([4]), 1)
    assert f.experimental_get_tracing_count() == 2
    f(tf.ones([4]), 2)                       # a new Python value: a new trace
    f(tf.ones([4], tf.float64), 2)           # a new dtype: a new trace
    assert f.experimental_get_tracing_count() == 4
