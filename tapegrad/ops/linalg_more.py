"""More of ``tf.linalg``, composed from the linear-algebra primitives (so every gradient comes
from theirs): Cholesky solves, least squares, the pseudo-inverse, the matrix exponential,
tridiagonal systems, cross products and diagonal helpers.
"""

from __future__ import annotations

import math as _pymath
from typing import Any

from ..engine.backend import xp as np
from ..engine.convert import convert_to_tensor
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import Tensor, shape_of
from .array import matrix_transpose, pad, reshape, stack
from .creation import eye, zeros_like
from .indexing import where
from .linalg import cholesky, diag, diag_part, matmul, solve, svd, triangular_solve
from .norms import norm

__all__ = ["cholesky_solve", "cross", "set_diag", "tensor_diag", "tensor_diag_part",
           "normalize", "lstsq", "pinv", "matrix_rank", "expm", "tridiagonal_matmul",
           "tridiagonal_solve"]


def _matrix(x: Any, op: str, square: bool = False) -> Tensor:
    x = convert_to_tensor(x)
    s = shape_of(x)
    if len(s) < 2 or (square and s[-1] != s[-2]):
        raise InvalidArgumentError(f"{op}: expects {'square ' if square else ''}matrices "
                                   f"[..., M, {'M' if square else 'N'}], got shape {list(s)}.")
    return x


def cholesky_solve(chol: Any, rhs: Any, name: str | None = None) -> Tensor:
    """Solve A x = rhs given A's Cholesky factor L (A = L Lᵀ) (``tf.linalg.cholesky_solve``).

    >>> import tapegrad as tf
    >>> a = tf.constant([[4.0, 2.0], [2.0, 3.0]])
    >>> tf.linalg.cholesky_solve(tf.linalg.cholesky(a), [[2.0], [1.0]]).numpy().round(4)
    array([[0.5],
           [0. ]], dtype=float32)
    """
    chol = _matrix(chol, "cholesky_solve", square=True)
    y = triangular_solve(chol, rhs, lower=True)
    return triangular_solve(chol, y, lower=True, adjoint=True)


def cross(a: Any, b: Any, name: str | None = None) -> Tensor:
    """The cross product of 3-vectors along the last axis (``tf.linalg.cross``).

    >>> import tapegrad as tf
    >>> tf.linalg.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]).numpy()
    array([0., 0., 1.], dtype=float32)
    """
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    if shape_of(a) != shape_of(b) or not shape_of(a) or shape_of(a)[-1] != 3:
        raise InvalidArgumentError(f"cross: a and b must have the same shape [..., 3], got "
                                   f"{list(shape_of(a))} and {list(shape_of(b))}.")
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def _set_one_diag(x: Tensor, d: Tensor, k: int) -> Tensor:
    """``x`` with its k-th diagonal replaced by ``d`` (shape [..., that diagonal's length])."""
    m, n = shape_of(x)[-2:]
    size = min(m + min(k, 0), n - max(k, 0))
    if size <= 0:
        raise InvalidArgumentError(f"set_diag: diagonal {k} lies outside {m}x{n} matrices.")
    if shape_of(d)[-1:] != (size,):
        raise InvalidArgumentError(f"set_diag: diagonal {k} of {m}x{n} matrices has {size} "
                                   f"entries, but the given diagonal has shape "
                                   f"{list(shape_of(d))}.")
    lead = [[0, 0]] * (len(shape_of(d)) - 1)
    placed = diag(d, k=k)  # square, side size + |k|, the diagonal in place
    side = size + abs(k)
    placed = pad(placed, lead + [[0, max(m - side, 0)], [0, max(n - side, 0)]])[..., :m, :n]
    mask = Tensor(np.eye(m, n, k=k, dtype=bool))
    return where(mask, placed + zeros_like(x), x + zeros_like(placed))


def _band_rows(d: Tensor, lo: int, hi: int, shape: tuple, align: str) -> list:
    """The rows of a band's ``diagonal`` argument ([..., hi - lo + 1, max_len]), each cut to
    its diagonal's length as ``align`` says (superdiagonals first part, subdiagonals second;
    LEFT keeps the first entries, RIGHT the last)."""
    m, n = shape
    sup, sub = align.split("_")
    rows = []
    for j, k in enumerate(range(hi, lo - 1, -1)):
        size = min(m + min(k, 0), n - max(k, 0))
        width = shape_of(d)[-1]
        side = sup if k >= 0 else sub
        row = d[..., j, :]
        rows.append((k, row[..., :size] if side == "LEFT" else row[..., width - size:]))
    return rows


