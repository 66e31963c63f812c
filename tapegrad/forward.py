"""Forward-mode autodiff: ``ForwardAccumulator`` pushes tangents through each op's JVP."""

from __future__ import annotations

from typing import Any

import numpy as np

from .engine import dtypes as _dt, nest
from .engine.state import Listener, pop_listener, push_listener
from .engine.tape import GradientTape, UnconnectedGradients, _unconnected
from .engine.tensor import Tensor, _Base, convert_raw
from .engine.variable import Variable
from .ops.reduce import reduce_sum

__all__ = ["ForwardAccumulator", "jvp_via_vjp"]


def jvp_via_vjp(prim, tangents, out, inputs, params):
    """JVP of an op that has only a VJP: the VJP is linear in its cotangent ``u``, so
    ``J t = d/du <vjp(u), t>`` — one extra reverse pass (TF's trick for forward mode)."""
    outs = out if type(out) is tuple else (out,)
    us = [Tensor(np.zeros_like(o._value)) for o in outs]
    with GradientTape() as t:
        t.watch(us)
        dxs = prim.vjp(tuple(us) if type(out) is tuple else us[0], out, *inputs, **params)
        if type(dxs) not in (tuple, list):
            dxs = (dxs,)
        total = None
        for dx, tx in zip(dxs, tangents):
            if dx is None or tx is None:
                continue
            term = reduce_sum(dx * tx)
            total = term if total is None else total + term
    if total is None:
        return None
    res = t.gradient(total, us, unconnected_gradients=UnconnectedGradients.ZERO)
    return tuple(res) if type(out) is tuple else res[0]


class ForwardAccumulator(Listener):
    """Forward-mode autodiff (``tf.autodiff.ForwardAccumulator``): Jacobian-vector products.

    >>> import tapegrad as tf
    >>> v = tf.Variable([1.0, 2.0])
    >>> with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
    ...     y = tf.reduce_sum(v ** 3.0)
    >>> float(acc.jvp(y))
    3.0
    """

    late = True  # hears each op after the tapes (see Listener)

    def __init__(self, primals: Any, tangents: Any):
        ps, ts = nest.flatten(primals), nest.flatten(tangents)
        if len(ps) != len(ts):
            raise ValueError(f"ForwardAccumulator: {len(ps)} primals but {len(ts)} tangents.")
        self._tangents: dict[int, Any] = {}
        self._var_tangents: dict[int, Tensor] = {}
        self._keep: list = []
        for p, t in zip(ps, ts):
            if not isinstance(p, _Base):
                raise TypeError(f"ForwardAccumulator: primals must be Tensors or Variables, got "
                                f"{type(p).__name__}.")
            tv = t._value if isinstance(t, _Base) else convert_raw(t, p._value.dtype)
            if tv.dtype != p._value.dtype:
                raise ValueError(f"ForwardAccumulator: the tangent of a "
                                 f"{_dt.from_numpy(p._value.dtype).name} primal has dtype "
                                 f"{_dt.from_numpy(tv.dtype).name}; give it the primal's "
                                 f"dtype (tf.cast).")
            if np.shape(tv) != p._value.shape:
                raise ValueError(f"ForwardAccumulator: tangent shape {list(np.shape(tv))} does "
                                 f"not match primal shape {list(p._value.shape)}.")
            tt = t if isinstance(t, Tensor) else Tensor(np.asarray(tv, dtype=p._value.dtype))
            if isinstance(p, Variable):
                self._var_tangents[id(p)] = tt
            else:
                self._tangents[id(p)] = tt
            self._keep.append(p)
        self._active = False

    def __enter__(self) -> ForwardAccumulator:
        if self._active:
            raise ValueError("ForwardAccumulator: already active.")
        self._active = True
        push_listener(self)
        return self

    def __exit__(self, *exc) -> None:
        self._active = False
        pop_listener(self)

    def on_read(self, var: Variable, snap: Tensor) -> None:
        t = self._var_tangents.get(id(var))
        if t is not None:
            self._tangents[id(snap)] = t
            self._keep.append(snap)

    def on_op(self, rec) -> None:
        """Push the tangents of ``rec``'s inputs through its JVP to its outputs."""
        prim, inputs, out, params = rec.prim, rec.inputs, rec.out, rec.params
        tangents = [self._tangents.get(id(x)) for x in inputs]
        if all(t is None for t in tangents) or not prim.differentiable:
            return
        first = out[0] if type(out) is tuple else out
        if first._value.dtype.kind not in "fc":  # integer/bool outputs carry no tangent
            return
        i = pop_listener(self)  # our own JVP arithmetic is not pushed through us again
        try:
            if prim.jvp is not None:
                t_out = prim.jvp(tuple(tangents), out, *inputs, **params)
            elif prim.vjp is not None:
                t_out = jvp_via_vjp(prim, tangents, out, inputs, params)
            else:
                raise LookupError(f"No forward-mode gradient defined for operation "
                                  f"'{prim.name}'.")
        finally:
            push_listener(self, i)
        if type(out) is tuple:
            for o, t in zip(out, t_out):
                if t is not None:
                    self._tangents[id(o)] = t
            self._keep.append(out)
        elif t_out is not None:
            self._tangents[id(out)] = t_out
            self._keep.append(out)

    def jvp(self, primals: Any, unconnected_gradients: Any = None):
        """The tangent (J · tangents) of each primal computed inside the accumulator."""
        mode = _unconnected(unconnected_gradients or UnconnectedGradients.NONE)
        out = []
        for p in nest.flatten(primals):
            t = self._tangents.get(id(p))
            if t is None and isinstance(p, Variable):
                t = self._var_tangents.get(id(p))
            if t is None and mode is UnconnectedGradients.ZERO:
                t = Tensor(np.zeros_like(p._value))
            out.append(t)
        return nest.pack_sequence_as(primals, out)
