"""Debugging: check-numerics, tape explanations, tape pictures and tape memory.

(The engine calls the private hooks below only when a debug mode is on, or on rare events.)
"""

from __future__ import annotations

import numpy as np

from .primitive import HOOKS, user_frame

__all__ = ["enable_check_numerics", "disable_check_numerics"]


def user_line() -> str:
    """``file:line: code`` of the innermost frame outside tapegrad."""
    from .tape import _line_of
    return _line_of(user_frame())


def enable_check_numerics() -> None:
    """Raise InvalidArgumentError at the first op (or VJP) that produces a NaN or Inf."""
    HOOKS.check_numerics = True


def disable_check_numerics() -> None:
    """Turn check-numerics off again."""
    HOOKS.check_numerics = False


def _bad(v) -> bool:
    v = np.asarray(v)
    return v.dtype.kind in "fc" and not np.all(np.isfinite(v))


def _check_output(prim, vals, ans) -> None:
    from .errors import InvalidArgumentError
    outs = ans if type(ans) is tuple else (ans,)
    if any(_bad(o) for o in outs):
        shapes = ", ".join(str(list(np.shape(v))) for v in vals)
        raise InvalidArgumentError(
            f"check_numerics: op '{prim.name}' produced NaN or Inf (input shapes: {shapes}) "
            f"at {user_line()}")


def _check_vjp(rec, dxs) -> None:
    from .errors import InvalidArgumentError
    for dx in dxs:
        if dx is not None and not isinstance(dx, (int, float)) and _bad(getattr(dx, "_value", 0)):
            raise InvalidArgumentError(
                f"check_numerics: the gradient of op '{rec.prim.name}' is NaN or Inf; the op was "
                f"recorded at {rec.where}")


def _summarize_spent_tape(tape):
    """What ``explain`` keeps about a non-persistent tape after ``gradient`` freed it."""
    return None
