"""``Lambda``: a function of tensors as a layer (shapes found by running it)."""

from __future__ import annotations

from typing import Any, Callable

from ...base_layer import Layer

__all__ = ["Lambda"]


class Lambda(Layer):
    """Wraps ``function(inputs, **arguments)``; it owns no weights. In a functional graph it
    is how ``tf`` functions apply to symbolic tensors.

    >>> import tapegrad as tf
    >>> x = tf.keras.Input((3,))
    >>> y = tf.keras.layers.Lambda(lambda t: tf.square(t) + 1.0)(x)
    >>> tf.keras.Model(x, y)(tf.constant([[1.0, 2.0, 3.0]])).numpy()
    array([[ 2.,  5., 10.]], dtype=float32)
    """

    def __init__(self, function: Callable, output_shape: Any = None, mask: Any = None,
                 arguments: dict | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda: function must be callable, got {function!r}.")
        self.function, self.arguments = function, dict(arguments or {})
        self.output_shape_arg, self.mask_arg = output_shape, mask

    def get_config(self) -> dict:
        """The base config plus Keras's Lambda arguments (the saver serializes ``function``)."""
        return {**super().get_config(), "function": self.function,
                "output_shape": self.output_shape_arg, "mask": self.mask_arg,
                "arguments": dict(self.arguments)}

    def call(self, inputs: Any) -> Any:
        return self.function(inputs, **self.arguments)
