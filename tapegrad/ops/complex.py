"""Complex numbers: ``tf.complex``, ``real``, ``imag`` and ``conj``.

Gradients follow TF's convention for a real loss L of a complex z = x + iy: the cotangent of z
is dL/dx + i dL/dy. So ``real``'s VJP is complex(g, 0), ``imag``'s complex(0, g), and a
complex-linear map's VJP is its conjugate transpose.
"""

from __future__ import annotations

from typing import Any

from ..engine.backend import xp as np
from ..engine.registry import primitive, unbroadcast
from ..engine.tensor import Tensor, _Base, convert_raw

__all__ = ["complex", "real", "imag", "conj"]

_COMPLEX_OF = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128}
_REAL_OF = {np.dtype(np.complex64): np.float32, np.dtype(np.complex128): np.float64}


def complex_dtype(real_dtype) -> type:
    """The complex dtype whose parts are ``real_dtype`` (float32 → complex64)."""
    return _COMPLEX_OF[np.dtype(real_dtype)]


def real_dtype(complex_dtype) -> type:
    """The dtype of a ``complex_dtype``'s parts (complex64 → float32)."""
    return _REAL_OF[np.dtype(complex_dtype)]


@primitive(name="complex", same_dtype=True)
def _complex(x, y):
    x, y = np.broadcast_arrays(x, y)
    out = np.empty(x.shape, _COMPLEX_OF[x.dtype])
    out.real, out.imag = x, y
    return out


@primitive(name="real")
def _real(z):
    return np.ascontiguousarray(z.real)


@primitive(name="imag")
def _imag(z):
    return np.ascontiguousarray(z.imag)


@primitive(name="conj")
def _conj(z):
    return np.conj(z)


_complex.defvjps(lambda g, ans, x, y: unbroadcast(_real(g), x, ans),
                 lambda g, ans, x, y: unbroadcast(_imag(g), y, ans))
_complex.defjvp(lambda t, ans, x, y: _complex(t[0] if t[0] is not None else t[1] * 0,
                                              t[1] if t[1] is not None else t[0] * 0))
_real.defvjp(lambda g, ans, z: (_complex(g, g * 0),))
_real.defjvp(lambda t, ans, z: _real(t[0]))
_imag.defvjp(lambda g, ans, z: (_complex(g * 0, g),))
_imag.defjvp(lambda t, ans, z: _imag(t[0]))
_conj.defvjp(lambda g, ans, z: (_conj(g),))
_conj.defjvp(lambda t, ans, z: _conj(t[0]))


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, _Base) else Tensor(convert_raw(x))


def complex(real: Any, imag: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    """``real + 1j * imag`` (``tf.complex``): float32 parts give complex64, float64 complex128.

    >>> import tapegrad as tf
    >>> tf.complex([1.0, 2.0], [0.5, -1.0]).numpy()
    array([1.+0.5j, 2.-1.j ], dtype=complex64)
    """
    x, y = _as_tensor(real), _as_tensor(imag)
    if x.dtype != y.dtype or np.dtype(x.dtype.as_numpy_dtype) not in _COMPLEX_OF:
        raise TypeError(f"complex: real and imag must both be float32 or both float64, got "
                        f"{x.dtype.name} and {y.dtype.name}; cast them first.")
    return _complex(x, y)


def _part(op, fn, input):  # noqa: A002
    z = _as_tensor(input)
    if np.dtype(z.dtype.as_numpy_dtype).kind != "c":
        return z if op is _real else z * 0  # TF: the real part of a real tensor is itself
    return fn(z)


def real(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """The real part (``tf.math.real``); a real tensor is returned as it is.

    >>> import tapegrad as tf
    >>> tf.math.real(tf.complex([1.0], [2.0])).numpy()
    array([1.], dtype=float32)
    """
    return _part(_real, _real, input)


def imag(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """The imaginary part (``tf.math.imag``); zeros for a real tensor.

    >>> import tapegrad as tf
    >>> tf.math.imag(tf.complex([1.0], [2.0])).numpy()
    array([2.], dtype=float32)
    """
    return _part(_imag, _imag, input)


def conj(x: Any, name: str | None = None) -> Tensor:
    """The complex conjugate (``tf.math.conj``); a real tensor is returned as it is.

    >>> import tapegrad as tf
    >>> tf.math.conj(tf.complex([1.0], [2.0])).numpy()
    array([1.-2.j], dtype=complex64)
    """
    z = _as_tensor(x)
    return _conj(z) if np.dtype(z.dtype.as_numpy_dtype).kind == "c" else z
