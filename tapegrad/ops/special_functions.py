"""Gamma-family and inverse-error special functions: lgamma, digamma, polygamma, zeta, lbeta,
erfinv, erfcinv, ndtri, and the exponentially scaled Bessel functions.

Each forward is computed in float64 with NumPy (no SciPy) and cast back; each VJP is the next
function of the family, written with tapegrad ops, so derivatives nest to any order.
"""

from __future__ import annotations

import math as _pymath
from typing import Any

from ..engine.backend import xp as np
from ..engine.registry import primitive, unbroadcast
from ..engine.convert import convert_to_tensor
from ..engine.errors import named
from ..engine.tensor import Tensor, _Base
from .math import _floats, abs as _abs, exp, sign, square
from .reduce import reduce_sum
from .special import _erf_erfc

__all__ = ["lgamma", "digamma", "polygamma", "zeta", "lbeta", "erfinv", "erfcinv", "ndtri",
           "bessel_i0e", "bessel_i1e", "bessel_i0", "bessel_i1"]


def _pair(a: Any, b: Any) -> tuple:
    """Two operands of a binary special function; two Python numbers become float32 tensors,
    as TF converts them (a tensor operand gives its dtype to a Python number)."""
    if not isinstance(a, _Base) and not isinstance(b, _Base):
        a = convert_to_tensor(a)
    return a, b


def _f64(x):
    if np.iscomplexobj(x):  # TF has no complex kernels for these special functions
        raise named(TypeError(f"expects a real float tensor, got "
                              f"{np.asarray(x).dtype.name}; use tf.math.real first."))
    return np.asarray(x, dtype=np.float64)


def _out(v, like):
    """``v`` in the dtype of ``like`` (an array, or a dtype)."""
    dtype = like if isinstance(like, np.dtype) else np.asarray(like).dtype
    return np.asarray(v).astype(dtype)[()]


# -- log-gamma, digamma, polygamma, Hurwitz zeta ------------------------------------------------
def _py_lgamma(v: float) -> float:
    try:
        return _pymath.lgamma(v)
    except ValueError:  # poles at 0, -1, -2, …: TF gives +inf
        return _pymath.inf


_LGAMMA = np.frompyfunc(_py_lgamma, 1, 1)


def _digamma64(x):
    x = _f64(x).copy()
    out = np.zeros_like(x)
    pole = (x <= 0) & (x == np.floor(x))
    neg = (x < 0) & ~pole
    # reflection: psi(1 - x) - psi(x) = pi / tan(pi x)
    out[neg] -= np.pi / np.tan(np.pi * x[neg])
    x[neg] = 1.0 - x[neg]
    x[pole] = 1.0
    for _ in range(10):  # recurrence psi(x) = psi(x + 1) - 1/x until x >= 10
        small = x < 10.0
        out[small] -= 1.0 / x[small]
        x[small] += 1.0
    z = 1.0 / (x * x)
    series = z * (1 / 12 - z * (1 / 120 - z * (1 / 252 - z * (1 / 240 - z * (
        1 / 132 - z * (691 / 32760 - z / 12))))))  # B_2k / (2k), asymptotic
    out += np.log(x) - 0.5 / x - series
    out[pole] = np.nan
    return out


# Euler-Maclaurin remainder coefficients (Cephes' zeta): (2j)! / B_2j
_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
           7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
           -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18)


def _zeta64(s, q):
    """Hurwitz zeta sum_k (q + k)^-s for s > 1 and q > 0, or q < 0 not an integer with s an
    integer (as Cephes, whose domain TF keeps); NaN elsewhere, +inf at s == 1."""
    s, q = np.broadcast_arrays(_f64(s), _f64(q))
    ok = (s > 1) & ((q > 0) | ((s == np.floor(s)) & (q != np.floor(q))))
    s_, q_ = np.where(ok, s, 2.0), np.where(ok, q, 1.0)
    total = np.zeros(s_.shape)
    # a negative q: sum the terms below 1 directly, then continue from q + m > 0
    m = np.where(q_ < 0, np.ceil(-q_) + 1, 0.0)
    for k in range(int(m.max()) if m.size else 0):
        total += np.where(k < m, np.abs(q_ + k) ** -s_ * np.sign(q_ + k) ** s_, 0.0)
    q_ = q_ + m
    for k in range(10):
        total += (q_ + k) ** -s_
    w = q_ + 9.0
    b = w ** -s_
    total += b * w / (s_ - 1) - 0.5 * b
    a, k = np.ones(s_.shape), 0.0
    for coef in _ZETA_A:
        a = a * (s_ + k)
        b = b / w
        total += a * b / coef
        k += 1.0
        a = a * (s_ + k)
        b = b / w
        k += 1.0
    total = np.where(ok, total, np.nan)
    return np.where(s == 1, np.inf, total)


