"""``Layer``: a Module that builds on first call and names its variables ``layer/var:0``.

Tracking comes from :class:`~tapegrad.module.Module`: ``self.blocks = [Dense(4),
Dense(4)]`` or ``self.heads = {"a": Dense(1)}`` just works, and so does appending to such a list
later. A layer keeps assignment order (Keras's) and ``trainable=False`` freezes everything in it.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np

from ..engine import dtypes as _dt
from ..engine import nest
from ..ops import math as _m
from ..engine.convert import convert_to_tensor
from ..engine.state import name_scope
from ..engine.tensor import Tensor
from ..engine.variable import Variable
from . import constraints, initializers, mixed_precision, regularizers
from .keras_tensor import is_keras_tensor, symbolic_call
from ..module import Module, _snake

__all__ = ["Layer", "unique_name", "clear_session"]

_NAME_COUNTS: dict[str, int] = {}


def unique_name(base: str) -> str:
    """``dense``, then ``dense_1``, ``dense_2`` … (one counter per base name, as Keras)."""
    n = _NAME_COUNTS.get(base, 0)
    _NAME_COUNTS[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def clear_session() -> None:
    """Restart layer naming at ``dense``, ``dense_1`` … (``tf.keras.backend.clear_session``)."""
    _NAME_COUNTS.clear()


_ACCEPTS_TRAINING: dict[type, bool] = {}
# the number of the current outermost layer call, and how deep inside it we are: add_loss
# tags each loss with the outermost call it belongs to, so `losses` are reset per call
_CALLS = {"epoch": 0, "depth": 0}


def _accepts_training(layer: Layer) -> bool:
    cls = type(layer)
    if cls not in _ACCEPTS_TRAINING:
        params = inspect.signature(layer.call).parameters
        _ACCEPTS_TRAINING[cls] = "training" in params or any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    return _ACCEPTS_TRAINING[cls]


_ACCEPTS_MASK: dict[type, bool] = {}


def _accepts_mask(layer: Layer) -> bool:
    cls = type(layer)
    if cls not in _ACCEPTS_MASK:
        _ACCEPTS_MASK[cls] = "mask" in inspect.signature(layer.call).parameters
    return _ACCEPTS_MASK[cls]


def get_mask(x: Any) -> Any:
    """The Keras mask attached to ``x`` (``x._keras_mask``), through lists, tuples and dicts;
    ``None`` where there is none."""
    if isinstance(x, (list, tuple)):
        masks = [get_mask(v) for v in x]
        return None if all(m is None for m in masks) else masks
    if isinstance(x, dict):
        masks = {k: get_mask(v) for k, v in x.items()}
        return None if all(m is None for m in masks.values()) else masks
    return getattr(x, "_keras_mask", None)


def _set_masks(outputs: Any, masks: Any) -> None:
    """Attach ``masks`` to the output tensors that have none yet (Keras's mask metadata)."""
    flat = nest.flatten(outputs)
    flat_masks = masks if isinstance(masks, (list, tuple)) else [masks]
    if len(flat) == 1 and len(flat_masks) != 1:
        flat_masks = [masks]
    for y, m in zip(flat, flat_masks):
        if m is not None and isinstance(y, Tensor) and getattr(y, "_keras_mask", None) is None:
            y._keras_mask = m


def _shape_struct(x: Any) -> Any:
    if isinstance(x, (list, tuple)):
        return type(x)(_shape_struct(v) for v in x)
    if isinstance(x, dict):
        return {k: _shape_struct(v) for k, v in x.items()}
    return tuple(x.shape) if hasattr(x, "shape") else tuple(np.shape(x))


class Layer(Module):
    """Base of every layer and model: ``build`` on first call, then ``call``.

    Subclasses create weights in ``build(input_shape)`` with ``add_weight`` (or in ``__init__``)
    and compute in ``call(inputs, training=None)``.

    >>> import tapegrad as tf
    >>> class Scale(tf.keras.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight("w", (input_shape[-1],), initializer="ones")
    ...     def call(self, x):
    ...         return x * self.w
    >>> layer = Scale(name="scale")
    >>> layer(tf.ones((2, 3))).shape, [v.name for v in layer.trainable_variables]
    (TensorShape([2, 3]), ['scale/w:0'])
    """

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None,
                 activity_regularizer: Any = None, **kwargs: Any):
        unknown = set(kwargs) - {"input_shape", "input_dim", "autocast", "dynamic"}
        if unknown:
            raise TypeError(f"{type(self).__name__}: unexpected keyword argument(s) "
                            f"{sorted(unknown)}.")
        super().__init__(name or unique_name(_snake(type(self).__name__)))
        self.trainable = trainable
        self.built = False
        self.dtype_policy = mixed_precision.get(dtype)
        self.dtype = self.dtype_policy.variable_dtype  # Keras 3: the variables' dtype
        self._extra_weights: list[Variable] = []
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._weight_regularizers: list = []
        self._losses: list = []
        self._call_epoch = -1
        shape = kwargs.get("input_shape")
        if shape is None and kwargs.get("input_dim") is not None:
            shape = (kwargs["input_dim"],)
        self._build_input_shape = None if shape is None else (None,) + tuple(shape)

    # -- weights --------------------------------------------------------------------------------
    def add_weight(self, *args: Any, **kwargs: Any) -> Variable:
        """A new Variable named ``<layer>/<name>:0``, tracked by this layer.

        Takes TF 2's order, ``add_weight(name, shape, dtype, initializer, regularizer,
        trainable)``, and Keras 3's, ``add_weight(shape, initializer, dtype, trainable, …,
        name=)``: a first positional argument that is not a string is the shape.
        """
        order = (("shape", "initializer", "dtype", "trainable") if args and
                 not isinstance(args[0], str) else
                 ("name", "shape", "dtype", "initializer", "regularizer", "trainable"))
        if len(args) > len(order):
            raise TypeError(f"{type(self).__name__}.add_weight: too many positional arguments.")
        for key, value in zip(order, args):
            if key in kwargs:
                raise TypeError(f"{type(self).__name__}.add_weight: got two values for {key}.")
            kwargs[key] = value
        name, shape = kwargs.pop("name", None), kwargs.pop("shape", None)
        initializer, dtype = kwargs.pop("initializer", None), kwargs.pop("dtype", None)
        trainable = kwargs.pop("trainable", True)
        trainable = True if trainable is None else bool(trainable)
        regularizer = regularizers.get(kwargs.pop("regularizer", None))
        constraint = constraints.get(kwargs.pop("constraint", None))
        ignored = {"use_resource", "synchronization", "aggregation", "autocast",
                   "experimental_autocast"}
        unknown = sorted(k for k in kwargs if k not in ignored and kwargs[k] is not None)
        if unknown:
            raise TypeError(f"{type(self).__name__}.add_weight: unsupported argument(s) "
                            f"{unknown}.")
        shape = () if shape is None else shape
        if initializer is None:
            initializer = "glorot_uniform" if _dt.np_dtype(dtype or self.dtype).kind == "f" \
                else "zeros"
        init = initializers.get(initializer)
        npd = _dt.np_dtype(dtype or self.dtype)
        value = np.asarray(init(tuple(int(d) for d in shape), dtype=npd), dtype=npd)
        with name_scope(self.name):
            v = Variable(value, trainable=trainable, name=name or "Variable",
                         constraint=constraint)
        self._extra_weights.append(v)
        if regularizer is not None:
            self._weight_regularizers.append((v, regularizer))
        return v

    # -- the initializer / regularizer / constraint of each named weight -----------------------
    _WEIGHT_OPTIONS = ("initializer", "regularizer", "constraint")

    def _weight_options(self, prefix: str, initializer: Any, regularizer: Any = None,
                        constraint: Any = None) -> None:
        """Store ``<prefix>_initializer``, ``<prefix>_regularizer`` and ``<prefix>_constraint``
        (resolved from names or configs), as Keras layers keep their constructor arguments."""
        setattr(self, f"{prefix}_initializer", initializers.get(initializer))
        setattr(self, f"{prefix}_regularizer", regularizers.get(regularizer))
        setattr(self, f"{prefix}_constraint", constraints.get(constraint))

    def _weight_config(self, *prefixes: str) -> dict:
        """The ``get_config`` entries of ``_weight_options`` for each prefix."""
        return {f"{p}_{kind}": getattr(self, f"{p}_{kind}")
                for p in prefixes for kind in self._WEIGHT_OPTIONS}

    def _add_weight_as(self, prefix: str, shape: tuple, name: str | None = None) -> Variable:
        """``add_weight`` with the initializer, regularizer and constraint stored under
        ``prefix`` (the weight is named ``name``, else ``prefix``)."""
        return self.add_weight(name or prefix, tuple(shape),
                               initializer=getattr(self, f"{prefix}_initializer"),
                               regularizer=getattr(self, f"{prefix}_regularizer"),
                               constraint=getattr(self, f"{prefix}_constraint"))

    def _kernel_and_bias(self, kernel_shape: tuple, bias_shape: tuple | None,
                         prefix: str = "kernel", attr: str = "kernel") -> None:
        """Create the weight ``self.<attr>`` from the options stored under ``prefix``, and
        ``self.bias`` (None without ``use_bias`` or a bias shape) from those under ``bias``:
        the build step every dense and convolution layer shares."""
        setattr(self, attr, self._add_weight_as(prefix, kernel_shape, attr))
        self.bias = (self._add_weight_as("bias", bias_shape)
                     if bias_shape is not None and getattr(self, "use_bias", True) else None)

    def _attr_values(self) -> list:
        d = self.__dict__
        return [d["_extra_weights"]] + [v for k, v in d.items() if k != "_extra_weights"]

    def _frozen(self) -> bool:
        return not self.trainable

    weights = Module.variables
    trainable_weights = Module.trainable_variables
    non_trainable_weights = Module.non_trainable_variables

    def get_weights(self) -> list[np.ndarray]:
        """The variables' values as NumPy arrays, in ``variables`` order."""
        return [v.numpy() for v in self.variables]

    def set_weights(self, weights: list) -> None:
        """Assign NumPy arrays to ``variables``, in order (shapes must match)."""
        vs = self.variables
        if len(weights) != len(vs):
            raise ValueError(f"{self.name}.set_weights: got {len(weights)} arrays for "
                             f"{len(vs)} variables.")
        for v, w in zip(vs, weights):
            w = np.asarray(w)
            if tuple(w.shape) != tuple(v.shape):
                raise ValueError(f"{self.name}.set_weights: variable '{v.name}' has shape "
                                 f"{tuple(v.shape)}, the array {tuple(w.shape)}.")
            v.assign(w.astype(v._value.dtype))

    # -- calling --------------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        """Create the weights, knowing the input shape (default: none)."""
        self.built = True

    def _build_on_call(self, input_shape: Any) -> None:
        self._built_input_shape = input_shape  # kept for a saved model's build_config
        self.build(input_shape)

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """The layer's computation (default: identity)."""
        return inputs

    def _cast_input(self, x: Any) -> Any:
        if isinstance(x, (list, tuple)):
            return type(x)(self._cast_input(v) for v in x)
        if isinstance(x, dict):
            return {k: self._cast_input(v) for k, v in x.items()}
        if x is None or isinstance(x, (str, bool)):
            return x
        t = x.read_value() if isinstance(x, Variable) else (
            x if isinstance(x, Tensor) else convert_to_tensor(x))
        # as Keras's autocast: floating inputs compute in the layer's compute dtype
        if t._value.dtype.kind == "f" and t.dtype.name != self.compute_dtype:
            mask = getattr(t, "_keras_mask", None)
            t = _m.cast(t, self.compute_dtype)
            if mask is not None:  # the cast keeps the mask, as Keras's input conversion
                t._keras_mask = mask
        return t

    def __call__(self, inputs: Any, *args: Any, training: Any = None, **kwargs: Any) -> Any:
        if _CALLS["depth"] == 0:
            _CALLS["epoch"] += 1
        self._call_epoch = _CALLS["epoch"]
        _CALLS["depth"] += 1
        try:
            outputs = self._call(inputs, args, training, kwargs)
        finally:
            _CALLS["depth"] -= 1
        if self.activity_regularizer is not None and not is_keras_tensor(outputs):
            for y in nest.flatten(outputs):  # divided by the batch size, as Keras 3 does
                loss = self.activity_regularizer(y)
                self.add_loss(loss / y.shape[0] if len(y.shape) else loss)
        return outputs

    # -- losses ---------------------------------------------------------------------------------
    def add_loss(self, loss: Any) -> None:
        """Add a scalar to ``losses`` (kept until this layer's next outermost call, as Keras 3
        resets them on every call)."""
        epoch = _CALLS["epoch"]
        if not _CALLS["depth"]:
            self._call_epoch = epoch
        if self._losses and self._losses[0][0] != epoch:
            self._losses = []
        self._losses.append((epoch, loss))

    def _collect_losses(self, epoch: int, out: list, seen: set) -> None:
        out.extend(loss for e, loss in self._losses if e == epoch)
        out.extend(reg(v) for v, reg in self._weight_regularizers)
        for module in self.submodules:
            if isinstance(module, Layer) and id(module) not in seen:
                seen.add(id(module))
                out.extend(loss for e, loss in module._losses if e == epoch)
                out.extend(reg(v) for v, reg in module._weight_regularizers)

    @property
    def losses(self) -> list:
        """The losses of the last call (``add_loss``, activity regularizers) of this layer and
        the layers inside it, then the weight regularization penalties, computed now.

        >>> import tapegrad as tf
        >>> d = tf.keras.layers.Dense(1, kernel_initializer="ones",
        ...                           kernel_regularizer=tf.keras.regularizers.L2(0.5))
        >>> _ = d(tf.ones((1, 2)))
        >>> [float(x) for x in d.losses]
        [1.0]
        """
        out: list = []
        self._collect_losses(self._call_epoch, out, {id(self)})
        return out

    def _call(self, inputs: Any, args: tuple, training: Any, kwargs: dict) -> Any:
        if any(is_keras_tensor(x) for x in nest.flatten((inputs, args, kwargs))):
            if training is not None and _accepts_training(self):
                kwargs["training"] = bool(training)
            return symbolic_call(self, (inputs,) + args, kwargs)
        inputs = self._cast_input(inputs)
        if not self.built:
            self._build_on_call(_shape_struct(inputs))
            self.built = True
            for restore in vars(self).pop("_after_build", ()):  # a checkpoint's deferred values
                restore()
        if training is not None and _accepts_training(self):
            kwargs["training"] = bool(training)
        if _accepts_mask(self) and kwargs.get("mask") is None:
            kwargs.pop("mask", None)
            if get_mask(inputs) is not None:
                kwargs["mask"] = get_mask(inputs)
        previous_mask = kwargs.get("mask")
        if previous_mask is None:
            previous_mask = get_mask(inputs)
        outputs = self.call(inputs, *args, **kwargs)
        if self.supports_masking:
            masks = self.compute_mask(inputs, previous_mask)
            if masks is not None:
                _set_masks(outputs, masks)
        elif previous_mask is not None:
            warnings.warn(f"Layer '{self.name}' (of type {type(self).__name__}) was passed an "
                          f"input with a mask attached to it. However, this layer does not "
                          f"support masking and will therefore destroy the mask information. "
                          f"Downstream layers will not see the mask.", stacklevel=3)
        return outputs

    # -- masks ----------------------------------------------------------------------------------
    supports_masking = False

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """The mask of the outputs, given the inputs and their mask (default: the input's mask
        passes through, for layers with ``supports_masking``).

        >>> import tapegrad as tf
        >>> emb = tf.keras.layers.Embedding(5, 2, mask_zero=True)
        >>> emb(tf.constant([[3, 0]]))._keras_mask.numpy()
        array([[ True, False]])
        """
        return previous_mask

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The output shape for ``input_shape`` (``None`` for unknown dimensions). Layers that
        do not define it get their symbolic outputs from two runs on zeros."""
        raise NotImplementedError(f"{type(self).__name__} '{self.name}' does not define "
                                  f"compute_output_shape.")

    @property
    def compute_dtype(self) -> str:
        """The dtype the layer computes in (its policy's)."""
        return self.dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self.dtype_policy.variable_dtype

    def _autocast(self, v: Any) -> Any:
        """A floating weight in the compute dtype (a float32 variable under mixed_float16)."""
        if v is None or v.dtype.name == self.compute_dtype or v._value.dtype.kind != "f":
            return v
        return _m.cast(v, self.compute_dtype)

    def get_config(self) -> dict:
        """The arguments that rebuild this layer (without its weights); as Keras 3, the
        activity regularizer only when there is one."""
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": self.dtype_policy.name}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = self.activity_regularizer
        return config

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        """A new layer from ``get_config()``'s dictionary."""
        return cls(**config)

    def _has_output_shape_rule(self) -> bool:
        return type(self).compute_output_shape is not Layer.compute_output_shape

    def _node(self, what: str) -> Any:
        nodes = self.__dict__.get("_inbound_nodes")
        if not nodes:
            raise AttributeError(f"Layer '{self.name}' has never been called on a symbolic "
                                 f"input (keras.Input), so it has no {what}.")
        return nodes[0]

    @property
    def input(self) -> Any:
        """The symbolic input of the layer's first call in a functional graph."""
        node = self._node("input")
        return node.args[0]

    @property
    def output(self) -> Any:
        """The symbolic output of the layer's first call in a functional graph."""
        return self._node("output").outputs

    def count_params(self) -> int:
        """The number of scalars in the layer's variables."""
        if not self.built:
            raise ValueError(f"Layer '{self.name}' is not built yet, so its weights do not "
                             f"exist: call it on an input or build it first.")
        return int(sum(int(np.prod(v.shape)) for v in self.variables))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _check_rank(layer: Layer, shape: tuple, rank: int | tuple, what: str) -> None:
    ranks = (rank,) if isinstance(rank, int) else rank
    if len(shape) not in ranks:
        raise ValueError(f"{type(layer).__name__} '{layer.name}' expects {what} (rank "
                         f"{' or '.join(map(str, ranks))}), got an input of shape {tuple(shape)}.")

