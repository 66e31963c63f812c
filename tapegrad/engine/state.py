"""The bottom layer: per-thread listener state, the debugging hook points, the user's frame and
NumPy's floating-point error state. Imports nothing of tapegrad.

Everything that watches ops run — a GradientTape, a ForwardAccumulator, tapegrad.function's
tracer — is a *listener* with the methods of :class:`Listener`, pushed on ``STATE.listeners``
for the current thread while it is active. The engine calls them at four events: an op ran
(``on_op``), a Variable was read (``on_read``) or assigned (``on_assign``), a tensor's value left
tapegrad for Python or NumPy (``on_leave``). When no listener is active, ``STATE.active`` is
False and an op takes the lean path: run the kernel, wrap the result, nothing else.

``HOOKS`` holds process-wide hook points, plain callables or None, that the debugging layer
installs (check-numerics, the spent-tape summary behind ``tape.explain``); the engine calls them
only when they are set and never imports the debugging layer.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any, Callable

import numpy as np

__all__ = ["STATE", "HOOKS", "DISTRIBUTION", "Listener", "push_listener", "pop_listener",
           "user_frame", "quiet", "loud", "name_scope", "scope_prefix"]


class Listener:
    """What the engine tells a listener. Subclasses override the events they care about.

    ``late`` listeners (forward accumulators) hear each op after all others, so that a tape
    has recorded an op before an accumulator's JVP ops use its output (forward-over-reverse).
    """

    late = False

    def on_op(self, rec: Any) -> None:
        """An op ran: ``rec`` has ``prim``, ``inputs``, ``out``, ``params``."""

    def on_read(self, var: Any, snap: Any) -> None:
        """Variable ``var`` was read as the snapshot Tensor ``snap``."""

    def on_assign(self, var: Any, op: str, value: Any) -> None:
        """Variable ``var`` was changed in place by ``op`` (assign, assign_add, …)."""

    def on_leave(self, t: Any, how: str) -> None:
        """Tensor ``t``'s value left tapegrad (``float()``, ``.numpy()``, a NumPy function…)."""


class _State(threading.local):
    """Per-thread listeners, innermost last, and whether any is active (the hot-path test)."""

    def __init__(self) -> None:
        self.listeners: list = []
        self.active = False

    def refresh(self) -> None:
        self.active = bool(self.listeners)


STATE = _State()


def push_listener(listener: Any, index: int | None = None) -> None:
    """Make ``listener`` hear this thread's ops (innermost of its kind, or at ``index``)."""
    listeners = STATE.listeners
    if index is None:
        index = len(listeners)
        if not listener.late:
            while index and listeners[index - 1].late:
                index -= 1
    listeners.insert(index, listener)
    STATE.active = True


def pop_listener(listener: Any) -> int:
    """Stop ``listener`` hearing ops; returns where it was (-1 if it was not listening)."""
    listeners = STATE.listeners
    for i, other in enumerate(listeners):
        if other is listener:
            del listeners[i]
            STATE.refresh()
            return i
    return -1


class _Hooks:
    """Process-wide hook points of the debugging layer: each a callable or None.

    Check-numerics (set only while it is on): ``check_output(prim, vals, ans)`` after every
    kernel; ``op_line()`` the user's line kept on a new record; ``check_vjp(rec, dxs)`` before
    (dxs None) and after a recorded op's VJP. ``none_gradients(tape, target, sources, grads)``
    when gradient() returns a None (warn_on_none_gradients). Explain's memory of a
    non-persistent tape: ``spending(tape, records)`` before the pass frees the records,
    ``passed(tape, targets, sources, results)`` after it, ``spent(tape)`` when the tape is
    used up. ``tape_exit(tape)`` when a persistent tape closes (the memory warning). The
    tape's ``explain``, ``to_dot``, ``render`` and ``memory_bytes`` are served by the hooks of
    those names.
    """

    check_output: Callable | None = None
    op_line: Callable | None = None
    check_vjp: Callable | None = None
    none_gradients: Callable | None = None
    spending: Callable | None = None
    passed: Callable | None = None
    spent: Callable | None = None
    tape_exit: Callable | None = None
    explain: Callable | None = None
    to_dot: Callable | None = None
    render: Callable | None = None
    memory_bytes: Callable | None = None


HOOKS = _Hooks()

_PKG_DIRS = (os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep,
             os.path.dirname(os.path.abspath(np.__file__)) + os.sep)


