"""tf.nn.ctc_loss (ops/ctc.py): gradient checks and TF 2.21's numbers (each expected list below
was printed by TensorFlow for the same inputs)."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import GradCase

LABELS = np.array([[1, 2, 2, 0], [3, 0, 0, 0], [4, 1, 4, 2]], np.int32)
LABEL_LENGTH, LOGIT_LENGTH = [3, 1, 2], [6, 4, 5]

GRAD_CASES = [
    GradCase("ctc_loss", lambda x: tf.nn.ctc_loss(LABELS, x, LABEL_LENGTH, LOGIT_LENGTH),
             [((6, 3, 5),)], order=1, modes=("rev", "jac")),
    GradCase("ctc_loss(batch-major, blank_index=-1)", lambda x: tf.nn.ctc_loss(
        [[1, 2], [0, 0]], x, [2, 1], [4, 3], logits_time_major=False, blank_index=-1),
        [((2, 4, 4),)], order=1, modes=("rev", "jac")),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def _logits():
    return np.random.default_rng(1).standard_normal((6, 3, 5)).astype(np.float32)


def test_loss_and_gradient_as_tf():
    x = tf.constant(_logits())
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.nn.ctc_loss(LABELS, x, LABEL_LENGTH, LOGIT_LENGTH)
        s = tf.reduce_sum(loss * tf.constant([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(loss.numpy(), [7.325957298278809, 3.633888006210327,
                                              3.931508779525757], rtol=1e-5)
    want = [0.13065245747566223, 0.5323867201805115, -0.8603330254554749, 0.1847454309463501,
            0.8999707102775574, -0.321763813495636, 0.9231898784637451, 0.3488859534263611,
            -1.2149572372436523, 0.07693212479352951, -1.1094043254852295, -0.22618161141872406,
            0.0]
    np.testing.assert_allclose(tape.gradient(s, x).numpy().ravel()[::7], want, rtol=1e-5,
                               atol=1e-6)


def test_batch_major_and_blank_index_as_tf():
    xb = tf.constant(np.transpose(_logits(), (1, 0, 2)))
    got = tf.nn.ctc_loss(LABELS, xb, LABEL_LENGTH, LOGIT_LENGTH, logits_time_major=False,
                         blank_index=-1)
    np.testing.assert_allclose(got.numpy(), [8.633962631225586, 3.6837239265441895,
                                             4.258797645568848], rtol=1e-5)


def test_no_second_derivative_as_tf():
    x = tf.constant(_logits())
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            loss = tf.reduce_sum(tf.nn.ctc_loss(LABELS, x, LABEL_LENGTH, LOGIT_LENGTH))
        g = inner.gradient(loss, x)
        s = tf.reduce_sum(g * g)
    with pytest.raises(LookupError, match="second derivative"):
        outer.gradient(s, x)


def test_unreachable_labels_give_inf():
    assert np.isinf(tf.nn.ctc_loss([[1, 1]], tf.zeros([2, 1, 3]), [2], [2]).numpy()).all()


@pytest.mark.parametrize("kwargs, message", [
    (dict(labels=[[1, 0]], logits=tf.zeros([3, 2, 3])), "labels must be"),
    (dict(labels=[[1, 0]], logits=tf.zeros([3, 1, 3]), logit_length=[4]), "logit_length"),
    (dict(labels=[[0, 1]], logits=tf.zeros([3, 1, 3])), "other than the blank"),
    (dict(labels=[[1, 7]], logits=tf.zeros([3, 1, 3])), r"classes in \[0, 3\)"),
    (dict(labels=[[1, 2]], logits=tf.zeros([3, 3])), "time, batch, classes"),
])
def test_refusals(kwargs, message):
    args = dict(label_length=[2], logit_length=[3]) | kwargs
    with pytest.raises(InvalidArgumentError, match=message):
        tf.nn.ctc_loss(**args)


def test_greedy_decoder_as_tf():
    x = np.random.default_rng(2).standard_normal((6, 2, 4)).astype(np.float32)
    (d,), neg = tf.nn.ctc_greedy_decoder(x, [6, 4])
    assert d.indices.numpy().tolist() == [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4], [0, 5],
                                          [1, 0], [1, 1], [1, 2], [1, 3]]
    assert d.values.numpy().tolist() == [0, 2, 0, 2, 0, 1, 0, 2, 0, 2]
    assert d.values.dtype == tf.int64 and d.dense_shape.numpy().tolist() == [2, 6]
    np.testing.assert_allclose(neg.numpy(), [[-6.648375511169434], [-3.937589168548584]],
                               rtol=1e-6)
    (d,), _ = tf.nn.ctc_greedy_decoder(x, [6, 4], merge_repeated=False, blank_index=0)
    assert d.indices.numpy().tolist() == [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1]]
    assert d.values.numpy().tolist() == [2, 2, 1, 2, 2] and d.dense_shape.numpy().tolist() == [2, 3]
    with pytest.raises(InvalidArgumentError, match="sequence_length"):
        tf.nn.ctc_greedy_decoder(x, [7, 1])


def test_collapse_repeated_as_tf():
    out, n = tf.nn.collapse_repeated([[1, 1, 2, 2, 2, 3, 0], [4, 4, 4, 5, 5, 0, 0]], [6, 5])
    assert out.numpy().tolist() == [[1, 2, 3], [4, 5, 0]] and out.dtype == tf.int32
    assert n.numpy().tolist() == [3, 2] and n.dtype == tf.int32