def _polygamma64(n, x):
    n, x = np.broadcast_arrays(_f64(n), _f64(x))
    fact = np.asarray(np.frompyfunc(lambda v: float(_pymath.factorial(int(v))) if v >= 0 and
                                    v == int(v) else _pymath.nan, 1, 1)(n), dtype=np.float64)
    out = (-1.0) ** (n + 1) * fact * _zeta64(n + 1, x)
    return np.where(n == 0, _digamma64(x), out)


@primitive(name="lgamma")
def _lgamma(x):
    _floats("lgamma", x)
    return _out(_LGAMMA(_f64(x)), x)


@primitive(name="digamma")
def _digamma(x):
    _floats("digamma", x)
    return _out(_digamma64(x), x)


@primitive(name="polygamma", same_dtype=True)
def _polygamma(n, x):
    dtype = np.result_type(n, x)  # a Python number takes the tensor operand's dtype
    _floats("polygamma", np.empty(0, dtype))
    return _out(_polygamma64(n, x), dtype)


@primitive(name="zeta", same_dtype=True)
def _zeta(s, q):
    dtype = np.result_type(s, q)
    _floats("zeta", np.empty(0, dtype))
    return _out(_zeta64(s, q), dtype)


_lgamma.defvjp(lambda g, ans, x: (g * _digamma(x),))
_lgamma.defjvp(lambda t, ans, x: t[0] * _digamma(x))
_digamma.defvjp(lambda g, ans, x: (g * _polygamma(np.ones((), np.asarray(x._value).dtype), x),))
_digamma.defjvp(lambda t, ans, x: t[0] * _polygamma(np.ones((), np.asarray(x._value).dtype), x))
# d/dx polygamma(n, x) = polygamma(n + 1, x); n is an order: no gradient (TF's None)
_polygamma.defvjps(None, lambda g, ans, n, x: unbroadcast(g * _polygamma(n + 1, x), x, ans))
_polygamma.defjvp(lambda t, ans, n, x: None if t[1] is None else t[1] * _polygamma(n + 1, x))
# d/dq zeta(s, q) = -s zeta(s + 1, q); TF defines no gradient for s
_zeta.defvjps(None, lambda g, ans, s, q: unbroadcast(-g * s * _zeta(s + 1, q), q, ans))
_zeta.defjvp(lambda t, ans, s, q: None if t[1] is None else -t[1] * s * _zeta(s + 1, q))


def lgamma(x: Any, name: str | None = None) -> Tensor:
    """log|Γ(x)| (``tf.math.lgamma``); +inf at the poles 0, -1, -2, ….

    >>> import tapegrad as tf
    >>> [round(v, 4) for v in tf.math.lgamma([0.5, 3.0, 10.0]).numpy().tolist()]
    [0.5724, 0.6931, 12.8018]
    """
    return _lgamma(x)


def digamma(x: Any, name: str | None = None) -> Tensor:
    """ψ(x) = d/dx log Γ(x) (``tf.math.digamma``); NaN at the poles.

    >>> import tapegrad as tf
    >>> [round(v, 4) for v in tf.math.digamma([1.0, 0.5, -0.5]).numpy().tolist()]
    [-0.5772, -1.9635, 0.0365]
    """
    return _digamma(x)


def polygamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """ψ⁽ᵃ⁾(x), the a-th derivative of digamma (``tf.math.polygamma``); ``a`` a non-negative
    integer held in a float tensor.

    >>> import tapegrad as tf
    >>> round(float(tf.math.polygamma(1.0, 1.0)), 6)   # π²/6
    1.644934
    """
    return _polygamma(*_pair(a, x))


def zeta(x: Any, q: Any, name: str | None = None) -> Tensor:
    """The Hurwitz zeta function Σₖ (q + k)^-x (``tf.math.zeta``); x > 1, and q > 0 or q a
    negative non-integer with x an integer (NaN elsewhere).

    >>> import tapegrad as tf
    >>> round(float(tf.math.zeta(2.0, 1.0)), 6)
    1.644934
    """
    return _zeta(*_pair(x, q))


def lbeta(x: Any, name: str | None = None) -> Tensor:
    """log |B(x)| = Σ lgamma(xᵢ) − lgamma(Σ xᵢ) over the last axis (``tf.math.lbeta``).

    >>> import tapegrad as tf
    >>> round(float(tf.math.lbeta([1.0, 1.0])), 4), round(float(tf.math.lbeta([2.0, 3.0])), 4)
    (0.0, -2.4849)
    """
    return reduce_sum(_lgamma(x), axis=-1) - _lgamma(reduce_sum(x, axis=-1))


