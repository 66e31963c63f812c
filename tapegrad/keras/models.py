"""``Model`` (subclass it and write ``call``) and ``Sequential``, with ``compile``, ``fit``,
``evaluate``, ``predict`` and weights files.

``fit`` is the loop people otherwise write by hand: for each batch, record the forward pass on
a GradientTape, take the gradient of the loss with respect to ``trainable_variables``, and hand
it to the optimizer.
"""

from __future__ import annotations

import sys

from typing import Any, Iterator

import numpy as np


from ..engine.tape import GradientTape
from ..engine.tensor import Tensor, _Base
from . import losses as _losses
from . import metrics as _metrics
from . import optimizers as _optimizers
from . import saving as _saving
from .base_layer import Layer, _accepts_training
from .functional import Graph
from .keras_tensor import is_keras_tensor
from .layers.core.input_layer import InputLayer
from .model_structure import ModelStructure
from .module import _walk
from .utils import Progbar

__all__ = ["Model", "Sequential", "History"]


class History:
    """What ``fit`` returns: ``history[name]`` is the list of per-epoch values."""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.params: dict = {}

    def _record(self, epoch: int, logs: dict) -> None:
        self.epoch.append(epoch)
        for k, v in logs.items():
            self.history.setdefault(k, []).append(float(v))

    def __repr__(self) -> str:
        return f"<History epochs={len(self.epoch)} keys={list(self.history)}>"


def _values(x: Any) -> Any:
    if isinstance(x, (list, tuple)):
        return type(x)(_values(v) for v in x)
    if isinstance(x, dict):
        return {k: _values(v) for k, v in x.items()}
    return x._value if isinstance(x, _Base) else np.asarray(x)


def _length(x: Any) -> int:
    if isinstance(x, (list, tuple)):
        return _length(x[0])
    if isinstance(x, dict):
        return _length(next(iter(x.values())))
    return int(x.shape[0])


def _take(x: Any, idx: np.ndarray) -> Any:
    if isinstance(x, (list, tuple)):
        return type(x)(_take(v, idx) for v in x)
    if isinstance(x, dict):
        return {k: _take(v, idx) for k, v in x.items()}
    return x[idx]


def _batches(n: int, batch_size: int, order: np.ndarray) -> Iterator[np.ndarray]:
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


