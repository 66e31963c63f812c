"""Nested structures of values (``tf.nest``): flatten, rebuild and map over lists, tuples,
namedtuples and dicts.

One module for every walker in tapegrad (tape sources, traced signatures, Keras inputs, dataset
elements). As in TF, a dict is flattened in sorted key order and rebuilt with its own type;
``None`` is a leaf; strings and tensors are leaves.

>>> from tapegrad.engine import nest
>>> nest.flatten({"b": [1, 2], "a": (3,)})
[3, 1, 2]
>>> nest.map_structure(lambda v: v * 10, {"b": [1, 2], "a": (3,)})
{'b': [10, 20], 'a': (30,)}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

__all__ = ["is_nested", "flatten", "pack_sequence_as", "map_structure", "assert_same_structure",
           "flatten_with_paths", "flatten_up_to", "map_structure_up_to"]


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(x: Any) -> bool:
    """True for the containers nest walks into: list, tuple (incl. namedtuple), dict/Mapping.

    >>> is_nested([1]), is_nested(1), is_nested("ab")
    (True, False, False)
    """
    return isinstance(x, (list, tuple, Mapping))


def _sorted_keys(d: Mapping) -> list:
    try:
        return sorted(d)
    except TypeError:  # keys of mixed types: TF refuses; keep a deterministic order instead
        raise TypeError(f"nest: dictionary keys must be sortable, got {list(d)!r}.") from None


def _children(x: Any) -> list:
    if isinstance(x, Mapping):
        return [x[k] for k in _sorted_keys(x)]
    return list(x)


def flatten(structure: Any, expand_composites: bool = False) -> list:
    """The leaves of ``structure`` in TF's order (dicts by sorted key), without recursion limits.

    >>> flatten([1, (2, {"y": 4, "x": 3})])
    [1, 2, 3, 4]
    >>> flatten(5)
    [5]
    """
    if not is_nested(structure):
        return [structure]
    out: list = []
    stack = [iter(_children(structure))]
    while stack:
        for v in stack[-1]:
            if is_nested(v):
                stack.append(iter(_children(v)))
                break
            out.append(v)
        else:
            stack.pop()
    return out


def _rebuild(like: Any, values: list) -> Any:
    if isinstance(like, Mapping):
        keys = _sorted_keys(like)
        d = dict(zip(keys, values))
        try:
            return type(like)((k, d[k]) for k in like)  # the user's key order, TF's values
        except TypeError:
            return {k: d[k] for k in like}
    if _is_namedtuple(like):
        return type(like)(*values)
    if isinstance(like, tuple):
        return tuple(values)
    return list(values)


def pack_sequence_as(structure: Any, flat_sequence: Any, expand_composites: bool = False) -> Any:
    """Rebuild ``structure``'s shape around the leaves ``flat_sequence`` (inverse of flatten).

    >>> pack_sequence_as({"b": [0, 0], "a": 0}, [1, 2, 3])
    {'b': [2, 3], 'a': 1}
    """
    flat = list(flat_sequence)
    if not is_nested(structure):
        if len(flat) != 1:
            raise ValueError(f"nest.pack_sequence_as: structure is a leaf but flat_sequence has "
                             f"{len(flat)} elements.")
        return flat[0]
    it = iter(flat)
    n_leaves = len(flatten(structure))
    if n_leaves != len(flat):
        raise ValueError(f"nest.pack_sequence_as: structure has {n_leaves} leaves but "
                         f"flat_sequence has {len(flat)} elements.")

    def build(s):
        if not is_nested(s):
            return next(it)
        return _rebuild(s, [build(c) for c in _children(s)])
    return build(structure)


def assert_same_structure(nest1: Any, nest2: Any, check_types: bool = True,
                          expand_composites: bool = False) -> None:
    """Raise ValueError (TypeError for differing container types) unless both have one shape.

    >>> assert_same_structure([1, (2, 3)], [4, (5, 6)])
    >>> assert_same_structure([1, 2], [1, [2]])
    Traceback (most recent call last):
    ...
    ValueError: The two structures don't have the same nested structure: [1, 2] and [1, [2]].
    """
    pairs = [(nest1, nest2)]
    while pairs:
        a, b = pairs.pop()
        if is_nested(a) != is_nested(b):
            raise ValueError(f"The two structures don't have the same nested structure: "
                             f"{nest1!r} and {nest2!r}.")
        if not is_nested(a):
            continue
        if check_types and type(a) is not type(b) and not (
                isinstance(a, Mapping) and isinstance(b, Mapping)):
            raise TypeError(f"The two structures don't have the same sequence type: "
                            f"{type(a).__name__} and {type(b).__name__}.")
        if isinstance(a, Mapping) and _sorted_keys(a) != _sorted_keys(b):
            raise ValueError(f"The two dictionaries don't have the same set of keys: "
                             f"{_sorted_keys(a)} and {_sorted_keys(b)}.")
        ca, cb = _children(a), _children(b)
        if len(ca) != len(cb):
            raise ValueError(f"The two structures don't have the same number of elements: "
                             f"{nest1!r} and {nest2!r}.")
        pairs.extend(zip(ca, cb))


def map_structure(func: Callable, *structure: Any, check_types: bool = True,
                  expand_composites: bool = False) -> Any:
    """``func`` applied leafwise over one or more structures of the same shape.

    >>> map_structure(lambda a, b: a + b, (1, [2]), (10, [20]))
    (11, [22])
    """
    if not structure:
        raise ValueError("nest.map_structure: needs at least one structure.")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*xs) for xs in zip(*flats)])


def flatten_with_paths(structure: Any, expand_composites: bool = False) -> list:
    """``(path, leaf)`` pairs, a path being the tuple of keys/indices leading to the leaf.

    >>> flatten_with_paths({"a": [5, 6]})
    [(('a', 0), 5), (('a', 1), 6)]
    """
    out: list = []
    stack: list = [((), structure)]
    while stack:
        path, s = stack.pop()
        if not is_nested(s):
            out.append((path, s))
            continue
        keys = _sorted_keys(s) if isinstance(s, Mapping) else range(len(s))
        stack.extend(reversed([(path + (k,), s[k]) for k in keys]))
    return out


def flatten_up_to(shallow_tree: Any, input_tree: Any, check_types: bool = True) -> list:
    """Flatten ``input_tree`` only as deep as ``shallow_tree`` goes.

    >>> flatten_up_to([0, 0], [[1, 2], (3,)])
    [[1, 2], (3,)]
    """
    if not is_nested(shallow_tree):
        return [input_tree]
    if not is_nested(input_tree):
        raise TypeError(f"nest.flatten_up_to: input_tree is a leaf ({input_tree!r}) where "
                        f"shallow_tree has a {type(shallow_tree).__name__}.")
    cs, ci = _children(shallow_tree), _children(input_tree)
    if len(cs) != len(ci):
        raise ValueError(f"nest.flatten_up_to: shallow_tree has {len(cs)} elements but "
                         f"input_tree has {len(ci)}.")
    out: list = []
    for s, i in zip(cs, ci):
        out.extend(flatten_up_to(s, i, check_types))
    return out


def map_structure_up_to(shallow_tree: Any, func: Callable, *inputs: Any) -> Any:
    """``func`` over the subtrees of ``inputs`` at the leaves of ``shallow_tree``.

    >>> map_structure_up_to([0, 0], len, [[1, 2], (3,)])
    [2, 1]
    """
    flats = [flatten_up_to(shallow_tree, x) for x in inputs]
    return pack_sequence_as(shallow_tree, [func(*xs) for xs in zip(*flats)])
