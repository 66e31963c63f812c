"""``tapegrad.keras.module``: the old home of ``Module``, which lives in ``tapegrad.module``."""

from __future__ import annotations

from ..module import Module, _snake, _walk

__all__ = ["Module", "_snake", "_walk"]
