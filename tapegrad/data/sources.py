"""Source stages: slices, tensors, ranges, zips, generators, lists of elements, record files,
counters, random streams and the samplers that draw from several datasets."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from ..engine import dtypes as _dt
from ..engine import nest
from ..engine.errors import InvalidArgumentError
from ..function import TensorSpec
from ..ops.ragged import RaggedTensor
from . import storage
from .composite import RaggedRows, ragged_rows
from .dataset import Dataset
from .elements import (_END, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, _normalize, _row,
                       _spec_of)


class _Wrap(Dataset):
    """The source as it is, with options, a given ``element_spec`` or a known cardinality."""

    def __init__(self, source: Dataset, spec: Any = None, cardinality: int | None = None):
        self.source, self.spec, self.n = source, spec, cardinality

    def _iter(self) -> Iterator[Any]:
        return iter(self.source._iter())

    def _first_spec(self) -> Any:
        return self.spec if self.spec is not None else self.source.element_spec

    def _cardinality(self) -> int:
        return self.n if self.n is not None else self.source._cardinality()


class _RecordFile(Dataset):
    """The elements of one record file (``storage``): a shard of a saved dataset."""

    def __init__(self, path: str, compression: str | None, count: int):
        self.path, self.compression, self.count = path, compression, count

    def _iter(self) -> Iterator[Any]:
        return storage.read_records(self.path, self.compression)

    def _cardinality(self) -> int:
        return self.count


class _Slices(Dataset):
    _tf_name = "TensorSlice"

    def __init__(self, tensors: Any):
        tensors = nest.map_structure(  # a RaggedTensor is sliced into its rows, as in TF
            lambda a: ragged_rows(a) if isinstance(a, RaggedTensor) else a, tensors)
        leaves = nest.flatten(tensors)
        sizes = {len(a) if isinstance(a, RaggedRows) else a.shape[0] if a.ndim else None
                 for a in leaves}
        if None in sizes:
            raise InvalidArgumentError("Dataset.from_tensor_slices: every component needs a "
                                       "first dimension to slice; got a scalar")
        if len(sizes) > 1:
            shapes = [a.shape for a in leaves]
            raise InvalidArgumentError(f"Dataset.from_tensor_slices: all components must have "
                                       f"the same size in the 0th dimension, got shapes {shapes}")
        self.tensors, self.leaves, self.n = tensors, leaves, sizes.pop()

    def _iter(self) -> Iterator[Any]:
        for i in range(self.n):
            yield nest.pack_sequence_as(self.tensors, [_row(a, i) for a in self.leaves])

    def _cardinality(self) -> int:
        return self.n

    def _first_spec(self) -> Any:
        if not self.sliceable():
            return super()._first_spec()
        return _spec_of(self.tensors, batch_dim=True)

    def sliceable(self) -> bool:
        """Whether whole batches can be sliced from the arrays (no ragged rows)."""
        return not any(isinstance(a, RaggedRows) for a in self.leaves)


class _Tensors(Dataset):
    _tf_name = "Tensor"

    def __init__(self, tensors: Any):
        self.tensors = tensors

    def _iter(self) -> Iterator[Any]:
        yield self.tensors

    def _cardinality(self) -> int:
        return 1


class _Range(Dataset):
    def __init__(self, r: range, dtype: Any):
        self.r, self.dtype = r, np.dtype(dtype)

    def _iter(self) -> Iterator[Any]:
        cast = self.dtype.type
        for i in self.r:
            yield np.asarray(cast(i))

    def _cardinality(self) -> int:
        return len(self.r)

    def _first_spec(self) -> Any:
        return TensorSpec((), _dt.as_dtype(self.dtype))


class _Zip(Dataset):
    def __init__(self, structure: Any):
        self.structure = structure

    def _iter(self) -> Iterator[Any]:
        its = [d._iter() for d in nest.flatten(self.structure)]
        while True:
            parts = [next(it, _END) for it in its]
            if any(p is _END for p in parts):
                return
            yield nest.pack_sequence_as(self.structure, parts)

    def _first_spec(self) -> Any:
        specs = [d.element_spec for d in nest.flatten(self.structure)]
        return nest.pack_sequence_as(self.structure, specs)

    def _cardinality(self) -> int:
        ns = [d._cardinality() for d in nest.flatten(self.structure)]
        finite = [n for n in ns if n >= 0]
        if finite:
            return min(finite)
        return UNKNOWN_CARDINALITY if UNKNOWN_CARDINALITY in ns else INFINITE_CARDINALITY


class _Generator(Dataset):
    def __init__(self, generator: Callable, args: tuple, signature: Any, types: Any):
        self.generator, self.args, self.signature, self.types = generator, args, signature, types

    def _iter(self) -> Iterator[Any]:
        target = self.signature if self.signature is not None else self.types
        for value in self.generator(*self.args):
            element = _normalize(value)
            if target is not None:
                element = nest.map_structure(_cast_to, element, target)
            yield element

    def _first_spec(self) -> Any:
        return self.signature if self.signature is not None else super()._first_spec()


def _cast_to(a: np.ndarray, spec: Any) -> np.ndarray:
    dtype = spec.dtype if isinstance(spec, TensorSpec) else _dt.as_dtype(spec)
    if isinstance(spec, TensorSpec) and spec.shape is not None and not spec.is_compatible_with(
            a.astype(_dt.np_dtype(dtype))):
        raise InvalidArgumentError(f"Dataset.from_generator: the generator yielded shape "
                                   f"{a.shape}, which does not match {spec}")
    return a.astype(_dt.np_dtype(dtype), copy=False)


class _Seeded(Dataset):
    """A stage drawing random numbers: one stream per pass, drawn from ``seed`` (fresh entropy
    when None) and the pass number; the same stream again unless ``reshuffle``."""

    epoch = 0
    reshuffle = True

    def _seed(self, seed: int | None, reshuffle: bool) -> None:
        self.seed, self.reshuffle = seed, reshuffle
        self.base = np.random.SeedSequence(seed).entropy

    def _rng(self) -> np.random.Generator:
        rng = np.random.default_rng([self.base, self.epoch])
        if self.reshuffle:
            self.epoch += 1
        return rng


class _Elements(Dataset):
    """A finite list of elements already in the pipeline's form (a group of group_by_window)."""

    def __init__(self, elements: list):
        self.elements = elements

    def _iter(self) -> Iterator[Any]:
        return iter(self.elements)

    def _cardinality(self) -> int:
        return len(self.elements)