def set_diag(input: Any, diagonal: Any, name: str | None = None, k: Any = 0,  # noqa: A002
             align: str = "RIGHT_LEFT") -> Tensor:
    """``input`` with its k-th diagonal replaced by ``diagonal`` (``tf.linalg.set_diag``):
    ``k`` > 0 above the main diagonal, < 0 below; matrices may be rectangular. A band
    ``k=(lo, hi)`` takes ``diagonal`` [..., hi - lo + 1, longest], the uppermost diagonal first,
    each row aligned as ``align`` says ('RIGHT_LEFT': superdiagonals right-aligned, subdiagonals
    left-aligned), as TF's.

    >>> import tapegrad as tf
    >>> tf.linalg.set_diag(tf.ones([2, 3]), [7.0, 8.0]).numpy()
    array([[7., 1., 1.],
           [1., 8., 1.]], dtype=float32)
    >>> tf.linalg.set_diag(tf.zeros([3, 3]), [5.0, 6.0], k=1).numpy()
    array([[0., 5., 0.],
           [0., 0., 6.],
           [0., 0., 0.]], dtype=float32)
    """
    x = _matrix(input, "set_diag")
    d = convert_to_tensor(diagonal, dtype_hint=x.dtype)
    ks = [int(v) for v in (np.asarray(k._value if isinstance(k, Tensor) else k).reshape(-1))]
    if len(ks) == 1 or (len(ks) == 2 and ks[0] == ks[1]):
        return _set_one_diag(x, d, ks[0])
    if len(ks) != 2 or ks[0] > ks[1]:
        raise InvalidArgumentError(f"set_diag: k must be an int or a pair (lo, hi) with lo <= "
                                   f"hi, got {k!r}.")
    if align not in ("RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT"):
        raise ValueError(f"set_diag: align must be one of RIGHT_LEFT, LEFT_RIGHT, LEFT_LEFT, "
                         f"RIGHT_RIGHT, got {align!r}.")
    if len(shape_of(d)) < 2 or shape_of(d)[-2] != ks[1] - ks[0] + 1:
        raise InvalidArgumentError(f"set_diag: a band k=({ks[0]}, {ks[1]}) needs diagonal "
                                   f"[..., {ks[1] - ks[0] + 1}, longest], got "
                                   f"{list(shape_of(d))}.")
    for kk, row in _band_rows(d, ks[0], ks[1], tuple(shape_of(x)[-2:]), align):
        x = _set_one_diag(x, row, kk)
    return x


def tensor_diag(diagonal: Any, name: str | None = None) -> Tensor:
    """The tensor of rank 2k with ``diagonal`` (rank k) where all index halves agree
    (``tf.linalg.tensor_diag``).

    >>> import tapegrad as tf
    >>> tf.linalg.tensor_diag([1.0, 2.0]).numpy()
    array([[1., 0.],
           [0., 2.]], dtype=float32)
    """
    d = convert_to_tensor(diagonal)
    s = tuple(shape_of(d))
    return reshape(diag(reshape(d, [-1])), s + s)


