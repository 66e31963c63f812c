"""Debugging: why a gradient is None (``tape.explain``), check-numerics, tape memory.

Nothing here runs on an op's path unless a debug mode is on: the engine calls in only at rare
boundary events (a tracked value leaves the tape, is assigned, is cut by ``stop_gradient`` or an
integer op), when check-numerics is enabled, or when the user asks (``explain``, ``to_dot``, …).
A boundary event stores only ``(file, line)``; the source text is read when an explanation is
printed.
"""

from __future__ import annotations

import linecache
import operator
import sys
import threading
import warnings
import weakref
from typing import Any

import numpy as np

from .engine import backward, dtypes as _dt, nest
from .engine.errors import InvalidArgumentError
from .engine.state import HOOKS, user_frame
from .engine.convert import convert_to_tensor
from .engine.indexed_slices import IndexedSlices
from .engine.tensor import _Base
from .engine.variable import Variable
from .ops.math import identity

__all__ = ["enable_check_numerics", "disable_check_numerics", "check_numerics",
           "assert_all_finite", "warn_on_none_gradients", "set_tape_memory_threshold",
           "Explanation", "REASONS"]

REASONS = ("connected", "not_used", "not_watched", "not_trainable", "left_tape", "integer_dtype",
           "stop_gradient", "assigned")


# -- locations ------------------------------------------------------------------------------------
def where_of(frame) -> tuple[str, int] | None:
    """``(file, line)`` of a frame: cheap, the text is read only when shown."""
    if frame is None:
        return None
    return (frame.f_code.co_filename, frame.f_lineno)


def fmt_where(where: Any) -> str:
    """``file:line: code`` for a ``(file, line)`` pair (strings pass through)."""
    if where is None:
        return "<unknown location>"
    if isinstance(where, str):
        return where
    filename, lineno = where
    code = linecache.getline(filename, lineno).strip()
    return f"{filename}:{lineno}" + (f": {code}" if code else "")


def user_line() -> str:
    """``file:line: code`` of the innermost frame outside tapegrad."""
    return fmt_where(where_of(user_frame()))


def _desc(v: Any) -> str:
    """``float32[2, 3]`` for a tensor, variable or array."""
    if isinstance(v, Variable):
        return f"Variable '{v.name}' {v.dtype.name}{list(v._value.shape)}"
    if isinstance(v, _Base):
        return f"{_dt.from_numpy(v._value.dtype).name}{list(np.shape(v._value))}"
    if isinstance(v, IndexedSlices):
        return f"IndexedSlices{list(v.dense_shape)}"
    if isinstance(v, (np.ndarray, np.generic)):
        return f"{_dt.from_numpy(v.dtype).name}{list(v.shape)}"
    return type(v).__name__


# -- check numerics -------------------------------------------------------------------------------
class _VjpState(threading.local):
    rec = None  # the Record whose VJP is running under check-numerics


_VJP = _VjpState()


def enable_check_numerics(stack_height_limit: int = 30, path_length_limit: int = 50) -> None:
    """Raise ``InvalidArgumentError`` at the first op or VJP that produces a NaN or Inf.

    The message names the op, its input shapes and dtypes, and your line; a VJP names the op it
    differentiates and the line that ran that op in the forward pass. TF's two limits shape its
    stack trace and are accepted for compatibility.

    >>> import tapegrad as tf
    >>> tf.debugging.enable_check_numerics()
    >>> try:
    ...     tf.math.log(tf.constant([-1.0]))
    ... except tf.errors.InvalidArgumentError as e:
    ...     print(str(e).split(" output ")[0])
    check_numerics: op 'log' produced NaN in 1 of 1 elements of a float32[1]
    >>> tf.debugging.disable_check_numerics()
    """
    HOOKS.check_output, HOOKS.op_line, HOOKS.check_vjp = _check_output, user_line, _vjp_hook
    _VJP.rec = None


def disable_check_numerics() -> None:
    """Turn check-numerics off again.

    >>> import tapegrad as tf
    >>> tf.debugging.disable_check_numerics()
    >>> float(tf.math.log(tf.constant(0.0)))
    -inf
    """
    HOOKS.check_output = HOOKS.op_line = HOOKS.check_vjp = None
    _VJP.rec = None


