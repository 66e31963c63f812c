"""``IndexLookup``: the vocabulary machinery shared by ``StringLookup``, ``IntegerLookup`` and
``TextVectorization`` (Keras 3's ``index_lookup.py``): a vocabulary given or adapted (tokens by
count, ties by the token, both descending), the mask and out-of-vocabulary indices in front,
and the ids encoded as ``int``, ``one_hot``, ``multi_hot``, ``count`` or ``tf_idf``."""

from __future__ import annotations

import collections
import os
from typing import Any

import numpy as np

from ....engine import dtypes as _dt
from ....engine.convert import convert_to_tensor
from ....engine.errors import InvalidArgumentError
from ....engine.tensor import Tensor
from ....lookup.tables import KeyValueTensorInitializer, StaticHashTable
from ....ops import math as _m
from ....ops.ragged import RaggedTensor
from ....ops.strings import as_string, to_hash_bucket_fast, to_hash_bucket_strong
from ...base_layer import Layer

__all__ = ["IndexLookup"]

MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def _mode(output_mode: str, who: str) -> str:
    mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
    if mode not in MODES:
        raise ValueError(f"{who}: output_mode must be one of {list(MODES)}, got "
                         f"{output_mode!r}.")
    return mode


def _salt(salt: Any, who: str) -> Any:
    if salt is None:
        return None
    if isinstance(salt, (tuple, list)) and len(salt) == 2:
        return [int(salt[0]), int(salt[1])]
    if isinstance(salt, int):
        return [salt, salt]
    raise ValueError(f"{who}: salt must be an integer or a tuple of 2 integers, got {salt!r}.")


def _flat(data: Any) -> np.ndarray:
    """The elements of a dense or ragged tensor (or array) as one flat NumPy array."""
    if isinstance(data, RaggedTensor):
        data = data.flat_values
    return np.asarray(getattr(data, "_value", data)).reshape(-1)


def string_tensor(x: Any, who: str, encoding: str = "utf-8") -> Tensor:
    """``x`` (a tensor, array or list of str/bytes) as a string tensor of bytes objects."""
    a = np.asarray(getattr(x, "_value", x))
    if a.dtype.kind not in "OSU":
        raise TypeError(f"{who}: expected string inputs, got {a.dtype.name}.")
    if isinstance(x, Tensor) and a.dtype == object:
        return x
    flat = [v.encode(encoding) if isinstance(v, str) else bytes(v) for v in a.reshape(-1)]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return Tensor(out.reshape(a.shape))


