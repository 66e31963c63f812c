"""Lookup tables (``tf.lookup``): a static table filled once from an initializer (keys and
values as tensors, or the lines of a text file), a vocabulary table that hashes unknown keys
into out-of-vocabulary buckets as TF does (FarmHash), and mutable tables (insert, remove,
export) — each a Python dict behind TF's interface. Lookups accept dense, ragged and sparse
keys; no lookup has a gradient, as in TF."""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np

from ..engine import dtypes as _dt
from ..engine.convert import convert_to_tensor
from ..engine.errors import FailedPreconditionError, InvalidArgumentError, NotFoundError
from ..engine.tensor import Tensor
from ..engine.variable import Variable
from ..ops.ragged import RaggedTensor
from ..ops.sparse import SparseTensor
from ..ops.strings import as_string, to_hash_bucket_fast

__all__ = ["TextFileIndex", "KeyValueTensorInitializer", "TextFileInitializer",
           "StaticHashTable",
           "StaticVocabularyTable", "MutableHashTable", "DenseHashTable"]


def _tensor(x: Any, dtype: Any, what: str) -> Tensor:
    """``x`` as a tensor of ``dtype``; a tensor of another dtype is TF's ``TypeError``."""
    want = _dt.as_dtype(dtype)
    if isinstance(x, Variable):
        x = x.read_value()
    if isinstance(x, Tensor):
        if x.dtype != want:
            raise TypeError(f"Dtype of argument `{what}` must be {want!r}, received: "
                            f"{x.dtype!r}")
        return x
    if want == _dt.string:
        return convert_to_tensor(x, _dt.string)
    return convert_to_tensor(np.asarray(x, dtype=_dt.np_dtype(want)))


def _key(v: Any) -> Any:
    """A dict key for one element: bytes for strings, a Python number otherwise."""
    if isinstance(v, str):
        return v.encode("utf-8")
    return v.item() if isinstance(v, (np.generic, np.ndarray)) else v


