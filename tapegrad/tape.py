"""GradientTape: records ops on watched values and runs the reverse pass over them.

The tape keeps a list of :class:`~tapegrad.primitive.Record` in execution order, which is already
a topological order.  ``gradient`` therefore needs no graph sort and never recurses:

1. forward over the records, mark those that depend on a source (``dep``);
2. backward over the marked ones, popping each output's cotangent once it is used, calling the
   op's VJP and adding the results into the cotangents of its inputs.

A non-persistent tape hands its records to step 2 and forgets them, so each intermediate is
freed as soon as the reverse pass has gone past it.
"""

from __future__ import annotations

import enum
import warnings
from typing import Any

import numpy as np

from . import dtypes as _dt
from .primitive import HOOKS, STATE, _loud, _quiet, user_frame
from .tensor import IndexedSlices, Tensor, Variable, _Base, _wrap as _wrap_value

__all__ = ["GradientTape", "UnconnectedGradients", "note_event"]


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


class Event:
    """A boundary event kept for ``tape.explain``: the value, what happened, the user's line."""

    __slots__ = ("kind", "obj", "line", "info")

    def __init__(self, kind, obj, line, info):
        self.kind, self.obj, self.line, self.info = kind, obj, line, info


def _line_of(frame) -> str:
    if frame is None:
        return "<unknown>"
    import linecache
    code = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return f"{frame.f_code.co_filename}:{frame.f_lineno}: {code}"


def note_event(kind: str, obj: Any, **info: Any) -> None:
    """Remember, on each tape tracking ``obj``, that it left the tape (rare; costs a stack walk).

    The line is kept as ``(file, lineno)``; its text is read only when an explanation is shown.
    """
    line = None
    for tape in STATE.tapes:
        if id(obj) in tape._tracked or (isinstance(obj, Variable) and (
                id(obj) in tape._watched_vars or (tape._watch_accessed and obj._trainable))):
            if line is None:
                f = user_frame()
                line = (f.f_code.co_filename, f.f_lineno) if f is not None else None
            tape._events.append(Event(kind, obj, line, info))