class IndexLookup(Layer):
    """Maps tokens to indices in a vocabulary (see ``StringLookup``, ``IntegerLookup``)."""

    def __init__(self, max_tokens: int | None, num_oov_indices: int, mask_token: Any,
                 oov_token: Any, vocabulary_dtype: str, vocabulary: Any = None,
                 idf_weights: Any = None, invert: bool = False, output_mode: str = "int",
                 sparse: bool = False, pad_to_max_tokens: bool = False,
                 oov_method: str = "floormod", name: str | None = None, salt: Any = None,
                 **kwargs: Any):
        who = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"{who}: max_tokens must be greater than 1 (or None), got "
                             f"{max_tokens}.")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{who}: pad_to_max_tokens=True needs max_tokens.")
        if num_oov_indices < 0:
            raise ValueError(f"{who}: num_oov_indices must be >= 0, got {num_oov_indices}.")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"{who}: oov_method must be 'floormod' or 'farmhash', got "
                             f"{oov_method!r}.")
        output_mode = _mode(output_mode, who)
        if invert and output_mode != "int":
            raise ValueError(f"{who}: output_mode must be 'int' when invert is true, got "
                             f"{output_mode!r}.")
        if sparse:
            raise NotImplementedError(f"{who}: sparse=True is not supported; use the dense "
                                      f"output.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{who}: idf_weights should only be set if output_mode is "
                             f"'tf_idf', got output_mode={output_mode!r}.")
        self._frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        self._has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        super().__init__(name=name, trainable=False, **kwargs)
        self.invert, self.max_tokens, self.num_oov_indices = invert, max_tokens, num_oov_indices
        self.mask_token, self.oov_token, self.output_mode = mask_token, oov_token, output_mode
        self.sparse, self.pad_to_max_tokens = sparse, pad_to_max_tokens
        self.vocabulary_dtype = _dt.as_dtype(vocabulary_dtype).name
        self.oov_method, self.salt = oov_method, _salt(salt, who)
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._int_output_dtype = (self.vocabulary_dtype if invert else
                                  None if output_mode == "tf_idf" else "int64")
        self._tokens: list = []
        self.idf_weights = None
        self._counts: collections.Counter = collections.Counter()
        self._doc_counts: collections.Counter = collections.Counter()
        self._num_documents = 0
        self._table = self._make_table([])
        if output_mode == "tf_idf" and self._has_input_vocabulary and idf_weights is None:
            raise ValueError(f"{who}: with a vocabulary in 'tf_idf' mode, idf_weights must "
                             f"be given too.")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.built = True

    def _cast_input(self, x: Any) -> Any:
        return x

    # -- indices --------------------------------------------------------------------------------
    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def _default_value(self) -> Any:
        if self.invert:
            return self.oov_token
        return self._oov_start_index() if self.num_oov_indices == 1 else -1

    def _make_table(self, tokens: list) -> StaticHashTable:
        key, value = self.vocabulary_dtype, "int64"
        ids = np.arange(self._token_start_index(), self._token_start_index() + len(tokens),
                        dtype=np.int64)
        words = np.empty(len(tokens), dtype=_dt.np_dtype(key))
        words[:] = [t.encode("utf-8") if isinstance(t, str) else t for t in tokens]
        keys, values = (ids, words) if self.invert else (words, ids)
        default = self._default_value()
        if self.invert:
            key, value = value, key
            default = b"" if default is None else default
        init = KeyValueTensorInitializer(Tensor(keys), Tensor(values), key, value)
        return StaticHashTable(init, default)

    # -- vocabulary -----------------------------------------------------------------------------
    def vocabulary_size(self) -> int:
        """The size of the vocabulary, mask and OOV indices included."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The vocabulary, index by index (with the mask and OOV tokens first unless
        ``include_special_tokens=False``)."""
        vocab = [self.oov_token] * self._token_start_index() + list(self._tokens)
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[self._token_start_index():]
        if self.vocabulary_dtype == "string":
            return [t.decode("utf-8") if isinstance(t, bytes) else t for t in vocab]
        return vocab

    def _special_tokens(self) -> list:
        return [self.mask_token] * self._oov_start_index() + \
            [self.oov_token] * self.num_oov_indices

    def _read_vocabulary(self, vocabulary: Any) -> list:
        if isinstance(vocabulary, (str, os.PathLike)):
            if not os.path.exists(vocabulary):
                raise ValueError(f"Vocabulary file {vocabulary} does not exist.")
            if self.output_mode == "tf_idf":
                raise ValueError("output_mode 'tf_idf' does not support loading a vocabulary "
                                 "from file.")
            with open(vocabulary, encoding="utf-8") as f:
                lines = f.read().splitlines()
            return lines if self.vocabulary_dtype == "string" else [int(x) for x in lines]
        values = _flat(vocabulary.numpy() if hasattr(vocabulary, "numpy") else
                       np.asarray(vocabulary, dtype=object if self.vocabulary_dtype == "string"
                                  else None))
        out = [v.item() if isinstance(v, np.generic) else v for v in values]
        return [v.decode("utf-8") if isinstance(v, bytes) else v for v in out]

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Use ``vocabulary`` (a list, array, tensor or a text file of one token a line), with
        the mask and OOV tokens first or without them; ``idf_weights`` in ``tf_idf`` mode."""
        who = type(self).__name__
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{who}: idf_weights must be set if output_mode is 'tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{who}: idf_weights should only be set if output_mode is "
                             f"'tf_idf', got output_mode={self.output_mode!r}.")
        vocab = self._read_vocabulary(vocabulary)
        if not vocab:
            raise ValueError(f"{who}: cannot set an empty vocabulary.")
        start = self._token_start_index()
        found_special = vocab[:start] == self._special_tokens()
        tokens = vocab[start:] if found_special else vocab
        self._check_tokens(tokens)
        if self.max_tokens is not None and start + len(tokens) > self.max_tokens:
            raise ValueError(f"{who}: attempted to set a vocabulary larger than the maximum "
                             f"vocab size. Received vocabulary size is {start + len(tokens)}; "
                             f"max_tokens is {self.max_tokens}.")
        self._tokens, self._table = tokens, self._make_table(tokens)
        self._record_vocabulary_size()
        if idf_weights is not None:
            self._set_idf(np.asarray(getattr(idf_weights, "_value", idf_weights), "float64"),
                          0 if found_special else start)

    def _check_tokens(self, tokens: list) -> None:
        who = type(self).__name__
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(f"{who}: the passed vocabulary has at least one repeated term. "
                             f"Please uniquify your dataset. The repeated terms are: "
                             f"{repeated}")
        reserved = [("mask_token", self.mask_token)] + \
            ([("oov_token", self.oov_token)] if self.invert else [])
        for what, token in reserved:
            if token is not None and token in tokens:
                raise ValueError(f"{who}: found reserved {what} {token!r} at an unexpected "
                                 f"location in vocabulary; remove it, or put the special "
                                 f"tokens first in this order: {self._special_tokens()}.")

    def _set_idf(self, weights: np.ndarray, front: int) -> None:
        if weights.ndim != 1:
            raise ValueError(f"{type(self).__name__}: TF-IDF data must be a 1-index array.")
        back = 0
        if self.pad_to_max_tokens and self.max_tokens is not None:
            back = self.max_tokens - front - len(weights)
        padded = np.pad(weights, (front, back), constant_values=(
            np.average(weights) if front else 0, 0))
        self.idf_weights = convert_to_tensor(padded.astype("float32"))

    def _record_vocabulary_size(self) -> None:
        if self.output_mode == "int" or self.pad_to_max_tokens:
            self._frozen_vocab_size = self.vocabulary_size()
            return
        if self._frozen_vocab_size is not None and self.built and \
                self._frozen_vocab_size != self.vocabulary_size():
            raise RuntimeError(f"When using output_mode={self.output_mode} and "
                               f"pad_to_max_tokens=False, the vocabulary size cannot be "
                               f"changed after the layer is called. Old vocab size is "
                               f"{self._frozen_vocab_size}, new vocab size is "
                               f"{self.vocabulary_size()}")
        self._frozen_vocab_size = self.vocabulary_size()

    # -- adapt ----------------------------------------------------------------------------------
    def _tokens_of(self, data: Any) -> np.ndarray:
        values = _flat(data)
        if self.vocabulary_dtype == "string":
            return np.array([v.decode("utf-8") if isinstance(v, bytes) else str(v)
                             for v in values], dtype=object)
        return values.astype(np.int64)

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learn the vocabulary from ``data`` (an array, a list, a tensor, a Dataset or any
        iterable of batches): the ``max_tokens`` most frequent tokens, ties broken by the token,
        both descending, as Keras."""
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, Tensor, RaggedTensor)):
            if not isinstance(data, RaggedTensor):
                data = np.asarray(getattr(data, "_value", data))
                data = data[:, None] if data.ndim == 1 else data
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        """Count the tokens of one batch (rows are documents for ``tf_idf``)."""
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static "
                             f"vocabulary via the vocabulary argument or set_vocabulary().")
        if isinstance(data, RaggedTensor):
            rows = [self._tokens_of(np.asarray(r, dtype=object)) for r in data.to_list()]
        else:
            a = np.asarray(getattr(data, "_value", data))
            a = a.reshape(1, -1) if a.ndim < 2 else a
            rows = [self._tokens_of(r) for r in a]
        for r in rows:
            self._counts.update(r.tolist())
        if self.output_mode == "tf_idf":
            for r in rows:
                self._doc_counts.update(set(r.tolist()))
            self._num_documents += len(rows)

    def finalize_state(self) -> None:
        """Turn the counts into the vocabulary (and the IDF weights)."""
        if self._has_input_vocabulary or not self._counts:
            self._record_vocabulary_size()
            return
        for special in (self.mask_token, self.oov_token):
            self._counts.pop(special, None)
        tokens = sorted(self._counts, reverse=True, key=lambda t: (
            self._counts[t], t.encode("utf-8") if isinstance(t, str) else t))
        if self.max_tokens:
            tokens = tokens[:self.max_tokens - self._token_start_index()]
        self._tokens, self._table = tokens, self._make_table(tokens)
        if self.output_mode == "tf_idf":
            docs = np.array([self._doc_counts[t] for t in tokens], dtype=np.float64)
            idf = np.log(1 + self._num_documents / (1 + docs)).astype(np.float32)
            self._set_idf(idf, self._token_start_index())
        self.reset_state()
        self._record_vocabulary_size()

    def reset_state(self) -> None:
        """Forget the counts of ``update_state``."""
        self._counts, self._doc_counts, self._num_documents = (
            collections.Counter(), collections.Counter(), 0)

    # -- call -----------------------------------------------------------------------------------
    def _keys(self, inputs: Any) -> Tensor:
        if self.vocabulary_dtype == "string" and not self.invert:
            return string_tensor(inputs, f"{type(self).__name__} '{self.name}'")
        t = inputs if isinstance(inputs, Tensor) else convert_to_tensor(inputs)
        want = "int64" if self.invert else self.vocabulary_dtype
        if t.dtype.name != want:
            if want == "string" or t.dtype == _dt.string:
                raise TypeError(f"{type(self).__name__} '{self.name}': expected {want} inputs, "
                                f"got {t.dtype.name}.")
            t = _m.cast(t, want)
        return t

    def _oov_ids(self, keys: Tensor) -> np.ndarray:
        if self.vocabulary_dtype != "string" and self.oov_method != "farmhash":
            return np.mod(np.asarray(keys._value), self.num_oov_indices)
        text = keys if self.vocabulary_dtype == "string" else as_string(keys)
        if self.salt is not None:
            return np.asarray(to_hash_bucket_strong(text, self.num_oov_indices, self.salt)._value)
        return np.asarray(to_hash_bucket_fast(text, self.num_oov_indices)._value)

    def _lookup_dense(self, keys: Tensor) -> np.ndarray:
        ids = np.asarray(self._table.lookup(keys)._value)
        raw = np.asarray(keys._value)
        if self.mask_token is not None:
            mask_key = 0 if self.invert else (
                self.mask_token.encode("utf-8") if isinstance(self.mask_token, str)
                else self.mask_token)
            mask_value = self.mask_token if self.invert else (
                0 if self.output_mode == "int" else np.iinfo(np.int64).max)
            if isinstance(mask_value, str):
                mask_value = mask_value.encode("utf-8")
            ids = np.where(raw == mask_key, mask_value, ids).astype(ids.dtype)
        if self.invert:
            return ids
        if self.num_oov_indices == 0 and (ids == -1).any():
            bad = np.unique(raw[ids == -1]).tolist()
            raise InvalidArgumentError(
                f"{type(self).__name__} '{self.name}': when num_oov_indices=0 all inputs "
                f"should be in vocabulary, found OOV values {bad}; consider setting "
                f"num_oov_indices=1.")
        if self.num_oov_indices > 1:
            oov = ids == self._default_value()
            if oov.any():
                ids = np.where(oov, self._oov_ids(keys) + self._oov_start_index(), ids)
        return ids

    def call(self, inputs: Any) -> Any:
        if self.output_mode != "int" and not self.pad_to_max_tokens and \
                self._frozen_vocab_size is None:
            raise RuntimeError(f"When using output_mode={self.output_mode} and "
                               f"pad_to_max_tokens=False, you must set the layer's vocabulary "
                               f"before calling it: pass a vocabulary argument to the layer, "
                               f"or call adapt with some sample data.")
        if isinstance(inputs, RaggedTensor):
            ids = inputs.with_flat_values(
                Tensor(self._lookup_dense(self._keys(inputs.flat_values))))
            if self.output_mode == "int":
                return ids
            return self._encode(_pad(ids.to_list()))
        keys = self._keys(inputs)
        scalar = keys.ndim == 0
        ids = self._lookup_dense(keys)
        if self.output_mode == "int":
            return Tensor(ids)
        return self._encode(ids.reshape(1) if scalar else ids)

    def _encode(self, ids: np.ndarray) -> Tensor:
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        out = _bincount(ids, depth, self.output_mode)
        if self.output_mode == "tf_idf":
            return Tensor(out.astype(np.float32) * np.asarray(self.idf_weights._value))
        return Tensor(out)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = tuple(input_shape)
        if self.output_mode == "int":
            return s
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        if self.output_mode == "one_hot":
            return (s[:-1] if len(s) > 1 and s[-1] == 1 else s) + (depth,)
        return s[:-1] + (depth,)

    def get_config(self) -> dict:
        return dict(super().get_config(), invert=self.invert, max_tokens=self.max_tokens,
                    num_oov_indices=self.num_oov_indices, oov_token=self.oov_token,
                    mask_token=self.mask_token, output_mode=self.output_mode,
                    sparse=self.sparse, pad_to_max_tokens=self.pad_to_max_tokens,
                    vocabulary_dtype=self.vocabulary_dtype,
                    idf_weights=_listify(self.input_idf_weights),
                    vocabulary=_listify(self.input_vocabulary),
                    vocabulary_size=self._frozen_vocab_size, oov_method=self.oov_method,
                    salt=self.salt)


