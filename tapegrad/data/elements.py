"""Dataset elements inside a pipeline: nested structures of NumPy arrays (text as object
arrays of ``bytes``; ragged and sparse leaves as they are), turned into tapegrad tensors where
the user sees them, with the specs and NumPy values TF gives.
"""

from __future__ import annotations

import contextvars
from typing import Any, Callable, Iterator

import numpy as np

from ..engine import dtypes as _dt
from ..engine import nest
from ..engine.convert import constant
from ..engine.tensor import _Base
from ..function import TensorSpec
from .composite import RaggedRow, RaggedRows, composite_numpy, composite_spec, is_composite
from .options import Options

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2
_END = object()


def _is_dataset(x: Any) -> bool:
    """Whether ``x`` is a Dataset (a window's element), known by its iterator factory."""
    return hasattr(x, "_iter") and hasattr(x, "_cardinality")


# The options of the dataset being iterated, set around each ``next`` of a user-facing iterator:
# TF applies a pipeline's options to every stage, upstream of ``with_options`` or not.
_PASS_OPTIONS: contextvars.ContextVar[Options | None] = contextvars.ContextVar(
    "tapegrad.data.pass_options", default=None)


def _next_with_options(it: Iterator[Any], options: Options) -> Any:
    """``next(it)`` with ``options`` visible to the stages that start during the call."""
    token = _PASS_OPTIONS.set(options)
    try:
        return next(it, _END)
    finally:
        _PASS_OPTIONS.reset(token)


def _to_numpy(x: Any) -> np.ndarray:
    """One leaf as NumPy with TF's default dtypes (Python float -> float32, int -> int32);
    text as arrays of Python ``bytes`` (dtype object, as tapegrad's ``tf.string`` tensors
    hold them; readers may give NumPy ``S`` arrays, treated alike)."""
    if isinstance(x, _Base):
        return _bytes_if_text(np.asarray(x._value))
    if _is_dataset(x) or is_composite(x):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        return _bytes_if_text(np.asarray(x))
    if _is_text(x):
        return _bytes_if_text(np.asarray(x, dtype=object))
    return constant(x).numpy()


def _is_text(x: Any) -> bool:
    while isinstance(x, list) and x:
        x = x[0]
    return isinstance(x, (str, bytes))


def _bytes_if_text(a: np.ndarray) -> np.ndarray:
    """Text leaves as object arrays of ``bytes`` (str encoded as UTF-8); others as they are."""
    if a.dtype.kind == "U" or (a.dtype.kind == "O" and a.size and isinstance(
            a.flat[0], (str, bytes))):
        out = np.empty(a.shape, dtype=object)
        out.ravel()[:] = [v.encode() if isinstance(v, str) else bytes(v) for v in a.flat]
        return out
    return a


def _is_string(a: Any) -> bool:
    """Whether a pipeline leaf holds text (object arrays of bytes, or NumPy ``S``)."""
    return isinstance(a, (np.ndarray, np.generic)) and a.dtype.kind in "SO"


def _user_leaf(a: Any) -> Any:
    """A leaf for the user: a tapegrad tensor (``tf.string`` for text, as TF's); ragged and
    sparse leaves as they are."""
    if _is_dataset(a) or is_composite(a):
        return a
    if isinstance(a, RaggedRow):  # a row of a RaggedTensor is a dense tensor, as in TF
        a = a.view(np.ndarray)
    return constant(a.astype(object) if a.dtype.kind == "S" else a)


def _numpy_value(a: Any) -> Any:
    """A leaf as TF's ``as_numpy_iterator`` gives it: a NumPy scalar for a 0-d number,
    Python ``bytes`` for a 0-d string, an object array of ``bytes`` for strings."""
    if _is_dataset(a):
        return a
    if is_composite(a):
        return composite_numpy(a)
    if _is_string(a):
        a = np.asarray(a)
        return bytes(a[()]) if a.ndim == 0 else a.astype(object)
    if isinstance(a, np.generic):
        return a
    return a[()] if a.ndim == 0 else a.view(np.ndarray)


def _row(a: np.ndarray, i: int) -> Any:
    """Row ``i`` of a leaf, an array even for text (``a[i]`` of an object array is the
    ``bytes`` object itself)."""
    if isinstance(a, RaggedRows):  # the rows of a RaggedTensor
        return a[i]
    return a[i, ...] if a.dtype.kind == "O" else a[i]


def _to_user(element: Any) -> Any:
    """An element as the user sees it: tapegrad tensors (windows stay datasets)."""
    return nest.map_structure(_user_leaf, element)


def _tensor_spec(shape: Any, np_dtype: np.dtype) -> TensorSpec:
    if np.dtype(np_dtype).kind in "SO":
        return TensorSpec(shape, _dt.string)
    return TensorSpec(shape, _dt.as_dtype(np_dtype))


def _spec_of(element: Any, batch_dim: bool = False) -> Any:
    def spec(a: np.ndarray) -> Any:
        if is_composite(a) or isinstance(a, RaggedRow):
            return composite_spec(a)
        return _tensor_spec(a.shape[1:] if batch_dim else a.shape, a.dtype)
    return nest.map_structure(spec, element)


def _normalize(element: Any) -> Any:
    """A structure's leaves as NumPy; lists are tensors, as TF packs them (tuples, dicts nest)."""
    if isinstance(element, dict):
        return type(element)((k, _normalize(v)) for k, v in element.items())
    if isinstance(element, tuple):
        parts = [_normalize(v) for v in element]
        return type(element)(*parts) if hasattr(element, "_fields") else tuple(parts)
    return _to_numpy(element)


def _call(fn: Callable, element: Any) -> Any:
    """``fn`` on one element the way TF calls it: tuples are unpacked into arguments."""
    user = _to_user(element)
    if isinstance(user, tuple) and not hasattr(user, "_fields"):
        return fn(*user)
    return fn(user)
