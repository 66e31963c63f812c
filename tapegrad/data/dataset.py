"""``tf.data.Dataset`` on NumPy: a chain of small transformation objects, each an iterator factory.

This module holds the ``Dataset`` class, its public methods and the inspection every stage
shares; the stages themselves live in ``sources``, ``transforms``, ``batching`` and ``caching``
(reached through ``STAGES``), the user's iterator in ``iterator``. Elements travel inside the
pipeline as nested structures of NumPy arrays (``elements``); they become tapegrad tensors only
where the user sees them (iteration, ``map``).
"""

from __future__ import annotations

import collections
import glob
import os
from typing import Any, Callable, Iterator

import numpy as np

from ..engine import dtypes as _dt
from ..engine import nest
from ..engine.convert import constant
from ..engine.errors import InvalidArgumentError, NotFoundError
from ..function import TensorSpec
from . import fingerprint, storage
from .elements import (_END, AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY,
                       _next_with_options, _normalize, _numpy_value, _spec_of, _to_numpy,
                       _to_user)
from .options import Options
from .parallel import workers_for
from .saving import _FORMAT, _SPEC_FILE, _publish

__all__ = ["Dataset", "STAGES", "AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY",
           "Options"]


class _Stages:
    """The classes behind Dataset's methods. Each stage subclasses Dataset, so this module
    cannot import them: ``tapegrad.data`` fills the table in, one explicit line per entry, as
    ``tapegrad.ops`` fills the engine's ``OPERATORS``."""

    Iterator: type
    Batch: type
    Cache: type
    Choose: type
    Concat: type
    Counter: type
    Elements: type
    FileCache: type
    Filter: type
    FlatMap: type
    Generator: type
    GroupByWindow: type
    IgnoreErrors: type
    Interleave: type
    Map: type
    Prefetch: type
    RaggedBatch: type
    RandomInts: type
    Range: type
    RecordFile: type
    Repeat: type
    Resample: type
    Sample: type
    Scan: type
    Shard: type
    Shuffle: type
    Skip: type
    Slices: type
    Snapshot: type
    SparseBatch: type
    Take: type
    TakeWhile: type
    Tensors: type
    Unbatch: type
    Unique: type
    Window: type
    Wrap: type
    Zip: type


