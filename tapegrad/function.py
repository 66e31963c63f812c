"""``tapegrad.function``: trace a Python function once per input signature, then replay it.

Tracing is an ordinary eager call with a listener (a ``_Tracer``): every primitive that runs —
forward ops, the ops a ``GradientTape.gradient`` or ``jacobian`` runs, and the ops inside nested
tapes — is written down with the slots it read and wrote, and so are variable reads and
assignments. The list becomes one straight-line Python function (generated source, one line per
primitive calling its NumPy ``impl``) that later calls run: no Tensor wrapping, no tape
bookkeeping, no dispatch. Ops run in the traced order on the same impls, so the numbers are
eager's.

Safety: reading a traced value in Python (``float``, ``bool``, ``.numpy()``, NumPy on a tensor)
makes the signature run eagerly from then on, with a warning; and the first replays of each trace
are checked against an eager run from the same variable and random state, so a value frozen at
trace time (NumPy computed from an input's value outside a primitive) is caught and that
signature falls back to eager with a warning.
"""

from __future__ import annotations

import functools
import threading
import warnings
import weakref
from typing import Any, Callable

import numpy as np

from .engine import dtypes as _dt
from .engine.state import (STATE, Listener, loud as _loud, pop_listener, push_listener,
                           quiet as _quiet)
from .engine.indexed_slices import IndexedSlices
from .engine.shape import TensorShape
from .engine.tensor import Tensor, _Base, _new, convert_raw
from .engine.variable import Variable
from .ops import linalg as _linalg, math as _math, nn as _nn, random as _random
from .ops import random_generator as _random_generator

__all__ = ["function", "Function", "TensorSpec", "ConcreteFunction"]

_RETRACE_WARN_AT = 6  # traces of one Function before the "retracing too often" warning
_EAGER = "eager"      # cache entry: this signature runs eagerly
_CHECKED_REPLAYS = 3  # replays of each trace compared with an eager run before trusting it
_MAX_SIGNATURES = 128  # traces one Function keeps; the oldest is dropped beyond (memory bound)


class _Eagerly:
    """``tf.config.run_functions_eagerly``: when ``on``, every Function runs its Python body."""

    on = False  # one bool, read and written whole (no lock needed)


RUN_EAGERLY = _Eagerly()


class TensorSpec:
    """Shape and dtype of a ``function`` argument (``tf.TensorSpec``); ``None`` dims match any.

    >>> import tapegrad as tf
    >>> spec = tf.TensorSpec([None, 2], tf.float32)
    >>> spec.is_compatible_with(tf.zeros((5, 2))), spec.is_compatible_with(tf.zeros((5, 3)))
    (True, False)
    """

    def __init__(self, shape: Any, dtype: Any = _dt.float32, name: str | None = None):
        self.shape = TensorShape(shape)
        self.dtype = _dt.as_dtype(dtype)
        self.name = name

    def is_compatible_with(self, value: Any) -> bool:
        v = value._value if isinstance(value, _Base) else np.asarray(value)
        if _dt.np_dtype(self.dtype) != v.dtype:
            return False
        return self.shape.is_compatible_with(v.shape)

    def __repr__(self) -> str:
        return f"TensorSpec(shape={self.shape}, dtype=tf.{self.dtype.name}, name={self.name!r})"


# -- signatures ----------------------------------------------------------------------------------
def _flatten(x: Any, leaves: list, key: list) -> None:
    """Tensor leaves of ``x`` into ``leaves``; its structure and static values into ``key``."""
    t = type(x)
    if t is Tensor:
        v = x._value
        leaves.append(v)
        key.append((v.shape, v.dtype))
    elif isinstance(x, Variable):
        leaves.append(x)
        key.append(("var", id(x)))
    elif isinstance(x, np.ndarray):
        v = convert_raw(x)
        leaves.append(v)
        key.append((v.shape, v.dtype))
    elif t is list or t is tuple:
        key.append((t, len(x)))
        for v in x:
            _flatten(v, leaves, key)
    elif t is dict:
        key.append((dict, tuple(x)))
        for v in x.values():
            _flatten(v, leaves, key)
    else:
        try:
            hash(x)
            key.append((t, x))
        except TypeError:
            key.append((t, id(x)))


