"""Elementwise special functions: trigonometric, hyperbolic and their inverses, the error
function, softplus and log-sigmoid, expm1/log1p, rounding and float predicates.

Each primitive's forward, VJP and JVP stand together; VJPs use tapegrad ops (so nested tapes
differentiate them) and accept cotangents with leading batch dimensions (for ``jacobian``).
"""

from __future__ import annotations

import math as _pymath
from typing import Any

from ..engine.backend import xp as np
from ..engine.registry import primitive, unbroadcast
from ..engine.tensor import Tensor
from .math import _floats, _real_floats, exp, negative, sigmoid, sqrt, tangent_add

__all__ = [
    "atan2", "expm1", "log1p", "softplus", "log_sigmoid", "sin", "cos",
    "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "erf", "erfc",
    "round", "floor", "ceil", "is_nan", "is_inf", "is_finite",
]


# -- exponentials and logs accurate near 0 or for large |x| ---------------------------------------
@primitive(name="expm1")
def _expm1(x):
    _floats("expm1", x)
    return np.expm1(x)


_expm1.defvjp(lambda g, ans, x: (g * (ans + 1),))
_expm1.defjvp(lambda t, ans, x: t[0] * (ans + 1))


def expm1(x: Any, name: str | None = None) -> Tensor:
    """exp(x) - 1, accurate for small x (``tf.math.expm1``).

    >>> import tapegrad as tf
    >>> [f"{v:.4g}" for v in tf.math.expm1([0.0, 1e-10]).numpy()]  # exp(x) - 1 would give 0
    ['0', '1e-10']
    """
    return _expm1(x)


@primitive(name="log1p")
def _log1p(x):
    _floats("log1p", x)
    return np.log1p(x)


_log1p.defvjp(lambda g, ans, x: (g / (1 + x),))
_log1p.defjvp(lambda t, ans, x: t[0] / (1 + x))


def log1p(x: Any, name: str | None = None) -> Tensor:
    """log(1 + x), accurate for small x (``tf.math.log1p``).

    >>> import tapegrad as tf
    >>> [f"{v:.4g}" for v in tf.math.log1p([0.0, 1e-10]).numpy()]  # log(1 + x) would give 0
    ['0', '1e-10']
    """
    return _log1p(x)


@primitive(name="softplus")
def _softplus(x):
    _real_floats("softplus", x)
    return np.logaddexp(np.zeros((), x.dtype), x)


# d log(1 + e^x) = sigmoid(x) dx
_softplus.defvjp(lambda g, ans, x: (g * sigmoid(x),))
_softplus.defjvp(lambda t, ans, x: t[0] * sigmoid(x))


def softplus(features: Any, name: str | None = None) -> Tensor:
    """log(1 + exp(x)), stable for large |x| (``tf.math.softplus``, ``tf.nn.softplus``);
    its gradient is sigmoid(x).

    >>> import tapegrad as tf
    >>> tf.math.softplus([0.0, 100.0]).numpy().round(4)
    array([  0.6931, 100.    ], dtype=float32)
    """
    return _softplus(features)


