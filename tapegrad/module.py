"""``Module`` (``tf.Module``): a named container whose variables and sub-modules are found by
walking its attributes.

A Variable or Module assigned as an attribute, or held in a list, tuple or dict attribute at any
depth, belongs to the module — including ones appended to such a list later, since the walk
happens when ``variables`` is read. Own variables come first, then each sub-module's.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterator

from .engine.state import name_scope
from .engine.variable import Variable

__all__ = ["Module"]


def _walk(value: Any, depth: int = 0) -> Iterator[Any]:
    """Variables and Modules inside ``value``, through lists, tuples and dicts, in order."""
    if isinstance(value, (Variable, Module)):
        yield value
    elif isinstance(value, (list, tuple)) and depth < 32:
        for v in value:
            yield from _walk(v, depth + 1)
    elif isinstance(value, dict) and depth < 32:
        for v in value.values():
            yield from _walk(v, depth + 1)


def _snake(name: str) -> str:
    """``BatchNormalization`` -> ``batch_normalization``, ``Conv2D`` -> ``conv2d``."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


class Module:
    """Base of anything that owns variables (``tf.Module``).

    >>> import tapegrad as tf
    >>> class Affine(tf.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w = tf.Variable([[1.0, 2.0]], name="w")
    ...         self.b = tf.Variable([0.0], name="b")
    ...     def __call__(self, x):
    ...         return x @ tf.transpose(self.w) + self.b
    >>> m = Affine()
    >>> m.name, [v.name for v in m.trainable_variables]
    ('affine', ['b:0', 'w:0'])
    """

    def __init__(self, name: str | None = None):
        self._name = name or _snake(type(self).__name__)

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def name_scope(self) -> name_scope:
        """``with module.name_scope:`` names the variables created inside ``<name>/…:0``."""
        return name_scope(self._name)

    def _attr_values(self) -> list:
        # tf.Module walks attributes in sorted name order; Layer keeps assignment order (Keras)
        d = self.__dict__
        return [d[k] for k in sorted(d)]

    def _frozen(self) -> bool:
        return False

    def _collect(self, seen: set, out: list, frozen: bool) -> None:
        """Append (variable, effectively trainable) pairs: own variables first, then each
        sub-module's; ``frozen`` when an enclosing layer has ``trainable=False``."""
        frozen = frozen or self._frozen()
        submodules = []
        for value in self._attr_values():
            for item in _walk(value):
                if id(item) in seen:
                    continue
                seen.add(id(item))
                if isinstance(item, Module):
                    submodules.append(item)
                else:
                    out.append((item, item.trainable and not frozen))
        for module in submodules:
            module._collect(seen, out, frozen)

    def _pairs(self) -> list:
        out: list = []
        self._collect({id(self)}, out, False)
        return out

    @property
    def variables(self) -> list[Variable]:
        """Every variable of this module and its sub-modules."""
        return [v for v, _ in self._pairs()]

    @property
    def trainable_variables(self) -> list[Variable]:
        """The variables that gradients should update."""
        return [v for v, t in self._pairs() if t]

    @property
    def non_trainable_variables(self) -> list[Variable]:
        """Variables created with ``trainable=False`` (and, in a frozen layer, all of them)."""
        return [v for v, t in self._pairs() if not t]

    @classmethod
    def with_name_scope(cls, method: Callable) -> Callable:
        """Decorate a method so that it runs inside ``self.name_scope`` (TF's
        ``tf.Module.with_name_scope``): variables it creates are named ``<module>/…``.

        >>> import tapegrad as tf
        >>> class Scale(tf.Module):
        ...     @tf.Module.with_name_scope
        ...     def __call__(self, x):
        ...         if not hasattr(self, "w"):
        ...             self.w = tf.Variable(2.0, name="w")
        ...         return self.w * x
        >>> m = Scale(name="scale")
        >>> float(m(3.0)), m.w.name
        (6.0, 'scale/w:0')
        """
        @functools.wraps(method)
        def scoped(self: Module, *args: Any, **kwargs: Any) -> Any:
            with self.name_scope:
                return method(self, *args, **kwargs)
        return scoped

    @property
    def submodules(self) -> list[Module]:
        """Every module inside this one, breadth first."""
        out: list[Module] = []
        seen: set = {id(self)}
        queue = [self]
        while queue:
            module = queue.pop(0)
            for value in module._attr_values():
                for item in _walk(value):
                    if isinstance(item, Module) and id(item) not in seen:
                        seen.add(id(item))
                        out.append(item)
                        queue.append(item)
        return out
