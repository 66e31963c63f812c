"""Reductions (ops/reduce.py): gradients over axes and keepdims, values against NumPy, TF's
numbers."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import UNARY_SHAPES, GradCase, check_grads, value_and_gradients

R2 = [((2, 3),)]
R3 = [((2, 3, 4),)]
RANK1UP = [((3,),), ((2, 3),)]


def _nonzero(rng, shapes):
    """|x| in [0.5, 1.5] with random signs: products and norms stay away from 0."""
    return [rng.choice([-1.0, 1.0], s) * rng.uniform(0.5, 1.5, s) for s in shapes]


def _reduction_cases(name, f, make_args=None, domain=(-2.0, 2.0), shapes=UNARY_SHAPES):
    kw = dict(make_args=make_args, domain=domain)
    return [
        GradCase(name, f, shapes + R3, **kw),
        GradCase(f"{name}_axis0", lambda x: f(x, axis=0), RANK1UP, **kw),
        GradCase(f"{name}_axis-1_keepdims", lambda x: f(x, axis=-1, keepdims=True),
                 RANK1UP + R3, **kw),
        GradCase(f"{name}_axes02", lambda x: f(x, axis=[0, 2]), R3, **kw),
        GradCase(f"{name}_all_keepdims", lambda x: f(x, keepdims=True), R2, **kw),
    ]


GRAD_CASES = (
    _reduction_cases("reduce_sum", tf.reduce_sum)
    + _reduction_cases("reduce_mean", tf.reduce_mean)
    + _reduction_cases("reduce_max", tf.reduce_max)  # continuous random inputs: no ties
    + _reduction_cases("reduce_min", tf.reduce_min)
    + _reduction_cases("reduce_prod", tf.reduce_prod, make_args=_nonzero)
    + _reduction_cases("reduce_logsumexp", tf.reduce_logsumexp)
    + _reduction_cases("reduce_variance", tf.math.reduce_variance)
    + _reduction_cases("reduce_std", tf.math.reduce_std, shapes=RANK1UP)  # std' at 0 is NaN
    + _reduction_cases("reduce_euclidean_norm", tf.math.reduce_euclidean_norm, _nonzero)
)


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def _grad(f, *xs):
    return value_and_gradients(f, *xs, dtype=np.float32)


# -- forward values against NumPy -----------------------------------------------------------------
X = np.random.default_rng(0).uniform(-2, 2, (2, 3, 4))
AXES = [None, 0, -1, (0, 2), [1]]


@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_values(axis, keepdims):
    npax = tuple(axis) if isinstance(axis, list) else axis
    refs = {
        tf.reduce_sum: np.sum, tf.reduce_mean: np.mean, tf.reduce_max: np.max,
        tf.reduce_min: np.min, tf.reduce_prod: np.prod,
        tf.reduce_logsumexp: lambda x, axis, keepdims: np.log(np.sum(np.exp(x), axis=axis,
                                                                     keepdims=keepdims)),
        tf.math.reduce_variance: np.var, tf.math.reduce_std: np.std,
    }
    for f, ref in refs.items():
        got = f(X, axis=axis, keepdims=keepdims).numpy()
        want = ref(X, axis=npax, keepdims=keepdims)
        assert np.shape(got) == np.shape(want), f
        np.testing.assert_allclose(got, want, rtol=1e-13, err_msg=str(f))
    b = X > 0
    assert np.array_equal(tf.reduce_any(b, axis, keepdims).numpy(), np.any(b, npax, None, keepdims))
    assert np.array_equal(tf.reduce_all(b, axis, keepdims).numpy(), np.all(b, npax, None, keepdims))


def test_integer_reductions_keep_the_dtype():
    # TF: int32 in, int32 out; the integer mean truncates toward zero ([-1, -2] -> -1)
    assert tf.reduce_sum([1, 2]).dtype == tf.int32
    assert tf.reduce_prod([[1, 7], [3, 4]]).numpy() == 84
    assert tf.reduce_prod([[1, 7], [3, 4]]).dtype == tf.int32
    assert tf.reduce_mean([-1, -2]).numpy() == -1 and tf.reduce_mean([-3, 0]).numpy() == -1
    assert tf.reduce_mean([[7, 8]], axis=1).numpy().tolist() == [7]
    assert tf.reduce_max([[1, 7], [3, 4]], axis=0).numpy().tolist() == [3, 7]


def test_count_nonzero_and_euclidean_norm_values():
    x = np.array([[0.0, 1.5, -2.0], [0.0, 0.0, 3.0]])
    c = tf.math.count_nonzero(x, axis=1)
    assert c.dtype == tf.int64 and c.numpy().tolist() == [2, 1]
    assert tf.math.count_nonzero(x, keepdims=True, dtype=tf.int32).numpy().tolist() == [[3]]
    assert int(tf.math.count_nonzero([True, False, True])) == 2
    np.testing.assert_allclose(tf.math.reduce_euclidean_norm(x, axis=0).numpy(),
                               np.linalg.norm(x, axis=0), rtol=1e-15)


def test_logsumexp_is_stable():
    np.testing.assert_allclose(tf.reduce_logsumexp([1000.0, 1000.0]).numpy(), 1000 + np.log(2))
    np.testing.assert_allclose(tf.reduce_logsumexp([-1000.0, -1000.0]).numpy(), -1000 + np.log(2))
    assert tf.reduce_logsumexp([-np.inf, -np.inf]).numpy() == -np.inf


# -- TF's numbers (outputs of TF 2 for the same programs, float32) ---------------------------------
def test_reduce_max_min_split_ties_evenly():
    # TF: d/dx reduce_max([1, 3, 3]) = [0, .5, .5]
    y, (dx,) = _grad(tf.reduce_max, [1.0, 3.0, 3.0])
    assert y == 3.0 and dx.tolist() == [0.0, 0.5, 0.5]
    y, (dx,) = _grad(lambda x: tf.reduce_min(x, axis=1), [[2.0, 2.0, 5.0], [1.0, 4.0, 1.0]])
    assert dx.tolist() == [[0.5, 0.5, 0.0], [0.5, 0.0, 0.5]]
    y, (dx,) = _grad(lambda x: tf.norm(x, ord=np.inf), [3.0, -3.0, 1.0])
    assert dx.tolist() == [0.5, -0.5, 0.0]


def test_reduce_prod_gradient_with_zeros():
    # TF: [0, 6, 0] for [2, 0, 3]; [0, 0, 0] for [0, 0, 3]
    assert _grad(tf.reduce_prod, [2.0, 0.0, 3.0])[1][0].tolist() == [0.0, 6.0, 0.0]
    assert _grad(tf.reduce_prod, [0.0, 0.0, 3.0])[1][0].tolist() == [0.0, 0.0, 0.0]
    # second derivatives: d2/dxi dxj of x0 x1 x2 is the third entry (away from zeros; through
    # a zero they are NaN here, and TF's are wrong there)
    x = tf.constant([2.0, 0.5, 3.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_prod(x)
        g = inner.gradient(y, x)
    h = outer.jacobian(g, x).numpy()
    np.testing.assert_allclose(h, [[0, 3, 0.5], [3, 0, 2], [0.5, 2, 0]])


def test_reduce_std_and_logsumexp_tf_numbers():
    y, (dx,) = _grad(tf.math.reduce_std, [1.0, 2.0, 4.0])
    np.testing.assert_allclose(y, 1.247219204902649, rtol=1e-6)
    np.testing.assert_allclose(dx, [-0.35634834, -0.08908708, 0.44543537], rtol=1e-5)
    y, (dx,) = _grad(tf.reduce_logsumexp, [1000.0, 1000.0])
    assert float(y) == pytest.approx(1000.6931762695312, rel=1e-7)  # 1000 + log 2
    assert dx.tolist() == [0.5, 0.5]


def test_batched_jacobian_of_reductions_matches_loop():
    # one vectorized backward pass through every axis-aware VJP
    x = np.random.default_rng(1).uniform(0.5, 1.5, (2, 3, 2))
    for f in [lambda x: tf.reduce_prod(x, axis=[0, 2]), lambda x: tf.reduce_max(x, axis=1),
              lambda x: tf.reduce_logsumexp(x, 0)]:
        check_grads(f, [x], order=2, modes=("jac",))


# -- errors ----------------------------------------------------------------------------------------
def test_bad_axis_names_op_and_rank():
    with pytest.raises(InvalidArgumentError, match=r"reduce_max: invalid reduction axis 2 .*rank"):
        tf.reduce_max(np.ones((2, 3)), axis=2)
    with pytest.raises(ValueError, match="reduce_sum"):
        tf.reduce_sum([1.0, 2.0], axis=-2)


def test_bad_dtypes_and_arguments():
    with pytest.raises(TypeError, match=r"reduce_variance: expects a float tensor, got int32"):
        tf.math.reduce_variance([1, 2])
    with pytest.raises(TypeError, match=r"reduce_any: expects a bool tensor, got float32"):
        tf.reduce_any([1.0, 0.0])


def test_reduce_mean_gradient_values_and_size1_axes():
    x = tf.constant(np.arange(6.0).reshape(1, 2, 3))
    for axis, keepdims, n in [(None, False, 6), (2, True, 3), (0, False, 1), ([0, 1], True, 2)]:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_mean(x, axis=axis, keepdims=keepdims) * 3.0
        g = tape.gradient(y, x)
        np.testing.assert_array_equal(g.numpy(), np.full((1, 2, 3), 3.0 / n))
    # batched cotangents (jacobian) through a size-1 reduction keep their leading dims
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_mean(x, axis=0)
    np.testing.assert_array_equal(tape.jacobian(y, x).numpy().reshape(6, 6), np.eye(6))