class Model(ModelStructure, Layer):
    """A layer with training methods. Subclass it: create layers in ``__init__``, compute in
    ``call``; the layers' variables are tracked automatically.

    >>> import tapegrad as tf
    >>> class MLP(tf.keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = [tf.keras.layers.Dense(8, activation="relu") for _ in range(2)]
    ...         self.out = tf.keras.layers.Dense(1)
    ...     def call(self, x):
    ...         for layer in self.hidden:
    ...             x = layer(x)
    ...         return self.out(x)
    >>> model = MLP()
    >>> model(tf.ones((2, 3))).shape, len(model.trainable_variables)
    (TensorShape([2, 1]), 6)
    """

    def __init__(self, *args: Any, **kwargs: Any):
        inputs = args[0] if args else kwargs.pop("inputs", None)
        outputs = args[1] if len(args) > 1 else kwargs.pop("outputs", None)
        if len(args) > 2:
            raise TypeError(f"Model: takes (inputs, outputs) positionally, got {len(args)} "
                            f"positional arguments.")
        if (inputs is None) != (outputs is None):
            raise ValueError("Model: give both inputs and outputs (the functional API), or "
                             "neither (then subclass Model and write call()).")
        super().__init__(**kwargs)
        self.optimizer: Any = None
        self.loss: Any = None
        self.compiled_metrics: list = []
        self.stop_training = False
        self._graph: Graph | None = None
        if inputs is not None:
            self._graph = Graph(inputs, outputs)
            self._functional_layers = list(self._graph.layers)  # tracked: their variables
            self.built = True

    def call(self, inputs: Any, training: bool = False) -> Any:
        if self._graph is not None:
            return self._graph.run(inputs, training)
        raise NotImplementedError(f"{type(self).__name__}.call is not defined: a Model "
                                  f"subclass computes its outputs in call(inputs).")

    def build(self, input_shape: Any = None) -> None:
        """Create the variables by calling the model once on zeros of ``input_shape`` (a
        leading ``None`` batch dimension becomes 1)."""
        if input_shape is not None and not self.built:
            self.built = True  # sub-layers build themselves on this first call
            shape = tuple(1 if d is None else int(d) for d in input_shape)
            self(np.zeros(shape, np.float32))
        self.built = True

    def _build_on_call(self, input_shape: Any) -> None:
        # a model's layers build themselves inside call(); only a user-written build runs here
        if type(self).build not in (Model.build, Sequential.build):
            self.build(input_shape)

    @property
    def layers(self) -> list[Layer]:
        """The direct sub-layers, in the order they were assigned (a functional model's: its
        InputLayers, then each layer in the order the graph runs them)."""
        if self._graph is not None:
            return list(self._graph.layers)
        out: list[Layer] = []
        for value in self._attr_values():
            for item in _walk(value):
                if isinstance(item, Layer) and all(item is not o for o in out):
                    out.append(item)
        return out

    # -- training -------------------------------------------------------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, metrics: Any = None,
                **kwargs: Any) -> None:
        """Choose the optimizer, the loss and the metrics that ``fit`` and ``evaluate`` use.

        ``"accuracy"`` picks the accuracy that fits the loss (sparse, categorical or binary).
        """
        self.optimizer = _optimizers.get(optimizer)
        self.loss = _losses.get(loss) if loss is not None else None
        self.compiled_metrics = [self._metric(m) for m in (metrics or [])]

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
        return _metrics.get(m)

    def _require_compiled(self, what: str) -> None:
        if self.optimizer is None or self.loss is None:
            raise RuntimeError(f"Model.{what}: call model.compile(optimizer=..., loss=...) "
                               f"first.")

    def train_step(self, x: Any, y: Any, sample_weight: Any = None) -> Tensor:
        """One optimizer step on a batch; returns the loss."""
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.loss(y, y_pred, sample_weight) if sample_weight is not None \
                else self.loss(y, y_pred)
            if self.losses:  # add_loss and regularization penalties (issue 15's minimal hook)
                loss = loss + sum(self.losses)
        variables = self.trainable_variables
        grads = tape.gradient(loss, variables)
        self.optimizer.apply_gradients(zip(grads, variables))
        for m in self.compiled_metrics:
            m.update_state(y, y_pred)
        return loss

    def _data(self, x: Any, y: Any, what: str) -> tuple[Any, Any, int]:
        if x is None:
            raise ValueError(f"Model.{what}: x is required.")
        x, y = _values(x), (None if y is None else _values(y))
        n = _length(x)
        if y is not None and _length(y) != n:
            raise ValueError(f"Model.{what}: x has {n} examples but y has {_length(y)}.")
        return x, y, n

    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1,
            verbose: Any = "auto", callbacks: Any = None, validation_data: Any = None,
            shuffle: bool = True, sample_weight: Any = None, initial_epoch: int = 0,
            **kwargs: Any) -> History:
        """Train for ``epochs`` passes over ``(x, y)`` in batches of ``batch_size`` (32).

        Shows a progress bar per epoch (``verbose=0`` silences it; on a non-terminal only each
        epoch's final line is printed) and returns a ``History``.
        """
        self._require_compiled("fit")
        x, y, n = self._data(x, y, "fit")
        if y is None:
            raise ValueError("Model.fit: y is required (tapegrad has no dataset pipelines).")
        sw = None if sample_weight is None else np.asarray(_values(sample_weight))
        batch_size = int(batch_size or 32)
        verbose = 1 if verbose == "auto" else int(verbose)
        steps = -(-n // batch_size)
        history = History()
        history.params = {"epochs": epochs, "steps": steps, "verbose": verbose}
        loss_mean = _metrics.Mean(name="loss")
        for epoch in range(initial_epoch, epochs):
            if verbose:
                print(f"Epoch {epoch + 1}/{epochs}", file=sys.stdout)
            bar = Progbar(steps, verbose=verbose)
            loss_mean.reset_state()
            for m in self.compiled_metrics:
                m.reset_state()
            order = np.random.permutation(n) if shuffle else np.arange(n)
            for step, idx in enumerate(_batches(n, batch_size, order), 1):
                xb, yb = _take(x, idx), _take(y, idx)
                loss = self.train_step(xb, yb, None if sw is None else sw[idx])
                loss_mean.update_state(loss, sample_weight=len(idx))
                logs = self._logs(loss_mean)
                # with validation data the epoch's line is finished after evaluating it
                bar.update(step, list(logs.items()),
                           finalize=False if validation_data is not None else None)
            logs = self._logs(loss_mean)
            if validation_data is not None:
                vx, vy = validation_data[0], validation_data[1]
                val = self.evaluate(vx, vy, batch_size=batch_size, verbose=0, return_dict=True)
                logs.update({f"val_{k}": v for k, v in val.items()})
                bar.update(steps, [(k, v) for k, v in logs.items() if k.startswith("val_")],
                           finalize=True)
            history._record(epoch, logs)
            for cb in callbacks or []:
                if hasattr(cb, "on_epoch_end"):
                    cb.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        self.history = history
        return history

    def _logs(self, loss_mean: _metrics.Mean) -> dict:
        logs = {"loss": float(loss_mean.result())}
        for m in self.compiled_metrics:
            logs[m.name] = float(m.result())
        return logs

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None,
                 verbose: Any = "auto", sample_weight: Any = None, return_dict: bool = False,
                 **kwargs: Any) -> Any:
        """The loss (and metrics) on ``(x, y)``, in inference mode: ``loss`` or
        ``[loss, *metrics]`` (a dict with ``return_dict=True``)."""
        self._require_compiled("evaluate")
        x, y, n = self._data(x, y, "evaluate")
        batch_size = int(batch_size or 32)
        verbose = 1 if verbose == "auto" else int(verbose)
        loss_mean = _metrics.Mean(name="loss")
        for m in self.compiled_metrics:
            m.reset_state()
        steps = -(-n // batch_size)
        bar = Progbar(steps, verbose=verbose)
        for step, idx in enumerate(_batches(n, batch_size, np.arange(n)), 1):
            xb, yb = _take(x, idx), _take(y, idx)
            y_pred = self(xb, training=False)
            loss = self.loss(yb, y_pred)
            loss_mean.update_state(loss, sample_weight=len(idx))
            for m in self.compiled_metrics:
                m.update_state(yb, y_pred)
            bar.update(step, list(self._logs(loss_mean).items()))
        logs = self._logs(loss_mean)
        if return_dict:
            return logs
        return logs["loss"] if len(logs) == 1 else list(logs.values())

    def predict(self, x: Any, batch_size: int | None = None, verbose: Any = 0,
                **kwargs: Any) -> np.ndarray:
        """The model's outputs on ``x`` (inference mode), batch by batch, as a NumPy array."""
        x = _values(x)
        n = _length(x)
        batch_size = int(batch_size or 32)
        outs = [np.asarray(self(_take(x, idx), training=False)._value)
                for idx in _batches(n, batch_size, np.arange(n))]
        return np.concatenate(outs, axis=0)

    def predict_on_batch(self, x: Any) -> np.ndarray:
        return np.asarray(self(x, training=False)._value)

    # -- weights files --------------------------------------------------------------------------
    def save_weights(self, filepath: str, overwrite: bool = True) -> None:
        """Write every variable to ``filepath`` (``.npz``, or ``.safetensors`` when the
        ``safetensors`` package is installed), atomically."""
        _saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath: str, **kwargs: Any) -> None:
        """Read variables written by ``save_weights``; names, shapes and dtypes must match."""
        _saving.load_weights(self, filepath)


