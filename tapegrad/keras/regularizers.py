"""Weight and activity regularizers (``tf.keras.regularizers``): penalties added to a
model's ``losses``."""

from __future__ import annotations

from typing import Any

from ..ops import linalg as _la
from ..ops import math as _m
from ..ops import reduce as _r

__all__ = ["Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2", "l1_l2",
           "orthogonal_regularizer", "get"]


class Regularizer:
    """Base class: ``regularizer(weights)`` returns a scalar penalty."""

    def __call__(self, x: Any) -> Any:
        return 0.0

    def get_config(self) -> dict:
        return {}

    def __eq__(self, other: object) -> bool:
        """Equal when of one class with one config (two configs that rebuild alike)."""
        return type(self) is type(other) and self.get_config() == other.get_config()

    def __hash__(self) -> int:
        return hash(type(self))

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        return cls(**config)


class L1(Regularizer):
    """``l1 * sum(abs(x))`` (Keras 3's default ``l1=0.01``).

    >>> import tapegrad as tf
    >>> float(tf.keras.regularizers.L1(0.5)(tf.constant([1.0, -2.0])))
    1.5
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = float(l1)

    def __call__(self, x: Any) -> Any:
        return self.l1 * _r.reduce_sum(_m.abs(x))

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * sum(square(x))`` (Keras 3's default ``l2=0.01``; no factor 1/2).

    >>> import tapegrad as tf
    >>> float(tf.keras.regularizers.L2(0.5)(tf.constant([1.0, -2.0])))
    2.5
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = float(l2)

    def __call__(self, x: Any) -> Any:
        return self.l2 * _r.reduce_sum(_m.square(x))

    def get_config(self) -> dict:
        return {"l2": self.l2}


class L1L2(Regularizer):
    """``l1 * sum(abs(x)) + l2 * sum(square(x))`` (both default to 0).

    >>> import tapegrad as tf
    >>> float(tf.keras.regularizers.L1L2(l1=1.0, l2=1.0)(tf.constant([1.0, -2.0])))
    8.0
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x: Any) -> Any:
        penalty = 0.0
        if self.l1:
            penalty = penalty + self.l1 * _r.reduce_sum(_m.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * _r.reduce_sum(_m.square(x))
        return penalty

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (``mode="rows"``) or columns of a 2-D weight towards orthogonality:
    ``factor * 0.5 * sum|off-diagonal of the normalized Gram matrix| / number of pairs``.

    >>> import tapegrad as tf
    >>> float(tf.keras.regularizers.OrthogonalRegularizer(1.0)(tf.constant([[1.0, 0.0],
    ...                                                                       [1.0, 0.0]])))
    1.0
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        if mode not in ("rows", "columns"):
            raise ValueError(f"OrthogonalRegularizer: mode must be 'rows' or 'columns', got "
                             f"{mode!r}.")
        self.factor, self.mode = float(factor), mode

    def __call__(self, x: Any) -> Any:
        if len(x.shape) != 2:
            raise ValueError(f"OrthogonalRegularizer applies to rank-2 weights, got shape "
                             f"{tuple(x.shape)}.")
        axis = 1 if self.mode == "rows" else 0
        norm = _m.sqrt(_m.maximum(_r.reduce_sum(_m.square(x), axis=axis, keepdims=True),
                                  _m.cast(1e-12, x.dtype)))
        x = x / norm
        product = _la.matmul(x, x, transpose_b=True) if axis == 1 else \
            _la.matmul(x, x, transpose_a=True)
        size = int(product.shape[0])
        off_diagonal = product * _m.cast(1.0 - _la.eye(size), product.dtype)
        pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * _r.reduce_sum(_m.abs(off_diagonal)) / pairs

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}


def l1(l1: float = 0.01) -> L1:  # noqa: E741
    """``L1(l1)``."""
    return L1(l1)


def l2(l2: float = 0.01) -> L2:
    """``L2(l2)``."""
    return L2(l2)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:  # noqa: E741
    """``L1L2(l1, l2)`` with Keras's defaults of 0.01 each."""
    return L1L2(l1, l2)


orthogonal_regularizer = OrthogonalRegularizer
_NAMES = {"l1": L1, "l2": L2, "l1_l2": l1_l2, "l1l2": L1L2,
          "orthogonal_regularizer": OrthogonalRegularizer}


def get(identifier: Any) -> Any:
    """A regularizer from a name (``"l2"``), an instance or a callable; ``None`` stays None.

    >>> import tapegrad as tf
    >>> type(tf.keras.regularizers.get("l2")).__name__
    'L2'
    """
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower()
        if key in _NAMES:
            return _NAMES[key]()
        for cls in (L1, L2, L1L2, OrthogonalRegularizer):
            if cls.__name__.lower() == key:
                return cls()
    raise ValueError(f"Unknown regularizer: {identifier!r}; use one of {sorted(_NAMES)}, a "
                     f"Regularizer instance or a callable.")
