"""Keras's lower-case merging functions: ``add([x, y])`` is ``Add()([x, y])``."""

from __future__ import annotations

from typing import Any

from .add import Add
from .average import Average
from .concatenate import Concatenate
from .dot import Dot
from .maximum import Maximum
from .minimum import Minimum
from .multiply import Multiply
from .subtract import Subtract

__all__ = ["add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot"]


def add(inputs: list, **kwargs: Any) -> Any:
    """``Add(**kwargs)(inputs)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.add([tf.ones((1, 2)), tf.ones((1, 2))]).numpy()
    array([[2., 2.]], dtype=float32)
    """
    return Add(**kwargs)(inputs)


def subtract(inputs: list, **kwargs: Any) -> Any:
    """``Subtract(**kwargs)(inputs)``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs: list, **kwargs: Any) -> Any:
    """``Multiply(**kwargs)(inputs)``."""
    return Multiply(**kwargs)(inputs)


def average(inputs: list, **kwargs: Any) -> Any:
    """``Average(**kwargs)(inputs)``."""
    return Average(**kwargs)(inputs)


def maximum(inputs: list, **kwargs: Any) -> Any:
    """``Maximum(**kwargs)(inputs)``."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs: list, **kwargs: Any) -> Any:
    """``Minimum(**kwargs)(inputs)``."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs: list, axis: int = -1, **kwargs: Any) -> Any:
    """``Concatenate(axis, **kwargs)(inputs)``.

    >>> import tapegrad as tf
    >>> tf.keras.layers.concatenate([tf.keras.Input((2,)), tf.keras.Input((3,))]).shape
    (None, 5)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs: list, axes: Any, normalize: bool = False, **kwargs: Any) -> Any:
    """``Dot(axes, normalize, **kwargs)(inputs)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