def user_frame():
    """The innermost stack frame outside tapegrad and NumPy (the user's line: ``np.mean(t)``
    converts ``t`` inside NumPy's own code)."""
    f = sys._getframe(1)
    while f is not None and f.f_code.co_filename.startswith(_PKG_DIRS):
        f = f.f_back
    return f


def entry_name() -> str | None:
    """The name of the tapegrad function that the user's line called (the public op, for an
    error raised deep inside it); None when that is a private function, a dunder or a lambda.
    Only errors ask: nothing on an op's normal path walks the stack."""
    f, entry = sys._getframe(1), None
    while f is not None and f.f_code.co_filename.startswith(_PKG_DIRS):
        if f.f_code.co_filename.startswith(_PKG_DIRS[0]):
            entry = f.f_code.co_name
        f = f.f_back
    return None if entry is None or entry.startswith(("_", "<")) else entry


def user_line() -> tuple[str, int] | None:
    """``(file, line)`` of :func:`user_frame` (the text is read only when shown)."""
    f = user_frame()
    return (f.f_code.co_filename, f.f_lineno) if f is not None else None


# -- NumPy's floating-point error state -----------------------------------------------------------
# Ops are silent about inf/nan, as TF's kernels are (check-numerics finds them). NumPy keeps its
# error state in a context variable; setting it directly costs ~6x less than np.errstate, and
# ``bind`` inlines the three calls below (get, set, reset) on its hot path.
try:
    from numpy._core._ufunc_config import _extobj_contextvar as _ERRSTATE, _make_extobj

    QUIET = _make_extobj(all="ignore")
    errstate_get, errstate_set, errstate_reset = _ERRSTATE.get, _ERRSTATE.set, _ERRSTATE.reset
except ImportError:  # another NumPy layout: the same three calls over the public context manager
    QUIET = np.errstate(all="ignore")

    def errstate_get():
        return None

    def errstate_set(state):
        state = np.errstate(all="ignore")
        state.__enter__()
        return state

    def errstate_reset(token) -> None:
        token.__exit__(None, None, None)


def quiet():
    """Silence NumPy's floating-point warnings until :func:`loud`; None when they already are
    (a VJP inside the reverse pass, which silences once for all its ops)."""
    return None if errstate_get() is QUIET else errstate_set(QUIET)


def loud(token) -> None:
    """Undo :func:`quiet`."""
    if token is not None:
        errstate_reset(token)


# -- name scopes ---------------------------------------------------------------------------------
class _Scopes(threading.local):
    def __init__(self) -> None:
        self.stack: list[str] = []


_SCOPES = _Scopes()  # per thread: layers built in several threads keep their own names


class name_scope:
    """Context manager prefixing the names of Variables created inside it (``scope/name:0``).

    >>> import tapegrad as tf
    >>> with tf.name_scope("dense"):
    ...     v = tf.Variable(1.0, name="kernel")
    >>> v.name
    'dense/kernel:0'
    """

    def __init__(self, name: str):
        self.name = name

    def __enter__(self) -> str:
        _SCOPES.stack.append(self.name)
        return scope_prefix()

    def __exit__(self, *exc) -> None:
        _SCOPES.stack.pop()


def scope_prefix() -> str:
    """This thread's current name-scope prefix, ``"outer/inner/"`` (empty outside any scope)."""
    return "".join(s + "/" for s in _SCOPES.stack)


# -- the distribution strategy in scope ----------------------------------------------------------
class _Distribution(threading.local):
    """Per thread: the stack of ``tapegrad.distribute`` strategies whose ``scope()`` is open, and
    the process's default strategy (set when ``tapegrad.distribute`` is imported).

    Lower layers consult it without importing the distribute layer: a Variable created while a
    strategy is in scope calls ``strategy._variable_created(var)`` (mirrored variables start
    from rank 0's value); a Keras optimizer sums its gradients across replicas with
    ``strategy._all_reduce_sum(arrays)``; ``fit`` asks for ``num_replicas_in_sync``.
    """

    default: Any = None  # class attribute: one default strategy for every thread

    def __init__(self) -> None:
        self.stack: list = []

    @property
    def strategy(self) -> Any:
        """The innermost strategy in scope on this thread, or None."""
        return self.stack[-1] if self.stack else None


DISTRIBUTION = _Distribution()
