"""Gradient control: ``stop_gradient``, ``custom_gradient`` and ``recompute_grad``."""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from .engine.registry import Primitive, _record, primitive
from .engine.state import STATE
from .engine.tape import GradientTape
from .engine.convert import convert_to_tensor
from .engine.tensor import Tensor, _Base

__all__ = ["stop_gradient", "custom_gradient", "recompute_grad"]


@primitive(differentiable=False)
def stop_gradient(x):
    """The value of ``x``, but no gradient flows through it (``tf.stop_gradient``).

    >>> import tapegrad as tf
    >>> x = tf.constant(2.0)
    >>> with tf.GradientTape() as t:
    ...     t.watch(x)
    ...     y = x * tf.stop_gradient(x)
    >>> float(t.gradient(y, x))
    2.0
    """
    return x


class _Paused:
    """Hide this thread's tapes except ``keep`` (recompute_grad's forward); other listeners
    (accumulators, the tracer) still hear the ops."""

    def __init__(self, keep: list = ()):
        self.keep = list(keep)

    def __enter__(self):
        self.listeners = STATE.listeners
        STATE.listeners = [x for x in self.listeners if not isinstance(x, GradientTape) or
                           any(x is k for k in self.keep)]
        STATE.refresh()

    def __exit__(self, *exc):
        STATE.listeners = self.listeners
        STATE.refresh()


def _wants_variables(fn: Callable) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return "variables" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def custom_gradient(f: Callable | None = None) -> Callable:
    """Decorator giving ``f`` its own gradient (``tf.custom_gradient``).

    ``f(*args)`` returns ``(y, grad_fn)``; ``grad_fn(*upstream)`` returns one gradient per
    argument — and, if ``f`` reads variables, takes ``variables=`` and returns
    ``(arg_grads, variable_grads)``. ``grad_fn`` is written with tapegrad ops, so an outer tape
    differentiates it again.

    >>> import tapegrad as tf
    >>> @tf.custom_gradient
    ... def log1pexp(x):
    ...     e = tf.exp(x)
    ...     return tf.math.log(1 + e), lambda dy: dy * (1 - 1 / (1 + e))
    >>> x = tf.constant(100.0)
    >>> with tf.GradientTape() as t:
    ...     t.watch(x)
    ...     y = log1pexp(x)
    >>> float(t.gradient(y, x))
    1.0
    """
    if f is None:
        return custom_gradient
    return _CustomGradient(f)


class _CustomGradient:
    def __init__(self, f: Callable):
        self.f = f
        functools.update_wrapper(self, f)

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return functools.partial(self._call, obj)  # a method: `self` is not differentiated

    def __call__(self, *args: Any, **kwargs: Any):
        return self._call(None, *args, **kwargs)

    def _call(self, bound: Any, *args: Any, **kwargs: Any):
        lead = [] if bound is None else [bound]
        inputs = [a if isinstance(a, _Base) else convert_to_tensor(a) for a in args]
        if not STATE.active:
            y, _ = self.f(*lead, *inputs, **kwargs)
            return y
        # As TF, the forward is recorded on the active tapes: a grad_fn that closes over the
        # forward's intermediates is then differentiable again by an outer tape.
        with GradientTape(watch_accessed_variables=True) as inner:
            y, grad_fn = self.f(*lead, *inputs, **kwargs)
        # as TF: a variable passed as an argument is an input, not one of the `variables`
        variables = [v for v in inner.watched_variables() if all(v is not a for a in inputs)]
        if variables and not _wants_variables(grad_fn):
            raise TypeError(f"custom_gradient: {self.f.__name__} reads variables "
                            f"({', '.join(v.name for v in variables)}), so its grad_fn must "
                            f"accept a keyword argument 'variables'.")
        multi = isinstance(y, (list, tuple))
        ys = list(y) if multi else [y]
        n_in = len(inputs)
        name = getattr(self.f, "__name__", "custom_gradient")

        vjp = _custom_vjp(grad_fn, variables, multi, n_in, name)

        # a primitive built for this call: its forward already ran (impl None), its VJP is vjp
        op = Primitive(None, name, register=False)
        op.defvjp(vjp)
        vals = [t._value for t in inputs] + [v._value for v in variables]
        ans = tuple(convert_to_tensor(t)._value for t in ys)
        out = _record(op, tuple(inputs) + tuple(variables), vals, ans if multi else ans[0], {})
        return list(out) if isinstance(y, list) else out


