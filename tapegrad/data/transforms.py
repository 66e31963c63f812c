"""Element-wise and reordering stages: map, filter, flat_map, shuffle, repeat, take, skip,
interleave, window, shard, scan, ignore_errors, group_by_window, take_while, unique,
rejection_resample."""

from __future__ import annotations

import collections
from typing import Any, Callable, Iterator

import numpy as np

from ..engine import nest
from ..engine.convert import constant
from .dataset import Dataset
from .elements import (_END, _PASS_OPTIONS, INFINITE_CARDINALITY, _call, _normalize, _row,
                       _to_numpy, _to_user)
from .parallel import interleave, parallel_map
from .sources import _Elements, _Seeded, _Slices


class _Map(Dataset):
    """``fn`` on each element; with ``workers`` > 1 on a thread pool (in order when
    ``deterministic``; None: the pipeline's ``Options.deterministic``, True unless set)."""

    def __init__(self, source: Dataset, fn: Callable, workers: int = 1,
                 deterministic: bool | None = None):
        self.source, self.fn = source, fn
        self.workers, self.deterministic = workers, deterministic

    def _iter(self) -> Iterator[Any]:
        if self.workers > 1:
            deterministic = self.deterministic
            if deterministic is None:
                deterministic = (_PASS_OPTIONS.get() or self.options()).deterministic
            yield from parallel_map(self.call_on, self.source._iter(), self.workers,
                                    bool(deterministic))
            return
        for i, element in enumerate(self.source._iter()):
            yield self.call_on(i, element)

    def call_on(self, i: int, element: Any) -> Any:
        """``fn`` on element ``i``; an error says which element and which function."""
        try:
            return _normalize(_call(self.fn, element))
        except Exception as e:
            name = getattr(self.fn, "__name__", repr(self.fn))
            try:
                err = type(e)(f"{e} (in Dataset.map function {name!r} on element {i})")
            except Exception:  # an exception class with its own constructor: raise it as is
                raise e from None
            raise err from e

    def _cardinality(self) -> int:
        return self.source._cardinality()


class _Filter(Dataset):
    _same_spec = True

    def __init__(self, source: Dataset, predicate: Callable):
        self.source, self.predicate = source, predicate

    def _iter(self) -> Iterator[Any]:
        for element in self.source._iter():
            if bool(_to_numpy(_call(self.predicate, element))):
                yield element


class _FlatMap(Dataset):
    def __init__(self, source: Dataset, fn: Callable):
        self.source, self.fn = source, fn

    def _iter(self) -> Iterator[Any]:
        for element in self.source._iter():
            yield from _call(self.fn, element)._iter()


class _Shuffle(_Seeded):
    """TF's buffer algorithm: fill ``buffer_size`` elements, emit a random one, refill its slot."""

    _same_spec = True

    def __init__(self, source: Dataset, size: int, seed: int | None, reshuffle: bool):
        self.source, self.size = source, size
        self._seed(seed, reshuffle)

    def _iter(self) -> Iterator[Any]:
        if isinstance(self.source, _Slices):
            src = self.source
            for i in self.indices(src.n):
                yield nest.pack_sequence_as(src.tensors, [_row(a, i) for a in src.leaves])
            return
        yield from _buffer_shuffle(self.source._iter(), self.size, self._rng())

    def indices(self, n: int) -> np.ndarray:
        """The order in which ``n`` sliced elements leave the buffer, for one pass."""
        rng = self._rng()
        if self.size >= n:  # the buffer holds everything: a uniform permutation
            return rng.permutation(n)
        return np.fromiter(_buffer_shuffle(iter(range(n)), self.size, rng), np.int64, n)

    def _cardinality(self) -> int:
        return self.source._cardinality()


def _buffer_shuffle(it: Iterator[Any], size: int, rng: np.random.Generator) -> Iterator[Any]:
    """TF's algorithm: fill ``size`` slots, emit a random slot, refill it from the source."""
    buf: list = []
    for element in it:
        if len(buf) < size:
            buf.append(element)
            continue
        j = int(rng.integers(len(buf)))
        yield buf[j]
        buf[j] = element
    while buf:
        j = int(rng.integers(len(buf)))
        buf[j], buf[-1] = buf[-1], buf[j]
        yield buf.pop()


