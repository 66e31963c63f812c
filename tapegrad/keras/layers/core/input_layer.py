"""``InputLayer`` and ``keras.Input``: the shape of one example."""

from __future__ import annotations

from typing import Any

from ...base_layer import Layer

__all__ = ["InputLayer", "Input"]


class InputLayer(Layer):
    """Declares the input shape of a ``Sequential`` (the identity when called).

    >>> import tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(2)])
    >>> [tuple(v.shape) for v in model.variables]  # built at once: the input shape is known
    [(3, 2), (2,)]
    """

    def __init__(self, shape: Any = None, batch_size: int | None = None, dtype: Any = None,
                 name: str | None = None, input_shape: Any = None, **kwargs: Any):
        shape = input_shape if shape is None else shape
        if shape is None:
            raise ValueError("InputLayer: give the shape of one example, e.g. shape=(784,).")
        super().__init__(name=name, dtype=dtype, **kwargs)
        self._build_input_shape = (batch_size,) + tuple(shape)


def Input(shape: Any = None, batch_size: int | None = None, dtype: Any = None,  # noqa: N802
          name: str | None = None, **kwargs: Any) -> InputLayer:
    """``tf.keras.Input``: here an :class:`InputLayer`, for the first place of a
    ``Sequential`` (the functional API is not provided)."""
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name, **kwargs)
