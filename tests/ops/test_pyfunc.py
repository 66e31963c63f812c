"""Gradient cases for tapegrad/pyfunc.py's differentiable functions (the behaviour tests are in
tests/test_pyfunc_datasets.py)."""

import pytest

import tapegrad as tf
from tapegrad.testing import GradCase

GRAD_CASES = [
    GradCase("py_function", lambda x: tf.py_function(lambda v: tf.sin(v) * v, [x], tf.float64),
             [((3,),), ((2, 3),)]),
    GradCase("vectorized_map", lambda x: tf.vectorized_map(lambda r: r * tf.reduce_sum(r), x),
             [((2, 3),)]),
    GradCase("ensure_shape", lambda x: tf.ensure_shape(x, [None, 3]) ** 2, [((2, 3),)]),
    # a shift has derivative 1, so the pass-through gradient is the true one here
    GradCase("grad_pass_through", lambda x: tf.grad_pass_through(lambda v: v + 0.5)(x) * x,
             [((3,),)], modes=("rev",)),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()