class _Repeat(Dataset):
    _same_spec = True

    def __init__(self, source: Dataset, count: int):
        self.source, self.count = source, count

    def _iter(self) -> Iterator[Any]:
        k = 0
        while self.count < 0 or k < self.count:
            empty = True
            for element in self.source._iter():
                empty = False
                yield element
            if empty:
                return
            k += 1

    def _cardinality(self) -> int:
        n = self.source._cardinality()
        if self.count < 0:
            return 0 if n == 0 else (INFINITE_CARDINALITY if n > 0 else n)
        return n * self.count if n >= 0 else n


class _Take(Dataset):
    _same_spec = True

    def __init__(self, source: Dataset, count: int):
        self.source, self.count = source, count

    def _iter(self) -> Iterator[Any]:
        if self.count == 0:
            return
        for i, element in enumerate(self.source._iter()):
            yield element
            if i + 1 == self.count:
                return

    def _cardinality(self) -> int:
        n = self.source._cardinality()
        if self.count < 0:
            return n
        return self.count if n == INFINITE_CARDINALITY else (min(n, self.count) if n >= 0 else n)


class _Skip(Dataset):
    _same_spec = True

    def __init__(self, source: Dataset, count: int):
        self.source, self.count = source, count

    def _iter(self) -> Iterator[Any]:
        for i, element in enumerate(self.source._iter()):
            if self.count >= 0 and i >= self.count:
                yield element

    def _cardinality(self) -> int:
        n = self.source._cardinality()
        if self.count < 0:
            return 0 if n >= 0 else n
        return max(n - self.count, 0) if n >= 0 else n


class _Interleave(Dataset):
    """``cycle`` inner datasets open at once; ``block`` elements from each in turn (each
    fetching ahead on ``workers`` threads when more than one)."""

    def __init__(self, source: Dataset, fn: Callable, cycle: int, block: int, workers: int = 1):
        self.source, self.fn, self.cycle, self.block = source, fn, cycle, block
        self.workers = workers

    def _iter(self) -> Iterator[Any]:
        return interleave(lambda element: _call(self.fn, element)._iter(), self.source._iter(),
                          self.cycle, self.block, self.workers)


