"""Record tf.lookup, tf.strings.to_hash_bucket_* and the Keras text layers' outputs for
tests/data/tf_lookup.json.

Run with a Python that has TensorFlow 2.21 installed (never a tapegrad dependency):
``python tools/record_lookup.py``. Each case is an expression spelled as text, evaluated here
with TF and in the test with tapegrad (``L`` is ``tf.keras.layers``, ``CORPUS`` a few
sentences, ``S(n)`` a deterministic byte string of length n); strings are stored as latin-1
text of their bytes.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

CORPUS = ["The cat sat on the mat.", "The dog ate my homework!", "A cat, a dog; a bird?",
          "<br />Dogs and cats<br />", "the THE The tHe", "zebra"]


def S(n):  # noqa: N802 - the name the cases use
    return bytes((i * 131 + n * 7 + 3) % 256 for i in range(n))


LENGTHS = list(range(0, 70)) + [95, 128, 129, 200, 1000]
KV = "tf.lookup.KeyValueTensorInitializer(['a', 'b', 'c'], tf.constant([0, 1, 2], tf.int64))"
CASES = [
    f"tf.strings.to_hash_bucket_fast([S(n) for n in {LENGTHS}], 2**62)",
    f"tf.strings.to_hash_bucket_strong([S(n) for n in {LENGTHS}], 2**62, key=[7, 2**40 + 5])",
    "tf.strings.to_hash_bucket_fast(['Hello', 'TensorFlow', '2.x'], 3)",
    f"tf.lookup.StaticHashTable({KV}, -1).lookup(tf.constant([['a', 'x'], ['c', 'b']]))",
    f"tf.lookup.StaticHashTable({KV}, -1).size()",
    f"tf.lookup.StaticVocabularyTable({KV}, 4).lookup(tf.constant(['a', 'q', 'zz', 'c', '']))",
    f"tf.lookup.StaticVocabularyTable({KV}, 4).size()",
    "tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(tf.constant([10, 20], "
    "tf.int64), tf.constant([0, 1], tf.int64)), 5).lookup(tf.constant([10, 11, 12, 99, 20], "
    "tf.int64))",
    f"tf.lookup.StaticHashTable({KV}, -1).lookup(tf.ragged.constant([['a'], ['b', 'x']]))"
    ".to_tensor(default_value=-7)",
    "L.StringLookup(vocabulary=['a', 'b', 'c'])(tf.constant([['a', 'c', 'd']]))",
    "L.StringLookup(vocabulary=['a', 'b'], mask_token='')(tf.constant([['a', '', 'c']]))",
    "L.StringLookup(vocabulary=['a', 'b'], num_oov_indices=3)(tf.constant(['a', 'x', 'y', "
    "'zz', 'b']))",
    "L.StringLookup(vocabulary=['a', 'b'], num_oov_indices=3, salt=5)(tf.constant(['x', 'y', "
    "'zz', 'www']))",
    "L.StringLookup(vocabulary=['a', 'b'], invert=True)(tf.constant([[0, 1, 2, 7]]))",
    "L.StringLookup(vocabulary=['a', 'b'], output_mode='multi_hot')(tf.constant(['a', 'c']))",
    "L.StringLookup(vocabulary=['a', 'b'], output_mode='count')(tf.constant([['a', 'b', 'b'], "
    "['c', 'c', 'a']]))",
    "L.StringLookup(vocabulary=['a', 'b'], output_mode='one_hot')(tf.constant([['a', 'b', "
    "'b']]))",
    "L.StringLookup(vocabulary=['a', 'b'], output_mode='one_hot')(tf.constant([['a'], ['x']]))",
    "L.StringLookup(vocabulary=['a', 'b'], output_mode='tf_idf', idf_weights=[0.5, 0.25])"
    "(tf.constant([['a', 'c', 'b', 'b']]))",
    "L.StringLookup(vocabulary=['a', 'b'], mask_token='', output_mode='multi_hot')"
    "(tf.constant([['a', '', 'c']]))",
    "L.StringLookup(max_tokens=5, output_mode='count', pad_to_max_tokens=True, "
    "vocabulary=['a'])(tf.constant([['a', 'x']]))",
    "(l := L.StringLookup(), l.adapt(tf.constant(['b', 'a', 'c', 'b', 'a', 'b', 'd'])), "
    "l.get_vocabulary())[2]",
    "(l := L.StringLookup(max_tokens=3), l.adapt([['b', 'a'], ['c', 'b'], ['a', 'e']]), "
    "l(tf.constant(['a', 'b', 'c', 'e'])))[2]",
    "(l := L.StringLookup(output_mode='tf_idf'), l.adapt([['b', 'a', 'a'], ['c', 'b', 'b']]), "
    "l(tf.constant([['a', 'b', 'c', 'z']])))[2]",
    "L.IntegerLookup(vocabulary=[12, 36, 1138, 42])(tf.constant([[12, 1138, 42], "
    "[42, 1000, 36]]))",
    "L.IntegerLookup(vocabulary=[12, 36], num_oov_indices=3, mask_token=0)"
    "(tf.constant([12, 0, 7, 8, 9, 36], tf.int64))",
    "L.IntegerLookup(vocabulary=[12, 36], invert=True)(tf.constant([0, 1, 2, 5], tf.int64))",
    "(l := L.IntegerLookup(), l.adapt(tf.constant([5, 3, 3, 9, 5, 3, 9, 9, 1])), "
    "l.get_vocabulary())[2]",
    "L.Hashing(num_bins=3)(tf.constant([['A'], ['B'], ['C'], ['D'], ['E']]))",
    "L.Hashing(num_bins=3, mask_value='')(tf.constant([['A'], [''], ['C'], ['D'], ['E']]))",
    "L.Hashing(num_bins=3, salt=133)(tf.constant([['A'], ['B'], ['C'], ['D'], ['E']]))",
    "L.Hashing(num_bins=5)(tf.constant([[11, 22], [33, 44]]))",
    "L.Hashing(num_bins=5)(tf.constant([1.5, 2.9, -3.2]))",
    "L.Hashing(num_bins=4, output_mode='multi_hot')(tf.constant([['A', 'B'], ['C', 'A']]))",
    "L.Hashing(num_bins=4, output_mode='one_hot')(tf.constant([['A'], ['B']]))",
    "(l := L.TextVectorization(), l.adapt(CORPUS), l.get_vocabulary())[2]",
    "(l := L.TextVectorization(output_sequence_length=6), l.adapt(CORPUS), "
    "l(tf.constant(CORPUS + ['unseen words here'])))[2]",
    "(l := L.TextVectorization(max_tokens=6, output_sequence_length=3), l.adapt(CORPUS), "
    "l(tf.constant([['the cat'], ['zebra ate a long word list']])))[2]",
    "(l := L.TextVectorization(), l.adapt(CORPUS), l(tf.constant(['the cat', 'a b c d'])))[2]",
    "(l := L.TextVectorization(ngrams=2, max_tokens=12), l.adapt(CORPUS), "
    "l.get_vocabulary())[2]",
    "(l := L.TextVectorization(output_mode='multi_hot', max_tokens=8), l.adapt(CORPUS), "
    "l(tf.constant(['the cat the zebra'])))[2]",
    "(l := L.TextVectorization(output_mode='count'), l.adapt(CORPUS), "
    "l(tf.constant(['the cat the zebra'])))[2]",
    "(l := L.TextVectorization(output_mode='tf_idf', max_tokens=9), l.adapt(CORPUS), "
    "l(tf.constant(['the cat the zebra', 'dog'])))[2]",
    "(l := L.TextVectorization(split='character', standardize='lower'), "
    "l.adapt(['Abc', 'bcd']), l(tf.constant(['dab'])))[2]",
    "(l := L.TextVectorization(standardize=None, split=None), l.adapt(['x y', 'x y', 'z']), "
    "l(tf.constant([['x y'], ['q']])))[2]",
    "L.TextVectorization(vocabulary=['hello', 'world'], output_sequence_length=4)"
    "(tf.constant(['Hello, World! hi']))",
]


def _plain(v):
    v = v.numpy() if hasattr(v, "numpy") else v
    if isinstance(v, list):  # a vocabulary: strings, or integers
        v = [x.encode("utf-8") if isinstance(x, str) else x for x in v]
        v = np.asarray(v, dtype=object if isinstance(v[0], bytes) else np.int64)
    a = np.asarray(v)
    if a.dtype == object:
        return {"dtype": "string", "value": np.vectorize(
            lambda b: b.decode("latin-1") if isinstance(b, bytes) else b,
            otypes=[object])(a).tolist()}
    return {"dtype": a.dtype.name, "value": a.tolist()}


def main() -> None:
    scope = {"tf": tf, "L": tf.keras.layers, "CORPUS": CORPUS, "S": S}
    out = [{"call": case, **_plain(eval(case, scope))} for case in CASES]  # noqa: S307
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "tf_lookup.json")
    with open(path, "w") as f:
        json.dump(out, f, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
