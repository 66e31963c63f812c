"""File sources: ``TextLineDataset``, ``experimental.CsvDataset`` and ``make_csv_dataset``.

Files are read lazily, line by line (plain, ``GZIP`` or ``ZLIB``); lines and text fields are byte
strings, TF's ``tf.string`` values.
"""

from __future__ import annotations

import collections
import csv
import gzip
import zlib
from typing import Any, Iterator

import numpy as np

from ..engine import dtypes as _dt
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import _Base
from .dataset import AUTOTUNE, Dataset
from .elements import _tensor_spec, _to_numpy
from .sources import _Slices
from .parallel import interleave, workers_for

__all__ = ["TextLineDataset", "CsvDataset", "make_csv_dataset"]


def _filenames(filenames: Any) -> Dataset:
    if isinstance(filenames, Dataset):
        return filenames
    if isinstance(filenames, _Base):
        filenames = filenames.numpy()
    names = np.asarray(_to_numpy(filenames if not isinstance(filenames, (str, bytes))
                                 else [filenames])).ravel()
    return _Slices(names)


def _path(f: Any) -> str:
    """A file name from an element: a byte string (or a str)."""
    v = f.item() if isinstance(f, np.ndarray) else f
    return v.decode() if isinstance(v, bytes) else str(v)


def _zlib_lines(f: Any) -> Iterator[bytes]:
    d, rest = zlib.decompressobj(), b""
    while True:
        chunk = f.read(1 << 16)
        rest += d.decompress(chunk) if chunk else d.flush()
        *lines, rest = rest.split(b"\n")
        yield from lines
        if not chunk:
            break
    if rest:
        yield rest


def read_lines(path: Any, compression_type: str | None = None) -> Iterator[bytes]:
    """The lines of one file as bytes, without ``\\n`` (or ``\\r\\n``).

    >>> import os, pathlib, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> _ = pathlib.Path(p).write_text("x,1\\r\\ny,2")
    >>> list(read_lines(p))
    [b'x,1', b'y,2']
    """
    path = _path(path)
    kind = (compression_type or "").upper()
    if kind not in ("", "GZIP", "ZLIB"):
        raise InvalidArgumentError(f"compression_type must be '', 'GZIP' or 'ZLIB', got "
                                   f"{compression_type!r}.")
    with (gzip.open(path, "rb") if kind == "GZIP" else open(path, "rb")) as f:
        lines = _zlib_lines(f) if kind == "ZLIB" else f
        for line in lines:
            yield line.rstrip(b"\n").removesuffix(b"\r")


class _Lines(Dataset):
    """The lines of one file: elements are 0-d byte-string arrays."""

    def __init__(self, path: Any, compression_type: str | None):
        self.path, self.compression_type = path, compression_type

    def _iter(self) -> Iterator[Any]:
        for line in read_lines(self.path, self.compression_type):
            yield np.asarray(line, dtype="S") if line else np.asarray(b"", dtype="S1")

    def _first_spec(self) -> Any:
        return _tensor_spec((), np.dtype("S1"))


class TextLineDataset(Dataset):
    """``tf.data.TextLineDataset``: the lines of one or more text files, file after file
    (``num_parallel_reads`` files interleaved line by line, read on threads).

    >>> import os, pathlib, tempfile, tapegrad as tf
    >>> p = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = pathlib.Path(p).write_text("name,n\\nx,1\\ny,2\\n")
    >>> list(tf.data.TextLineDataset(p).skip(1).as_numpy_iterator())
    [b'x,1', b'y,2']
    """

    _tf_name = "TextLine"

    def __init__(self, filenames: Any, compression_type: str | None = None,
                 buffer_size: int | None = None, num_parallel_reads: int | None = None,
                 name: str | None = None):
        self.files, self.compression_type = _filenames(filenames), compression_type
        self.reads = 1 if num_parallel_reads is None else (
            workers_for(num_parallel_reads, AUTOTUNE))

    def _iter(self) -> Iterator[Any]:
        def lines(f: np.ndarray) -> Iterator[Any]:
            return _Lines(f, self.compression_type)._iter()
        if self.reads == 1:
            for f in self.files._iter():
                yield from lines(f)
            return
        yield from interleave(lines, self.files._iter(), self.reads, 1, self.reads)

    def _first_spec(self) -> Any:
        return _tensor_spec((), np.dtype("S1"))

    def __repr__(self) -> str:
        return f"<TextLineDatasetV2 element_spec={self.element_spec}>"


