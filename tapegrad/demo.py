"""``python -m tapegrad demo``: train a small network on real handwritten digits.

The data are the 1,797 8×8 images of the UCI "Optical Recognition of Handwritten Digits" set
(CC BY 4.0, bundled in ``tapegrad/datasets``). The model is a two-layer perceptron trained with a
hand-written GradientTape loop — the loop a TensorFlow user writes — using Keras-style pieces:
``Dense`` layers, ``Adam`` and ``SparseCategoricalCrossentropy``.
"""

from __future__ import annotations

import gzip
import os
import sys
import time
from importlib import resources
from typing import Any, TextIO

import numpy as np

import tapegrad as tf

__all__ = ["load_digits", "run"]

PLOT_NAME = "tapegrad-demo.png"


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The bundled digits: images ``(1797, 8, 8)`` as float32 in [0, 1], labels ``(1797,)``.

    >>> from tapegrad.demo import load_digits
    >>> images, labels = load_digits()
    >>> images.shape, labels[:5].tolist()
    ((1797, 8, 8), [0, 1, 2, 3, 4])
    """
    ref = resources.files("tapegrad").joinpath("datasets/digits.csv.gz")
    with ref.open("rb") as raw, gzip.open(raw, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    images = (table[:, :64] / 16.0).astype(np.float32).reshape(-1, 8, 8)
    return images, table[:, 64].astype(np.int32)


def _split(n: int, test_fraction: float, rng: np.random.Generator) -> tuple:
    order = rng.permutation(n)
    n_test = int(round(n * test_fraction))
    return order[n_test:], order[:n_test]


def _accuracy(model: Any, x: np.ndarray, y: np.ndarray) -> float:
    logits = model(x, training=False).numpy()
    return float(np.mean(np.argmax(logits, axis=1) == y))


def run(epochs: int = 20, seed: int = 0, out_dir: str = ".", batch_size: int = 32,
        plot: bool = True, stream: TextIO | None = None) -> dict:
    """Train, report and (with matplotlib) plot; returns the numbers it printed.

    >>> import io
    >>> from tapegrad.demo import run
    >>> result = run(epochs=1, plot=False, stream=io.StringIO())
    >>> result["test_accuracy"] > 0.8
    True
    """
    out = stream if stream is not None else sys.stdout
    t0 = time.perf_counter()
    images, labels = load_digits()
    x = images.reshape(len(images), 64)
    rng = np.random.default_rng(seed)
    train, test = _split(len(x), 0.2, rng)
    x_train, y_train, x_test, y_test = x[train], labels[train], x[test], labels[test]
    print(f"UCI handwritten digits: {len(x_train)} training and {len(x_test)} test images "
          f"(8x8, CC BY 4.0)", file=out)

    tf.random.set_seed(seed)
    model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu"),
                                 tf.keras.layers.Dense(10)])
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.002)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    history: dict[str, list[float]] = {"loss": [], "train_accuracy": [], "test_accuracy": []}
    train_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
                .shuffle(len(x_train), seed=seed).batch(batch_size))
    bar = tf.keras.utils.Progbar(epochs, unit_name="epoch", stream=out,
                                 stateful_metrics=["loss", "test_acc"])
    for epoch in range(epochs):
        total = 0.0
        for xb, yb in train_ds:
            with tf.GradientTape() as tape:
                logits = model(xb, training=True)
                loss = loss_fn(yb, logits)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            total += float(loss) * int(xb.shape[0])
        history["loss"].append(total / len(x_train))
        history["train_accuracy"].append(_accuracy(model, x_train, y_train))
        history["test_accuracy"].append(_accuracy(model, x_test, y_test))
        bar.update(epoch + 1, [("loss", history["loss"][-1]),
                               ("test_acc", history["test_accuracy"][-1])])

    seconds = time.perf_counter() - t0
    test_acc = history["test_accuracy"][-1]
    print(f"test accuracy: {test_acc:.4f} ({int(round(test_acc * len(x_test)))}/{len(x_test)} "
          f"digits right) after {epochs} epochs in {seconds:.1f} s", file=out)
    result = {"test_accuracy": test_acc, "seconds": seconds, "history": history,
              "plot": None, "epochs": epochs, "seed": seed}
    if plot:
        predictions = np.argmax(model(x_test[:12], training=False).numpy(), axis=1)
        result["plot"] = _plot(history, images[test][:12], y_test[:12], predictions, out_dir,
                               out)
    return result


def _plot(history: dict, images: np.ndarray, labels: np.ndarray, predictions: np.ndarray,
          out_dir: str, out: TextIO) -> str | None:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"matplotlib is not installed, so no {PLOT_NAME} was written. Install it with "
              f'`pip install "tapegrad[plot]"` (or `pip install matplotlib`) and run again.',
              file=out)
        return None
    fig = plt.figure(figsize=(11, 4.2))
    grid = fig.add_gridspec(3, 8)
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax = fig.add_subplot(grid[:, 0:3])
    ax.plot(epochs, history["loss"], color="tab:blue", marker="o", ms=3)
    ax.set(title="training loss", xlabel="epoch", ylabel="cross-entropy")
    ax = fig.add_subplot(grid[:, 3:6])
    ax.plot(epochs, history["train_accuracy"], marker="o", ms=3, label="train")
    ax.plot(epochs, history["test_accuracy"], marker="o", ms=3, label="test")
    ax.set(title="accuracy", xlabel="epoch", ylim=(min(0.8, min(history["test_accuracy"])), 1.0))
    ax.legend(loc="lower right")
    for i in range(min(6, len(images))):
        a = fig.add_subplot(grid[i // 2, 6 + i % 2])
        a.imshow(images[i], cmap="gray_r", interpolation="nearest")
        ok = predictions[i] == labels[i]
        a.set_title(f"pred {predictions[i]}" + ("" if ok else f" (is {labels[i]})"),
                    fontsize=9, color="black" if ok else "red")
        a.axis("off")
    fig.suptitle("tapegrad: a GradientTape training loop on the UCI handwritten digits")
    fig.tight_layout()
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, PLOT_NAME)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(f"wrote {path}", file=out)
    return path
