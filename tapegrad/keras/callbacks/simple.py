"""Small callbacks: ``LearningRateScheduler``, ``CSVLogger``, ``TerminateOnNaN`` and
``LambdaCallback``."""

from __future__ import annotations

import csv
import math
from typing import Any, Callable

from .callback import Callback

__all__ = ["LearningRateScheduler", "CSVLogger", "TerminateOnNaN", "LambdaCallback"]


class LearningRateScheduler(Callback):
    """Set the learning rate at each epoch's start to ``schedule(epoch, lr)``.

    >>> import tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    >>> model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    >>> cb = tf.keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    >>> cb.set_model(model); cb.on_epoch_begin(0)
    >>> round(float(model.optimizer.learning_rate), 4)
    0.05
    """

    def __init__(self, schedule: Callable, verbose: int = 0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        lr = float(self.model.optimizer.learning_rate)
        lr = self.schedule(epoch, lr)
        try:
            lr = float(lr)
        except (TypeError, ValueError):
            raise ValueError(f"LearningRateScheduler: the schedule must return a float, got "
                             f"{lr!r}.") from None
        self.model.optimizer.learning_rate = lr
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)


class CSVLogger(Callback):
    """Write each epoch's logs as a CSV row (``epoch`` first, then the keys sorted).

    >>> import tapegrad as tf
    >>> tf.keras.callbacks.CSVLogger("log.csv", append=True).append
    True
    """

    def __init__(self, filename: str, separator: str = ",", append: bool = False):
        super().__init__()
        self.filename, self.sep, self.append = str(filename), separator, append
        self._file: Any = None
        self._writer: Any = None
        self.keys: list[str] | None = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        mode = "a" if self.append else "w"
        self._has_header = False
        if self.append:
            try:
                with open(self.filename, encoding="utf-8") as f:
                    self._has_header = bool(f.readline())
            except FileNotFoundError:
                pass
        self._file = open(self.filename, mode, newline="", encoding="utf-8")
        self._writer, self.keys = None, None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch"] + self.keys,
                                          delimiter=self.sep)
            if not self._has_header:
                self._writer.writeheader()
        row = {"epoch": epoch}
        row.update((k, logs.get(k, "NA")) for k in self.keys)
        self._writer.writerow(row)
        self._file.flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class TerminateOnNaN(Callback):
    """Stop training as soon as a batch's loss is NaN or infinite.

    >>> import tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    >>> cb = tf.keras.callbacks.TerminateOnNaN(); cb.set_model(model)
    >>> cb.on_batch_end(3, {"loss": float("nan")})  # doctest: +ELLIPSIS
    Batch 3: Invalid loss, terminating training
    >>> model.stop_training
    True
    """

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class LambdaCallback(Callback):
    """A callback from plain functions: ``on_epoch_end=lambda epoch, logs: ...`` and so on
    for every hook (``on_train_begin=lambda logs: ...``).

    >>> import tapegrad as tf
    >>> seen = []
    >>> cb = tf.keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))
    >>> cb.on_epoch_end(4, {}); seen
    [4]
    """

    def __init__(self, on_epoch_begin: Callable | None = None,
                 on_epoch_end: Callable | None = None, on_train_begin: Callable | None = None,
                 on_train_end: Callable | None = None, on_train_batch_begin: Callable | None = None,
                 on_train_batch_end: Callable | None = None, **kwargs: Callable):
        super().__init__()
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end, **kwargs)
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not name.startswith("on_") or not hasattr(Callback, name):
                raise ValueError(f"LambdaCallback: unknown hook {name!r}.")
            self.__dict__[name] = fn  # an instance attribute shadows the no-op method
