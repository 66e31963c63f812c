"""Contractions (ops/einsum.py): einsum and tensordot gradient checks (reverse, forward, batched
jacobian, order 2), NumPy references and error messages."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import GradCase, check_forward


GRAD_CASES = [
    GradCase("einsum_matmul", lambda x, y: tf.einsum("ij,jk->ik", x, y) ** 2,
             [((2, 3), (3, 4))]),
    GradCase("einsum_batch", lambda x, y: tf.einsum("bij,bjk->bik", x, y) ** 2,
             [((2, 2, 3), (2, 3, 2))]),
    GradCase("einsum_ellipsis_broadcast", lambda x, y: tf.einsum("...ij,...j->...i", x, y) ** 2,
             [((2, 2, 3), (3,)), ((2, 2, 3), (1, 3))]),
    GradCase("einsum_trace_diag", lambda x: tf.einsum("ii->i", x) * tf.einsum("ii", x),
             [((3, 3),)]),
    GradCase("einsum_outer_sum", lambda x, y, z: tf.einsum("ij,k,jk", x, y, z) ** 2,
             [((2, 3), (4,), (3, 4))]),
    GradCase("einsum_implicit", lambda x, y: tf.einsum("ij,jk", x, y) ** 2, [((2, 3), (3, 2))]),
    GradCase("tensordot", lambda x, y: tf.tensordot(x, y, axes=[[0, 2], [1, 0]]) ** 2,
             [((2, 3, 4), (4, 2))]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


# -- forward values against NumPy ------------------------------------------------------------------
X = np.arange(24.0).reshape(2, 3, 4)
FORWARD = [
    (lambda: tf.einsum("bij,bkj->bik", X, X), np.einsum("bij,bkj->bik", X, X)),
    (lambda: tf.einsum("i,j", X[0, 0], X[0, 1]), np.einsum("i,j", X[0, 0], X[0, 1])),
    (lambda: tf.tensordot(X, X, [[0, 1], [0, 1]]), np.tensordot(X, X, [[0, 1], [0, 1]])),
    (lambda: tf.tensordot(X[0], X[0].T, 1), X[0] @ X[0].T),
]


@pytest.mark.parametrize("i", range(len(FORWARD)))
def test_forward_matches_numpy(i):
    check_forward(*FORWARD[i])


# -- errors ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("f, exc, words", [
    (lambda: tf.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((4, 2))), ValueError,
     ["einsum", "'j'", "[2, 3]", "[4, 2]"]),
    (lambda: tf.einsum("ij->ik", np.ones((2, 3))), ValueError, ["einsum", "output"]),
    (lambda: tf.einsum("ijk", np.ones((2, 3))), ValueError, ["einsum", "'ijk'", "[2, 3]"]),
    (lambda: tf.tensordot(np.ones((2, 3)), np.ones((2, 3)), 1), ValueError,
     ["tensordot", "[2, 3]"]),
])
def test_errors_name_the_op_and_shapes(f, exc, words):
    with pytest.raises(exc) as info:
        f()
    for w in words:
        assert w in str(info.value), (w, str(info.value))