class GradientTape:
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
        self._stopped_at = None  # index in STATE.tapes while stop_recording() is in effect
        self._summary = None     # what explain() needs after a non-persistent tape is spent

    # -- context --------------------------------------------------------------------------------
    def __enter__(self) -> GradientTape:
        if self._active:
            raise ValueError("Attempt to re-enter an already-active tape: this GradientTape is "
                             "already recording. Use a new GradientTape for nested recording.")
        self._active = True
        f = user_frame()  # (file, line) of the `with`, for explain (no text read here)
        self._entered_at = (f.f_code.co_filename, f.f_lineno) if f is not None else None
        STATE.tapes.append(self)
        STATE.refresh()
        return self

    def __exit__(self, *exc) -> None:
        self._pop()
        if self._persistent:
            from .debugging import _check_tape_memory
            _check_tape_memory(self)

    def _pop(self) -> None:
        if self._active:
            self._active = False
            if self in STATE.tapes:
                STATE.tapes.remove(self)
            STATE.refresh()

    # -- watching ---------------------------------------------------------------------------------
    def watch(self, tensor: Any) -> None:
        """Track a tensor, a variable, or a nested list/tuple/dict of them."""
        for t in _flatten(tensor):
            if isinstance(t, Variable):
                if id(t) not in self._watched_vars:
                    self._watched_vars[id(t)] = t
                    self._var_snaps.setdefault(id(t), [])
                continue
            if not isinstance(t, Tensor):
                raise ValueError(f"GradientTape.watch: passed in {t!r} of type "
                                 f"{type(t).__name__}, which is not a Tensor or Variable. Wrap it "
                                 f"first: x = tf.constant(...).")
            if t._value.dtype.kind not in "fc":
                f = user_frame()  # explain names this line for an integer source
                self._events.append(Event("integer_dtype", t, (f.f_code.co_filename, f.f_lineno)
                                          if f is not None else None, {"op": "watch"}))
                warnings.warn(f"The dtype of the watched tensor must be floating (e.g. "
                              f"tf.float32), got {t.dtype.name!r}; it will get no gradient.",
                              stacklevel=2)
                continue
            self._tracked.add(id(t))
            self._keep.append(t)

    def _on_variable_read(self, var: Variable, snap: Tensor) -> None:
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
        unconnected = _unconnected(unconnected_gradients)
        self._begin_use("gradient")
        targets = _flatten(target)
        flat_sources = _flatten(sources)
        seeds = _seeds(targets, output_gradients)
        grads = self._backward(targets, seeds, flat_sources)
        grads = [_finish(g, s, unconnected) for g, s in zip(grads, flat_sources)]
        self._end_use()
        if HOOKS.warn_none_gradients and any(g is None for g in grads):
            from .debugging import _warn_none
            _warn_none(self, target, flat_sources, grads)
        return _unflatten(sources, grads)

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
            from .debugging import _summarize_spent_tape
            self._summary = _summarize_spent_tape(self)
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
        quiet = _quiet()  # one errstate for every VJP op of the pass
        try:
            return self._reverse_pass(targets, seeds, sources)
        finally:
            _loud(quiet)

    def _reverse_pass(self, targets: list, seeds: list, sources: list) -> list:
        target_ids = {id(t) for t in targets}
        src_ids = [self._source_ids(s, target_ids) for s in sources]
        all_src = set()
        for ids in src_ids:
            all_src.update(ids)
        records = self._records
        if not self._persistent:
            self._records = []  # the reverse pass owns them now; each is freed once used
            if self._events:  # rare: explain keeps the graph as names and ids, no arrays
                from .debugging import _skeleton
                self._summary = _skeleton(records)
        # 1. forward: which records lie downstream of a source
        dep = set(all_src)
        relevant = []
        for rec in records:
            for x in rec.inputs:
                if id(x) in dep:
                    relevant.append(rec)
                    out = rec.out
                    if type(out) is tuple:
                        dep.update(id(o) for o in out)
                    else:
                        dep.add(id(out))
                    break
        del records
        # 2. backward over those, from the targets' cotangents
        ct: dict[int, Any] = {}
        for t, g in zip(targets, seeds):
            if id(t) in dep:
                _accumulate(ct, id(t), g)
        while relevant:
            rec = relevant.pop()
            out = rec.out
            if type(out) is tuple:
                gs = [ct.get(id(o)) if id(o) in all_src else ct.pop(id(o), None) for o in out]
                if all(g is None for g in gs):
                    continue
                g = tuple(_densify(g) if g is not None else _zeros_for(o, gs, out) for g, o in
                          zip(gs, out))
            else:
                key = id(out)
                g = ct.get(key) if key in all_src else ct.pop(key, None)
                if g is None:
                    continue
                if type(g) is not Tensor:
                    g = _densify(g)
            prim = rec.prim
            inputs = rec.inputs
            params = rec.params
            vjps = prim.vjps
            if vjps is not None and rec.where is None:
                # one rule per input: run only those a source needs, accumulating as we go
                for f, x in zip(vjps, inputs):
                    if f is not None:
                        k = id(x)
                        if k in dep:
                            dx = f(g, out, *inputs, **params)
                            if dx is not None:
                                old = ct.get(k)
                                ct[k] = dx if old is None else _add_cotangents(old, dx)
                continue
            if prim.vjp is None:
                if not prim.differentiable:
                    continue
                raise LookupError(f"No gradient defined for operation '{prim.name}' (op type: "
                                  f"{prim.name}). Wrap it in tf.stop_gradient, or give it a "
                                  f"gradient with tf.custom_gradient.")
            if rec.where is not None:  # check-numerics: a NaN inside the VJP names this op
                from .debugging import _in_vjp
                _in_vjp(rec)
            if vjps is not None:
                dxs = [f(g, out, *inputs, **params) if f is not None and id(x) in dep
                       else None for f, x in zip(vjps, inputs)]
            else:
                dxs = prim.vjp(g, out, *inputs, **params)
                if type(dxs) is not tuple and type(dxs) is not list:
                    dxs = (dxs,)
            for x, dx in zip(inputs, dxs):
                if dx is not None and id(x) in dep:
                    _accumulate(ct, id(x), dx)
            if rec.where is not None:
                from .debugging import _check_vjp
                _check_vjp(rec, dxs)
        rec = inputs = g = dx = None
        results = []
        for ids in src_ids:
            acc = None
            for k in ids:
                g = ct.get(k)
                if g is not None:
                    acc = g if acc is None else _add_cotangents(acc, g)
            results.append(acc)
        if not self._persistent:  # what explain answers about a spent tape (weakrefs, no arrays)
            from .debugging import _remember_pass
            _remember_pass(self, targets, sources, results)
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
        unconnected = _unconnected(unconnected_gradients)
        if not isinstance(target, _Base):
            raise TypeError(f"GradientTape.jacobian: target must be a single Tensor, got "
                            f"{type(target).__name__}.")
        self._begin_use("jacobian")
        flat_sources = _flatten(sources)
        tshape = tuple(target._value.shape)
        n = int(np.prod(tshape, dtype=np.int64))
        eye = np.eye(n, dtype=target._value.dtype)
        if experimental_use_pfor:
            seed = _wrap_value(eye.reshape((n,) + tshape))
            grads = self._backward([target], [seed], flat_sources)
        else:
            persistent, self._persistent = self._persistent, True
            try:
                rows = [self._backward([target], [_wrap_value(eye[i].reshape(tshape))],
                                       flat_sources) for i in range(n)]
            finally:
                self._persistent = persistent
            grads = []
            for j, s in enumerate(flat_sources):
                col = [r[j] for r in rows]
                if all(c is None for c in col):
                    grads.append(None)
                else:
                    from .ops.array import stack
                    grads.append(stack([_densify(c) if c is not None else _zeros_like(s)
                                        for c in col]))
        from .ops.array import reshape
        out = []
        for g, s in zip(grads, flat_sources):
            sshape = tuple(s._value.shape)
            if g is None:
                out.append(None if unconnected is UnconnectedGradients.NONE else
                           _wrap_value(np.zeros(tshape + sshape, dtype=s._value.dtype)))
            else:
                out.append(reshape(_densify(g), tshape + sshape))
        self._end_use()
        return _unflatten(sources, out)

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
        unconnected = _unconnected(unconnected_gradients)
        tshape = tuple(target.shape)
        sshape = tuple(source.shape)
        if not tshape or not sshape or tshape[0] != sshape[0]:
            raise ValueError(f"batch_jacobian: need the first dimension of target shape "
                             f"{list(tshape)} and source shape {list(sshape)} to match.")
        self._begin_use("batch_jacobian")
        b = tshape[0]
        m = int(np.prod(tshape[1:], dtype=np.int64))
        # cotangent i (over the per-example outputs) is one-hot at i in every example
        eye = np.eye(m, dtype=target._value.dtype).reshape((m, 1) + tshape[1:])
        seed = _wrap_value(np.broadcast_to(eye, (m,) + tshape).copy())
        (g,) = self._backward([target], [seed], [source])
        self._end_use()
        if g is None:
            if unconnected is UnconnectedGradients.NONE:
                return None
            return _wrap_value(np.zeros((b,) + tshape[1:] + sshape[1:], dtype=source.dtype
                                        .as_numpy_dtype))
        from .ops.array import reshape, transpose
        g = reshape(_densify(g), (m, b) + sshape[1:])
        perm = (1, 0) + tuple(range(2, g.ndim))
        return reshape(transpose(g, perm), (b,) + tshape[1:] + sshape[1:])

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
        from .debugging import explain
        return explain(self, target, source)

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
        from .tape_picture import to_dot
        return to_dot(self, target, sources, max_nodes, collapse)

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
        from .tape_picture import render
        return render(self, path, target, sources, **kwargs)

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
        from .debugging import memory_bytes
        return memory_bytes(self)


