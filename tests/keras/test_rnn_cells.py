"""RNN cells and ``RNN(cell)``, stateful layers and (recurrent) dropout: numbers against
Keras 3 with the same weights (tests/data/keras_layers.json, tools/record_keras_models.py),
gradient checks w.r.t. inputs and weights, configs."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad import nest
from tapegrad.keras import layers
from tapegrad.testing import check_grads

from .weight_grads import check_weight_grads

REF = json.loads((pathlib.Path(__file__).parent.parent / "data" / "keras_layers.json")
                 .read_text(encoding="utf-8"))["cells"]
X, MASK = np.array(REF["x"], np.float32), np.array(REF["mask"])


class MinimalCell(layers.Layer):
    """The user-written cell of Keras's RNN documentation."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units))
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, self.units))

    def call(self, inputs, states):
        h = tf.matmul(inputs, self.kernel) + tf.matmul(states[0], self.recurrent_kernel)
        return h, [h]


def _close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=tol, atol=tol)


def _cells(names, dtype=None):
    kw = {} if dtype is None else {"dtype": dtype}
    made = [MinimalCell(3, **kw) if n == "MinimalCell" else getattr(layers, n)(3 - i, **kw)
            for i, n in enumerate(names)]
    return made if len(made) > 1 else made[0]


@pytest.mark.parametrize("key", ["simple", "lstm_backwards_masked", "stacked", "minimal"])
def test_rnn_of_cells_matches_keras(key):
    case = REF[key]
    layer = layers.RNN(_cells(case["cells"]), **case["config"])
    layer.build((None, 5, 3))
    layer.set_weights([np.array(w) for w in case["weights"]])
    kwargs = {"mask": MASK} if case["masked"] else {}
    with tf.GradientTape() as tape:
        outs = nest.flatten(layer(X, **kwargs))
        loss = tf.reduce_sum(outs[0] * np.array(case["coeff"], np.float32))
    assert len(outs) == len(case["outputs"])
    for got, want in zip(outs, case["outputs"]):
        _close(got, want)
    for got, want in zip(tape.gradient(loss, layer.trainable_variables), case["grads"]):
        _close(got, want, 1e-4)


def test_stateful_lstm_carries_states_between_calls_as_keras():
    case = REF["stateful"]
    inp = tf.keras.Input((5, 3), batch_size=2)
    lstm = layers.LSTM(3, stateful=True, return_sequences=True)
    tf.keras.Model(inp, lstm(inp))
    lstm.set_weights([np.array(w) for w in case["weights"]])
    _close(lstm(X), case["first"])
    _close(lstm(X[:, ::-1]), case["second"])
    lstm.reset_states()
    _close(lstm(X[:, ::-1]), case["after_reset"])
    with pytest.raises(ValueError, match="batch size must stay 2"):
        lstm(X[:1])
    assert len(lstm.variables) == 3  # the carried states are not weights


def test_cells_step_like_their_layers():
    rng = np.random.default_rng(3)
    for layer_cls, cell_cls in ((layers.SimpleRNN, layers.SimpleRNNCell),
                                (layers.LSTM, layers.LSTMCell), (layers.GRU, layers.GRUCell)):
        layer = layer_cls(3, return_sequences=True)
        layer.build((None, 5, 3))
        layer.set_weights([w * 0 + rng.standard_normal(w.shape) * 0.5
                           for w in layer.get_weights()])
        cell = cell_cls(3)
        rnn = layers.RNN(cell, return_sequences=True)
        rnn.build((None, 5, 3))
        rnn.set_weights(layer.get_weights())
        _close(rnn(X), layer(X))
        assert cell.get_config()["units"] == 3
        clone = type(rnn).from_config(rnn.get_config())
        assert clone.get_config() == rnn.get_config()
    stacked = layers.RNN([layers.GRUCell(2), layers.SimpleRNNCell(2)])
    assert layers.RNN.from_config(stacked.get_config()).get_config() == stacked.get_config()
    class UnlistedStepCell(MinimalCell):  # a class no other test can have registered
        pass

    with pytest.raises(ValueError, match="Unknown layer class 'UnlistedStepCell'"):
        layers.RNN.from_config(layers.RNN(UnlistedStepCell(2)).get_config())
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(layers.Dense(2))