def _rebuild(x: Any, it) -> Any:
    """``x`` with its Tensor (and NumPy-array) leaves replaced by fresh traced Tensors."""
    t = type(x)
    if t is Tensor or (isinstance(x, np.ndarray)):
        out = _new(Tensor)
        out._value = next(it)
        return out
    if isinstance(x, Variable):
        next(it)
        return x
    if t is list or t is tuple:
        return t(_rebuild(v, it) for v in x)
    if t is dict:
        return {k: _rebuild(v, it) for k, v in x.items()}
    return x


# -- the tracer ------------------------------------------------------------------------------------
# Primitives whose output a NumPy ufunc can write into a reused buffer (``out=``); each use is
# checked at trace time to give exactly the impl's values.
def _buffer_ufuncs() -> dict:
    math, linalg = _math, _linalg
    table = {math.add: np.add, math.subtract: np.subtract, math.multiply: np.multiply,
             math.divide: np.true_divide, math.negative: np.negative, math.exp: np.exp,
             math.log: np.log, math.tanh: np.tanh, math.sqrt: np.sqrt, linalg._matmul: np.matmul}
    table[_nn.relu] = lambda x, out: np.maximum(x, 0, out=out)
    table[_nn.relu_grad] = lambda g, ans, out: np.multiply(g, ans > 0, out=out)
    return table


_UFUNCS: dict | None = None


class _ShapeChanged(Exception):
    """A replayed op produced another shape than when traced (raised by generated code)."""


class _Tracer(Listener):
    """Listens to one eager call and writes down what it would need to replay it."""

    def __init__(self, n_inputs: int):
        self.slot_of: dict[int, int] = {}
        self.keep: list = []          # traced tensors, alive so their ids stay unique
        self.dynamic: set[int] = set()  # ids of values that depend on inputs or variables
        self.steps: list = []
        self.consts: list = []
        self.meta: dict[int, Any] = {}  # slot -> traced value (for buffers and alias checks)
        self.by_value: dict[int, int] = {}  # id of a traced value -> its slot
        self.dyn_values: set[int] = set()   # ids of traced values that depend on the inputs
        self.n = n_inputs
        self.failed: str | None = None

    def add_input(self, t: Tensor, slot: int) -> None:
        self.slot_of[id(t)] = slot
        self.keep.append(t)
        self.dynamic.add(id(t))
        self.meta[slot] = t._value
        self.by_value[id(t._value)] = slot
        self.dyn_values.add(id(t._value))

    def _new_slot(self, t: Tensor) -> int:
        s = self.n
        self.n += 1
        self.slot_of[id(t)] = s
        self.keep.append(t)
        self.meta[s] = t._value
        self.by_value[id(t._value)] = s
        if id(t) in self.dynamic:
            self.dyn_values.add(id(t._value))
        return s

    def _ref(self, x: Any):
        """("s", slot) for a traced tensor, ("k", index) for anything fixed at trace time."""
        if isinstance(x, Tensor):
            s = self.slot_of.get(id(x))
            if s is not None:
                return ("s", s)
            x = x._value  # a constant made outside any primitive: fixed per signature
        self.consts.append(x)
        return ("k", len(self.consts) - 1)

    # called by the engine --------------------------------------------------------------------
    def on_op(self, rec) -> None:
        prim, inputs, out, params = rec.prim, rec.inputs, rec.out, rec.params
        outs = out if type(out) is tuple else (out,)
        dyn = any(isinstance(x, Tensor) and id(x) in self.dynamic for x in inputs)
        if dyn:
            self.dynamic.update(id(o) for o in outs)
        if prim.impl is None:
            # custom_gradient / recompute_grad: the outputs are values the traced forward ops
            # already produced; the replay reuses their slots
            for o in outs:
                s = self.by_value.get(id(o._value))
                if s is None:
                    self.failed = self.failed or (f"{prim.name} (a custom-gradient op) returns a "
                                                  f"value no traced op computed")
                    return
                self.slot_of[id(o)] = s
                self.keep.append(o)
            return
        if params and self.failed is None and self._holds_traced_value(params.values()):
            self.failed = (f"{prim.name} takes the value of a traced tensor as a parameter "
                           f"(indices, say), which a replay cannot vary")
        # a Python value goes to the kernel as bind gave it: converted, unless the op converts
        # it to its other operand's dtype (same_dtype ops take the Python scalar as it is)
        refs = tuple(self._ref(x if prim.same_dtype or isinstance(x, _Base) else convert_raw(x))
                     for x in inputs)
        slots = tuple(self._new_slot(o) for o in outs)
        self.steps.append(("op", prim, refs, slots, params, type(out) is tuple,
                           [x._value if isinstance(x, Tensor) else x for x in inputs]))

    def _holds_traced_value(self, values) -> bool:
        """Whether an op parameter is (a view of) an array that depends on inputs/variables."""
        for v in values:
            if type(v) in (tuple, list):
                if self._holds_traced_value(v):
                    return True
            elif isinstance(v, np.ndarray):
                while v is not None:
                    if id(v) in self.dyn_values:
                        return True
                    v = v.base
        return False

    def on_read(self, var: Variable, snap: Tensor) -> None:
        self.dynamic.add(id(snap))
        s = self._new_slot(snap)
        self.steps.append(("read", var, s))

    def on_assign(self, var: Variable, op: str, value: Any) -> None:
        if isinstance(value, IndexedSlices):
            ref = ("slices", self._ref(value.values), self._ref(value.indices), value.dense_shape)
        else:
            ref = self._ref(value)
        self.steps.append(("assign", var, op, ref))

    def on_leave(self, t: Any, how: str) -> None:
        if self.failed is None and (isinstance(t, Variable) or id(t) in self.dynamic):
            self.failed = (f"it reads the value of a traced tensor with {how}; Python control "
                           f"flow or NumPy on tensor values cannot be replayed (use tensor ops "
                           f"such as tf.where or masks instead)")


