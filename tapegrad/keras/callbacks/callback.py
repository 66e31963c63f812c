"""``Callback`` (every hook ``fit``/``evaluate``/``predict`` calls), ``CallbackList`` (how the
loops call them), and the two callbacks ``fit`` adds itself: ``History`` and ``ProgbarLogger``.
"""

from __future__ import annotations

from typing import Any

from ..utils import Progbar

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"]


class Callback:
    """Base class: override any ``on_*`` hook; ``self.model`` and ``self.params`` are set
    before training starts.

    >>> import numpy as np, tapegrad as tf
    >>> class Count(tf.keras.callbacks.Callback):
    ...     def on_train_begin(self, logs=None):
    ...         self.batches = 0
    ...     def on_train_batch_end(self, batch, logs=None):
    ...         self.batches += 1
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> count = Count()
    >>> _ = model.fit(np.ones((10, 2)), np.ones((10, 1)), batch_size=4, epochs=2, verbose=0,
    ...               callbacks=[count])
    >>> count.batches
    6
    """

    def __init__(self) -> None:
        self.params: dict = {}
        self._model: Any = None

    def set_params(self, params: dict) -> None:
        self.params = params

    def set_model(self, model: Any) -> None:
        self._model = model

    @property
    def model(self) -> Any:
        return self._model

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Alias of ``on_train_batch_begin`` (Keras keeps it for old code)."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Alias of ``on_train_batch_end``."""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """At the start of an epoch of ``fit``."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """At the end of an epoch; ``logs`` has the epoch's metrics (and ``val_*``)."""

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Before a batch of ``evaluate`` (and of validation inside ``fit``)."""

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """After a batch of ``evaluate``."""

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Before a batch of ``predict``."""

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """After a batch of ``predict``; ``logs["outputs"]`` holds its outputs."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        """At the start of ``fit``."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """At the end of ``fit``."""

    def on_test_begin(self, logs: dict | None = None) -> None:
        """At the start of ``evaluate``."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """At the end of ``evaluate``."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """At the start of ``predict``."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """At the end of ``predict``."""


class CallbackList(Callback):
    """Calls each hook on every callback in order; adds ``History`` and, when ``verbose``,
    ``ProgbarLogger`` after the user's callbacks, as Keras 3 does.

    >>> from tapegrad.keras.callbacks import CallbackList, History
    >>> cbs = CallbackList([], add_history=True, model=None, epochs=1, steps=1, verbose=0)
    >>> [type(c).__name__ for c in cbs.callbacks]
    ['History']
    """

    def __init__(self, callbacks: Any = None, add_history: bool = False,
                 add_progbar: bool = False, model: Any = None, **params: Any):
        super().__init__()
        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks: expected keras.callbacks.Callback instances, got "
                                f"{type(cb).__name__}; subclass Callback or use "
                                f"LambdaCallback.")
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self.callbacks.append(History())
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        self.set_model(model)
        self.set_params(params)

    def set_model(self, model: Any) -> None:
        super().set_model(model)
        for cb in self.callbacks:
            cb.set_model(model)

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        for cb in self.callbacks:
            cb.set_params(params)

    @property
    def history(self) -> "History | None":
        return next((c for c in self.callbacks if isinstance(c, History)), None)

    def _call(self, hook: str, *args: Any) -> None:
        for cb in self.callbacks:
            getattr(cb, hook)(*args)

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._call("on_train_begin", logs)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._call("on_train_end", logs)

    def on_test_begin(self, logs: dict | None = None) -> None:
        self._call("on_test_begin", logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs: dict | None = None) -> None:
        self._call("on_predict_end", logs)

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._call("on_predict_batch_end", batch, logs)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._call("on_epoch_end", epoch, logs)


class History(Callback):
    """Records each epoch's logs: ``history.history[name]`` is the list of per-epoch values
    (``fit`` returns it).

    >>> from tapegrad.keras.callbacks import History
    >>> h = History()
    >>> h.on_train_begin(); h.on_epoch_end(0, {"loss": 0.5})
    >>> h.history, h.epoch
    ({'loss': [0.5]}, [0])
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)
        if self.model is not None:
            self.model.history = self

    def __repr__(self) -> str:
        return f"<History epochs={len(self.epoch)} keys={list(self.history)}>"


class ProgbarLogger(Callback):
    """Prints ``Epoch i/n`` (when ``epochs > 1``) and a progress bar per epoch, as Keras 3:
    ``verbose=1`` a bar (only its final line when not on a terminal), ``verbose=2`` one line
    per epoch. Validation inside ``fit`` is silent.

    >>> from tapegrad.keras.callbacks import ProgbarLogger
    >>> ProgbarLogger().verbose
    1
    """

    def __init__(self) -> None:
        super().__init__()
        self.seen, self.target, self.verbose, self.epochs = 0, None, 1, 1
        self.progbar: Progbar | None = None
        self._in_fit = False

    def set_params(self, params: dict) -> None:
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else int(verbose)
        self.epochs, self.target = params.get("epochs", 1), params.get("steps")

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._in_fit = True

    def on_test_begin(self, logs: dict | None = None) -> None:
        if not self._in_fit:
            self.progbar = None

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self.progbar = None

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.progbar = None
        if self.verbose and self.epochs > 1:
            print(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._update(batch, logs)

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if not self._in_fit:
            self._update(batch, logs)

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._update(batch, None)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._finalize(logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        if not self._in_fit:
            self._finalize(logs)

    def on_predict_end(self, logs: dict | None = None) -> None:
        self._finalize(logs)

    def _bar(self) -> Progbar:
        if self.progbar is None:
            self.progbar = Progbar(self.target, verbose=self.verbose)
        return self.progbar

    def _update(self, batch: int, logs: dict | None) -> None:
        bar, self.seen = self._bar(), batch + 1
        bar.stateful.update((logs or {}).keys())  # logs are running results already
        if self.verbose == 1:
            bar.update(self.seen, list((logs or {}).items()), finalize=False)

    def _finalize(self, logs: dict | None) -> None:
        bar = self._bar()
        if bar.target is None:
            bar.target = self.seen
        bar.stateful.update((logs or {}).keys())
        bar.update(bar.target, list((logs or {}).items()), finalize=True)
