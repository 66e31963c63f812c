"""Record TF's "Basic text classification" tutorial flow on the small corpus under
tests/data/text_reviews for tests/data/tf_text_classification.json.

Run with a Python that has TensorFlow 2.21 installed (never a tapegrad dependency):
``python tools/record_text_classification.py``. ``program(tf)`` is the tutorial's code (the
directory read with sorted file names instead of a shuffled ``text_dataset_from_directory``);
the test runs the same function with tapegrad. The model's weights are set to fixed values so
the evaluation and the predictions can be compared; training itself draws dropout masks.
"""

import glob
import json
import os
import re
import string

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "text_reviews")


def load(tf, split, batch_size=4):
    """The reviews of ``split`` as (text, label) batches; class 0 is ``neg``, 1 ``pos``."""
    texts, labels = [], []
    for label, name in enumerate(["neg", "pos"]):
        for path in sorted(glob.glob(os.path.join(ROOT, split, name, "*.txt"))):
            with open(path, encoding="utf-8") as f:
                texts.append(f.read())
            labels.append(label)
    return tf.data.Dataset.from_tensor_slices((texts, labels)).batch(batch_size)


def program(tf, epochs=0, fixed_weights=True):
    """The tutorial, step by step (with the model's weights set to fixed values when
    ``fixed_weights``); returns what the test compares."""
    layers, losses = tf.keras.layers, tf.keras.losses
    raw_train_ds, raw_test_ds = load(tf, "train"), load(tf, "test")

    def custom_standardization(input_data):
        lowercase = tf.strings.lower(input_data)
        stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
        return tf.strings.regex_replace(stripped_html, "[%s]" % re.escape(string.punctuation), "")

    max_features, sequence_length = 30, 8
    vectorize_layer = layers.TextVectorization(
        standardize=custom_standardization, max_tokens=max_features, output_mode="int",
        output_sequence_length=sequence_length)
    train_text = raw_train_ds.map(lambda x, y: x)
    vectorize_layer.adapt(train_text)

    def vectorize_text(text, label):
        text = tf.expand_dims(text, -1)
        return vectorize_layer(text), label

    text_batch, label_batch = next(iter(raw_train_ds))
    first = vectorize_text(text_batch[0], label_batch[0])[0]
    train_ds = raw_train_ds.map(vectorize_text).cache().prefetch(buffer_size=tf.data.AUTOTUNE)
    test_ds = raw_test_ds.map(vectorize_text)
    embedding_dim = 4
    model = tf.keras.Sequential([
        layers.Embedding(max_features, embedding_dim),
        layers.Dropout(0.2),
        layers.GlobalAveragePooling1D(),
        layers.Dropout(0.2),
        layers.Dense(1)])
    model.build((None, sequence_length))
    if fixed_weights:
        model.set_weights([
            np.sin(np.arange(max_features * embedding_dim)).reshape(
                max_features, embedding_dim).astype("float32"),
            np.cos(np.arange(embedding_dim)).reshape(embedding_dim, 1).astype("float32"),
            np.array([0.1], "float32")])
    model.compile(loss=losses.BinaryCrossentropy(from_logits=True), optimizer="adam",
                  metrics=[tf.metrics.BinaryAccuracy(threshold=0.0)])
    loss, accuracy = model.evaluate(test_ds, verbose=0)
    history = model.fit(train_ds, validation_data=test_ds, epochs=epochs, verbose=0)
    export_model = tf.keras.Sequential([vectorize_layer, model, layers.Activation("sigmoid")])
    export_model.compile(loss=losses.BinaryCrossentropy(from_logits=False), optimizer="adam",
                         metrics=["accuracy"])
    examples = tf.constant(["The movie was great!", "The movie was okay.",
                            "The movie was terrible..."])
    return {"vocabulary": vectorize_layer.get_vocabulary(),
            "first_review": np.asarray(first).tolist(),
            "evaluate": [float(loss), float(accuracy)],
            "predict": np.asarray(export_model.predict(examples, verbose=0)).tolist(),
            "history": history.history}


def main() -> None:
    import tensorflow as tf
    out = program(tf)
    path = os.path.join(ROOT, "..", "tf_text_classification.json")
    with open(path, "w") as f:
        json.dump({k: out[k] for k in ("vocabulary", "first_review", "evaluate", "predict")},
                  f, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