_CSV_TYPES = {np.dtype(t) for t in ("float32", "float64", "int32", "int64")}


def _column(default: Any) -> tuple[np.dtype, Any]:
    """``(dtype, default)`` of one ``record_defaults`` entry; ``default`` None when required."""
    if default is None or default is _dt.string:
        return np.dtype("S"), None
    if isinstance(default, _dt.DType) or (isinstance(default, type) and issubclass(
            default, np.generic)) or isinstance(default, np.dtype):
        dtype = np.dtype(_dt.np_dtype(_dt.as_dtype(default)))
        value = None
    else:
        a = np.asarray(_to_numpy(default))
        dtype, value = (np.dtype("S") if a.dtype.kind in "SO" else a.dtype), (
            a.ravel()[0] if a.size else None)
    if dtype.kind != "S" and dtype not in _CSV_TYPES:
        raise InvalidArgumentError(f"CsvDataset: record_defaults must be float32, float64, "
                                   f"int32, int64 or string; got {dtype}.")
    return dtype, value


def _field(text: str, dtype: np.dtype, default: Any, k: int, where: str) -> np.ndarray:
    if text == "":
        if default is None:
            raise InvalidArgumentError(f"Field {k} is required but missing in record {where}!")
        return np.asarray(default, dtype=dtype)
    if dtype.kind == "S":
        return np.asarray(text.encode("utf-8"), dtype="S")
    try:
        value = np.asarray(int(text) if dtype.kind == "i" else float(text), dtype=dtype)
        if dtype.kind == "i" and int(value) != int(text):
            raise OverflowError
        return value
    except (ValueError, OverflowError):
        raise InvalidArgumentError(f"Field {k} in record {where} is not a valid {dtype.name}: "
                                   f"{text}") from None


class CsvDataset(Dataset):
    """``tf.data.experimental.CsvDataset``: one tuple of scalars per CSV record.

    ``record_defaults`` gives each kept column's dtype (a dtype or an empty list: required)
    or default (``[0.0]``, ``[""]``: used for an empty or ``na_value`` field).

    >>> import os, pathlib, tempfile, tapegrad as tf
    >>> p = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = pathlib.Path(p).write_text("n,x,name\\n1,0.5,a\\n2,,b\\n")
    >>> ds = tf.data.experimental.CsvDataset(p, [tf.int32, [9.0], [""]], header=True)
    >>> [(int(n), float(x), s) for n, x, s in ds.as_numpy_iterator()]
    [(1, 0.5, b'a'), (2, 9.0, b'b')]
    """

    _tf_name = "Csv"

    def __init__(self, filenames: Any, record_defaults: list, compression_type: str | None = None,
                 buffer_size: int | None = None, header: bool = False, field_delim: str = ",",
                 use_quote_delim: bool = True, na_value: str = "", select_cols: Any = None,
                 exclude_cols: Any = None, name: str | None = None):
        if select_cols is not None and exclude_cols is not None:
            raise InvalidArgumentError("CsvDataset: give select_cols or exclude_cols, not both.")
        self.files, self.compression_type = _filenames(filenames), compression_type
        self.columns = [_column(d) for d in record_defaults]
        self.select = None if select_cols is None else sorted(int(i) for i in select_cols)
        self.exclude = None if exclude_cols is None else {int(i) for i in exclude_cols}
        if self.select is not None and len(self.select) != len(self.columns):
            raise InvalidArgumentError(f"CsvDataset: {len(self.select)} select_cols but "
                                       f"{len(self.columns)} record_defaults.")
        self.header, self.na_value = header, na_value
        self.dialect = dict(delimiter=field_delim, quoting=csv.QUOTE_MINIMAL if use_quote_delim
                            else csv.QUOTE_NONE)

    def _iter(self) -> Iterator[Any]:
        return self._records(skip_errors=False)

    def _iter_skipping_errors(self) -> Iterator[Any]:
        """For ``ignore_errors()``: a record that does not parse is dropped, the rest kept."""
        return self._records(skip_errors=True)

    def _records(self, skip_errors: bool) -> Iterator[Any]:
        for f in self.files._iter():
            path = _path(f)
            lines = (line.decode("utf-8") for line in read_lines(path, self.compression_type))
            if self.header:
                next(lines, None)
            for n, row in enumerate(csv.reader(lines, **self.dialect)):
                if not row:
                    continue
                try:
                    yield self._record(row, f"{n} of {path}")
                except InvalidArgumentError:
                    if not skip_errors:
                        raise

    def _record(self, row: list, where: str) -> tuple:
        if self.select is not None:
            keep, needed = self.select, self.select[-1] + 1
        else:
            keep = [i for i in range(len(row)) if not self.exclude or i not in self.exclude]
            needed = len(self.columns) + len(row) - len(keep)
        if len(row) < needed or len(keep) != len(self.columns):
            raise InvalidArgumentError(f"Expect {needed} fields but have {len(row)} in record "
                                       f"{where}")
        return tuple(_field(row[i] if row[i] != self.na_value else "", dtype, default, k, where)
                     for k, (i, (dtype, default)) in enumerate(zip(keep, self.columns)))

    def _first_spec(self) -> Any:
        return tuple(_tensor_spec((), d if d.kind != "S" else np.dtype("S1"))
                     for d, _ in self.columns)

    def __repr__(self) -> str:
        return f"<CsvDatasetV2 element_spec={self.element_spec}>"