# -- inverse error functions ----------------------------------------------------------------------
_ACKLAM_A = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
_ACKLAM_B = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01)
_ACKLAM_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
_ACKLAM_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
             3.754408661907416e+00)


def _poly(coefs, x):
    out = np.zeros_like(x)
    for c in coefs:
        out = out * x + c
    return out


def _ndtri64(p):
    """Φ⁻¹(p): Acklam's approximation, then one Halley step on erfc (relative error ~1e-15)."""
    p = _f64(p)
    lo = np.minimum(p, 1.0 - p)  # by symmetry work in the lower tail
    lo_safe = np.clip(lo, 1e-300, 0.5)
    central = lo_safe > 0.02425
    q = lo_safe - 0.5
    r = q * q
    xc = _poly(_ACKLAM_A, r) * q / (_poly(_ACKLAM_B, r) * r + 1.0)
    t = np.sqrt(-2.0 * np.log(lo_safe))
    xt = _poly(_ACKLAM_C, t) / (_poly(_ACKLAM_D, t) * t + 1.0)
    x = np.where(central, xc, xt)
    e = 0.5 * _f64(_erf_erfc(-x / np.sqrt(2.0), True)) - lo_safe
    u = e * np.sqrt(2.0 * np.pi) * np.exp(0.5 * x * x)
    x = x - u / (1.0 + 0.5 * x * u)
    x = np.where(p > 0.5, -x, x)
    x = np.where(p == 0, -np.inf, np.where(p == 1, np.inf, x))
    return np.where((p < 0) | (p > 1) | np.isnan(p), np.nan, x)


def _erfinv64(y):
    shape = np.shape(y)
    y = _f64(y).reshape(-1)
    x = np.asarray(_ndtri64(0.5 * (y + 1.0)) / np.sqrt(2.0))
    near0 = np.abs(y) < 0.5  # refine on erf itself, where (y + 1)/2 lost y's low bits
    if near0.any():
        xs, ys = x[near0], y[near0]
        for _ in range(2):
            xs = xs - (_f64(_erf_erfc(xs, False)) - ys) * (np.sqrt(np.pi) / 2) * np.exp(xs * xs)
        x = x.copy()
        x[near0] = xs
    return x.reshape(shape)


@primitive(name="erfinv")
def _erfinv(x):
    _floats("erfinv", x)
    return _out(_erfinv64(x), x)


@primitive(name="ndtri")
def _ndtri(x):
    _floats("ndtri", x)
    return _out(_ndtri64(x), x)


@primitive(name="erfcinv")
def _erfcinv(x):
    _floats("erfcinv", x)
    return _out(0.0 - _ndtri64(0.5 * _f64(x)) / np.sqrt(2.0) + 0.0, x)  # no -0.0 at 1


_HALF_SQRT_PI = _pymath.sqrt(_pymath.pi) / 2
_SQRT_2PI = _pymath.sqrt(2 * _pymath.pi)
_erfinv.defvjp(lambda g, ans, x: (g * _HALF_SQRT_PI * exp(square(ans)),))
_erfinv.defjvp(lambda t, ans, x: t[0] * _HALF_SQRT_PI * exp(square(ans)))
_ndtri.defvjp(lambda g, ans, x: (g * _SQRT_2PI * exp(0.5 * square(ans)),))
_ndtri.defjvp(lambda t, ans, x: t[0] * _SQRT_2PI * exp(0.5 * square(ans)))
_erfcinv.defvjp(lambda g, ans, x: (-g * _HALF_SQRT_PI * exp(square(ans)),))
_erfcinv.defjvp(lambda t, ans, x: -t[0] * _HALF_SQRT_PI * exp(square(ans)))


def erfinv(x: Any, name: str | None = None) -> Tensor:
    """The inverse of ``erf`` on (-1, 1) (``tf.math.erfinv``); ±inf at ±1, NaN outside.

    >>> import tapegrad as tf
    >>> [round(v, 5) for v in tf.math.erfinv([0.0, 0.5, -0.9]).numpy().tolist()]
    [0.0, 0.47694, -1.16309]
    """
    return _erfinv(x)


def erfcinv(x: Any, name: str | None = None) -> Tensor:
    """The inverse of ``erfc`` on (0, 2) (``tf.math.erfcinv``).

    >>> import tapegrad as tf
    >>> [round(v, 5) for v in tf.math.erfcinv([1.0, 0.5, 1e-10]).numpy().tolist()]
    [0.0, 0.47694, 4.57282]
    """
    return _erfcinv(x)


