"""``BatchNormalization`` (moving statistics as non-trainable variables)."""

from __future__ import annotations

from typing import Any

from ....custom import stop_gradient
from ....ops import nn as _nn
from ....ops.array import reshape
from ... import initializers
from ...base_layer import Layer
from .axes import _axes, _broadcastable, _moments, _param_shape, gamma_and_beta

__all__ = ["BatchNormalization"]


class BatchNormalization(Layer):
    """Normalizes over the batch (and every axis but ``axis``) when ``training=True`` and
    updates ``moving_mean`` / ``moving_variance`` (``moving = moving * momentum + batch * (1 -
    momentum)``); at inference normalizes with the moving statistics and changes nothing.
    With ``trainable=False`` it always runs in inference mode (Keras's rule for fine-tuning).

    >>> import tapegrad as tf
    >>> bn = tf.keras.layers.BatchNormalization(name="bn")
    >>> x = tf.constant([[0.0], [2.0]])
    >>> bn(x, training=True).numpy().round(2).ravel().tolist(), bn.moving_mean.numpy().round(3)
    ([-1.0, 1.0], array([0.01], dtype=float32))
    >>> [v.name for v in bn.non_trainable_variables]
    ['bn/moving_mean:0', 'bn/moving_variance:0']
    """

    supports_masking = True

    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3,
                 center: bool = True, scale: bool = True, beta_initializer: Any = "zeros",
                 gamma_initializer: Any = "ones", moving_mean_initializer: Any = "zeros",
                 moving_variance_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, renorm: bool = False,
                 renorm_clipping: Any = None, renorm_momentum: float = 0.99,
                 synchronized: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        if renorm or synchronized:
            raise NotImplementedError("BatchNormalization: renorm and synchronized (across "
                                      "replicas) are not supported.")
        self.axis, self.momentum, self.epsilon = axis, float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self._weight_options("beta", beta_initializer, beta_regularizer, beta_constraint)
        self._weight_options("gamma", gamma_initializer, gamma_regularizer, gamma_constraint)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.renorm_clipping, self.renorm_momentum = renorm_clipping, float(renorm_momentum)

    def build(self, input_shape: Any) -> None:
        self._channel_axes = _axes(self.axis, len(input_shape), self)
        shape = _param_shape(input_shape, self._channel_axes)
        gamma_and_beta(self, shape)
        self.moving_mean = self.add_weight("moving_mean", shape,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return dict(super().get_config(), axis=self.axis, momentum=self.momentum,
                    epsilon=self.epsilon, center=self.center, scale=self.scale,
                    moving_mean_initializer=self.moving_mean_initializer,
                    moving_variance_initializer=self.moving_variance_initializer,
                    renorm=False, renorm_clipping=self.renorm_clipping,
                    renorm_momentum=self.renorm_momentum, synchronized=False,
                    **self._weight_config("beta", "gamma"))

    def call(self, inputs: Any, training: bool = False) -> Any:
        rank = inputs.ndim
        channel = self._channel_axes
        reduce_axes = tuple(a for a in range(rank) if a not in channel)
        if training and not self.trainable:
            training = False  # a frozen BatchNormalization runs in inference mode, as Keras's
        if training:
            mean, var = _moments(inputs, reduce_axes)
            shape = tuple(self.moving_mean.shape)
            m = self.momentum
            # state, not part of any gradient: moving = moving * momentum + batch * (1 - momentum)
            batch_mean = reshape(stop_gradient(mean), shape)
            batch_var = reshape(stop_gradient(var), shape)
            self.moving_mean.assign(self.moving_mean * m + batch_mean * (1 - m))
            self.moving_variance.assign(self.moving_variance * m + batch_var * (1 - m))
        else:
            mean = _broadcastable(self.moving_mean, rank, channel)
            var = _broadcastable(self.moving_variance, rank, channel)
        gamma = None if self.gamma is None else _broadcastable(self.gamma, rank, channel)
        beta = None if self.beta is None else _broadcastable(self.beta, rank, channel)
        return _nn.batch_normalization(inputs, mean, var, beta, gamma, self.epsilon)
