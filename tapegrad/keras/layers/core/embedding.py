"""``Embedding``: rows of a table looked up by integer ids."""

from __future__ import annotations

from typing import Any

from ....engine import dtypes as _dt
from ....ops import math as _m
from ....ops import nn as _nn
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
                 embeddings_regularizer: Any = None, embeddings_constraint: Any = None,
                 mask_zero: bool = False, weights: Any = None, **kwargs: Any):
        kwargs.pop("input_length", None)  # Keras 2's argument, ignored by Keras 3
        super().__init__(**kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.mask_zero = self.supports_masking = bool(mask_zero)
        init = "random_uniform" if embeddings_initializer == "uniform" else embeddings_initializer
        self._weight_options("embeddings", init, embeddings_regularizer, embeddings_constraint)
        self._initial_weights = weights  # Keras's weights=: the table's starting values

    def build(self, input_shape: Any) -> None:
        self.embeddings = self._add_weight_as("embeddings", (self.input_dim, self.output_dim))
        if self._initial_weights is not None:
            w = self._initial_weights
            self.set_weights(w if isinstance(w, (list, tuple)) else [w])
            self._initial_weights = None
        self.built = True

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """With ``mask_zero``, id 0 is padding: the mask is ``inputs != 0``."""
        if not self.mask_zero:
            return None
        return _m.not_equal(inputs, _m.cast(0, inputs.dtype))

    def compute_output_shape(self, input_shape: Any) -> Any:
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self) -> dict:
        return dict(super().get_config(), input_dim=self.input_dim, output_dim=self.output_dim,
                    mask_zero=self.mask_zero, activity_regularizer=self.activity_regularizer,
                    **self._weight_config("embeddings"))

    def call(self, inputs: Any) -> Any:
        if _dt.np_dtype(inputs.dtype).kind not in "iu":
            inputs = _m.cast(inputs, "int32")
        return _nn.embedding_lookup(self.embeddings, inputs)