class Sequential(Model):
    """A plain stack of layers, each feeding the next.

    >>> import tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu"),
    ...                              tf.keras.layers.Dense(2)])
    >>> model(tf.ones((3, 5))).shape, [tuple(v.shape) for v in model.trainable_variables]
    (TensorShape([3, 2]), [(5, 4), (4,), (4, 2), (2,)])
    """

    def __init__(self, layers: Any = None, name: str | None = None, **kwargs: Any):
        super().__init__(name=name, **kwargs)
        self._layers: list[Layer] = []
        self._input_shape: tuple | None = None
        for layer in layers or []:
            self.add(layer)

    def add(self, layer: Layer) -> None:
        """Append a layer."""
        if is_keras_tensor(layer):  # keras.Input(...) in the first place
            layer = layer._node.layer
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add: expected a Layer, got {type(layer).__name__} "
                            f"{layer!r}.")
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError("Sequential.add: an Input/InputLayer must come first.")
            self._input_layer = layer
            self._input_shape = layer._build_input_shape
            return
        self._layers.append(layer)
        if len(self._layers) == 1 and layer._build_input_shape is not None:
            self._input_shape = layer._build_input_shape
        if self._input_shape is not None:
            # the input shape is known (input_shape= on the first layer): build as we go
            self.built = False
            self.build(self._input_shape)

    def pop(self) -> Layer:
        """Remove and return the last layer."""
        return self._layers.pop()

    @property
    def layers(self) -> list[Layer]:
        return list(self._layers)

    def build(self, input_shape: Any = None) -> None:
        if input_shape is not None and not self.built and self._layers:
            self.built = True  # each layer builds itself on this symbolic call
            if self.__dict__.get("_input_layer") is None:
                self._input_layer = InputLayer(shape=tuple(input_shape)[1:],
                                               batch_size=input_shape[0])
            x = inputs = self._input_layer.output
            for layer in self._layers:
                x = layer(x)
            self._graph = Graph(inputs, x)
        self.built = True

    def call(self, inputs: Any, training: bool = False) -> Any:
        x = inputs
        for layer in self._layers:
            x = layer(x, training=training) if _accepts_training(layer) else layer(x)
        return x