class _Window(Dataset):
    """Each window is itself a dataset (of ``size`` elements, ``stride`` apart)."""

    def __init__(self, source: Dataset, size: int, shift: int, stride: int, drop: bool):
        self.source, self.size, self.shift, self.stride, self.drop = (source, size, shift,
                                                                      stride, drop)

    def _iter(self) -> Iterator[Any]:
        span = (self.size - 1) * self.stride + 1
        buf: collections.deque = collections.deque()
        it = self.source._iter()
        done = False
        while True:
            while not done and len(buf) < span:
                element = next(it, _END)
                done = element is _END
                if not done:
                    buf.append(element)
            items = list(buf)[::self.stride][:self.size]
            if not items or (self.drop and len(items) < self.size):
                return
            first = items[0]
            leaves = [np.stack(col) for col in zip(*[nest.flatten(e) for e in items])]
            yield nest.pack_sequence_as(first, [_Slices(a) for a in leaves])
            for _ in range(self.shift):
                if not buf and done:
                    return
                if buf:
                    buf.popleft()
                elif not done:
                    done = next(it, _END) is _END
            if not buf and done:
                return

    def _cardinality(self) -> int:
        n = self.source._cardinality()
        if n < 0:
            return n
        if self.drop:
            rest = n - ((self.size - 1) * self.stride + 1)
            return 0 if rest < 0 else rest // self.shift + 1
        return -(-n // self.shift)


class _Shard(Dataset):
    """Every ``num``-th element, starting at ``index``."""

    _same_spec = True

    def __init__(self, source: Dataset, num: int, index: int):
        self.source, self.num, self.index = source, num, index

    def _iter(self) -> Iterator[Any]:
        for i, element in enumerate(self.source._iter()):
            if i % self.num == self.index:
                yield element

    def _cardinality(self) -> int:
        n = self.source._cardinality()
        return n if n < 0 else n // self.num + (self.index < n % self.num)


class _Scan(Dataset):
    def __init__(self, source: Dataset, state: Any, fn: Callable):
        self.source, self.state, self.fn = source, state, fn

    def _iter(self) -> Iterator[Any]:
        state = self.state
        for element in self.source._iter():
            args = element if isinstance(element, tuple) else (element,)
            state, out = self.fn(_to_user(state), *_to_user(args))
            state = _normalize(state)
            yield _normalize(out)

    def _cardinality(self) -> int:
        return self.source._cardinality()


class _IgnoreErrors(Dataset):
    _same_spec = True

    def __init__(self, source: Dataset):
        self.source = source

    def _iter(self) -> Iterator[Any]:
        if hasattr(self.source, "_iter_skipping_errors"):  # a reader that drops bad records
            yield from self.source._iter_skipping_errors()
            return
        if isinstance(self.source, _Map):  # a failing map drops its element only
            for i, element in enumerate(self.source.source._iter()):
                try:
                    yield self.source.call_on(i, element)
                except Exception:
                    continue
            return
        it = self.source._iter()
        while True:
            try:
                element = next(it)
            except StopIteration:
                return
            except Exception:  # TF drops the element whose computation failed
                continue
            yield element


class _GroupByWindow(Dataset):
    def __init__(self, source: Dataset, key_fn: Callable, reduce_fn: Callable,
                 size: int | None, size_fn: Callable | None):
        self.source, self.key_fn, self.reduce_fn = source, key_fn, reduce_fn
        self.size_fn = size_fn if size_fn is not None else (lambda k: size)

    def _iter(self) -> Iterator[Any]:
        groups: dict = {}
        for element in self.source._iter():
            k = int(_to_numpy(_call(self.key_fn, element)))
            group = groups.setdefault(k, [])
            group.append(element)
            if len(group) == int(self.size_fn(np.int64(k))):
                yield from self._reduce(k, groups.pop(k))
        for k in sorted(groups):  # TF keeps its groups in a map ordered by key
            yield from self._reduce(k, groups[k])

    def _reduce(self, k: int, group: list) -> Iterator[Any]:
        window = _Elements(group)
        yield from self.reduce_fn(constant(np.int64(k)), window)._iter()


class _TakeWhile(Dataset):
    _same_spec = True

    def __init__(self, source: Dataset, predicate: Callable):
        self.source, self.predicate = source, predicate

    def _iter(self) -> Iterator[Any]:
        for element in self.source._iter():
            if not bool(_to_numpy(_call(self.predicate, element))):
                return
            yield element


class _Unique(Dataset):
    _same_spec = True

    def __init__(self, source: Dataset):
        self.source = source

    def _iter(self) -> Iterator[Any]:
        seen: set = set()
        for element in self.source._iter():
            if not isinstance(element, (np.ndarray, np.generic)) or np.ndim(element) != 0:
                raise TypeError("Dataset.unique: the elements must be scalars (int32, int64 or "
                                "string), got a structure or a non-scalar.")
            key = element.item()
            if key not in seen:
                seen.add(key)
                yield element


class _Resample(_Seeded):
    def __init__(self, source: Dataset, class_func: Callable, target: np.ndarray,
                 initial: np.ndarray | None, seed: int | None):
        self.source, self.class_func = source, class_func
        self.target, self.initial = target, initial
        self._seed(seed, True)

    def _iter(self) -> Iterator[Any]:
        rng, counts = self._rng(), np.ones_like(self.target)
        for element in self.source._iter():
            c = np.asarray(_to_numpy(_call(self.class_func, element)))
            k = int(c)
            if self.initial is not None:
                initial = self.initial
            else:  # the classes seen so far, one imagined example of each to start
                counts[k] += 1
                initial = counts / counts.sum()
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(initial > 0, self.target / initial, 0.0)
            if rng.random() < ratio[k] / ratio.max():
                yield (c.astype(np.int32), element)
