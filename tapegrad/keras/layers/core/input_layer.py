"""``InputLayer`` and ``keras.Input``: the shape of one example."""

from __future__ import annotations

from typing import Any

from ...base_layer import Layer
from ...keras_tensor import KerasTensor, Node

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
        self.batch_size = batch_size
        tensor = KerasTensor(self._build_input_shape, self.dtype, self.name)
        tensor._node = Node(self, (), {}, tensor)
        self.__dict__["_inbound_nodes"] = [tensor._node]

    def compute_output_shape(self, input_shape: Any) -> Any:
        return self._build_input_shape


def Input(shape: Any = None, batch_size: int | None = None, dtype: Any = None,  # noqa: N802
          name: str | None = None, **kwargs: Any) -> KerasTensor:
    """``tf.keras.Input``: a symbolic tensor to build a functional ``Model`` from (or the
    first entry of a ``Sequential``). ``shape`` is one example's; ``None`` marks unknown sizes.

    >>> import tapegrad as tf
    >>> x = tf.keras.Input(shape=(None, None, 3))
    >>> tf.keras.layers.Conv2D(8, 3, strides=2)(x).shape
    (None, None, None, 8)
    """
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name,
                      **kwargs).output