def _nonfinite(v) -> str | None:
    """None if ``v`` is finite, else e.g. ``"NaN in 2 of 6 elements of a float32[2, 3] output"``."""
    v = np.asarray(v)
    if v.dtype.kind not in "fc" or v.size == 0 or np.isfinite(v).all():
        return None
    counts = [(int(np.isnan(v).sum()), "NaN"), (int(np.isposinf(v).sum()), "+Inf"),
              (int(np.isneginf(v).sum()), "-Inf")]
    kinds = " and ".join(name for n, name in counts if n)
    n_bad = sum(n for n, _ in counts)
    return f"{kinds} in {n_bad} of {v.size} elements of a {_desc(v)} output"


def _inputs_text(vals) -> str:
    return ", ".join(_desc(v) if isinstance(v, (np.ndarray, np.generic, _Base)) else repr(v)
                     for v in vals)


def _check_output(prim, vals, ans) -> None:
    """Called by ``bind`` after every op while check-numerics is on."""
    outs = ans if type(ans) is tuple else (ans,)
    for o in outs:
        bad = _nonfinite(o)
        if bad:
            rec = _VJP.rec
            _VJP.rec = None
            if rec is not None and _in_backward():
                raise InvalidArgumentError(
                    f"check_numerics: the gradient of op '{rec.prim.name}' produced {bad} (in "
                    f"its step '{prim.name}', inputs: {_inputs_text(vals)}); the op was run in "
                    f"the forward pass at {fmt_where(rec.where)}")
            raise InvalidArgumentError(
                f"check_numerics: op '{prim.name}' produced {bad} (inputs: {_inputs_text(vals)}) "
                f"at {user_line()}")


def check_numerics(tensor: Any, message: str, name: str | None = None):
    """``tensor`` unchanged (gradient: identity), or ``InvalidArgumentError`` if it holds a NaN
    or an Inf (``tf.debugging.check_numerics``; floating dtypes only, as TF).

    >>> import tapegrad as tf
    >>> tf.debugging.check_numerics(tf.constant([1.0, 2.0]), "weights").numpy()
    array([1., 2.], dtype=float32)
    >>> try:
    ...     tf.debugging.check_numerics(tf.constant([1.0, float("nan")]), "weights")
    ... except tf.errors.InvalidArgumentError as e:
    ...     print(e)
    weights : Tensor had NaN values (float32[2], at ...)
    """
    t = tensor if isinstance(tensor, _Base) else convert_to_tensor(tensor)
    v = np.asarray(t._value)
    if v.dtype.kind != "f":
        raise TypeError(f"check_numerics: the tensor must be floating (float16/32/64), got "
                        f"{_desc(t)}.")
    if not np.isfinite(v).all():
        what = "NaN" if np.isnan(v).any() else "Inf"
        where = user_line().split(": ")[0]
        raise InvalidArgumentError(f"{message} : Tensor had {what} values ({_desc(t)}, at "
                                   f"{where})")
    return identity(t)


def assert_all_finite(t: Any, msg: str, name: str | None = None, x: Any = None):
    """``tf.debugging.assert_all_finite``: the same check as :func:`check_numerics`.

    >>> import tapegrad as tf
    >>> float(tf.debugging.assert_all_finite(tf.constant(3.0), "loss"))
    3.0
    """
    return check_numerics(t if x is None else x, msg, name)


def _in_backward() -> bool:
    """Whether a reverse pass is on the stack (a VJP that raised may leave ``_VJP.rec`` set)."""
    f = sys._getframe(2)
    while f is not None:
        if f.f_code is _PULL_BACK:
            return True
        f = f.f_back
    return False


_PULL_BACK = backward._pull_back.__code__


def _vjp_hook(rec, dxs) -> None:
    """HOOKS.check_vjp: before (``dxs`` None) and after a recorded op's VJP."""
    if dxs is None:
        _in_vjp(rec)
    else:
        _check_vjp(rec, dxs)


def _in_vjp(rec) -> None:
    """The backward pass is about to run ``rec``'s VJP under check-numerics."""
    _VJP.rec = rec


def _check_vjp(rec, dxs) -> None:
    """After a VJP under check-numerics: its results must be finite."""
    _VJP.rec = None
    for x, dx in zip(rec.inputs, dxs, strict=False):
        if dx is None or isinstance(dx, (int, float)):
            continue
        val = dx.values._value if isinstance(dx, IndexedSlices) else getattr(dx, "_value", dx)
        bad = _nonfinite(val)
        if bad:
            raise InvalidArgumentError(
                f"check_numerics: the gradient of op '{rec.prim.name}' is {bad} (for its input "
                f"{_desc(x)}); the op was run in the forward pass at {fmt_where(rec.where)}")