def _infer_type(text: str, na_value: str, prev: np.dtype | None) -> np.dtype | None:
    """TF's rule: the least permissive of int32, int64, float32, float64, string that holds
    this field and every earlier one of its column."""
    if text in ("", na_value):
        return prev
    order = [np.dtype(t) for t in ("int32", "int64", "float32", "float64")] + [np.dtype("S")]
    for i, t in enumerate(order):
        if (prev is None or prev in order[:i + 1]) and _holds(text, t):
            return t
    return np.dtype("S")


def _holds(text: str, t: np.dtype) -> bool:
    try:
        if t.kind == "i":
            return np.iinfo(t).min <= int(text) <= np.iinfo(t).max
        if t.kind == "f":
            with np.errstate(over="ignore"):
                return bool(np.abs(t.type(float(text))) < np.inf)
    except ValueError:
        return False
    return True


def _csv_rows(files: list, header: bool, dialect: dict, compression: str | None,
              limit: int | None) -> Iterator[list]:
    n = 0
    for f in files:
        lines = (line.decode("utf-8") for line in read_lines(f, compression))
        if header:
            next(lines, None)
        for row in csv.reader(lines, **dialect):
            if limit is not None and n >= limit:
                return
            if row:
                n += 1
                yield row


def _column_indices(select_columns: Any, names: list) -> list[int] | None:
    if select_columns is None:
        return None
    index = {n: i for i, n in enumerate(names)}
    out = []
    for v in select_columns:
        if isinstance(v, (int, np.integer)):
            if not 0 <= v < len(names):
                raise ValueError(f"Column index {v} specified in `select_columns` should be "
                                 f">= 0 and < {len(names)}, the number of columns.")
            out.append(int(v))
        elif v in index:
            out.append(index[v])
        else:
            raise ValueError(f"Column {v} specified in `select_columns` must be one of the "
                             f"columns: {names}.")
    if len(set(out)) != len(out):
        raise ValueError(f"The `select_columns` argument contains duplicate columns: "
                         f"{select_columns}.")
    return sorted(out)


