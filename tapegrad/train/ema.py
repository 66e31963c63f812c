"""``tf.train.ExponentialMovingAverage``: shadow variables that follow variables slowly,
``shadow -= (1 - decay) * (shadow - variable)``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.variable import Variable

__all__ = ["ExponentialMovingAverage"]


class ExponentialMovingAverage:
    """Moving averages of variables (``tf.train.ExponentialMovingAverage``).

    With ``num_updates`` the decay is ``min(decay, (1 + n) / (10 + n))``, so early averages
    move faster; with ``zero_debias`` the average is divided by ``1 - decay ** t``, as TF's.

    >>> import tapegrad as tf
    >>> w = tf.Variable(0.0)
    >>> ema = tf.train.ExponentialMovingAverage(decay=0.5)
    >>> ema.apply([w])
    >>> _ = w.assign(4.0); ema.apply([w])
    >>> float(ema.average(w))
    2.0
    """

    def __init__(self, decay: float, num_updates: Any = None, zero_debias: bool = False,
                 name: str = "ExponentialMovingAverage"):
        self._decay = float(decay)
        self._num_updates = num_updates
        self._zero_debias = bool(zero_debias)
        self._name = name
        self._averages: dict[int, tuple[Variable, Variable]] = {}
        self._debias: dict[int, list] = {}

    @property
    def name(self) -> str:
        return self._name

    def _decay_now(self) -> float:
        if self._num_updates is None:
            return self._decay
        n = float(np.asarray(getattr(self._num_updates, "numpy", lambda: self._num_updates)()))
        return min(self._decay, (1.0 + n) / (10.0 + n))

    def apply(self, var_list: Any = None) -> None:
        """Create the averages of ``var_list`` (at their current values) and update them."""
        if var_list is None:
            raise ValueError("ExponentialMovingAverage.apply: pass the variables to average "
                             "(tapegrad has no global collection of variables)")
        decay = self._decay_now()
        for v in var_list:
            if not isinstance(v, Variable) or not v._value.dtype.kind == "f":
                raise TypeError(f"ExponentialMovingAverage.apply: the values must be floating "
                                f"Variables, got {v!r}")
            if id(v) not in self._averages:
                init = np.zeros_like(v.numpy()) if self._zero_debias else v.numpy()
                shadow = Variable(init, trainable=False, name=self.average_name(v))
                self._averages[id(v)] = (v, shadow)
                self._debias[id(v)] = [init.copy(), 0]
            self._update(v, decay)

    def _update(self, v: Variable, decay: float) -> None:
        shadow = self._averages[id(v)][1]
        value = v.numpy()
        if not self._zero_debias:
            shadow.assign(shadow.numpy() - (1 - decay) * (shadow.numpy() - value))
            return
        state = self._debias[id(v)]
        state[0] = state[0] * decay + value * (1 - decay)
        state[1] += 1
        shadow.assign((state[0] / (1 - decay ** state[1])).astype(value.dtype))

    def average(self, var: Variable) -> Variable | None:
        """The shadow variable of ``var``, or None if ``apply`` never saw it."""
        pair = self._averages.get(id(var))
        return None if pair is None else pair[1]

    def average_name(self, var: Variable) -> str:
        """``<variable name>/<this object's name>``, the shadow variable's name."""
        return f"{var.name.split(':')[0]}/{self._name}"

    def _checkpoint_children(self) -> list:
        return [(self.average_name(v), shadow) for v, shadow in self._averages.values()]
