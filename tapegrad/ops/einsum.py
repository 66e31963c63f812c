"""Contractions: einsum (one primitive, its VJP contracts the cotangent with the other operands)
and tensordot (an einsum)."""

from __future__ import annotations

import string
from typing import Any

from ..engine.convert import static_ints
from ..engine.errors import named
from ..engine.backend import xp as np
from ..engine import dtypes as _dt
from ..engine.registry import primitive
from ..engine.tensor import Tensor, _Base, shape_of
from .math import tangent_add
from .array import _broadcast_to, _nb, _norm_axis, _range, _reshape, _tensor_arg

__all__ = [
    "einsum", "tensordot",
]


# -- einsum, tensordot -----------------------------------------------------------------------------
@primitive(name="einsum")
def _einsum(*xs, subscripts):
    *ins, out = subscripts
    eq = ",".join(ins) + "->" + out
    big = len(xs) > 2 or any(np.size(x) > 64 for x in xs)
    return np.einsum(eq, *xs, optimize=big)


def _einsum_operand_vjp(i: int):
    """The cotangent of operand i: contract g with the other operands onto i's subscripts."""
    def vjp(g, ans, *xs, subscripts):
        *ins, out = subscripts
        nb = _nb(g, ans)
        free = [c for c in string.ascii_letters if c not in "".join(subscripts)]
        batch = "".join(free[:nb])
        free = free[nb:]
        # a letter repeated in operand i (a diagonal) gets a fresh name tied by an identity
        seen, target, deltas = set(), [], []
        xshape = shape_of(xs[i])
        for pos, c in enumerate(ins[i]):
            if c in seen:
                fresh = free.pop(0)
                target.append(fresh)
                deltas.append((c + fresh, np.eye(xshape[pos], dtype=g._value.dtype)))
            else:
                seen.add(c)
                target.append(c)
        others = [j for j in _range(len(xs)) if j != i]
        have = set(out).union(*[ins[j] for j in others], *[d for d, _ in deltas])
        kept = "".join(c for c in target if c in have)  # letters summed only inside operand i
        subs = (batch + out,) + tuple(ins[j] for j in others) + tuple(d for d, _ in deltas)
        dx = _einsum(g, *[xs[j] for j in others], *[e for _, e in deltas],
                     subscripts=subs + (batch + kept,))
        if len(kept) != len(target):  # broadcast over those letters (their derivative is 1)
            lead = tuple(g.shape[:nb])
            dx = _reshape(dx, shape=lead + tuple(d if c in have else 1
                                                 for c, d in zip(target, xshape, strict=True)))
            dx = _broadcast_to(dx, shape=lead + tuple(xshape))
        return dx
    return vjp


def _einsum_jvp(t, ans, *xs, subscripts):
    total = None
    for i, ti in enumerate(t):
        if ti is not None:
            term = _einsum(*xs[:i], ti, *xs[i + 1:], subscripts=subscripts)
            total = tangent_add(total, term)
    return total


def _einsum_with_vjps(n: int):
    """Register one VJP per operand for an ``n``-operand contraction (first use of that n)."""
    if _einsum.vjps is None or len(_einsum.vjps) < n:
        _einsum.defvjps(*[_einsum_operand_vjp(i) for i in _range(max(n, 8))])


_einsum.defvjps(*[_einsum_operand_vjp(i) for i in _range(8)])
_einsum.defjvp(_einsum_jvp)