class _Counter(Dataset):
    def __init__(self, start: int, step: int, dtype: Any):
        self.start, self.step, self.dtype = start, step, np.dtype(dtype)

    def _iter(self) -> Iterator[Any]:
        v = self.start
        while True:
            yield np.asarray(v, self.dtype)
            v += self.step

    def _cardinality(self) -> int:
        return INFINITE_CARDINALITY

    def _first_spec(self) -> Any:
        return TensorSpec((), _dt.as_dtype(self.dtype))


class _RandomInts(_Seeded):
    def __init__(self, seed: int | None, reshuffle: bool):
        self._seed(seed, reshuffle)

    def _iter(self) -> Iterator[Any]:
        rng = self._rng()
        while True:
            yield np.asarray(rng.integers(-2 ** 63, 2 ** 63 - 1, dtype=np.int64))

    def _cardinality(self) -> int:
        return INFINITE_CARDINALITY

    def _first_spec(self) -> Any:
        return TensorSpec((), _dt.int64)


class _Sample(_Seeded):
    def __init__(self, datasets: list, weights: np.ndarray, seed: int | None, stop: bool,
                 reshuffle: bool):
        self.datasets, self.weights, self.stop = datasets, weights, stop
        self._seed(seed, reshuffle)

    def _iter(self) -> Iterator[Any]:
        rng, its, w = self._rng(), [d._iter() for d in self.datasets], self.weights.copy()
        while w.sum() > 0:
            k = int(rng.choice(len(w), p=w / w.sum()))
            element = next(its[k], _END)
            if element is not _END:
                yield element
            elif self.stop:
                return
            else:
                w[k] = 0.0

    def _first_spec(self) -> Any:
        return self.datasets[0].element_spec


class _Choose(Dataset):
    def __init__(self, datasets: list, choices: Dataset, stop: bool):
        self.datasets, self.choices, self.stop = datasets, choices, stop

    def _iter(self) -> Iterator[Any]:
        its = [d._iter() for d in self.datasets]
        for c in self.choices._iter():
            k = int(c)
            if not 0 <= k < len(its):
                raise InvalidArgumentError(f"Dataset.choose_from_datasets: choice {k} is out of "
                                           f"range [0, {len(its)}).")
            element = next(its[k], _END)
            if element is not _END:
                yield element
            elif self.stop:
                return

    def _first_spec(self) -> Any:
        return self.datasets[0].element_spec


class _Concat(Dataset):
    _tf_name = "Concatenate"

    def __init__(self, first: Dataset, second: Dataset):
        self.first, self.second = first, second

    def _iter(self) -> Iterator[Any]:
        yield from self.first._iter()
        yield from self.second._iter()

    def _cardinality(self) -> int:
        a, b = self.first._cardinality(), self.second._cardinality()
        if INFINITE_CARDINALITY in (a, b):
            return INFINITE_CARDINALITY
        return a + b if a >= 0 and b >= 0 else UNKNOWN_CARDINALITY

