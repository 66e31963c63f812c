"""``tf.data.Dataset`` on NumPy: a chain of small transformation objects, each an iterator factory.

Elements travel inside the pipeline as nested structures of NumPy arrays (``tapegrad.nest``
structures); they become tapegrad tensors only where the user sees them (iteration, ``map``).
"""

from __future__ import annotations

import collections
import contextvars
import glob
import os
import queue
import threading
from typing import Any, Callable, Iterator

import numpy as np

from ..engine import dtypes as _dt
from ..engine import nest
from ..engine.convert import constant
from ..engine.errors import InvalidArgumentError, NotFoundError, OutOfRangeError
from ..engine.tensor import _Base
from ..function import TensorSpec
from . import fingerprint, storage
from .composite import composite_numpy, composite_spec, is_composite, ragged_of, sparse_of
from .optional import Optional
from .options import Options
from .specs import RaggedTensorSpec, SparseTensorSpec
from .parallel import interleave, parallel_map, workers_for

__all__ = ["Dataset", "DatasetIterator", "AUTOTUNE", "INFINITE_CARDINALITY",
           "UNKNOWN_CARDINALITY", "Options"]

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2

# The options of the dataset being iterated, set around each ``next`` of a user-facing iterator:
# TF applies a pipeline's options to every stage, upstream of ``with_options`` or not.
_PASS_OPTIONS: contextvars.ContextVar[Options | None] = contextvars.ContextVar(
    "tapegrad.data.pass_options", default=None)


def _next_with_options(it: Iterator[Any], options: Options) -> Any:
    """``next(it)`` with ``options`` visible to the stages that start during the call."""
    token = _PASS_OPTIONS.set(options)
    try:
        return next(it, _END)
    finally:
        _PASS_OPTIONS.reset(token)


def _to_numpy(x: Any) -> np.ndarray:
    """One leaf as NumPy with TF's default dtypes (Python float -> float32, int -> int32);
    text as arrays of Python ``bytes`` (dtype object, as tapegrad's ``tf.string`` tensors
    hold them; readers may give NumPy ``S`` arrays, treated alike)."""
    if isinstance(x, _Base):
        return _bytes_if_text(np.asarray(x._value))
    if isinstance(x, Dataset) or is_composite(x):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        return _bytes_if_text(np.asarray(x))
    if _is_text(x):
        return _bytes_if_text(np.asarray(x, dtype=object))
    return constant(x).numpy()


def _is_text(x: Any) -> bool:
    while isinstance(x, list) and x:
        x = x[0]
    return isinstance(x, (str, bytes))


def _bytes_if_text(a: np.ndarray) -> np.ndarray:
    """Text leaves as object arrays of ``bytes`` (str encoded as UTF-8); others as they are."""
    if a.dtype.kind == "U" or (a.dtype.kind == "O" and a.size and isinstance(
            a.flat[0], (str, bytes))):
        out = np.empty(a.shape, dtype=object)
        out.ravel()[:] = [v.encode() if isinstance(v, str) else bytes(v) for v in a.flat]
        return out
    return a


def _is_string(a: Any) -> bool:
    """Whether a pipeline leaf holds text (object arrays of bytes, or NumPy ``S``)."""
    return isinstance(a, (np.ndarray, np.generic)) and a.dtype.kind in "SO"


def _user_leaf(a: Any) -> Any:
    """A leaf for the user: a tapegrad tensor (``tf.string`` for text, as TF's); ragged and
    sparse leaves as they are."""
    if isinstance(a, Dataset) or is_composite(a):
        return a
    return constant(a.astype(object) if a.dtype.kind == "S" else a)


def _numpy_value(a: Any) -> Any:
    """A leaf as TF's ``as_numpy_iterator`` gives it: a NumPy scalar for a 0-d number,
    Python ``bytes`` for a 0-d string, an object array of ``bytes`` for strings."""
    if isinstance(a, Dataset):
        return a
    if is_composite(a):
        return composite_numpy(a)
    if _is_string(a):
        a = np.asarray(a)
        return bytes(a[()]) if a.ndim == 0 else a.astype(object)
    if isinstance(a, np.generic):
        return a
    return a[()] if a.ndim == 0 else a


def _row(a: np.ndarray, i: int) -> Any:
    """Row ``i`` of a leaf, an array even for text (``a[i]`` of an object array is the
    ``bytes`` object itself)."""
    return a[i, ...] if a.dtype.kind == "O" else a[i]


def _to_user(element: Any) -> Any:
    """An element as the user sees it: tapegrad tensors (windows stay datasets)."""
    return nest.map_structure(_user_leaf, element)


def _tensor_spec(shape: Any, np_dtype: np.dtype) -> TensorSpec:
    if np.dtype(np_dtype).kind in "SO":
        return TensorSpec(shape, _dt.string)
    return TensorSpec(shape, _dt.as_dtype(np_dtype))


def _spec_of(element: Any, batch_dim: bool = False) -> Any:
    def spec(a: np.ndarray) -> Any:
        if is_composite(a):
            return composite_spec(a)
        return _tensor_spec(a.shape[1:] if batch_dim else a.shape, a.dtype)
    return nest.map_structure(spec, element)


def _normalize(element: Any) -> Any:
    """A structure's leaves as NumPy; lists are tensors, as TF packs them (tuples, dicts nest)."""
    if isinstance(element, dict):
        return type(element)((k, _normalize(v)) for k, v in element.items())
    if isinstance(element, tuple):
        parts = [_normalize(v) for v in element]
        return type(element)(*parts) if hasattr(element, "_fields") else tuple(parts)
    return _to_numpy(element)


