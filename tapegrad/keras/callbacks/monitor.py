"""Callbacks that watch one logged value (``monitor``) for improvement: ``EarlyStopping``,
``ReduceLROnPlateau`` and ``ModelCheckpoint``. ``mode="auto"`` maximises names containing
``acc``, ``auc``, ``precision``, ``recall`` or ``f1`` and minimises the rest, as Keras does.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .callback import Callback

__all__ = ["EarlyStopping", "ReduceLROnPlateau", "ModelCheckpoint"]

_MAXIMISED = ("acc", "auc", "precision", "recall", "f1")


def _sign(monitor: str, mode: str, who: str) -> float:
    """+1 when larger is better, -1 when smaller is better."""
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"{who}: mode must be 'auto', 'min' or 'max', got {mode!r}.")
    if mode == "auto":
        return 1.0 if any(k in monitor for k in _MAXIMISED) else -1.0
    return 1.0 if mode == "max" else -1.0


def _value(logs: dict | None, monitor: str, who: str) -> float | None:
    if logs is None or monitor not in logs:
        warnings.warn(f"{who} is conditioned on metric `{monitor}` which is not available. "
                      f"Available metrics are: {','.join(logs or {})}.", stacklevel=3)
        return None
    return float(logs[monitor])


class EarlyStopping(Callback):
    """Stop training when ``monitor`` has not improved by more than ``min_delta`` for
    ``patience`` epochs; ``restore_best_weights`` puts back the best epoch's weights.

    >>> import numpy as np, tapegrad as tf
    >>> stop = tf.keras.callbacks.EarlyStopping(monitor="loss", patience=1)
    >>> stop.set_model(tf.keras.Sequential([tf.keras.layers.Dense(1)]))
    >>> stop.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 0.5, 0.6]):
    ...     stop.on_epoch_end(epoch, {"loss": loss})
    >>> stop.stopped_epoch, stop.model.stop_training
    (2, True)
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0.0, patience: int = 0,
                 verbose: int = 0, mode: str = "auto", baseline: float | None = None,
                 restore_best_weights: bool = False, start_from_epoch: int = 0):
        super().__init__()
        self.monitor, self.patience, self.verbose = monitor, int(patience), verbose
        self.baseline, self.restore_best_weights = baseline, restore_best_weights
        self.start_from_epoch = int(start_from_epoch)
        self._sign = _sign(monitor, mode, "EarlyStopping")
        self.min_delta = abs(min_delta) * self._sign

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.wait, self.stopped_epoch, self.best_epoch = 0, 0, 0
        self.best = -math.inf * self._sign
        self.best_weights: list | None = None

    def _improved(self, value: float, reference: float) -> bool:
        return self._sign * (value - self.min_delta - reference) > 0 if \
            math.isfinite(reference) else self._sign * (value - reference) > 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        value = _value(logs, self.monitor, "Early stopping")
        if value is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
        self.wait += 1
        if self._improved(value, self.best):
            self.best, self.best_epoch = value, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._improved(value, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when ``monitor`` has not improved for
    ``patience`` epochs (not below ``min_lr``; then wait ``cooldown`` epochs).

    >>> import tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    >>> model.compile(tf.keras.optimizers.SGD(1.0), "mse")
    >>> cb = tf.keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1)
    >>> cb.set_model(model); cb.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 1.0, 1.0]):
    ...     cb.on_epoch_end(epoch, {"loss": loss})
    >>> float(model.optimizer.learning_rate)
    0.25
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10,
                 verbose: int = 0, mode: str = "auto", min_delta: float = 1e-4,
                 cooldown: int = 0, min_lr: float = 0.0, **kwargs: Any):
        super().__init__()
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0, got "
                             f"{factor}.")
        self.monitor, self.factor, self.patience = monitor, float(factor), int(patience)
        self.verbose, self.min_delta, self.cooldown = verbose, float(min_delta), int(cooldown)
        self.min_lr = float(min_lr)
        self._sign = _sign(monitor, mode, "ReduceLROnPlateau")

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.best, self.wait, self.cooldown_counter = -math.inf * self._sign, 0, 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        value = _value(logs, self.monitor, "Learning rate reduction")
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
        if value is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._sign * (value - self.best) > self.min_delta:
            self.best, self.wait = value, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                self._reduce(epoch)

    def _reduce(self, epoch: int) -> None:
        old = float(self.model.optimizer.learning_rate)
        if old > np.float32(self.min_lr):
            new = max(old * self.factor, self.min_lr)
            self.model.optimizer.learning_rate = new
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new}.")
            self.cooldown_counter, self.wait = self.cooldown, 0


class ModelCheckpoint(Callback):
    """Save the model (or only its weights) after each epoch to ``filepath``, which may hold
    format fields: ``"ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5"``. ``save_best_only`` saves
    only when ``monitor`` improves.

    >>> import tapegrad as tf
    >>> tf.keras.callbacks.ModelCheckpoint("w-{epoch:02d}.npz", save_weights_only=True).monitor
    'val_loss'
    """

    def __init__(self, filepath: str, monitor: str = "val_loss", verbose: int = 0,
                 save_best_only: bool = False, save_weights_only: bool = False,
                 mode: str = "auto", save_freq: Any = "epoch",
                 initial_value_threshold: float | None = None):
        super().__init__()
        if save_freq != "epoch":
            raise NotImplementedError("ModelCheckpoint: only save_freq='epoch' is supported.")
        self.filepath, self.monitor, self.verbose = str(filepath), monitor, verbose
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self._sign = _sign(monitor, mode, "ModelCheckpoint")
        self.best = -math.inf * self._sign if initial_value_threshold is None \
            else float(initial_value_threshold)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = dict(logs or {})
        path = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            value = _value(logs, self.monitor, "Can save best model only with "
                           f"{self.monitor} available;")
            if value is None or not self._sign * (value - self.best) > 0:
                return
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to "
                      f"{value:.5f}, saving model to {path}")
            self.best = value
        if self.save_weights_only:
            self.model.save_weights(path, overwrite=True)
        elif not hasattr(self.model, "save"):
            raise NotImplementedError("ModelCheckpoint: this model cannot be saved whole; "
                                      "pass save_weights_only=True.")
        else:
            self.model.save(path, overwrite=True)
