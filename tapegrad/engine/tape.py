"""GradientTape: a listener that records the ops run on watched values; ``gradient`` hands the
records to the reverse pass (:mod:`tapegrad.engine.backward`), ``jacobian`` to
:mod:`tapegrad.engine.jacobians`.

A tape listens while its ``with`` block runs (:mod:`tapegrad.engine.state`). It keeps a record of
an op when one of the op's inputs is tracked: watched, a read of a watched Variable, or an output
of a recorded op. It also keeps *boundary events* — a tracked value that left for NumPy or
Python, was cut by an op without gradient, or was assigned to a Variable — with the user's line,
so that ``tape.explain`` can say why a gradient is None.
"""

from __future__ import annotations

import enum
import warnings
from typing import Any

from . import jacobians, nest
from .backward import finish, reverse_pass, seeds_for
from .state import HOOKS, Listener, pop_listener, push_listener, user_line
from .indexed_slices import IndexedSlices
from .tensor import Tensor
from .variable import Variable

__all__ = ["GradientTape", "UnconnectedGradients"]


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


class Event:
    """A boundary event kept for ``tape.explain``: the value, what happened, the user's line."""

    __slots__ = ("kind", "obj", "line", "info")

    def __init__(self, kind, obj, line, info):
        self.kind, self.obj, self.line, self.info = kind, obj, line, info


def _hook(fn, what: str):
    if fn is None:
        raise RuntimeError(f"GradientTape.{what} is provided by tapegrad.debugging: "
                           f"import tapegrad (or tapegrad.debugging) first.")
    return fn


