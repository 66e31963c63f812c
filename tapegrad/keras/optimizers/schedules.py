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

__all__ = ["LearningRateSchedule", "ExponentialDecay", "CosineDecay", "PiecewiseConstantDecay",
           "PolynomialDecay", "InverseTimeDecay", "CosineDecayRestarts", "serialize",
           "deserialize"]


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


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step <= boundaries[0]``, ``values[1]`` while ``step <=
    boundaries[1]`` … and ``values[-1]`` after the last boundary.

    >>> import tapegrad as tf
    >>> s = tf.keras.optimizers.schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    >>> [round(float(s(t)), 2) for t in (0, 10, 11, 20, 21)]
    [1.0, 1.0, 0.5, 0.5, 0.1]
    """

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(f"PiecewiseConstantDecay: values must have one more element than "
                             f"boundaries, got {len(values)} values and {len(boundaries)} "
                             f"boundaries.")
        self.boundaries, self.values, self.name = list(boundaries), list(values), name

    def __call__(self, step: Any) -> Tensor:
        s = float(np.asarray(convert_to_tensor(step)._value))
        i = sum(1 for b in self.boundaries if s > b)  # values[i] holds on (b[i-1], b[i]]
        return convert_to_tensor(np.float32(self.values[i]))

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From ``initial_learning_rate`` to ``end_learning_rate`` over ``decay_steps`` as
    ``(lr0 - end) * (1 - step / decay_steps) ** power + end``; with ``cycle`` the horizon
    grows to the next multiple of ``decay_steps``.

    >>> import tapegrad as tf
    >>> s = tf.keras.optimizers.schedules.PolynomialDecay(1.0, 10, end_learning_rate=0.0)
    >>> [round(float(s(t)), 2) for t in (0, 5, 10, 20)]
    [1.0, 0.5, 0.0, 0.0]
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int,
                 end_learning_rate: float = 0.0001, power: float = 1.0, cycle: bool = False,
                 name: str = "PolynomialDecay"):
        if decay_steps <= 0:
            raise ValueError(f"PolynomialDecay: decay_steps must be > 0, got {decay_steps!r}.")
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.end_learning_rate, self.power, self.cycle = end_learning_rate, power, cycle
        self.name = name

    def __call__(self, step: Any) -> Tensor:
        s = _step(step)
        steps = np.float32(self.decay_steps)
        if self.cycle:  # the first multiple of decay_steps above step (1 at step 0)
            multiplier = where(_m.equal(s, np.float32(0)), np.float32(1),
                               _sp.ceil(s / steps))
            horizon = steps * multiplier
        else:
            s, horizon = _m.minimum(s, steps), steps
        lr0, end = np.float32(self.initial_learning_rate), np.float32(self.end_learning_rate)
        return (lr0 - end) * _m.pow(1 - s / horizon, np.float32(self.power)) + end

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)`` (floored ratio when
    ``staircase``).

    >>> import tapegrad as tf
    >>> s = tf.keras.optimizers.schedules.InverseTimeDecay(1.0, 10, 1.0)
    >>> [round(float(s(t)), 3) for t in (0, 10, 15)]
    [1.0, 0.5, 0.4]
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False, name: str = "InverseTimeDecay"):
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.decay_rate, self.staircase, self.name = decay_rate, staircase, name

    def __call__(self, step: Any) -> Tensor:
        p = _step(step) / np.float32(self.decay_steps)
        if self.staircase:
            p = _sp.floor(p)
        return np.float32(self.initial_learning_rate) / (1 + np.float32(self.decay_rate) * p)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): each period is ``t_mul`` times longer than the
    last and starts ``m_mul`` times lower.

    >>> import tapegrad as tf
    >>> s = tf.keras.optimizers.schedules.CosineDecayRestarts(1.0, 10)
    >>> [round(float(s(t)), 3) for t in (0, 5, 10, 20)]
    [1.0, 0.5, 1.0, 0.5]
    """

    def __init__(self, initial_learning_rate: float, first_decay_steps: int,
                 t_mul: float = 2.0, m_mul: float = 1.0, alpha: float = 0.0,
                 name: str = "SGDRDecay"):
        if first_decay_steps <= 0:
            raise ValueError(f"CosineDecayRestarts: first_decay_steps must be > 0, got "
                             f"{first_decay_steps!r}.")
        self.initial_learning_rate, self.first_decay_steps = (initial_learning_rate,
                                                             first_decay_steps)
        self.t_mul, self.m_mul, self.alpha, self.name = t_mul, m_mul, alpha, name

    def __call__(self, step: Any) -> Tensor:
        fraction = _step(step) / np.float32(self.first_decay_steps)
        t_mul = np.float32(self.t_mul)
        if self.t_mul == 1.0:
            i_restart = _sp.floor(fraction)
            fraction = fraction - i_restart
        else:  # period i lasts t_mul**i: find i from the geometric sum, as Keras
            i_restart = _sp.floor(_m.log(1 - fraction * (1 - t_mul)) / np.log(t_mul))
            sum_r = (1 - _m.pow(t_mul, i_restart)) / (1 - t_mul)
            fraction = (fraction - sum_r) / _m.pow(t_mul, i_restart)
        m_fac = _m.pow(np.float32(self.m_mul), i_restart)
        cosine = 0.5 * m_fac * (1 + _sp.cos(np.float32(math.pi) * fraction))
        alpha = np.float32(self.alpha)
        return np.float32(self.initial_learning_rate) * ((1 - alpha) * cosine + alpha)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self.t_mul,
                "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name}


def serialize(schedule: LearningRateSchedule) -> dict:
    """Keras 3's dictionary for ``schedule`` (``class_name`` and ``config``)."""
    return {"module": "keras.optimizers.schedules", "class_name": type(schedule).__name__,
            "config": schedule.get_config(), "registered_name": None}


def deserialize(config: dict) -> LearningRateSchedule:
    """The schedule ``serialize`` described."""
    cls = globals().get(config.get("class_name", ""))
    if not (isinstance(cls, type) and issubclass(cls, LearningRateSchedule)):
        raise ValueError(f"Unknown learning-rate schedule {config.get('class_name')!r}.")
    return cls(**config["config"])