# -- code generation -------------------------------------------------------------------------------
def _lifetimes(tr: _Tracer, out_refs: list) -> tuple[set, dict]:
    """Which slots escape (returned, or aliased by a returned value) and, per step, the slots
    whose last use it is (to ``del`` them: frees memory and lets assign_* update in place)."""
    last: dict[int, int] = {}
    escaping = {r[1] for r in out_refs if r is not None and r[0] == "s"}
    alias_of: dict[int, list] = {}
    for i, st in enumerate(tr.steps):
        if st[0] == "op":
            ins = [r[1] for r in st[2] if r[0] == "s"]
            for s in ins:
                last[s] = i
            for o in st[3]:  # an output that may be (a view of) an input aliases it
                v = tr.meta[o]
                if isinstance(v, np.ndarray) and (v.base is not None or
                                                  any(v is tr.meta[s] for s in ins)):
                    alias_of.setdefault(o, []).extend(ins)
        elif st[0] == "assign":
            rs = [st[3][1], st[3][2]] if st[3][0] == "slices" else [st[3]]
            for r in rs:
                if r[0] == "s":
                    last[r[1]] = i
    todo = list(escaping)
    while todo:  # whatever a returned value may alias must not live in a reused buffer
        for s in alias_of.get(todo.pop(), ()):
            if s not in escaping:
                escaping.add(s)
                todo.append(s)
    dels: dict[int, list] = {}
    for s, i in last.items():
        if s not in escaping:
            dels.setdefault(i, []).append(f"s{s}")
    return escaping, dels


