"""``AdamW``: Adam with decoupled weight decay, as Keras 3."""

from __future__ import annotations

from typing import Any

from .adam import Adam

__all__ = ["AdamW"]


class AdamW(Adam):
    """Adam with decoupled weight decay: before each update ``w -= w * weight_decay * lr``.

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> opt = tf.keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    >>> _ = opt.apply_gradients([(tf.constant(0.0), w)])
    >>> round(float(w.numpy()), 5)  # 1 - 1 * 0.5 * 0.1, and a zero gradient moves nothing
    0.95
    """

    def __init__(self, learning_rate: Any = 0.001, weight_decay: float = 0.004,
                 beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 amsgrad: bool = False, name: str = "adamw", **kwargs: Any):
        if weight_decay is None:
            raise ValueError("AdamW: weight_decay must be a number; use Adam for no decay.")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, name=name,
                         weight_decay=weight_decay, **kwargs)
