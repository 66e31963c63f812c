"""``CategoryEncoding``: integer ids to one-hot, multi-hot or count vectors."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....engine.convert import convert_to_tensor
from ....ops import array as _a
from ....ops import indexing as _ix
from ....ops import math as _m
from ....ops import reduce as _r
from ...base_layer import Layer

__all__ = ["CategoryEncoding", "encode"]

MODES = ("one_hot", "multi_hot", "count")


def encode(ids: Any, depth: int, mode: str, dtype: str, who: str, weights: Any = None) -> Any:
    """Keras's ``encode_categorical_inputs``: ``one_hot`` adds an axis (a trailing axis of 1
    is replaced); ``multi_hot``/``count`` reduce the last axis of a rank-2 input."""
    values = np.asarray(ids._value)
    if values.size and (values.min() < 0 or values.max() >= depth):
        raise ValueError(f"{who}: the inputs must be integers in [0, {depth}), got values in "
                         f"[{values.min()}, {values.max()}]; raise num_tokens or fix the "
                         f"ids.")
    if mode == "one_hot":
        if ids.ndim > 1 and ids.shape[-1] == 1:
            ids = _a.squeeze(ids, axis=-1)
        return _ix.one_hot(ids, depth, dtype=dtype)
    if ids.ndim == 1:
        ids = _a.expand_dims(ids, -1)
    hot = _ix.one_hot(ids, depth, dtype=dtype)
    if weights is not None:
        hot = hot * _a.expand_dims(_m.cast(convert_to_tensor(weights), dtype), -1)
    return _r.reduce_max(hot, axis=-2) if mode == "multi_hot" else _r.reduce_sum(hot, axis=-2)


class CategoryEncoding(Layer):
    """Encodes integer ids in ``[0, num_tokens)``: ``"multi_hot"`` (the default) marks the ids
    each row holds, ``"count"`` counts them (weighted by ``count_weights``), ``"one_hot"``
    encodes each id.

    >>> import tapegrad as tf
    >>> tf.keras.layers.CategoryEncoding(4, output_mode="count")(tf.constant([[0, 1, 1]])).numpy()
    array([[1., 2., 0., 0.]], dtype=float32)
    """

    def __init__(self, num_tokens: int | None = None, output_mode: str = "multi_hot",
                 sparse: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        if num_tokens is None or int(num_tokens) < 1:
            raise ValueError(f"CategoryEncoding: num_tokens must be a positive integer, got "
                             f"{num_tokens!r}.")
        if output_mode not in MODES:
            raise ValueError(f"CategoryEncoding: output_mode must be one of {list(MODES)}, "
                             f"got {output_mode!r}.")
        if sparse:
            raise NotImplementedError("CategoryEncoding: sparse=True is not supported.")
        self.num_tokens, self.output_mode = int(num_tokens), output_mode

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = tuple(input_shape)
        if self.output_mode == "one_hot":
            return (s[:-1] if len(s) > 1 and s[-1] == 1 else s) + (self.num_tokens,)
        return (s[:-1] if len(s) > 1 else s) + (self.num_tokens,)

    def call(self, inputs: Any, count_weights: Any = None) -> Any:
        return encode(inputs, self.num_tokens, self.output_mode, self.compute_dtype,
                      f"CategoryEncoding '{self.name}'", count_weights)

    def get_config(self) -> dict:
        return dict(super().get_config(), num_tokens=self.num_tokens,
                    output_mode=self.output_mode, sparse=False)
