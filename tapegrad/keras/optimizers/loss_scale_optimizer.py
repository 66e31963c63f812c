"""``LossScaleOptimizer``: dynamic loss scaling for mixed precision, as Keras 3 does it."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine.tensor import Tensor
from ...engine.variable import Variable
from ...ops import math as _m
from .base import Optimizer, _dense

__all__ = ["LossScaleOptimizer"]

_BASE_DEFAULTS = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None,
                  "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
                  "ema_overwrite_frequency": None, "loss_scale_factor": None,
                  "gradient_accumulation_steps": None}


class LossScaleOptimizer(Optimizer):
    """Wraps ``inner_optimizer``: ``scale_loss`` multiplies the loss by ``dynamic_scale``;
    ``apply`` divides the gradients back and applies them when all are finite, counting the
    step (after ``dynamic_growth_steps`` finite steps in a row the scale doubles); when any is
    inf or NaN it skips the update and halves the scale.

    >>> import tapegrad as tf
    >>> w = tf.Variable(1.0)
    >>> opt = tf.keras.optimizers.LossScaleOptimizer(tf.keras.optimizers.SGD(0.1),
    ...                                              initial_scale=8.0)
    >>> _ = opt.apply_gradients([(tf.constant(8.0), w)])   # 8 = 1 * scale
    >>> round(float(w.numpy()), 4), float(opt.dynamic_scale.numpy())
    (0.9, 8.0)
    >>> _ = opt.apply_gradients([(tf.constant(float("inf")), w)])
    >>> round(float(w.numpy()), 4), float(opt.dynamic_scale.numpy())
    (0.9, 4.0)
    """

    def __init__(self, inner_optimizer: Optimizer, initial_scale: float = 2.0 ** 15,
                 dynamic_growth_steps: int = 2000, name: str | None = None, **kwargs: Any):
        if not kwargs.pop("dynamic", True):
            raise ValueError("LossScaleOptimizer no longer supports dynamic=False: set "
                             "loss_scale_factor on the inner optimizer instead.")
        for key, default in _BASE_DEFAULTS.items():
            if key in kwargs and kwargs.pop(key) != default:
                raise ValueError(f"LossScaleOptimizer does not support {key}: set it on the "
                                 f"inner_optimizer.")
        if kwargs:
            raise ValueError(f"LossScaleOptimizer does not support arguments {sorted(kwargs)}.")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(f"LossScaleOptimizer: inner_optimizer must be an Optimizer, got "
                            f"{type(inner_optimizer).__name__}.")
        super().__init__(learning_rate=0.0, name=name or "loss_scale_optimizer")
        self.inner_optimizer = inner_optimizer
        self.initial_scale, self.dynamic_growth_steps = initial_scale, dynamic_growth_steps
        inner_optimizer.loss_scale_factor = None
        self.step_counter: Variable | None = None
        self.dynamic_scale: Variable | None = None

    def _build_for(self, var_list: list[Variable]) -> None:
        if self.step_counter is None:
            self.step_counter = self.add_variable((), "int64", "step_counter")
            self.dynamic_scale = self.add_variable((), "float32", "dynamic_scale")
            self.dynamic_scale.assign(np.float32(self.initial_scale))
        self.inner_optimizer._build_for(var_list)
        self.built = True

    @property
    def variables(self) -> list[Variable]:
        """Its own (iteration count, rate, step counter, scale), then the inner optimizer's."""
        return list(self._variables) + self.inner_optimizer.variables

    @property
    def iterations(self) -> Variable:
        return self.inner_optimizer.iterations

    @property
    def learning_rate(self) -> Any:
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        self.inner_optimizer.learning_rate = value

    def scale_loss(self, loss: Any) -> Any:
        """``loss * dynamic_scale`` (``initial_scale`` before the first step)."""
        if self.dynamic_scale is None:
            return loss * self.initial_scale
        scale = self.dynamic_scale.read_value()  # float32; Keras promotes to a float64 loss
        return loss * (_m.cast(scale, loss.dtype) if isinstance(loss, Tensor) else scale)

    def apply(self, grads: list, trainable_variables: list) -> None:
        self._build_for(list(trainable_variables))
        present = [_dense(g) for g in grads if g is not None]
        finite = all(np.isfinite(np.asarray(g._value if isinstance(g, Tensor) else g)).all()
                     for g in present)
        if not finite:  # skip the update, halve the scale
            self.step_counter.assign(np.int64(0))
            self.dynamic_scale.assign(self.dynamic_scale.read_value() * np.float32(0.5))
            return
        scale = self.dynamic_scale.read_value()
        self.inner_optimizer.apply([None if g is None else _unscale(_dense(g), scale)
                                    for g in grads], trainable_variables)
        if int(self.step_counter.numpy()) == self.dynamic_growth_steps - 1:
            self.step_counter.assign(np.int64(0))
            self.dynamic_scale.assign(scale * np.float32(2.0))
        else:
            self.step_counter.assign_add(np.int64(1))

    def apply_gradients(self, grads_and_vars: Any, name: str | None = None,
                        **kwargs: Any) -> Variable:
        pairs = list(grads_and_vars)
        self.apply([g for g, _ in pairs], [v for _, v in pairs])
        return self.iterations

    def finalize_variable_values(self, var_list: list) -> None:
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self) -> dict:
        from_inner = self.inner_optimizer
        return {"name": self.name,
                "inner_optimizer": {"module": "keras.optimizers",
                                    "class_name": type(from_inner).__name__,
                                    "config": from_inner.get_config(), "registered_name": None},
                "initial_scale": self.initial_scale,
                "dynamic_growth_steps": self.dynamic_growth_steps}


def _unscale(g: Tensor, scale: Tensor) -> Tensor:
    """``g / scale`` in the gradient's dtype (Keras promotes the float32 scale)."""
    return g / (scale if g.dtype == scale.dtype else _m.cast(scale, g.dtype))