def _einsum_parse(equation: str, shapes: list) -> tuple:
    """Explicit subscripts (ellipses spelled out as letters) and the broadcast ellipsis shape."""
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(shapes):
        raise ValueError(f"einsum: equation {equation!r} names {len(ins)} operands but "
                         f"{len(shapes)} were given.")
    letters = set(c for c in eq if c.isalpha())
    if any(not (c.isalpha() or c in ".,->") for c in eq):
        raise ValueError(f"einsum: invalid character in equation {equation!r}.")
    free = [c for c in string.ascii_letters if c not in letters]
    ell_ranks = []
    for sub, shp in zip(ins, shapes, strict=True):
        named = len(sub.replace("...", ""))
        if "..." in sub:
            ell_ranks.append(len(shp) - named)
        elif named != len(shp):
            raise ValueError(f"einsum: subscripts {sub!r} name {named} dimensions but the "
                             f"operand has shape {list(shp)} (equation {equation!r}).")
        else:
            ell_ranks.append(0)
        if ell_ranks[-1] < 0:
            raise ValueError(f"einsum: subscripts {sub!r} name more dimensions than the operand "
                             f"shape {list(shp)} has.")
    e = max(ell_ranks, default=0)
    ell = "".join(free[:e])
    ell_shapes = [shp[sub.index("..."):sub.index("...") + r] if "..." in sub else ()
                  for sub, shp, r in zip(ins, shapes, ell_ranks, strict=True)]
    try:
        ell_shape = np.broadcast_shapes(*ell_shapes)
    except ValueError:
        raise ValueError(f"einsum: the '...' dimensions of shapes {[list(s) for s in shapes]} "
                         f"do not broadcast.") from None
    ins = [sub.replace("...", ell[e - r:]) for sub, r in zip(ins, ell_ranks, strict=True)]
    if not arrow:
        counts = {c: "".join(ins).count(c) for c in letters}
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1))
    else:
        out = out.replace("...", ell)
        if "..." in out or any(c not in "".join(ins) for c in out) or len(set(out)) != len(out):
            raise ValueError(f"einsum: output subscripts of {equation!r} must be distinct "
                             f"letters that appear in the inputs.")
    return ins, out, ell, ell_shape


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """Einstein summation (``tf.einsum``): ``'ij,jk->ik'``, ``'bij,bjk->bik'``, ``'ii->'``,
    ``'...ij,...j->...i'`` (ellipses broadcast) and the implicit form without ``->``.

    Differentiable in every operand to any order (each VJP is itself an einsum).

    >>> import tapegrad as tf
    >>> tf.einsum("ij,j->i", [[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]).numpy()
    array([3., 7.], dtype=float32)
    """
    if len(inputs) == 1 and isinstance(inputs[0], (list, tuple)):
        inputs = tuple(inputs[0])
    xs = [_tensor_arg(x) for x in inputs]
    shapes = [shape_of(x) for x in xs]
    ins, out, ell, ell_shape = _einsum_parse(equation, shapes)
    sizes: dict = {}
    for k, (sub, shp) in enumerate(zip(ins, shapes, strict=True)):
        if any(c in ell for c in sub) and len(sub) == len(shp):
            want = tuple(ell_shape[ell.index(c)] if c in ell else d
                         for c, d in zip(sub, shp, strict=True))
            if want != tuple(shp):  # broadcast '...' dims explicitly; the VJP sums them back
                xs[k] = _broadcast_to(xs[k], shape=want)
                shapes[k] = shp = want
        for c, d in zip(sub, shp, strict=True):
            if sizes.setdefault(c, d) != d:
                raise ValueError(f"einsum: dimension {c!r} has size {sizes[c]} in one operand "
                                 f"and {d} in another (equation {equation!r}, shapes "
                                 f"{[list(shape_of(x)) for x in inputs]}).")
    dts = {(x._value if isinstance(x, _Base) else x).dtype for x in xs}
    if len(dts) > 1:
        raise named(TypeError(f"einsum: operands have different dtypes "
                              f"{sorted(_dt.from_numpy(d).name for d in dts)}; cast them first."))
    _einsum_with_vjps(len(xs))
    return _einsum(*xs, subscripts=tuple(ins) + (out,))


def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """Contract ``a``'s ``axes[0]`` with ``b``'s ``axes[1]`` (an int N: the last N of ``a``
    with the first N of ``b``) (``tf.tensordot``).

    >>> import tapegrad as tf
    >>> tf.tensordot([[1.0, 2.0], [3.0, 4.0]], [[1.0], [1.0]], axes=1).numpy()
    array([[3.],
           [7.]], dtype=float32)
    """
    sa, sb = shape_of(a), shape_of(b)
    if isinstance(axes, _Base):
        axes = axes._value.tolist()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(len(sa), len(sb)):
            raise ValueError(f"tensordot: axes={n} must be in [0, {min(len(sa), len(sb))}] for "
                             f"shapes {list(sa)} and {list(sb)}.")
        ax_a, ax_b = list(_range(len(sa) - n, len(sa))), list(_range(n))
    else:
        if not isinstance(axes, (list, tuple)) or len(axes) != 2:
            raise TypeError(f"tensordot: axes must be an int or a pair of axis lists, got "
                            f"{axes!r:.40}.")
        ax_a, ax_b = (static_ints(a_, "axes", "tensordot") for a_ in axes)
        if len(ax_a) != len(ax_b):
            raise ValueError(f"tensordot: axes {axes} pair {len(ax_a)} axes of a with "
                             f"{len(ax_b)} of b.")
        ax_a = [_norm_axis(int(i), len(sa), "tensordot") for i in ax_a]
        ax_b = [_norm_axis(int(i), len(sb), "tensordot") for i in ax_b]
    for i, j in zip(ax_a, ax_b, strict=True):
        if sa[i] != sb[j]:
            raise ValueError(f"tensordot: axis {i} of a (shape {list(sa)}) and axis {j} of b "
                             f"(shape {list(sb)}) differ in size.")
    letters = string.ascii_letters
    sub_a = list(letters[:len(sa)])
    sub_b = list(letters[len(sa):len(sa) + len(sb)])
    for i, j in zip(ax_a, ax_b, strict=True):
        sub_b[j] = sub_a[i]
    out = ([c for k, c in enumerate(sub_a) if k not in ax_a]
           + [c for k, c in enumerate(sub_b) if k not in ax_b])
    return einsum("".join(sub_a) + "," + "".join(sub_b) + "->" + "".join(out), a, b)
