"""CRC-32C (Castagnoli), the checksum of TFRecords, checkpoint tables and tensor bundles, and
TF's "masked" form of it.

Small inputs run the byte-at-a-time table loop. Large ones are cut into equal chunks whose
CRC registers are computed side by side with NumPy (the CRC is linear over GF(2)), then folded
left to right: ``reg(A + B) = shift(reg(A), len(B)) ^ reg0(B)``, where ``shift`` — running
``len(B)`` zero bytes through the register — is a fixed linear map tabulated once.
"""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["crc32c", "masked_crc32c", "mask", "unmask"]

_POLY = 0x82F63B78
_CHUNK = 1024            # bytes per NumPy lane
_VECTOR_FROM = 1 << 16   # inputs this long use the NumPy path


def _make_table() -> list[int]:
    out = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ _POLY if c & 1 else c >> 1
        out.append(c)
    return out


_TABLE = _make_table()
_NP_TABLE = np.array(_TABLE, dtype=np.uint32)
_SHIFT: dict[int, list] = {}
_LOCK = threading.Lock()


def _run(reg: int, data) -> int:
    t = _TABLE
    for b in data:
        reg = t[(reg ^ b) & 0xFF] ^ (reg >> 8)
    return reg


def _shift_tables(n: int) -> list:
    """Four 256-entry tables: the register after ``n`` zero bytes, per byte of the start."""
    with _LOCK:
        if n not in _SHIFT:
            basis = [_run(1 << bit, bytes(n)) for bit in range(32)]
            tables = []
            for k in range(4):
                row = []
                for b in range(256):
                    r = 0
                    for bit in range(8):
                        if b >> bit & 1:
                            r ^= basis[8 * k + bit]
                    row.append(r)
                tables.append(row)
            _SHIFT[n] = tables
        return _SHIFT[n]


def _run_vector(reg: int, data: bytes) -> tuple[int, int]:
    """The register after the whole chunks of ``data``, and how many bytes that was."""
    k = len(data) // _CHUNK
    lanes = np.frombuffer(data, np.uint8, k * _CHUNK).reshape(k, _CHUNK)
    regs = np.zeros(k, np.uint32)
    regs[0] = reg
    for j in range(_CHUNK):
        regs = _NP_TABLE[(regs ^ lanes[:, j]) & 0xFF] ^ (regs >> 8)
    t0, t1, t2, t3 = _shift_tables(_CHUNK)
    out = 0
    for r in regs.tolist():
        out = (t0[out & 0xFF] ^ t1[(out >> 8) & 0xFF] ^ t2[(out >> 16) & 0xFF] ^
               t3[out >> 24]) ^ r
    return out, k * _CHUNK


def crc32c(data: bytes, crc: int = 0) -> int:
    """CRC-32C of ``data``, continuing from ``crc`` (the CRC of what came before).

    >>> from tapegrad.formats.crc import crc32c
    >>> hex(crc32c(b"123456789")), crc32c(b"6789", crc32c(b"12345")) == crc32c(b"123456789")
    ('0xe3069283', True)
    """
    reg = crc ^ 0xFFFFFFFF
    done = 0
    if len(data) >= _VECTOR_FROM:
        reg, done = _run_vector(reg, bytes(data))
    return _run(reg, memoryview(data)[done:]) ^ 0xFFFFFFFF


def mask(c: int) -> int:
    """TF's masked CRC: rotated right by 15 bits plus a constant."""
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def unmask(c: int) -> int:
    rot = (c - 0xA282EAD8) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """The masked CRC-32C that TFRecords and checkpoints store.

    >>> from tapegrad.formats.crc import masked_crc32c
    >>> hex(masked_crc32c(b""))
    '0xa282ead8'
    """
    return mask(crc32c(data))