class _Plan:
    """The generated straight-line replay of one trace, and how to rebuild its outputs."""

    def __init__(self, tracer: _Tracer, n_inputs: int, out_structure: Any, out_refs: list,
                 use_buffers: bool):
        global _UFUNCS
        if _UFUNCS is None:
            _UFUNCS = _buffer_ufuncs()
        self.tr, self.use_buffers = tracer, use_buffers
        self.ns: dict[str, Any] = {"_ShapeChanged": _ShapeChanged}
        self.n_buffers = 0
        self._var_refs: list = []  # weak: a trace never keeps a Variable alive
        self._var_names: dict[int, str] = {}
        self.escaping, dels = _lifetimes(tracer, out_refs)
        lines: list[str] = []
        assigned = False  # has the replay changed a variable before this step?
        for i, st in enumerate(tracer.steps):
            if st[0] == "op":
                lines += self._op_lines(i, st, assigned)
            elif st[0] == "read":
                lines.append(f"    s{st[2]} = {self._var_name(st[1])}._value")
            else:
                lines.append(self._assign_line(st))
                assigned = True
            if i in dels:
                lines.append(f"    del {', '.join(dels[i])}")
        rets = ["None" if r is None else self._ref_name(r) for r in out_refs]
        params_src = ", ".join(f"s{i}" for i in range(n_inputs))
        body = "\n".join(lines) or "    pass"
        self.source = (f"def replay({params_src}):\n{body}\n"
                       f"    return ({', '.join(rets)}{',' if len(rets) == 1 else ''})\n")
        exec(compile(self.source, "<tapegrad.function replay>", "exec"), self.ns)
        self.run = self.ns["replay"]
        self.structure = out_structure
        self.validated = False
        self.checks_left = _CHECKED_REPLAYS
        self.n_ops = sum(1 for st in tracer.steps if st[0] == "op")
        del self.tr, self.ns

    @property
    def variables(self) -> list[Variable]:
        """The Variables the replay reads or assigns (ReferenceError if one was deleted)."""
        out = [r() for r in self._var_refs]
        if any(v is None for v in out):
            raise ReferenceError("a variable of this trace was deleted")
        return out

    def _ref_name(self, r) -> str:
        if r[0] == "s":
            return f"s{r[1]}"
        name = f"k{r[1]}"
        self.ns[name] = self.tr.consts[r[1]]
        return name

    def _var_name(self, v: Variable) -> str:
        if id(v) not in self._var_names:
            self._var_names[id(v)] = f"v{len(self._var_names)}"
            self.ns[self._var_names[id(v)]] = weakref.proxy(v)
            self._var_refs.append(weakref.ref(v))
        return self._var_names[id(v)]

    def _op_lines(self, i: int, st: tuple, assigned: bool) -> list[str]:
        """One op's replay line: into a reused buffer when an ``out=`` ufunc gives exactly the
        impl's values, else a call of the impl (with a shape check when values size it)."""
        _, prim, refs, slots, params, multi, trace_vals = st
        ns, meta = self.ns, self.tr.meta
        args = ", ".join(self._ref_name(r) for r in refs)
        target = ", ".join(f"s{s}" for s in slots) + ("," if multi and len(slots) == 1 else "")
        uf = _UFUNCS.get(prim) if self.use_buffers and not multi and not params else None
        v = meta[slots[0]]
        if (uf is not None and type(v) is np.ndarray and v.ndim and slots[0] not in
                self.escaping and _same_result(uf, trace_vals, v)):
            ns[f"f{i}"], ns[f"b{i}"] = uf, np.empty_like(v)
            self.n_buffers += 1
            return [f"    {target} = f{i}({args}, out=b{i})"]
        ns[f"f{i}"] = prim.impl
        if params:
            ns[f"p{i}"] = params
            args = f"{args}, **p{i}" if args else f"**p{i}"
        lines = [f"    {target} = f{i}({args})"]
        if prim not in _UFUNCS:
            # a non-elementwise op may size its output by values (a mask, say): the rest of
            # the trace is only valid for the traced shapes
            for s in slots:
                if type(meta[s]) is np.ndarray:
                    ns[f"h{s}"] = meta[s].shape
                    lines.append(f"    if s{s}.shape != h{s}: raise _ShapeChanged({assigned})")
        return lines

    def _assign_line(self, st: tuple) -> str:
        _, var, op, r = st
        if r[0] == "slices":
            self.ns["_IS"] = IndexedSlices
            value = f"_IS({self._ref_name(r[1])}, {self._ref_name(r[2])}, {r[3]!r})"
        else:
            value = self._ref_name(r)
        return f"    {self._var_name(var)}.{op}({value})"


def _same_result(uf, vals, ans) -> bool:
    try:
        buf = np.empty_like(ans)
        res = uf(*vals, out=buf)
    except Exception:  # noqa: BLE001 - any mismatch means: no buffer for this op
        return False
    return res.dtype == ans.dtype and res.shape == ans.shape and _equal(res, ans)


