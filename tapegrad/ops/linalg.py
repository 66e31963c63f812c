"""Linear algebra: matrix products (the rest of ``tf.linalg`` builds on these)."""

from __future__ import annotations

from typing import Any

from .._backend import xp as np
from .. import dtypes as _dt
from ..primitive import primitive, unbroadcast
from ..tensor import Tensor, shape_of
from .array import matrix_transpose

__all__ = ["matmul"]


@primitive(name="matmul", same_dtype=True)
def _matmul(x, y):
    k = x.shape[-1]
    if k <= 16 and x.dtype == np.float32 and x.size * y.shape[-1] <= 4096:
        # Tiny float32 products: round each product, then add in order, as TF's kernel does for
        # small matrices, so printed results match TF's to the last digit.
        return np.sum(x[..., :, :, None] * y[..., None, :, :], axis=-2)
    return np.matmul(x, y)


# x [..., m, k] @ y [..., k, n]: dx = g y^T, dy = x^T g (g may carry leading batch dims)
_matmul.defvjps(lambda g, ans, x, y: unbroadcast(_matmul(g, matrix_transpose(y)), x, ans),
                lambda g, ans, x, y: unbroadcast(_matmul(matrix_transpose(x), g), y, ans))


@_matmul.defjvp
def _matmul_jvp(t, ans, x, y):
    from .math import tangent_add
    return tangent_add(None if t[0] is None else _matmul(t[0], y),
                       None if t[1] is None else _matmul(x, t[1]), ans)


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
        raise ValueError(f"matmul: both inputs must have rank >= 2, got shapes {list(sa)} and "
                         f"{list(sb)}; use tf.linalg.matvec or tf.tensordot for vectors.")
    if transpose_a or adjoint_a:
        a = matrix_transpose(a)
        sa = sa[:-2] + (sa[-1], sa[-2])
    if transpose_b or adjoint_b:
        b = matrix_transpose(b)
        sb = sb[:-2] + (sb[-1], sb[-2])
    if sa[-1] != sb[-2]:
        raise ValueError(f"matmul: matrix size-incompatible: In[0] {list(sa)}, In[1] {list(sb)} "
                         f"(inner dimensions {sa[-1]} and {sb[-2]} differ).")
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        raise ValueError(f"matmul: batch dimensions of {list(sa)} and {list(sb)} do not "
                         f"broadcast.") from None
    return _matmul(a, b)
