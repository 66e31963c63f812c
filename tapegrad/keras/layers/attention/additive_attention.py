"""``AdditiveAttention``: Bahdanau-style attention, ``sum(scale * tanh(query + key))``."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import math as _m
from ....ops import reduce as _r
from .attention import Attention

__all__ = ["AdditiveAttention"]


class AdditiveAttention(Attention):
    """Scores ``sum(scale * tanh(query[:, :, None] + key[:, None]), -1)`` with a learned
    ``scale`` of shape ``(dim,)`` (glorot-uniform) when ``use_scale`` (the default); masks,
    causal masks and dropout as :class:`Attention`.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.AdditiveAttention()
    >>> layer([tf.ones((2, 3, 4)), tf.ones((2, 5, 4))]).shape, layer.scale.shape
    (TensorShape([2, 3, 4]), TensorShape([4]))
    """

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, seed: Any = None,
                 **kwargs: Any):
        super().__init__(use_scale=use_scale, dropout=dropout, seed=seed, **kwargs)

    def build(self, input_shape: Any) -> None:
        shapes = self._check(input_shape)
        self.scale = self.add_weight("scale", (shapes[0][-1],), initializer="glorot_uniform") \
            if self.use_scale else None
        self.concat_score_weight = None
        self.built = True

    def _scores(self, query: Any, key: Any) -> Any:
        total = _m.tanh(_a.expand_dims(query, -2) + _a.expand_dims(key, -3))
        if self.scale is not None:
            total = self._autocast(self.scale) * total
        return _r.reduce_sum(total, -1)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["score_mode"]
        return config
