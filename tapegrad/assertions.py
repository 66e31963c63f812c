"""``tf.debugging.assert_*``: checks that raise TF's errors with TF's eager messages.

Value checks raise ``InvalidArgumentError`` (also a ``ValueError``); static checks of rank and
shape raise ``ValueError`` and dtype checks ``TypeError``, as TF does when the answer is known
before running.
"""

from __future__ import annotations

import collections.abc
from typing import Any

import numpy as np

from .engine import dtypes as _dt
from .engine.convert import convert_to_tensor
from .engine.errors import InvalidArgumentError
from .engine.tensor import _Base
from .printing import format_value

__all__ = ["Assert", "assert_equal", "assert_none_equal", "assert_less", "assert_less_equal",
           "assert_greater", "assert_greater_equal", "assert_near", "assert_positive",
           "assert_negative", "assert_non_negative", "assert_non_positive", "assert_rank",
           "assert_rank_at_least", "assert_rank_in", "assert_scalar", "assert_type",
           "assert_integer", "assert_shapes", "assert_proper_iterable",
           "assert_same_float_dtype", "is_numeric_tensor"]


def _np(x: Any) -> np.ndarray:
    return np.asarray(convert_to_tensor(x)._value)


def _summ(summarize: int | None) -> int:
    return 3 if summarize is None else (10 ** 9 if summarize < 0 else int(summarize))


def _binary(x: Any, y: Any, op: Any, sym: str, message: str | None, summarize: int | None,
            indices: bool) -> None:
    """TF's ``_binary_assert`` in eager mode."""
    xv, yv = _np(x), _np(y)
    try:
        ok = op(xv, yv)
    except ValueError:
        raise InvalidArgumentError(f"Incompatible shapes: {list(xv.shape)} vs. "
                                   f"{list(yv.shape)} [Op:{sym}]") from None
    if np.all(ok):
        return
    n = _summ(summarize)
    lines = [f"Condition x {sym} y did not hold."]
    if indices and xv.shape == yv.shape:
        where = np.argwhere(~ok)[:n]
        lines += [f"Indices of first {len(where)} different values:", str(where),
                  "Corresponding x values:", str(xv[tuple(where.T)]),
                  "Corresponding y values:", str(yv[tuple(where.T)])]
    lines += [f"First {min(n, xv.size)} elements of x:", str(xv.reshape(-1)[:n]),
              f"First {min(n, yv.size)} elements of y:", str(yv.reshape(-1)[:n])]
    text = "\n".join(lines)
    raise InvalidArgumentError(f"{message}\n{text}" if message else text)


def assert_equal(x: Any, y: Any, message: str | None = None, summarize: int | None = None,
                 name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``x == y`` everywhere (broadcasting).

    >>> import tapegrad as tf
    >>> try:
    ...     tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]))
    ... except tf.errors.InvalidArgumentError as e:
    ...     print(str(e).splitlines()[:3])
    ['Condition x == y did not hold.', 'Indices of first 1 different values:', '[[1]]']
    """
    _binary(x, y, np.equal, "==", message, summarize, True)


def assert_none_equal(x: Any, y: Any, summarize: int | None = None, message: str | None = None,
                      name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``x != y`` everywhere.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_none_equal(tf.constant([1, 2]), 3)
    """
    _binary(x, y, np.not_equal, "!=", message, summarize, False)


