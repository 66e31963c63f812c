"""``tf.keras.mixed_precision``: dtype policies. A layer computes in the policy's
``compute_dtype`` and keeps its variables in ``variable_dtype``; ``"mixed_float16"`` computes
in float16 with float32 variables (the layer casts its inputs and its weights at call time)."""

from __future__ import annotations

from typing import Any

from ..engine import dtypes as _dt

__all__ = ["Policy", "DTypePolicy", "set_global_policy", "global_policy", "get"]

_MIXED = {"mixed_float16": ("float16", "float32")}


class Policy:
    """A dtype policy by name: a dtype (``"float32"``, ``"float64"``…) or ``"mixed_float16"``.

    >>> import tapegrad as tf
    >>> p = tf.keras.mixed_precision.Policy("mixed_float16")
    >>> p.name, p.compute_dtype, p.variable_dtype
    ('mixed_float16', 'float16', 'float32')
    """

    def __init__(self, name: str):
        if isinstance(name, Policy):
            name = name.name
        if not isinstance(name, str):
            name = _dt.as_dtype(name).name
        if name in _MIXED:
            self._compute, self._variable = _MIXED[name]
        elif name == "mixed_bfloat16":
            raise ValueError("Policy: 'mixed_bfloat16' is not supported (NumPy has no "
                             "bfloat16); use 'mixed_float16' or 'float32'.")
        else:
            try:
                dtype = _dt.as_dtype(name).name
            except (TypeError, ValueError, KeyError):
                raise ValueError(f"Policy: unknown dtype policy {name!r}; use a dtype name "
                                 f"such as 'float32' or 'mixed_float16'.") from None
            self._compute = self._variable = dtype
        self.name = name

    @property
    def compute_dtype(self) -> str:
        return self._compute

    @property
    def variable_dtype(self) -> str:
        return self._variable

    def get_config(self) -> dict:
        return {"name": self.name}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Policy) and other.name == self.name

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self.name}">'


DTypePolicy = Policy
_GLOBAL = {"policy": Policy("float32")}


def set_global_policy(policy: Any) -> None:
    """The policy of layers created from now on without ``dtype=`` (``None``: float32).

    >>> import tapegrad as tf
    >>> tf.keras.mixed_precision.set_global_policy("mixed_float16")
    >>> tf.keras.layers.Dense(2).compute_dtype
    'float16'
    >>> tf.keras.mixed_precision.set_global_policy("float32")
    """
    _GLOBAL["policy"] = Policy("float32" if policy is None else policy)


def global_policy() -> Policy:
    """The current global policy."""
    return _GLOBAL["policy"]


def get(dtype: Any) -> Policy:
    """The policy for a layer's ``dtype=`` argument (``None``: the global policy)."""
    return global_policy() if dtype is None else Policy(dtype)
