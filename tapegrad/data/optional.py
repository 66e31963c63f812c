"""``tf.experimental.Optional``: a value that may be missing, what
``Iterator.get_next_as_optional`` returns at the end of a dataset instead of raising."""

from __future__ import annotations

from typing import Any

from ..engine import nest
from ..engine.convert import constant
from ..engine.errors import InvalidArgumentError
from ..function import TensorSpec

__all__ = ["Optional"]


def _spec(value: Any) -> TensorSpec:
    t = constant(value) if not hasattr(value, "dtype") or not hasattr(value, "shape") else value
    return TensorSpec(tuple(t.shape), t.dtype)


class Optional:
    """A (nested) value, or nothing (``tf.experimental.Optional``).

    >>> import tapegrad as tf
    >>> it = iter(tf.data.Dataset.range(1))
    >>> first, second = it.get_next_as_optional(), it.get_next_as_optional()
    >>> bool(first.has_value()), int(first.get_value()), bool(second.has_value())
    (True, 0, False)
    """

    def __init__(self, value: Any, element_spec: Any, has_value: bool):
        self._value, self._spec, self._has = value, element_spec, has_value

    @staticmethod
    def from_value(value: Any) -> Optional:
        """An Optional holding ``value`` (its leaves become tensors, TF's default dtypes).

        >>> import tapegrad as tf
        >>> o = tf.experimental.Optional.from_value((1, {"a": 2.0}))
        >>> o.element_spec[1]["a"]
        TensorSpec(shape=(), dtype=tf.float32, name=None)
        """
        value = nest.map_structure(lambda v: constant(v) if not hasattr(v, "dtype") else v,
                                   value)
        return Optional(value, nest.map_structure(_spec, value), True)

    @staticmethod
    def empty(element_spec: Any) -> Optional:
        """An Optional with no value, of structure ``element_spec``.

        >>> import tapegrad as tf
        >>> bool(tf.experimental.Optional.empty(tf.TensorSpec((), tf.int32)).has_value())
        False
        """
        return Optional(None, element_spec, False)

    def has_value(self, name: str | None = None) -> Any:
        """A scalar ``tf.bool`` tensor: whether there is a value."""
        return constant(self._has)

    def get_value(self, name: str | None = None) -> Any:
        """The value; ``InvalidArgumentError`` when there is none (as TF)."""
        if not self._has:
            raise InvalidArgumentError("Optional.get_value: the given optional does not have a "
                                       "value; check has_value() first.")
        return self._value

    @property
    def element_spec(self) -> Any:
        return self._spec

    def __repr__(self) -> str:
        return f"<tf.experimental.Optional has_value={self._has} element_spec={self._spec}>"