class _StopRecording:
    def __init__(self, tape: GradientTape):
        self.tape = tape
        self.index = -1

    def __enter__(self) -> None:
        tapes = STATE.tapes
        if self.tape in tapes:
            f = user_frame()  # explain names this line when the paused ops cut a path
            self.tape._events.append(Event("stop_recording", None, (f.f_code.co_filename,
                                           f.f_lineno) if f is not None else None, {}))
            self.index = tapes.index(self.tape)
            tapes.remove(self.tape)
            STATE.refresh()

    def __exit__(self, *exc) -> None:
        if self.index >= 0 and self.tape._active:
            STATE.tapes.insert(self.index, self.tape)
            STATE.refresh()


# -- helpers -------------------------------------------------------------------------------------
def _unconnected(value: Any) -> UnconnectedGradients:
    if isinstance(value, UnconnectedGradients):
        return value
    try:
        return UnconnectedGradients(value)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}; use "
                         f"tf.UnconnectedGradients.NONE or ZERO ('none' or 'zero').") from None


def _flatten(x: Any) -> list:
    if isinstance(x, (list, tuple)):
        out = []
        for v in x:
            out.extend(_flatten(v))
        return out
    if isinstance(x, dict):
        out = []
        for k in sorted(x, key=repr) if not _is_ordered(x) else x:
            out.extend(_flatten(x[k]))
        return out
    return [x]


