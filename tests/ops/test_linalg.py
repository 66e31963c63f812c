"""Linear algebra: gradient checks (both modes, jacobians, order 2) on well-conditioned inputs,
gauge-invariant functions of eigen/singular vectors, NumPy references, TF's outputs, errors."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import MATMUL_SHAPES, GradCase

la = tf.linalg


def _well_conditioned(rng, shapes):
    """Random matrices pushed away from singularity (n I added)."""
    return [rng.uniform(-1, 1, s) + s[-1] * np.eye(s[-1]) if len(s) >= 2 and s[-1] == s[-2]
            else rng.uniform(-1, 1, s) for s in shapes]


def _spd(rng, shapes):
    out = []
    for s in shapes:
        m = rng.uniform(-1, 1, s)
        out.append(m @ np.swapaxes(m, -1, -2) + s[-1] * np.eye(s[-1]))
    return out


def _spectrum(values):
    """Matrices Q1 diag(values) Q2ᵀ with random orthogonal Q1, Q2: well-separated spectra."""
    def make(rng, shapes):
        out = []
        for s in shapes:
            m, n = s[-2:]
            k = min(m, n)
            q1 = np.linalg.qr(rng.standard_normal(s[:-2] + (m, m)))[0][..., :k]
            q2 = np.linalg.qr(rng.standard_normal(s[:-2] + (n, n)))[0][..., :k]
            d = np.asarray(values[:k], dtype=float)
            out.append((q1 * d) @ np.swapaxes(q2, -1, -2))
        return out
    return make


def _symmetric_spectrum(rng, shapes):
    out = []
    for s in shapes:
        q = np.linalg.qr(rng.standard_normal(s))[0]
        out.append((q * np.arange(1.0, s[-1] + 1)) @ np.swapaxes(q, -1, -2))
    return out


def sym(x):
    return (x + la.matrix_transpose(x)) / 2


def _weighted_squares(t):
    """Σ w_ij t_ij²: invariant under the sign flips that make singular vectors ambiguous."""
    w = np.arange(1.0, 1.0 + np.prod(t.shape)).reshape(t.shape)
    return tf.reduce_sum(t ** 2 * tf.cast(w, t.dtype))


W3 = np.arange(1.0, 10.0).reshape(3, 3)  # weights for gauge-invariant functions of vectors
SQ = [((3, 3),), ((2, 1, 3, 3),)]  # two batch axes: a rule reading shape[1] for n fails
GRAD_CASES = [
    GradCase("matmul", tf.matmul, MATMUL_SHAPES),
    GradCase("matmul_transposed", lambda x, y: tf.matmul(x, y, transpose_a=True,
                                                         transpose_b=True), [((3, 2), (4, 3))]),
    GradCase("matmul_transpose_a", lambda x, y: tf.matmul(x, y, transpose_a=True),
             [((3, 2), (3, 4)), ((2, 3, 2), (3, 4)), ((3, 2), (2, 3, 4))]),
    GradCase("matmul_transpose_b", lambda x, y: tf.matmul(x, y, transpose_b=True),
             [((2, 3), (4, 3)), ((2, 2, 3), (4, 3)), ((2, 3), (2, 4, 3))]),
    GradCase("matmul_transpose_ab_batched", lambda x, y: tf.matmul(x, y, adjoint_a=True,
                                                                   adjoint_b=True),
             [((2, 3, 2), (4, 3)), ((3, 2), (2, 4, 3))]),
    GradCase("matvec", la.matvec, [((2, 3), (3,)), ((4, 2, 3), (4, 3)), ((4, 2, 3), (3,))]),
    GradCase("inv", la.inv, SQ, make_args=_well_conditioned),
    GradCase("det", la.det, SQ + [((1, 1),)], make_args=_well_conditioned),
    GradCase("slogdet", lambda x: la.slogdet(x)[1] * la.slogdet(x)[0], SQ,
             make_args=lambda rng, s: [-x for x in _well_conditioned(rng, s)]),
    GradCase("logdet", lambda x: la.logdet(sym(x)), SQ, make_args=_spd),
    GradCase("solve", la.solve, [((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1)), ((3, 3), (2, 3, 2)),
                                 ((2, 3, 3), (3, 2))], make_args=_well_conditioned),
    GradCase("solve_adjoint", lambda a, b: la.solve(a, b, adjoint=True), [((3, 3), (3, 2))],
             make_args=_well_conditioned),
    GradCase("triangular_solve", la.triangular_solve, [((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1))],
             make_args=_well_conditioned),
    GradCase("triangular_solve_upper_adjoint",
             lambda a, b: la.triangular_solve(a, b, lower=False, adjoint=True),
             [((3, 3), (3, 2))], make_args=_well_conditioned),
    GradCase("cholesky", lambda x: la.cholesky(sym(x)), SQ, make_args=_spd),
    # eigh reads the lower triangle and its gradient is lower-triangular (TF's convention), so
    # it matches finite differences of the raw, unsymmetrized input too
    GradCase("eigh_values", lambda x: la.eigh(x)[0], SQ, make_args=_symmetric_spectrum),
    GradCase("eigvalsh", la.eigvalsh, SQ, make_args=_symmetric_spectrum),
    GradCase("eigh_vectors", lambda x: la.eigh(sym(x))[1] ** 2 * tf.cast(W3, x.dtype), SQ,
             make_args=_symmetric_spectrum),
    GradCase("eigh_reconstruct", lambda x: tf.matmul(la.eigh(x)[1] * la.eigh(x)[0][..., None, :],
                                                     la.eigh(x)[1], transpose_b=True),
             [((3, 3),)], make_args=_symmetric_spectrum),
    GradCase("svd_values", lambda x: la.svd(x, compute_uv=False),
             [((3, 3),), ((4, 2),), ((2, 4),), ((2, 3, 2),)], make_args=_spectrum([3, 2, 1])),
    GradCase("svd_reconstruct", lambda x: tf.matmul(la.svd(x)[1] * la.svd(x)[0][..., None, :],
                                                    la.svd(x)[2], transpose_b=True),
             [((3, 3),), ((4, 2),), ((2, 4),)], make_args=_spectrum([3, 2, 1])),
    GradCase("svd_vectors", lambda x: _weighted_squares(la.svd(x)[1])
             + _weighted_squares(la.svd(x)[2]), [((3, 2),), ((2, 3),)],
             make_args=_spectrum([3, 1])),
    GradCase("svd_vectors_batched",
             lambda x: la.svd(x)[1] ** 2 * tf.cast(W3, x.dtype) + la.svd(x)[2] ** 2,
             [((2, 3, 3),)], make_args=_spectrum([3, 2, 1])),
    GradCase("qr", lambda x: la.qr(x)[0] ** 2 * tf.cast(W3[:, :x.shape[-1]], x.dtype)
             + tf.reduce_sum(la.qr(x)[1]),
             [((3, 3),), ((3, 2),), ((2, 3, 2),)], make_args=_well_conditioned),
    GradCase("trace_diag", lambda x: la.trace(x) * tf.reduce_sum(la.diag_part(x, k=1), -1)
             + tf.reduce_sum(la.diag(la.diag_part(x))[..., :3] * x[..., :3, :3], [-2, -1]),
             [((3, 3),), ((2, 3, 4),)]),
    GradCase("diag_offset", lambda v: la.diag(v, k=-1) ** 2, [((3,),), ((2, 3),)]),
    GradCase("band_part", lambda x: la.band_part(x, 1, 0) ** 2, [((3, 4),)]),
    GradCase("norm_matrix_2", lambda x: tf.norm(x, ord=2, axis=[-2, -1]), [((3, 2),)],
             make_args=_spectrum([3, 1])),
    GradCase("global_norm", lambda x, y: la.global_norm([x, y]), [((3,), (2, 2))],
             domain=(0.5, 2.0)),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


# -- forward values -----------------------------------------------------------------------------
RNG = np.random.default_rng(42)
A = RNG.standard_normal((2, 4, 4)) + 4 * np.eye(4)
B = RNG.standard_normal((2, 4, 3))
S = A @ np.swapaxes(A, -1, -2)


@pytest.mark.parametrize("f, want", [
    (lambda: la.inv(A), np.linalg.inv(A)),
    (lambda: la.det(A), np.linalg.det(A)),
    (lambda: la.slogdet(A)[1], np.linalg.slogdet(A)[1]),
    (lambda: la.logdet(S), np.linalg.slogdet(S)[1]),
    (lambda: la.solve(A, B), np.linalg.solve(A, B)),
    (lambda: la.solve(A, B, adjoint=True), np.linalg.solve(np.swapaxes(A, -1, -2), B)),
    (lambda: la.triangular_solve(A, B), np.linalg.solve(np.tril(A), B)),
    (lambda: la.triangular_solve(A, B, lower=False, adjoint=True),
     np.linalg.solve(np.swapaxes(np.triu(A), -1, -2), B)),
    (lambda: la.cholesky(S), np.linalg.cholesky(S)),
    (lambda: la.eigh(S)[0], np.linalg.eigvalsh(S)),
    (lambda: la.svd(B)[0], np.linalg.svd(B, compute_uv=False)),
    (lambda: la.trace(A), np.trace(A, axis1=-2, axis2=-1)),
    (lambda: la.diag_part(B, k=1), np.stack([np.diagonal(b, 1) for b in B])),
    (lambda: la.diag(B[0, 0]), np.diag(B[0, 0])),
    (lambda: la.diag(B[0, 0], k=2), np.diag(B[0, 0], k=2)),
    (lambda: la.band_part(A, 1, 0), np.tril(np.triu(A, -1))),
    (lambda: la.matvec(A, B[..., 0]), np.einsum("bij,bj->bi", A, B[..., 0])),
    (lambda: la.global_norm([A, B]), np.sqrt((A ** 2).sum() + (B ** 2).sum())),
    (lambda: la.norm(A[0]), np.linalg.norm(A[0])),
])
def test_forward_matches_numpy(f, want):
    np.testing.assert_allclose(f().numpy(), want, rtol=1e-10, atol=1e-12)


def test_decompositions_reconstruct():
    e, v = la.eigh(S)
    np.testing.assert_allclose((v.numpy() * e.numpy()[..., None, :]) @ np.swapaxes(v, -1, -2),
                               S, rtol=1e-10)
    for m in (B, np.swapaxes(B, -1, -2)):
        s, u, v = la.svd(m)
        assert u.shape == m.shape[:-1] + (3,) and v.shape == m.shape[:-2] + (m.shape[-1], 3)
        np.testing.assert_allclose((u.numpy() * s.numpy()[..., None, :]) @ np.swapaxes(v, -1, -2),
                                   m, atol=1e-12)
    q, r = la.qr(B)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), B, atol=1e-12)
    np.testing.assert_allclose(np.swapaxes(q, -1, -2) @ q.numpy(), np.broadcast_to(np.eye(3),
                                                                                (2, 3, 3)),
                               atol=1e-12)
    assert np.allclose(np.tril(r.numpy(), -1), 0)


def test_tf_outputs():
    # TensorFlow 2's outputs for the same programs (float32)
    s, u, v = la.svd(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    np.testing.assert_allclose(s.numpy(), [9.525518, 0.51429987], rtol=3e-6)
    np.testing.assert_allclose(np.abs(u.numpy()), np.abs([[0.22984774, -0.8834608],
                                                          [0.52474487, -0.2407829],
                                                          [0.81964207, 0.4018962]]), atol=1e-6)
    np.testing.assert_allclose(np.abs(v.numpy()), np.abs([[0.61962956, 0.78489447],
                                                          [0.78489447, -0.61962956]]), atol=1e-6)
    q, r = la.qr(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    np.testing.assert_allclose(np.abs(r.numpy()), np.abs([[-5.91608, -7.437357],
                                                          [0.0, 0.82807845]]), rtol=1e-6)
    a = tf.constant([[2.0, 1.0], [0.5, 3.0]], tf.float64)  # only the lower triangle is read
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(a)
        e, _ = la.eigh(a)
        y_e = tf.reduce_sum(e * [1.0, 2.0])
        y_c = tf.reduce_sum(la.cholesky(a) * [[1.0, 0.0], [2.0, 3.0]])
    np.testing.assert_allclose(tape.gradient(y_e, a).numpy(),
                               [[1.14644661, 0.0], [0.70710678, 1.85355339]], rtol=1e-7)
    np.testing.assert_allclose(tape.gradient(y_c, a).numpy(),
                               [[0.23206743, 0.48594385], [0.48594385, 0.88465174]], rtol=1e-7)
    np.testing.assert_allclose(la.triangular_solve(tf.constant([[2.0, 5.0], [1.0, 4.0]]),
                                                   tf.constant([[1.0], [1.0]])).numpy(),
                               [[0.5], [0.125]])


def test_tiny_float32_matmul_rounds_as_tf():
    # TF sums the rounded float32 products in order for tiny matrices
    x = tf.constant([[0.1, 0.2, 0.3]])
    y = tf.constant([[0.4], [0.5], [0.6]])
    want = np.float32(np.float32(np.float32(0.1) * np.float32(0.4)) +
                      np.float32(np.float32(0.2) * np.float32(0.5)))
    want = np.float32(want + np.float32(np.float32(0.3) * np.float32(0.6)))
    assert tf.matmul(x, y).numpy()[0, 0] == want


def test_newton_step_with_solve():
    # a Hessian from nested tapes and one Newton step: exact for a quadratic
    c = np.array([[3.0, 1.0], [1.0, 2.0]])
    x = tf.Variable([1.0, -1.0], dtype=tf.float64)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = 0.5 * tf.reduce_sum(x * la.matvec(c, x)) - tf.reduce_sum(x)
        g = t1.gradient(y, x)
    h = t2.jacobian(g, x)
    step = la.solve(h, g[:, None])[:, 0]
    np.testing.assert_allclose((x - step).numpy(), np.linalg.solve(c, [1.0, 1.0]), rtol=1e-12)


@pytest.mark.parametrize("f, exc, words", [
    (lambda: la.inv(np.ones((2, 3))), ValueError, ["inv", "[2, 3]"]),
    (lambda: la.inv(np.zeros((2, 2))), InvalidArgumentError, ["matrix_inverse", "[2, 2]"]),
    (lambda: la.cholesky(-np.eye(2)), InvalidArgumentError, ["cholesky"]),
    (lambda: la.solve(np.eye(3), np.ones((2, 1))), ValueError, ["solve", "[3, 3]", "[2, 1]"]),
    (lambda: la.solve(np.eye(3), np.ones(3)), ValueError, ["solve", "[3]"]),
    (lambda: la.triangular_solve(np.eye(2), np.ones((3, 1))), ValueError,
     ["triangular_solve", "[2, 2]", "[3, 1]"]),
    (lambda: tf.matmul(np.ones((2, 3)), np.ones((2, 3))), ValueError, ["matmul", "[2, 3]"]),
    (lambda: la.det(np.ones((2, 2), np.int32)), TypeError, ["det", "int32"]),
    (lambda: la.svd(np.ones(3)), ValueError, ["svd", "[3]"]),
    (lambda: la.svd(np.ones((2, 3)), full_matrices=True), NotImplementedError, ["svd"]),
])
def test_errors_name_the_op_and_shapes(f, exc, words):
    with pytest.raises(exc) as info:
        f()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_qr_gradient_of_wide_matrix_is_refused():
    x = tf.constant(np.ones((2, 3)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(la.qr(x)[1])
    with pytest.raises(NotImplementedError, match="m >= n"):
        tape.gradient(y, x)


def test_tf_gradients_of_svd_qr_solve_det():
    # TensorFlow 2.21's gradients for this program (float64)
    m = tf.constant([[1.0, 2.0], [3.0, 4.5], [5.0, -6.0]], tf.float64)
    w = tf.constant([[1.0, -1.0], [0.5, 2.0], [3.0, 0.25]], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(m)
        s, u, v = la.svd(m)
        y1 = (tf.reduce_sum(u ** 2 * w) + tf.reduce_sum(v ** 2 * w[:2])
              + tf.reduce_sum(s * [1.0, 3.0]))
        q, r = la.qr(m)
        y2 = tf.reduce_sum(q * w) + tf.reduce_sum(r * w[1:])
        y3 = tf.reduce_sum(la.solve(m[:2], w[:2]) * w[1:]) + la.det(m[1:])
    np.testing.assert_allclose(tape.gradient(y1, m).numpy(),
                               [[0.5035517244196164, 0.0858437460136105],
                                [2.363591715131531, 0.5806753281452162],
                                [2.354955094867182, -0.3349370058377842]], rtol=1e-10)
    np.testing.assert_allclose(tape.gradient(y2, m).numpy(),
                               [[-0.8740745339541516, -0.2111034188436759],
                                [-2.0016660043052683, -1.2916555084408603],
                                [0.7842065310640299, -1.549217924406595]], rtol=1e-10)
    np.testing.assert_allclose(tape.gradient(y3, m).numpy(),
                               [[41.666666666666664, -25.833333333333332],
                                [-23.27777777777778, 5.555555555555552],
                                [-4.500000000000001, 3.000000000000001]], rtol=1e-10)


def test_python_operands_take_the_tensor_dtype():
    # as TF infers an op's dtype from its tensor operands
    a = tf.constant(np.eye(2) * 2.0)
    assert la.solve(a, [[1.0], [2.0]]).dtype == tf.float64
    assert la.solve([[2.0, 0.0], [0.0, 2.0]], tf.constant([[1.0], [2.0]], tf.float64)).dtype \
        == tf.float64
    assert la.triangular_solve(a, [[1.0], [2.0]]).dtype == tf.float64
    np.testing.assert_array_equal(la.matvec(a, [1.0, 2.0]).numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(
        tf.tensor_scatter_nd_update(np.zeros((2, 2)), [[0, 1]], [5.0]).numpy(), [[0, 5], [0, 0]])


def test_float32_gradients_stay_float32():
    a = tf.Variable(np.array([[3.0, 1.0, 0.0], [1.0, 4.0, 1.0], [0.0, 1.0, 5.0]], np.float32))
    b = tf.constant(np.ones((3, 2), np.float32))
    fns = [la.det, lambda x: la.slogdet(x)[1], la.logdet, la.inv, lambda x: la.solve(x, b),
           lambda x: la.triangular_solve(x, b), la.cholesky, lambda x: la.eigh(x)[1] ** 2,
           lambda x: la.svd(x)[0], lambda x: la.qr(x)[1], la.trace]
    for f in fns:
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(f(a))
        g = tape.gradient(y, a)
        assert y.dtype == tf.float32 and g.dtype == tf.float32 and np.isfinite(g.numpy()).all()
