"""``tf.io.decode_raw``, ``decode_compressed``, ``encode_base64`` / ``decode_base64``: bytes
turned into numbers, inflated, or written in web-safe base64."""

from __future__ import annotations

import base64
import gzip
import zlib
from typing import Any

import numpy as np

from ..engine import dtypes as _dt
from ..engine.convert import constant
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import _Base

__all__ = ["decode_raw", "decode_compressed", "encode_base64", "decode_base64"]


def _items(x: Any) -> tuple[list[bytes], tuple]:
    if isinstance(x, _Base):
        x = x._value
    a = np.asarray(x, dtype=object)
    return [v.encode() if isinstance(v, str) else bytes(v) for v in a.ravel()], a.shape


def _pack(vals: list, shape: tuple) -> Any:
    if not shape:
        return vals[0]
    out = np.empty(len(vals), object)
    out[:] = vals
    return out.reshape(shape)


def decode_raw(input_bytes: Any, out_type: Any, little_endian: bool = True,
               fixed_length: int | None = None, name: str | None = None) -> Any:
    """Reinterpret bytes as numbers of ``out_type``: one row per input string, which must all
    have the same length (or are cut/padded to ``fixed_length``).

    >>> import tapegrad as tf
    >>> tf.io.decode_raw(b"\\x01\\x00\\x02\\x00", tf.int16).numpy().tolist()
    [1, 2]
    """
    vals, shape = _items(input_bytes)
    npd = np.dtype(_dt.np_dtype(out_type)).newbyteorder("<" if little_endian else ">")
    if fixed_length is not None:
        vals = [v[:fixed_length].ljust(fixed_length, b"\0") for v in vals]
    sizes = {len(v) for v in vals}
    if len(sizes) > 1 or any(s % npd.itemsize for s in sizes):
        raise InvalidArgumentError(f"decode_raw: input strings must all have the same length, "
                                   f"a multiple of {npd.itemsize} bytes ({npd.name}); got "
                                   f"lengths {sorted(sizes)}")
    rows = [np.frombuffer(v, npd).astype(npd.newbyteorder("=")) for v in vals]
    width = (sizes.pop() if sizes else 0) // npd.itemsize
    return constant(np.stack(rows).reshape(shape + (width,)) if rows else
                    np.empty(shape + (0,), npd.newbyteorder("=")))


def decode_compressed(bytes: Any, compression_type: str = "",  # noqa: A002  (TF's name)
                      name: str | None = None) -> Any:
    """Inflate ZLIB or GZIP bytes ('' leaves them as they are).

    >>> import gzip, tapegrad as tf
    >>> tf.io.decode_compressed(gzip.compress(b"abc"), "GZIP")
    b'abc'
    """
    vals, shape = _items(bytes)
    kind = (compression_type or "").upper()
    if kind not in ("", "ZLIB", "GZIP"):
        raise InvalidArgumentError(f"decode_compressed: compression_type must be '', 'ZLIB' or "
                                   f"'GZIP', got {compression_type!r}")
    try:
        out = [v if not kind else zlib.decompress(v) if kind == "ZLIB" else gzip.decompress(v)
               for v in vals]
    except (OSError, zlib.error, EOFError) as e:
        raise InvalidArgumentError(f"decode_compressed: the data is not valid {kind} ({e})") \
            from None
    return _pack(out, shape)


def encode_base64(input: Any, pad: bool = False, name: str | None = None) -> Any:  # noqa: A002
    """Web-safe base64 (``-`` and ``_``), unpadded unless ``pad``.

    >>> import tapegrad as tf
    >>> tf.io.encode_base64(b"hello?")
    b'aGVsbG8_'
    """
    vals, shape = _items(input)
    out = [base64.urlsafe_b64encode(v) for v in vals]
    return _pack(out if pad else [v.rstrip(b"=") for v in out], shape)


def decode_base64(input: Any, name: str | None = None) -> Any:  # noqa: A002  (TF's name)
    """Decode web-safe base64, padded or not.

    >>> import tapegrad as tf
    >>> tf.io.decode_base64(b"aGVsbG8_")
    b'hello?'
    """
    vals, shape = _items(input)
    try:
        out = [base64.urlsafe_b64decode(v + b"=" * (-len(v) % 4)) for v in vals]
    except ValueError as e:
        raise InvalidArgumentError(f"decode_base64: invalid base64 ({e})") from None
    return _pack(out, shape)