def tensor_diag_part(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The diagonal of a rank-2k tensor: ``out[i…] = input[i…, i…]``
    (``tf.linalg.tensor_diag_part``).

    >>> import tapegrad as tf
    >>> tf.linalg.tensor_diag_part([[1.0, 5.0], [6.0, 2.0]]).numpy()
    array([1., 2.], dtype=float32)
    """
    x = convert_to_tensor(input)
    s = tuple(shape_of(x))
    half = len(s) // 2
    if len(s) % 2 or s[:half] != s[half:]:
        raise InvalidArgumentError(f"tensor_diag_part: input must have shape D + D, got "
                                   f"{list(s)}.")
    n = int(np.prod(s[:half], dtype=np.int64))
    return reshape(diag_part(reshape(x, [n, n])), s[:half])


def normalize(tensor: Any, ord: Any = "euclidean", axis: Any = None,  # noqa: A002
              name: str | None = None) -> tuple:
    """``(tensor / norm, norm)`` with the norm kept as dims (``tf.linalg.normalize``).

    >>> import tapegrad as tf
    >>> unit, n = tf.linalg.normalize([3.0, 4.0])
    >>> unit.numpy(), n.numpy()
    (array([0.6, 0.8], dtype=float32), array([5.], dtype=float32))
    """
    x = convert_to_tensor(tensor)
    n = norm(x, ord=ord, axis=axis, keepdims=True)
    return x / n, n


def lstsq(matrix: Any, rhs: Any, l2_regularizer: Any = 0.0, fast: bool = True,
          name: str | None = None) -> Tensor:
    """The least-squares solution of ``matrix @ x ≈ rhs`` with optional ridge term
    (``tf.linalg.lstsq``), by the normal equations as TF's ``fast`` path.

    >>> import tapegrad as tf
    >>> a = tf.constant([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> tf.linalg.lstsq(a, [[1.0], [2.0], [3.0]]).numpy().round(4)
    array([[1.],
           [2.]], dtype=float32)
    """
    a = _matrix(matrix, "lstsq")
    b = convert_to_tensor(rhs, dtype_hint=a.dtype)
    m, n = shape_of(a)[-2:]
    at = matrix_transpose(a)
    if m >= n:
        gram = matmul(at, a) + l2_regularizer * eye(n, dtype=a.dtype)
        return cholesky_solve(cholesky(gram), matmul(at, b))
    gram = matmul(a, at) + l2_regularizer * eye(m, dtype=a.dtype)
    return matmul(at, cholesky_solve(cholesky(gram), b))


def _cutoff(s: Tensor, shape: tuple, rcond: Any) -> Any:
    sv = np.asarray(s._value)
    if rcond is None:
        rcond = 10.0 * max(shape[-2:]) * np.finfo(sv.dtype).eps
    return np.asarray(rcond, sv.dtype) * np.max(sv, axis=-1, keepdims=True, initial=0.0)


def pinv(a: Any, rcond: Any = None, validate_args: bool = False, name: str | None = None) -> Tensor:
    """The Moore–Penrose pseudo-inverse by SVD, dropping singular values below
    ``rcond · max(s)`` (``tf.linalg.pinv``).

    >>> import tapegrad as tf
    >>> tf.linalg.pinv([[1.0, 0.0], [0.0, 0.0]]).numpy()
    array([[1., 0.],
           [0., 0.]], dtype=float32)
    """
    a = _matrix(a, "pinv")
    s, u, v = svd(a)
    keep = Tensor(np.asarray(s._value) > _cutoff(s, shape_of(a), rcond))
    s_inv = where(keep, 1 / where(keep, s, zeros_like(s) + 1), zeros_like(s))
    return matmul(v * s_inv[..., None, :], u, transpose_b=True)


def matrix_rank(a: Any, tol: Any = None, validate_args: bool = False,
                name: str | None = None) -> Tensor:
    """The number of singular values above ``tol`` (default ``eps · max(M, N) · max(s)``)
    (``tf.linalg.matrix_rank``), an int32 per matrix; no gradient.

    >>> import tapegrad as tf
    >>> int(tf.linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]]))
    1
    """
    a = _matrix(a, "matrix_rank")
    sv = np.linalg.svd(np.asarray(a._value), compute_uv=False)
    if tol is None:
        tol = np.finfo(sv.dtype).eps * max(shape_of(a)[-2:]) * np.max(sv, -1, keepdims=True,
                                                                        initial=0.0)
    return Tensor(np.sum(sv > tol, axis=-1).astype(np.int32))


# Padé [13/13] coefficients of exp (Higham 2005)
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)


def expm(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The matrix exponential by scaling and squaring with a [13/13] Padé approximant
    (``tf.linalg.expm``); differentiable through its matmuls and solve.

    >>> import tapegrad as tf
    >>> tf.linalg.expm([[0.0, 1.0], [0.0, 0.0]]).numpy()
    array([[1., 1.],
           [0., 1.]], dtype=float32)
    """
    a = _matrix(input, "expm", square=True)
    n = shape_of(a)[-1]
    l1 = float(np.max(np.sum(np.abs(np.asarray(a._value)), axis=-2), initial=0.0))
    squarings = max(0, int(_pymath.ceil(_pymath.log2(l1 / 5.371920351148152)))) if l1 > 0 else 0
    a = a / float(2 ** squarings)
    ident = eye(n, dtype=a.dtype)
    a2 = matmul(a, a)
    a4 = matmul(a2, a2)
    a6 = matmul(a4, a2)
    b = _PADE13
    u = matmul(a, matmul(a6, b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4
               + b[3] * a2 + b[1] * ident)
    v = matmul(a6, b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 \
        + b[0] * ident
    r = solve(v - u, v + u)
    for _ in range(squarings):
        r = matmul(r, r)
    return r


def _tridiagonal_dense(diagonals: Any, diagonals_format: str, op: str) -> Tensor:
    """The dense matrices of tridiagonal systems given in TF's three formats."""
    if diagonals_format == "matrix":
        return _matrix(diagonals, op, square=True)
    if diagonals_format == "sequence":
        sup, main, sub = (convert_to_tensor(d) for d in diagonals)
    elif diagonals_format == "compact":
        d = convert_to_tensor(diagonals)
        if len(shape_of(d)) < 2 or shape_of(d)[-2] != 3:
            raise InvalidArgumentError(f"{op}: compact diagonals must have shape [..., 3, M], "
                                       f"got {list(shape_of(d))}.")
        sup, main, sub = d[..., 0, :], d[..., 1, :], d[..., 2, :]
    else:
        raise ValueError(f"{op}: diagonals_format must be 'compact', 'sequence' or 'matrix', "
                         f"got {diagonals_format!r}.")
    m = shape_of(main)[-1]
    lead = [[0, 0]] * (len(shape_of(main)) - 1)
    # superdiagonal: sup[..., :-1] at (i, i+1); subdiagonal: sub[..., 1:] at (i+1, i)
    upper = pad(diag(sup[..., : m - 1]), lead + [[0, 1], [1, 0]])
    lower = pad(diag(sub[..., 1:]), lead + [[1, 0], [0, 1]])
    return diag(main) + upper + lower


def tridiagonal_matmul(diagonals: Any, rhs: Any, diagonals_format: str = "compact",
                       name: str | None = None) -> Tensor:
    """The product of tridiagonal matrices with ``rhs`` (``tf.linalg.tridiagonal_matmul``).

    >>> import tapegrad as tf
    >>> d = tf.constant([[1.0, 1.0, 0.0], [2.0, 2.0, 2.0], [0.0, 1.0, 1.0]])  # super, main, sub
    >>> tf.linalg.tridiagonal_matmul(d, tf.ones([3, 1])).numpy().ravel().tolist()
    [3.0, 4.0, 3.0]
    """
    return matmul(_tridiagonal_dense(diagonals, diagonals_format, "tridiagonal_matmul"), rhs)


def tridiagonal_solve(diagonals: Any, rhs: Any, diagonals_format: str = "compact",
                      transpose_rhs: bool = False, conjugate_rhs: bool = False,
                      name: str | None = None, partial_pivoting: bool = True,
                      perturb_singular: bool = False) -> Tensor:
    """Solve tridiagonal systems (``tf.linalg.tridiagonal_solve``); ``rhs`` [..., M, K], or
    [..., M] when it is a vector per system.

    >>> import tapegrad as tf
    >>> d = tf.constant([[1.0, 1.0, 0.0], [2.0, 2.0, 2.0], [0.0, 1.0, 1.0]])
    >>> tf.linalg.tridiagonal_solve(d, [3.0, 4.0, 3.0]).numpy().round(4).tolist()
    [1.0, 1.0, 1.0]
    """
    a = _tridiagonal_dense(diagonals, diagonals_format, "tridiagonal_solve")
    b = convert_to_tensor(rhs, dtype_hint=a.dtype)
    if transpose_rhs:
        b = matrix_transpose(b)
    vector = len(shape_of(b)) == len(shape_of(a)) - 1
    x = solve(a, b[..., None] if vector else b)
    x = x[..., 0] if vector else x
    return matrix_transpose(x) if transpose_rhs else x