class TextFileIndex:
    """Which part of a line is a key or a value: a column number, or one of these."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class KeyValueTensorInitializer:
    """Fills a table with ``keys[i] -> values[i]``.

    >>> import tapegrad as tf
    >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2])
    >>> init.key_dtype, init.value_dtype
    (tf.string, tf.int32)
    """

    def __init__(self, keys: Any, values: Any, key_dtype: Any = None, value_dtype: Any = None,
                 name: str | None = None):
        k = keys if isinstance(keys, Tensor) else convert_to_tensor(keys, key_dtype)
        v = values if isinstance(values, Tensor) else convert_to_tensor(values, value_dtype)
        if key_dtype is not None and k.dtype != _dt.as_dtype(key_dtype):
            raise TypeError(f"KeyValueTensorInitializer: keys of dtype {k.dtype.name} given "
                            f"for key_dtype {_dt.as_dtype(key_dtype).name}.")
        if v.dtype != _dt.as_dtype(value_dtype or v.dtype):
            raise TypeError(f"KeyValueTensorInitializer: values of dtype {v.dtype.name} given "
                            f"for value_dtype {_dt.as_dtype(value_dtype).name}.")
        if k.shape.num_elements() != v.shape.num_elements():
            raise InvalidArgumentError(f"KeyValueTensorInitializer: {k.shape.num_elements()} "
                                       f"keys but {v.shape.num_elements()} values.")
        self._keys, self._values, self._name = k, v, name
        self.key_dtype, self.value_dtype = k.dtype, v.dtype

    def pairs(self) -> tuple:
        """The keys and values as flat NumPy arrays."""
        keys, values = np.asarray(self._keys._value), np.asarray(self._values._value)
        return keys.reshape(-1), values.reshape(-1)


def _field(line: bytes, number: int, index: int, delimiter: bytes, dtype: _dt.DType,
           where: str) -> Any:
    if index == TextFileIndex.LINE_NUMBER:
        return number
    text = line if index == TextFileIndex.WHOLE_LINE else None
    if text is None:
        cols = line.split(delimiter)
        if index >= len(cols):
            raise InvalidArgumentError(f"TextFileInitializer: {where} has {len(cols)} columns; "
                                       f"column {index} was asked for.")
        text = cols[index]
    if dtype == _dt.string:
        return text
    try:
        return float(text) if dtype.is_floating else int(text)
    except ValueError:
        raise InvalidArgumentError(f"TextFileInitializer: field {text!r} of {where} is not a "
                                   f"valid {dtype.name}.") from None


class TextFileInitializer:
    """Fills a table from a text file, one entry a line: ``key_index``/``value_index`` name a
    column (split on ``delimiter``), or ``TextFileIndex.WHOLE_LINE`` / ``LINE_NUMBER``.

    >>> import os, tempfile, tapegrad as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "vocab.txt")
    >>> with open(path, "w") as f:
    ...     _ = f.write("emerson\\nlake\\npalmer\\n")
    >>> init = tf.lookup.TextFileInitializer(path, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE,
    ...                                      tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER)
    >>> tf.lookup.StaticHashTable(init, -1).lookup(tf.constant(["lake", "x"])).numpy()
    array([ 1, -1])
    """

    def __init__(self, filename: Any, key_dtype: Any, key_index: int, value_dtype: Any,
                 value_index: int, vocab_size: int | None = None, delimiter: str = "\t",
                 name: str | None = None, value_index_offset: int = 0):
        self._filename = os.fspath(filename.numpy() if isinstance(filename, Tensor) else filename)
        if isinstance(self._filename, bytes):
            self._filename = self._filename.decode("utf-8")
        self.key_dtype, self.value_dtype = _dt.as_dtype(key_dtype), _dt.as_dtype(value_dtype)
        for idx, dt, what in ((key_index, self.key_dtype, "key"),
                              (value_index, self.value_dtype, "value")):
            if idx < -2:
                raise ValueError(f"TextFileInitializer: invalid {what}_index {idx}.")
            if idx == TextFileIndex.LINE_NUMBER and dt != _dt.int64:
                raise ValueError(f"TextFileInitializer: a {what} from LINE_NUMBER must be int64, "
                                 f"got {dt.name}.")
            if idx == TextFileIndex.WHOLE_LINE and dt != _dt.string and not dt.is_integer:
                raise ValueError(f"TextFileInitializer: a {what} from WHOLE_LINE must be a "
                                 f"string or an integer, got {dt.name}.")
        self._key_index, self._value_index = key_index, value_index
        self._vocab_size, self._offset = vocab_size, int(value_index_offset)
        self._delimiter = delimiter.encode("utf-8")

    def pairs(self) -> tuple:
        """The keys and values read from the file."""
        try:
            with open(self._filename, "rb") as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            raise NotFoundError(f"TextFileInitializer: {self._filename} not found; check the "
                                f"vocabulary file's path.") from None
        if self._vocab_size is not None:
            if len(lines) < self._vocab_size:
                raise InvalidArgumentError(f"TextFileInitializer: invalid vocab_size in "
                                           f"{self._filename}: expected {self._vocab_size} "
                                           f"lines, found {len(lines)}.")
            lines = lines[:self._vocab_size]
        keys, values = [], []
        for i, line in enumerate(lines):
            where = f"line {i} of {self._filename}"
            keys.append(_field(line, i, self._key_index, self._delimiter, self.key_dtype, where))
            v = _field(line, i, self._value_index, self._delimiter, self.value_dtype, where)
            values.append(v + self._offset if self._value_index == TextFileIndex.LINE_NUMBER
                          else v)
        return (np.asarray(keys, dtype=_dt.np_dtype(self.key_dtype)),
                np.asarray(values, dtype=_dt.np_dtype(self.value_dtype)))


class _Table:
    """The dict behind every table, its dtypes and its lookup of dense, ragged and sparse keys."""

    def __init__(self, key_dtype: Any, value_dtype: Any, default_value: Any, name: str | None):
        self._key_dtype, self._value_dtype = _dt.as_dtype(key_dtype), _dt.as_dtype(value_dtype)
        self._default = np.asarray(_tensor(default_value, self._value_dtype,
                                           "default_value")._value)
        self._name = name
        self._map: dict = {}
        self._lock = threading.Lock()

    key_dtype = property(lambda self: self._key_dtype, doc="The keys' dtype.")
    value_dtype = property(lambda self: self._value_dtype, doc="The values' dtype.")
    name = property(lambda self: self._name, doc="The table's name.")

    @property
    def default_value(self) -> Tensor:
        """The value of a missing key."""
        return Tensor(self._default)

    def size(self, name: str | None = None) -> Tensor:
        """The number of entries, as an int64 scalar."""
        return Tensor(np.int64(len(self._map)))

    def _put(self, keys: np.ndarray, values: np.ndarray, who: str) -> None:
        vshape = self._default.shape
        values = values.reshape((len(keys),) + vshape)
        with self._lock:
            for k, v in zip(keys, values):
                k = _key(k)
                old = self._map.get(k)
                if old is not None and np.any(old != v) and who == "static":
                    raise FailedPreconditionError(
                        f"HashTable has different value for same key. Key {k!r} has {old} and "
                        f"trying to add value {v}")
                self._map[k] = v

    def _find(self, keys: np.ndarray, default: np.ndarray) -> np.ndarray:
        out = np.empty(keys.shape + default.shape, dtype=_dt.np_dtype(self._value_dtype))
        flat = out.reshape((keys.size,) + default.shape)
        default = default if default.shape else default.item()  # a bytes default stays bytes
        get = self._map.get
        for i, k in enumerate(keys.reshape(-1)):
            flat[i] = get(_key(k), default)
        return out

    def _dense(self, keys: Tensor) -> Tensor:
        return Tensor(self._find(np.asarray(keys._value), self._default))

    def lookup(self, keys: Any, name: str | None = None) -> Any:
        """The value of each key (the default for a missing one); ragged and sparse keys give a
        ragged or sparse result of the same structure."""
        if isinstance(keys, RaggedTensor):
            return keys.with_flat_values(self.lookup(keys.flat_values))
        if isinstance(keys, SparseTensor):
            return SparseTensor(keys.indices, self.lookup(keys.values), keys.dense_shape)
        return self._dense(_tensor(keys, self._key_dtype, "keys"))

    def __getitem__(self, keys: Any) -> Any:
        return self.lookup(keys)

    def export(self, name: str | None = None) -> tuple:
        """All keys and values, as two tensors (in insertion order; TF's order is its hash
        order)."""
        with self._lock:
            items = list(self._map.items())
        keys = np.empty(len(items), dtype=_dt.np_dtype(self._key_dtype))
        keys[:] = [k for k, _ in items]
        values = np.asarray([v for _, v in items], dtype=_dt.np_dtype(self._value_dtype))
        return Tensor(keys), Tensor(values.reshape((len(items),) + self._default.shape))


class StaticHashTable(_Table):
    """An immutable table filled once by ``initializer``; a missing key gives ``default_value``.

    >>> import tapegrad as tf
    >>> table = tf.lookup.StaticHashTable(
    ...     tf.lookup.KeyValueTensorInitializer(["emerson", "lake"], [0, 1]), default_value=-1)
    >>> table.lookup(tf.constant(["lake", "palmer"])).numpy()
    array([ 1, -1], dtype=int32)
    """

    def __init__(self, initializer: Any, default_value: Any, name: str | None = None,
                 experimental_is_anonymous: bool = False):
        super().__init__(initializer.key_dtype, initializer.value_dtype, default_value, name)
        self._initializer = initializer
        self._put(*initializer.pairs(), "static")


class StaticVocabularyTable(_Table):
    """A table of int64 ids from ``initializer``; a key not in it gets one of
    ``num_oov_buckets`` ids after the vocabulary, chosen by its FarmHash (integer keys are
    hashed as their decimal strings), as TF chooses.

    >>> import tapegrad as tf
    >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([0, 1], tf.int64))
    >>> tf.lookup.StaticVocabularyTable(init, 3).lookup(tf.constant(["a", "zz", "q"])).numpy()
    array([0, 3, 4])
    """

    def __init__(self, initializer: Any, num_oov_buckets: int, lookup_key_dtype: Any = None,
                 name: str | None = None, experimental_is_anonymous: bool = False):
        if num_oov_buckets is None or int(num_oov_buckets) <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        if initializer.value_dtype != _dt.int64:
            raise TypeError(f"Invalid `value_dtype`, expected {_dt.int64!r} but got "
                            f"{initializer.value_dtype!r}.")
        key_dtype = _dt.as_dtype(lookup_key_dtype or initializer.key_dtype)
        if key_dtype != _dt.string and not key_dtype.is_integer:
            raise TypeError(f"StaticVocabularyTable: keys must be strings or integers, got "
                            f"{key_dtype.name}.")
        super().__init__(key_dtype, _dt.int64, -1, name)
        self._num_oov_buckets = int(num_oov_buckets)
        self._put(*initializer.pairs(), "static")
        self._vocab = len(self._map)

    def size(self, name: str | None = None) -> Tensor:
        """The vocabulary's size plus the number of out-of-vocabulary buckets."""
        return Tensor(np.int64(self._vocab + self._num_oov_buckets))

    def _dense(self, keys: Tensor) -> Tensor:
        ids = self._find(np.asarray(keys._value), self._default)
        missing = ids == -1
        if missing.any():
            text = keys if self._key_dtype == _dt.string else as_string(keys)
            buckets = np.asarray(to_hash_bucket_fast(text, self._num_oov_buckets)._value)
            ids = np.where(missing, buckets + self._vocab, ids)
        return Tensor(ids)