class GradientTape(Listener):
    """Record operations for automatic differentiation (``tf.GradientTape``).

    >>> import tapegrad as tf
    >>> x = tf.constant(3.0)
    >>> with tf.GradientTape() as g:
    ...     g.watch(x)
    ...     y = x * x
    >>> g.gradient(y, x)
    <tapegrad.Tensor: shape=(), dtype=float32, numpy=6.0>
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = bool(persistent)
        self._watch_accessed = bool(watch_accessed_variables)
        self._records: list = []
        self._tracked: set[int] = set()
        self._keep: list = []            # watched tensors, kept alive so their ids stay unique
        self._var_snaps: dict[int, list] = {}
        self._watched_vars: dict[int, Variable] = {}
        self._events: list[Event] = []
        self._active = False
        self._used = False
        self._warned_inside = False
        self._entered_at = None
        self._summary = None     # what explain() needs after a non-persistent tape is spent

    # -- context --------------------------------------------------------------------------------
    def __enter__(self) -> GradientTape:
        if self._active:
            raise ValueError("Attempt to re-enter an already-active tape: this GradientTape is "
                             "already recording. Use a new GradientTape for nested recording.")
        self._active = True
        self._entered_at = user_line()  # (file, line) of the `with`, for explain
        push_listener(self)
        return self

    def __exit__(self, *exc) -> None:
        self._pop()
        if self._persistent and HOOKS.tape_exit is not None:
            HOOKS.tape_exit(self)

    def _pop(self) -> None:
        if self._active:
            self._active = False
            pop_listener(self)

    # -- watching ---------------------------------------------------------------------------------
    def watch(self, tensor: Any) -> None:
        """Track a tensor, a variable, or a nested list/tuple/dict of them."""
        for t in nest.flatten(tensor):
            if isinstance(t, Variable):
                if id(t) not in self._watched_vars:
                    self._watched_vars[id(t)] = t
                    self._var_snaps.setdefault(id(t), [])
                continue
            if not isinstance(t, Tensor):
                raise ValueError(f"GradientTape.watch: passed in {t!r} of type "
                                 f"{type(t).__name__}, which is not a Tensor or Variable. Wrap it "
                                 f"first: x = tf.constant(...).")
            if t._value.dtype.kind not in "fc":  # explain names this line for an integer source
                self._events.append(Event("integer_dtype", t, user_line(), {"op": "watch"}))
                warnings.warn(f"The dtype of the watched tensor must be floating (e.g. "
                              f"tf.float32), got {t.dtype.name!r}; it will get no gradient.",
                              stacklevel=2)
                continue
            self._tracked.add(id(t))
            self._keep.append(t)

    # -- the listener protocol -------------------------------------------------------------------
    def on_op(self, rec) -> None:
        """Keep ``rec`` if one of its inputs is tracked; its outputs become tracked."""
        tracked = self._tracked
        for x in rec.inputs:
            if id(x) in tracked:
                break
        else:
            return
        out = rec.out
        first = out[0] if type(out) is tuple else out
        if not rec.prim.differentiable or first._value.dtype.kind not in "fc":
            # integer/bool outputs carry no gradient (TF cuts them too): an event for explain
            kind = "stop_gradient" if first._value.dtype.kind in "fc" else "integer_dtype"
            self._note(kind, x, op=rec.prim.name, out=id(first), dtype=first.dtype.name)
            return
        self._records.append(rec)
        if type(out) is tuple:
            tracked.update(id(o) for o in out)
        else:
            tracked.add(id(out))

    def on_leave(self, t: Any, how: str) -> None:
        self._note("left_tape", t, how=how)

    def on_assign(self, var: Any, op: str, value: Any) -> None:
        self._note("assigned", value, variable=var, how=op)

    def _note(self, kind: str, obj: Any, **info: Any) -> None:
        """Remember that tracked ``obj`` met a boundary (rare; costs a stack walk)."""
        if id(obj) in self._tracked or (isinstance(obj, Variable) and (
                id(obj) in self._watched_vars or (self._watch_accessed and obj._trainable))):
            self._events.append(Event(kind, obj, user_line(), info))

    def on_read(self, var: Variable, snap: Tensor) -> None:
        key = id(var)
        if key not in self._watched_vars:
            if not (self._watch_accessed and var._trainable):
                return
            if var._value.dtype.kind not in "fc":
                return
            self._watched_vars[key] = var
        self._tracked.add(id(snap))
        snaps = self._var_snaps.get(key)
        if snaps is None:
            self._var_snaps[key] = [snap]
        else:
            snaps.append(snap)

    def watched_variables(self) -> tuple[Variable, ...]:
        """The variables this tape watches, in order of first watch."""
        return tuple(self._watched_vars.values())

    def stop_recording(self) -> _StopRecording:
        """Context manager in which ops are not recorded on this tape."""
        if not self._active:
            raise ValueError("GradientTape.stop_recording: the tape is not recording; use it "
                             "inside the tape's `with` block.")
        return _StopRecording(self)

    def reset(self) -> None:
        """Forget everything recorded so far (the tape keeps recording if active)."""
        self._records = []
        self._tracked = set()
        self._keep = []
        self._var_snaps = {}
        self._watched_vars = {}
        self._events = []
        self._used = False

    # -- the reverse pass ------------------------------------------------------------------------
    def gradient(self, target: Any, sources: Any, output_gradients: Any = None,
                 unconnected_gradients: Any = UnconnectedGradients.NONE):
        """d(sum of targets)/d(source) for each source, in the structure of ``sources``.

        >>> import tapegrad as tf
        >>> w = tf.Variable([1.0, 2.0])
        >>> with tf.GradientTape() as tape:
        ...     loss = tf.reduce_sum(w ** 2)
        >>> tape.gradient(loss, {"w": w})["w"].numpy()
        array([2., 4.], dtype=float32)
        """
        zero = _unconnected(unconnected_gradients) is UnconnectedGradients.ZERO
        self._begin_use("gradient")
        targets = nest.flatten(target)
        flat_sources = nest.flatten(sources)
        seeds = seeds_for(targets, None if output_gradients is None else
                          nest.flatten(output_gradients))
        grads = self._backward(targets, seeds, flat_sources)
        grads = [finish(g, s, zero) for g, s in zip(grads, flat_sources)]
        self._end_use()
        if HOOKS.none_gradients is not None and any(g is None for g in grads):
            HOOKS.none_gradients(self, target, flat_sources, grads)
        return nest.pack_sequence_as(sources, grads)

    def _begin_use(self, what: str) -> None:
        if self._used and not self._persistent:
            raise RuntimeError(f"GradientTape.{what} can only be called once on non-persistent "
                               f"tapes. Create the tape with GradientTape(persistent=True) to "
                               f"compute several gradients.")
        if self._records is None:
            raise RuntimeError(f"GradientTape.{what}: this tape's records were already released.")
        if self._active:
            if not self._persistent:
                self._pop()  # as TF: a non-persistent tape stops recording here
            elif not self._warned_inside:
                self._warned_inside = True
                warnings.warn("Calling GradientTape.gradient on a persistent tape inside its "
                              "context is less efficient than calling it outside: the gradient "
                              "ops are recorded on the tape. Only do it to compute higher-order "
                              "derivatives.", stacklevel=3)
        self._used = True

    def _end_use(self) -> None:
        if not self._persistent:
            if HOOKS.spent is not None:
                HOOKS.spent(self)
            self._records = []
            self._tracked = set()
            self._keep = []
            self._var_snaps = {}

    def _source_ids(self, s: Any, target_ids: set) -> list[int]:
        # as TF: a source that is itself a target gets its seed, watched or not
        own = [id(s)] if id(s) in target_ids else []
        if isinstance(s, Variable):
            return [id(t) for t in self._var_snaps.get(id(s), ())] + own
        if isinstance(s, Tensor):
            # as TF: a tensor the tape never watched nor produced gets None, even when it
            # fed a recorded op (x * c with only x watched: d/dc is None)
            return [id(s)] if id(s) in self._tracked else own
        if isinstance(s, IndexedSlices):
            return [id(s)]
        raise ValueError(f"GradientTape.gradient: sources must be Tensors or Variables, got "
                         f"{type(s).__name__}: {s!r}")

    def _backward(self, targets: list, seeds: list, sources: list) -> list:
        """One reverse pass from ``targets`` (cotangents ``seeds``) to each of ``sources``."""
        target_ids = {id(t) for t in targets}
        src_ids = [self._source_ids(s, target_ids) for s in sources]
        records = self._records
        if self._persistent:
            return reverse_pass(records, targets, seeds, src_ids)
        self._records = []  # the reverse pass owns them now; each is freed once used
        if HOOKS.spending is not None:
            HOOKS.spending(self, records)  # explain keeps names and ids, no arrays
        results = reverse_pass(records, targets, seeds, src_ids)
        if HOOKS.passed is not None:  # which sources this pass reached, for explain
            HOOKS.passed(self, targets, sources, results)
        return results

    # -- Jacobians --------------------------------------------------------------------------------
    def jacobian(self, target: Any, sources: Any, unconnected_gradients: Any =
                 UnconnectedGradients.NONE, parallel_iterations: Any = None,
                 experimental_use_pfor: bool = True):
        """Full Jacobian ``d target[i...] / d source[j...]``, shaped
        ``target.shape + source.shape``.

        Vectorized: one reverse pass carries a whole batch of one-hot cotangents (every VJP
        accepts leading batch dimensions). ``experimental_use_pfor=False`` loops instead.

        >>> import tapegrad as tf
        >>> x = tf.constant([1.0, 2.0])
        >>> with tf.GradientTape() as g:
        ...     g.watch(x)
        ...     y = x * x
        >>> g.jacobian(y, x).numpy()
        array([[2., 0.],
               [0., 4.]], dtype=float32)
        """
        zero = _unconnected(unconnected_gradients) is UnconnectedGradients.ZERO
        return jacobians.jacobian(self, target, sources, zero, bool(experimental_use_pfor))

    def batch_jacobian(self, target: Any, source: Any, unconnected_gradients: Any =
                       UnconnectedGradients.NONE, parallel_iterations: Any = None,
                       experimental_use_pfor: bool = True):
        """Per-example Jacobians ``[batch, y..., x...]``; examples must not interact.

        >>> import tapegrad as tf
        >>> x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        >>> with tf.GradientTape() as g:
        ...     g.watch(x)
        ...     y = x * x
        >>> g.batch_jacobian(y, x).shape
        TensorShape([2, 2, 2])
        """
        zero = _unconnected(unconnected_gradients) is UnconnectedGradients.ZERO
        return jacobians.batch_jacobian(self, target, source, zero)

    # -- introspection (implemented in tapegrad.debugging and tapegrad.tape_picture) -----------
    def explain(self, target: Any, source: Any):
        """Why the gradient of ``target`` w.r.t. ``source`` is (or is not) None: an
        ``Explanation`` with ``.reason`` (connected, not_used, not_watched, not_trainable,
        left_tape, integer_dtype, stop_gradient, assigned), the line in your code, and the fix.
        Works on a non-persistent tape also after ``gradient()``.

        >>> import tapegrad as tf
        >>> w = tf.Variable(2.0, trainable=False)
        >>> with tf.GradientTape() as tape:
        ...     y = w * w
        >>> tape.explain(y, w).reason
        'not_trainable'
        """
        return _hook(HOOKS.explain, "explain")(self, target, source)

    def to_dot(self, target: Any = None, sources: Any = None, max_nodes: int = 120,
               collapse: int = 6) -> str:
        """The recorded ops as Graphviz DOT text: the path from each source to ``target`` in
        red, sources that do not reach it grey; linear runs longer than ``collapse`` become one
        node and at most ``max_nodes`` op nodes are drawn.

        >>> import tapegrad as tf
        >>> x = tf.constant(1.0)
        >>> with tf.GradientTape(persistent=True) as tape:
        ...     tape.watch(x)
        ...     y = tf.exp(x)
        >>> "exp" in tape.to_dot(y, x)
        True
        """
        return _hook(HOOKS.to_dot, "to_dot")(self, target, sources, max_nodes, collapse)

    def render(self, path: str, target: Any = None, sources: Any = None, **kwargs: Any) -> str:
        """Write :meth:`to_dot`'s picture as ``.svg``, ``.png`` or ``.pdf`` with Graphviz's
        ``dot`` (Debian package ``graphviz``); returns ``path``.

        >>> import os, shutil, tempfile
        >>> import tapegrad as tf
        >>> x = tf.constant(1.0)
        >>> with tf.GradientTape(persistent=True) as tape:
        ...     tape.watch(x)
        ...     y = tf.exp(x)
        >>> path = os.path.join(tempfile.mkdtemp(), "tape.png")
        >>> shutil.which("dot") is None or tape.render(path, y, x) == path
        True
        """
        return _hook(HOOKS.render, "render")(self, path, target, sources, **kwargs)

    def memory_bytes(self) -> int:
        """Bytes of arrays that this tape keeps alive (each shared array counted once).

        >>> import tapegrad as tf
        >>> x = tf.zeros([100])
        >>> with tf.GradientTape(persistent=True) as tape:
        ...     tape.watch(x)
        ...     y = x + 1.0
        >>> tape.memory_bytes()
        800
        """
        return _hook(HOOKS.memory_bytes, "memory_bytes")(self)


class _StopRecording:
    def __init__(self, tape: GradientTape):
        self.tape = tape
        self.index = -1

    def __enter__(self) -> None:
        # explain names this line when the paused ops cut a path
        self.tape._events.append(Event("stop_recording", None, user_line(), {}))
        self.index = pop_listener(self.tape)

    def __exit__(self, *exc) -> None:
        if self.index >= 0 and self.tape._active:
            push_listener(self.tape, self.index)


# -- helpers -------------------------------------------------------------------------------------
def _unconnected(value: Any) -> UnconnectedGradients:
    if isinstance(value, UnconnectedGradients):
        return value
    try:
        return UnconnectedGradients(value)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}; use "
                         f"tf.UnconnectedGradients.NONE or ZERO ('none' or 'zero').") from None