STAGES = _Stages()


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

    def __iter__(self) -> Any:
        return STAGES.Iterator(self)

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
        out: Dataset = STAGES.Wrap(self)
        out._options = options
        return out

    # -- sources ------------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors: Any, name: str | None = None) -> Dataset:
        return STAGES.Slices(_normalize(tensors))

    @staticmethod
    def from_tensors(tensors: Any, name: str | None = None) -> Dataset:
        return STAGES.Tensors(_normalize(tensors))

    @staticmethod
    def range(*args: int, output_type: Any = _dt.int64, name: str | None = None) -> Dataset:
        return STAGES.Range(range(*args), _dt.np_dtype(_dt.as_dtype(output_type)))

    @staticmethod
    def zip(*datasets: Any, name: str | None = None) -> Dataset:
        structure = datasets[0] if len(datasets) == 1 else datasets
        return STAGES.Zip(structure)

    @staticmethod
    def from_generator(generator: Callable, output_types: Any = None, output_shapes: Any = None,
                       args: Any = None, output_signature: Any = None) -> Dataset:
        return STAGES.Generator(generator, tuple(args or ()), output_signature, output_types)

    @staticmethod
    def counter(start: int = 0, step: int = 1, dtype: Any = _dt.int64,
                name: str | None = None) -> Dataset:
        """``start``, ``start + step``, ... for ever.

        >>> import tapegrad as tf
        >>> [int(v) for v in tf.data.Dataset.counter(2, 3).take(3)]
        [2, 5, 8]
        """
        return STAGES.Counter(start, step, _dt.np_dtype(_dt.as_dtype(dtype)))

    @staticmethod
    def random(seed: int | None = None, rerandomize_each_iteration: bool | None = None,
               name: str | None = None) -> Dataset:
        """Random int64 values for ever (a seeded stream repeats unless rerandomized).

        >>> import tapegrad as tf
        >>> a = [int(v) for v in tf.data.Dataset.random(seed=4).take(2)]
        >>> a == [int(v) for v in tf.data.Dataset.random(seed=4).take(2)]
        True
        """
        return STAGES.RandomInts(seed, bool(rerandomize_each_iteration))

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
        return STAGES.Sample(list(datasets), w, seed, stop_on_empty_dataset,
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
        return STAGES.Choose(list(datasets), choice_dataset, stop_on_empty_dataset)

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
        ds = STAGES.Slices(np.array([f.encode() for f in files]))
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
        shards = [STAGES.RecordFile(os.path.join(str(path), os.path.basename(f)),
                                    spec.get("compression"), int(n)) for f, n in spec["shards"]]
        if reader_func is not None:
            return STAGES.Wrap(reader_func(STAGES.Elements(shards)), element_spec)
        return STAGES.Wrap(STAGES.Elements(shards).flat_map(lambda shard: shard), element_spec,
                           int(spec["cardinality"]))

    # -- transformations ----------------------------------------------------------------------
    def map(self, map_func: Callable, num_parallel_calls: int | None = None,
            deterministic: bool | None = None, name: str | None = None) -> Dataset:
        return STAGES.Map(self, map_func, workers_for(num_parallel_calls, AUTOTUNE), deterministic)

    def filter(self, predicate: Callable, name: str | None = None) -> Dataset:
        return STAGES.Filter(self, predicate)

    def batch(self, batch_size: int, drop_remainder: bool = False,
              num_parallel_calls: int | None = None, deterministic: bool | None = None,
              name: str | None = None) -> Dataset:
        return STAGES.Batch(self, _positive(batch_size, "batch", "batch_size"), drop_remainder)

    def padded_batch(self, batch_size: int, padded_shapes: Any = None, padding_values: Any = None,
                     drop_remainder: bool = False, name: str | None = None) -> Dataset:
        return STAGES.Batch(self, _positive(batch_size, "padded_batch", "batch_size"),
                            drop_remainder, pad=(padded_shapes, padding_values))

    def ragged_batch(self, batch_size: int, drop_remainder: bool = False,
                     row_splits_dtype: Any = _dt.int64, name: str | None = None) -> Dataset:
        """Batches whose components of rank >= 1 are ``tf.RaggedTensor`` s (rows may differ in
        length); scalar components are stacked.

        >>> import tapegrad as tf
        >>> ds = tf.data.Dataset.range(4).map(lambda x: tf.range(x)).ragged_batch(2)
        >>> [b.to_list() for b in ds]
        [[[], [0]], [[0, 1], [0, 1, 2]]]
        """
        return STAGES.RaggedBatch(self, _positive(batch_size, "ragged_batch", "batch_size"),
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
        return STAGES.SparseBatch(self, _positive(batch_size, "sparse_batch", "batch_size"), shape)

    def unbatch(self, name: str | None = None) -> Dataset:
        return STAGES.Unbatch(self)

    def shuffle(self, buffer_size: int, seed: int | None = None,
                reshuffle_each_iteration: bool = True, name: str | None = None) -> Dataset:
        return STAGES.Shuffle(self, _positive(buffer_size, "shuffle", "buffer_size"), seed,
                              reshuffle_each_iteration)

    def repeat(self, count: int | None = None, name: str | None = None) -> Dataset:
        return STAGES.Repeat(self, -1 if count is None else int(count))

    def take(self, count: int, name: str | None = None) -> Dataset:
        return STAGES.Take(self, int(count))

    def skip(self, count: int, name: str | None = None) -> Dataset:
        return STAGES.Skip(self, int(count))

    def prefetch(self, buffer_size: int, name: str | None = None) -> Dataset:
        size = 2 if buffer_size == AUTOTUNE else _positive(buffer_size, "prefetch", "buffer_size")
        return STAGES.Prefetch(self, size)

    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        return STAGES.FileCache(self, f"{filename}.tgds") if filename else STAGES.Cache(self)

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
        return STAGES.Zip((STAGES.Range(range(start, 2 ** 62), np.int64), self))

    def concatenate(self, dataset: Dataset, name: str | None = None) -> Dataset:
        return STAGES.Concat(self, dataset)

    def flat_map(self, map_func: Callable, name: str | None = None) -> Dataset:
        return STAGES.FlatMap(self, map_func)

    def interleave(self, map_func: Callable, cycle_length: int | None = None,
                   block_length: int = 1, num_parallel_calls: int | None = None,
                   deterministic: bool | None = None, name: str | None = None) -> Dataset:
        cycle = 8 if cycle_length in (None, AUTOTUNE) else int(cycle_length)
        workers = min(workers_for(num_parallel_calls, AUTOTUNE), cycle)
        block = _positive(block_length, "interleave", "block_length")
        return STAGES.Interleave(self, map_func, cycle, block, workers)

    def window(self, size: int, shift: int | None = None, stride: int = 1,
               drop_remainder: bool = False, name: str | None = None) -> Dataset:
        size = _positive(size, "window", "size")
        shift = size if shift is None else _positive(shift, "window", "shift")
        return STAGES.Window(self, size, shift, _positive(stride, "window", "stride"),
                             drop_remainder)

    def scan(self, initial_state: Any, scan_func: Callable, name: str | None = None) -> Dataset:
        return STAGES.Scan(self, _normalize(initial_state), scan_func)

    def shard(self, num_shards: int, index: int, name: str | None = None) -> Dataset:
        if not 0 <= int(index) < int(num_shards):
            raise InvalidArgumentError(f"Dataset.shard: index must be in [0, num_shards), got "
                                       f"index={index}, num_shards={num_shards}")
        return STAGES.Shard(self, int(num_shards), int(index))

    def rebatch(self, batch_size: int, drop_remainder: bool = False,
                name: str | None = None) -> Dataset:
        return self.unbatch().batch(batch_size, drop_remainder)

    def ignore_errors(self, log_warning: bool = False, name: str | None = None) -> Dataset:
        return STAGES.IgnoreErrors(self)

    def group_by_window(self, key_func: Callable, reduce_func: Callable,
                        window_size: int | None = None, window_size_func: Callable | None = None,
                        name: str | None = None) -> Dataset:
        return STAGES.GroupByWindow(self, key_func, reduce_func, window_size, window_size_func)

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
        return STAGES.TakeWhile(self, predicate)

    def unique(self, name: str | None = None) -> Dataset:
        """Each distinct scalar element once, at its first occurrence.

        >>> import tapegrad as tf
        >>> [int(v) for v in tf.data.Dataset.from_tensor_slices([1, 37, 2, 37, 2, 1]).unique()]
        [1, 37, 2]
        """
        return STAGES.Unique(self)

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
        return STAGES.Resample(self, class_func, target, initial, seed)

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
        return STAGES.Snapshot(self, str(path), kind, reader_func, shard_func)

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


collections.abc.Iterable.register(Dataset)
