"""Weights files: ``save_weights`` / ``load_weights`` in ``.npz`` (or ``.safetensors``).

A file holds one array per variable, keyed ``"<index>/<variable name>"`` in ``variables``
order, plus a ``__tapegrad_weights__`` marker. Loading matches variables by position and
checks each name (ignoring the ``_1``, ``_2`` suffixes that make layer names unique within a
process, so a freshly built copy of the model loads the file), shape and dtype, naming the first
variable that differs.

Writes are atomic: the data goes to a temporary file in the same folder, which then replaces
the target with ``os.replace`` — a crash mid-write leaves the old file as it was. Reading
never unpickles (``allow_pickle=False``).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from typing import Any

import numpy as np

from ..engine.atomic import check_zip_member, write_atomic
from ..engine.variable import Variable
from . import saving_h5 as _h5
from .saving_keras import load_model, save_model
from .serialization import (CustomObjectScope, custom_object_scope,
                            deserialize_keras_object, get_custom_objects,
                            get_registered_name, get_registered_object,
                            register_keras_serializable, serialize_keras_object)

__all__ = ["save_weights", "load_weights", "save_model", "load_model",
           "register_keras_serializable", "get_registered_name", "get_registered_object",
           "get_custom_objects", "CustomObjectScope", "custom_object_scope",
           "serialize_keras_object", "deserialize_keras_object"]

MARKER = "__tapegrad_weights__"
FORMAT = "tapegrad-weights/1"


def _variables(obj: Any) -> list[Variable]:
    if hasattr(obj, "variables"):
        vs = obj.variables
        return list(vs() if callable(vs) else vs)
    return list(obj)


def _kind(path: str) -> str:
    p = str(path)
    if p.endswith(".h5"):
        return "h5"
    if p.endswith(".npz"):
        return "npz"
    if p.endswith(".safetensors"):
        return "safetensors"
    raise ValueError(f"save_weights/load_weights: {p!r} must end in '.weights.h5' (Keras 3's "
                     f"layout, needs h5py), '.npz' or '.safetensors'.")


def _safetensors() -> Any:
    try:
        from safetensors import numpy as st
    except ImportError:
        raise ImportError("Writing or reading '.safetensors' files needs the safetensors "
                          "package: pip install safetensors (or \"tapegrad[safetensors]\"); "
                          "'.npz' needs nothing.") from None
    return st


def _key(i: int, v: Variable) -> str:
    return f"{i}/{v.name}"


def _encode(arrays: dict, kind: str) -> bytes:
    """The file's bytes (built in memory, so a failure leaves nothing half-written)."""
    if kind == "npz":
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        return buf.getvalue()
    st = _safetensors()
    marker = arrays.pop(MARKER)
    return st.save({k: np.ascontiguousarray(v) for k, v in arrays.items()},
                   metadata={"format": marker.tobytes().decode()})


def save_weights(model: Any, filepath: str, overwrite: bool = True) -> None:
    """Save every variable of ``model`` (a Layer/Model, or a list of Variables) to ``filepath``.

    >>> import os, tempfile, tapegrad as tf
    >>> layer = tf.keras.layers.Dense(2); _ = layer(tf.ones((1, 3)))
    >>> path = os.path.join(tempfile.mkdtemp(), "dense.npz")
    >>> tf.keras.saving.save_weights(layer, path)
    >>> layer.kernel.assign(tf.zeros((3, 2)))  # doctest: +ELLIPSIS
    <...>
    >>> tf.keras.saving.load_weights(layer, path)
    >>> bool((layer.kernel.numpy() != 0).any())
    True
    """
    kind = _kind(filepath)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save_weights: {filepath!r} exists and overwrite=False.")
    if kind == "h5":
        _h5.save_weights_h5(model, filepath)
        return
    variables = _variables(model)
    arrays: dict[str, np.ndarray] = {_key(i, v): np.asarray(v._value)
                                     for i, v in enumerate(variables)}
    arrays[MARKER] = np.frombuffer(FORMAT.encode(), dtype=np.uint8)
    write_atomic(filepath, _encode(arrays, kind))


