"""``Masking``: marks the time steps whose features all equal ``mask_value`` as padding."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import indexing as _ix
from ....ops import math as _m
from ....ops import reduce as _r
from ...base_layer import Layer

__all__ = ["Masking"]


class Masking(Layer):
    """A step whose features all equal ``mask_value`` is masked: its output is zero and the
    mask (``output._keras_mask``, shape ``(batch, steps)``) tells later layers — recurrent
    layers, pooling, attention — to skip it.

    >>> import tapegrad as tf
    >>> y = tf.keras.layers.Masking()(tf.constant([[[1.0], [0.0], [2.0]]]))
    >>> y._keras_mask.numpy()
    array([[ True, False,  True]])
    """

    supports_masking = True

    def __init__(self, mask_value: float = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.mask_value = mask_value

    def _keep(self, inputs: Any) -> Any:
        return _r.reduce_any(_m.not_equal(inputs, _m.cast(self.mask_value, inputs.dtype)),
                             axis=-1, keepdims=True)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return _a.squeeze(self._keep(inputs), axis=-1)

    def call(self, inputs: Any) -> Any:
        keep = self._keep(inputs)
        outputs = _ix.where(keep, inputs, _m.cast(0, inputs.dtype))
        outputs._keras_mask = _a.squeeze(keep, axis=-1)
        return outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict:
        return dict(super().get_config(), mask_value=self.mask_value)
