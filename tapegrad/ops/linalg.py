"""Linear algebra (``tf.linalg``): products, inverses, determinants, solves and the Cholesky,
eigen, singular-value and QR decompositions, each batched over leading dimensions.

Gradients use the stable formulas: solves instead of inverses where the maths allows, Murray's
formula for Cholesky, the standard ones (with their degenerate-spectrum caveat) for eigh/svd.
"""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.convert import static_int
from ..engine.errors import InvalidArgumentError, named
from ..engine.registry import primitive, unbroadcast
from ..engine.tensor import Tensor, _Base, convert_raw, shape_of
from .array import _expand_dims, _getitem, _getitem_grad, _reshape, _tensor_args, matrix_transpose
from .creation import eye
from .einsum import einsum, tensordot
from .indexing import _where
from .math import log, tangent_add
from .reduce import _reduce_sum

__all__ = ["matmul", "matvec", "inv", "det", "slogdet", "logdet", "solve", "triangular_solve",
           "cholesky", "eigh", "eigvalsh", "svd", "qr", "trace", "diag", "diag_part",
           "band_part", "adjoint", "matrix_transpose", "eye", "einsum",
           "tensordot"]


@primitive(name="matmul", same_dtype=True)
def _matmul(x, y, *, transpose_a=False, transpose_b=False):
    if transpose_a:
        x = np.swapaxes(x, -1, -2)
    if transpose_b:
        y = np.swapaxes(y, -1, -2)
    k = x.shape[-1]
    if k <= 16 and x.dtype == np.float32 and x.size * y.shape[-1] <= 4096:
        # Tiny float32 products: round each product, then add in order, as TF's kernel does for
        # small matrices, so printed results match TF's to the last digit.
        return np.sum(x[..., :, :, None] * y[..., None, :, :], axis=-2)
    return np.matmul(x, y)


# ans = A @ B with A = x or x^T, B = y or y^T: dA = g B^T, dB = A^T g; each cotangent is one
# flagged product (g may carry leading batch dims, summed away by unbroadcast).
def _matmul_dx(g, ans, x, y, *, transpose_a=False, transpose_b=False):
    if transpose_a:  # dx = dA^T = B g^T
        dx = _matmul(y, g, transpose_a=transpose_b, transpose_b=True)
    else:  # dx = g B^T
        dx = _matmul(g, y, transpose_b=not transpose_b)
    return unbroadcast(dx, x, ans)


def _matmul_dy(g, ans, x, y, *, transpose_a=False, transpose_b=False):
    if transpose_b:  # dy = dB^T = g^T A
        dy = _matmul(g, x, transpose_a=True, transpose_b=transpose_a)
    else:  # dy = A^T g
        dy = _matmul(x, g, transpose_a=not transpose_a)
    return unbroadcast(dy, y, ans)


_matmul.defvjps(_matmul_dx, _matmul_dy)


@_matmul.defjvp
def _matmul_jvp(t, ans, x, y, *, transpose_a=False, transpose_b=False):
    kw = {"transpose_a": transpose_a, "transpose_b": transpose_b}
    return tangent_add(None if t[0] is None else _matmul(t[0], y, **kw),
                       None if t[1] is None else _matmul(x, t[1], **kw), ans)


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, output_type: Any = None, name: str | None = None) -> Tensor:
    """Matrix product of the last two dimensions, batching over the rest (``tf.matmul``).

    >>> import tapegrad as tf
    >>> tf.matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]], dtype=float32)
    """
    sa, sb = shape_of(a), shape_of(b)
    if len(sa) < 2 or len(sb) < 2:
        raise named(ValueError(f"matmul: both inputs must have rank >= 2, got shapes "
                               f"{list(sa)} and "
                               f"{list(sb)}; use tf.linalg.matvec or tf.tensordot for vectors."))
    ta, tb = bool(transpose_a or adjoint_a), bool(transpose_b or adjoint_b)
    if ta:
        sa = sa[:-2] + (sa[-1], sa[-2])
    if tb:
        sb = sb[:-2] + (sb[-1], sb[-2])
    if sa[-1] != sb[-2]:
        raise named(InvalidArgumentError(f"matmul: matrix size-incompatible: In[0] {list(sa)}, "
                                         f"In[1] "
                                         f"{list(sb)} (inner dimensions {sa[-1]} and {sb[-2]} "
                                         f"differ)."))
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        raise ValueError(f"matmul: batch dimensions of {list(sa)} and {list(sb)} do not "
                         f"broadcast.") from None
    if ta or tb:
        return _matmul(a, b, transpose_a=ta, transpose_b=tb)
    return _matmul(a, b)