def make_csv_dataset(file_pattern: Any, batch_size: int, column_names: list | None = None,
                     column_defaults: list | None = None, label_name: str | None = None,
                     select_columns: list | None = None, field_delim: str = ",",
                     use_quote_delim: bool = True, na_value: str = "", header: bool = True,
                     num_epochs: int | None = None, shuffle: bool = True,
                     shuffle_buffer_size: int = 10000, shuffle_seed: int | None = None,
                     prefetch_buffer_size: int | None = None,
                     num_parallel_reads: int | None = None, sloppy: bool = False,
                     num_rows_for_inference: int = 100, compression_type: str | None = None,
                     ignore_errors: bool = False, encoding: str = "utf-8") -> Dataset:
    """``tf.data.experimental.make_csv_dataset``: batches of ``(features, label)`` (features an
    ``OrderedDict`` by column name) from CSV files; column names from the header, dtypes
    inferred from the first rows as TF does. ``num_epochs=None`` repeats for ever (then the
    last partial batch is dropped).

    >>> import os, pathlib, tempfile, tapegrad as tf
    >>> p = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = pathlib.Path(p).write_text("age,fare,survived\\n22,7.25,0\\n38,71.3,1\\n26,7.9,1\\n")
    >>> ds = tf.data.experimental.make_csv_dataset(p, batch_size=2, label_name="survived",
    ...                                            num_epochs=1, shuffle=False)
    >>> features, label = next(iter(ds))
    >>> features["age"].numpy().tolist(), features["fare"].dtype.name, label.numpy().tolist()
    ([22, 38], 'float32', [0, 1])
    """
    files = [f.decode() for f in Dataset.list_files(file_pattern, shuffle=False)
             .as_numpy_iterator()]
    reader = dict(compression_type=compression_type, header=header, field_delim=field_delim,
                  use_quote_delim=use_quote_delim, na_value=na_value)
    names, defaults, select = _csv_columns(files, column_names, column_defaults, select_columns,
                                           num_rows_for_inference, reader)
    if label_name is not None and label_name not in names:
        raise ValueError(f"`label_name` provided must be one of the columns: {names}. "
                         f"Received: {label_name}.")

    def records(f: Any) -> Dataset:
        ds = CsvDataset(f, defaults, select_cols=select, **reader)
        return ds.ignore_errors() if ignore_errors else ds

    def to_dict(*columns: Any) -> Any:
        features = collections.OrderedDict(zip(names, columns))
        return (features, features.pop(label_name)) if label_name is not None else features

    ds = Dataset.from_tensor_slices(files)
    if shuffle:
        ds = ds.shuffle(len(files), shuffle_seed)
    reads = num_parallel_reads or 1
    ds = ds.interleave(records, cycle_length=reads, num_parallel_calls=reads)
    if shuffle:
        ds = ds.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        ds = ds.repeat(num_epochs)
    ds = ds.batch(batch_size, drop_remainder=num_epochs is None).map(to_dict)
    return ds.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)


def _csv_columns(files: list, names: Any, defaults: Any, select_columns: Any,
                 rows_for_inference: int, reader: dict) -> tuple[list, list, Any]:
    """Column names (from the header when not given), record defaults (inferred from the
    first rows when not given) and the selected column indices, as make_csv_dataset sets them."""
    dialect = dict(delimiter=reader["field_delim"], quoting=csv.QUOTE_MINIMAL
                   if reader["use_quote_delim"] else csv.QUOTE_NONE)
    if names is None:
        if not reader["header"]:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is "
                             "provided.")
        names = next(_csv_rows(files[:1], False, dialect, reader["compression_type"], 1), [])
    names = list(names)
    if len(set(names)) != len(names):
        raise ValueError(f"Either `column_names` argument or CSV header row contains "
                         f"duplicate column names: {names}.")
    select = _column_indices(select_columns, names)
    if defaults is None:
        cols = select if select is not None else range(len(names))
        types: list = [None] * len(cols)
        for row in _csv_rows(files, reader["header"], dialect, reader["compression_type"],
                             rows_for_inference):
            types = [_infer_type(row[c] if c < len(row) else "", reader["na_value"], t)
                     for c, t in zip(cols, types)]
        defaults = [np.asarray([b""] if t is None or t.kind == "S" else [0], t or "S")
                    for t in types]
    if select is not None:
        if len(defaults) != len(select):
            raise ValueError(f"If specified, `column_defaults` and `select_columns` must have "
                             f"the same length: {len(defaults)} and {len(select)}.")
        names = [names[i] for i in select]
    return names, defaults, select
