"""``Embedding``: rows of a table looked up by integer ids."""

from __future__ import annotations

from typing import Any

from ....engine import dtypes as _dt
from ....ops import math as _m
from ....ops import nn as _nn
from ... import initializers
from ...base_layer import Layer

__all__ = ["Embedding"]


class Embedding(Layer):
    """Looks up rows of an ``(input_dim, output_dim)`` table; its gradient is an IndexedSlices,
    which optimizers apply row-wise.

    >>> import tapegrad as tf
    >>> emb = tf.keras.layers.Embedding(10, 3)
    >>> emb(tf.constant([[1, 2], [3, 4]])).shape
    TensorShape([2, 2, 3])
    """

    def __init__(self, input_dim: int, output_dim: int, embeddings_initializer: Any = "uniform",
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        init = "random_uniform" if embeddings_initializer == "uniform" else embeddings_initializer
        self.embeddings_initializer = initializers.get(init)

    def build(self, input_shape: Any) -> None:
        self.embeddings = self.add_weight("embeddings", (self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer)
        self.built = True

    def call(self, inputs: Any) -> Any:
        if _dt.np_dtype(inputs.dtype).kind not in "iu":
            inputs = _m.cast(inputs, "int32")
        return _nn.embedding_lookup(self.embeddings, inputs)
