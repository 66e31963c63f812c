"""``Dot``: the dot product of two batches of vectors along given axes."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import linalg as _la
from ....ops import math as _m
from ....ops import reduce as _r
from ...base_layer import Layer

__all__ = ["Dot"]


class Dot(Layer):
    """The dot product of two batches along ``axes`` (an int for both inputs, or one axis
    each; Keras's ``batch_dot``): the output keeps the first input's other axes, then the
    second's; a result of rank 1 becomes ``(batch, 1)``. ``normalize=True``: the cosine.

    >>> import tapegrad as tf
    >>> tf.keras.layers.Dot(axes=1)([tf.constant([[1.0, 2.0]]), tf.constant([[3.0, 4.0]])]).numpy()
    array([[11.]], dtype=float32)
    >>> tf.keras.layers.Dot(axes=(2, 1))([tf.ones((2, 3, 4)), tf.ones((2, 4, 5))]).shape
    TensorShape([2, 3, 5])
    """

    supports_masking = True

    def __init__(self, axes: Any, normalize: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        if not isinstance(axes, int) and not (len(axes) == 2 and
                                              all(isinstance(a, int) for a in axes)):
            raise ValueError(f"Dot: axes must be an int or a list of two ints, got {axes!r}.")
        self.axes = axes if isinstance(axes, int) else list(axes)
        self.normalize = bool(normalize)

    def _axes(self, ranks: list) -> list:
        pair = [self.axes] * 2 if isinstance(self.axes, int) else self.axes
        return [a % r for a, r in zip(pair, ranks)]

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if len(input_shape) != 2 or any(len(s) < 2 for s in input_shape):
            raise ValueError(f"Dot '{self.name}' takes a list of two inputs of rank >= 2, got "
                             f"shapes {input_shape!r}.")
        a, b = (tuple(s) for s in input_shape)
        i, j = self._axes([len(a), len(b)])
        if 0 in (i, j) or (None not in (a[i], b[j]) and a[i] != b[j]):
            raise ValueError(f"Dot '{self.name}': dimension incompatibility {a[i]} != {b[j]} "
                             f"on axes {[i, j]} (shapes {a} and {b}; axis 0 is the batch).")
        out = a[:i] + a[i + 1:] + b[1:j] + b[j + 1:]
        return out if len(out) > 1 else out + (1,)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return None

    def call(self, inputs: Any) -> Any:
        out_shape = self.compute_output_shape([tuple(x.shape) for x in inputs])
        x, y = inputs
        i, j = self._axes([x.ndim, y.ndim])
        if self.normalize:
            x, y = _unit(x, i), _unit(y, j)
        # (batch, X, k) @ (batch, k, Y): the contracted axis last in x, second in y
        x = _a.transpose(x, [d for d in range(x.ndim) if d != i] + [i])
        y = _a.transpose(y, [0, j] + [d for d in range(1, y.ndim) if d != j])
        k = x.shape[-1]
        z = _la.matmul(_a.reshape(x, (x.shape[0], -1, k)), _a.reshape(y, (y.shape[0], k, -1)))
        return _a.reshape(z, (z.shape[0],) + tuple(out_shape[1:]))

    def get_config(self) -> dict:
        return dict(super().get_config(), axes=self.axes, normalize=self.normalize)


def _unit(x: Any, axis: int) -> Any:
    """``x`` scaled to unit L2 norm along ``axis`` (the norm floored at 1e-6, as Keras's
    ``l2_normalize`` with epsilon 1e-12 on the squared sum)."""
    eps = _m.cast(1e-12, x.dtype)
    return x * _m.rsqrt(_m.maximum(_r.reduce_sum(x * x, axis=axis, keepdims=True), eps))