class MutableHashTable(_Table):
    """A table that ``insert`` and ``remove`` change; values may be vectors (the shape of
    ``default_value``).

    >>> import tapegrad as tf
    >>> table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, default_value=-1)
    >>> table.insert(tf.constant(["a", "b"]), tf.constant([7, 8], tf.int64))
    >>> table.lookup(tf.constant(["b", "c"])).numpy()
    array([ 8, -1])
    """

    def __init__(self, key_dtype: Any, value_dtype: Any, default_value: Any,
                 name: str = "MutableHashTable", checkpoint: bool = True,
                 experimental_is_anonymous: bool = False):
        super().__init__(key_dtype, value_dtype, default_value, name)

    def _check_key(self, keys: np.ndarray) -> None:
        """A hook for tables that refuse some keys."""

    def insert(self, keys: Any, values: Any, name: str | None = None) -> None:
        """Set ``keys[i] -> values[i]``, replacing existing entries."""
        k = np.asarray(_tensor(keys, self._key_dtype, "keys")._value).reshape(-1)
        v = np.asarray(_tensor(values, self._value_dtype, "values")._value)
        if v.size != k.size * max(self._default.size, 1):
            raise InvalidArgumentError(f"{type(self).__name__}.insert: {k.size} keys but values "
                                       f"of shape {list(v.shape)}; each value must have shape "
                                       f"{list(self._default.shape)}.")
        self._check_key(k)
        self._put(k, v, "mutable")

    def remove(self, keys: Any, name: str | None = None) -> None:
        """Remove ``keys`` (missing keys are ignored)."""
        k = np.asarray(_tensor(keys, self._key_dtype, "keys")._value).reshape(-1)
        self._check_key(k)
        with self._lock:
            for key in k:
                self._map.pop(_key(key), None)

    def lookup(self, keys: Any, dynamic_default_values: Any = None, name: str | None = None) -> Any:
        """The value of each key; a missing key gets ``dynamic_default_values`` at its place
        when given, else the table's default."""
        if dynamic_default_values is None:
            return super().lookup(keys)
        k = _tensor(keys, self._key_dtype, "keys")
        dyn = np.asarray(_tensor(dynamic_default_values, self._value_dtype,
                                 "dynamic_default_values")._value)
        found = self._find(np.asarray(k._value), self._default)
        hit = np.vectorize(lambda key: _key(key) in self._map, otypes=[bool])(k._value)
        hit = hit.reshape(hit.shape + (1,) * self._default.ndim)
        return Tensor(np.where(hit, found, np.broadcast_to(dyn, found.shape)))