@pytest.mark.parametrize("names", [["SimpleRNNCell"], ["LSTMCell", "GRUCell"], ["MinimalCell"]])
def test_rnn_gradients_wrt_inputs_states_and_weights(names):
    rng = np.random.default_rng(4)
    layer = layers.RNN(_cells(names, "float64"), return_sequences=True, go_backwards=True,
                       dtype="float64")
    x = rng.standard_normal((2, 3, 3))
    layer(x)
    mask = np.array([[True, False, True], [True, True, True]])
    check_grads(lambda x: layer(x, mask=mask), [x], order=2, modes=("rev", "fwd"))
    check_weight_grads(layer, lambda: layer(x, mask=mask), order=1)


def test_dropout_and_recurrent_dropout():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((4, 6, 8)).astype(np.float32)
    gru = layers.GRU(5, dropout=0.5, recurrent_dropout=0.3, return_sequences=True, seed=2)
    plain = layers.GRU(5, return_sequences=True)
    plain.build((None, 6, 8))
    gru.build((None, 6, 8))
    plain.set_weights(gru.get_weights())
    _close(gru(x), plain(x))  # inference: no dropout
    assert not np.allclose(gru(x, training=True), plain(x))
    # one input mask for every step of a sequence (Keras's cells draw it once): a linear
    # SimpleRNN with no recurrence shows which input features were dropped
    rnn = layers.SimpleRNN(8, activation=None, use_bias=False, dropout=0.5,
                           return_sequences=True)
    rnn.build((None, 6, 8))
    rnn.set_weights([np.eye(8), np.zeros((8, 8))])
    y = rnn(x, training=True).numpy()
    kept = np.isclose(y, 2 * x)
    dropped = np.isclose(y, 0)
    assert np.all(kept | dropped)
    assert np.all(kept == kept[:, :1])
    assert 0 < dropped.mean() < 1
    cell = layers.LSTMCell(4, recurrent_dropout=0.5, dropout=0.2)
    out, _ = cell(x[:, 0], cell.get_initial_state(4), training=True)
    assert out.shape == (4, 4)


def test_return_state_unroll_and_symbolic_shapes():
    rnn = layers.RNN([layers.LSTMCell(3), layers.GRUCell(2)], return_state=True, unroll=True)
    outs = rnn(tf.keras.Input((None, 4)))
    assert [o.shape for o in nest.flatten(outs)] == [(None, 2), (None, 3), (None, 3),
                                                      (None, 2)]
    model = tf.keras.Sequential([tf.keras.Input((None, 4)),
                                 layers.RNN(layers.SimpleRNNCell(3)), layers.Dense(1)])
    assert model(np.ones((2, 7, 4), np.float32)).shape == (2, 1)


def test_bidirectional_rnn_of_a_cell():
    bi = layers.Bidirectional(layers.RNN(layers.GRUCell(2), return_sequences=True))
    assert bi(X).shape == (2, 5, 4)
    rnn = layers.RNN(layers.GRUCell(2), return_sequences=True)
    rnn.build((None, 5, 3))
    rnn.set_weights(bi.forward_layer.get_weights())
    _close(bi(X)[..., :2], rnn(X))


def test_bidirectional_builds_its_layers_on_a_symbolic_call():
    inp = tf.keras.Input((None, 3))
    bi = layers.Bidirectional(layers.RNN(layers.LSTMCell(4), return_sequences=True))
    model = tf.keras.Model(inp, bi(inp))
    assert bi.count_params() == 2 * (3 * 16 + 4 * 16 + 16)
    assert model.count_params() == bi.count_params()
