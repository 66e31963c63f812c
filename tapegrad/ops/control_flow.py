"""Control flow with eager semantics: cond, case, switch_case and while_loop.

Each runs the chosen branch or the loop body as ordinary Python, so the ops inside are recorded
on the tape and gradients flow through the branch taken and through every iteration.
"""

from __future__ import annotations

from typing import Any, Callable

from ..engine import nest
from ..engine.backend import xp as np
from ..engine.convert import static_int
from ..engine.errors import InvalidArgumentError
from .array import stack, unstack

__all__ = ["cond", "case", "switch_case", "while_loop", "map_fn", "foldl", "foldr", "scan"]


def _scalar(x: Any, op: str, what: str) -> Any:
    if x is None:
        raise ValueError(f"{op}: {what} must be a scalar tensor, got None.")
    value = np.asarray(x.numpy() if hasattr(x, "numpy") else x)
    if value.size != 1:
        raise InvalidArgumentError(
            f"{op}: {what} must be a scalar, got shape {value.shape}; reduce it first "
            f"(e.g. tf.reduce_all).")
    return value.reshape(())


def cond(pred: Any, true_fn: Callable | None = None, false_fn: Callable | None = None,
         name: str | None = None) -> Any:
    """Return ``true_fn()`` if ``pred`` is true, else ``false_fn()`` (TF's ``tf.cond``).

    >>> import tapegrad as tf
    >>> x = tf.constant(3.0)
    >>> float(cond(x > 2.0, lambda: x * x, lambda: -x))
    9.0
    """
    if true_fn is None or false_fn is None:
        raise TypeError("cond: both true_fn and false_fn must be given (callables).")
    return true_fn() if bool(_scalar(pred, "cond", "pred")) else false_fn()


def case(pred_fn_pairs: Any, default: Callable | None = None, exclusive: bool = False,
         strict: bool = False, name: str = "case") -> Any:
    """Run the callable of the first true predicate, else ``default`` (TF's ``tf.case``).

    >>> import tapegrad as tf
    >>> x = tf.constant(1.0)
    >>> float(case([(x > 2.0, lambda: x), (x > 0.0, lambda: 2 * x)], default=lambda: 0 * x))
    2.0
    """
    pairs = list(pred_fn_pairs.items() if isinstance(pred_fn_pairs, dict) else pred_fn_pairs)
    truths = [bool(_scalar(p, "case", "each predicate")) for p, _ in pairs]
    if exclusive and sum(truths) > 1:
        raise InvalidArgumentError(
            f"case: exclusive=True but {sum(truths)} predicates are true; make them disjoint.")
    for truth, (_, fn) in zip(truths, pairs):
        if truth:
            return fn()
    if default is None:
        if not pairs:
            raise ValueError("case: pred_fn_pairs is empty and no default was given.")
        return pairs[-1][1]()
    return default()


def switch_case(branch_index: Any, branch_fns: Any, default: Callable | None = None,
                name: str = "switch_case") -> Any:
    """Run ``branch_fns[branch_index]``; an index out of range runs ``default``, else the last.

    >>> import tapegrad as tf
    >>> float(switch_case(tf.constant(1), [lambda: tf.constant(10.0), lambda: tf.constant(20.0)]))
    20.0
    """
    fns = dict(branch_fns) if isinstance(branch_fns, dict) else dict(enumerate(branch_fns))
    if not fns:
        raise ValueError("switch_case: branch_fns must hold at least one callable.")
    index = static_int(_scalar(branch_index, "switch_case", "branch_index"), "branch_index",
                       "switch_case")
    if index in fns:
        return fns[index]()
    return default() if default is not None else fns[max(fns)]()