def _custom_vjp(grad_fn: Callable, variables: list, multi: bool, n_in: int, name: str):
    """The VJP of one custom_gradient call: ``grad_fn``'s results checked against the inputs."""
    def vjp(g, out, *recorded):
        gs = list(g) if multi else [g]
        dx, dv = _user_grads(grad_fn, gs, variables, name)
        if len(dx) != n_in:
            raise ValueError(f"custom_gradient: {name}'s grad_fn returned {len(dx)} "
                             f"gradients, but {name} has {n_in} tensor inputs; return one "
                             f"gradient (or None) per input.")
        nb = len(gs[0].shape) - len(out[0].shape if multi else out.shape)
        grads = []
        for d, x in zip(dx + dv, recorded):
            if d is not None:
                d = convert_to_tensor(d)
                if tuple(d.shape[nb:]) != tuple(x.shape) or len(d.shape) != nb + x.ndim:
                    raise ValueError(
                        f"custom_gradient: {name}'s grad_fn returned a gradient of shape "
                        f"{list(d.shape)} for an input of shape {list(x.shape)}; each "
                        f"gradient must have its input's shape.")
            grads.append(d)
        return tuple(grads)
    return vjp


def _user_grads(grad_fn: Callable, gs: list, variables: list, name: str) -> tuple[list, list]:
    """Call ``grad_fn``: (input gradients, variable gradients) as lists."""
    if not variables:
        res = grad_fn(*gs)
        return (list(res) if isinstance(res, (list, tuple)) else [res]), []
    res = grad_fn(*gs, variables=variables)
    if not (isinstance(res, (list, tuple)) and len(res) == 2):
        raise ValueError(f"custom_gradient: {name}'s grad_fn must return "
                         f"(input_grads, variable_grads) when variables are used.")
    dx, dv = res
    dx = list(dx) if isinstance(dx, (list, tuple)) else [dx]
    dv = list(dv)
    if len(dv) != len(variables):
        raise ValueError(f"custom_gradient: {name}'s grad_fn returned {len(dv)} "
                         f"variable gradients for {len(variables)} variables.")
    return dx, dv


def recompute_grad(f: Callable) -> Callable:
    """Gradient checkpointing (``tf.recompute_grad``): ``f``'s intermediates are not kept on
    the tape; the reverse pass runs ``f`` again to differentiate it. Trades compute for memory.

    >>> import tapegrad as tf
    >>> block = tf.recompute_grad(lambda x: tf.tanh(x) * 2.0)
    >>> x = tf.constant([0.5])
    >>> with tf.GradientTape() as t:
    ...     t.watch(x)
    ...     y = block(x)
    >>> t.gradient(y, x).shape
    TensorShape([1])
    """
    @custom_gradient
    def inner(*args: Tensor):
        # not recorded on the user's tapes (that is the point); the innermost tape is
        # custom_gradient's variable watcher: it stays, so the variables f reads are found
        with _Paused(keep=[x for x in STATE.listeners if isinstance(x, GradientTape)][-1:]):
            y = f(*args)

        def grad(*upstream, variables=None):
            variables = list(variables or [])
            with GradientTape() as t:
                t.watch(list(args))
                for v in variables:
                    t.watch(v)
                y2 = f(*args)
            ys = list(y2) if isinstance(y2, (list, tuple)) else [y2]
            grads = t.gradient(ys, list(args) + variables, output_gradients=list(upstream))
            dx, dv = grads[:len(args)], grads[len(args):]
            return (dx, dv) if variables else dx
        return y, grad

    functools.update_wrapper(inner, f)
    return inner