def ndtri(x: Any, name: str | None = None) -> Tensor:
    """The standard normal quantile Φ⁻¹(x) (``tf.math.ndtri``).

    >>> import tapegrad as tf
    >>> [round(v, 5) for v in tf.math.ndtri([0.5, 0.975, 0.001]).numpy().tolist()]
    [0.0, 1.95996, -3.09023]
    """
    return _ndtri(x)


# -- exponentially scaled modified Bessel functions of order 0 and 1 ------------------------------
def _bessel_ie64(x, order: int):
    """e^-|x| I_order(x): the power series for |x| <= 20, the asymptotic series beyond."""
    x = _f64(x)
    ax = np.abs(x)
    small = np.minimum(ax, 20.0)
    term = (0.5 * small) ** order / _pymath.factorial(order)
    total = term.copy()
    quarter = 0.25 * small * small
    for k in range(1, 90):
        term = term * quarter / (k * (k + order))
        total += term
    series = total * np.exp(-small)
    big = np.maximum(ax, 20.0)
    mu, term, asym = 4.0 * order * order, np.ones_like(big), np.ones_like(big)
    for k in range(1, 25):
        term = -term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * big)
        asym += term
    asym /= np.sqrt(2 * np.pi * big)
    out = np.where(ax <= 20.0, series, asym)
    return out * np.sign(x) if order == 1 else out


@primitive(name="bessel_i0e")
def _bessel_i0e(x):
    _floats("bessel_i0e", x)
    return _out(_bessel_ie64(x, 0), x)


@primitive(name="bessel_i1e")
def _bessel_i1e(x):
    _floats("bessel_i1e", x)
    return _out(_bessel_ie64(x, 1), x)


def _i1e_slope(x, ans):
    """d/dx i1e(x) = i0e(x) − i1e(x)(sign(x) + 1/x), which is 1/2 at x = 0 (as TF's)."""
    xv = np.asarray(x._value if hasattr(x, "_value") else x)
    safe = x + Tensor(np.where(xv == 0, np.ones((), xv.dtype), np.zeros((), xv.dtype)))
    ratio = ans / safe + Tensor(np.where(xv == 0, 0.5 * np.ones((), xv.dtype),
                                         np.zeros((), xv.dtype)))
    return _bessel_i0e(x) - ans * sign(x) - ratio


_bessel_i0e.defvjp(lambda g, ans, x: (g * (_bessel_i1e(x) - sign(x) * ans),))
_bessel_i0e.defjvp(lambda t, ans, x: t[0] * (_bessel_i1e(x) - sign(x) * ans))
_bessel_i1e.defvjp(lambda g, ans, x: (g * _i1e_slope(x, ans),))
_bessel_i1e.defjvp(lambda t, ans, x: t[0] * _i1e_slope(x, ans))


def bessel_i0e(x: Any, name: str | None = None) -> Tensor:
    """e^-|x| I₀(x), the exponentially scaled modified Bessel function of order 0
    (``tf.math.bessel_i0e``).

    >>> import tapegrad as tf
    >>> [round(v, 5) for v in tf.math.bessel_i0e([0.0, 1.0, 30.0]).numpy().tolist()]
    [1.0, 0.46576, 0.07315]
    """
    return _bessel_i0e(x)


def bessel_i1e(x: Any, name: str | None = None) -> Tensor:
    """e^-|x| I₁(x), the exponentially scaled modified Bessel function of order 1
    (``tf.math.bessel_i1e``).

    >>> import tapegrad as tf
    >>> [round(v, 5) for v in tf.math.bessel_i1e([-1.0, 0.0, 1.0]).numpy().tolist()]
    [-0.20791, 0.0, 0.20791]
    """
    return _bessel_i1e(x)


def bessel_i0(x: Any, name: str | None = None) -> Tensor:
    """I₀(x), the modified Bessel function of order 0 (``tf.math.bessel_i0``).

    >>> import tapegrad as tf
    >>> round(float(tf.math.bessel_i0(1.0)), 5)
    1.26607
    """
    return _bessel_i0e(x) * exp(_abs(x))


def bessel_i1(x: Any, name: str | None = None) -> Tensor:
    """I₁(x), the modified Bessel function of order 1 (``tf.math.bessel_i1``).

    >>> import tapegrad as tf
    >>> round(float(tf.math.bessel_i1(1.0)), 5)
    0.56516
    """
    return _bessel_i1e(x) * exp(_abs(x))