def assert_less(x: Any, y: Any, message: str | None = None, summarize: int | None = None,
                name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``x < y`` everywhere.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_less(tf.constant([1.0, 2.0]), 3.0)
    """
    _binary(x, y, np.less, "<", message, summarize, True)


def assert_less_equal(x: Any, y: Any, message: str | None = None, summarize: int | None = None,
                      name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``x <= y`` everywhere.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_less_equal(tf.constant([1.0, 3.0]), 3.0)
    """
    _binary(x, y, np.less_equal, "<=", message, summarize, True)


def assert_greater(x: Any, y: Any, message: str | None = None, summarize: int | None = None,
                   name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``x > y`` everywhere.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_greater(tf.constant([4, 5]), 3)
    """
    _binary(x, y, np.greater, ">", message, summarize, False)


def assert_greater_equal(x: Any, y: Any, message: str | None = None,
                         summarize: int | None = None, name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``x >= y`` everywhere.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_greater_equal(tf.constant([3, 5]), 3)
    """
    _binary(x, y, np.greater_equal, ">=", message, summarize, False)


def assert_near(x: Any, y: Any, rtol: Any = None, atol: Any = None, message: str | None = None,
                summarize: int | None = None, name: str | None = None) -> None:
    """Raise unless ``|x - y| <= atol + rtol * |y|``; tolerances default to 10 epsilons of the
    dtype, as TF's.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_near(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.000001]))
    """
    xv, yv = _np(x), _np(y)
    eps = 10 * np.finfo(xv.dtype).eps if xv.dtype.kind in "fc" else 0
    rtol = eps if rtol is None else _np(rtol)
    atol = eps if atol is None else _np(atol)
    if np.all(np.abs(xv - yv) <= atol + rtol * np.abs(yv)):
        return
    n = _summ(summarize)
    lines = [message or "", f"x and y not equal to tolerance rtol = {rtol}, atol = {atol}",
             f"x (shape={xv.shape} dtype={_dt.from_numpy(xv.dtype).name}) = ",
             ", ".join(repr(v.item()) for v in xv.reshape(-1)[:n]),
             f"y (shape={yv.shape} dtype={_dt.from_numpy(yv.dtype).name}) = ",
             ", ".join(repr(v.item()) for v in yv.reshape(-1)[:n])]
    raise InvalidArgumentError("\n".join(lines))


def _sign(x: Any, op: Any, cond: str, message: str | None, summarize: int | None) -> None:
    xv = _np(x)
    if np.all(op(xv, 0)):
        return
    vals = [format_value(v) for v in xv.reshape(-1)[:_summ(summarize)]]
    raise InvalidArgumentError(f"{message or ''}\nCondition {cond} did not hold element-wise:\n"
                               f"x (shape={xv.shape} dtype={_dt.from_numpy(xv.dtype).name}) = "
                               f"\n{vals}")


def assert_positive(x: Any, message: str | None = None, summarize: int | None = None,
                    name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``x > 0`` everywhere.

    >>> import tapegrad as tf
    >>> try:
    ...     tf.debugging.assert_positive(tf.constant([1, -2]))
    ... except tf.errors.InvalidArgumentError as e:
    ...     print(str(e).strip().splitlines())
    ['Condition x > 0 did not hold element-wise:', 'x (shape=(2,) dtype=int32) = ', "['1', '-2']"]
    """
    _sign(x, np.greater, "x > 0", message, summarize)


def assert_negative(x: Any, message: str | None = None, summarize: int | None = None,
                    name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``x < 0`` everywhere.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_negative(tf.constant([-1.0]))
    """
    _sign(x, np.less, "x < 0", message, summarize)


def assert_non_negative(x: Any, message: str | None = None, summarize: int | None = None,
                        name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``x >= 0`` everywhere.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_non_negative(tf.constant([0.0, 1.0]))
    """
    _sign(x, np.greater_equal, "x >= 0", message, summarize)


def assert_non_positive(x: Any, message: str | None = None, summarize: int | None = None,
                        name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``x <= 0`` everywhere.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_non_positive(tf.constant([0.0, -1.0]))
    """
    _sign(x, np.less_equal, "x <= 0", message, summarize)


def _shape(x: Any) -> tuple:
    return tuple(np.shape(x._value if isinstance(x, _Base) else np.asarray(x)))


def _rank_error(message: str | None, what: str, shape: tuple) -> ValueError:
    text = f"Tensor  must have rank {what}.  Received rank {len(shape)}, shape {shape}"
    return ValueError(f"{message}.  {text}" if message else text)


def assert_rank(x: Any, rank: int, message: str | None = None, name: str | None = None) -> None:
    """Raise ``ValueError`` unless ``x`` has rank ``rank``.

    >>> import tapegrad as tf
    >>> try:
    ...     tf.debugging.assert_rank(tf.constant([1, 2]), 2)
    ... except ValueError as e:
    ...     print(e)
    Tensor  must have rank 2.  Received rank 1, shape (2,)
    """
    shape = _shape(x)
    if len(shape) != int(rank):
        raise _rank_error(message, str(int(rank)), shape)


def assert_rank_at_least(x: Any, rank: int, message: str | None = None,
                         name: str | None = None) -> None:
    """Raise ``ValueError`` unless ``x`` has rank ``rank`` or more.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_rank_at_least(tf.zeros((2, 3)), 1)
    """
    shape = _shape(x)
    if len(shape) < int(rank):
        raise _rank_error(message, f"at least {int(rank)}", shape)


def assert_rank_in(x: Any, ranks: Any, message: str | None = None,
                   name: str | None = None) -> None:
    """Raise ``ValueError`` unless ``x``'s rank is one of ``ranks``.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_rank_in(tf.zeros((2, 3)), (0, 2))
    """
    shape = _shape(x)
    ranks = tuple(int(r) for r in ranks)
    if len(shape) not in ranks:
        raise _rank_error(message, f"in {ranks}", shape)


def assert_scalar(tensor: Any, message: str | None = None, name: str | None = None) -> Any:
    """Return ``tensor`` if it is a scalar, else raise ``ValueError``.

    >>> import tapegrad as tf
    >>> float(tf.debugging.assert_scalar(tf.constant(2.0)))
    2.0
    """
    shape = _shape(tensor)
    if shape:
        text = f"Expected scalar shape, saw shape: {shape}."
        raise ValueError(f"{message}  {text}" if message else text)
    return convert_to_tensor(tensor)


def _dtype_of(x: Any) -> _dt.DType:
    if isinstance(x, _Base):
        return x.dtype
    return convert_to_tensor(x).dtype


def assert_type(tensor: Any, tf_type: Any, message: str | None = None,
                name: str | None = None) -> None:
    """Raise ``TypeError`` unless ``tensor``'s dtype is ``tf_type``.

    >>> import tapegrad as tf
    >>> try:
    ...     tf.debugging.assert_type(tf.constant([1, 2]), tf.float32)
    ... except TypeError as e:
    ...     print(e)
    tensor must be of type tf.float32; got tf.int32
    """
    want, got = _dt.as_dtype(tf_type), _dtype_of(tensor)
    if got != want:
        text = f"tensor must be of type {want!r}; got {got!r}"
        raise TypeError(f"{message}, {text}" if message else text)


def assert_integer(x: Any, message: str | None = None, name: str | None = None) -> None:
    """Raise ``TypeError`` unless ``x`` has an integer dtype.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_integer(tf.constant([1, 2]))
    """
    dtype = _dtype_of(x)
    if not dtype.is_integer:
        text = f"Expected \"x\" to be integer type.  Found: tensor of dtype <dtype: '{dtype.name}'>"
        raise TypeError(f"{message} {text}" if message else text)


def assert_proper_iterable(values: Any) -> None:
    """Raise ``TypeError`` if ``values`` is a tensor, array or string (not a "proper" iterable).

    >>> import tapegrad as tf
    >>> tf.debugging.assert_proper_iterable([1, 2])
    >>> try:
    ...     tf.debugging.assert_proper_iterable("abc")
    ... except TypeError as e:
    ...     print(e)
    Expected argument "values" to be a "proper" iterable.  Found: <class 'str'>
    """
    if isinstance(values, (_Base, np.ndarray, str, bytes)) or \
            not isinstance(values, collections.abc.Iterable):
        raise TypeError(f'Expected argument "values" to be a "proper" iterable.  Found: '
                        f'{type(values)}')


def assert_same_float_dtype(tensors: Any = None, dtype: Any = None) -> _dt.DType:
    """The common floating dtype of ``tensors`` (and ``dtype``); ``ValueError`` if they differ.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_same_float_dtype([tf.zeros(2), tf.ones(3)])
    tf.float32
    """
    want = None if dtype is None else _dt.as_dtype(dtype)
    for t in tensors or []:
        got = _dtype_of(t)
        if want is None:
            want = got
        elif got != want:
            raise ValueError(f"{t!r}, type={got!r}, must be of the same type ({want!r}).")
    want = _dt.float32 if want is None else want
    if not want.is_floating:
        raise ValueError(f"Expected floating point type, got {want!r}.")
    return want


def is_numeric_tensor(tensor: Any) -> bool:
    """Whether ``tensor`` is a tensor of a numeric dtype.

    >>> import tapegrad as tf
    >>> tf.debugging.is_numeric_tensor(tf.constant(1.0)), tf.debugging.is_numeric_tensor(1.0)
    (True, False)
    """
    return isinstance(tensor, _Base) and not tensor.dtype.is_bool


def _shape_error(where: str, x: Any, k: int, want: int, shape: tuple) -> ValueError:
    desc = f"Tensor shape={shape} dtype={_dtype_of(x).name}"
    return ValueError(f"{where}.  {desc} dimension {k} must have size {want}.  "
                      f"Received size {shape[k]}, shape {shape}")


def assert_shapes(shapes: Any, data: Any = None, summarize: int | None = None,
                  message: str | None = None, name: str | None = None) -> None:
    """Check that tensors have the shapes given, with symbolic sizes shared between them
    (``[(x, ('N', 'D')), (y, ('N',))]``); ``ValueError`` naming the first mismatch.

    >>> import tapegrad as tf
    >>> tf.debugging.assert_shapes([(tf.zeros((2, 3)), ('N', 'D')), (tf.zeros(2), ('N',))])
    """
    pairs = shapes.items() if isinstance(shapes, dict) else shapes
    sizes: dict = {}
    for x, spec in pairs:
        shape = _shape(x)
        spec = tuple(spec) if not isinstance(spec, str) else (spec,)
        fixed = spec[1:] if spec[:1] == ("...",) or spec[:1] == ("*",) else spec
        if len(shape) < len(fixed) or (fixed is spec and len(shape) != len(spec)):
            raise _rank_error(message, str(len(spec)), shape)
        tail = shape[len(shape) - len(fixed):]
        for k, (want, got) in enumerate(zip(fixed, tail)):
            k += len(shape) - len(fixed)
            if isinstance(want, str):
                if want not in sizes:
                    sizes[want] = (got, x)
                elif sizes[want][0] != got:
                    first = sizes[want][1]
                    where = f"Specified by tensor shape={_shape(first)} dtype=" \
                            f"{_dtype_of(first).name} dimension {k}"
                    raise _shape_error(where, x, k, sizes[want][0], shape)
            elif want is not None and int(want) != got:
                raise _shape_error("Specified explicitly", x, k, int(want), shape)


def Assert(condition: Any, data: Any, summarize: int | None = None,  # noqa: N802  (TF's name)
           name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` listing ``data`` unless ``condition`` is true.

    >>> import tapegrad as tf
    >>> try:
    ...     tf.debugging.Assert(tf.constant(False), ["x is", tf.constant([1, 2])])
    ... except tf.errors.InvalidArgumentError as e:
    ...     print(str(e).splitlines()[-1])
    [1 2]
    """
    if bool(np.all(_np(condition))):
        return
    parts = [d if isinstance(d, str) else format_value(d, _summ(summarize)) for d in data]
    raise InvalidArgumentError(f"Expected '{condition!r}' to be true. Summarized data: " +
                               "\n".join(parts))
