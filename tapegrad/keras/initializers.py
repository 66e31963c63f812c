"""Weight initializers (``tf.keras.initializers``): seeded ones are reproducible.

Without a seed they draw from tapegrad's global generator (so ``tf.random.set_seed`` makes a
model's initial weights reproducible); with ``seed=`` every call returns the same values, as
Keras 3's seeded initializers do.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import dtypes as _dt
from ..ops.random import generator

__all__ = ["Initializer", "GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform",
           "RandomNormal", "RandomUniform", "TruncatedNormal", "Zeros", "Ones", "Constant",
           "Orthogonal", "get", "compute_fans"]

# std of a unit normal truncated to [-2, 2]: dividing by it keeps the requested variance
_TRUNC_STD = 0.87962566103423978


def compute_fans(shape: tuple) -> tuple[float, float]:
    """(fan_in, fan_out) of a kernel: conv kernels multiply by the receptive field, as Keras."""
    if len(shape) == 0:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    receptive = float(np.prod(shape[:-2])) if len(shape) > 2 else 1.0
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Base: ``init(shape, dtype)`` gives a NumPy array."""

    def __init__(self, seed: int | None = None):
        self.seed = seed

    def _rng(self) -> np.random.Generator:
        return generator(self.seed)

    def __call__(self, shape: Any, dtype: Any = "float32") -> np.ndarray:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {"seed": self.seed}

    def __eq__(self, other: object) -> bool:
        """Equal when of one class with one config (two configs that rebuild alike)."""
        return type(self) is type(other) and self.get_config() == other.get_config()

    def __hash__(self) -> int:
        return hash(type(self))


class Zeros(Initializer):
    """All zeros.

    >>> import tapegrad as tf
    >>> tf.keras.initializers.Zeros()((2,))
    array([0., 0.], dtype=float32)
    """

    def __call__(self, shape: Any, dtype: Any = "float32") -> np.ndarray:
        return np.zeros(tuple(shape), _dt.np_dtype(dtype))


class Ones(Initializer):
    """All ones."""

    def __call__(self, shape: Any, dtype: Any = "float32") -> np.ndarray:
        return np.ones(tuple(shape), _dt.np_dtype(dtype))


class Constant(Initializer):
    """Every element ``value``.

    >>> import tapegrad as tf
    >>> tf.keras.initializers.Constant(0.5)((2,))
    array([0.5, 0.5], dtype=float32)
    """

    def __init__(self, value: float = 0.0):
        super().__init__()
        self.value = value

    def __call__(self, shape: Any, dtype: Any = "float32") -> np.ndarray:
        return np.full(tuple(shape), self.value, _dt.np_dtype(dtype))


class RandomNormal(Initializer):
    """N(mean, stddev²) samples (default stddev 0.05, as Keras)."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape: Any, dtype: Any = "float32") -> np.ndarray:
        v = self._rng().standard_normal(tuple(shape)) * self.stddev + self.mean
        return v.astype(_dt.np_dtype(dtype))


class RandomUniform(Initializer):
    """U[minval, maxval) samples (default ±0.05, as Keras)."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape: Any, dtype: Any = "float32") -> np.ndarray:
        v = self._rng().uniform(self.minval, self.maxval, tuple(shape))
        return v.astype(_dt.np_dtype(dtype))


def _truncated_normal(rng: np.random.Generator, shape: tuple, stddev: float) -> np.ndarray:
    """Normal samples redrawn until within two standard deviations."""
    v = rng.standard_normal(shape)
    bad = np.abs(v) > 2
    while bad.any():
        v[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(v) > 2
    return v * stddev


class TruncatedNormal(Initializer):
    """Normal samples within two standard deviations of the mean."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape: Any, dtype: Any = "float32") -> np.ndarray:
        v = _truncated_normal(self._rng(), tuple(shape), self.stddev) + self.mean
        return v.astype(_dt.np_dtype(dtype))


class _VarianceScaling(Initializer):
    scale = 1.0
    mode = "fan_avg"
    distribution = "uniform"

    def __call__(self, shape: Any, dtype: Any = "float32") -> np.ndarray:
        shape = tuple(int(d) for d in shape)
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        var = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = np.sqrt(3.0 * var)
            v = self._rng().uniform(-limit, limit, shape)
        else:
            v = _truncated_normal(self._rng(), shape, np.sqrt(var) / _TRUNC_STD)
        return v.astype(_dt.np_dtype(dtype))


class GlorotUniform(_VarianceScaling):
    """U[-l, l] with l = sqrt(6 / (fan_in + fan_out)): the default kernel initializer.

    >>> import tapegrad as tf
    >>> init = tf.keras.initializers.GlorotUniform(seed=0)
    >>> w = init((4, 2))
    >>> bool((abs(w) <= 1.0).all()), bool((w == init((4, 2))).all())
    (True, True)
    """


class GlorotNormal(_VarianceScaling):
    """Truncated normal with stddev sqrt(2 / (fan_in + fan_out))."""

    distribution = "normal"


class HeNormal(_VarianceScaling):
    """Truncated normal with stddev sqrt(2 / fan_in) (for ReLU networks)."""

    scale, mode, distribution = 2.0, "fan_in", "normal"


class HeUniform(_VarianceScaling):
    """U[-l, l] with l = sqrt(6 / fan_in)."""

    scale, mode = 2.0, "fan_in"


class Orthogonal(Initializer):
    """A random orthogonal matrix (``gain`` times it), as Keras's recurrent kernels start:
    the Q of a Gaussian matrix's QR, signs fixed by R's diagonal; shapes of rank > 2 are
    flattened to (prod of all but the last, last).

    >>> import numpy as np, tapegrad as tf
    >>> q = tf.keras.initializers.Orthogonal(seed=1)((3, 3))
    >>> bool(np.allclose(q @ q.T, np.eye(3), atol=1e-6))
    True
    """

    def __init__(self, gain: float = 1.0, seed: int | None = None):
        super().__init__(seed)
        self.gain = float(gain)

    def __call__(self, shape: Any, dtype: Any = "float32") -> np.ndarray:
        shape = tuple(shape)
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        a = self._rng().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        q = q.T if rows < cols else q
        return (self.gain * q).reshape(shape).astype(_dt.np_dtype(dtype))


_BY_NAME = {"glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
            "he_normal": HeNormal, "he_uniform": HeUniform, "random_normal": RandomNormal,
            "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
            "zeros": Zeros, "ones": Ones, "constant": Constant,
            "orthogonal": Orthogonal}


def get(identifier: Any) -> Any:
    """An initializer from a name (``"he_normal"``, ``"HeNormal"``), an instance or a callable.

    >>> import tapegrad as tf
    >>> type(tf.keras.initializers.get("he_normal")).__name__
    'HeNormal'
    """
    if identifier is None:
        return Zeros()
    if isinstance(identifier, str):
        key = identifier if identifier in _BY_NAME else _snake_name(identifier)
        if key not in _BY_NAME:
            raise ValueError(f"Unknown initializer {identifier!r}; known: {sorted(_BY_NAME)}.")
        return _BY_NAME[key]()
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer {identifier!r}.")


def _snake_name(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() and i else c.lower()
                   for i, c in enumerate(name))
