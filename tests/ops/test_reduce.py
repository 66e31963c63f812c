"""Reductions, norms, clipping, scans, top-k and segment sums: gradients, values, TF numbers."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.ops import reduce as r
from tapegrad.testing import UNARY_SHAPES, GradCase, check_grads

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
    + [
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
        GradCase("global_norm", lambda x, y: r.global_norm([x, y]), [((3,), (2, 3))],
                 make_args=_nonzero),
        GradCase("l2_normalize", tf.math.l2_normalize, UNARY_SHAPES[1:], make_args=_nonzero),
        GradCase("l2_normalize_axis", lambda x: tf.math.l2_normalize(x, axis=0), R2,
                 make_args=_nonzero),
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
        GradCase("segment_gather", lambda x: r._segment_gather(x, ids=np.array([2, -1, 2, 0]),
                                                               nb=0), [((3,),), ((3, 2),)]),
    ]
)


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def _grad(f, *xs):
    xs = [tf.constant(np.asarray(x, np.float32)) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    return y.numpy(), [None if g is None else g.numpy() for g in tape.gradient(y, xs)]


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
    y, (dx,) = _grad(tf.math.reduce_std, [1.0, 2.0, 4.0])
    np.testing.assert_allclose(y, 1.247219204902649, rtol=1e-6)
    np.testing.assert_allclose(dx, [-0.35634834, -0.08908708, 0.44543537], rtol=1e-5)
    y, (dx,) = _grad(tf.reduce_logsumexp, [1000.0, 1000.0])
    assert float(y) == 1000.6931762695312 and dx.tolist() == [0.5, 0.5]


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


def test_batched_jacobian_of_reductions_matches_loop():
    # one vectorized backward pass through every axis-aware VJP
    x = np.random.default_rng(1).uniform(0.5, 1.5, (2, 3, 2))
    for f in [lambda x: tf.reduce_prod(x, axis=[0, 2]), lambda x: tf.reduce_max(x, axis=1),
              lambda x: tf.math.cumsum(x, axis=1, reverse=True),
              lambda x: tf.math.cumprod(x, axis=2, exclusive=True),
              lambda x: tf.math.unsorted_segment_sum(x, [[0, 1, 0], [1, 1, 0]], 2),
              lambda x: tf.math.top_k(x, 1).values, lambda x: tf.reduce_logsumexp(x, 0)]:
        check_grads(f, [x], order=2, modes=("jac",))


# -- errors ----------------------------------------------------------------------------------------
def test_bad_axis_names_op_and_rank():
    with pytest.raises(InvalidArgumentError, match=r"reduce_max: invalid reduction axis 2 .*rank"):
        tf.reduce_max(np.ones((2, 3)), axis=2)
    with pytest.raises(ValueError, match="reduce_sum"):
        tf.reduce_sum([1.0, 2.0], axis=-2)
    with pytest.raises(ValueError, match=r"cumsum: axis 3 is out of range .*rank 2"):
        tf.math.cumsum(np.ones((2, 3)), axis=3)
    with pytest.raises(ValueError, match="argmax"):
        tf.math.argmax(np.ones((2, 3)), axis=2)
    with pytest.raises(ValueError, match="norm"):
        tf.norm(np.ones((2, 3)), axis=[0, 1, 1])


def test_bad_dtypes_and_arguments():
    with pytest.raises(TypeError, match=r"reduce_variance: expects a float tensor, got int32"):
        tf.math.reduce_variance([1, 2])
    with pytest.raises(TypeError, match=r"reduce_any: expects a bool tensor, got float32"):
        tf.reduce_any([1.0, 0.0])
    with pytest.raises(ValueError, match=r"norm: 'ord' must be a supported vector norm"):
        tf.norm([1.0, 2.0], ord=-1)
    with pytest.raises(ValueError, match=r"norm: 'ord' must be a supported matrix norm"):
        tf.norm(np.ones((2, 2)), ord=3, axis=[0, 1])
    with pytest.raises(InvalidArgumentError, match=r"top_k.*k=4.*\[3\]"):
        tf.math.top_k([1.0, 2.0, 3.0], k=4)
    with pytest.raises(InvalidArgumentError, match=r"segment id 5 is out of range \[0, 3\)"):
        tf.math.unsorted_segment_sum([1.0, 2.0], [0, 5], 3)
    with pytest.raises(InvalidArgumentError, match=r"segment_sum: segment_ids must be a sorted"):
        tf.math.segment_sum([1.0, 2.0], [1, 0])
    with pytest.raises(InvalidArgumentError, match=r"\[3\] is not a prefix of data shape \[2\]"):
        tf.math.unsorted_segment_sum([1.0, 2.0], [0, 1, 1], 2)
    with pytest.raises(TypeError, match="clip_by_global_norm: t_list should be a sequence"):
        tf.clip_by_global_norm(tf.constant([1.0]), 1.0)
    with pytest.raises(InvalidArgumentError, match=r"clip_by_value.*\[3\].*\[2\]"):
        tf.clip_by_value([1.0, 2.0], [0.0, 0.0, 0.0], 1.0)
