"""Norms and clipping (ops/norms.py): gradients, values against NumPy, TF's numbers."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.ops import norms
from tapegrad.testing import UNARY_SHAPES, GradCase, value_and_gradients

R2 = [((2, 3),)]
R3 = [((2, 3, 4),)]
RANK1UP = [((3,),), ((2, 3),)]


def _nonzero(rng, shapes):
    """|x| in [0.5, 1.5] with random signs: products and norms stay away from 0."""
    return [rng.choice([-1.0, 1.0], s) * rng.uniform(0.5, 1.5, s) for s in shapes]


def _big(rng, shapes):
    """Norm of at least 2 (so clip_by_norm(x, 1) clips)."""
    return [rng.uniform(1.0, 2.0, s) * rng.choice([-1.0, 1.0], s) for s in shapes]


def _clip_args(rng, shapes):
    """Values 0.1 away from the clip bounds -0.5 and 0.5."""
    x = rng.uniform(0.1, 0.4, shapes[0]) * rng.choice([-1.0, 1.0], shapes[0])
    far = rng.random(shapes[0]) < 0.5
    return [np.where(far, x * 4, x)]


GRAD_CASES = [
    GradCase("norm_euclidean", tf.norm, UNARY_SHAPES[1:] + R3, make_args=_nonzero),
    GradCase("norm_axis", lambda x: tf.norm(x, axis=-1), RANK1UP, make_args=_nonzero),
    GradCase("norm_1", lambda x: tf.norm(x, ord=1, axis=0), RANK1UP, make_args=_nonzero),
    GradCase("norm_2", lambda x: tf.norm(x, ord=2, axis=1, keepdims=True), R2,
             make_args=_nonzero),
    GradCase("norm_inf", lambda x: tf.norm(x, ord=np.inf, axis=-1), RANK1UP),
    GradCase("norm_p3", lambda x: tf.norm(x, ord=3), RANK1UP, make_args=_nonzero),
    GradCase("norm_fro", lambda x: tf.norm(x, ord="fro", axis=[0, 1]), R2 + [((3, 2),)],
             make_args=_nonzero),
    GradCase("norm_matrix_1", lambda x: tf.norm(x, ord=1, axis=[-2, -1]), R3 + R2),
    GradCase("norm_matrix_inf", lambda x: tf.norm(x, ord=np.inf, axis=[1, 0]), R2),
    GradCase("clip_by_value", lambda x: tf.clip_by_value(x, -0.5, 0.5), UNARY_SHAPES,
             make_args=_clip_args),
    GradCase("clip_by_value_tensor_bounds", lambda x, lo, hi: tf.clip_by_value(x, lo, hi),
             [((2, 3), (3,), (3,))], make_args=lambda rng, s: [
                 rng.uniform(-2, 2, s[0]), rng.uniform(-3, -2.5, s[1]),
                 rng.uniform(2.5, 3, s[2])]),
    GradCase("clip_by_norm_clips", lambda x: tf.clip_by_norm(x, 1.0), UNARY_SHAPES[1:],
             make_args=_big),
    GradCase("clip_by_norm_passes", lambda x: tf.clip_by_norm(x, 100.0), UNARY_SHAPES),
    GradCase("clip_by_norm_axes", lambda x: tf.clip_by_norm(x, 1.0, axes=[1]), R2,
             make_args=_big),
    GradCase("clip_by_global_norm",
             lambda x, y: tf.clip_by_global_norm([x, None, y], 1.0)[0][2],
             [((3,), (2, 3))], make_args=_big),
    GradCase("global_norm", lambda x, y: norms.global_norm([x, y]), [((3,), (2, 3))],
             make_args=_nonzero),
    GradCase("l2_normalize", tf.math.l2_normalize, UNARY_SHAPES[1:], make_args=_nonzero),
    GradCase("l2_normalize_axis", lambda x: tf.math.l2_normalize(x, axis=0), R2,
             make_args=_nonzero),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def _grad(f, *xs):
    return value_and_gradients(f, *xs, dtype=np.float32)


# -- forward values against NumPy -----------------------------------------------------------------
X = np.random.default_rng(0).uniform(-2, 2, (2, 3, 4))


@pytest.mark.parametrize("ord_, axis", [("euclidean", None), (1, None), (2, 0), (np.inf, -1),
                                        (3, 1), (0.5, None), ("fro", (0, 1)), (1, (0, 1)),
                                        (np.inf, (0, 1)), ("euclidean", (1, 0))])
def test_norm_values(ord_, axis):
    x = X[0]
    got = tf.norm(x, ord=ord_, axis=list(axis) if isinstance(axis, tuple) else axis).numpy()
    if axis is None:
        want = np.linalg.norm(x.ravel(), ord=2 if ord_ == "euclidean" else ord_)
    elif isinstance(axis, tuple):
        want = np.linalg.norm(x, ord="fro" if ord_ == "euclidean" else ord_, axis=axis)
    else:
        want = np.linalg.norm(x, ord=ord_, axis=axis)
    np.testing.assert_allclose(got, want, rtol=1e-13)
    kept = tf.norm(x, ord=ord_, axis=list(axis) if isinstance(axis, tuple) else axis,
                   keepdims=True)
    assert kept.shape.rank == 2


def test_clipping_values():
    np.testing.assert_array_equal(tf.clip_by_value([-2.0, 0.2, 3.0], -1.0, 1.0).numpy(),
                                  np.float32([-1.0, 0.2, 1.0]))
    np.testing.assert_allclose(tf.clip_by_norm([[3.0, 4.0], [0.3, 0.4]], 1.0, axes=[1]).numpy(),
                               [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
    s = tf.IndexedSlices(tf.constant([[3.0, 4.0]]), tf.constant([1]), [3, 2])
    clipped = tf.clip_by_norm(s, 1.0)
    assert isinstance(clipped, tf.IndexedSlices)
    np.testing.assert_allclose(clipped.values.numpy(), [[0.6, 0.8]], rtol=1e-6)
    np.testing.assert_allclose(tf.math.l2_normalize([[3.0, 4.0]], axis=1).numpy(), [[0.6, 0.8]])


# -- TF's numbers (outputs of TF 2 for the same programs, float32) ---------------------------------
def test_clip_by_value_gradient_at_the_bounds():
    # TF: [0, 1, 1, 1, 0] for clip_by_value([-1, 0, .5, 1, 2], 0, 1): ties pass the gradient
    y, (dx,) = _grad(lambda x: tf.clip_by_value(x, 0.0, 1.0), [-1.0, 0.0, 0.5, 1.0, 2.0])
    assert y.tolist() == [0.0, 0.0, 0.5, 1.0, 1.0] and dx.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NaN/inf on purpose
def test_norm_clip_and_l2_normalize_tf_numbers():
    y, (dx,) = _grad(lambda x: tf.clip_by_norm(x, 1.0), [3.0, 4.0])
    np.testing.assert_allclose(dx, [0.031999990344047546, -0.024000003933906555], rtol=1e-5)
    y, (dx,) = _grad(lambda x: tf.clip_by_norm(x, 1.0), [0.0, 0.0])  # TF: [1, 1], no NaN
    assert dx.tolist() == [1.0, 1.0]
    y, (dx,) = _grad(tf.norm, [0.0, 0.0])  # TF: NaN at the zero vector
    assert np.isnan(dx).all()
    y, (dx,) = _grad(tf.math.l2_normalize, [0.0, 0.0])  # TF: 1e6 = rsqrt(epsilon)
    np.testing.assert_allclose(dx, [1e6, 1e6])


def test_clip_by_global_norm():
    # TF: ([[1.2], None, [[1.6]]], 5.0); with an inf entry every value is NaN, norm inf
    clipped, norm = tf.clip_by_global_norm([tf.constant([3.0]), None, tf.constant([[4.0]])], 2.0)
    assert clipped[1] is None and float(norm) == 5.0
    np.testing.assert_allclose(clipped[0].numpy(), [1.2], rtol=1e-6)
    np.testing.assert_allclose(clipped[2].numpy(), [[1.6]], rtol=1e-6)
    clipped, norm = tf.clip_by_global_norm([tf.constant([np.inf, 1.0])], 2.0)
    assert np.isnan(clipped[0].numpy()).all() and float(norm) == np.inf
    small, norm = tf.clip_by_global_norm([tf.constant([0.3, 0.4])], 2.0)
    np.testing.assert_allclose(small[0].numpy(), [0.3, 0.4], rtol=1e-6)


# -- errors ----------------------------------------------------------------------------------------
def test_bad_axis_names_op():
    with pytest.raises(ValueError, match="norm"):
        tf.norm(np.ones((2, 3)), axis=[0, 1, 1])


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"norm: 'ord' must be a supported vector norm"):
        tf.norm([1.0, 2.0], ord=-1)
    with pytest.raises(ValueError, match=r"norm: 'ord' must be a supported matrix norm"):
        tf.norm(np.ones((2, 2)), ord=3, axis=[0, 1])
    with pytest.raises(TypeError, match="clip_by_global_norm: t_list should be a sequence"):
        tf.clip_by_global_norm(tf.constant([1.0]), 1.0)
    with pytest.raises(InvalidArgumentError, match=r"clip_by_value.*\[3\].*\[2\]"):
        tf.clip_by_value([1.0, 2.0], [0.0, 0.0, 0.0], 1.0)


def test_l2_normalize_complex_scales_by_the_modulus_as_tf():
    x = np.array([[3 + 4j, 1 - 2j], [0.5j, 2.0]], np.complex128)
    want = x / np.sqrt((np.abs(x) ** 2).sum(1, keepdims=True))  # TF: |x|² in the real dtype
    got = tf.math.l2_normalize(x, axis=1)
    assert got.dtype == tf.complex128
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