# -- helpers: masks and diagonals (constants, so VJPs stay traceable) ------------------------------
def _mT(x):
    return matrix_transpose(x)


def _eye(n: int, dtype):
    return np.eye(n, dtype=dtype)


def _dtype(x):
    return (x._value if isinstance(x, _Base) else x).dtype


def _half_lower(n: int, dtype):
    """Φ's mask: ones strictly below the diagonal, 1/2 on it (Murray's cholesky formula)."""
    return np.tril(np.ones((n, n), dtype=dtype)) - 0.5 * np.eye(n, dtype=dtype)


def _diag_part(x):
    n = shape_of(x)[-1]
    ar = np.arange(n)
    return _getitem(x, index=(Ellipsis, ar, ar))


def _diag(v):
    """Matrices with ``v`` (shape [..., n]) on their diagonals."""
    n = shape_of(v)[-1]
    return _expand_dims(v, axis=len(shape_of(v))) * _eye(n, _dtype(v))


def _lift(v):
    """[..., ] -> [..., 1, 1], to scale whole matrices."""
    return _reshape(v, shape=tuple(shape_of(v)) + (1, 1))


def _square(x: Any, op: str) -> Any:
    x = x if isinstance(x, _Base) else convert_raw(x)
    s = shape_of(x)
    if len(s) < 2 or s[-1] != s[-2]:
        raise named(ValueError(f"{op}: input must be a square matrix or a batch of them "
                               f"(shape [..., M, M]), got shape {list(s)}."))
    if _dtype(x).kind != "f":
        raise named(TypeError(f"{op}: input must be float16/32/64, got "
                              f"{_dt.from_numpy(_dtype(x)).name}."))
    return x


# -- inverse, determinants -------------------------------------------------------------------------
@primitive(name="matrix_inverse")
def _inv(x):
    return np.linalg.inv(x)


# d(A⁻¹) = -A⁻¹ dA A⁻¹, so dA = -A⁻ᵀ g A⁻ᵀ
_inv.defvjp(lambda g, ans, x: (-_matmul(_matmul(_mT(ans), g), _mT(ans)),))
_inv.defjvp(lambda t, ans, x: -_matmul(_matmul(ans, t[0]), ans))


def inv(input: Any, adjoint: bool = False, name: str | None = None) -> Tensor:  # noqa: A002
    """Inverse of each square matrix (``tf.linalg.inv``); a singular matrix raises
    InvalidArgumentError.

    >>> import tapegrad as tf
    >>> tf.linalg.inv([[2.0, 0.0], [0.0, 4.0]]).numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """
    x = _square(input, "inv")
    return _inv(_mT(x) if adjoint else x)


@primitive(name="matrix_determinant")
def _det(x):
    return np.linalg.det(x)


# d det = det · tr(A⁻¹ dA): dA = g det A⁻ᵀ (as TF, through the inverse: singular A fails)
_det.defvjp(lambda g, ans, x: (_lift(g * ans) * _mT(_inv(x)),))
_det.defjvp(lambda t, ans, x: ans * _trace(_solve(x, t[0])))


