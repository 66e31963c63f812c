"""The ops behind Tensor's Python operators and the few ops the engine itself calls.

The engine sits below the op families and cannot import them; ``tapegrad.ops`` fills this
table in, one explicit line per entry, when the package is imported.
"""

from __future__ import annotations

from typing import Callable

__all__ = ["OPERATORS"]


class _Operators:
    """The ops behind Tensor's Python operators, filled in by ``tapegrad.ops`` (the op
    families sit above this module, so it cannot import them).

    ``add``/``subtract``/``multiply``/``truediv``/``negative`` are ``partial(bind, prim)``
    taking one tuple of operands (one Python call less on the hottest path); the others are
    the public op functions, called with the operands.
    """

    add: Callable
    subtract: Callable
    multiply: Callable
    truediv: Callable
    negative: Callable
    floordiv: Callable
    floormod: Callable
    pow: Callable
    matmul: Callable
    abs: Callable
    logical_not: Callable
    logical_and: Callable
    logical_or: Callable
    logical_xor: Callable
    less: Callable
    less_equal: Callable
    greater: Callable
    greater_equal: Callable
    equal: Callable
    not_equal: Callable
    getitem: Callable
    # what the engine itself calls: unbroadcast's reduction sum_to(g, axes, target_shape), and
    # cast / concat / reshape / stack / transpose for the reverse pass and the jacobians
    sum_to: Callable
    cast: Callable
    concat: Callable
    reshape: Callable
    stack: Callable
    transpose: Callable
    densify: Callable  # IndexedSlices -> dense: densify(values, indices, shape)


OPERATORS = _Operators()
