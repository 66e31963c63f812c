"""``TextVectorization``: raw strings to token ids (or multi-hot, count, TF-IDF vectors):
standardize, split, n-grams, then a ``StringLookup`` on the tokens, as Keras 3."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....engine.tensor import Tensor
from ....ops import strings as _s
from ....ops.ragged import RaggedTensor
from ...base_layer import Layer
from .index_lookup import _listify, _mode, string_tensor
from .string_lookup import StringLookup

__all__ = ["TextVectorization"]

PUNCTUATION = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'


def _choice(value: Any, allowed: tuple, what: str) -> Any:
    if value is not None and not callable(value) and value not in allowed:
        raise ValueError(f"TextVectorization: {what} must be None, a callable or one of "
                         f"{list(allowed)}, got {value!r}.")
    return value


def _pad(rows: list, length: int | None) -> np.ndarray:
    """Rows of ids cut or padded with 0 to ``length`` (the longest row when None)."""
    width = max((len(r) for r in rows), default=0) if length is None else length
    out = np.zeros((len(rows), width), dtype=np.int64)
    for i, r in enumerate(rows):
        r = r[:width]
        out[i, :len(r)] = r
    return out


class TextVectorization(Layer):
    """Turns strings into sequences of token ids: ``standardize`` (``"lower_and_strip_
    punctuation"``, ``"lower"``, ``"strip_punctuation"``, a callable or None), ``split``
    (``"whitespace"``, ``"character"``, a callable or None), ``ngrams``, then a vocabulary
    given or learnt by ``adapt`` (0 is padding, 1 is ``"[UNK]"``). ``output_mode="int"`` pads
    or cuts to ``output_sequence_length``; ``"multi_hot"``, ``"count"``, ``"tf_idf"`` give one
    vector per string.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.TextVectorization(output_sequence_length=4)
    >>> layer.adapt(["The cat sat.", "The dog sat on the cat!"])
    >>> layer.get_vocabulary()
    ['', '[UNK]', 'the', 'sat', 'cat', 'on', 'dog']
    >>> layer(["the cat ran"]).numpy()
    array([[2, 4, 1, 0]])
    """

    def __init__(self, max_tokens: int | None = None,
                 standardize: Any = "lower_and_strip_punctuation", split: Any = "whitespace",
                 ngrams: Any = None, output_mode: str = "int",
                 output_sequence_length: int | None = None, pad_to_max_tokens: bool = False,
                 vocabulary: Any = None, idf_weights: Any = None, sparse: bool = False,
                 ragged: bool = False, encoding: str = "utf-8", name: str | None = None,
                 **kwargs: Any):
        _choice(standardize, ("lower_and_strip_punctuation", "lower", "strip_punctuation"),
                "standardize")
        _choice(split, ("whitespace", "character"), "split")
        output_mode = _mode(output_mode, "TextVectorization")
        if not (ngrams is None or isinstance(ngrams, int) or
                (isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams))):
            raise ValueError(f"TextVectorization: ngrams must be None, an integer, or a tuple "
                             f"of integers, got {ngrams!r}.")
        if output_mode == "int" and not (output_sequence_length is None or
                                         isinstance(output_sequence_length, int)):
            raise ValueError(f"TextVectorization: output_sequence_length must be None or an "
                             f"integer, got {output_sequence_length!r}.")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(f"TextVectorization: output_sequence_length must not be set if "
                             f"output_mode is not 'int', got {output_sequence_length!r}.")
        if ragged and output_mode != "int":
            raise ValueError("TextVectorization: ragged=True needs output_mode='int'.")
        has_vocab = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        kwargs.pop("dtype", None)
        kwargs.pop("trainable", None)
        super().__init__(name=name, trainable=False, **kwargs)
        self._standardize, self._split, self._ngrams_arg = standardize, split, ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged, self._output_mode = ragged, output_mode
        self._output_sequence_length, self._encoding = output_sequence_length, encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            sparse=sparse, has_input_vocabulary=has_vocab, encoding=encoding,
            vocabulary_size=vocabulary_size)
        self._int_output_dtype = "int64" if output_mode != "tf_idf" else None
        self.built = True

    def _cast_input(self, x: Any) -> Any:
        return x

    # -- vocabulary -----------------------------------------------------------------------------
    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Learn the vocabulary (and IDF weights) from ``data``: a Dataset of string batches,
        a list or array of strings, or any iterable of batches."""
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, Tensor)):
            data = np.asarray(getattr(data, "_value", data), dtype=object)
            self.update_state(data[:, None] if data.ndim == 1 else data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        self._lookup_layer.update_state(self._preprocess(data))

    def finalize_state(self) -> None:
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The vocabulary: ``''`` (padding) and ``'[UNK]'`` first unless
        ``include_special_tokens=False``."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The size of the vocabulary, padding and OOV included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Use ``vocabulary`` (a list, array, tensor or a text file), without relearning."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # -- call -----------------------------------------------------------------------------------
    def _preprocess(self, inputs: Any) -> Any:
        x = string_tensor(inputs, f"TextVectorization '{self.name}'", self._encoding)
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            x = _s.lower(x)
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            x = _s.regex_replace(x, PUNCTUATION, "")
        if callable(self._standardize):
            x = self._standardize(x)
        if self._split is not None:
            if x.ndim > 1:
                if x.shape[-1] != 1:
                    raise ValueError(f"When using TextVectorization to tokenize strings, the "
                                     f"input rank must be 1 or the last shape dimension must "
                                     f"be 1. Received: inputs.shape={list(x.shape)}")
                x = Tensor(np.asarray(x._value)[..., 0])
            if self._split == "whitespace":
                x = _s.split(x)
            elif self._split == "character":
                x = _s.unicode_split(x, "UTF-8")
            else:
                x = self._split(x)
        if self._ngrams is not None:
            x = _s.ngrams(x, ngram_width=self._ngrams, separator=" ")
        return x

    def call(self, inputs: Any) -> Any:
        ids = self._lookup_layer.call(self._preprocess(inputs))
        if self._output_mode != "int" or self._ragged:
            return ids
        if isinstance(ids, RaggedTensor):
            return Tensor(_pad(ids.to_list(), self._output_sequence_length))
        if self._output_sequence_length is None:
            return ids
        a = np.asarray(ids._value)
        rows = _pad(list(a.reshape(-1, a.shape[-1]) if a.ndim else a.reshape(1, 1)),
                    self._output_sequence_length)
        return Tensor(rows.reshape(a.shape[:-1] + (self._output_sequence_length,)))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        if self._output_mode == "int":
            return (tuple(input_shape)[0], self._output_sequence_length)
        s = tuple(input_shape)
        if self._split is None:
            s = s + (1,) if len(s) <= 1 else s
        else:
            s = s + (None,)
        return self._lookup_layer.compute_output_shape(s)

    def get_config(self) -> dict:
        lookup = self._lookup_layer
        return dict(super().get_config(), max_tokens=lookup.max_tokens,
                    standardize=self._standardize, split=self._split, ngrams=self._ngrams_arg,
                    output_mode=self._output_mode,
                    output_sequence_length=self._output_sequence_length,
                    pad_to_max_tokens=lookup.pad_to_max_tokens, sparse=lookup.sparse,
                    ragged=self._ragged, vocabulary=_listify(lookup.input_vocabulary),
                    idf_weights=_listify(lookup.input_idf_weights), encoding=self._encoding,
                    vocabulary_size=self.vocabulary_size())

    @classmethod
    def from_config(cls, config: dict) -> TextVectorization:
        config = dict(config)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)