def while_loop(cond: Callable, body: Callable, loop_vars: Any, shape_invariants: Any = None,
               parallel_iterations: int = 10, back_prop: bool = True,
               swap_memory: bool = False, maximum_iterations: Any = None,
               name: str | None = None) -> Any:
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` (TF's ``tf.while_loop``).

    ``loop_vars`` may be any nested structure; the result has the same structure.
    ``shape_invariants`` is accepted and ignored (shapes may change between iterations).

    >>> import tapegrad as tf
    >>> i, s = while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s * 2.0),
    ...                   (tf.constant(0), tf.constant(1.0)))
    >>> int(i), float(s)
    (4, 16.0)
    """
    is_list = isinstance(loop_vars, (list, tuple)) and not hasattr(loop_vars, "_fields")
    state = loop_vars
    limit = None if maximum_iterations is None else int(
        _scalar(maximum_iterations, "while_loop", "maximum_iterations"))
    steps = 0
    while (limit is None or steps < limit) and bool(
            _scalar(cond(*state) if is_list else cond(state), "while_loop", "cond's result")):
        new = body(*state) if is_list else body(state)
        if is_list and len(state) == 1 and not isinstance(new, (list, tuple)):
            new = [new]
        nest.assert_same_structure(state, new, check_types=False)
        state = nest.pack_sequence_as(state, nest.flatten(new))
        steps += 1
    return state


def _slices(elems: Any) -> list:
    flat = [unstack(e) for e in nest.flatten(elems)]
    return [nest.pack_sequence_as(elems, list(row)) for row in zip(*flat)]


def _stacked(results: list) -> Any:
    flat = [nest.flatten(r) for r in results]
    return nest.pack_sequence_as(results[0], [stack(list(col)) for col in zip(*flat)])


def map_fn(fn: Callable, elems: Any, dtype: Any = None, parallel_iterations: Any = None,
           back_prop: bool = True, swap_memory: bool = False, infer_shape: bool = True,
           name: str | None = None, fn_output_signature: Any = None) -> Any:
    """Apply ``fn`` to each slice of ``elems`` along axis 0 and stack the results.

    >>> import tapegrad as tf
    >>> map_fn(lambda v: v * v, tf.constant([1.0, 2.0, 3.0])).numpy().tolist()
    [1.0, 4.0, 9.0]
    """
    return _stacked([fn(row) for row in _slices(elems)])


def scan(fn: Callable, elems: Any, initializer: Any = None, parallel_iterations: int = 10,
         back_prop: bool = True, swap_memory: bool = False, infer_shape: bool = True,
         reverse: bool = False, name: str | None = None) -> Any:
    """Accumulate ``acc = fn(acc, x)`` over the slices of ``elems`` and stack every ``acc``.

    >>> import tapegrad as tf
    >>> scan(lambda a, x: a + x, tf.constant([1.0, 2.0, 3.0])).numpy().tolist()
    [1.0, 3.0, 6.0]
    """
    rows = _slices(elems)[::-1] if reverse else _slices(elems)
    acc, out = (rows[0], [rows[0]]) if initializer is None else (initializer, [])
    for row in rows[1:] if initializer is None else rows:
        acc = fn(acc, row)
        out.append(acc)
    return _stacked(out[::-1] if reverse else out)


def foldl(fn: Callable, elems: Any, initializer: Any = None, parallel_iterations: int = 10,
          back_prop: bool = True, swap_memory: bool = False, name: str | None = None) -> Any:
    """Fold ``fn`` over the slices of ``elems`` from the first: the last accumulator.

    >>> import tapegrad as tf
    >>> float(foldl(lambda a, x: a * x, tf.constant([1.0, 2.0, 3.0, 4.0])))
    24.0
    """
    rows = _slices(elems)
    acc, rest = (rows[0], rows[1:]) if initializer is None else (initializer, rows)
    for row in rest:
        acc = fn(acc, row)
    return acc


def foldr(fn: Callable, elems: Any, initializer: Any = None, parallel_iterations: int = 10,
          back_prop: bool = True, swap_memory: bool = False, name: str | None = None) -> Any:
    """Fold ``fn`` over the slices of ``elems`` from the last: the last accumulator.

    >>> import tapegrad as tf
    >>> float(foldr(lambda a, x: a - x, tf.constant([1.0, 2.0, 10.0])))
    7.0
    """
    rows = _slices(elems)[::-1]
    acc, rest = (rows[0], rows[1:]) if initializer is None else (initializer, rows)
    for row in rest:
        acc = fn(acc, row)
    return acc
