"""Fused recurrent steps: the LSTM cell's gate arithmetic as one primitive (what Keras's LSTM
runs once per time step).

``lstm_cell(z, c) -> (h, c_new)`` takes the pre-activations ``z = x W + h U + b`` (gates i, f, g,
o along the last axis, Keras's and PyTorch's order) and the cell state::

    c_new = sigmoid(f) c + sigmoid(i) tanh(g)        h = sigmoid(o) tanh(c_new)

Composed from tapegrad ops this is 12 ops forward and about 25 backward per step; fused it is
one each. The backward kernel (``lstm_cell_grad``) is plain NumPy and runs only when nothing is
listening to the backward pass; under an outer tape or accumulator (higher derivatives) the VJP
is written with tapegrad ops, so every derivative order is available.
"""

from __future__ import annotations

from ..engine.backend import xp as np
from ..engine.registry import primitive
from ..engine.state import STATE
from ..engine.tensor import shape_of
from .array import _concat, _split
from .math import tanh

__all__: list[str] = []


def _gates(z):
    """sigmoid(i), sigmoid(f), tanh(g), sigmoid(o) of the pre-activations ``z``, in one array:
    sigmoid(x) = (1 + tanh(x / 2)) / 2, so one tanh over the contiguous ``z`` (NumPy's
    vectorised loop; strided slices would be several times slower) does all four gates, with no
    overflow on either tail."""
    u = z.shape[-1] // 4
    scale = np.full(4 * u, 0.5, dtype=z.dtype)
    scale[2 * u:3 * u] = 1
    a = np.tanh(z * scale)
    for sl in (slice(0, 2 * u), slice(3 * u, 4 * u)):
        s = a[..., sl]
        s += 1
        s *= z.dtype.type(0.5)
    return a


@primitive(name="lstm_cell", same_dtype=True)
def _lstm_cell(z, c):
    """(h, c_new, acts): ``acts`` the activated gates [..., 4 units], kept for the VJP."""
    acts = _gates(z)
    si, sf, tg, so = _split4(acts)
    c_new = sf * c
    c_new += si * tg
    return so * np.tanh(c_new), c_new, acts


def _cat(*parts):
    return np.concatenate(np.broadcast_arrays(*parts), axis=-1)


def _split4(a):
    u = a.shape[-1] // 4
    return a[..., :u], a[..., u:2 * u], a[..., 2 * u:3 * u], a[..., 3 * u:]


@primitive(name="lstm_cell_grad", differentiable=False)
def _lstm_cell_grad(gh, gc, ga, c, c_new, acts):
    """(dz, dc) of lstm_cell from the cotangents of h, c_new and acts (maybe with leading batch
    dims): dc_new = gc + gh so (1 - tanh² c_new); the activated gates' cotangents are
    (dc_new tg, dc_new c, dc_new si, gh tanh c_new) + ga, times each gate's derivative
    (s (1 - s) for a sigmoid, 1 - t² for the tanh); dc = dc_new sf."""
    si, sf, tg, so = _split4(acts)
    tc = np.tanh(c_new)
    dcn = gh * so * (1 - tc * tc) + gc
    dz = _cat(dcn * tg, dcn * c, dcn * si, gh * tc)
    dz += ga
    deriv = acts * (1 - acts)
    deriv[..., 2 * tg.shape[-1]:3 * tg.shape[-1]] = 1 - tg * tg
    dz *= deriv
    return dz, dcn * sf


def _quarters(z):
    shape = shape_of(z)
    return _split(z, axis=len(shape) - 1, sizes=(shape[-1] // 4,) * 4)


def _gate_derivative(acts):
    si, sf, tg, so = _quarters(acts)
    return _concat(si * (1 - si), sf * (1 - sf), 1 - tg * tg, so * (1 - so),
                   axis=len(shape_of(acts)) - 1)


@_lstm_cell.defvjp
def _lstm_cell_vjp(g, ans, z, c):
    gh, gc, ga = g
    h, c_new, acts = ans
    if not STATE.active:  # first-order backward pass: the fused kernel
        return _lstm_cell_grad(gh, gc, ga, c, c_new, acts)
    si, sf, tg, so = _quarters(acts)  # someone records the backward pass: tapegrad ops
    tc = tanh(c_new)
    dcn = gh * so * (1 - tc * tc) + gc
    dacts = _concat(dcn * tg, dcn * c, dcn * si, gh * tc, axis=len(shape_of(dcn)) - 1) + ga
    return dacts * _gate_derivative(acts), dcn * sf


@_lstm_cell.defjvp
def _lstm_cell_jvp(t, ans, z, c):
    tz, tc = t
    h, c_new, acts = ans
    si, sf, tg, so = _quarters(acts)
    dcn = None if tc is None else sf * tc
    tacts = None
    if tz is not None:
        tacts = _gate_derivative(acts) * tz
        ti, tf, tgg, to = _quarters(tacts)
        dz_cn = ti * tg + tf * c + si * tgg
        dcn = dz_cn if dcn is None else dcn + dz_cn
    th = tanh(c_new)
    dh = so * (1 - th * th) * dcn
    if tz is not None:
        dh = dh + to * th
    return dh, dcn, tacts


def lstm_cell(z, c):
    """One LSTM step's gates, fused: ``(h, c_new)`` from pre-activations ``z`` [..., 4 units]
    (gates i, f, g, o) and the cell state ``c`` [..., units]. Differentiable to any order.

    >>> import tapegrad as tf
    >>> from tapegrad.ops.rnn import lstm_cell
    >>> h, c = lstm_cell(tf.zeros([1, 8]), tf.ones([1, 2]))
    >>> [round(float(v), 4) for v in (h[0, 0], c[0, 0])]
    [0.2311, 0.5]
    """
    h, c_new, _ = _lstm_cell(z, c)
    return h, c_new
