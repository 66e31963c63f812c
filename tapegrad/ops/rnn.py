"""Fused recurrent steps: the LSTM and GRU cells' gate arithmetic as one primitive each (what
Keras's LSTM and GRU run once per time step; ``gru_cell`` is Keras 3's ``reset_after=True``).

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
from .creation import zeros_like
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


# -- GRU (Keras 3's reset_after=True) --------------------------------------------------------------
def _split3(a):
    u = a.shape[-1] // 3
    return a[..., :u], a[..., u:2 * u], a[..., 2 * u:]


@primitive(name="gru_cell", same_dtype=True)
def _gru_cell(xz, hz, h):
    """(h_new, acts) from the input part ``xz = x W + b_x`` and the recurrent part
    ``hz = h U + b_h`` (gates z, r, h along the last axis): z = sigmoid(xz_z + hz_z),
    r = sigmoid(xz_r + hz_r), hh = tanh(xz_h + r hz_h), h_new = z h + (1 - z) hh; ``acts`` is
    [z, r, hh], kept for the VJP."""
    u = h.shape[-1]
    acts = np.empty(np.broadcast_shapes(xz.shape, hz.shape), dtype=xz.dtype)
    pre = xz[..., :2 * u] + hz[..., :2 * u]
    acts[..., :2 * u] = np.tanh(pre * pre.dtype.type(0.5))
    acts[..., :2 * u] += 1
    acts[..., :2 * u] *= pre.dtype.type(0.5)
    z, r, hh = _split3(acts)
    np.tanh(xz[..., 2 * u:] + r * hz[..., 2 * u:], out=hh)
    return hh + z * (h - hh), acts


@primitive(name="gru_cell_grad", differentiable=False)
def _gru_cell_grad(gh, ga, xz, hz, h, acts):
    """(dxz, dhz, dh) of gru_cell: the activations' cotangents da_z = gh (h - hh),
    da_hh = gh (1 - z), da_r = da_hh (1 - hh²) hz_h, each times its gate's derivative."""
    z, r, hh = _split3(acts)
    ga_z, ga_r, ga_hh = _split3(ga)
    dhh = (gh * (1 - z) + ga_hh) * (1 - hh * hh)
    dz = (gh * (h - hh) + ga_z) * z * (1 - z)
    dr = (dhh * hz[..., 2 * z.shape[-1]:] + ga_r) * r * (1 - r)
    dxz = np.concatenate(np.broadcast_arrays(dz, dr, dhh), axis=-1)
    dhz = dxz.copy()
    dhz[..., 2 * z.shape[-1]:] *= r
    return dxz, dhz, gh * z


def _thirds(x):
    shape = shape_of(x)
    return _split(x, axis=len(shape) - 1, sizes=(shape[-1] // 3,) * 3)


@_gru_cell.defvjp
def _gru_cell_vjp(g, ans, xz, hz, h):
    gh, ga = g
    if not STATE.active:  # first-order backward pass: the fused kernel
        return _gru_cell_grad(gh, ga, xz, hz, h, ans[1])
    z, r, hh = _thirds(ans[1])  # someone records the backward pass: tapegrad ops
    ga_z, ga_r, ga_hh = _thirds(ga)
    hz_h = _thirds(hz)[2]
    dhh = (gh * (1 - z) + ga_hh) * (1 - hh * hh)
    dz = (gh * (h - hh) + ga_z) * z * (1 - z)
    dr = (dhh * hz_h + ga_r) * r * (1 - r)
    axis = len(shape_of(dz)) - 1
    return _concat(dz, dr, dhh, axis=axis), _concat(dz, dr, dhh * r, axis=axis), gh * z


@_gru_cell.defjvp
def _gru_cell_jvp(t, ans, xz, hz, h):
    txz, thz, th = (zeros_like(x) if ti is None else ti for ti, x in zip(t, (xz, hz, h)))
    z, r, hh = _thirds(ans[1])
    (xz_z, xz_r, xz_h), (hz_z, hz_r, hz_h) = _thirds(txz), _thirds(thz)
    tz = z * (1 - z) * (xz_z + hz_z)
    tr = r * (1 - r) * (xz_r + hz_r)
    thh = (1 - hh * hh) * (xz_h + tr * _thirds(hz)[2] + r * hz_h)
    th_new = tz * (h - hh) + z * th + (1 - z) * thh
    return th_new, _concat(tz, tr, thh, axis=len(shape_of(tz)) - 1)


def gru_cell(xz, hz, h):
    """One GRU step (Keras 3's ``reset_after=True``), fused: the new state from the input part
    ``xz`` [..., 3 units] and the recurrent part ``hz = h U + b`` [..., 3 units] (gates z, r, h)
    and the state ``h``. Differentiable to any order.

    >>> import tapegrad as tf
    >>> from tapegrad.ops.rnn import gru_cell
    >>> round(float(gru_cell(tf.zeros([1, 3]), tf.zeros([1, 3]), tf.ones([1, 1]))[0, 0]), 4)
    0.5
    """
    return _gru_cell(xz, hz, h)[0]