def _read(path: str, kind: str) -> dict[str, np.ndarray]:
    if not os.path.exists(path):
        raise FileNotFoundError(f"load_weights: no such file {path!r}.")
    if kind == "safetensors":
        st = _safetensors()
        try:
            data = dict(st.load_file(path))
            from safetensors import safe_open
            with safe_open(path, framework="numpy") as f:
                meta = f.metadata() or {}
        except Exception as e:  # the library's own errors for a damaged header
            raise ValueError(f"load_weights: {path!r} is not a readable safetensors file "
                             f"(truncated or damaged?): {e}") from None
        if meta.get("format") != FORMAT:
            raise ValueError(f"load_weights: {path!r} was not written by tapegrad's "
                             f"save_weights (no '{FORMAT}' format entry).")
        return data
    try:
        # our own handle: np.load(path) leaves its file open when a damaged archive raises
        with open(path, "rb") as fh:
            f = np.load(fh, allow_pickle=False)
            if not isinstance(f, np.lib.npyio.NpzFile):
                raise ValueError("a single .npy array, not an .npz archive")
            names = list(f.files)
            if MARKER not in names:
                raise _Foreign(names)
            _check_sizes(f.zip, os.path.getsize(path))
            return {k: f[k] for k in names if k != MARKER}
    except _Foreign as e:
        raise ValueError(f"load_weights: {path!r} was not written by tapegrad's save_weights "
                         f"(it holds {e.names[:5]}{' …' if len(e.names) > 5 else ''} and no "
                         f"'{MARKER}' entry).") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as e:
        raise ValueError(f"load_weights: {path!r} is not a readable weights file (truncated, "
                         f"damaged, or not an .npz archive): {e}") from None


def _check_sizes(archive: zipfile.ZipFile, file_bytes: int) -> None:
    """Before anything is allocated: every member's sizes must be possible for a file of
    ``file_bytes`` (``check_zip_member``), and every array's header must claim no more bytes
    than its member holds (a tiny file must not make NumPy allocate terabytes)."""
    for info in archive.infolist():
        check_zip_member(info, file_bytes, "load_weights")
        with archive.open(info) as member:
            version = np.lib.format.read_magic(member)
            read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                    else np.lib.format.read_array_header_2_0)
            shape, _, dtype = read(member, max_header_size=10_000)
            if dtype.hasobject:
                raise ValueError(f"member {info.filename!r} holds Python objects (refused: "
                                 f"they would need unpickling)")
            need = int(np.prod(shape, dtype=object)) * dtype.itemsize
            if need > info.file_size:
                raise ValueError(f"member {info.filename!r} declares shape {list(shape)} "
                                 f"({need} bytes) but holds {info.file_size} bytes")


class _Foreign(Exception):
    def __init__(self, names: list):
        self.names = names


_UNIQUE_SUFFIX = re.compile(r"_\d+(?=/|:|$)")


def _stem(name: str) -> str:
    """``dense_3/kernel:0`` -> ``dense/kernel``: the name without per-process numbering."""
    return _UNIQUE_SUFFIX.sub("", name.split(":")[0])


def load_weights(model: Any, filepath: str) -> None:
    """Assign the values saved by ``save_weights`` to ``model``'s variables.

    Raises ValueError naming the variable if the count, a name, a shape or a dtype differs;
    nothing is assigned unless everything matches.
    """
    kind = _kind(filepath)
    if kind == "h5":
        _h5.load_weights_h5(model, filepath)
        return
    data = _read(filepath, kind)
    entries = []
    for key, arr in data.items():
        idx, _, name = key.partition("/")
        if not idx.isdigit():
            raise ValueError(f"load_weights: {filepath!r} has an unexpected entry {key!r}.")
        entries.append((int(idx), name, arr))
    entries.sort(key=lambda e: e[0])
    variables = _variables(model)
    if len(entries) != len(variables):
        raise ValueError(f"load_weights: {filepath!r} holds {len(entries)} variables but the "
                         f"model has {len(variables)} "
                         f"({[v.name for v in variables][:8]}{' …' if len(variables) > 8 else ''}"
                         f"). Build the model (call it once) before loading.")
    for (i, name, arr), v in zip(entries, variables):
        if _stem(name) != _stem(v.name):
            raise ValueError(f"load_weights: variable #{i} is '{v.name}' in the model but "
                             f"'{name}' in {filepath!r}.")
        if tuple(arr.shape) != tuple(v.shape):
            raise ValueError(f"load_weights: variable '{v.name}' has shape {tuple(v.shape)} "
                             f"but the file's '{name}' has shape {tuple(arr.shape)}.")
        if arr.dtype != v._value.dtype:
            raise ValueError(f"load_weights: variable '{v.name}' has dtype {v.dtype.name} but "
                             f"the file's '{name}' has dtype {arr.dtype.name}.")
    for (_, _, arr), v in zip(entries, variables):
        v.assign(arr)


