"""Learning-rate schedules (``tf.keras.optimizers.schedules``): ``schedule(step) -> rate``.

An optimizer given a schedule evaluates it at its iteration count before each update, so the
first update uses ``schedule(0)``, as Keras does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...ops import math as _m
from ...ops import special as _sp
from ...ops.indexing import where
from ...engine.convert import convert_to_tensor
from ...engine.tensor import Tensor

__all__ = ["LearningRateSchedule", "ExponentialDecay", "CosineDecay"]


def _step(step: Any) -> Any:
    return _m.cast(convert_to_tensor(step), "float32")


class LearningRateSchedule:
    """Base class: subclasses define ``__call__(step)``."""

    def __call__(self, step: Any) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (floored exponent when
    ``staircase``).

    >>> import tapegrad as tf
    >>> s = tf.keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> round(float(s(10)), 6), round(float(s(5)), 6)
    (0.05, 0.070711)
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False, name: str = "ExponentialDecay"):
        if decay_steps <= 0:
            raise ValueError(f"ExponentialDecay: decay_steps must be > 0, got {decay_steps!r}.")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps, self.decay_rate, self.staircase = decay_steps, decay_rate, staircase
        self.name = name

    def __call__(self, step: Any) -> Tensor:
        p = _step(step) / np.float32(self.decay_steps)
        if self.staircase:
            p = _sp.floor(p)
        return np.float32(self.initial_learning_rate) * _m.pow(np.float32(self.decay_rate), p)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay from ``initial_learning_rate`` to ``alpha * initial_learning_rate`` over
    ``decay_steps``, after an optional linear warm-up to ``warmup_target``.

    >>> import tapegrad as tf
    >>> s = tf.keras.optimizers.schedules.CosineDecay(1.0, decay_steps=100)
    >>> [round(float(s(t)), 4) for t in (0, 50, 100, 200)]
    [1.0, 0.5, 0.0, 0.0]
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, alpha: float = 0.0,
                 name: str = "CosineDecay", warmup_target: float | None = None,
                 warmup_steps: int = 0):
        if decay_steps <= 0:
            raise ValueError(f"CosineDecay: decay_steps must be > 0, got {decay_steps!r}.")
        self.initial_learning_rate, self.decay_steps, self.alpha = (initial_learning_rate,
                                                                   decay_steps, alpha)
        self.name, self.warmup_target, self.warmup_steps = name, warmup_target, warmup_steps

    def _decay(self, step: Any, decay_from: Any) -> Tensor:
        fraction = step / np.float32(self.decay_steps)
        cosine = 0.5 * (1.0 + _sp.cos(np.float32(math.pi) * fraction))
        return decay_from * ((1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step: Any) -> Tensor:
        s = _step(step)
        lr0 = np.float32(self.initial_learning_rate)
        if self.warmup_target is None:
            return self._decay(_m.minimum(s, np.float32(self.decay_steps)), lr0)
        warmup = np.float32(self.warmup_steps)
        s = _m.minimum(s, np.float32(self.decay_steps) + warmup)
        target = np.float32(self.warmup_target)
        warming = (target - lr0) * (s / max(warmup, np.float32(1))) + lr0
        decaying = self._decay(s - warmup, target)
        return where(_m.less(s, warmup), warming, decaying)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}
