"""The reverse pass, and the one place where cotangents are added up (dense and sparse).

A tape's records are in execution order, which is already topological, so the pass needs no
graph sort and never recurses:

1. forward over the records, keep those that depend on a source (``relevant``);
2. backward over them, popping each output's cotangent once used, calling the op's VJP and
   adding its results into the cotangents of the op's inputs (:func:`accumulate`).

The caller hands over its list of records; a non-persistent tape gives up its own, so each
intermediate is freed as soon as the pass has gone past it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes as _dt
from .errors import InvalidArgumentError
from .state import HOOKS, loud, quiet
from .indexed_slices import IndexedSlices
from .operators import OPERATORS
from .tensor import Tensor, _Base, _wrap

__all__ = ["reverse_pass", "accumulate", "add_cotangents", "densify", "seeds_for", "finish"]


def reverse_pass(records: list, targets: list, seeds: list, src_ids: list) -> list:
    """Cotangents of ``targets`` (seeded ``seeds``) summed at each source, where ``src_ids[i]``
    are the ids standing for source i (a Variable's snapshots; a tensor itself)."""
    all_src: set = set()
    for ids in src_ids:
        all_src.update(ids)
    dep = set(all_src)
    relevant = _downstream(records, dep)
    del records
    token = quiet()  # one errstate for every VJP op of the pass
    try:
        ct = _pull_back(relevant, targets, seeds, dep, all_src)
    finally:
        loud(token)
    results = []
    for ids in src_ids:
        acc = None
        for k in ids:
            g = ct.get(k)
            if g is not None:
                acc = g if acc is None else add_cotangents(acc, g)
        results.append(acc)
    return results


def _downstream(records: list, dep: set) -> list:
    """The records that depend on an id in ``dep``; their outputs join ``dep``."""
    relevant = []
    for rec in records:
        for x in rec.inputs:
            if id(x) in dep:
                relevant.append(rec)
                out = rec.out
                if type(out) is tuple:
                    dep.update(id(o) for o in out)
                else:
                    dep.add(id(out))
                break
    return relevant


def _pull_back(relevant: list, targets: list, seeds: list, dep: set, all_src: set) -> dict:
    ct: dict[int, Any] = {}
    for t, g in zip(targets, seeds):
        if id(t) in dep:
            accumulate(ct, id(t), g)
    while relevant:
        rec = relevant.pop()
        out = rec.out
        if type(out) is tuple:
            gs = [ct.get(id(o)) if id(o) in all_src else ct.pop(id(o), None) for o in out]
            if all(g is None for g in gs):
                continue
            g = tuple(densify(g) if g is not None else _zeros_for(o, gs, out)
                      for g, o in zip(gs, out))
        else:
            key = id(out)
            g = ct.get(key) if key in all_src else ct.pop(key, None)
            if g is None:
                continue
            if type(g) is not Tensor:
                g = densify(g)
        vjps = rec.prim.vjps
        if vjps is not None and rec.where is None:
            # one rule per input: run only those a source needs, accumulating as we go
            inputs, params = rec.inputs, rec.params
            for f, x in zip(vjps, inputs):
                if f is not None:
                    k = id(x)
                    if k in dep:
                        dx = f(g, out, *inputs, **params)
                        if dx is not None:
                            old = ct.get(k)
                            ct[k] = dx if old is None else add_cotangents(old, dx)
            continue
        _whole_vjp(rec, g, dep, ct)
    return ct


def _whole_vjp(rec, g, dep: set, ct: dict) -> None:
    """An op with one VJP for all inputs (or any op under check-numerics, rec.where set)."""
    prim, out, inputs, params = rec.prim, rec.out, rec.inputs, rec.params
    if prim.vjp is None:
        if not prim.differentiable:
            return
        raise LookupError(f"No gradient defined for operation '{prim.name}' (op type: "
                          f"{prim.name}). Wrap it in tf.stop_gradient, or give it a gradient "
                          f"with tf.custom_gradient.")
    checked = rec.where is not None and HOOKS.check_vjp is not None
    if checked:  # check-numerics: a NaN inside the VJP names this op
        HOOKS.check_vjp(rec, None)
    if prim.vjps is not None:
        dxs = [f(g, out, *inputs, **params) if f is not None and id(x) in dep else None
               for f, x in zip(prim.vjps, inputs)]
    else:
        dxs = prim.vjp(g, out, *inputs, **params)
        if type(dxs) is not tuple and type(dxs) is not list:
            dxs = (dxs,)
    for x, dx in zip(inputs, dxs):
        if dx is not None and id(x) in dep:
            accumulate(ct, id(x), dx)
    if checked:
        HOOKS.check_vjp(rec, dxs)


# -- cotangents -----------------------------------------------------------------------------------
def densify(g):
    """A dense Tensor for a cotangent (an IndexedSlices is summed into its rows)."""
    if isinstance(g, IndexedSlices):
        return g.to_dense()
    return g


def add_cotangents(a, b):
    """``a + b`` for cotangents; two IndexedSlices stay sparse (rows concatenated)."""
    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices):
        return IndexedSlices(OPERATORS.concat([a.values, b.values], 0),
                             OPERATORS.concat([a.indices, b.indices], 0), a.dense_shape)
    return densify(a) + densify(b)