def _call(fn: Callable, element: Any) -> Any:
    """``fn`` on one element the way TF calls it: tuples are unpacked into arguments."""
    user = _to_user(element)
    if isinstance(user, tuple) and not hasattr(user, "_fields"):
        return fn(*user)
    return fn(user)


class Dataset:
    """``tf.data.Dataset``: a re-iterable pipeline of elements.

    >>> import tapegrad as tf
    >>> ds = tf.data.Dataset.from_tensor_slices([1, 2, 3, 4, 5]).map(lambda x: x * 2).batch(2)
    >>> [b.tolist() for b in ds.as_numpy_iterator()]
    [[2, 4], [6, 8], [10]]
    """

    _options: Options | None = None
    _same_spec = False  # elements keep the source's spec (shuffle, take, ...)
    _tf_name = ""  # the name in TF's repr when it differs from the class name

    # -- what each transformation provides ----------------------------------------------------
    def _iter(self) -> Iterator[Any]:
        raise NotImplementedError

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY

    def _first_spec(self) -> Any:
        if self._same_spec:
            return self.source.element_spec
        for element in self._iter():
            return _spec_of(element)
        raise InvalidArgumentError("element_spec of an empty dataset is not known; tapegrad "
                                   "infers it from the first element")

    # -- inspection ---------------------------------------------------------------------------
    @property
    def element_spec(self) -> Any:
        return self._first_spec()

    def __iter__(self) -> DatasetIterator:
        return DatasetIterator(self)

    def as_numpy_iterator(self) -> Iterator[Any]:
        """Elements as NumPy arrays (``tf.data.Dataset.as_numpy_iterator``)."""
        it, options = self._iter(), self.options()
        while (element := _next_with_options(it, options)) is not _END:
            yield nest.map_structure(_numpy_value, element)

    def cardinality(self) -> Any:
        return constant(np.int64(self._cardinality()))

    def __len__(self) -> int:
        n = self._cardinality()
        if n == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        name = self._tf_name or type(self).__name__.lstrip("_")
        return f"<_{name}Dataset element_spec={self.element_spec}>"

    def get_single_element(self) -> Any:
        it = self._iter()
        first = next(it, _END)
        if first is _END or next(it, _END) is not _END:
            raise InvalidArgumentError("Dataset.get_single_element: the dataset must have "
                                       "exactly one element")
        return _to_user(first)

    def options(self) -> Options:
        """The options set by ``with_options`` here and upstream, merged (later ones win)."""
        out = Options()
        for ds in reversed(self._lineage()):
            if ds._options is not None:
                out = out.merge(ds._options)
        return out

    def _lineage(self) -> list:
        """This dataset and every dataset upstream of it."""
        out, stack = [], [self]
        while stack:
            ds = stack.pop()
            out.append(ds)
            for name in ("source", "first", "second", "files", "choices"):
                if isinstance(getattr(ds, name, None), Dataset):
                    stack.append(getattr(ds, name))
            stack.extend(d for d in getattr(ds, "datasets", ()) if isinstance(d, Dataset))
            if isinstance(getattr(ds, "structure", None), (Dataset, tuple, dict)):
                stack.extend(d for d in nest.flatten(ds.structure) if isinstance(d, Dataset))
        return out

    def with_options(self, options: Options) -> Dataset:
        out: Dataset = _Wrap(self)
        out._options = options
        return out

    # -- sources ------------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors: Any, name: str | None = None) -> Dataset:
        return _Slices(_normalize(tensors))

    @staticmethod
    def from_tensors(tensors: Any, name: str | None = None) -> Dataset:
        return _Tensors(_normalize(tensors))

    @staticmethod
    def range(*args: int, output_type: Any = _dt.int64, name: str | None = None) -> Dataset:
        return _Range(range(*args), _dt.np_dtype(_dt.as_dtype(output_type)))

    @staticmethod
    def zip(*datasets: Any, name: str | None = None) -> Dataset:
        structure = datasets[0] if len(datasets) == 1 else datasets
        return _Zip(structure)

    @staticmethod
    def from_generator(generator: Callable, output_types: Any = None, output_shapes: Any = None,
                       args: Any = None, output_signature: Any = None) -> Dataset:
        return _Generator(generator, tuple(args or ()), output_signature, output_types)

    @staticmethod
    def counter(start: int = 0, step: int = 1, dtype: Any = _dt.int64,
                name: str | None = None) -> Dataset:
        """``start``, ``start + step``, ... for ever.

        >>> import tapegrad as tf
        >>> [int(v) for v in tf.data.Dataset.counter(2, 3).take(3)]
        [2, 5, 8]
        """
        return _Counter(start, step, _dt.np_dtype(_dt.as_dtype(dtype)))

    @staticmethod
    def random(seed: int | None = None, rerandomize_each_iteration: bool | None = None,
               name: str | None = None) -> Dataset:
        """Random int64 values for ever (a seeded stream repeats unless rerandomized).

        >>> import tapegrad as tf
        >>> a = [int(v) for v in tf.data.Dataset.random(seed=4).take(2)]
        >>> a == [int(v) for v in tf.data.Dataset.random(seed=4).take(2)]
        True
        """
        return _RandomInts(seed, bool(rerandomize_each_iteration))

    @staticmethod
    def sample_from_datasets(datasets: list, weights: Any = None, seed: int | None = None,
                             stop_on_empty_dataset: bool = False,
                             rerandomize_each_iteration: bool | None = None) -> Dataset:
        """Each element from ``datasets[i]`` with probability ``weights[i]`` (uniform when
        None); an exhausted input drops out (or ends it all with ``stop_on_empty_dataset``).

        >>> import tapegrad as tf
        >>> ds = tf.data.Dataset.sample_from_datasets(
        ...     [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 13)], seed=1)
        >>> sorted(int(v) for v in ds)
        [0, 1, 2, 10, 11, 12]
        """
        w = np.full(len(datasets), 1.0) if weights is None else np.asarray(
            _to_numpy(weights), np.float64).ravel()
        if len(w) != len(datasets) or (w < 0).any() or w.sum() <= 0:
            raise InvalidArgumentError(f"Dataset.sample_from_datasets: weights must be "
                                       f"{len(datasets)} non-negative numbers with a positive "
                                       f"sum, got {w.tolist()}.")
        return _Sample(list(datasets), w, seed, stop_on_empty_dataset,
                       bool(rerandomize_each_iteration))

    @staticmethod
    def choose_from_datasets(datasets: list, choice_dataset: Dataset,
                             stop_on_empty_dataset: bool = True) -> Dataset:
        """The next element of ``datasets[c]`` for each ``c`` of ``choice_dataset`` (int64).

        >>> import tapegrad as tf
        >>> a, b = tf.data.Dataset.range(3), tf.data.Dataset.range(10, 13)
        >>> choices = tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 0], tf.int64))
        >>> [int(v) for v in tf.data.Dataset.choose_from_datasets([a, b], choices)]
        [0, 10, 11, 1]
        """
        spec = choice_dataset.element_spec
        if not isinstance(spec, TensorSpec) or spec.dtype != _dt.int64 or spec.shape != ():
            raise TypeError(f"Dataset.choose_from_datasets: choice_dataset must be a dataset "
                            f"of scalar tf.int64 tensors, got {spec}.")
        return _Choose(list(datasets), choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def list_files(file_pattern: Any, shuffle: bool | None = None, seed: int | None = None,
                   name: str | None = None) -> Dataset:
        """The files matching a glob pattern (or a list of patterns), as byte strings; sorted,
        then shuffled (a new order each pass) unless ``shuffle=False``.

        >>> import os, pathlib, tempfile, tapegrad as tf
        >>> d = tempfile.mkdtemp()
        >>> for n in ("b.txt", "a.txt"):
        ...     _ = pathlib.Path(d, n).write_text("x")
        >>> [os.path.basename(f) for f in tf.data.Dataset.list_files(
        ...     os.path.join(d, "*.txt"), shuffle=False).as_numpy_iterator()]
        [b'a.txt', b'b.txt']
        """
        patterns = [file_pattern] if isinstance(file_pattern, (str, bytes)) else file_pattern
        patterns = [p.decode() if isinstance(p, bytes) else str(p)
                    for p in np.asarray(_to_numpy(patterns)).ravel().tolist()]
        files = sorted({f for p in patterns for f in glob.glob(p)})
        if not files:
            raise InvalidArgumentError(f"Dataset.list_files: no files matched pattern: "
                                       f"{', '.join(patterns)}")
        ds = _Slices(np.array([f.encode() for f in files]))
        return ds if shuffle is False else ds.shuffle(len(files), seed=seed)

    @staticmethod
    def load(path: str, element_spec: Any = None, compression: str | None = None,
             reader_func: Callable | None = None, wait: bool = False) -> Dataset:
        """A dataset written by ``Dataset.save`` (tapegrad's own format, see ``storage``);
        ``reader_func`` gets the dataset of its shards (each a dataset), as in TF.

        >>> import tempfile, tapegrad as tf
        >>> d = tempfile.mkdtemp()
        >>> tf.data.Dataset.from_tensor_slices(([1, 2], [0.5, 1.5])).save(d)
        >>> [(int(a), float(b)) for a, b in tf.data.Dataset.load(d)]
        [(1, 0.5), (2, 1.5)]
        """
        spec_file = os.path.join(str(path), _SPEC_FILE)
        if not os.path.exists(spec_file):
            raise NotFoundError(f"Dataset.load: {path} holds no saved dataset (no "
                                f"{_SPEC_FILE}); save one with Dataset.save.")
        spec = storage.read_json(spec_file)
        if spec.get("format") != _FORMAT:
            raise InvalidArgumentError(f"Dataset.load: {spec_file} is not in the format "
                                       f"{_FORMAT!r}.")
        shards = [_RecordFile(os.path.join(str(path), os.path.basename(f)),
                              spec.get("compression"), int(n)) for f, n in spec["shards"]]
        if reader_func is not None:
            return _Wrap(reader_func(_Elements(shards)), element_spec)
        return _Wrap(_Elements(shards).flat_map(lambda shard: shard), element_spec,
                     int(spec["cardinality"]))

    # -- transformations ----------------------------------------------------------------------
    def map(self, map_func: Callable, num_parallel_calls: int | None = None,
            deterministic: bool | None = None, name: str | None = None) -> Dataset:
        return _Map(self, map_func, workers_for(num_parallel_calls, AUTOTUNE), deterministic)

    def filter(self, predicate: Callable, name: str | None = None) -> Dataset:
        return _Filter(self, predicate)

    def batch(self, batch_size: int, drop_remainder: bool = False,
              num_parallel_calls: int | None = None, deterministic: bool | None = None,
              name: str | None = None) -> Dataset:
        return _Batch(self, _positive(batch_size, "batch", "batch_size"), drop_remainder)

    def padded_batch(self, batch_size: int, padded_shapes: Any = None, padding_values: Any = None,
                     drop_remainder: bool = False, name: str | None = None) -> Dataset:
        return _Batch(self, _positive(batch_size, "padded_batch", "batch_size"), drop_remainder,
                      pad=(padded_shapes, padding_values))

    def ragged_batch(self, batch_size: int, drop_remainder: bool = False,
                     row_splits_dtype: Any = _dt.int64, name: str | None = None) -> Dataset:
        """Batches whose components of rank >= 1 are ``tf.RaggedTensor`` s (rows may differ in
        length); scalar components are stacked.

        >>> import tapegrad as tf
        >>> ds = tf.data.Dataset.range(4).map(lambda x: tf.range(x)).ragged_batch(2)
        >>> [b.to_list() for b in ds]
        [[[], [0]], [[0, 1], [0, 1, 2]]]
        """
        return _RaggedBatch(self, _positive(batch_size, "ragged_batch", "batch_size"),
                            drop_remainder, _dt.as_dtype(row_splits_dtype))

    def sparse_batch(self, batch_size: int, row_shape: Any, name: str | None = None) -> Dataset:
        """Batches as ``tf.sparse.SparseTensor`` s of dense shape ``[batch] + row_shape``
        (each element no larger than ``row_shape``; None takes the batch's largest size).

        >>> import tapegrad as tf
        >>> ds = tf.data.Dataset.range(3).map(lambda x: tf.fill([x], x)).sparse_batch(3, [2])
        >>> tf.sparse.to_dense(next(iter(ds))).numpy().tolist()
        [[0, 0], [1, 0], [2, 2]]
        """
        shape = [-1 if d is None else int(d) for d in list(row_shape)]
        if any(d < 0 for d in shape):
            raise ValueError(f"Dataset.sparse_batch: row_shape dimensions must be >= 0 (or None), "
                             f"got {list(row_shape)}.")
        return _SparseBatch(self, _positive(batch_size, "sparse_batch", "batch_size"), shape)

    def unbatch(self, name: str | None = None) -> Dataset:
        return _Unbatch(self)

    def shuffle(self, buffer_size: int, seed: int | None = None,
                reshuffle_each_iteration: bool = True, name: str | None = None) -> Dataset:
        return _Shuffle(self, _positive(buffer_size, "shuffle", "buffer_size"), seed,
                        reshuffle_each_iteration)

    def repeat(self, count: int | None = None, name: str | None = None) -> Dataset:
        return _Repeat(self, -1 if count is None else int(count))

    def take(self, count: int, name: str | None = None) -> Dataset:
        return _Take(self, int(count))

    def skip(self, count: int, name: str | None = None) -> Dataset:
        return _Skip(self, int(count))

    def prefetch(self, buffer_size: int, name: str | None = None) -> Dataset:
        size = 2 if buffer_size == AUTOTUNE else _positive(buffer_size, "prefetch", "buffer_size")
        return _Prefetch(self, size)

    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        return _FileCache(self, f"{filename}.tgds") if filename else _Cache(self)

    def save(self, path: str, compression: str | None = None, shard_func: Callable | None = None,
             checkpoint_args: Any = None) -> None:
        """Write the dataset to the folder ``path`` (read it back with ``Dataset.load``):
        record files of checked elements and ``dataset_spec.json``, each moved into place when
        complete; ``shard_func(element)`` picks an element's shard (one shard by default).

        >>> import os, tempfile, tapegrad as tf
        >>> d = tempfile.mkdtemp()
        >>> tf.data.Dataset.range(4).save(d, shard_func=lambda x: x % 2)
        >>> sorted(f.split("-")[-1] for f in os.listdir(d) if f.endswith(".tgds"))
        ['00000.tgds', '00001.tgds']
        """
        os.makedirs(path, exist_ok=True)
        for _ in _publish(self._iter(), path, compression, shard_func):
            pass

    def enumerate(self, start: int = 0, name: str | None = None) -> Dataset:
        return _Zip((_Range(range(start, 2 ** 62), np.int64), self))

    def concatenate(self, dataset: Dataset, name: str | None = None) -> Dataset:
        return _Concat(self, dataset)

    def flat_map(self, map_func: Callable, name: str | None = None) -> Dataset:
        return _FlatMap(self, map_func)

    def interleave(self, map_func: Callable, cycle_length: int | None = None,
                   block_length: int = 1, num_parallel_calls: int | None = None,
                   deterministic: bool | None = None, name: str | None = None) -> Dataset:
        cycle = 8 if cycle_length in (None, AUTOTUNE) else int(cycle_length)
        workers = min(workers_for(num_parallel_calls, AUTOTUNE), cycle)
        return _Interleave(self, map_func, cycle, _positive(block_length, "interleave",
                                                            "block_length"), workers)

    def window(self, size: int, shift: int | None = None, stride: int = 1,
               drop_remainder: bool = False, name: str | None = None) -> Dataset:
        size = _positive(size, "window", "size")
        return _Window(self, size, size if shift is None else _positive(shift, "window", "shift"),
                       _positive(stride, "window", "stride"), drop_remainder)

    def scan(self, initial_state: Any, scan_func: Callable, name: str | None = None) -> Dataset:
        return _Scan(self, _normalize(initial_state), scan_func)

    def shard(self, num_shards: int, index: int, name: str | None = None) -> Dataset:
        if not 0 <= int(index) < int(num_shards):
            raise InvalidArgumentError(f"Dataset.shard: index must be in [0, num_shards), got "
                                       f"index={index}, num_shards={num_shards}")
        return _Shard(self, int(num_shards), int(index))

    def rebatch(self, batch_size: int, drop_remainder: bool = False,
                name: str | None = None) -> Dataset:
        return self.unbatch().batch(batch_size, drop_remainder)

    def ignore_errors(self, log_warning: bool = False, name: str | None = None) -> Dataset:
        return _IgnoreErrors(self)

    def group_by_window(self, key_func: Callable, reduce_func: Callable,
                        window_size: int | None = None, window_size_func: Callable | None = None,
                        name: str | None = None) -> Dataset:
        return _GroupByWindow(self, key_func, reduce_func, window_size, window_size_func)

    def bucket_by_sequence_length(self, element_length_func: Callable,
                                  bucket_boundaries: list, bucket_batch_sizes: list,
                                  padded_shapes: Any = None, padding_values: Any = None,
                                  pad_to_bucket_boundary: bool = False,
                                  drop_remainder: bool = False, name: str | None = None) -> Dataset:
        """Batches of elements of similar length (``tf.data.Dataset.bucket_by_sequence_length``)."""
        bounds = [int(b) for b in bucket_boundaries]
        if len(bucket_batch_sizes) != len(bounds) + 1:
            raise ValueError(f"len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1, "
                             f"got {len(bucket_batch_sizes)} and {len(bounds)}.")

        def key(*element: Any) -> Any:
            n = int(element_length_func(*element))
            return np.int64(sum(n >= b for b in bounds))

        def reduce(k: Any, window: Dataset) -> Dataset:
            shapes = padded_shapes
            if pad_to_bucket_boundary:
                shapes = _to_boundary(window, padded_shapes, bounds, int(k))
            return window.padded_batch(int(bucket_batch_sizes[int(k)]), shapes,
                                       padding_values, drop_remainder)
        return self.group_by_window(key, reduce, window_size_func=lambda k: bucket_batch_sizes[
            int(k)])

    def take_while(self, predicate: Callable, name: str | None = None) -> Dataset:
        """Elements until the first one for which ``predicate`` is False.

        >>> import tapegrad as tf
        >>> [int(v) for v in tf.data.Dataset.range(9).take_while(lambda x: x < 3)]
        [0, 1, 2]
        """
        return _TakeWhile(self, predicate)

    def unique(self, name: str | None = None) -> Dataset:
        """Each distinct scalar element once, at its first occurrence.

        >>> import tapegrad as tf
        >>> [int(v) for v in tf.data.Dataset.from_tensor_slices([1, 37, 2, 37, 2, 1]).unique()]
        [1, 37, 2]
        """
        return _Unique(self)

    def rejection_resample(self, class_func: Callable, target_dist: Any,
                           initial_dist: Any = None, seed: int | None = None,
                           name: str | None = None) -> Dataset:
        """``(class, element)`` pairs, resampled by rejection so that the classes follow
        ``target_dist``: an element of class ``c`` is kept with probability
        ``r_c / max(r)``, ``r = target_dist / initial_dist`` (``initial_dist`` estimated from
        the classes seen so far when not given).

        >>> import tapegrad as tf
        >>> ds = tf.data.Dataset.from_tensor_slices([0, 1, 0, 1]).rejection_resample(
        ...     lambda y: y, target_dist=[0.0, 1.0], initial_dist=[0.5, 0.5], seed=0)
        >>> [(int(c), int(y)) for c, y in ds]
        [(1, 1), (1, 1)]
        """
        target = np.asarray(_to_numpy(target_dist), np.float64).ravel()
        initial = None if initial_dist is None else np.asarray(_to_numpy(initial_dist),
                                                                np.float64).ravel()
        return _Resample(self, class_func, target, initial, seed)

    def snapshot(self, path: str, compression: str = "AUTO", reader_func: Callable | None = None,
                 shard_func: Callable | None = None, name: str | None = None) -> Dataset:
        """The first complete pass is written under ``path/<fingerprint>`` (``shard_func``
        picks each element's shard, one by default); later passes, and later programs that build
        the same pipeline, read it back through ``reader_func`` (its shards, each a dataset, in
        shard order by default). A changed pipeline has another fingerprint, so it never reads
        a stale snapshot; a pass left early writes nothing.

        >>> import os, tempfile, tapegrad as tf
        >>> d = tempfile.mkdtemp()
        >>> ds = tf.data.Dataset.range(3).map(lambda x: x * x).snapshot(d)
        >>> [int(v) for v in ds] == [int(v) for v in ds] == [0, 1, 4]
        True
        >>> len(os.listdir(d))  # one folder, named by the pipeline's fingerprint
        1
        """
        kind = None if compression in ("AUTO", "", None) else str(compression).upper()
        if kind not in (None, "GZIP"):
            raise InvalidArgumentError(f"Dataset.snapshot: compression must be 'AUTO', 'GZIP' "
                                       f"or None, got {compression!r} (tapegrad has no Snappy).")
        return _Snapshot(self, str(path), kind, reader_func, shard_func)

    def fingerprint(self) -> Any:
        """A ``tf.uint64`` scalar: the same for the same pipeline built again, in this program
        or another (its stages, arguments, data and the code of its functions; not TF's
        numbers).

        >>> import tapegrad as tf
        >>> a, b = tf.data.Dataset.range(3).batch(2), tf.data.Dataset.range(3).batch(2)
        >>> int(a.fingerprint()) == int(b.fingerprint())
        True
        >>> int(a.fingerprint()) == int(tf.data.Dataset.range(3).fingerprint())
        False
        >>> a.fingerprint().dtype
        tf.uint64
        """
        return constant(np.uint64(fingerprint.digest(self)))

    def apply(self, transformation_func: Callable) -> Dataset:
        return transformation_func(self)

    def reduce(self, initial_state: Any, reduce_func: Callable, name: str | None = None) -> Any:
        state = _to_user(_normalize(initial_state))
        for element in self:
            args = element if isinstance(element, tuple) else (element,)
            state = reduce_func(state, *args)
        return state


class DatasetIterator:
    """``tf.data.Iterator``, what ``iter(dataset)`` gives: ``next(it)``, ``it.get_next()``
    (``OutOfRangeError`` at the end, as TF's), ``element_spec``. Dropping it stops the
    pipeline's threads.

    >>> import tapegrad as tf
    >>> it = iter(tf.data.Dataset.range(2))
    >>> int(it.get_next()), int(next(it))
    (0, 1)
    """

    def __init__(self, dataset: Dataset):
        self._seeds = _random_state(dataset)  # before the first pass draws its stream
        self._dataset, self._it = dataset, dataset._iter()
        self._options, self._position = dataset.options(), 0

    def __iter__(self) -> DatasetIterator:
        return self

    def _next(self) -> Any:
        element = _next_with_options(self._it, self._options)
        if element is not _END:
            self._position += 1
        return element

    def __next__(self) -> Any:
        element = self._next()
        if element is _END:
            raise StopIteration
        return _to_user(element)

    # -- tf.train.Checkpoint: the position, restored by replaying the pipeline ----------------
    def _checkpoint_tensors(self) -> dict:
        """TF's ``ITERATOR_STATE`` attribute: ``[position, then per random stage: the pass
        number and the seed's entropy in four 32-bit words]`` (int64)."""
        return {"ITERATOR_STATE": np.asarray([self._position] + self._seeds, np.int64)}

    def _restore_checkpoint_tensor(self, name: str, value: Any) -> None:
        state = np.asarray(value).ravel().tolist()
        if name != "ITERATOR_STATE" or len(state) != 1 + len(self._seeds):
            raise ValueError(f"Checkpoint: the saved iterator state ({len(state)} numbers) does "
                             f"not fit this iterator's pipeline ({1 + len(self._seeds)}); "
                             f"restore into an iterator of the same pipeline.")
        self.close()
        _set_random_state(self._dataset, state[1:])
        self._seeds, self._it, self._position = state[1:], self._dataset._iter(), 0
        for _ in range(int(state[0])):  # replay: exact for a deterministic or seeded pipeline
            if self._next() is _END:
                break

    def get_next(self) -> Any:
        try:
            return next(self)
        except StopIteration:
            raise OutOfRangeError("End of sequence") from None

    def get_next_as_optional(self) -> Optional:
        """The next element in a ``tf.experimental.Optional``, empty at the end."""
        element = self._next()
        if element is _END:
            return Optional.empty(self.element_spec)
        return Optional(_to_user(element), _spec_of(element), True)

    def close(self) -> None:
        """Stop the pipeline now (its threads are joined), as closing a generator does."""
        close = getattr(self._it, "close", None)
        if close is not None:
            close()

    @property
    def element_spec(self) -> Any:
        return self._dataset.element_spec


def _publish(elements: Iterator[Any], path: str, compression: str | None,
             shard_func: Callable | None) -> Iterator[Any]:
    """Write ``elements`` to record files in ``path`` (``shard_func(element)`` picks the shard),
    yielding each once written, then ``dataset_spec.json``, which makes them a saved dataset;
    a run left early removes its files."""
    shards = storage.ShardWriters(path, compression)
    try:
        for element in elements:
            shards.write(0 if shard_func is None else int(_to_numpy(_call(shard_func, element))),
                         element)
            yield element
    except BaseException:
        shards.abort()
        raise
    names = shards.commit()
    storage.write_json_atomic(os.path.join(path, _SPEC_FILE), {
        "format": _FORMAT, "compression": compression,
        "cardinality": sum(n for _, n in names), "shards": names})
    kept = {n for n, _ in names}
    for f in glob.glob(os.path.join(glob.escape(path), "shard-*.tgds")):
        if os.path.basename(f) not in kept:
            os.remove(f)  # a previous save's shards


class _Snapshot(Dataset):
    """``snapshot``: a saved dataset in ``path/<fingerprint>``, written by the first complete
    pass (while it is consumed) and read by the later ones."""

    _same_spec = True

    def __init__(self, source: Dataset, path: str, compression: str | None,
                 reader_func: Callable | None, shard_func: Callable | None):
        self.source, self.path, self.compression = source, path, compression
        self.reader_func, self.shard_func = reader_func, shard_func

    def _iter(self) -> Iterator[Any]:
        folder = os.path.join(self.path, f"{fingerprint.digest(self.source):016x}")
        if os.path.exists(os.path.join(folder, _SPEC_FILE)):
            yield from Dataset.load(folder, reader_func=self.reader_func)._iter()
            return
        os.makedirs(folder, exist_ok=True)
        yield from _publish(self.source._iter(), folder, self.compression, self.shard_func)

    def _cardinality(self) -> int:
        return self.source._cardinality()


def _random_stages(dataset: Dataset) -> list:
    return [d for d in dataset._lineage() if isinstance(d, _Seeded)]


def _random_state(dataset: Dataset) -> list[int]:
    """Each random stage's pass number and seed entropy (4 words of 32 bits), in lineage order."""
    out = []
    for d in _random_stages(dataset):
        if not 0 <= d.base < 1 << 128:
            raise ValueError(f"tf.data: a seed of {d.base.bit_length()} bits cannot be kept in "
                             f"an iterator's checkpoint state (at most 128 bits).")
        out += [d.epoch] + [(d.base >> (32 * k)) & 0xFFFFFFFF for k in range(4)]
    return out


def _set_random_state(dataset: Dataset, state: list[int]) -> None:
    for i, d in enumerate(_random_stages(dataset)):
        epoch, *words = state[5 * i:5 * i + 5]
        d.epoch, d.base = int(epoch), sum(int(w) << (32 * k) for k, w in enumerate(words))


_END = object()
_SPEC_FILE = "dataset_spec.json"
_FORMAT = "tapegrad.data.save/1"


def _to_boundary(window: Dataset, padded_shapes: Any, bounds: list, k: int) -> Any:
    """``pad_to_bucket_boundary``: unknown dimensions (None/-1 in ``padded_shapes``; without
    it, each component's first) padded to the bucket's boundary minus one."""
    if k >= len(bounds):
        raise InvalidArgumentError(f"bucket_by_sequence_length: with pad_to_bucket_boundary "
                                   f"every element must be shorter than max(bucket_boundaries) "
                                   f"= {max(bounds)}.")
    spec = window.element_spec
    specs = nest.flatten(spec)
    if padded_shapes is None:
        shapes = [[None] * len(s.shape) for s in specs]
    else:
        shapes = [list(s) for s in nest.flatten_up_to(spec, padded_shapes, check_types=False)]
        shapes = [[None if d == -1 else d for d in s] for s in shapes]
    for s in shapes:  # TF pads the unknown dimensions; tapegrad knows none: the first
        if s and (padded_shapes is None or None in s):
            s[s.index(None) if None in s else 0] = bounds[k] - 1
    return shapes[0] if not nest.is_nested(spec) else nest.pack_sequence_as(spec, shapes)


def _positive(n: int, op: str, what: str) -> int:
    n = int(n)
    if n <= 0:
        raise InvalidArgumentError(f"Dataset.{op}: {what} must be greater than zero, got {n}.")
    return n


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


class _FileCache(Dataset):
    """``cache(filename)``: the first complete pass is written to a record file, moved into
    place only when the pass ends; later passes (and later programs) read it. A pass left
    early leaves no file, so a partial cache is never reused."""

    _same_spec = True

    def __init__(self, source: Dataset, path: str):
        self.source, self.path = source, path

    def _iter(self) -> Iterator[Any]:
        if storage.is_complete(self.path):
            yield from storage.read_records(self.path)
            return
        writer = None
        try:
            for element in self.source._iter():
                if writer is None:
                    writer = storage.RecordWriter(self.path, element)
                writer.write(element)
                yield element
        except BaseException:
            if writer is not None:
                writer.abort()
            raise
        if writer is not None:
            writer.commit()

    def _cardinality(self) -> int:
        return self.source._cardinality()


class _Prefetch(Dataset):
    """Elements produced by a background thread into a queue of ``size``, ahead of the consumer.

    Leaving the loop early (``break``, an exception, garbage collection) stops and joins the
    thread; an error in the pipeline is raised in the consumer.
    """

    _same_spec = True

    def __init__(self, source: Dataset, size: int):
        self.source, self.size = source, size

    def _iter(self) -> Iterator[Any]:
        q: queue.Queue = queue.Queue(self.size)
        stop = threading.Event()
        context = contextvars.copy_context()  # the pass's options reach the stages upstream
        worker = threading.Thread(target=context.run, args=(_produce, self.source, q, stop),
                                  daemon=True, name="tapegrad.data.prefetch")
        worker.start()
        try:
            while True:
                kind, item = q.get()
                if kind == "end":
                    return
                if kind == "error":
                    raise item
                yield item
        finally:
            stop.set()
            while worker.is_alive():
                try:
                    q.get(timeout=0.01)
                except queue.Empty:
                    pass
            worker.join()

    def _cardinality(self) -> int:
        return self.source._cardinality()


def _produce(source: Dataset, q: queue.Queue, stop: threading.Event) -> None:
    """The prefetch thread: put each element (then "end", or the error) unless told to stop."""
    def put(kind: str, item: Any) -> bool:
        while not stop.is_set():
            try:
                q.put((kind, item), timeout=0.05)
                return True
            except queue.Full:
                continue
        return False
    try:
        for element in source._iter():
            if not put("item", element):
                return
    except BaseException as e:  # handed to the consumer, which raises it
        put("error", e)
        return
    put("end", None)


class _Slices(Dataset):
    _tf_name = "TensorSlice"

    def __init__(self, tensors: Any):
        leaves = nest.flatten(tensors)
        sizes = {a.shape[0] if a.ndim else None for a in leaves}
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
        return _spec_of(self.tensors, batch_dim=True)


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


def _stack(parts: list, pad: tuple | None, op: str) -> np.ndarray:
    shapes = {p.shape for p in parts}
    if pad is None:
        if len(shapes) > 1:
            k = next(i for i, p in enumerate(parts) if p.shape != parts[0].shape)
            raise InvalidArgumentError(
                f"Cannot {op} tensors with different shapes in component 0. First element had "
                f"shape {list(parts[0].shape)} and element {k} had shape {list(parts[k].shape)}. "
                f"Use Dataset.padded_batch to batch elements of different shapes.")
        return np.stack(parts)
    shape, value = pad
    target = [max(p.shape[d] for p in parts) for d in range(parts[0].ndim)]
    if shape is not None:
        target = [t if s is None or s == -1 else int(s) for t, s in zip(target, shape)]
    if value is None:
        value = b"" if _is_string(parts[0]) else 0
    out = np.full([len(parts)] + target, value, dtype=parts[0].dtype)
    for i, p in enumerate(parts):
        out[(i,) + tuple(slice(0, n) for n in p.shape)] = p
    return out


class _Batch(Dataset):
    def __init__(self, source: Dataset, size: int, drop: bool, pad: tuple | None = None):
        self.source, self.size, self.drop, self.pad = source, size, drop, pad

    def _iter(self) -> Iterator[Any]:
        if self.pad is None and isinstance(self.source, _Slices):
            yield from self._slice_batches(self.source, None)
            return
        if self.pad is None and isinstance(self.source, _Shuffle) and isinstance(
                self.source.source, _Slices):
            src = self.source.source
            yield from self._slice_batches(src, self.source.indices(src.n))
            return
        yield from self._buffered()

    def _buffered(self) -> Iterator[Any]:
        """Elements gathered ``size`` at a time and collated."""
        buf: list = []
        for element in self.source._iter():
            buf.append(element)
            if len(buf) == self.size:
                yield self._collate(buf)
                buf = []
        if buf and not self.drop:
            yield self._collate(buf)

    def _first_spec(self) -> Any:
        lead = self.size if self.drop else None
        def spec(s: TensorSpec) -> TensorSpec:
            inner = s.shape if self.pad is None else tuple(None for _ in s.shape)
            return TensorSpec((lead,) + tuple(inner), s.dtype)
        return nest.map_structure(spec, self.source.element_spec)

    def _slice_batches(self, src: _Slices, order: np.ndarray | None) -> Iterator[Any]:
        """Whole batches sliced (or, shuffled, gathered) at once: no per-element Python loop."""
        stop = src.n - src.n % self.size if self.drop else src.n
        for i in range(0, stop, self.size):
            rows = slice(i, i + self.size) if order is None else order[i:i + self.size]
            yield nest.pack_sequence_as(src.tensors, [a[rows] for a in src.leaves])

    def _collate(self, buf: list) -> Any:
        flats = [nest.flatten(e) for e in buf]
        n = len(flats[0])
        shapes = values = [None] * n
        if self.pad is not None:  # one shape (a list of dims) and one value per component
            if self.pad[0] is not None:
                shapes = [None if s is None else tuple(s)
                          for s in nest.flatten_up_to(buf[0], self.pad[0], check_types=False)]
            if self.pad[1] is not None:
                values = nest.flatten_up_to(buf[0], self.pad[1], check_types=False)
        cols = [_stack([f[k] for f in flats], None if self.pad is None else (shapes[k], values[k]),
                       "batch") for k in range(n)]
        return nest.pack_sequence_as(buf[0], cols)

    def _cardinality(self) -> int:
        n = self.source._cardinality()
        if n < 0:
            return n
        return n // self.size if self.drop else -(-n // self.size)


class _RaggedBatch(_Batch):
    """``ragged_batch``: components of rank >= 1 become RaggedTensors, scalars are stacked."""

    def __init__(self, source: Dataset, size: int, drop: bool, splits_dtype: Any):
        super().__init__(source, size, drop)
        self.splits_dtype = splits_dtype

    def _iter(self) -> Iterator[Any]:
        return _Batch._buffered(self)

    def _collate(self, buf: list) -> Any:
        cols = [[nest.flatten(e)[k] for e in buf] for k in range(len(nest.flatten(buf[0])))]
        return nest.pack_sequence_as(buf[0], [np.stack(c) if c[0].ndim == 0 else ragged_of(c)
                                              for c in cols])

    def _first_spec(self) -> Any:
        lead = self.size if self.drop else None

        def spec(s: TensorSpec) -> Any:
            if not s.shape:
                return TensorSpec((lead,), s.dtype)
            return RaggedTensorSpec([lead, None] + list(s.shape[1:]), s.dtype, 1,
                                    self.splits_dtype)
        return nest.map_structure(spec, self.source.element_spec)


class _SparseBatch(_Batch):
    """``sparse_batch``: each component batched as a SparseTensor of rows of ``row_shape``."""

    def __init__(self, source: Dataset, size: int, row_shape: list):
        super().__init__(source, size, False)
        self.row_shape = row_shape

    def _iter(self) -> Iterator[Any]:
        return _Batch._buffered(self)

    def _collate(self, buf: list) -> Any:
        cols = [[nest.flatten(e)[k] for e in buf] for k in range(len(nest.flatten(buf[0])))]
        return nest.pack_sequence_as(buf[0], [sparse_of(c, self.row_shape) for c in cols])

    def _first_spec(self) -> Any:
        shape = [None] + [None if d == -1 else d for d in self.row_shape]
        return nest.map_structure(lambda s: SparseTensorSpec(shape, s.dtype),
                                  self.source.element_spec)


class _Unbatch(Dataset):
    def __init__(self, source: Dataset):
        self.source = source

    def _first_spec(self) -> Any:
        return nest.map_structure(lambda s: TensorSpec(s.shape[1:], s.dtype),
                                  self.source.element_spec)

    def _iter(self) -> Iterator[Any]:
        for element in self.source._iter():
            leaves = nest.flatten(element)
            for i in range(leaves[0].shape[0]):
                yield nest.pack_sequence_as(element, [_row(a, i) for a in leaves])


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


class _Cache(Dataset):
    _same_spec = True

    def __init__(self, source: Dataset):
        self.source, self.cached = source, None

    def _iter(self) -> Iterator[Any]:
        if self.cached is not None:
            yield from self.cached
            return
        seen = []
        for element in self.source._iter():
            seen.append(element)
            yield element
        self.cached = seen

    def _cardinality(self) -> int:
        return self.source._cardinality()


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


collections.abc.Iterable.register(Dataset)
