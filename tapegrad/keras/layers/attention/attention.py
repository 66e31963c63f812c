"""``Attention``: Luong-style dot-product attention over ``[query, value, key]``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....engine.convert import convert_to_tensor
from ....ops import array as _a
from ....ops import indexing as _ix
from ....ops import linalg as _la
from ....ops import math as _m
from ....ops import nn as _nn
from ....ops import reduce as _r
from ...base_layer import Layer

__all__ = ["Attention"]


def causal_mask(t_q: int, t_v: int) -> Any:
    """``(1, t_q, t_v)``: query step i sees value steps 0..i."""
    return convert_to_tensor(np.tril(np.ones((t_q, t_v), bool))[None])


class Attention(Layer):
    """``softmax(query @ key^T [* scale]) @ value`` (``score_mode="dot"``) or
    ``concat_score_weight * sum(tanh(scale * (query + key)))`` (``"concat"``). Called on
    ``[query, value]`` or ``[query, value, key]``; masks ``[query_mask, value_mask]`` (from
    the inputs or ``mask=``): masked value steps get ``score - 1e9``, masked query steps a zero
    output; ``use_causal_mask=True`` hides later steps.

    >>> import tapegrad as tf
    >>> q, v = tf.ones((2, 3, 4)), tf.ones((2, 5, 4))
    >>> out, scores = tf.keras.layers.Attention()([q, v], return_attention_scores=True)
    >>> out.shape, scores.shape
    (TensorShape([2, 3, 4]), TensorShape([2, 3, 5]))
    """

    supports_masking = True

    def __init__(self, use_scale: bool = False, score_mode: str = "dot", dropout: float = 0.0,
                 seed: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"{type(self).__name__}: score_mode must be 'dot' or 'concat', "
                             f"got {score_mode!r}.")
        self.use_scale, self.score_mode = bool(use_scale), score_mode
        self.dropout, self.seed = float(dropout), seed

    def _check(self, inputs: Any) -> list:
        if not isinstance(inputs, (list, tuple)) or len(inputs) not in (2, 3):
            raise ValueError(f"{type(self).__name__} '{self.name}' must be called on a list "
                             f"[query, value] or [query, value, key], got {inputs!r}.")
        return list(inputs)

    def build(self, input_shape: Any) -> None:
        self._check(input_shape)
        self.scale = self.add_weight("scale", (), initializer="ones") if self.use_scale \
            else None
        self.concat_score_weight = self.add_weight("concat_score_weight", (),
                                                   initializer="ones") \
            if self.score_mode == "concat" else None
        self.built = True

    def _scores(self, query: Any, key: Any) -> Any:
        if self.score_mode == "dot":
            scores = _la.matmul(query, key, transpose_b=True)
            return scores if self.scale is None else scores * self._autocast(self.scale)
        total = _a.expand_dims(query, -2) + _a.expand_dims(key, -3)
        if self.scale is not None:
            total = self._autocast(self.scale) * total
        return self._autocast(self.concat_score_weight) * _r.reduce_sum(_m.tanh(total), -1)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shapes = self._check(input_shape)
        return tuple(shapes[0][:-1]) + (shapes[1][-1],)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return None if previous_mask is None else previous_mask[0]

    def call(self, inputs: Any, mask: Any = None, training: Any = False,
             return_attention_scores: bool = False, use_causal_mask: bool = False) -> Any:
        inputs = self._check(inputs)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        q_mask, v_mask = (list(mask) + [None, None])[:2] if mask is not None else (None, None)
        scores = self._scores(query, key)
        keep = None if v_mask is None else _a.expand_dims(_m.cast(v_mask, "bool"), -2)
        if use_causal_mask:
            causal = causal_mask(scores.shape[-2], scores.shape[-1])
            keep = causal if keep is None else _m.logical_and(keep, causal)
        if keep is not None:
            big = 65504.0 if scores.dtype.name == "float16" else 1e9
            scores = _ix.where(keep, scores, scores - _m.cast(big, scores.dtype))
        weights = _nn.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = _nn.dropout(weights, rate=self.dropout, seed=self.seed)
        out = _la.matmul(weights, value)
        if q_mask is not None:
            out = _ix.where(_a.expand_dims(_m.cast(q_mask, "bool"), -1), out,
                            _m.cast(0, out.dtype))
        return (out, weights) if return_attention_scores else out

    def get_config(self) -> dict:
        return dict(super().get_config(), use_scale=self.use_scale,
                    score_mode=self.score_mode, dropout=self.dropout, seed=self.seed)
