"""Primitives, the op registry, and ``bind`` — the one function every op call goes through.

A primitive is a named NumPy-level function (``impl``) with its VJP and JVP registered beside it
in its family file::

    @primitive
    def exp(x):
        return np.exp(x)

    @exp.defvjp
    def _exp_vjp(g, ans, x):
        return (g * ans,)

    @exp.defjvp
    def _exp_jvp(tangents, ans, x):
        return tangents[0] * ans

Calling ``exp(t)`` goes through :func:`bind`: unwrap the arguments, run ``impl``, wrap the
result.  When nothing is listening (no tape, accumulator or tracer on this thread) that is all —
the lean path.  Otherwise :func:`_record` puts a :class:`Record` on every tape that watches an
input, pushes tangents through the JVP for every forward accumulator, and tells the tracer.

VJPs and JVPs are written with tapegrad ops, so an outer tape records them: that is how nested
tapes give higher derivatives.  A VJP may receive ``g`` with extra *leading* batch dimensions
(``nb = g.ndim - ans.ndim``); ``jacobian`` uses that to run one vectorized backward pass.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .errors import named, op_error, op_type_error
from .convert import pack_operands
from .dtype_rules import same_dtype_vals
from .indexed_slices import IndexedSlices
from .operators import OPERATORS
from .state import HOOKS, QUIET, STATE, errstate_get, errstate_reset, errstate_set
from .tensor import Tensor, _new, _wrap, convert_raw, shape_of
from .variable import Variable

__all__ = ["Primitive", "primitive", "bind", "unbroadcast", "REGISTRY", "Record"]

REGISTRY: dict[str, Primitive] = {}


class Primitive:
    """A differentiable (or not) operation: forward ``impl``, ``vjp`` and ``jvp`` rules."""

    __slots__ = ("name", "impl", "vjp", "vjps", "jvp", "differentiable", "same_dtype",
                 "__weakref__")

    def __init__(self, impl: Callable, name: str | None = None, *, differentiable: bool = True,
                 same_dtype: bool = False, register: bool = True):
        self.impl = impl
        self.name = name or impl.__name__.lstrip("_")
        self.vjp: Callable | None = None
        self.vjps: tuple | None = None
        self.jvp: Callable | None = None
        self.differentiable = differentiable
        self.same_dtype = same_dtype
        if not register:  # built at run time (custom_gradient): one call's op, not in REGISTRY
            return
        if self.name in REGISTRY:
            raise ValueError(f"primitive {self.name!r} is registered twice")
        REGISTRY[self.name] = self

    def defvjp(self, fn: Callable) -> Callable:
        """Register ``fn(g, ans, *inputs, **params) -> tuple of input cotangents``."""
        self.vjp = fn
        return fn

    def defvjps(self, *fns: Callable | None) -> None:
        """Register one VJP per input, ``fn_i(g, ans, *inputs, **params) -> cotangent of input
        i``; the reverse pass calls only those whose input leads to a source (None: no
        gradient for that input)."""
        self.vjps = fns
        self.vjp = self._vjp_from_parts

    def _vjp_from_parts(self, g, ans, *inputs, **params):
        return tuple(f(g, ans, *inputs, **params) if f is not None else None for f in self.vjps)

    def defjvp(self, fn: Callable) -> Callable:
        """Register ``fn(tangents, ans, *inputs, **params) -> output tangent``."""
        self.jvp = fn
        return fn

    def __call__(self, *args: Any, name: str | None = None, **params: Any):
        return bind(self, args, params)

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


def primitive(impl: Callable | None = None, *, name: str | None = None,
              differentiable: bool = True, same_dtype: bool = False):
    """Decorator registering a NumPy-level function as a tapegrad primitive."""
    if impl is None:
        return lambda f: Primitive(f, name, differentiable=differentiable, same_dtype=same_dtype)
    return Primitive(impl, name, differentiable=differentiable, same_dtype=same_dtype)


class Record:
    """One recorded op on a tape: what ran, on which inputs, giving which output(s)."""

    __slots__ = ("prim", "inputs", "out", "params", "where")

    def __init__(self, prim, inputs, out, params):
        self.prim = prim
        self.inputs = inputs
        self.out = out
        self.params = params
        self.where = None


_EMPTY: dict = {}


def bind(prim: Primitive, args: tuple, params: dict = _EMPTY):
    """Run ``prim`` on ``args`` and record it wherever something is listening."""
    if STATE.active:  # a list of tensors where a tensor goes is packed by recorded ops
        args = pack_operands(args)
    try:
        if prim.same_dtype:
            vals = same_dtype_vals(prim, args)
        elif len(args) == 1 and type(args[0]) is Tensor:  # unary ops on a tensor: no list
            vals = (args[0]._value,)
        else:
            vals = [a._value if isinstance(a, (Tensor, Variable)) else convert_raw(a)
                    for a in args]
    except (TypeError, ValueError, AttributeError) as e:  # None, a string, an object
        raise named(e, prim.name) from None
    # ops are silent about inf/nan, as TF's kernels (check-numerics finds them): state.quiet()
    # and loud() inlined, two Python calls less per op
    token = None if errstate_get() is QUIET else errstate_set(QUIET)
    try:
        ans = prim.impl(*vals, **params)
    except (ValueError, IndexError, np.linalg.LinAlgError, OverflowError) as e:
        raise named(op_error(prim.name, vals, e)) from e
    except (TypeError, AttributeError) as e:  # NumPy has no kernel for these dtypes
        raise named(op_type_error(prim.name, vals, e)) from e
    except MemoryError as e:
        raise named(e, prim.name) from e
    finally:
        if token is not None:
            errstate_reset(token)
    if HOOKS.check_output is not None:
        HOOKS.check_output(prim, vals, ans)
    if not STATE.active:
        if type(ans) is tuple:
            return tuple(_wrap(v) for v in ans)
        out = _new(Tensor)
        out._value = ans
        return out
    return _record(prim, args, vals, ans, params)


def _record(prim: Primitive, args: tuple, vals: list, ans, params: dict):
    """Wrap ``ans`` and tell every listener of this thread that ``prim`` ran."""
    if type(ans) is tuple:
        out = tuple(_wrap(v) for v in ans)
    else:
        out = _new(Tensor)
        out._value = ans
    inputs = args
    for a in args:
        if isinstance(a, (Variable, IndexedSlices)):
            # Variable reads become snapshot Tensors the listeners track; an IndexedSlices
            # (a sparse gradient) is densified by a recorded op, so higher derivatives flow
            inputs = tuple(a._read_for_listeners(v) if isinstance(a, Variable) else
                           a.to_dense() if isinstance(a, IndexedSlices) else a
                           for a, v in zip(args, vals))
            break
    rec = _new(Record)  # the slots set directly: one Python call less per recorded op
    rec.prim, rec.inputs, rec.out, rec.params, rec.where = prim, inputs, out, params, None
    if HOOKS.op_line is not None:  # check-numerics: the VJP's errors name the forward line
        rec.where = HOOKS.op_line()
    for listener in STATE.listeners:
        listener.on_op(rec)
    return out


def unbroadcast(g, x, ans):
    """Sum ``g`` (shaped like ``ans``, maybe with leading batch dims) back to the shape of ``x``.

    The single place where broadcasting is undone: every binary op's VJP calls it.
    """
    if g is None:
        return None
    if type(g) is Tensor and type(x) is Tensor:  # same shape, no batch dims: nothing to undo
        gshape = g._value.shape
        if gshape == x._value.shape and len(gshape) == len(shape_of(ans)):
            return g
    xshape = shape_of(x)
    gshape = g._value.shape if isinstance(g, (Tensor, Variable)) else tuple(g.shape)
    nb = len(gshape) - len(shape_of(ans))
    if gshape[nb:] == xshape:
        return g
    lead = len(gshape) - nb - len(xshape)
    axes = list(range(nb, nb + lead))
    for i, d in enumerate(xshape):
        if d == 1 and gshape[nb + lead + i] != 1:
            axes.append(nb + lead + i)
    target = tuple(gshape[:nb]) + tuple(xshape)
    return OPERATORS.sum_to(g, tuple(axes), target)
