"""Training for Keras models: ``compile``, ``fit``, ``evaluate``, ``predict`` and the
``*_on_batch`` methods, as a mixin class that ``Model`` inherits (Keras 3 keeps the same split
in ``keras/src/trainers/trainer.py``).

``fit`` is the loop people otherwise write by hand: for each batch, ``train_step`` records the
forward pass on a GradientTape, takes the gradient of ``compute_loss`` with respect to
``trainable_variables`` and hands it to the optimizer; callbacks see every step. Override
``train_step``/``test_step``/``compute_loss``/``metrics`` to customise it, as in Keras's
"Customizing what happens in fit" guide.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.tape import GradientTape
from ..engine.tensor import Tensor, _Base
from . import losses as _losses
from . import metrics as _metrics
from . import distributed as _dist
from . import optimizers as _optimizers
from .callbacks import (BackupAndRestore, CallbackList, CSVLogger, History, ModelCheckpoint,
                        TensorBoard)
from .data_adapter import (EpochIterator, _is_arrays, _length, train_validation_split,
                           unpack_x_y_sample_weight)

__all__ = ["Trainer", "History"]


def _float(v: Any) -> Any:
    if isinstance(v, _Base):
        v = v._value
    return float(v) if np.ndim(v) == 0 else np.asarray(v)


def _call_loss(fn: Any, y: Any, y_pred: Any, sample_weight: Any) -> Tensor:
    if isinstance(fn, _losses.Loss):
        return fn(y, y_pred, sample_weight=sample_weight)
    # a plain function gives per-example values: reduce as Keras's LossFunctionWrapper
    return _losses._reduce(_losses._pred(fn(y, y_pred)), sample_weight, "sum_over_batch_size")


def _weights(loss: Any, loss_weights: Any, keys: list) -> list:
    if loss_weights is None:
        return [1.0] * len(keys)
    if isinstance(loss_weights, dict):
        return [float(loss_weights.get(k, 1.0)) for k in keys]
    return [float(w) for w in (loss_weights if isinstance(loss_weights, (list, tuple))
                               else [loss_weights])]


def _total_loss(loss: Any, loss_weights: Any, y: Any, y_pred: Any, sw: Any) -> Tensor:
    """One loss, or one per output (a list, or a dict keyed by output name), weighted."""
    if isinstance(loss, dict):
        keys = list(loss)
        parts = [(loss[k], y[k], y_pred[k]) for k in keys]
    elif isinstance(loss, (list, tuple)):
        keys = list(range(len(loss)))
        parts = list(zip(loss, y, y_pred))
    else:
        return _call_loss(loss, y, y_pred, sw) * _weights(loss, loss_weights, [0])[0]
    total = None
    for w, (fn, yt, yp) in zip(_weights(loss, loss_weights, keys), parts):
        if fn is None:
            continue
        term = _call_loss(fn, yt, yp, sw) * w
        total = term if total is None else total + term
    return total


def _resolve_loss(loss: Any) -> Any:
    if isinstance(loss, dict):
        return {k: None if v is None else _losses.get(v) for k, v in loss.items()}
    if isinstance(loss, (list, tuple)):
        return [None if v is None else _losses.get(v) for v in loss]
    return None if loss is None else _losses.get(loss)


def _batch_size(x: Any) -> int:
    while isinstance(x, (list, tuple, dict)):
        x = next(iter(x.values())) if isinstance(x, dict) else x[0]
    return int(np.shape(x._value if isinstance(x, _Base) else x)[0])


class Trainer:
    """The training methods of ``Model`` (mixed in before ``Layer``).

    >>> import numpy as np, tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(np.ones((4, 2)), np.zeros((4, 1)), epochs=2, verbose=0)
    >>> len(history.history["loss"]), history.epoch
    (2, [0, 1])
    """

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.optimizer: Any = None
        self.loss: Any = None
        self.loss_weights: Any = None
        self.compiled_metrics: list = []
        self.weighted_metrics: list = []
        self.stop_training = False
        self.compiled = False
        self._loss_tracker: Any = None
        self._initial_epoch: int | None = None
        self._distribute_strategy = _dist.current()  # the strategy in scope at construction

    @property
    def distribute_strategy(self) -> Any:
        """The ``tf.distribute`` strategy the model was made under (None: the default)."""
        return self._distribute_strategy

    # -- compile --------------------------------------------------------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, loss_weights: Any = None,
                metrics: Any = None, weighted_metrics: Any = None, run_eagerly: bool = False,
                steps_per_execution: int = 1, jit_compile: Any = "auto", **kwargs: Any) -> None:
        """Choose the optimizer, the loss (one, or one per output) and the metrics that
        ``fit`` and ``evaluate`` use. ``metrics`` ignore sample weights; ``weighted_metrics``
        use them. ``"accuracy"`` picks the accuracy that fits the loss (sparse, categorical
        or binary)."""
        self.optimizer = _optimizers.get(optimizer)
        # the arguments as given, for a saved model's compile_config (Keras 3 keeps them too)
        self._compile_args = {"loss": loss, "loss_weights": loss_weights, "metrics": metrics,
                              "weighted_metrics": weighted_metrics}
        self.loss = _resolve_loss(loss)
        self.loss_weights = loss_weights
        self.compiled_metrics = [self._metric(m) for m in (metrics or [])]
        self.weighted_metrics = [self._metric(m) for m in (weighted_metrics or [])]
        self._loss_tracker = _metrics.Mean(name="loss")
        self.compiled = True

    def _metric(self, m: Any) -> _metrics.Metric:
        if m in ("accuracy", "acc"):
            fn = getattr(self.loss, "_fn", None) or self.loss
            if fn is _losses.sparse_categorical_crossentropy:
                return _metrics.SparseCategoricalAccuracy(name="accuracy")
            if fn is _losses.categorical_crossentropy:
                return _metrics.CategoricalAccuracy(name="accuracy")
            if fn is _losses.binary_crossentropy:
                return _metrics.BinaryAccuracy(name="accuracy")
            return _metrics.Accuracy()
        metric = _metrics.get(m)
        if isinstance(m, str):
            metric.name = m  # Keras 3 logs a metric given by a string under that string
        return metric

    def _require_compiled(self, what: str) -> None:
        if not self.compiled:
            raise RuntimeError(f"Model.{what}: you must call model.compile(optimizer=..., "
                               f"loss=...) first.")

    @property
    def metrics(self) -> list:
        """The metrics ``fit`` reports: the loss tracker, then the compiled metrics (empty
        before ``compile``). Override it to list your own ``keras.metrics`` objects."""
        if not self.compiled:
            return []
        return [self._loss_tracker] + self.compiled_metrics + self.weighted_metrics

    @property
    def metrics_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        """Reset the state of every metric in ``self.metrics``."""
        for m in self.metrics:
            m.reset_state()

    # -- one step -------------------------------------------------------------------------------
    def compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None,
                     sample_weight: Any = None, training: bool = True) -> Tensor:
        """The compiled loss (summed over outputs with ``loss_weights``) of one batch, plus the
        model's own losses (``add_loss``, weight and activity regularizers), as Keras 3."""
        if self.loss is None and not self.losses:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        total = None
        if self.loss is not None:
            total = _total_loss(self.loss, self.loss_weights, y, y_pred, sample_weight)
        for extra in self.losses:
            total = extra if total is None else total + extra
        return total

    def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None) -> dict:
        """Update the compiled metrics with this batch and return every metric's result."""
        for m in self.compiled_metrics:
            m.update_state(y, y_pred)
        for m in self.weighted_metrics:
            m.update_state(y, y_pred, sample_weight=sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict:
        """``{name: result}`` for every metric in ``self.metrics``, as Python numbers (over
        every replica when the model trains under a strategy with several)."""
        out: dict = {}
        replicas = _dist.aggregate_results(self, self.metrics)
        for m in self.metrics:
            r = m.result() if replicas is None else replicas[m.name]
            if isinstance(r, dict):
                out.update({k: _float(v) for k, v in r.items()})
            else:
                out[m.name] = _float(r)
        return out

    def train_step(self, data: Any) -> dict:
        """One optimizer step on a batch ``x``, ``(x, y)`` or ``(x, y, sample_weight)``;
        returns the metrics' results."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)
            # divided by the replicas, if several; then the optimizer's loss scale (Keras 3)
            scaled = self.optimizer.scale_loss(_dist.scale_loss(self, loss))
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        variables = self.trainable_variables
        if variables:
            grads = tape.gradient(scaled, variables)
            self.optimizer.apply_gradients(zip(grads, variables))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data: Any) -> dict:
        """The loss and metrics on one batch, in inference mode."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                 training=False)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data: Any) -> Any:
        """The model's outputs on one batch."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _callbacks(self, callbacks: Any, verbose: Any, epochs: int, steps: Any,
                   history: bool = False) -> CallbackList:
        if isinstance(callbacks, CallbackList):
            return callbacks
        verbose = 1 if verbose == "auto" else int(verbose)
        if not _dist.is_chief(self):  # only rank 0 prints and writes files
            verbose = 0
            callbacks = [c for c in (callbacks or []) if not isinstance(c, _CHIEF_ONLY)]
        return CallbackList(callbacks, add_history=history, add_progbar=verbose != 0,
                            model=self, verbose=verbose, epochs=epochs, steps=steps)

    # -- loops ----------------------------------------------------------------------------------
    @_dist.in_model_scope
    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1,
            verbose: Any = "auto", callbacks: Any = None, validation_split: float = 0.0,
            validation_data: Any = None, shuffle: bool = True, class_weight: dict | None = None,
            sample_weight: Any = None, initial_epoch: int = 0,
            steps_per_epoch: int | None = None, validation_steps: int | None = None,
            validation_batch_size: int | None = None, validation_freq: Any = 1) -> History:
        """Train from ``initial_epoch`` to ``epochs`` over arrays ``(x, y)`` in batches of
        ``batch_size`` (32), or over a Dataset/generator ``x`` yielding ``(x, y[, sw])``.

        Returns the ``History``; ``verbose`` 0 is silent, 1 a progress bar, 2 one line per
        epoch; validation runs every ``validation_freq`` epochs (an int, or the list of
        1-based epochs).
        """
        self._require_compiled("fit")
        if x is None:
            raise ValueError("Model.fit: x is required.")
        if validation_split and validation_data is None:
            if not _is_arrays(x):
                raise ValueError("validation_split is only supported for arrays and tensors, "
                                 "not for a Dataset or a generator: pass validation_data.")
            (x, y, sample_weight), validation_data = train_validation_split(
                (x, y, sample_weight), validation_split)
        data = EpochIterator(x, y, sample_weight, batch_size, steps_per_epoch, shuffle,
                             class_weight, who="Model.fit")
        cbs = self._callbacks(callbacks, verbose, epochs, data.steps, history=True)
        self.stop_training = False
        self._initial_epoch = None
        cbs.on_train_begin()
        if self._initial_epoch is not None:  # set by BackupAndRestore on resuming
            initial_epoch, self._initial_epoch = self._initial_epoch, None
        logs: dict = {}
        _dist.sync_shuffle(self)
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            cbs.on_epoch_begin(epoch)
            logs = self._run_epoch(data, cbs)
            if validation_data is not None and _due(validation_freq, epoch):
                val = self._validate(validation_data, validation_batch_size or batch_size,
                                     validation_steps, cbs)
                logs.update({f"val_{k}": v for k, v in val.items()})
            cbs.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        # with use_ema the weights take their moving averages (Keras 3, before on_train_end)
        self.optimizer.finalize_variable_values(self.trainable_variables)
        cbs.on_train_end(logs)
        self.history = cbs.history
        return self.history

    def _run_epoch(self, data: EpochIterator, cbs: CallbackList) -> dict:
        logs: dict = {}
        for step, batch in data.epoch():
            cbs.on_train_batch_begin(step)
            logs = {k: _float(v) for k, v in
                    self.train_step(_dist.local_batch(self, batch, step == 0)).items()}
            cbs.on_train_batch_end(step, logs)
            if self.stop_training:
                break
        return dict(logs)

    def _validate(self, validation_data: Any, batch_size: int | None, steps: int | None,
                  cbs: CallbackList) -> dict:
        if isinstance(validation_data, (tuple, list)):
            vx, vy, vsw = unpack_x_y_sample_weight(validation_data)
        else:
            vx, vy, vsw = validation_data, None, None
        return self.evaluate(vx, vy, batch_size=batch_size, sample_weight=vsw, steps=steps,
                             callbacks=cbs, return_dict=True)

    @_dist.in_model_scope
    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None,
                 verbose: Any = "auto", sample_weight: Any = None, steps: int | None = None,
                 callbacks: Any = None, return_dict: bool = False, **kwargs: Any) -> Any:
        """The loss (and metrics) on ``(x, y)``, in inference mode: ``loss`` or
        ``[loss, *metrics]`` (a dict with ``return_dict=True``)."""
        self._require_compiled("evaluate")
        if x is None:
            raise ValueError("Model.evaluate: x is required.")
        data = EpochIterator(x, y, sample_weight, batch_size, steps, shuffle=False,
                             who="Model.evaluate")
        cbs = self._callbacks(callbacks, verbose, 1, data.steps)
        self.reset_metrics()
        cbs.on_test_begin()
        logs: dict = {}
        for step, batch in data.epoch():
            cbs.on_test_batch_begin(step)
            logs = {k: _float(v) for k, v in
                    self.test_step(_dist.local_batch(self, batch, step == 0)).items()}
            cbs.on_test_batch_end(step, logs)
        logs = self.get_metrics_result() if not logs else logs
        cbs.on_test_end(logs)
        if return_dict:
            return logs
        return logs["loss"] if len(logs) == 1 else list(logs.values())

    def predict(self, x: Any, batch_size: int | None = None, verbose: Any = "auto",
                steps: int | None = None, callbacks: Any = None) -> Any:
        """The model's outputs on ``x`` (inference mode), batch by batch, as NumPy arrays
        (nested as the model's outputs are). Under a strategy with several replicas each
        predicts its part of every batch and every rank returns all the outputs."""
        data = EpochIterator(x, None, None, batch_size, steps, shuffle=False,
                             who="Model.predict")
        cbs = self._callbacks(callbacks, verbose, 1, data.steps)
        cbs.on_predict_begin()
        outs: list = []
        for step, batch in data.epoch():
            cbs.on_predict_batch_begin(step)
            local = _numpy(self.predict_step(_dist.local_batch(self, batch, step == 0)))
            outs.append(_dist.gather_outputs(self, local))
            cbs.on_predict_batch_end(step, {"outputs": outs[-1]})
        cbs.on_predict_end()
        if not outs:
            raise ValueError("Model.predict: the data yielded no batches.")
        return _concat(outs)

    # -- single batches -------------------------------------------------------------------------
    def train_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None,
                       class_weight: dict | None = None, return_dict: bool = False) -> Any:
        """One ``train_step`` on one batch; the metrics restart from this batch."""
        self._require_compiled("train_on_batch")
        self.reset_metrics()
        batch = next(EpochIterator(x, y, sample_weight, _length_or(x), None, False,
                                   class_weight).epoch())[1]
        return _result(self.train_step(batch), return_dict)

    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None,
                      return_dict: bool = False) -> Any:
        """One ``test_step`` on one batch."""
        self._require_compiled("test_on_batch")
        self.reset_metrics()
        batch = next(EpochIterator(x, y, sample_weight, _length_or(x)).epoch())[1]
        return _result(self.test_step(batch), return_dict)

    def predict_on_batch(self, x: Any) -> Any:
        """The outputs on one batch, as NumPy arrays."""
        return _numpy(self.predict_step(x if not isinstance(x, list) else tuple(x)))


_CHIEF_ONLY = (ModelCheckpoint, TensorBoard, BackupAndRestore, CSVLogger)


def _due(validation_freq: Any, epoch: int) -> bool:
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    return epoch + 1 in validation_freq


def _length_or(x: Any) -> int:
    return _length(x) if _is_arrays(x) else 1


def _result(logs: dict, return_dict: bool) -> Any:
    logs = {k: _float(v) for k, v in logs.items()}
    if return_dict:
        return logs
    return next(iter(logs.values())) if len(logs) == 1 else list(logs.values())


def _numpy(out: Any) -> Any:
    if isinstance(out, (list, tuple)):
        return type(out)(_numpy(v) for v in out)
    if isinstance(out, dict):
        return {k: _numpy(v) for k, v in out.items()}
    return np.asarray(out._value if isinstance(out, _Base) else out)


def _concat(outs: list) -> Any:
    first = outs[0]
    if isinstance(first, (list, tuple)):
        return type(first)(_concat([o[i] for o in outs]) for i in range(len(first)))
    if isinstance(first, dict):
        return {k: _concat([o[k] for o in outs]) for k in first}
    return np.concatenate(outs, axis=0)