def _equal(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind in "fc":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


# -- outputs --------------------------------------------------------------------------------------
def _out_refs(x: Any, tr: _Tracer, refs: list) -> Any:
    """The returned structure with each tensor leaf replaced by its index into ``refs``."""
    if isinstance(x, Tensor):
        s = tr.slot_of.get(id(x))
        refs.append(("s", s) if s is not None else tr._ref(x))
        return _Leaf(len(refs) - 1)
    if isinstance(x, IndexedSlices):
        return _SlicesLeaf(_out_refs(x.values, tr, refs), _out_refs(x.indices, tr, refs),
                           x.dense_shape)
    if type(x) in (list, tuple):
        return type(x)(_out_refs(v, tr, refs) for v in x)
    if type(x) is dict:
        return {k: _out_refs(v, tr, refs) for k, v in x.items()}
    return x  # None, Python values, Variables: returned as they were at trace time


class _Leaf:
    __slots__ = ("i",)

    def __init__(self, i: int):
        self.i = i


class _SlicesLeaf:
    def __init__(self, values, indices, shape):
        self.values, self.indices, self.shape = values, indices, shape


def _build(s: Any, flat: tuple) -> Any:
    t = type(s)
    if t is _Leaf:
        out = _new(Tensor)
        v = flat[s.i]
        out._value = v.copy() if type(v) is np.ndarray and v.base is not None else v
        return out
    if t is _SlicesLeaf:
        return IndexedSlices(_build(s.values, flat), _build(s.indices, flat), s.shape)
    if t is list or t is tuple:
        return t(_build(v, flat) for v in s)
    if t is dict:
        return {k: _build(v, flat) for k, v in s.items()}
    return s


def _flat_values(x: Any, out: list) -> None:
    if isinstance(x, _Base):
        out.append(x._value)
    elif isinstance(x, IndexedSlices):
        _flat_values(x.values, out)
        _flat_values(x.indices, out)
    elif type(x) in (list, tuple):
        for v in x:
            _flat_values(v, out)
    elif type(x) is dict:
        for v in x.values():
            _flat_values(v, out)


def executing_eagerly() -> bool:
    """False while ``tapegrad.function`` traces a Python function, True otherwise
    (``tf.executing_eagerly``).

    >>> import tapegrad as tf
    >>> tf.executing_eagerly()
    True
    >>> bool(tf.function(lambda x: tf.constant(tf.executing_eagerly()))(tf.constant(1.0)))
    False
    """
    return not getattr(_INSIDE, "depth", 0)


def _forget(function_ref: Any, key: tuple) -> None:
    """A Variable named in ``key`` was deleted: its trace can never be called again."""
    f = function_ref()
    if f is not None:
        f._cache.pop(key, None)


_INSIDE = threading.local()  # depth of Function bodies running in this thread


def _run_body(fn: Callable, args: tuple, kwargs: dict) -> Any:
    """``fn(*args, **kwargs)`` as a Function's body: ``executing_eagerly()`` is False in it."""
    _INSIDE.depth = getattr(_INSIDE, "depth", 0) + 1
    try:
        return fn(*args, **kwargs)
    finally:
        _INSIDE.depth -= 1


# -- the decorator --------------------------------------------------------------------------------
class Function:
    """A Python function traced once per input signature and replayed (see :func:`function`)."""

    def __init__(self, python_function: Callable, input_signature: Any = None,
                 reduce_retracing: bool = False, buffers: bool = True, name: str | None = None):
        self.python_function = python_function
        self.input_signature = (None if input_signature is None else
                                [s if isinstance(s, TensorSpec) else TensorSpec(*s)
                                 for s in input_signature])
        self.reduce_retracing = bool(reduce_retracing)
        self._buffers = bool(buffers)
        self._cache: dict = {}
        self._traces = 0
        self._shape_traces: dict = {}
        self._relaxed: dict = {}  # reduce_retracing: skeleton -> generalised shapes
        self._warned_retrace = False
        self._lock = threading.Lock()
        functools.update_wrapper(self, python_function)
        self.__name__ = name or getattr(python_function, "__name__", "function")

    def experimental_get_tracing_count(self) -> int:
        """How many times the Python function has been traced."""
        return self._traces

    def get_concrete_function(self, *args: Any, **kwargs: Any) -> ConcreteFunction:
        """The function specialised to these arguments (``TensorSpec``s, tensors or Python
        values); calling it runs this Function. Tracing happens at its first call.

        >>> import tapegrad as tf
        >>> f = tf.function(lambda x: 2.0 * x)
        >>> cf = f.get_concrete_function(tf.TensorSpec([None], tf.float32))
        >>> cf(tf.constant([1.0, 2.0])).numpy()
        array([2., 4.], dtype=float32)
        """
        if not args and not kwargs and self.input_signature is not None:
            args = tuple(self.input_signature)
        return ConcreteFunction(self, args, kwargs)

    def __get__(self, instance: Any, owner: Any = None):
        if instance is None:
            return self
        return functools.partial(self, instance)

    def __call__(self, *args: Any, **kwargs: Any):
        if RUN_EAGERLY.on:  # tf.config.run_functions_eagerly(True): plain Python, as TF
            return self.python_function(*args, **kwargs)
        st = STATE
        if st.active:
            # Inside another trace the ops are traced there; under a tape or an accumulator the
            # call runs eagerly so that gradients flow through it.
            return _run_body(self.python_function, args, kwargs)
        if self.input_signature is not None:
            args = self._check_signature(args, kwargs)
        leaves: list = []
        key: list = []
        _flatten(args, leaves, key)
        if kwargs:
            key.append(tuple(kwargs))
            _flatten(list(kwargs.values()), leaves, key)
        key = tuple(key)
        plan = self._cache.get(key)
        if plan is None:
            return self._trace(key, args, kwargs, leaves)
        if plan is _EAGER:
            return _run_body(self.python_function, args, kwargs)
        inputs = [v._value if type(v) is Variable else v for v in leaves]
        if not plan.validated:
            return self._validate(key, plan, inputs, args, kwargs)
        try:
            with self._lock:  # buffers are shared: one replay at a time
                quiet = _quiet()  # one errstate for the whole replay, as bind sets per op
                try:
                    flat = plan.run(*inputs)
                finally:
                    _loud(quiet)
        except _ShapeChanged as e:
            return self._shape_changed(key, args, kwargs, after_assign=e.args[0])
        except ReferenceError:  # a variable the trace captured is gone: trace again
            self._cache.pop(key, None)
            return self._trace(key, args, kwargs, leaves)
        return _build(plan.structure, flat)

    def _shape_changed(self, key: tuple, args: tuple, kwargs: dict, after_assign: bool):
        self._cache[key] = _EAGER
        if after_assign:
            raise RuntimeError(f"tapegrad.function: in {self.__name__}, an op whose output shape "
                               f"depends on values gave a new shape after variables had been "
                               f"assigned in this call; those assignments stand. Later calls with "
                               f"this signature run eagerly.")
        warnings.warn(f"tapegrad.function: in {self.__name__}, an op's output shape depends on "
                      f"values and changed since tracing; calls with this input signature run "
                      f"eagerly.", stacklevel=3)
        return _run_body(self.python_function, args, kwargs)

    def _check_signature(self, args: tuple, kwargs: dict) -> tuple:
        sig = self.input_signature
        if kwargs or len(args) != len(sig):
            raise TypeError(f"{self.__name__}: input_signature has {len(sig)} tensor arguments "
                            f"but the call passed {len(args)} positional and {len(kwargs)} "
                            f"keyword arguments.")
        out = []
        for i, (a, spec) in enumerate(zip(args, sig, strict=False)):
            v = a if isinstance(a, _Base) else Tensor(convert_raw(a, spec.dtype))
            if not spec.is_compatible_with(v):
                raise ValueError(f"{self.__name__}: argument {i} has shape "
                                 f"{list(v._value.shape)} and dtype {v.dtype.name}, which does "
                                 f"not match its input_signature {spec}.")
            out.append(v)
        return tuple(out)

    def _trace(self, key: tuple, args: tuple, kwargs: dict, leaves: list):
        if self._counts_as_trace(key):
            self._traces += 1
        self._note_retrace(key)
        inputs = [v._value if type(v) is Variable else v for v in leaves]
        tr = _Tracer(len(leaves))
        it = iter(inputs)
        targs = _rebuild(args, it)
        tkwargs = {k: _rebuild(v, it) for k, v in kwargs.items()}
        slot = 0
        for x in _walk(targs, tkwargs):
            if type(x) is Tensor:
                tr.add_input(x, slot)
            slot += 1
        push_listener(tr)
        try:
            result = _run_body(self.python_function, targs, tkwargs)
        finally:
            pop_listener(tr)
        if tr.failed is not None:
            self._cache[key] = _EAGER
            warnings.warn(f"tapegrad.function: {self.__name__} cannot be traced: {tr.failed}. "
                          f"Calls with this input signature run eagerly.", stacklevel=3)
            return result
        refs: list = []
        structure = _out_refs(result, tr, refs)
        self._keep(key, _Plan(tr, len(leaves), structure, refs, self._buffers), leaves)
        return result

    def _keep(self, key: tuple, plan: Any, leaves: list) -> None:
        """Cache ``plan`` under ``key``: dropped when a Variable in the key is deleted (the
        key names it by id), and the oldest dropped beyond ``_MAX_SIGNATURES``."""
        while len(self._cache) >= _MAX_SIGNATURES:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = plan
        me = weakref.ref(self)
        for v in leaves:
            if type(v) is Variable:
                weakref.finalize(v, _forget, me, key)

    def _counts_as_trace(self, key: tuple) -> bool:
        """Whether TF would trace for this key. With ``reduce_retracing`` TF traces the first
        shapes exactly, then once more with the differing dims relaxed to None (a different
        rank: to an unknown rank), and reuses that trace for every compatible shape. tapegrad
        still specialises its plans on shapes, but counts traces as TF does."""
        if not self.reduce_retracing:
            return True
        shapes = [k[0] for k in key if type(k) is tuple and len(k) == 2 and
                  isinstance(k[0], tuple)]
        skeleton = tuple(("T", k[1]) if type(k) is tuple and len(k) == 2 and
                         isinstance(k[0], tuple) else k for k in key)
        seen = self._relaxed.get(skeleton)
        if seen is None:
            self._relaxed[skeleton] = shapes
            return True
        if all(_shape_fits(s, t) for s, t in zip(seen, shapes, strict=True)):
            return False
        self._relaxed[skeleton] = [_relaxed_shape(s, t) for s, t in zip(seen, shapes,
                                                                          strict=True)]
        return True

    def _note_retrace(self, key: tuple) -> None:
        if self._traces < _RETRACE_WARN_AT or self._warned_retrace:
            return
        if self.reduce_retracing or self.input_signature is not None:
            # traces are specialised on shapes; only retracing for other reasons counts here
            shapeless = tuple(k if not (type(k) is tuple and len(k) == 2 and
                                        isinstance(k[0], tuple)) else ("T", k[1]) for k in key)
            n = self._shape_traces.setdefault(shapeless, 0) + 1
            self._shape_traces[shapeless] = n
            if len(self._shape_traces) < _RETRACE_WARN_AT:
                return
        self._warned_retrace = True
        warnings.warn(f"tapegrad.function: {self.__name__} has been traced {self._traces} times. "
                      f"Tracing is expensive; retracing happens for every new input shape, dtype "
                      f"or Python argument value. Pass tensors instead of Python numbers, or fix "
                      f"shapes with input_signature.", stacklevel=4)

    def _validate(self, key: tuple, plan: _Plan, inputs: list, args: tuple, kwargs: dict):
        """Run the first replay beside an eager call from the same state; keep the faster only
        if they agree exactly."""
        variables = plan.variables
        saved = [np.array(v._value) for v in variables]
        rng = _rng_state()
        quiet = _quiet()
        try:
            flat = plan.run(*inputs)
        except _ShapeChanged:
            for v, s in zip(variables, saved, strict=False):
                v._value = s
            _rng_restore(rng)
            return self._shape_changed(key, args, kwargs, after_assign=False)
        finally:
            _loud(quiet)
        replayed = [np.array(v._value) for v in variables]
        for v, s in zip(variables, saved, strict=False):
            v._value = s
        _rng_restore(rng)
        result = _run_body(self.python_function, args, kwargs)
        eager_flat: list = []
        _flat_values(result, eager_flat)
        replay_flat: list = []
        _flat_values(_build(plan.structure, flat), replay_flat)
        same = (len(eager_flat) == len(replay_flat) and
                all(_equal(a, b) for a, b in zip(eager_flat, replay_flat, strict=False)) and
                all(_equal(a, v._value) for a, v in zip(replayed, variables, strict=False)))
        if same:
            plan.checks_left -= 1
            plan.validated = plan.checks_left <= 0
        else:
            self._cache[key] = _EAGER
            warnings.warn(f"tapegrad.function: replaying {self.__name__} gave different values "
                          f"from running it eagerly: it computes something outside tapegrad's "
                          f"primitives (random draws, NumPy on an input's value, Python side "
                          f"effects) that tracing froze. Calls with this input signature run "
                          f"eagerly.", stacklevel=3)
        return result


class ConcreteFunction:
    """A :class:`Function` for one input signature (``get_concrete_function``'s result)."""

    def __init__(self, function: Function, args: tuple, kwargs: dict):
        self.function = function
        self.structured_input_signature = (args, kwargs)
        self.name = function.__name__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        want, _ = self.structured_input_signature
        for i, (a, spec) in enumerate(zip(args, want, strict=False)):
            if isinstance(spec, TensorSpec) and not spec.is_compatible_with(a):
                raise ValueError(f"{self.name}: argument {i} does not match the concrete "
                                 f"function's {spec}.")
        return self.function(*args, **kwargs)


def _shape_fits(relaxed: Any, shape: tuple) -> bool:
    """Whether ``shape`` fits a relaxed shape (None dims, or None for an unknown rank)."""
    return relaxed is None or (len(relaxed) == len(shape) and
                               all(r is None or r == d for r, d in zip(relaxed, shape)))


def _relaxed_shape(relaxed: Any, shape: tuple) -> Any:
    """The most specific shape both fit: differing dims None, differing ranks unknown."""
    if relaxed is None or len(relaxed) != len(shape):
        return None
    return tuple(r if r == d else None for r, d in zip(relaxed, shape))


def _rng_state() -> tuple:
    """The global and per-op-seed random generators with their states (to rerun a call)."""
    gens = list(getattr(_random, "_GEN", []))
    streams = dict(getattr(_random, "_SEEDS", {}).get("streams", {}))
    generators = [(g, np.array(g.state._value)) for g in list(_random_generator.LIVE)]
    return gens, streams, [g.bit_generator.state for g in gens + list(streams.values())], \
        generators


def _rng_restore(saved: tuple) -> None:
    gens, streams, states, generators = saved
    for g, st in generators:  # tf.random.Generator objects
        g.state._value[...] = st
    if gens:
        _random._GEN[:] = gens
    if hasattr(_random, "_SEEDS"):
        _random._SEEDS["streams"] = streams
    for g, st in zip(gens + list(streams.values()), states, strict=False):
        g.bit_generator.state = st


def _walk(args: tuple, kwargs: dict):
    """The leaves of the rebuilt arguments, in ``_flatten`` order."""
    def walk(x):
        t = type(x)
        if t is Tensor or isinstance(x, Variable):
            yield x
        elif t is list or t is tuple:
            for v in x:
                yield from walk(v)
        elif t is dict:
            for v in x.values():
                yield from walk(v)
    yield from walk(args)
    if kwargs:
        yield from walk(list(kwargs.values()))


def function(func: Callable | None = None, input_signature: Any = None, autograph: bool = True,
             jit_compile: Any = None, reduce_retracing: bool = False,
             experimental_relax_shapes: Any = None, name: str | None = None,
             buffers: bool = True) -> Any:
    """Trace ``func`` once per input signature and replay it fast (``tf.function``).

    Usable as ``@function``, ``@function(input_signature=[...])`` or ``function(f)``. The
    signature is the shapes and dtypes of tensor (and NumPy-array) arguments, the identity of
    Variable arguments and the values of other Python arguments. Python control flow runs once,
    at trace time; reading a traced value in Python makes that signature run eagerly (with a
    warning). ``buffers=False`` turns off the reuse of output buffers between calls.

    >>> import tapegrad as tf
    >>> w = tf.Variable(2.0)
    >>> @tf.function
    ... def step(x):
    ...     with tf.GradientTape() as tape:
    ...         loss = (w * x - 1.0) ** 2
    ...     w.assign_sub(0.1 * tape.gradient(loss, w))
    ...     return loss
    >>> [round(float(step(tf.constant(1.0))), 4) for _ in range(3)]
    [1.0, 0.64, 0.4096]
    >>> step.experimental_get_tracing_count()
    1
    """
    if reduce_retracing is False and experimental_relax_shapes:
        reduce_retracing = True

    def wrap(f):
        return Function(f, input_signature, reduce_retracing, buffers, name)
    return wrap if func is None else wrap(func)