def _listify(x: Any) -> Any:
    x = x.numpy() if hasattr(x, "numpy") else x
    if isinstance(x, np.ndarray):
        x = [v.decode("utf-8") if isinstance(v, bytes) else v for v in x.tolist()]
    return x


def _pad(rows: list) -> np.ndarray:
    """Ragged rows of ids as a dense array padded with -1 (an id that counts nothing)."""
    out = np.full((len(rows), max((len(r) for r in rows), default=0)), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out


def _bincount(ids: np.ndarray, depth: int, mode: str) -> np.ndarray:
    """Keras's categorical encoding of int64 ids; ids outside ``[0, depth)`` (the mask) add
    nothing. ``one_hot`` adds an axis (a trailing axis of 1 is replaced); ``multi_hot``,
    ``count`` and ``tf_idf`` count over the last axis of a rank-1 or rank-2 input."""
    if mode == "one_hot":
        if ids.ndim > 1 and ids.shape[-1] == 1:
            ids = ids[..., 0]
        return (ids[..., None] == np.arange(depth)).astype(np.int64)
    if ids.ndim > 2:
        raise ValueError(f"When output_mode is not 'int', maximum supported output rank is 2, "
                         f"got input shape {list(ids.shape)}.")
    rows = ids.reshape(-1, ids.shape[-1])
    out = np.zeros((rows.shape[0], depth), dtype=np.int64)
    for r, row in enumerate(rows):
        row = row[(row >= 0) & (row < depth)]
        np.add.at(out[r], row, 1)
    if mode == "multi_hot":
        out = np.minimum(out, 1)
    return out.reshape(ids.shape[:-1] + (depth,))
