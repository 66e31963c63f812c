"""``StringLookup``: strings to integer indices in a vocabulary (or back, with ``invert``)."""

from __future__ import annotations

from typing import Any

from .index_lookup import IndexLookup

__all__ = ["StringLookup"]


class StringLookup(IndexLookup):
    """Maps strings to indices: index 0 is ``"[UNK]"`` for out-of-vocabulary strings (or the
    mask token, then the OOV indices), the vocabulary after it; ``adapt`` learns the vocabulary
    from data, most frequent first. ``output_mode`` ``"int"``, ``"one_hot"``, ``"multi_hot"``,
    ``"count"`` or ``"tf_idf"``; ``invert=True`` maps indices back to strings.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.StringLookup(vocabulary=["a", "b", "c"])
    >>> layer(tf.constant([["a", "c", "d"]])).numpy()
    array([[1, 3, 0]])
    >>> layer.get_vocabulary()
    ['[UNK]', 'a', 'b', 'c']
    """

    def __init__(self, max_tokens: int | None = None, num_oov_indices: int = 1,
                 mask_token: str | None = None, oov_token: str = "[UNK]", vocabulary: Any = None,
                 idf_weights: Any = None, invert: bool = False, output_mode: str = "int",
                 pad_to_max_tokens: bool = False, sparse: bool = False, encoding: str = "utf-8",
                 name: str | None = None, salt: Any = None, **kwargs: Any):
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, vocabulary_dtype="string", oov_method="farmhash", **kwargs)

    def get_config(self) -> dict:
        config = dict(super().get_config(), encoding=self.encoding)
        for key in ("vocabulary_dtype", "oov_method"):
            config.pop(key)
        return config
