"""Reading Keras's pickled data sets without running their code: a restricted unpickler that
builds only NumPy arrays (of numbers, or of Python lists, for the ragged sequences), lists,
dicts, numbers and bytes, and the ``.npz`` reader that uses it for object members. Sizes are
checked before reading: the file, each zip member (declared size and compression ratio), and
every array against the bytes it comes from."""

from __future__ import annotations

import io
import pickle
import tarfile
import zipfile
from typing import Any, BinaryIO

import numpy as np

__all__ = ["load_pickle", "load_npz", "load_tar_member"]

MAX_BYTES = 1 << 31            # no Keras data set member is near 2 GiB
MAX_RATIO = 200                # deflate rarely beats 200:1 on real arrays
# numeric dtypes, and "O" for the ragged sequences of imdb/reuters (their items are unpickled
# by the same restricted unpickler, so they can only be numbers, lists, bytes and arrays)
SAFE_DTYPES = frozenset("b1 i1 i2 i4 i8 u1 u2 u4 u8 f2 f4 f8 O O4 O8".split())


def _refuse(what: str) -> pickle.UnpicklingError:
    return pickle.UnpicklingError(
        f"keras.datasets: refusing to unpickle {what}; a data set file holds only arrays, "
        f"lists and numbers. The file may be damaged or malicious: delete it and fetch it "
        f"again.")


def _reconstruct(subtype: Any, shape: Any, dtype: Any) -> np.ndarray:
    """NumPy's ``_reconstruct``: an empty array that ``__setstate__`` then fills (and checks
    against its data)."""
    if subtype is not np.ndarray or tuple(shape) != (0,):
        raise _refuse(f"an array of type {subtype!r} and shape {shape!r}")
    return np.ndarray.__new__(np.ndarray, (0,), np.dtype(dtype))


def _dtype(obj: Any, align: bool = False, copy: bool = False) -> np.dtype:
    name = obj.decode("ascii") if isinstance(obj, bytes) else str(obj)
    base = name.lstrip("<>|=")
    if not (base in SAFE_DTYPES or (base[:1] in ("S", "U") and base[1:].isdigit())):
        raise _refuse(f"the dtype {name!r}")
    return np.dtype(name)


_GLOBALS = {("numpy.core.multiarray", "_reconstruct"): _reconstruct,
            ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
            ("numpy", "ndarray"): np.ndarray,
            ("numpy", "dtype"): _dtype}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _GLOBALS.get((module, name))
        if found is None:
            raise _refuse(f"{module}.{name}")
        return found


def load_pickle(f: BinaryIO, encoding: str = "ASCII") -> Any:
    """Unpickle ``f`` allowing only arrays, lists, dicts, tuples, numbers and bytes
    (``encoding='bytes'`` reads Python 2 pickles as Keras does).

    >>> import io, pickle
    >>> from tapegrad.keras.datasets._restricted import load_pickle
    >>> load_pickle(io.BytesIO(pickle.dumps({"x": [1, 2]})))
    {'x': [1, 2]}
    >>> load_pickle(io.BytesIO(pickle.dumps(print)))
    Traceback (most recent call last):
    ...
    _pickle.UnpicklingError: keras.datasets: refusing to unpickle builtins.print; ...
    """
    return _Unpickler(f, encoding=encoding).load()


def _check_member(info: Any, size: int, where: str) -> None:
    if size > MAX_BYTES:
        raise ValueError(f"keras.datasets: {where} declares {size} bytes, more than the "
                         f"{MAX_BYTES} a data set member may hold; the file is damaged.")
    packed = getattr(info, "compress_size", size)
    if size > MAX_RATIO * max(packed, 1) and size > (1 << 20):
        raise ValueError(f"keras.datasets: {where} expands {size / max(packed, 1):.0f}-fold, "
                         f"beyond the {MAX_RATIO}:1 a real array reaches; the file is damaged.")


def _read_npy(raw: bytes, where: str) -> np.ndarray:
    fp = io.BytesIO(raw)
    version = np.lib.format.read_magic(fp)
    read_header = np.lib.format.read_array_header_1_0 if version[0] == 1 else \
        np.lib.format.read_array_header_2_0
    shape, fortran, dtype = read_header(fp)
    if dtype.hasobject:
        array = load_pickle(fp)
        if not isinstance(array, np.ndarray) or array.shape != tuple(shape):
            raise ValueError(f"keras.datasets: {where} does not hold the declared array of "
                             f"shape {tuple(shape)}; the file is damaged.")
        return array
    need = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if need > len(raw) - fp.tell():
        raise ValueError(f"keras.datasets: {where} declares {need} bytes of data but holds "
                         f"{len(raw) - fp.tell()}; the file is truncated.")
    fp.seek(0)
    return np.lib.format.read_array(fp, allow_pickle=False)


def load_npz(path: str) -> dict:
    """The arrays of an ``.npz`` file; object members (ragged sequences) through the
    restricted unpickler, numeric ones with pickling off."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                continue
            where = f"{path}:{info.filename}"
            _check_member(info, info.file_size, where)
            with archive.open(info) as member:
                raw = member.read(MAX_BYTES + 1)
            out[info.filename[:-4]] = _read_npy(raw, where)
    return out


def load_tar_member(path: str, name: str) -> Any:
    """Unpickle member ``name`` of the tar archive ``path`` (Python 2 pickles, as the CIFAR
    archives hold)."""
    with tarfile.open(path) as archive:
        try:
            info = archive.getmember(name)
        except KeyError:
            raise FileNotFoundError(f"keras.datasets: {path} has no member {name}; is it the "
                                    f"right archive?") from None
        _check_member(info, info.size, f"{path}:{name}")
        with archive.extractfile(info) as f:
            return load_pickle(io.BytesIO(f.read(MAX_BYTES + 1)), encoding="bytes")