def _is_ordered(d: dict) -> bool:
    return True  # dicts keep insertion order; keep it so results line up with the user's dict


def _unflatten(structure: Any, flat: list):
    it = iter(flat)

    def build(s):
        if isinstance(s, list):
            return [build(v) for v in s]
        if isinstance(s, tuple):
            vals = [build(v) for v in s]
            return type(s)(*vals) if hasattr(s, "_fields") else tuple(vals)
        if isinstance(s, dict):
            return type(s)((k, build(v)) for k, v in s.items())
        return next(it)
    return build(structure)


def _seeds(targets: list, output_gradients: Any) -> list:
    if output_gradients is None:
        seeds = []
        for t in targets:
            if not isinstance(t, _Base):
                raise TypeError(f"GradientTape.gradient: target must be a Tensor (or a structure "
                                f"of Tensors), got {type(t).__name__}: {t!r}")
            seeds.append(_wrap_value(np.ones_like(t._value)))
        return seeds
    grads = _flatten(output_gradients)
    if len(grads) != len(targets):
        raise ValueError(f"GradientTape.gradient: {len(targets)} targets but "
                         f"{len(grads)} output_gradients.")
    seeds = []
    for t, g in zip(targets, grads):
        if g is None:
            seeds.append(_wrap_value(np.ones_like(t._value)))
            continue
        gv = g._value if isinstance(g, _Base) else np.asarray(g, dtype=t._value.dtype)
        if gv.shape != t._value.shape:
            raise ValueError(f"GradientTape.gradient: output_gradients has shape "
                             f"{list(gv.shape)} but its target has shape "
                             f"{list(t._value.shape)}; they must match.")
        seeds.append(g if isinstance(g, _Base) else _wrap_value(gv.astype(t._value.dtype)))
    return seeds


def _zeros_like(s) -> Tensor:
    return _wrap_value(np.zeros(s._value.shape, dtype=s._value.dtype))


def _zeros_for(o: Tensor, gs: list, out: tuple) -> Tensor:
    """Zeros standing in for an unused output of a multi-output op (keeping any batch prefix)."""
    k = next(i for i, g in enumerate(gs) if g is not None)
    ref = gs[k]
    nb = len(ref.shape) - out[k]._value.ndim
    return _wrap_value(np.zeros(tuple(ref.shape[:nb]) + o._value.shape, dtype=o._value.dtype))


def _densify(g):
    if isinstance(g, IndexedSlices):
        return g.to_dense()
    return g


def _add_cotangents(a, b):
    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices):
        from .ops.array import concat
        return IndexedSlices(concat([a.values, b.values], 0), concat([a.indices, b.indices], 0),
                             a.dense_shape)
    return _densify(a) + _densify(b)


def _accumulate(ct: dict, key: int, g) -> None:
    old = ct.get(key)
    ct[key] = g if old is None else _add_cotangents(old, g)


def _finish(g, source, unconnected: UnconnectedGradients):
    if g is None:
        if unconnected is UnconnectedGradients.ZERO and isinstance(source, _Base):
            return _zeros_like(source)
        return None
    if isinstance(g, IndexedSlices):
        return g
    if isinstance(source, _Base) and g._value.dtype != source._value.dtype:
        from .ops.math import cast
        g = cast(g, _dt.from_numpy(source._value.dtype))
    return g