# -- a tape's graph, without its arrays ------------------------------------------------------------
class _Op:
    """One recorded op as ``explain`` and ``to_dot`` see it: names and ids, no arrays."""

    __slots__ = ("name", "ins", "outs", "where", "out_desc")

    def __init__(self, name, ins, outs, where, out_desc=None):
        self.name, self.ins, self.outs, self.where = name, ins, outs, where
        self.out_desc = out_desc


def _ops_of(records, describe: bool = False) -> list[_Op]:
    ops = []
    for r in records:
        outs = r.out if type(r.out) is tuple else (r.out,)
        ops.append(_Op(r.prim.name, tuple(map(id, r.inputs)), tuple(map(id, outs)), r.where,
                       [_desc(o) for o in outs] if describe else None))
    return ops


class _Ev:
    __slots__ = ("kind", "obj", "where", "info", "desc")

    def __init__(self, kind, obj, where, info, desc):
        self.kind, self.obj, self.where, self.info, self.desc = kind, obj, where, info, desc


def _light_events(events) -> list[_Ev]:
    out = []
    for e in events:
        info = {k: (v.name if isinstance(v, Variable) else v) for k, v in e.info.items()}
        out.append(_Ev(e.kind, None if e.obj is None else id(e.obj), e.line, info,
                       None if e.obj is None else _desc(e.obj)))
    return out


class _Graph:
    """What ``explain`` reads: the ops (or None), who is tracked, the events."""

    def __init__(self, tape, ops, spent: bool):
        self.ops = ops
        self.spent = spent
        self.tracked = tape._tracked
        self.var_snaps = {k: [id(t) for t in v] for k, v in tape._var_snaps.items()}
        self.watched_vars = set(tape._watched_vars)
        self.watch_accessed = tape._watch_accessed
        self.events = _light_events(tape._events)
        self.entered = getattr(tape, "_entered_at", None)
        self.results = getattr(tape, "_pass_results", None)


def _remember_pass(tape, targets, sources, results) -> None:
    """Called at the end of a non-persistent tape's reverse pass: which sources it reached.

    Weak references, so that explain later knows these are the very objects (an id alone could
    be reused by a new tensor once the recorded ones are freed)."""
    try:
        tape._pass_results = ([weakref.ref(t) for t in targets],
                              [(weakref.ref(s), r is not None) for s, r in
                               zip(sources, results, strict=True)])
    except TypeError:  # something without weak references: explain will say it cannot answer
        tape._pass_results = None


def _pass_answer(g: _Graph, tids: list, source) -> bool | None:
    """On a spent tape: did the last gradient() reach ``source`` from these very targets?"""
    if g.results is None:
        return None
    targets, sources = g.results
    if sorted(id(r()) for r in targets) != sorted(tids):
        return None
    for ref, reached in sources:
        if ref() is source:
            return reached
    return None


def _summarize_spent_tape(tape) -> _Graph:
    """What ``explain`` keeps about a non-persistent tape after ``gradient`` freed it: the op
    graph as names and ids when the tape saw a boundary event (taken by the reverse pass before
    it freed the records), else only who was tracked and which sources the gradient reached."""
    ops = tape._summary if isinstance(tape._summary, list) else None
    if tape._records:
        ops = _ops_of(tape._records)
    graph = _Graph(tape, ops, spent=True)
    tape._events = []  # the events' values are intermediates too: free them
    return graph


def _spending(tape, records) -> None:
    """HOOKS.spending: a non-persistent tape that saw boundary events keeps its graph as names
    and ids (no arrays) before the reverse pass frees the records."""
    if tape._events:
        tape._summary = _ops_of(records)


def _spent(tape) -> None:
    """HOOKS.spent: what explain keeps once a non-persistent tape is used up."""
    tape._summary = _summarize_spent_tape(tape)


def _graph_of(tape) -> _Graph:
    if tape._used and not tape._persistent and isinstance(tape._summary, _Graph):
        return tape._summary
    return _Graph(tape, _ops_of(tape._records), spent=False)