class DenseHashTable(MutableHashTable):
    """A mutable table that reserves ``empty_key`` and ``deleted_key`` (TF's open-addressing
    table); here the same dict as ``MutableHashTable``.

    >>> import tapegrad as tf
    >>> t = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0,
    ...                                           deleted_key=-1)
    >>> t.insert(tf.constant([5], tf.int64), tf.constant([50], tf.int64))
    >>> t.lookup(tf.constant([5, 6], tf.int64)).numpy()
    array([50, -1])
    """

    def __init__(self, key_dtype: Any, value_dtype: Any, default_value: Any, empty_key: Any,
                 deleted_key: Any, initial_num_buckets: int | None = None,
                 name: str = "MutableDenseHashTable", checkpoint: bool = True,
                 experimental_is_anonymous: bool = False):
        super().__init__(key_dtype, value_dtype, default_value, name)
        self._reserved = {_key(np.asarray(_tensor(empty_key, key_dtype, "empty_key")._value)):
                          "empty_key",
                          _key(np.asarray(_tensor(deleted_key, key_dtype, "deleted_key")._value)):
                          "deleted_key"}
        if len(self._reserved) < 2:
            raise InvalidArgumentError("DenseHashTable: empty_key and deleted_key must differ.")

    def _check_key(self, keys: np.ndarray) -> None:
        for k in keys:
            which = self._reserved.get(_key(k))
            if which is not None:
                raise InvalidArgumentError(f"DenseHashTable: using the {which} as a table key "
                                           f"is not allowed.")
