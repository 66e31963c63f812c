"""``tf.train.SequenceExample`` (context features and named lists of per-step features),
encoded and decoded by hand as ``example.py`` does Examples, and
``tf.io.parse_single_sequence_example``.

Wire layout (TF's ``example.proto``): SequenceExample{1: Features context, 2: FeatureLists};
FeatureLists{1: map<string, FeatureList>}; FeatureList{1: repeated Feature}.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.errors import InvalidArgumentError
from ..formats import wire
from .example import (Feature, Features, FixedLenSequenceFeature, VarLenFeature, _empty,
                      _kind_of, _Message, _out, _raw, _sparse, _values, parse_single_example)

__all__ = ["FeatureList", "FeatureLists", "SequenceExample", "parse_single_sequence_example"]


class FeatureList(_Message):
    """``tf.train.FeatureList``: one Feature per step."""

    def __init__(self, feature: Any = ()):
        self.feature = list(feature)

    def _encode(self) -> bytes:
        return b"".join(wire.ld(1, f._encode()) for f in self.feature)

    @classmethod
    def _decode(cls, data: bytes) -> FeatureList:
        return cls([Feature._decode(f) for f in wire.parse(data, "FeatureList").get(1, [])])


class FeatureLists(_Message):
    """``tf.train.FeatureLists``: a map from name to FeatureList."""

    def __init__(self, feature_list: dict | None = None):
        self.feature_list = dict(feature_list or {})

    def _encode(self) -> bytes:
        return b"".join(wire.ld(1, wire.ld(1, k.encode()) + wire.ld(2, f._encode()))
                        for k, f in self.feature_list.items())

    @classmethod
    def _decode(cls, data: bytes) -> FeatureLists:
        out = {}
        for entry in wire.parse(data, "FeatureLists").get(1, []):
            e = wire.parse(entry, "FeatureLists entry")
            out[wire.first(e, 1, b"").decode("utf-8")] = FeatureList._decode(
                wire.first(e, 2, b""))
        return cls(out)


class SequenceExample(_Message):
    """``tf.train.SequenceExample``: ``context`` features and ``feature_lists`` of steps.

    >>> import tapegrad as tf
    >>> seq = tf.train.SequenceExample(
    ...     context=tf.train.Features(feature={
    ...         "id": tf.train.Feature(int64_list=tf.train.Int64List(value=[7]))}),
    ...     feature_lists=tf.train.FeatureLists(feature_list={"tok": tf.train.FeatureList(
    ...         feature=[tf.train.Feature(int64_list=tf.train.Int64List(value=[v]))
    ...                  for v in (3, 4)])}))
    >>> tf.train.SequenceExample.FromString(seq.SerializeToString()) == seq
    True
    """

    def __init__(self, context: Features | None = None,
                 feature_lists: FeatureLists | None = None):
        self.context = context if context is not None else Features()
        self.feature_lists = feature_lists if feature_lists is not None else FeatureLists()

    def _encode(self) -> bytes:
        return wire.ld(1, self.context._encode()) + wire.ld(2, self.feature_lists._encode())

    @classmethod
    def _decode(cls, data: bytes) -> SequenceExample:
        msg = wire.parse(data, "SequenceExample")
        return cls(Features._decode(wire.first(msg, 1, b"")),
                   FeatureLists._decode(wire.first(msg, 2, b"")))


def _steps(flist: FeatureList | None, key: str, spec: Any) -> Any:
    """One sequence feature: ``[steps, *shape]`` dense, or a SparseTensor ``[steps, i]``."""
    kind = _kind_of(spec.dtype)
    steps = [] if flist is None else [_values(f, key, kind) for f in flist.feature]
    if isinstance(spec, VarLenFeature):
        return _sparse(steps, kind, True)
    if not isinstance(spec, FixedLenSequenceFeature):
        raise InvalidArgumentError(f"parse_single_sequence_example: sequence feature {key} "
                                   f"must be a FixedLenSequenceFeature or a VarLenFeature.")
    if flist is None and not spec.allow_missing:
        raise InvalidArgumentError(f"Name: <unknown>, Feature list '{key}' is required but "
                                   f"could not be found.  Did you mean to include it in "
                                   f"feature_list_dense_missing_assumed_empty or "
                                   f"feature_list_dense_defaults?")
    shape = tuple(int(d) for d in spec.shape)
    per = int(np.prod(shape, dtype=np.int64))
    for t, v in enumerate(steps):
        if v.size != per:
            raise InvalidArgumentError(f"Name: <unknown>, Key: {key}, Index: {t}.  Number of "
                                       f"values != expected.  values size: {v.size} but "
                                       f"output shape: {list(shape)}")
    dense = np.stack(steps) if steps else _empty(kind)
    return _out(dense.reshape((len(steps),) + shape))


def parse_single_sequence_example(serialized: Any, context_features: dict | None = None,
                                  sequence_features: dict | None = None,
                                  example_name: Any = None, name: str | None = None) -> tuple:
    """Parse one serialized ``SequenceExample`` into ``(context, sequences)`` dicts: context
    features as ``parse_single_example`` gives them, each sequence feature as a
    ``[steps, *shape]`` tensor (``FixedLenSequenceFeature``) or a SparseTensor
    (``VarLenFeature``).

    >>> import tapegrad as tf
    >>> seq = tf.train.SequenceExample(feature_lists=tf.train.FeatureLists(feature_list={
    ...     "tok": tf.train.FeatureList(feature=[
    ...         tf.train.Feature(int64_list=tf.train.Int64List(value=v)) for v in ([3], [4, 5])])}))
    >>> ctx, steps = tf.io.parse_single_sequence_example(
    ...     seq.SerializeToString(), sequence_features={"tok": tf.io.VarLenFeature(tf.int64)})
    >>> steps["tok"].indices.numpy().tolist(), steps["tok"].dense_shape.numpy().tolist()
    ([[0, 0], [1, 0], [1, 1]], [2, 2])
    """
    seq = SequenceExample._decode(_raw(serialized))
    context = {}
    if context_features:  # the context is an Example's Features: parse it as one
        context = parse_single_example(wire.ld(1, seq.context._encode()), context_features)
    lists = seq.feature_lists.feature_list
    sequences = {key: _steps(lists.get(key), key, spec)
                 for key, spec in (sequence_features or {}).items()}
    return context, sequences