def accumulate(ct: dict, key: int, g) -> None:
    """Add ``g`` into the cotangent kept for ``key``."""
    old = ct.get(key)
    ct[key] = g if old is None else add_cotangents(old, g)


def zeros_like(s) -> Tensor:
    return _wrap(np.zeros(s._value.shape, dtype=s._value.dtype))


def _zeros_for(o: Tensor, gs: list, out: tuple) -> Tensor:
    """Zeros standing in for an unused output of a multi-output op (keeping any batch prefix)."""
    k = next(i for i, g in enumerate(gs) if g is not None)
    ref = gs[k]
    nb = len(ref.shape) - out[k]._value.ndim
    return _wrap(np.zeros(tuple(ref.shape[:nb]) + o._value.shape, dtype=o._value.dtype))


def _seed_value(g: Any, target: Any, i: int) -> np.ndarray:
    """A Python/NumPy output gradient as the target's dtype, or a TypeError naming it."""
    a = np.asarray(g)
    if a.dtype.kind not in "biufc":
        raise TypeError(f"GradientTape.gradient: output_gradients[{i}] must be a tensor or "
                        f"numbers of the target's shape, got {type(g).__name__} {g!r:.60}.")
    return a.astype(target._value.dtype)


def seeds_for(targets: list, grads: list | None) -> list:
    """The starting cotangent of each target: ``grads`` (checked), or ones."""
    if grads is not None and len(grads) != len(targets):
        raise ValueError(f"GradientTape.gradient: {len(targets)} targets but "
                         f"{len(grads)} output_gradients.")
    seeds = []
    for i, t in enumerate(targets):
        if not isinstance(t, _Base):
            raise TypeError(f"GradientTape.gradient: target must be a Tensor (or a structure "
                            f"of Tensors), got {type(t).__name__}: {t!r}")
        g = None if grads is None else grads[i]
        if g is None:
            seeds.append(_wrap(np.ones_like(t._value)))
            continue
        gv = g._value if isinstance(g, _Base) else _seed_value(g, t, i)
        if isinstance(g, _Base) and gv.dtype != t._value.dtype:
            raise InvalidArgumentError(
                f"GradientTape.gradient: output_gradients[{i}] has dtype "
                f"{_dt.from_numpy(gv.dtype).name} but its target has dtype "
                f"{_dt.from_numpy(t._value.dtype).name}; cast it with tf.cast first.")
        if gv.shape != t._value.shape:
            raise ValueError(f"GradientTape.gradient: output_gradients has shape "
                             f"{list(gv.shape)} but its target has shape "
                             f"{list(t._value.shape)}; they must match.")
        seeds.append(g if isinstance(g, _Base) else _wrap(gv.astype(t._value.dtype)))
    return seeds


def finish(g, source, zero: bool):
    """The gradient handed to the user for ``source``: zeros for None when ``zero``, and in
    the source's dtype (a float32 source of a float64 graph gets float32, as in TF)."""
    if g is None:
        if zero and isinstance(source, _Base):
            return zeros_like(source)
        return None
    if isinstance(g, IndexedSlices):
        return g
    if isinstance(source, _Base) and g._value.dtype != source._value.dtype:
        g = OPERATORS.cast(g, source.dtype)
    return g
