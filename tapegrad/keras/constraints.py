"""Weight constraints (``tf.keras.constraints``): projections optimizers apply to a variable
after each step."""

from __future__ import annotations

from typing import Any

from ..ops import math as _m
from ..ops import reduce as _r

__all__ = ["Constraint", "MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm", "max_norm", "non_neg",
           "unit_norm", "min_max_norm", "get"]

_EPSILON = 1e-7  # keras.backend.epsilon()


def _norms(w: Any, axis: Any) -> Any:
    return _m.sqrt(_r.reduce_sum(_m.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class: ``constraint(w)`` returns the projected weights."""

    def __call__(self, w: Any) -> Any:
        return w

    def get_config(self) -> dict:
        return {}

    def __eq__(self, other: object) -> bool:
        """Equal when of one class with one config (two configs that rebuild alike)."""
        return type(self) is type(other) and self.get_config() == other.get_config()

    def __hash__(self) -> int:
        return hash(type(self))

    @classmethod
    def from_config(cls, config: dict) -> Constraint:
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales each slice along ``axis`` whose L2 norm exceeds ``max_value``.

    >>> import tapegrad as tf
    >>> tf.keras.constraints.MaxNorm(1.0)(tf.constant([[3.0], [4.0]])).numpy().round(3)
    array([[0.6],
           [0.8]], dtype=float32)
    """

    def __init__(self, max_value: float = 2.0, axis: Any = 0):
        self.max_value, self.axis = float(max_value), axis

    def __call__(self, w: Any) -> Any:
        norms = _norms(w, self.axis)
        desired = _m.minimum(norms, _m.cast(self.max_value, norms.dtype))
        return w * (desired / (norms + _EPSILON))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero.

    >>> import tapegrad as tf
    >>> tf.keras.constraints.NonNeg()(tf.constant([-1.0, 2.0])).numpy()
    array([0., 2.], dtype=float32)
    """

    def __call__(self, w: Any) -> Any:
        return _m.maximum(w, _m.cast(0.0, w.dtype))


class UnitNorm(Constraint):
    """Scales each slice along ``axis`` to L2 norm 1.

    >>> import tapegrad as tf
    >>> tf.keras.constraints.UnitNorm()(tf.constant([[3.0], [4.0]])).numpy().round(3).ravel()
    array([0.6, 0.8], dtype=float32)
    """

    def __init__(self, axis: Any = 0):
        self.axis = axis

    def __call__(self, w: Any) -> Any:
        return w / (_norms(w, self.axis) + _EPSILON)

    def get_config(self) -> dict:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each slice's norm into ``[min_value, max_value]`` at speed ``rate``.

    >>> import tapegrad as tf
    >>> w = tf.constant([[0.6], [0.8]])
    >>> tf.keras.constraints.MinMaxNorm(2.0, 3.0)(w).numpy().round(3).ravel()
    array([1.2, 1.6], dtype=float32)
    """

    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0,
                 axis: Any = 0):
        self.min_value, self.max_value = float(min_value), float(max_value)
        self.rate, self.axis = float(rate), axis

    def __call__(self, w: Any) -> Any:
        norms = _norms(w, self.axis)
        clipped = _m.minimum(_m.maximum(norms, _m.cast(self.min_value, norms.dtype)),
                             _m.cast(self.max_value, norms.dtype))
        desired = self.rate * clipped + (1 - self.rate) * norms
        return w * (desired / (norms + _EPSILON))

    def get_config(self) -> dict:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm
_ALL = {"max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm,
        "min_max_norm": MinMaxNorm, "maxnorm": MaxNorm, "nonneg": NonNeg, "unitnorm": UnitNorm,
        "minmaxnorm": MinMaxNorm}


def get(identifier: Any) -> Any:
    """A constraint from a name (``"non_neg"``), an instance or a callable; ``None`` stays.

    >>> import tapegrad as tf
    >>> type(tf.keras.constraints.get("max_norm")).__name__
    'MaxNorm'
    """
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _ALL:
        return _ALL[identifier.lower()]()
    raise ValueError(f"Unknown constraint: {identifier!r}; use one of "
                     f"{sorted(set(_ALL))}, a Constraint instance or a callable.")