def _downstream(ops, ids) -> set:
    dep = set(ids)
    for op in ops:
        for i in op.ins:
            if i in dep:
                dep.update(op.outs)
                break
    return dep


def _path(ops, dep: set, target_ids) -> list[_Op]:
    """The ops between the source (``dep``: all that depends on it) and the targets."""
    need = set(target_ids)
    path = []
    for op in reversed(ops):
        if any(o in need for o in op.outs) and any(o in dep for o in op.outs):
            path.append(op)
            need.update(i for i in op.ins if i in dep)
    path.reverse()
    return path


# -- explain --------------------------------------------------------------------------------------
class Explanation:
    """Why ``tape.gradient(target, source)`` is (or is not) None.

    ``reason`` is one of :data:`REASONS`; ``where`` the ``file:line`` in your code where the path
    broke (or where the tape began); ``fix`` what to do; ``ops`` the op names on the path (for
    ``connected``). ``str()`` gives all of it.
    """

    def __init__(self, reason: str, message: str, where: Any = None, fix: str = "",
                 ops: list | None = None, others: list | None = None):
        self.reason = reason
        self.message = message
        self.where = fmt_where(where) if where is not None else None
        self.fix = fix
        self.ops = list(ops or [])
        self.others = list(others or [])

    def __str__(self) -> str:
        lines = [f"{self.reason}: {self.message}"]
        if self.where:
            lines.append(f"  at {self.where}")
        if self.fix:
            lines.append(f"  fix: {self.fix}")
        for o in self.others:
            lines.append(f"  also: {o}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Explanation {self.reason}: {self.message}>"


def _brief(names: list[str], limit: int = 8) -> str:
    if len(names) <= limit:
        return " -> ".join(names)
    return " -> ".join(names[:limit // 2]) + f" -> … ({len(names) - limit} more) -> " + \
        " -> ".join(names[-(limit // 2):])


_CUT_RANK = {"stop_gradient": 0, "stop_recording": 0, "assigned": 0, "integer_dtype": 1,
             "left_tape": 2}


def _event_explanation(ev: _Ev, src: str) -> Explanation:
    info = ev.info
    if ev.kind == "left_tape":
        return Explanation(
            "left_tape", f"{ev.desc}, which depends on the source {src}, was converted to NumPy "
            f"or a Python number (via {info.get('how', 'a conversion')}) while the tape was "
            f"recording; what was computed from that value is invisible to the tape.",
            ev.where, "keep the computation in tapegrad ops (tf.reduce_mean instead of np.mean, "
            "no .numpy()/float() on the path); convert only for logging, after the gradient.")
    if ev.kind == "assigned":
        var = info.get("variable", "a variable")
        what = "the source" if ev.desc == src else f"{ev.desc}, which depends on the source {src},"
        return Explanation(
            "assigned", f"{what} was written into "
            f"variable '{var}' with {info.get('how', 'assign')}; variable assignments are not "
            f"differentiable, so the path from the source stops there.", ev.where,
            "compute the target from the source directly (y = (x1 + x0) ** 2), or differentiate "
            "with respect to the assigned variable instead.")
    if ev.kind == "stop_recording":
        return Explanation(
            "stop_gradient", "ops run inside tape.stop_recording() are not recorded, so the "
            f"path from the source {src} to the target breaks there.", ev.where,
            "move the computation of the target out of the stop_recording() block.")
    if ev.kind == "stop_gradient" and info.get("op") != "stop_gradient":
        return Explanation(
            "stop_gradient", f"op '{info.get('op')}' has no gradient (as in TensorFlow), so it "
            f"cut the path from the source {src} like tf.stop_gradient (its input {ev.desc}).",
            ev.where, "use a differentiable formulation, e.g. the straight-through estimator "
            "x + tf.stop_gradient(tf.round(x) - x).")
    if ev.kind == "stop_gradient":
        return Explanation(
            "stop_gradient", f"tf.stop_gradient cut the path from the source {src} "
            f"(its input {ev.desc}).", ev.where,
            "remove tf.stop_gradient from the path if a gradient should flow through it.")
    op = info.get("op", "?")
    if op == "watch":
        return Explanation(
            "integer_dtype", f"the source {src} has an integer or bool dtype, and only floating "
            f"(or complex) values have gradients; tape.watch ignored it.", ev.where,
            "make the source floating, e.g. tf.constant(10.0) or tf.cast(x, tf.float32) before "
            "watching it.")
    return Explanation(
        "integer_dtype", f"op '{op}' turned {ev.desc}, which depends on the source {src}, into "
        f"a value of dtype {info.get('dtype', 'int')}; integer and bool values carry no gradient.",
        ev.where, "keep the path floating (cast to an integer dtype only where no gradient is "
        "needed, e.g. for indices or metrics).")


def explain(tape, target: Any, source: Any) -> Explanation:
    """Why ``tape.gradient(target, source)`` is (or is not) None; see ``GradientTape.explain``.

    >>> import tapegrad as tf
    >>> x = tf.constant(3.0)
    >>> with tf.GradientTape() as tape:
    ...     y = x * x
    >>> tape.explain(y, x).reason
    'not_watched'
    """
    if isinstance(source, (list, tuple, dict)):
        raise TypeError("explain: pass one source (a Tensor or Variable) at a time, got "
                        f"{type(source).__name__}.")
    if not isinstance(source, _Base):
        raise TypeError(f"explain: the source must be a Tensor or Variable, got "
                        f"{type(source).__name__}: {source!r}")
    g = _graph_of(tape)
    targets = nest.flatten(target)
    tids = [id(t) for t in targets]
    src = _desc(source)
    tdesc = ", ".join(_desc(t) for t in targets)
    src_ids = (_variable_source(g, source, src) if isinstance(source, Variable)
               else _tensor_source(g, source, src, tids))
    if isinstance(src_ids, Explanation):
        return src_ids
    if g.spent:
        # ids in a spent tape's summary may now name new objects: answer only about the
        # gradient() call's own targets and sources, which were alive all along
        known = _pass_answer(g, tids, source)
        if known is None:
            raise ValueError(
                "explain: this non-persistent tape was already used by gradient() for other "
                "targets or sources, and released its records. Call explain before gradient(), "
                "or create the tape with GradientTape(persistent=True).")
        if g.ops is None:  # the tape saw no boundary event: the pass's answer is all we have
            if known:
                return Explanation("connected", f"the target {tdesc} depends on the source "
                                   f"{src} through the recorded ops (gradient computed).",
                                   None, "")
            return _not_used(g, src, tdesc, set(), tids, source)
    if any(t in src_ids for t in tids):
        return Explanation("connected", "the target is a read of the source itself.", None, "")
    return _from_records(g, src_ids, tids, src, tdesc, source)


def _variable_source(g: _Graph, source: Variable, src: str):
    """The ids standing for a Variable source (itself and its snapshots), or why none count."""
    if source._value.dtype.kind not in "fc":
        return Explanation(
            "integer_dtype", f"the source {src} has an integer or bool dtype; only floating "
            "(or complex) values have gradients.", g.entered,
            f"create the variable with a float dtype, e.g. tf.Variable({source._value!r}"
            ".astype('float32')) or dtype=tf.float32.")
    vid = id(source)
    if vid not in g.watched_vars:
        if not source.trainable:
            return Explanation(
                "not_trainable", f"the source {src} was created with trainable=False, and "
                "tapes watch only trainable variables automatically.", g.entered,
                "create it with trainable=True, or call tape.watch(variable) inside the "
                "tape's `with` block.")
        if not g.watch_accessed:
            return Explanation(
                "not_watched", f"the tape was created with watch_accessed_variables=False "
                f"and the source {src} was never passed to tape.watch.", g.entered,
                "call tape.watch(variable) before using it inside the tape's `with` block.")
    return set(g.var_snaps.get(vid, ())) | {vid}


def _tensor_source(g: _Graph, source: Any, src: str, tids: list):
    """The id of a Tensor source, or why it has no gradient."""
    if source._value.dtype.kind not in "fc":
        ev = next((e for e in g.events if e.kind == "integer_dtype" and e.obj == id(source)
                   and e.info.get("op") == "watch"), None)
        if ev is not None:
            return _event_explanation(ev, src)
        return Explanation(
            "integer_dtype", f"the source {src} has an integer or bool dtype; only floating "
            "(or complex) values have gradients.", g.entered,
            "make it floating, e.g. tf.constant(10.0) or tf.cast(x, tf.float32).")
    if id(source) in tids:
        return Explanation("connected", "the target is the source itself (gradient: ones).",
                           None, "")
    if id(source) not in g.tracked:
        return Explanation(
            "not_watched", f"the source {src} is a Tensor the tape never watched. Tapes "
            "watch only trainable Variables automatically; a constant, or a value created "
            "before the tape started (for example a Variable replaced by a Tensor with "
            "`x = x + 1`), is not tracked.", g.entered,
            "call tape.watch(x) at the top of the `with` block, or keep x a tf.Variable and "
            "update it in place with x.assign_add(1) / x.assign(...).")
    return {id(source)}


def _from_records(g: _Graph, src_ids: set, tids: list, src: str, tdesc: str,
                  source: Any) -> Explanation:
    """The answer from the recorded ops: the path that connects, or the event that cut it."""
    dep = _downstream(g.ops, src_ids)
    if any(t in dep for t in tids):
        names = [op.name for op in _path(g.ops, dep, tids)]
        return Explanation("connected", f"the target {tdesc} depends on the source {src} "
                           f"through {len(names)} recorded op(s): {_brief(names)}.", None, "",
                           ops=names)
    cands = [e for e in g.events if e.kind in _CUT_RANK and
             (e.kind == "stop_recording" or e.obj in dep)
             and not (e.kind == "integer_dtype" and e.info.get("op") == "watch")]
    if cands:
        direct = [e for e in cands if e.info.get("out") in tids]
        # a comparison's bool output usually feeds tf.where, not the target: rank it last
        order = sorted(range(len(cands)), key=lambda i: (
            3 if cands[i].info.get("dtype") == "bool" else _CUT_RANK[cands[i].kind], i))
        best = direct[0] if direct else cands[order[0]]
        ex = _event_explanation(best, src)
        ex.others = [f"{e.kind} at {fmt_where(e.where)}" for e in cands if e is not best][:5]
        return ex
    return _not_used(g, src, tdesc, dep, tids, source)


def _not_used(g: _Graph, src: str, tdesc: str, dep: set, tids, source) -> Explanation:
    produced = set()
    for op in g.ops or ():
        produced.update(op.outs)
    if isinstance(source, Variable) and not g.var_snaps.get(id(source)):
        msg = (f"the source {src} was never read while the tape was recording, so the target "
               f"{tdesc} cannot depend on it (a layer or branch that did not run?).")
    elif g.ops is not None and not any(t in produced for t in tids):
        msg = (f"the target {tdesc} was not computed by any op this tape recorded from watched "
               f"values, so it cannot depend on the source {src} (was it computed outside the "
               "tape's `with` block, or only from constants?).")
    elif g.ops is not None and len(dep) <= 1 and not any(i in dep for op in g.ops
                                                           for i in op.ins):
        msg = (f"the source {src} is watched, but no recorded op used it; the target {tdesc} "
               "was computed from other values.")
    else:
        msg = (f"nothing recorded on this tape connects the source {src} to the target "
               f"{tdesc}: they lie on separate branches.")
    return Explanation("not_used", msg, g.entered,
                       "compute the target from the source inside the tape's `with` block (a "
                       "layer or variable that is never called on the data gets None), or pass "
                       "unconnected_gradients=tf.UnconnectedGradients.ZERO to get zeros.")


def warn_on_none_gradients(enabled: bool = True) -> None:
    """While on, ``tape.gradient`` warns with ``tape.explain``'s answer for each None it returns.

    >>> import tapegrad as tf
    >>> tf.debugging.warn_on_none_gradients()
    >>> tf.debugging.warn_on_none_gradients(False)
    """
    HOOKS.none_gradients = _warn_none if enabled else None


def _warn_none(tape, target, sources, grads) -> None:
    """Called by ``gradient`` while ``warn_on_none_gradients`` is on and some result is None."""
    for s, gr in zip(sources, grads, strict=True):
        if gr is None and isinstance(s, _Base):
            try:
                text = str(explain(tape, target, s))
            except (ValueError, TypeError) as e:
                text = str(e)
            warnings.warn(f"GradientTape.gradient returned None for {_desc(s)}:\n{text}",
                          stacklevel=3)


# -- memory ---------------------------------------------------------------------------------------
_MEMORY = {"threshold": 1 << 30}


def set_tape_memory_threshold(nbytes: int | None) -> None:
    """Warn when a persistent tape keeps more than ``nbytes`` alive (default 1 GiB; None: never).

    Checked when the tape's ``with`` block exits.

    >>> import tapegrad as tf
    >>> tf.debugging.set_tape_memory_threshold(2 ** 30)
    """
    if nbytes is not None and (not isinstance(nbytes, (int, np.integer)) or nbytes < 0):
        raise ValueError(f"set_tape_memory_threshold: need a non-negative number of bytes or "
                         f"None, got {nbytes!r}.")
    _MEMORY["threshold"] = nbytes


def _root(a):
    while isinstance(getattr(a, "base", None), np.ndarray):
        a = a.base
    return a


def _holdings(tape) -> tuple[int, dict]:
    """Total bytes of distinct arrays the tape references, and bytes per op name that made them."""
    seen: set = set()
    per_op: dict[str, int] = {}
    total = 0

    def add(t, who):
        nonlocal total
        v = getattr(t, "_value", None)
        if v is None:
            return
        r = _root(v)
        if id(r) in seen:
            return
        seen.add(id(r))
        n = int(getattr(r, "nbytes", 0))
        total += n
        per_op[who] = per_op.get(who, 0) + n

    for t in tape._keep:
        add(t, "watched tensors")
    for snaps in tape._var_snaps.values():
        for t in snaps:
            add(t, "variable reads")
    for r in tape._records or ():
        for o in (r.out if type(r.out) is tuple else (r.out,)):
            add(o, r.prim.name)
        for x in r.inputs:
            add(x, "constants used")
    return total, per_op


def memory_bytes(tape) -> int:
    """Bytes of arrays the tape keeps alive (each shared array counted once); see
    ``GradientTape.memory_bytes``.

    >>> import tapegrad as tf
    >>> x = tf.zeros([1000])
    >>> with tf.GradientTape(persistent=True) as tape:
    ...     tape.watch(x)
    ...     y = x * 2.0
    >>> tape.memory_bytes()
    8000
    """
    return _holdings(tape)[0]


_OUT_BYTES = operator.attrgetter("out._value.nbytes")


def _outputs_bytes(tape) -> int:
    """The bytes of the recorded outputs, watched tensors and variable reads, without looking
    for shared arrays (so at least what ``_holdings`` counts of them): a C-speed first check."""
    try:
        n = sum(map(_OUT_BYTES, tape._records or ()))
    except AttributeError:  # a multi-output op: its ``out`` is a tuple
        n = sum(o._value.nbytes for r in tape._records
                for o in (r.out if type(r.out) is tuple else (r.out,)))
    n += sum(t._value.nbytes for t in tape._keep)
    n += sum(t._value.nbytes for snaps in tape._var_snaps.values() for t in snaps)
    return n


def _check_tape_memory(tape) -> None:
    """Called when a persistent tape's ``with`` block exits: warn once past the threshold."""
    limit = _MEMORY["threshold"]
    if limit is None or getattr(tape, "_memory_warned", False):
        return
    if _outputs_bytes(tape) <= limit:  # the fast bound: most tapes stop here
        return
    total, per_op = _holdings(tape)
    if total <= limit:
        return
    tape._memory_warned = True
    top = sorted(per_op.items(), key=lambda kv: -kv[1])[:3]
    names = ", ".join(f"{k} ({_mib(v)})" for k, v in top)
    warnings.warn(f"This persistent GradientTape keeps {_mib(total)} of arrays alive (threshold "
                  f"{_mib(limit)}); most is held by: {names}. Delete the tape (del tape) once "
                  "its gradients are computed, use a non-persistent tape, or wrap parts in "
                  "tf.recompute_grad. Threshold: tf.debugging.set_tape_memory_threshold.",
                  ResourceWarning, stacklevel=3)


def _mib(n: int) -> str:
    for unit, size in (("GiB", 2 ** 30), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


# The engine calls these hook points; it never imports this module.
HOOKS.spending, HOOKS.passed, HOOKS.spent = _spending, _remember_pass, _spent
HOOKS.tape_exit, HOOKS.explain, HOOKS.memory_bytes = _check_tape_memory, explain, memory_bytes

# tf.debugging's assertions and tf.print's formatting live in their own modules.
from .assertions import *  # noqa: E402,F401,F403
from .assertions import __all__ as _assert_names  # noqa: E402
__all__ += _assert_names
