"""``MultiHeadAttention``: scaled dot-product attention over ``num_heads`` projections."""

from __future__ import annotations

import math
from typing import Any

from ....ops import array as _a
from ....ops import einsum as _e
from ....ops import indexing as _ix
from ....ops import math as _m
from ....ops import nn as _nn
from ...base_layer import Layer
from ..activations.softmax import large_negative
from ..core.einsum_dense import EinsumDense
from .attention import causal_mask

__all__ = ["MultiHeadAttention"]


def _mask_of(x: Any) -> Any:
    return getattr(x, "_keras_mask", None)


class MultiHeadAttention(Layer):
    """Keras 3's layer: ``query``, ``key`` and ``value`` are projected by ``EinsumDense``
    layers named ``query``, ``key``, ``value`` (kernels ``(dim, num_heads, key_dim)``, biases
    ``(num_heads, key_dim)``), the heads attend with ``softmax(q k^T / sqrt(key_dim))``, and
    ``attention_output`` (kernel ``(num_heads, value_dim, out)``) merges them. Inputs are
    ``(batch, steps, dim)``. Masks: the query's and value's Keras masks (or ``query_mask=``,
    ``value_mask=``, ``key_mask=``), ``attention_mask`` ``(batch, T, S)`` and
    ``use_causal_mask`` are combined with AND; the output carries the query's mask.

    >>> import tapegrad as tf
    >>> mha = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    >>> out, scores = mha(tf.ones((1, 4, 5)), tf.ones((1, 6, 5)), return_attention_scores=True)
    >>> out.shape, scores.shape, [tuple(v.shape) for v in mha.variables][:2]
    (TensorShape([1, 4, 5]), TensorShape([1, 2, 4, 6]), [(5, 2, 3), (2, 3)])
    """

    supports_masking = True

    def __init__(self, num_heads: int, key_dim: int, value_dim: int | None = None,
                 dropout: float = 0.0, use_bias: bool = True, output_shape: Any = None,
                 attention_axes: Any = None, flash_attention: Any = None,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, seed: Any = None, **kwargs: Any):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if attention_axes not in (None, 1, (1,), [1], -2, (-2,), [-2]):
            raise NotImplementedError(f"MultiHeadAttention: attention_axes={attention_axes!r} "
                                      f"is not supported; inputs are (batch, steps, dim) and "
                                      f"attention runs over the steps.")
        given_shape = list(output_shape) if isinstance(output_shape, tuple) else output_shape
        if isinstance(output_shape, (tuple, list)):
            if len(output_shape) != 1:
                raise NotImplementedError(f"MultiHeadAttention: output_shape must be an int "
                                          f"(or a 1-tuple), got {output_shape!r}.")
            output_shape = output_shape[0]
        self.num_heads, self.key_dim = int(num_heads), int(key_dim)
        self.value_dim = int(value_dim) if value_dim else self.key_dim
        self.dropout, self.use_bias, self.seed = float(dropout), bool(use_bias), seed
        self.output_shape_arg = output_shape
        self._given = {"output_shape": given_shape, "attention_axes": attention_axes}
        self._dense_args = {"kernel_initializer": kernel_initializer,
                            "bias_initializer": bias_initializer,
                            "kernel_regularizer": kernel_regularizer,
                            "bias_regularizer": bias_regularizer,
                            "kernel_constraint": kernel_constraint,
                            "bias_constraint": bias_constraint}

    def _projection(self, name: str, heads_dim: int) -> EinsumDense:
        return EinsumDense("abc,cde->abde", output_shape=(None, self.num_heads, heads_dim),
                           bias_axes="de" if self.use_bias else None, name=name,
                           dtype=self.dtype_policy, **self._dense_args)

    def build(self, query_shape: Any, value_shape: Any = None, key_shape: Any = None) -> None:
        """Create the four projections for ``(batch, steps, dim)`` query, value and key."""
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        for what, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3:
                raise ValueError(f"MultiHeadAttention '{self.name}' expects a {what} of shape "
                                 f"(batch, steps, dim), got {tuple(shape)}.")
        self._query_dense = self._projection("query", self.key_dim)
        self._query_dense.build(tuple(query_shape))
        self._key_dense = self._projection("key", self.key_dim)
        self._key_dense.build(tuple(key_shape))
        self._value_dense = self._projection("value", self.value_dim)
        self._value_dense.build(tuple(value_shape))
        out = self.output_shape_arg or query_shape[-1]
        self._output_dense = EinsumDense("abcd,cde->abe", output_shape=(None, out),
                                         bias_axes="e" if self.use_bias else None,
                                         name="attention_output", dtype=self.dtype_policy,
                                         **self._dense_args)
        self._output_dense.build((None, None, self.num_heads, self.value_dim))
        self.built = True

    def _build_on_call(self, input_shape: Any) -> None:
        pass  # built in call, which sees the value's and the key's shapes too

    def _attention_mask(self, query: Any, value: Any, masks: tuple, attention_mask: Any,
                        use_causal_mask: bool) -> Any:
        query_mask, value_mask, key_mask = masks
        keep = None
        for m, axis in ((query_mask, -1), (value_mask, -2), (key_mask, -2)):
            if m is not None:
                m = _a.expand_dims(_m.cast(m, "bool"), axis)
                keep = m if keep is None else _m.logical_and(keep, m)
        if use_causal_mask:
            c = causal_mask(query.shape[1], value.shape[1])
            keep = c if keep is None else _m.logical_and(keep, c)
        if attention_mask is not None:
            a = _m.cast(attention_mask, "bool")
            keep = a if keep is None else _m.logical_and(a, keep)
        return keep

    def call(self, query: Any, value: Any, key: Any = None, query_mask: Any = None,
             value_mask: Any = None, key_mask: Any = None, attention_mask: Any = None,
             return_attention_scores: bool = False, training: Any = None,
             use_causal_mask: bool = False) -> Any:
        key_given = key is not None
        key = value if key is None else key
        if not self.built or "_query_dense" not in self.__dict__:
            self.build(tuple(query.shape), tuple(value.shape), tuple(key.shape))
        query_mask = _mask_of(query) if _mask_of(query) is not None else query_mask
        value_mask = _mask_of(value) if value_mask is None else value_mask
        if key_mask is None and key_given:
            key_mask = _mask_of(key)
        keep = self._attention_mask(query, value, (query_mask, value_mask, key_mask),
                                    attention_mask, use_causal_mask)
        q = self._query_dense(query) * _m.cast(1.0 / math.sqrt(self.key_dim), self.compute_dtype)
        k, v = self._key_dense(key), self._value_dense(value)
        scores = _e.einsum("aecd,abcd->acbe", k, q)  # (batch, heads, T, S)
        # Keras 3 takes its fused path unless it must return the scores or drop out: that path
        # leaves a fully masked row uniform, the other zeroes it
        slow = return_attention_scores or (training and self.dropout > 0)
        if keep is not None:
            keep = _a.expand_dims(keep, -3)
            scores = _ix.where(keep, scores, _m.cast(large_negative(scores.dtype),
                                                     scores.dtype))
        scores = _nn.softmax(scores, axis=-1)
        if keep is not None and slow:
            scores = _ix.where(keep, scores, _m.cast(0, scores.dtype))
        weights = _nn.dropout(scores, rate=self.dropout, seed=self.seed) \
            if training and self.dropout > 0 else scores
        out = self._output_dense(_e.einsum("acbe,aecd->abcd", weights, v))
        if query_mask is not None:
            out._keras_mask = _m.cast(query_mask, "bool")
        return (out, scores) if return_attention_scores else out

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return None

    def get_config(self) -> dict:
        return dict(super().get_config(), num_heads=self.num_heads, key_dim=self.key_dim,
                    value_dim=self.value_dim, dropout=self.dropout, use_bias=self.use_bias,
                    seed=self.seed, activity_regularizer=self.activity_regularizer,
                    **self._given, **self._dense_config())

    def _dense_config(self) -> dict:
        """The projections' options, resolved (names become objects) as their configs hold
        them."""
        dense = self._projection("config", 1)
        return {k: v for k, v in dense.get_config().items() if k in self._dense_args}
