"""``Optimizer``: the shared machinery of Keras 3's optimizers.

``apply_gradients`` drops ``None`` gradients (warning, naming the variables), clips
(``clipnorm`` per gradient, ``global_clipnorm`` over all, ``clipvalue`` elementwise), applies
decoupled weight decay, runs each algorithm's ``update_step``, then adds one to ``iterations``.
All state — the iteration count, the learning rate, the slots — are Variables.
"""

from __future__ import annotations

import inspect
import re
import warnings
from typing import Any, Iterable

import numpy as np

from ...engine import dtypes as _dt
from ...engine.atomic import deferring_interrupts
from ...ops import math as _m
from ...ops import norms as _nm
from ...engine.convert import convert_to_tensor
from ...engine.indexed_slices import IndexedSlices
from ...engine.tensor import Tensor, _Base
from ...engine.tape import GradientTape
from ...engine.variable import Variable
from .. import distributed as _dist
from .schedules import LearningRateSchedule
from .schedules import deserialize as deserialize_schedule
from .schedules import serialize as serialize_schedule

__all__ = ["Optimizer"]

_COUNTS: dict[str, int] = {}


def _unique(base: str) -> str:
    n = _COUNTS.get(base, 0)
    _COUNTS[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def _var_label(v: Any) -> str:
    return getattr(v, "name", None) or repr(v)


def _replica_sum(grads: list) -> list:
    """Under a strategy with several replicas, each gradient summed over them (one fused
    message per dtype, IndexedSlices made dense); otherwise ``grads`` as they are."""
    summed = _dist.sum_gradients([_dense(g) for g in grads]) if _dist.current() else None
    return grads if summed is None else [Tensor(a) for a in summed]


class Optimizer:
    """Base optimizer. Subclasses implement ``build`` (create slots with
    ``add_variable_from_reference``) and ``update_step(gradient, variable, learning_rate)``.

    >>> import tapegrad as tf
    >>> w = tf.Variable([1.0, 2.0])
    >>> opt = tf.keras.optimizers.SGD(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.constant([1.0, 1.0]), w)])
    >>> w.numpy(), int(opt.iterations)
    (array([0.9, 1.9], dtype=float32), 1)
    """

    def __init_subclass__(cls, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        if "apply" in cls.__dict__:  # a subclass's step is all-or-nothing under Ctrl-C too
            cls.apply = deferring_interrupts(cls.__dict__["apply"])

    def __init__(self, learning_rate: Any = 0.001, weight_decay: float | None = None,
                 clipnorm: float | None = None, clipvalue: float | None = None,
                 global_clipnorm: float | None = None, name: str | None = None,
                 **kwargs: Any):
        unknown = set(kwargs) - {"use_ema", "ema_momentum", "ema_overwrite_frequency",
                                 "loss_scale_factor", "gradient_accumulation_steps",
                                 "jit_compile"}
        if unknown:
            raise TypeError(f"{type(self).__name__}: unexpected keyword argument(s) "
                            f"{sorted(unknown)}.")
        steps = kwargs.get("gradient_accumulation_steps")
        if steps is not None and (not isinstance(steps, int) or steps < 2):
            raise ValueError(f"{type(self).__name__}: gradient_accumulation_steps must be an "
                             f"integer >= 2, got {steps!r}.")
        self.gradient_accumulation_steps = steps
        self._accumulation_calls = 0
        self._set_ema(bool(kwargs.get("use_ema", False)), kwargs.get("ema_momentum", 0.99),
                      kwargs.get("ema_overwrite_frequency"))
        self.loss_scale_factor = kwargs.get("loss_scale_factor")
        if sum(c is not None for c in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(f"{type(self).__name__}: give at most one of clipnorm, clipvalue "
                             f"and global_clipnorm.")
        self.name = _unique(name or _snake(type(self).__name__))
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self._iterations = Variable(np.int64(0), trainable=False, name=f"{self.name}/iteration")
        if isinstance(learning_rate, dict) and "class_name" in learning_rate:
            learning_rate = deserialize_schedule(learning_rate)  # from a saved config
        if isinstance(learning_rate, LearningRateSchedule) or callable(learning_rate):
            self._learning_rate: Any = learning_rate
        else:
            self._learning_rate = Variable(np.float32(learning_rate), trainable=False,
                                           name=f"{self.name}/learning_rate")
        self._slots: dict[int, dict[str, Variable]] = {}
        self._known: dict[int, Variable] = {}
        self._variables: list[Variable] = [self._iterations]
        if isinstance(self._learning_rate, Variable):
            self._variables.append(self._learning_rate)
        self._exclude_ids: set[int] = set()
        self._exclude_pattern: Any = None
        self.built = False

    def _set_ema(self, use_ema: bool, momentum: float, frequency: int | None) -> None:
        if use_ema and not 0 <= momentum <= 1:
            raise ValueError(f"{type(self).__name__}: ema_momentum must be in [0, 1], got "
                             f"{momentum!r}.")
        if use_ema and frequency is not None and (not isinstance(frequency, int) or
                                                  frequency < 1):
            raise ValueError(f"{type(self).__name__}: ema_overwrite_frequency must be an "
                             f"integer >= 1 or None, got {frequency!r}.")
        self.use_ema, self.ema_momentum, self.ema_overwrite_frequency = (use_ema, momentum,
                                                                         frequency)

    # -- state ------------------------------------------------------------------------------------
    @property
    def iterations(self) -> Variable:
        """How many updates have been applied (an int64 Variable)."""
        return self._iterations

    @property
    def learning_rate(self) -> Any:
        """The current rate: the Variable, or the schedule evaluated at ``iterations``."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr
        if isinstance(lr, LearningRateSchedule):
            return lr(self._iterations)
        return lr()

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        if isinstance(self._learning_rate, Variable) and not callable(value):
            self._learning_rate.assign(np.float32(value))
        else:
            self._learning_rate = value

    lr = learning_rate

    @property
    def variables(self) -> list[Variable]:
        """The iteration count, the learning rate (unless scheduled) and every slot."""
        return list(self._variables)

    def add_variable_from_reference(self, variable: Variable, name: str,
                                    initializer: Any = "zeros") -> Variable:
        """A slot shaped like ``variable``, named ``<optimizer>/<variable>_<name>:0``."""
        base = re.sub(r"[:/]", "_", variable.name.split(":")[0])
        if initializer == "zeros":
            value = np.zeros(variable.shape, variable._value.dtype)
        else:
            # Keras 3's Constant casts the Python number through float32 first (TF's
            # convert_to_tensor), so a float64 slot starts at float32(0.1), not 0.1
            value = np.full(variable.shape, np.float32(initializer), variable._value.dtype)
        slot = Variable(value, trainable=False, name=f"{self.name}/{base}_{name}:0")
        self._slots.setdefault(id(variable), {})[name] = slot
        self._variables.append(slot)
        return slot

    def add_variable(self, shape: Any, dtype: Any = "float32", name: str = "variable",
                     reference: Variable | None = None) -> Variable:
        """A zero optimizer Variable of any ``shape`` (Adafactor's factored moments); with
        ``reference`` it is also that variable's slot ``name``."""
        value = np.zeros(tuple(shape), _dt.np_dtype(dtype))
        out = Variable(value, trainable=False, name=f"{self.name}/{name}:0")
        if reference is not None:
            self._slots.setdefault(id(reference), {})[name] = out
        self._variables.append(out)
        return out

    def slot(self, variable: Variable, name: str) -> Variable:
        """The slot ``name`` (``"m"``, ``"v"``, ``"momentum"`` …) of ``variable``."""
        return self._slots[id(variable)][name]

    def build(self, var_list: list[Variable]) -> None:
        """Create the slots of ``var_list`` (default: none)."""

    def _build_for(self, var_list: list[Variable]) -> None:
        new = [v for v in var_list if id(v) not in self._known]
        if new:
            for v in new:
                if not isinstance(v, Variable):
                    raise TypeError(f"{type(self).__name__}: can only update tapegrad "
                                    f"Variables, got {type(v).__name__}.")
                self._known[id(v)] = v
            # Keras 3's base build: the moving averages, then the accumulators, then the slots
            for v in new if self.use_ema else []:
                self.add_variable_from_reference(v, "average").assign(v._value)
            for v in new if self.gradient_accumulation_steps else []:
                self.add_variable_from_reference(v, "gradient_accumulator")
            self.build(new)
            for restore in vars(self).pop("_after_build", ()):  # a checkpoint's deferred values
                restore()
        self.built = True

    def exclude_from_weight_decay(self, var_list: Any = None, var_names: Any = None) -> None:
        """Skip weight decay for these variables, or for names containing any of ``var_names``."""
        self._exclude_ids = {id(v) for v in (var_list or [])}
        self._exclude_pattern = re.compile("|".join(var_names)) if var_names else None

    # -- applying -----------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars: Iterable, name: str | None = None,
                        **kwargs: Any) -> Variable:
        """Update each variable from its gradient: ``zip(grads, variables)``; returns
        ``iterations``, as Keras.

        A ``None`` gradient skips its variable with a warning naming it; if every gradient is
        ``None`` this raises ``ValueError`` ("No gradients provided for any variable").
        """
        pairs = list(grads_and_vars)
        grads = [g for g, _ in pairs]
        variables = [v for _, v in pairs]
        aggregate = (not kwargs.get("skip_gradients_aggregation", False)
                     and kwargs.get("experimental_aggregate_gradients", True))
        self._skip_aggregation = not aggregate
        try:
            self.apply(grads, variables)
        finally:
            self._skip_aggregation = False
        return self._iterations

    @deferring_interrupts  # Ctrl-C waits for the step's end: every variable updated, or none
    def apply(self, grads: list, trainable_variables: list) -> None:
        """``apply_gradients`` with the gradients and variables as two lists (Keras 3)."""
        if len(grads) != len(trainable_variables):
            raise ValueError(f"{type(self).__name__}.apply: {len(grads)} gradients for "
                             f"{len(trainable_variables)} variables.")
        if not grads:
            return
        self._build_for(list(trainable_variables))
        missing = [_var_label(v) for g, v in zip(grads, trainable_variables) if g is None]
        kept = [(g, v) for g, v in zip(grads, trainable_variables) if g is not None]
        if not kept:
            raise ValueError(
                f"No gradients provided for any variable: {missing}. The loss does not depend "
                f"on them as recorded by the tape: call tape.explain(loss, variable) to see "
                f"why (a NumPy round trip, an int cast, a computation outside the tape ...).")
        if missing:
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing "
                          f"the loss; they are left unchanged. Use tape.explain(loss, variable) "
                          f"to see why.", stacklevel=3)
        grads = [self._check_grad(g, v) for g, v in kept]
        variables = [v for _, v in kept]
        if self.loss_scale_factor is not None:  # the loss was scaled by scale_loss
            grads = [g / np.asarray(self.loss_scale_factor, g.dtype.as_numpy_dtype)
                     for g in grads]
        if not getattr(self, "_skip_aggregation", False):
            grads = _replica_sum(grads)
        if self.gradient_accumulation_steps:
            grads = self._accumulate(grads, variables)
            if grads is None:  # not an update step: only the accumulators move
                self._update_ema(list(self._known.values()))
                return
        grads = self._clip(grads)
        lr = self.learning_rate
        lr = lr.read_value() if isinstance(lr, Variable) else convert_to_tensor(lr)
        # Keras 3 casts the rate to each variable's dtype: a float64 model trains in float64
        rates = {dt: _m.cast(lr, dt) for dt in {v.dtype for v in variables}}
        with np.errstate(all="ignore"):  # inf/NaN gradients make inf/NaN weights silently (Keras)
            if self.weight_decay:
                self._apply_weight_decay(variables, rates)
            for g, v in zip(grads, variables):
                self.update_step(g, v, rates[v.dtype])
                if v.constraint is not None:
                    v.assign(v.constraint(v))
        self._update_ema(list(self._known.values()))
        self._iterations.assign_add(np.int64(1))

    def _update_ema(self, variables: list) -> None:
        """Keras 3's moving averages: ``avg = m * avg + (1 - m) * w``, with ``m = 0`` on the
        first step; every ``ema_overwrite_frequency`` steps the weights take the averages."""
        if not self.use_ema:
            return
        first = int(self._iterations.numpy()) == 0
        momentum = 0.0 if first else self.ema_momentum
        for v in variables:
            avg, momentum = self.slot(v, "average"), hyper(momentum, v)
            avg.assign(momentum * avg + (1 - momentum) * v)
        freq = self.ema_overwrite_frequency
        if freq and (int(self._iterations.numpy()) + 1) % freq == 0:
            self.finalize_variable_values(variables)

    def finalize_variable_values(self, var_list: list) -> None:
        """With ``use_ema``, give the variables their moving averages (``fit`` calls this at
        the end of training, as Keras 3 does)."""
        if self.use_ema:
            for v in var_list:
                if id(v) in self._slots and "average" in self._slots[id(v)]:
                    v.assign(self.slot(v, "average"))

    def scale_loss(self, loss: Any) -> Any:
        """``loss * loss_scale_factor`` (unchanged without one); ``apply`` divides the
        gradients back, as Keras 3's training step does."""
        return loss if self.loss_scale_factor is None else loss * self.loss_scale_factor

    def _accumulate(self, grads: list, variables: list) -> list | None:
        """Keras 3's gradient accumulation: add to the accumulators, and every
        ``gradient_accumulation_steps``-th call return their mean (and reset them)."""
        n = self.gradient_accumulation_steps
        accs = [self.slot(v, "gradient_accumulator") for v in variables]
        dense = [_dense(g) for g in grads]
        # `iterations` counts updates (Keras 3: the calls floor-divided by n), so the update
        # formulas see t = 1, 2, ... as in Keras; the calls themselves are counted here
        self._accumulation_calls += 1
        if self._accumulation_calls % n != 0:
            for acc, g in zip(accs, dense):
                acc.assign_add(g)
            return None
        out = [(g + acc) / np.asarray(n, acc._value.dtype) for g, acc in zip(dense, accs)]
        for acc in accs:
            acc.assign(np.zeros(acc.shape, acc._value.dtype))
        return out

    def _check_grad(self, g: Any, v: Variable) -> Any:
        if isinstance(g, IndexedSlices):
            if tuple(g.dense_shape) != tuple(v.shape):
                raise ValueError(f"{type(self).__name__}: gradient of shape "
                                 f"{tuple(g.dense_shape)} for variable '{v.name}' of shape "
                                 f"{tuple(v.shape)}.")
            return g
        g = g if isinstance(g, Tensor) else convert_to_tensor(g)
        if tuple(g.shape) != tuple(v.shape):
            raise ValueError(f"{type(self).__name__}: gradient of shape {tuple(g.shape)} for "
                             f"variable '{v.name}' of shape {tuple(v.shape)}.")
        if g.dtype != v.dtype:
            g = _m.cast(g, v.dtype)
        return g

    def _clip(self, grads: list) -> list:
        if self.clipnorm:
            return [_nm.clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm:
            clipped, _ = _nm.clip_by_global_norm(list(grads),
                                                self.global_clipnorm)
            return list(clipped)
        if self.clipvalue:
            c = self.clipvalue
            return [_nm.clip_by_value(g, -c, c) for g in grads]
        return grads

    def _apply_weight_decay(self, variables: list, rates: dict) -> None:
        for v in variables:
            if id(v) in self._exclude_ids or (self._exclude_pattern is not None and
                                             self._exclude_pattern.search(v.name)):
                continue
            # decoupled decay, before the update, as Keras: v -= v * wd * lr
            v.assign_sub(v * cast_hyper(self.weight_decay, v) * rates[v.dtype])

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Tensor) -> None:
        """Change ``variable`` given its (clipped) ``gradient``; subclasses implement it."""
        raise NotImplementedError

    def minimize(self, loss: Any, var_list: Any, tape: Any = None) -> None:
        """Compute the gradient of ``loss`` (a zero-argument callable, or a tensor recorded on
        ``tape``) with respect to ``var_list`` and apply it.

        >>> import tapegrad as tf
        >>> w = tf.Variable(3.0)
        >>> opt = tf.keras.optimizers.SGD(learning_rate=0.25)
        >>> opt.minimize(lambda: w * w, [w])
        >>> float(w.numpy())
        1.5
        """
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        if callable(loss):
            with GradientTape() as t:
                value = loss()
            tape = t
        else:
            if tape is None:
                raise ValueError(f"{type(self).__name__}.minimize: `tape` is required when "
                                 f"`loss` is a Tensor; pass a zero-argument callable instead.")
            value = loss
        grads = tape.gradient(value, var_list)
        self.apply_gradients(zip(grads, var_list))

    def get_config(self) -> dict:
        """Keras 3's optimizer config (a schedule as its own config)."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            lr = float(lr.numpy())
        elif isinstance(lr, LearningRateSchedule):
            lr = serialize_schedule(lr)
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps,
                **self._hyperparameters()}

    def _hyperparameters(self) -> dict:
        """The subclass's own ``__init__`` arguments (``beta_1``, ``momentum`` …), which each
        optimizer keeps under its own name."""
        params = inspect.signature(type(self).__init__).parameters
        return {k: vars(self)[k] for k in params
                if k not in ("self", "learning_rate", "name", "kwargs") and k in vars(self)}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, iterations={int(self._iterations)}>"


def _dense(g: Any) -> Tensor:
    return g.to_dense() if isinstance(g, IndexedSlices) else g


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() and i else c.lower()
                   for i, c in enumerate(name))


def rows(g: IndexedSlices, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """An IndexedSlices as (unique row indices, summed rows): duplicates merged first, so a
    row-wise update equals the dense one."""
    idx = np.asarray(g.indices._value if isinstance(g.indices, _Base) else g.indices)
    vals = np.asarray(g.values._value if isinstance(g.values, _Base) else g.values,
                      dtype=_dt.np_dtype(dtype))
    uniq, inverse = np.unique(idx.ravel(), return_inverse=True)
    summed = np.zeros((len(uniq),) + vals.shape[idx.ndim:], vals.dtype)
    np.add.at(summed, inverse, vals.reshape((-1,) + vals.shape[idx.ndim:]))
    return uniq, summed


def hyper(x: float, variable: Any) -> np.generic:
    """A Python hyperparameter as Keras 3 puts it in an op with ``variable``: converted
    straight to the variable's dtype (a float64 model updates with 0.9, not float32(0.9))."""
    return variable.dtype.as_numpy_dtype(x)


def cast_hyper(x: float, variable: Any) -> np.generic:
    """``ops.cast(x, variable.dtype)`` of a Python number as Keras 3 on TF computes it: the
    number becomes a float32 tensor first, then is cast (for float64, float32(0.9) widened)."""
    return variable.dtype.as_numpy_dtype(np.float32(x))
