"""Every public op, fed bad input, refuses it with a TF error class whose message names the op.

The ops are found, not listed: every function of the op faces (``tf``, ``tf.math``, ``tf.nn``,
``tf.linalg``, ``tf.image``, ``tf.random``, ``tf.signal``, ``tf.strings``, ``tf.sparse``,
``tf.ragged``), so a new op falls under this test the day it is added. For each op a *good*
call is harvested — the first call that succeeds in the op's docstring examples, the dtype
table's expressions (``tests/dtype_cases.py``) or the gradient tables (``tests/ops``) — and then
each argument of that call is spoiled in turn:

=========  ======================================================  ==========================
probe      the argument becomes                                     required outcome
=========  ======================================================  ==========================
none       ``None`` (only where the parameter has no None default)  must raise
string     ``"abc"`` in place of a number or an int parameter       must raise for an int
                                                                    parameter
dtype      the tensor cast to int32 / bool / complex64 / float64    may work
rank       the tensor with an extra leading axis of 2               may work
scalar     the tensor's first element alone (rank 0)                may work
empty      the tensor with a first dimension of 0                   may work
nan        a float tensor full of NaN                               may work
negative   a Python int turned to -3                                may work
huge       a Python int turned to 2**40                             may work
fraction   a Python int turned to 1.5                               may work
=========  ======================================================  ==========================

Whatever is raised must be ``TypeError``, ``ValueError`` (``InvalidArgumentError`` is one) or
another ``tf.errors`` class, and its message must name the op (its public name or the name of
the function that implements it) — never a bare message from inside NumPy. NumPy warnings are
errors in this suite, so an op that warns on NaN or empty input fails here too. "May work"
means TensorFlow accepts such input for some ops (NaN propagates, empty tensors reduce); the
dtype table checks which dtypes TF refuses.

Three small lists say where the rule bends, each with its reason: ``ACCEPTS`` (TF 2.21 accepts
the input, checked), ``TF_OWN_CLASSES`` (TF's own ``AttributeError``) and ``TF_TEXT`` (ops
that raise TF's exact message text, or the user function's own error). Control flow ops run
the user's functions, whose errors name the ops those functions called. The open cases are
in ``test_bad_input_known.txt``, which only shrinks.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib
import inspect
import io
import os
import pkgutil
from typing import Any

import numpy as np
import pytest

import tapegrad as tf
import tests.ops as family_tests
from tapegrad.engine.registry import Primitive
from tests.dtype_cases import CASES as DTYPE_CASES
from tests.dtype_cases import run as run_dtype_case

FACES = {"tf": tf, "tf.math": tf.math, "tf.nn": tf.nn, "tf.linalg": tf.linalg,
         "tf.image": tf.image, "tf.random": tf.random, "tf.signal": tf.signal,
         "tf.strings": tf.strings, "tf.sparse": tf.sparse, "tf.ragged": tf.ragged}

NOT_OPS = {  # public functions that take no tensor input to spoil
    "executing_eagerly", "no_op", "get_logger", "name_scope", "device", "function",
    "custom_gradient", "recompute_grad", "print", "Assert",
}

ACCEPTS: dict[tuple[str, str], str] = {  # TF 2.21 accepts these (checked), so they may pass
    ("tf.is_tensor", "none"): "is_tensor(None) is False",
    ("tf.random.set_seed", "none"): "set_seed(None) clears the global seed",
    ("tf.image.draw_bounding_boxes", "none"): "colors=None draws in the default colours",
    ("tf.image.sample_distorted_bounding_box", "none"): "seed=None draws an unseeded box",
}
# TF raises AttributeError (not TypeError) for an image of a non-numeric dtype in
# tf.image.convert_image_dtype and the ops built on it; that is TF's class, so it is allowed.
TF_OWN_CLASSES = (AttributeError,)
# These raise TF's exact message text, which does not name the op (ported code may match it):
# the assertions ("Condition x == y did not hold ..."), and py_function/numpy_function, whose
# errors are the user function's own.
TF_TEXT = {"tf.assert_equal", "tf.assert_greater", "tf.assert_less", "tf.assert_rank",
           "tf.py_function", "tf.numpy_function"}

with open(os.path.join(os.path.dirname(__file__), "test_bad_input_known.txt")) as _f:
    KNOWN = {tuple(line.split()) for line in _f if line.strip() and not line.startswith("#")}


def _public_ops() -> dict[int, tuple[str, Any, list]]:
    """id(op) -> (first public name, op, [(face, name), ...] for each place it is exported)."""
    ops: dict[int, tuple[str, Any, list]] = {}
    for space, face in FACES.items():
        for name in sorted(dir(face)):
            obj = getattr(face, name)
            if name.startswith("_") or name in NOT_OPS or inspect.isclass(obj):
                continue
            if inspect.isfunction(obj) or isinstance(obj, Primitive):
                ops.setdefault(id(obj), (f"{space}.{name}", obj, []))[2].append((face, name))
    return ops


OPS = _public_ops()


@contextlib.contextmanager
def _recording(calls: dict):
    """Replace every public op in the faces by a wrapper that keeps its first successful
    call made from outside any other public op."""
    depth = [0]

    def wrap(key, fn):
        def recorder(*args, **kwargs):
            depth[0] += 1
            try:
                out = fn(*args, **kwargs)
            finally:
                depth[0] -= 1
            if depth[0] == 0 and key not in calls:
                calls[key] = (args, kwargs)
            return out
        return recorder

    for key, (_, obj, places) in OPS.items():
        for face, name in places:
            setattr(face, name, wrap(key, obj))
    try:
        yield
    finally:
        for _, obj, places in OPS.values():
            for face, name in places:
                setattr(face, name, obj)


def _docstring_examples() -> None:
    modules = {f.__name__ for f in FACES.values()}
    for _, obj, _ in OPS.values():
        modules.add((obj.impl if isinstance(obj, Primitive) else obj).__module__)
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner()
    for name in sorted(modules):
        for test in finder.find(importlib.import_module(name)):
            with contextlib.redirect_stdout(io.StringIO()):  # globals kept: lambdas live on
                runner.run(test, out=lambda _: None, clear_globs=False)


def _table_expressions() -> None:
    for expression in DTYPE_CASES.values():
        for dtype in ("float32", "int32", "bool"):
            with contextlib.suppress(Exception):
                run_dtype_case(tf, expression, dtype)
                break


def _gradient_cases() -> None:
    for mod in pkgutil.iter_modules(family_tests.__path__):
        for case in getattr(importlib.import_module(f"tests.ops.{mod.name}"), "GRAD_CASES", []):
            with contextlib.suppress(Exception):
                case.f(*[tf.constant(a) for a in case.args_for(case.shapes[0])])


def _harvest() -> dict:
    calls: dict = {}
    with _recording(calls), np.errstate(all="ignore"), \
            __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        for source in (_docstring_examples, _table_expressions, _gradient_cases):
            source()
    return calls


GOOD_CALLS = _harvest()


def _image_bytes(fmt: str) -> bytes:
    from PIL import Image  # reason: the image codecs need the `image` extra's Pillow
    out = io.BytesIO()
    Image.fromarray(np.arange(48, dtype=np.uint8).reshape(4, 4, 3)).save(out, format=fmt)
    return out.getvalue()


EXTRA_CALLS = {  # ops no docstring, dtype case or gradient case calls through a face
    "tf.assert_equal": lambda: ((tf.constant([1, 2]), tf.constant([1, 2])), {}),
    "tf.assert_greater": lambda: ((tf.constant([2, 3]), tf.constant([1, 2])), {}),
    "tf.assert_less": lambda: ((tf.constant([1, 2]), tf.constant([2, 3])), {}),
    "tf.assert_rank": lambda: ((tf.constant([1, 2]), 1), {}),
    "tf.image.decode_bmp": lambda: ((_image_bytes("BMP"),), {}),
    "tf.image.decode_gif": lambda: ((_image_bytes("GIF"),), {}),
    "tf.image.decode_image": lambda: ((_image_bytes("PNG"),), {}),
    "tf.image.decode_jpeg": lambda: ((_image_bytes("JPEG"),), {}),
    "tf.image.decode_png": lambda: ((_image_bytes("PNG"),), {}),
    "tf.image.encode_jpeg": lambda: ((tf.constant(np.zeros((4, 4, 3), np.uint8)),), {}),
    "tf.image.encode_png": lambda: ((tf.constant(np.zeros((4, 4, 3), np.uint8)),), {}),
    "tf.image.is_jpeg": lambda: ((_image_bytes("JPEG"),), {}),
}


def _good_call(key: int) -> tuple[tuple, dict] | None:
    qualname = OPS[key][0]
    if key in GOOD_CALLS:
        return GOOD_CALLS[key]
    return EXTRA_CALLS[qualname]() if qualname in EXTRA_CALLS else None


def test_every_public_op_has_a_good_call():
    missing = sorted(q for key, (q, _, _) in OPS.items()
                     if key not in GOOD_CALLS and q not in EXTRA_CALLS)
    assert not missing, ("no docstring example, dtype-table expression or gradient case calls "
                         f"these through a face: {missing}")


# -- the probes ----------------------------------------------------------------------------------
def _signature(op: Any) -> inspect.Signature:
    return inspect.signature(op.impl if isinstance(op, Primitive) else op)


def _is_numbers(value: Any) -> bool:
    """A tensor, an array or a (nested) list of numbers: something an op reads as a tensor."""
    if isinstance(value, (tf.Tensor, tf.Variable, np.ndarray, np.generic)):
        return True
    if isinstance(value, (list, tuple)) and value:
        with contextlib.suppress(Exception):
            return np.asarray(value).dtype.kind in "biufc"
    return False


def _as_array(value: Any) -> np.ndarray:
    return np.asarray(value.numpy() if isinstance(value, (tf.Tensor, tf.Variable)) else value)


def _tensor_probes(value: Any) -> list[tuple[str, Any, bool]]:
    """(probe, spoiled value, must raise) for a tensor-like argument."""
    a = _as_array(value)
    probes = [("string", "abc", False),
              ("rank", tf.constant(a[None].repeat(2, 0)), False),
              ("scalar", tf.constant(a.reshape(-1)[0] if a.size else a.dtype.type(0)), False),
              ("empty", tf.constant(np.zeros((0,) + a.shape[1:], a.dtype)), False)]
    for dtype in (np.int32, np.bool_, np.complex64, np.float64):
        if a.dtype != dtype and a.dtype.kind in "biufc":
            real = a.real if a.dtype.kind == "c" and np.dtype(dtype).kind != "c" else a
            with np.errstate(all="ignore"):  # inf -> int32 is some integer: any will do
                cast = real.astype(dtype)
            probes.append((f"dtype {np.dtype(dtype).name}", tf.constant(cast), False))
    if a.dtype.kind == "f":
        probes.append(("nan", tf.constant(np.full(a.shape, np.nan, a.dtype)), False))
    return probes


def _int_probes() -> list[tuple[str, Any, bool]]:
    return [("string", "abc", True), ("negative", -3, False), ("huge", 2 ** 40, False),
            ("fraction", 1.5, False)]


def _probes(op: Any, args: tuple, kwargs: dict):
    """Yield (argument label, probe, call arguments, must raise) for each spoiled argument."""
    sig = _signature(op)
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError:
        return
    for pname, value in list(bound.arguments.items()):
        param = sig.parameters[pname]
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD) or pname == "name":
            continue
        if isinstance(value, bool) or not (_is_numbers(value) or isinstance(value, (int, float))):
            continue
        probes = (_int_probes() if isinstance(value, int) else
                  [("string", "abc", False), ("nan", float("nan"), False)]
                  if isinstance(value, float) else _tensor_probes(value))
        if param.default is param.empty or param.default is not None:
            probes.insert(0, ("none", None, True))
        for probe, spoiled, must_raise in probes:
            bound.arguments[pname] = spoiled
            yield pname, probe, (bound.args, bound.kwargs), must_raise
        bound.arguments[pname] = value


def _names(key: int) -> set[str]:
    _, op, places = OPS[key]
    names = {name for _, name in places}
    names.add(op.name if isinstance(op, Primitive) else op.__name__.lstrip("_"))
    return names


ALL_NAMES = {name for _, _, places in OPS.values() for _, name in places}


def _takes_functions(args: tuple, kwargs: dict) -> bool:
    """Control flow (map_fn, cond, ...): the user's functions run inside, and their errors
    name the ops those functions called."""
    flat = list(args) + list(kwargs.values())
    flat += [b for a in flat if isinstance(a, (list, tuple, dict))
             for b in (a.values() if isinstance(a, dict) else a)]
    flat += [c for b in flat if isinstance(b, tuple) for c in b]
    return any(inspect.isfunction(a) for a in flat)


def _verdict(key: int, call, must_raise: bool) -> str | None:
    """None when the op behaved, else what went wrong."""
    op = OPS[key][1]
    args, kwargs = call
    names = ALL_NAMES if _takes_functions(args, kwargs) else _names(key)
    try:
        op(*args, **kwargs)
    except (TypeError, ValueError, tf.errors.OpError, *TF_OWN_CLASSES) as e:
        if OPS[key][0] not in TF_TEXT and not any(n in str(e) for n in names):
            return f"{type(e).__name__} not naming the op: {str(e)[:150]!r}"
        return None
    except Exception as e:  # noqa: BLE001 - the point: any other class is a failure
        return f"{type(e).__name__}: {str(e)[:150]!r}"
    return "accepted it" if must_raise else None


@pytest.mark.parametrize("key", sorted(OPS, key=lambda k: OPS[k][0]),
                         ids=[OPS[k][0] for k in sorted(OPS, key=lambda k: OPS[k][0])])
def test_bad_input_is_refused_naming_the_op(key):
    qualname = OPS[key][0]
    good = _good_call(key)
    if good is None:
        pytest.skip("no good call (test_every_public_op_has_a_good_call fails for it)")
    bad, mended = [], []
    for pname, probe, call, must_raise in _probes(OPS[key][1], *good):
        why = _verdict(key, call, must_raise and (qualname, probe) not in ACCEPTS)
        known = (qualname, pname, probe.replace(" ", "-")) in KNOWN
        if why and not known:
            bad.append(f"{pname} <- {probe}: {why}")
        elif known and not why:
            mended.append(f"{pname} <- {probe}")
    assert not bad, f"{qualname}:\n  " + "\n  ".join(bad)
    assert not mended, f"{qualname} now refuses these well: remove them from " \
                       f"test_bad_input_known.txt: {mended}"