def det(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Determinant of each square matrix (``tf.linalg.det``).

    >>> import tapegrad as tf
    >>> print(tf.linalg.det([[1.0, 2.0], [3.0, 4.0]]).numpy().round(5))
    -2.0
    """
    return _det(_square(input, "det"))


@primitive(name="log_matrix_determinant")
def _slogdet(x):
    sign, logabs = np.linalg.slogdet(x)
    return (sign, logabs)


def _slogdet_vjp(g, ans, x):
    # the sign is piecewise constant: only log|det| carries gradient, d log|det| = tr(A⁻¹ dA)
    return (_lift(g[1]) * _mT(_inv(x)),)


_slogdet.defvjp(_slogdet_vjp)
_slogdet.defjvp(lambda t, ans, x: (None, _trace(_solve(x, t[0]))))


def slogdet(input: Any, name: str | None = None) -> tuple:  # noqa: A002
    """``(sign, log|det|)`` of each square matrix (``tf.linalg.slogdet``); stable where det
    over- or underflows. Only ``log|det|`` is differentiable.

    >>> import tapegrad as tf
    >>> s, l = tf.linalg.slogdet([[1.0, 2.0], [3.0, 4.0]])
    >>> float(s), round(float(l), 5)
    (-1.0, 0.69315)
    """
    return _slogdet(_square(input, "slogdet"))


def logdet(matrix: Any, name: str | None = None) -> Tensor:
    """log det of each Hermitian positive-definite matrix (``tf.linalg.logdet``), computed as
    2 Σ log diag(cholesky(A)) like TF (so a non-PD input raises).

    >>> import tapegrad as tf
    >>> round(float(tf.linalg.logdet([[2.0, 0.0], [0.0, 3.0]])), 5)
    1.79176
    """
    chol = cholesky(matrix)
    return 2.0 * _reduce_sum(log(_diag_part(chol)), axes=(len(shape_of(chol)) - 2,),
                             keepdims=False)


# -- solves ----------------------------------------------------------------------------------------
@primitive(name="matrix_solve", same_dtype=True)
def _solve(a, b):
    return np.linalg.solve(a, b)


def _solve_vjp(g, ans, a, b):
    # x = A⁻¹b: db = A⁻ᵀ g (one solve, no inverse), dA = -db xᵀ
    db = _solve(_mT(a), g)
    return (unbroadcast(-_matmul(db, _mT(ans)), a, ans), unbroadcast(db, b, ans))


_solve.defvjp(_solve_vjp)


@_solve.defjvp
def _solve_jvp(t, ans, a, b):
    rhs = tangent_add(t[1], None if t[0] is None else -_matmul(t[0], ans), ans)
    return _solve(a, rhs)


def _rhs_shapes(a, b, op: str) -> tuple:
    """Shapes of a square ``a`` [..., M, M] and a right-hand side ``b`` [..., M, K], checked."""
    sa, sb = shape_of(a), shape_of(b)
    if len(sb) < 2 or sb[-2] != sa[-1]:
        raise named(ValueError(f"{op}: rhs must have shape [..., {sa[-1]}, K] for a matrix of "
                               f"shape "
                               f"{list(sa)}, got {list(sb)}."))
    return sa, sb


def solve(matrix: Any, rhs: Any, adjoint: bool = False, name: str | None = None) -> Tensor:
    """Solve ``matrix @ x = rhs`` for x (``tf.linalg.solve``); ``matrix`` [..., M, M], ``rhs``
    [..., M, K]. The gradient uses solves with Aᵀ, never the inverse.

    >>> import tapegrad as tf
    >>> tf.linalg.solve([[2.0, 0.0], [0.0, 4.0]], [[1.0], [1.0]]).numpy()
    array([[0.5 ],
           [0.25]], dtype=float32)
    """
    a, b = _tensor_args(matrix, rhs)
    a = _square(a, "solve")
    sa, sb = _rhs_shapes(a, b, "solve")
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        raise ValueError(f"solve: batch dimensions of {list(sa)} and {list(sb)} do not "
                         f"broadcast.") from None
    return _solve(_mT(a) if adjoint else a, b)


@primitive(name="matrix_triangular_solve", same_dtype=True)
def _triangular_solve(a, b, *, lower, adjoint):
    t = np.tril(a) if lower else np.triu(a)  # the other triangle is ignored, as TF's
    return np.linalg.solve(np.swapaxes(t, -1, -2) if adjoint else t, b)


def _tri_mask(a, lower: bool):
    n = shape_of(a)[-1]
    m = np.ones((n, n), dtype=_dtype(a))
    return np.tril(m) if lower else np.triu(m)


def _triangular_solve_vjp(g, ans, a, b, *, lower, adjoint):
    # x = T⁻¹b with T = tri(a) (or its transpose): db = T⁻ᵀ g, dT = -db xᵀ, kept on a's triangle
    db = _triangular_solve(a, g, lower=lower, adjoint=not adjoint)
    dt = -_matmul(ans, _mT(db)) if adjoint else -_matmul(db, _mT(ans))
    return (unbroadcast(dt * _tri_mask(a, lower), a, ans), unbroadcast(db, b, ans))


_triangular_solve.defvjp(_triangular_solve_vjp)


@_triangular_solve.defjvp
def _triangular_solve_jvp(t, ans, a, b, *, lower, adjoint):
    dtx = None
    if t[0] is not None:
        dtri = t[0] * _tri_mask(a, lower)
        dtx = -_matmul(_mT(dtri) if adjoint else dtri, ans)
    return _triangular_solve(a, tangent_add(t[1], dtx, ans), lower=lower, adjoint=adjoint)


def triangular_solve(matrix: Any, rhs: Any, lower: bool = True, adjoint: bool = False,
                     name: str | None = None) -> Tensor:
    """Solve ``T x = rhs`` with T the lower (or upper) triangle of ``matrix``, or ``Tᵀ x =
    rhs`` when ``adjoint`` (``tf.linalg.triangular_solve``); the other triangle is ignored.

    >>> import tapegrad as tf
    >>> tf.linalg.triangular_solve([[2.0, 5.0], [1.0, 4.0]], [[1.0], [1.0]]).numpy()
    array([[0.5  ],
           [0.125]], dtype=float32)
    """
    a, b = _tensor_args(matrix, rhs)
    a = _square(a, "triangular_solve")
    _rhs_shapes(a, b, "triangular_solve")
    return _triangular_solve(a, b, lower=bool(lower), adjoint=bool(adjoint))


# -- cholesky --------------------------------------------------------------------------------------
@primitive(name="cholesky")
def _cholesky(x):
    return np.linalg.cholesky(x)  # reads the lower triangle, as TF's


def _cholesky_vjp(g, ans, x):
    # Murray (2016): P = Φ(Lᵀ Ḡ), S = L⁻ᵀ P L⁻¹ by two triangular solves, Ā = (S + Sᵀ) / 2
    n = shape_of(x)[-1]
    p = _matmul(_mT(ans), g) * _half_lower(n, _dtype(ans))
    s = _triangular_solve(ans, p, lower=True, adjoint=True)              # L⁻ᵀ P
    s = _mT(_triangular_solve(ans, _mT(s), lower=True, adjoint=True))    # (L⁻ᵀ (L⁻ᵀP)ᵀ)ᵀ
    return (0.5 * (s + _mT(s)),)


_cholesky.defvjp(_cholesky_vjp)


@_cholesky.defjvp
def _cholesky_jvp(t, ans, x):
    # dL = L Φ(L⁻¹ dA L⁻ᵀ), with dA symmetrized (the gradient above is symmetric too)
    n = shape_of(x)[-1]
    da = 0.5 * (t[0] + _mT(t[0]))
    m = _triangular_solve(ans, da, lower=True, adjoint=False)                # L⁻¹ dA
    m = _mT(_triangular_solve(ans, _mT(m), lower=True, adjoint=False))       # L⁻¹ dA L⁻ᵀ
    return _matmul(ans, m * _half_lower(n, _dtype(ans)))


def cholesky(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Lower-triangular L with L Lᵀ = A for each symmetric positive-definite A
    (``tf.linalg.cholesky``). Only the lower triangle of A is read; the gradient is the
    symmetric one (TF's), from Murray's formula with triangular solves.

    >>> import tapegrad as tf
    >>> tf.linalg.cholesky([[4.0, 2.0], [2.0, 5.0]]).numpy()
    array([[2., 0.],
           [1., 2.]], dtype=float32)
    """
    return _cholesky(_square(input, "cholesky"))


# -- eigh, svd, qr ---------------------------------------------------------------------------------
def _gap_inverse(e):
    """F[i, j] = 1 / (e[j] - e[i]) off the diagonal, 0 on it (traceable in e)."""
    n = shape_of(e)[-1]
    eye = _eye(n, _dtype(e))
    diff = _expand_dims(e, axis=len(shape_of(e)) - 1) - _expand_dims(e, axis=len(shape_of(e)))
    return (1.0 - eye) / (diff + eye)


@primitive(name="self_adjoint_eig")
def _eigh(x):
    e, v = np.linalg.eigh(x)  # reads the lower triangle, as TF's
    return (e, v)


def _eigh_vjp(g, ans, x):
    # Ā = V (diag(ē) + F ∘ (Vᵀ V̄)) Vᵀ; then TF's convention: symmetrize and keep the lower
    # triangle (halving the diagonal), since the op reads only that triangle
    ge, gv = g
    e, v = ans
    inner = _diag(ge) + _gap_inverse(e) * _matmul(_mT(v), gv)
    ga = _matmul(_matmul(v, inner), _mT(v))
    n = shape_of(x)[-1]
    return ((ga + _mT(ga)) * _half_lower(n, _dtype(x)),)


_eigh.defvjp(_eigh_vjp)


@_eigh.defjvp
def _eigh_jvp(t, ans, x):
    # the symmetric matrix the op sees: the lower triangle of dA mirrored
    e, v = ans
    n = shape_of(x)[-1]
    low = np.tril(np.ones((n, n), dtype=_dtype(x)), -1)
    da = t[0] * (low + _eye(n, _dtype(x))) + _mT(t[0] * low)
    dp = _matmul(_matmul(_mT(v), da), v)
    return (_diag_part(dp), _matmul(v, _gap_inverse(e) * dp))


def eigh(tensor: Any, name: str | None = None) -> tuple:
    """Eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix
    (``tf.linalg.eigh``), as ``(e, v)``.

    Only the lower triangle is read, and the gradient (TF's convention) is lower-triangular.
    Eigenvectors are defined up to sign, and the gradient is undefined (infinite) where two
    eigenvalues coincide: differentiate functions that do not depend on the sign, of matrices
    with distinct eigenvalues.

    >>> import tapegrad as tf
    >>> e, v = tf.linalg.eigh([[2.0, 1.0], [1.0, 2.0]])
    >>> e.numpy().round(4)
    array([1., 3.], dtype=float32)
    """
    return _eigh(_square(tensor, "eigh"))


def eigvalsh(tensor: Any, name: str | None = None) -> Tensor:
    """Eigenvalues of each symmetric matrix (``tf.linalg.eigvalsh``), differentiable.

    >>> import tapegrad as tf
    >>> tf.linalg.eigvalsh([[2.0, 0.0], [0.0, 1.0]]).numpy().round(4)
    array([1., 2.], dtype=float32)
    """
    return eigh(tensor)[0]


@primitive(name="svd")
def _svd(x):
    u, s, vh = np.linalg.svd(x, full_matrices=False)
    return (s, u, np.swapaxes(vh, -1, -2))


def _svd_vjp(g, ans, x):
    # Townsend (2016), thin SVD A = U S Vᵀ (k = min(m, n)), F[i, j] = 1 / (s_j² - s_i²):
    # Ā = U [(F∘(UᵀŪ - ŪᵀU)) S + diag(s̄) + S (F∘(VᵀV̄ - V̄ᵀV))] Vᵀ
    #     + (I - UUᵀ) Ū S⁻¹ Vᵀ + U S⁻¹ V̄ᵀ (I - VVᵀ)
    gs, gu, gv = g
    s, u, v = ans
    f = _gap_inverse(s * s)
    utgu = _matmul(_mT(u), gu)
    vtgv = _matmul(_mT(v), gv)
    row = _expand_dims(s, axis=len(shape_of(s)))       # s as a column: scales rows
    col = _expand_dims(s, axis=len(shape_of(s)) - 1)   # s as a row: scales columns
    inner = (f * (utgu - _mT(utgu))) * col + _diag(gs) + row * (f * (vtgv - _mT(vtgv)))
    ga = _matmul(_matmul(u, inner), _mT(v))
    m, n = shape_of(x)[-2:]
    if m > shape_of(s)[-1]:  # tall: the part of Ū outside U's columns
        ga = ga + _matmul((gu - _matmul(u, utgu)) / col, _mT(v))
    if n > shape_of(s)[-1]:  # wide: the part of V̄ outside V's columns
        ga = ga + _matmul(u / col, _mT(gv - _matmul(v, vtgv)))
    return (ga,)


_svd.defvjp(_svd_vjp)


@_svd.defjvp
def _svd_jvp(t, ans, x):
    # dP = Uᵀ dA V; ds = diag(dP); dU = U (F∘(dP S + S dPᵀ)) + (I - UUᵀ) dA V S⁻¹, and dV alike
    s, u, v = ans
    da = t[0]
    f = _gap_inverse(s * s)
    dp = _matmul(_matmul(_mT(u), da), v)
    row = _expand_dims(s, axis=len(shape_of(s)))
    col = _expand_dims(s, axis=len(shape_of(s)) - 1)
    du = _matmul(u, f * (dp * col + row * _mT(dp)))
    dv = _matmul(v, f * (row * dp + _mT(dp) * col))
    m, n = shape_of(x)[-2:]
    k = shape_of(s)[-1]
    if m > k:
        dav = _matmul(da, v)
        du = du + (dav - _matmul(u, _matmul(_mT(u), dav))) / col
    if n > k:
        datu = _matmul(_mT(da), u)
        dv = dv + (datu - _matmul(v, _matmul(_mT(v), datu))) / col
    return (_diag_part(dp), du, dv)


def svd(tensor: Any, full_matrices: bool = False, compute_uv: bool = True,
        name: str | None = None) -> Any:
    """Singular value decomposition A = U diag(s) Vᵀ of each matrix (``tf.linalg.svd``):
    returns ``(s, u, v)`` (note: v, not vᵀ, and s first, as TF), or ``s`` alone when
    ``compute_uv=False``; singular values descend.

    Singular vectors are defined up to sign (pairs of them); the gradient is undefined where
    two singular values coincide (or one is zero, for the vectors of a non-square matrix):
    differentiate sign-invariant functions of matrices with distinct singular values.
    Only ``full_matrices=False`` is supported.

    >>> import tapegrad as tf
    >>> tf.linalg.svd([[3.0, 0.0], [0.0, -4.0]], compute_uv=False).numpy().round(4)
    array([4., 3.], dtype=float32)
    """
    x = tensor if isinstance(tensor, _Base) else convert_raw(tensor)
    if len(shape_of(x)) < 2:
        raise ValueError(f"svd: input must have rank >= 2, got shape {list(shape_of(x))}.")
    if full_matrices:
        raise NotImplementedError("svd: full_matrices=True is not supported; tapegrad computes "
                                  "the thin SVD (full_matrices=False).")
    s, u, v = _svd(x)
    return (s, u, v) if compute_uv else s


@primitive(name="qr")
def _qr(x):
    q, r = np.linalg.qr(x, mode="reduced")
    return (q, r)


def _rinv_right(y, r):
    """y R⁻¹ by a triangular solve: (R⁻ᵀ yᵀ)ᵀ."""
    return _mT(_triangular_solve(r, _mT(y), lower=False, adjoint=True))


def _rinv_right_t(y, r):
    """y R⁻ᵀ: (R⁻¹ yᵀ)ᵀ."""
    return _mT(_triangular_solve(r, _mT(y), lower=False, adjoint=False))


def _qr_vjp(g, ans, x):
    # TF's formula for m >= n: with L = tril(QᵀQ̄ - Q̄ᵀQ + RR̄ᵀ - R̄Rᵀ),
    # Ā = Q (R̄ + L R⁻ᵀ) + (Q̄ - Q QᵀQ̄) R⁻ᵀ
    gq, gr = g
    q, r = ans
    m, n = shape_of(x)[-2:]
    if m < n:
        raise NotImplementedError(f"qr: the gradient needs a square or tall input (m >= n), "
                                  f"got shape {list(shape_of(x))}.")
    qdq = _matmul(_mT(q), gq)
    rdr = _matmul(r, _mT(gr))
    low = np.tril(np.ones((n, n), dtype=_dtype(x)))
    tril = ((qdq - _mT(qdq)) + (rdr - _mT(rdr))) * low
    ga = _matmul(q, gr + _rinv_right_t(tril, r))
    return (ga + _rinv_right_t(gq - _matmul(q, qdq), r),)


_qr.defvjp(_qr_vjp)


@_qr.defjvp
def _qr_jvp(t, ans, x):
    # C = Qᵀ dA R⁻¹, Ω = tril(C,-1) - tril(C,-1)ᵀ (= QᵀdQ), dR = (C - Ω) R, dQ = dA R⁻¹ - Q(C - Ω)
    q, r = ans
    n = shape_of(x)[-1]
    dar = _rinv_right(t[0], r)
    c = _matmul(_mT(q), dar)
    low = np.tril(np.ones((n, n), dtype=_dtype(x)), -1)
    omega = c * low - _mT(c * low)
    return (dar - _matmul(q, c - omega), _matmul(c - omega, r))


def qr(input: Any, full_matrices: bool = False, name: str | None = None) -> tuple:  # noqa: A002
    """QR decomposition A = QR of each matrix (``tf.linalg.qr``), ``(q, r)`` with Q having
    orthonormal columns and R upper-triangular (reduced form; signs as LAPACK's, like TF's).
    The gradient needs full-rank square or tall matrices (m >= n).

    >>> import tapegrad as tf
    >>> q, r = tf.linalg.qr([[3.0, 0.0], [4.0, 5.0]])
    >>> (q @ r).numpy().round(5)
    array([[3., 0.],
           [4., 5.]], dtype=float32)
    """
    x = input if isinstance(input, _Base) else convert_raw(input)
    if len(shape_of(x)) < 2:
        raise ValueError(f"qr: input must have rank >= 2, got shape {list(shape_of(x))}.")
    if full_matrices:
        raise NotImplementedError("qr: full_matrices=True is not supported (reduced QR only).")
    return _qr(x)


# -- diagonals, traces, products -------------------------------------------------------------------
def _trace(x):
    return _reduce_sum(_diag_part(x), axes=(len(shape_of(x)) - 2,), keepdims=False)


def trace(x: Any, name: str | None = None) -> Tensor:
    """Sum of the diagonal of each matrix (``tf.linalg.trace``).

    >>> import tapegrad as tf
    >>> float(tf.linalg.trace([[1.0, 2.0], [3.0, 4.0]]))
    5.0
    """
    x = x if isinstance(x, _Base) else convert_raw(x)
    if len(shape_of(x)) < 2:
        raise ValueError(f"trace: input must have rank >= 2, got shape {list(shape_of(x))}.")
    n = min(shape_of(x)[-2:])
    ar = np.arange(n)
    return _reduce_sum(_getitem(x, index=(Ellipsis, ar, ar)), axes=(len(shape_of(x)) - 2,),
                       keepdims=False)


def diag_part(input: Any, name: str | None = None, k: int = 0) -> Tensor:  # noqa: A002
    """The main diagonal (``k=0``) or the k-th one of each matrix (``tf.linalg.diag_part``).

    >>> import tapegrad as tf
    >>> tf.linalg.diag_part([[1, 2], [3, 4]]).numpy().tolist()
    [1, 4]
    """
    x = input if isinstance(input, _Base) else convert_raw(input)
    s = shape_of(x)
    if len(s) < 2:
        raise ValueError(f"diag_part: input must have rank >= 2, got shape {list(s)}.")
    k = int(k)
    rows = np.arange(max(0, -k), min(s[-2], s[-1] - k))
    return _getitem(x, index=(Ellipsis, rows, rows + k))


def diag(diagonal: Any, name: str | None = None, k: int = 0) -> Tensor:
    """Square matrices with ``diagonal`` (shape [..., n]) on the main (or k-th) diagonal
    (``tf.linalg.diag``), zeros elsewhere.

    >>> import tapegrad as tf
    >>> tf.linalg.diag([1.0, 2.0]).numpy()
    array([[1., 0.],
           [0., 2.]], dtype=float32)
    """
    v = diagonal if isinstance(diagonal, _Base) else convert_raw(diagonal)
    s = shape_of(v)
    if not s:
        raise ValueError("diag: diagonal must have rank >= 1, got a scalar.")
    k = int(k)
    n = s[-1] + abs(k)
    # scatter v into zeros at out[..., i, i+k] (the transpose of taking that diagonal)
    i = np.arange(s[-1])
    return _getitem_grad(v, index=(Ellipsis, i + max(0, -k), i + max(0, k)),
                         shape=tuple(s[:-1]) + (n, n), nb=0)


def band_part(input: Any, num_lower: int, num_upper: int,  # noqa: A002
              name: str | None = None) -> Tensor:
    """Keep the band of each matrix within ``num_lower`` below and ``num_upper`` above the
    diagonal (-1: all), zeros elsewhere (``tf.linalg.band_part``).

    >>> import tapegrad as tf
    >>> tf.linalg.band_part([[1, 2], [3, 4]], 0, -1).numpy().tolist()
    [[1, 2], [0, 4]]
    """
    x = input if isinstance(input, _Base) else convert_raw(input)
    num_lower = static_int(num_lower, "num_lower", "band_part")
    num_upper = static_int(num_upper, "num_upper", "band_part")
    if len(shape_of(x)) < 2:
        raise ValueError(f"band_part: input must have rank >= 2, got shape {list(shape_of(x))}.")
    m, n = shape_of(x)[-2:]
    i, j = np.arange(m)[:, None], np.arange(n)[None, :]
    keep = ((num_lower < 0) | (i - j <= num_lower)) & ((num_upper < 0) | (j - i <= num_upper))
    return _where(keep, x, np.zeros((), dtype=_dtype(x)))


def matvec(a: Any, b: Any, transpose_a: bool = False, adjoint_a: bool = False,
           a_is_sparse: bool = False, b_is_sparse: bool = False,
           name: str | None = None) -> Tensor:
    """Matrix-vector product over the last dimensions, batching over the rest
    (``tf.linalg.matvec``).

    >>> import tapegrad as tf
    >>> tf.linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]).numpy()
    array([3., 7.], dtype=float32)
    """
    sb = shape_of(b)
    if len(sb) < 1:
        raise ValueError(f"matvec: b must have rank >= 1, got shape {list(sb)}.")
    a, b = _tensor_args(a, b)
    col = matmul(a, _expand_dims(b, axis=len(sb)), transpose_a=transpose_a, adjoint_a=adjoint_a)
    return _reshape(col, shape=tuple(shape_of(col)[:-1]))


adjoint = matrix_transpose  # real dtypes: the adjoint is the transpose
