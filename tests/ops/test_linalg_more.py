"""More tf.linalg (ops/linalg_more.py): gradient checks and values against NumPy and maths."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase


def _spd(rng, s):
    a = rng.uniform(-1, 1, s)
    return [a @ np.swapaxes(a, -1, -2) + s[-1] * np.eye(s[-1])]


GRAD_CASES = [
    GradCase("cholesky_solve", lambda a, b: tf.linalg.cholesky_solve(
        tf.linalg.cholesky(tf.matmul(a, a, transpose_b=True) + 3.0 * tf.eye(3, dtype=a.dtype)),
        b), [((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1))]),
    GradCase("cross", tf.linalg.cross, [((3,), (3,)), ((2, 3), (2, 3))]),
    GradCase("set_diag", tf.linalg.set_diag, [((3, 3), (3,)), ((2, 3), (2,)), ((2, 4, 3), (2, 3))]),
    GradCase("set_diag(k=1, k=-1)", lambda x, d: tf.linalg.set_diag(x, d, k=1) +
             tf.linalg.set_diag(x, tf.concat([d, d], -1)[..., :3], k=-1),
             [((4, 3), (2,)), ((2, 4, 3), (2, 2))]),
    GradCase("set_diag(band)", lambda x, d: tf.linalg.set_diag(x, d, k=(-1, 1), align="LEFT_RIGHT"),
             [((3, 4), (3, 3)), ((2, 3, 4), (2, 3, 3))]),
    GradCase("tensor_diag", tf.linalg.tensor_diag, [((3,),), ((2, 2),)]),
    GradCase("tensor_diag_part", tf.linalg.tensor_diag_part, [((3, 3),), ((2, 2, 2, 2),)]),
    GradCase("normalize", lambda x: tf.linalg.normalize(x, axis=-1)[0], [((3,),), ((2, 3),)],
             domain=(0.5, 2.0)),
    GradCase("l2_normalize", lambda x: tf.linalg.l2_normalize(x, axis=-1), [((3,),)],
             domain=(0.5, 2.0)),
    GradCase("lstsq(tall)", lambda a, b: tf.linalg.lstsq(a + 2.0 * tf.eye(4, 2, dtype=a.dtype), b),
             [((4, 2), (4, 1))]),
    GradCase("lstsq(wide, l2)", lambda a, b: tf.linalg.lstsq(
        a + 2.0 * tf.eye(2, 4, dtype=a.dtype), b, l2_regularizer=0.1), [((2, 4), (2, 3))]),
    GradCase("pinv", lambda a: tf.linalg.pinv(a + 3.0 * tf.eye(3, 2, dtype=a.dtype)),
             [((3, 2),)]),
    GradCase("expm", tf.linalg.expm, [((2, 2),), ((2, 3, 3),)], domain=(-1.0, 1.0)),
    GradCase("expm(scaled)", lambda a: tf.linalg.expm(a * 4.0), [((2, 2),)], domain=(-1.0, 1.0)),
    GradCase("tridiagonal_matmul", lambda d, b: tf.linalg.tridiagonal_matmul(d, b),
             [((3, 4), (4, 2))]),
    GradCase("tridiagonal_solve", lambda d, b: tf.linalg.tridiagonal_solve(
        d + tf.constant([[0.0], [4.0], [0.0]], d.dtype), b), [((3, 4), (4, 2)), ((3, 4), (4,))]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def _expm_taylor(a):
    out, term = np.eye(a.shape[-1]), np.eye(a.shape[-1])
    for k in range(1, 60):
        term = term @ a / k
        out = out + term
    return out


def test_expm_against_its_series_and_identities():
    rng = np.random.default_rng(0)
    for scale in (0.1, 1.0, 6.0):
        a = rng.normal(size=(4, 4)) * scale / 4
        np.testing.assert_allclose(tf.linalg.expm(tf.constant(a)).numpy(), _expm_taylor(a),
                                   rtol=1e-10, atol=1e-12)
    rot = tf.linalg.expm(tf.constant([[0.0, -np.pi / 2], [np.pi / 2, 0.0]], tf.float64))
    np.testing.assert_allclose(rot.numpy(), [[0.0, -1.0], [1.0, 0.0]], atol=1e-12)


def test_solvers_against_numpy():
    rng = np.random.default_rng(1)
    a = _spd(rng, (2, 4, 4))[0]
    b = rng.normal(size=(2, 4, 3))
    x = tf.linalg.cholesky_solve(tf.linalg.cholesky(tf.constant(a)), tf.constant(b)).numpy()
    np.testing.assert_allclose(x, np.linalg.solve(a, b), rtol=1e-10)
    m, r = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    np.testing.assert_allclose(tf.linalg.lstsq(tf.constant(m), tf.constant(r)).numpy(),
                               np.linalg.lstsq(m, r, rcond=None)[0], rtol=1e-10)
    ridge = tf.linalg.lstsq(tf.constant(m), tf.constant(r), l2_regularizer=0.5).numpy()
    np.testing.assert_allclose(ridge, np.linalg.solve(m.T @ m + 0.5 * np.eye(3), m.T @ r),
                               rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.pinv(tf.constant(m)).numpy(), np.linalg.pinv(m),
                               rtol=1e-10, atol=1e-12)
    assert tf.linalg.matrix_rank(tf.constant(np.outer([1.0, 2.0, 3.0], [1.0, 1.0]))).numpy() == 1
    d = rng.normal(size=(3, 5)) + np.array([[0.0], [5.0], [0.0]])
    dense = np.diag(d[1]) + np.diag(d[0, :-1], 1) + np.diag(d[2, 1:], -1)
    v = rng.normal(size=(5, 2))
    np.testing.assert_allclose(tf.linalg.tridiagonal_matmul(tf.constant(d), v).numpy(), dense @ v)
    np.testing.assert_allclose(tf.linalg.tridiagonal_solve(tf.constant(d), v).numpy(),
                               np.linalg.solve(dense, v), rtol=1e-10)
    seq = tf.linalg.tridiagonal_solve([d[0], d[1], d[2]], v, diagonals_format="sequence")
    np.testing.assert_allclose(seq.numpy(), np.linalg.solve(dense, v), rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.tridiagonal_solve(dense, v, diagonals_format="matrix")
                               .numpy(), np.linalg.solve(dense, v), rtol=1e-10)


def test_diagonal_helpers_and_cross():
    x = np.arange(12.0).reshape(3, 4)
    got = tf.linalg.set_diag(tf.constant(x), [-1.0, -2.0, -3.0]).numpy()
    want = x.copy()
    want[[0, 1, 2], [0, 1, 2]] = [-1.0, -2.0, -3.0]
    np.testing.assert_array_equal(got, want)
    t = np.arange(6.0).reshape(2, 3)
    td = tf.linalg.tensor_diag(tf.constant(t)).numpy()
    assert td.shape == (2, 3, 2, 3) and td[1, 2, 1, 2] == 5.0 and td[1, 2, 0, 2] == 0.0
    np.testing.assert_array_equal(tf.linalg.tensor_diag_part(td).numpy(), t)
    a, b = np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.5, 2.0])
    np.testing.assert_allclose(tf.linalg.cross(a, b).numpy(), np.cross(a, b))
    unit, n = tf.linalg.normalize(tf.constant([[3.0, 4.0]]), axis=1)
    assert unit.numpy().tolist() == [[0.6, 0.8]] or np.allclose(unit.numpy(), [[0.6, 0.8]])
    assert n.shape == (1, 1)


def test_errors():
    with pytest.raises(InvalidArgumentError, match="cross"):
        tf.linalg.cross([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(InvalidArgumentError, match="diagonal"):
        tf.linalg.set_diag(tf.ones([2, 3]), [1.0, 2.0, 3.0])
    with pytest.raises(InvalidArgumentError, match="diagonal 1 of 2x5 matrices has 2 entries"):
        tf.linalg.set_diag(tf.ones([2, 5]), [1.0, 2.0, 3.0], k=1)
    with pytest.raises(InvalidArgumentError, match="outside"):
        tf.linalg.set_diag(tf.ones([2, 2]), [1.0], k=3)
    with pytest.raises(InvalidArgumentError, match="band"):
        tf.linalg.set_diag(tf.ones([2, 2]), [1.0, 2.0], k=(-1, 0))
    with pytest.raises(InvalidArgumentError, match="square"):
        tf.linalg.expm(tf.ones([2, 3]))
    with pytest.raises(InvalidArgumentError, match="D \\+ D"):
        tf.linalg.tensor_diag_part(tf.ones([2, 3]))
    with pytest.raises(ValueError, match="diagonals_format"):
        tf.linalg.tridiagonal_matmul(tf.ones([3, 3]), tf.ones([3, 1]), diagonals_format="band")


def test_set_diag_off_the_main_diagonal_as_tf():
    # recorded with TF 2.21 (tf.linalg.set_diag, MatrixSetDiagV3)
    np.testing.assert_array_equal(tf.linalg.set_diag(tf.zeros([2, 5]), [5.0, 6.0], k=1).numpy(),
                                  [[0, 5, 0, 0, 0], [0, 0, 6, 0, 0]])
    np.testing.assert_array_equal(
        tf.linalg.set_diag(tf.zeros([4, 3]), [5.0, 6.0, 7.0], k=-1).numpy(),
        [[0, 0, 0], [5, 0, 0], [0, 6, 0], [0, 0, 7]])
    x = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    d = np.arange(100.0, 118.0, dtype=np.float32).reshape(2, 3, 3)
    want = {"RIGHT_LEFT": [103, 100, 2, 3, 106, 104, 101, 7, 8, 107, 105, 102,
                           112, 109, 14, 15, 115, 113, 110, 19, 20, 116, 114, 111],
            "LEFT_RIGHT": [103, 100, 2, 3, 107, 104, 101, 7, 8, 108, 105, 102,
                           112, 109, 14, 15, 116, 113, 110, 19, 20, 117, 114, 111]}
    for align, values in want.items():
        got = tf.linalg.set_diag(x, d, k=(-1, 1), align=align).numpy().ravel()
        np.testing.assert_array_equal(got, values)
    d = np.arange(1.0, 10.0, dtype=np.float32).reshape(3, 3)
    got = tf.linalg.set_diag(np.zeros((4, 3), np.float32), d, k=(-2, 0)).numpy().ravel()
    np.testing.assert_array_equal(got, [1, 0, 0, 4, 2, 0, 7, 5, 3, 0, 8, 6])