def log_sigmoid(x: Any, name: str | None = None) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), stable for large |x| (``tf.math.log_sigmoid``).

    >>> import tapegrad as tf
    >>> tf.math.log_sigmoid([0.0, -100.0]).numpy().round(4)
    array([  -0.6931, -100.    ], dtype=float32)
    """
    return negative(_softplus(negative(x)))


# -- trigonometric and hyperbolic -----------------------------------------------------------------
@primitive(name="atan2", same_dtype=True)
def _atan2(y, x):
    _floats("atan2", y)
    return np.arctan2(y, x)


# d atan2(y, x) = (x dy - y dx) / (x^2 + y^2)
_atan2.defvjps(lambda g, ans, y, x: unbroadcast(g * x / (x * x + y * y), y, ans),
               lambda g, ans, y, x: unbroadcast(-g * y / (x * x + y * y), x, ans))
_atan2.defjvp(lambda t, ans, y, x: tangent_add(
    None if t[0] is None else t[0] * x / (x * x + y * y),
    None if t[1] is None else -t[1] * y / (x * x + y * y), ans))


def atan2(y: Any, x: Any, name: str | None = None) -> Tensor:
    """The angle of the point (x, y), in (-pi, pi] (``tf.math.atan2``; note y comes first).

    >>> import tapegrad as tf
    >>> tf.math.atan2([1.0, 1.0], [1.0, -1.0]).numpy().round(4)
    array([0.7854, 2.3562], dtype=float32)
    """
    return _atan2(y, x)


@primitive(name="sin")
def _sin(x):
    _floats("sin", x)
    return np.sin(x)


@primitive(name="cos")
def _cos(x):
    _floats("cos", x)
    return np.cos(x)


_sin.defvjp(lambda g, ans, x: (g * _cos(x),))
_sin.defjvp(lambda t, ans, x: t[0] * _cos(x))
_cos.defvjp(lambda g, ans, x: (-g * _sin(x),))
_cos.defjvp(lambda t, ans, x: -t[0] * _sin(x))


def sin(x: Any, name: str | None = None) -> Tensor:
    """Sine (``tf.math.sin``).

    >>> import tapegrad as tf
    >>> tf.math.sin([0.0, 1.5707964]).numpy().round(4)
    array([0., 1.], dtype=float32)
    """
    return _sin(x)


def cos(x: Any, name: str | None = None) -> Tensor:
    """Cosine (``tf.math.cos``).

    >>> import tapegrad as tf
    >>> tf.math.cos([0.0, 3.1415927]).numpy().round(4)
    array([ 1., -1.], dtype=float32)
    """
    return _cos(x)


@primitive(name="tan")
def _tan(x):
    _floats("tan", x)
    return np.tan(x)


# d tan = (1 + tan^2) dx
_tan.defvjp(lambda g, ans, x: (g * (1 + ans * ans),))
_tan.defjvp(lambda t, ans, x: t[0] * (1 + ans * ans))


def tan(x: Any, name: str | None = None) -> Tensor:
    """Tangent (``tf.math.tan``).

    >>> import tapegrad as tf
    >>> tf.math.tan([0.0, 0.7853982]).numpy().round(4)
    array([0., 1.], dtype=float32)
    """
    return _tan(x)


@primitive(name="asin")
def _asin(x):
    _floats("asin", x)
    return np.arcsin(x)


@primitive(name="acos")
def _acos(x):
    _floats("acos", x)
    return np.arccos(x)


# d asin = dx / sqrt(1 - x^2) = -d acos
_asin.defvjp(lambda g, ans, x: (g / sqrt(1 - x * x),))
_asin.defjvp(lambda t, ans, x: t[0] / sqrt(1 - x * x))
_acos.defvjp(lambda g, ans, x: (-g / sqrt(1 - x * x),))
_acos.defjvp(lambda t, ans, x: -t[0] / sqrt(1 - x * x))


def asin(x: Any, name: str | None = None) -> Tensor:
    """Inverse sine, in [-pi/2, pi/2] (``tf.math.asin``).

    >>> import tapegrad as tf
    >>> tf.math.asin([0.0, 1.0]).numpy().round(4)
    array([0.    , 1.5708], dtype=float32)
    """
    return _asin(x)


def acos(x: Any, name: str | None = None) -> Tensor:
    """Inverse cosine, in [0, pi] (``tf.math.acos``).

    >>> import tapegrad as tf
    >>> tf.math.acos([1.0, -1.0]).numpy().round(4)
    array([0.    , 3.1416], dtype=float32)
    """
    return _acos(x)


@primitive(name="atan")
def _atan(x):
    _floats("atan", x)
    return np.arctan(x)


_atan.defvjp(lambda g, ans, x: (g / (1 + x * x),))
_atan.defjvp(lambda t, ans, x: t[0] / (1 + x * x))


def atan(x: Any, name: str | None = None) -> Tensor:
    """Inverse tangent (``tf.math.atan``).

    >>> import tapegrad as tf
    >>> tf.math.atan([0.0, 1.0]).numpy().round(4)
    array([0.    , 0.7854], dtype=float32)
    """
    return _atan(x)


@primitive(name="sinh")
def _sinh(x):
    _floats("sinh", x)
    return np.sinh(x)


@primitive(name="cosh")
def _cosh(x):
    _floats("cosh", x)
    return np.cosh(x)


_sinh.defvjp(lambda g, ans, x: (g * _cosh(x),))
_sinh.defjvp(lambda t, ans, x: t[0] * _cosh(x))
_cosh.defvjp(lambda g, ans, x: (g * _sinh(x),))
_cosh.defjvp(lambda t, ans, x: t[0] * _sinh(x))


def sinh(x: Any, name: str | None = None) -> Tensor:
    """Hyperbolic sine (``tf.math.sinh``).

    >>> import tapegrad as tf
    >>> tf.math.sinh([0.0, 1.0]).numpy().round(4)
    array([0.    , 1.1752], dtype=float32)
    """
    return _sinh(x)


def cosh(x: Any, name: str | None = None) -> Tensor:
    """Hyperbolic cosine (``tf.math.cosh``).

    >>> import tapegrad as tf
    >>> tf.math.cosh([0.0, 1.0]).numpy().round(4)
    array([1.    , 1.5431], dtype=float32)
    """
    return _cosh(x)


@primitive(name="asinh")
def _asinh(x):
    _floats("asinh", x)
    return np.arcsinh(x)


@primitive(name="acosh")
def _acosh(x):
    _floats("acosh", x)
    return np.arccosh(x)


# TF's AsinhGrad / AcoshGrad: d asinh = dx / cosh(ans), d acosh = dx / sinh(ans)
_asinh.defvjp(lambda g, ans, x: (g / _cosh(ans),))
_asinh.defjvp(lambda t, ans, x: t[0] / _cosh(ans))
_acosh.defvjp(lambda g, ans, x: (g / _sinh(ans),))
_acosh.defjvp(lambda t, ans, x: t[0] / _sinh(ans))


def asinh(x: Any, name: str | None = None) -> Tensor:
    """Inverse hyperbolic sine (``tf.math.asinh``).

    >>> import tapegrad as tf
    >>> tf.math.asinh([0.0, 1.0]).numpy().round(4)
    array([0.    , 0.8814], dtype=float32)
    """
    return _asinh(x)


def acosh(x: Any, name: str | None = None) -> Tensor:
    """Inverse hyperbolic cosine, for x >= 1 (``tf.math.acosh``).

    >>> import tapegrad as tf
    >>> tf.math.acosh([1.0, 2.0]).numpy().round(4)
    array([0.   , 1.317], dtype=float32)
    """
    return _acosh(x)


@primitive(name="atanh")
def _atanh(x):
    _floats("atanh", x)
    return np.arctanh(x)


_atanh.defvjp(lambda g, ans, x: (g / (1 - x * x),))
_atanh.defjvp(lambda t, ans, x: t[0] / (1 - x * x))


def atanh(x: Any, name: str | None = None) -> Tensor:
    """Inverse hyperbolic tangent, for |x| < 1 (``tf.math.atanh``).

    >>> import tapegrad as tf
    >>> tf.math.atanh([0.0, 0.5]).numpy().round(4)
    array([0.    , 0.5493], dtype=float32)
    """
    return _atanh(x)


# -- the error function ---------------------------------------------------------------------------
# W. J. Cody's rational Chebyshev approximations (Math. Comp. 1969; Netlib specfun CALERF),
# accurate to about 1e-16 in float64, vectorized over three ranges of |x|.
_ERF_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
          3.20937758913846947e03, 1.85777706184603153e-1)
_ERF_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
          2.84423683343917062e03)
_ERF_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
          2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
          2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_ERF_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
          1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
          3.43936767414372164e03, 1.23033935480374942e03)
_ERF_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
          1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_ERF_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
          6.05183413124413191e-2, 2.33520497626869185e-3)
_ONE_OVER_SQRT_PI = 5.6418958354775628695e-1
_TWO_OVER_SQRT_PI = 2 * _ONE_OVER_SQRT_PI


def _ratio(t, num, den, lead):
    """(((num[-1] t + num[0]) t + num[1]) t ...) / (((t + den[0]) t + den[1]) t ...), the
    numerator/denominator pair of Cody's rational forms, evaluated in place (few temporaries:
    this runs on every element)."""
    n = t * num[-1]
    d = t.copy()
    for a, b in zip(num[:lead], den[:lead], strict=True):
        n += a
        n *= t
        d += b
        d *= t
    n += num[lead]
    d += den[lead]
    n /= d
    return n


def _times_exp_minus_square(r, y):
    """r * exp(-y^2), with y^2 split as ys^2 + (y - ys)(y + ys), ys = y rounded down to 1/16:
    keeps erfc's relative accuracy for large y (Cody's trick)."""
    ys = np.trunc(y * 16)
    ys /= 16
    d = y - ys
    d *= y + ys  # the two exponents stay separate: their sum would round away the low bits
    ys *= ys
    np.negative(ys, out=ys)
    r *= np.exp(ys, out=ys)
    np.negative(d, out=d)
    r *= np.exp(d, out=d)
    return r


_PY_ERF = np.frompyfunc(_pymath.erf, 1, 1)
_PY_ERFC = np.frompyfunc(_pymath.erfc, 1, 1)


def _erf_erfc(x, want_erfc: bool):
    """erf(x) or erfc(x) for a float array, computed in float64."""
    if np.size(x) <= 512:  # small arrays: the C library's erf per element is faster
        out = (_PY_ERFC if want_erfc else _PY_ERF)(x)
        return np.asarray(out, dtype=np.asarray(x).dtype)[()]
    x64 = np.asarray(x, dtype=np.float64)
    y = np.abs(x64)
    out = np.empty(y.shape)
    small = y <= 0.46875
    if small.all():  # one range only: no masking
        r = _ratio(y * y, _ERF_A, _ERF_B, 3)
        r *= x64
        return (1 - r if want_erfc else r).astype(np.asarray(x).dtype)[()]
    if small.any():
        xs = x64[small]
        e = _ratio(xs * xs, _ERF_A, _ERF_B, 3)
        e *= xs
        out[small] = 1 - e if want_erfc else e
    rest = ~small
    yr = y[rest]
    r = np.empty(yr.shape)
    mid = yr <= 4.0
    if mid.any():  # erfc(|x|) on 0.46875 < |x| <= 4
        ym = yr[mid]
        r[mid] = _times_exp_minus_square(_ratio(ym, _ERF_C, _ERF_D, 7), ym)
    big = ~mid
    if big.any():  # erfc(|x|) on |x| > 4 (0 beyond 26.543, where it underflows; NaN stays NaN)
        yb = np.minimum(yr[big], 27.0)
        yb[np.isnan(yr[big])] = np.nan
        z = 1 / (yb * yb)
        t = _ratio(z, _ERF_P, _ERF_Q, 4)
        t *= z
        t = (_ONE_OVER_SQRT_PI - t) / yb
        t = _times_exp_minus_square(t, yb)
        t[yb >= 26.543] = 0.0
        r[big] = t
    neg = x64[rest] < 0
    if want_erfc:
        out[rest] = np.where(neg, 2 - r, r)
    else:
        r = (0.5 - r) + 0.5
        out[rest] = np.where(neg, -r, r)
    return out.astype(np.asarray(x).dtype)[()]


@primitive(name="erf")
def _erf(x):
    _floats("erf", x)
    return _erf_erfc(x, want_erfc=False)


@primitive(name="erfc")
def _erfc(x):
    _floats("erfc", x)
    return _erf_erfc(x, want_erfc=True)


# erf'(x) = 2/sqrt(pi) exp(-x^2) = -erfc'(x)
_erf.defvjp(lambda g, ans, x: (g * (_TWO_OVER_SQRT_PI * exp(-(x * x))),))
_erf.defjvp(lambda t, ans, x: t[0] * (_TWO_OVER_SQRT_PI * exp(-(x * x))))
_erfc.defvjp(lambda g, ans, x: (g * (-_TWO_OVER_SQRT_PI * exp(-(x * x))),))
_erfc.defjvp(lambda t, ans, x: t[0] * (-_TWO_OVER_SQRT_PI * exp(-(x * x))))


def erf(x: Any, name: str | None = None) -> Tensor:
    """The Gauss error function (``tf.math.erf``), to float64 precision without SciPy.

    >>> import tapegrad as tf
    >>> tf.math.erf([0.0, 1.0]).numpy().round(4)
    array([0.    , 0.8427], dtype=float32)
    """
    return _erf(x)


def erfc(x: Any, name: str | None = None) -> Tensor:
    """1 - erf(x), accurate where erf(x) is close to 1 (``tf.math.erfc``).

    >>> import tapegrad as tf
    >>> [f"{v:.4g}" for v in tf.math.erfc([0.0, 5.0]).numpy()]  # 1 - erf(5) would give 0
    ['1', '1.537e-12']
    """
    return _erfc(x)


# -- rounding and predicates (no gradient: TF registers None for Round, Floor, Ceil) ------------
@primitive(name="round", differentiable=False)
def _round(x):
    return np.round(x) if x.dtype.kind in "fc" else x


def round(x: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    """Round half to even, elementwise (``tf.math.round``); no gradient, as TF.

    >>> import tapegrad as tf
    >>> tf.math.round([0.5, 1.5, 2.5, -1.7]).numpy()
    array([ 0.,  2.,  2., -2.], dtype=float32)
    """
    return _round(x)


@primitive(name="floor", differentiable=False)
def _floor(x):
    return np.floor(x) if x.dtype.kind in "fc" else x


def floor(x: Any, name: str | None = None) -> Tensor:
    """Largest integer <= x, elementwise (``tf.math.floor``); no gradient, as TF.

    >>> import tapegrad as tf
    >>> tf.math.floor([1.5, -1.5]).numpy()
    array([ 1., -2.], dtype=float32)
    """
    return _floor(x)


@primitive(name="ceil", differentiable=False)
def _ceil(x):
    return np.ceil(x) if x.dtype.kind in "fc" else x


def ceil(x: Any, name: str | None = None) -> Tensor:
    """Smallest integer >= x, elementwise (``tf.math.ceil``); no gradient, as TF.

    >>> import tapegrad as tf
    >>> tf.math.ceil([1.5, -1.5]).numpy()
    array([ 2., -1.], dtype=float32)
    """
    return _ceil(x)


@primitive(name="is_nan", differentiable=False)
def _is_nan(x):
    _floats("is_nan", x)
    return np.isnan(x)


def is_nan(x: Any, name: str | None = None) -> Tensor:
    """True where x is NaN (``tf.math.is_nan``).

    >>> import tapegrad as tf
    >>> tf.math.is_nan([1.0, float("nan")]).numpy()
    array([False,  True])
    """
    return _is_nan(x)


@primitive(name="is_inf", differentiable=False)
def _is_inf(x):
    _floats("is_inf", x)
    return np.isinf(x)


def is_inf(x: Any, name: str | None = None) -> Tensor:
    """True where x is +inf or -inf (``tf.math.is_inf``).

    >>> import tapegrad as tf
    >>> tf.math.is_inf([1.0, float("-inf")]).numpy()
    array([False,  True])
    """
    return _is_inf(x)


@primitive(name="is_finite", differentiable=False)
def _is_finite(x):
    _floats("is_finite", x)
    return np.isfinite(x)


def is_finite(x: Any, name: str | None = None) -> Tensor:
    """True where x is neither inf nor NaN (``tf.math.is_finite``).

    >>> import tapegrad as tf
    >>> tf.math.is_finite([1.0, float("inf"), float("nan")]).numpy()
    array([ True, False, False])
    """
    return _is_finite(x)
