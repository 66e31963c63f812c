"""Every public Keras layer has its gradient checked, with respect to its inputs and its trainable
weights, by ``check_layer_grads`` (float64, finite differences, to second order where the layer
is twice differentiable) — and a meta-test fails for a layer class with no case.

A case covers a layer class when the layer it builds, or a layer inside it, is of that class; a
class added since (no case yet) is probed: built from common arguments and checked the same way.
``NO_GRADIENT`` names the classes with nothing to differentiate; ``KNOWN`` (the ``_known.txt``
file) lists those still without a case, and may only shrink.
"""

import inspect

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import check_layer_grads

L = tf.keras.layers
F64 = {"dtype": "float64"}
UNIFORM = "random_uniform"  # non-zero biases, betas, gammas: a dropped term shows
NO_GRADIENT = {
    "Layer",       # the base class: identity
    "InputLayer",  # a placeholder for keras.Input, never called on a tensor
}


class LayerCase:
    """One row: ``make()`` builds a fresh layer (float64), checked at ``shapes`` (one tuple, or a
    list of tuples for a merge layer) with inputs drawn in ``domain``."""

    def __init__(self, name, make, shapes, order=2, domain=(-1.0, 1.0), inputs=None,
                 modes=("rev", "fwd", "jac"), **call_kwargs):
        self.name, self.make, self.shapes, self.order = name, make, shapes, order
        self.domain, self.inputs, self.modes, self.call_kwargs = domain, inputs, modes, call_kwargs

    def __repr__(self):
        return self.name

    def args(self):
        if self.inputs is not None:
            return self.inputs
        rng = np.random.default_rng(0)
        if isinstance(self.shapes, list):
            return [rng.uniform(*self.domain, s) for s in self.shapes]
        return rng.uniform(*self.domain, self.shapes)

    def check(self, layer):
        check_layer_grads(layer, self.args(), self.order, self.modes,
                          wrt_inputs=self.inputs is None, **self.call_kwargs)


def _bn(**kw):
    return L.BatchNormalization(beta_initializer=UNIFORM, gamma_initializer=UNIFORM, **kw, **F64)


SEQ, IMG, VEC = (2, 4, 3), (1, 4, 4, 2), (2, 3)
CASES = [
    # core
    LayerCase("Dense", lambda: L.Dense(2, activation="tanh", bias_initializer=UNIFORM, **F64),
              VEC),
    LayerCase("Dense_rank3", lambda: L.Dense(2, **F64), SEQ),
    LayerCase("Embedding", lambda: L.Embedding(5, 2, **F64), None,
              inputs=np.array([[0, 3], [3, 4]], np.int32)),
    LayerCase("Identity", lambda: L.Identity(**F64), VEC),
    LayerCase("Lambda", lambda: L.Lambda(lambda x: tf.sin(x) * x, **F64), VEC),
    # activations
    LayerCase("Activation", lambda: L.Activation("softplus", **F64), VEC),
    LayerCase("ELU", lambda: L.ELU(0.5, **F64), VEC),
    LayerCase("LeakyReLU", lambda: L.LeakyReLU(0.2, **F64), VEC),
    LayerCase("PReLU", lambda: L.PReLU(alpha_initializer=UNIFORM, **F64), VEC),
    LayerCase("ReLU", lambda: L.ReLU(max_value=0.5, negative_slope=0.1, threshold=-0.2, **F64),
              VEC),
    LayerCase("Softmax", lambda: L.Softmax(**F64), VEC),
    # convolution and pooling
    LayerCase("Conv1D", lambda: L.Conv1D(2, 2, padding="same", bias_initializer=UNIFORM,
                                         **F64), SEQ),
    LayerCase("Conv2D", lambda: L.Conv2D(2, 2, strides=2, activation="tanh",
                                         bias_initializer=UNIFORM, **F64), IMG),
    LayerCase("AveragePooling1D", lambda: L.AveragePooling1D(2, **F64), SEQ),
    LayerCase("AveragePooling2D", lambda: L.AveragePooling2D(2, padding="same", **F64), IMG),
    LayerCase("MaxPooling1D", lambda: L.MaxPooling1D(2, 1, **F64), SEQ),
    LayerCase("MaxPooling2D", lambda: L.MaxPooling2D(2, **F64), IMG),
    LayerCase("GlobalAveragePooling1D", lambda: L.GlobalAveragePooling1D(**F64), SEQ),
    LayerCase("GlobalAveragePooling2D", lambda: L.GlobalAveragePooling2D(**F64), IMG),
    LayerCase("GlobalMaxPooling1D", lambda: L.GlobalMaxPooling1D(**F64), SEQ),
    LayerCase("GlobalMaxPooling2D", lambda: L.GlobalMaxPooling2D(keepdims=True, **F64), IMG),
    # merging
    LayerCase("Add", lambda: L.Add(**F64), [VEC, VEC]),
    LayerCase("Subtract", lambda: L.Subtract(**F64), [VEC, VEC]),
    LayerCase("Multiply", lambda: L.Multiply(**F64), [VEC, VEC, VEC]),
    LayerCase("Average", lambda: L.Average(**F64), [VEC, VEC]),
    LayerCase("Maximum", lambda: L.Maximum(**F64), [VEC, VEC]),
    LayerCase("Minimum", lambda: L.Minimum(**F64), [VEC, VEC]),
    LayerCase("Concatenate", lambda: L.Concatenate(**F64), [VEC, (2, 2)]),
    LayerCase("Dot", lambda: L.Dot(1, normalize=True, **F64), [VEC, VEC]),
    # normalization
    LayerCase("BatchNormalization_training", lambda: _bn(), VEC, training=True),
    LayerCase("BatchNormalization_inference", lambda: _bn(axis=1), SEQ, training=False),
    LayerCase("LayerNormalization", lambda: L.LayerNormalization(
        beta_initializer=UNIFORM, gamma_initializer=UNIFORM, **F64), SEQ),
    LayerCase("UnitNormalization", lambda: L.UnitNormalization(**F64), VEC),
    LayerCase("Normalization", lambda: L.Normalization(mean=[0.5, 1.0, -1.0],
                                                       variance=[2.0, 0.5, 1.0], **F64), VEC),
    LayerCase("Rescaling", lambda: L.Rescaling(0.5, offset=-1.0, **F64), VEC),
    # regularization: the identity outside training
    LayerCase("Dropout", lambda: L.Dropout(0.5, **F64), VEC, training=False),
    LayerCase("GaussianNoise", lambda: L.GaussianNoise(0.3, **F64), VEC, training=False),
    LayerCase("SpatialDropout1D", lambda: L.SpatialDropout1D(0.5, **F64), SEQ, training=False),
    LayerCase("SpatialDropout2D", lambda: L.SpatialDropout2D(0.5, **F64), IMG, training=False),
    # reshaping
    LayerCase("Flatten", lambda: L.Flatten(**F64), SEQ),
    LayerCase("Permute", lambda: L.Permute((2, 1), **F64), SEQ),
    LayerCase("RepeatVector", lambda: L.RepeatVector(2, **F64), VEC),
    LayerCase("Reshape", lambda: L.Reshape((3, 4), **F64), SEQ),
    LayerCase("UpSampling2D", lambda: L.UpSampling2D(2, **F64), (1, 2, 2, 1)),
    LayerCase("ZeroPadding2D", lambda: L.ZeroPadding2D(((1, 0), (0, 1)), **F64), (1, 2, 2, 1)),
    # recurrent
    LayerCase("SimpleRNN", lambda: L.SimpleRNN(2, bias_initializer=UNIFORM, **F64), SEQ),
    LayerCase("LSTM", lambda: L.LSTM(2, return_sequences=True, **F64), (1, 3, 2)),
    LayerCase("GRU", lambda: L.GRU(2, **F64), (1, 3, 2)),
    LayerCase("Bidirectional", lambda: L.Bidirectional(L.SimpleRNN(2, **F64), **F64),
              (1, 3, 2)),
    LayerCase("TimeDistributed", lambda: L.TimeDistributed(L.Dense(2, **F64), **F64), SEQ),
]


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_layer_gradients(case):
    case.check(case.make())


def _public_layer_classes():
    return {name: cls for name, cls in vars(L).items()
            if not name.startswith("_") and inspect.isclass(cls) and issubclass(cls, L.Layer)
            and name not in NO_GRADIENT}


def _covered():
    classes = set()
    for case in CASES:
        layer = case.make()
        args = case.args()
        layer([tf.constant(a) for a in args] if isinstance(args, list) else tf.constant(args),
              **case.call_kwargs)
        classes |= {type(m) for m in [layer, *getattr(layer, "submodules", ())]}
    return classes


def _known() -> set:
    with open(__file__.replace(".py", "_known.txt")) as f:
        return {line.split("#")[0].strip() for line in f} - {""}


# constructor arguments a probe may fill, for a layer class that no case builds yet
HINTS = {"units": 2, "filters": 2, "kernel_size": 2, "rate": 0.5, "stddev": 0.3, "pool_size": 2,
         "size": 2, "n": 2, "num_heads": 2, "key_dim": 2, "axis": -1}
PROBE_SHAPES = [(2, 4, 3), (1, 4, 4, 2), (2, 3), (1, 2, 4, 4, 2)]


def _probe(cls) -> bool:
    """For a layer class no case builds (added since this table was written): build it from
    ``HINTS`` and check its gradients, in inference mode, at the first input shape it accepts.
    True when checked; a gradient mismatch fails the test; a layer the probe cannot build or
    call gives False."""
    params = inspect.signature(cls.__init__).parameters.values()
    required = [p.name for p in params if p.default is p.empty and p.name != "self"
                and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
    if any(name not in HINTS for name in required):
        return False
    for shape in PROBE_SHAPES:
        try:
            layer = cls(**{name: HINTS[name] for name in required}, **F64)
            layer(tf.constant(np.ones(shape)), training=False)
        except (TypeError, ValueError, IndexError, NotImplementedError, tf.errors.OpError):
            continue
        args = np.random.default_rng(0).uniform(-1.0, 1.0, shape)  # inference: no random draws
        check_layer_grads(layer, args, order=2, modes=("rev", "fwd"), training=False)
        return True
    return False


def test_every_public_layer_has_a_gradient_case():
    covered, known = _covered(), _known()
    missing = {name for name, cls in _public_layer_classes().items()
               if cls not in covered and (name in known or not _probe(cls))}
    assert missing <= known, (f"layers with no gradient case: {sorted(missing - known)}; add a "
                              f"LayerCase row to {__name__}.CASES")
    assert not (known & (set(_public_layer_classes()) - missing)), (
        f"now covered, remove from the known list: {sorted(known - missing)}")


@pytest.mark.parametrize("case", [c for c in CASES if c.name in
                                  ("Dense", "Conv2D", "LSTM", "GRU", "Bidirectional",
                                   "BatchNormalization_training", "Embedding", "PReLU")],
                         ids=repr)
def test_every_weight_reaches_the_output(case):
    """The weights the check differentiates are the ones the layer computes with: moving any one
    of them moves the output (so a check that finds no dependence proves nothing)."""
    layer, args = case.make(), case.args()
    call = (lambda: layer([tf.constant(a) for a in args] if isinstance(args, list) else
                          tf.constant(args), **case.call_kwargs).numpy())
    y0 = call()
    assert layer.trainable_variables
    for v in layer.trainable_variables:
        v.assign_add(np.full(v.shape, 0.1))
        moved = np.abs(call() - y0).max()
        v.assign_sub(np.full(v.shape, 0.1))
        assert moved > 1e-6, f"{v.name} does not reach the output"


class _Scale(L.Layer):
    def __init__(self, units, detach=False, **kwargs):
        super().__init__(**kwargs)
        self.units, self.detach = units, detach

    def build(self, input_shape):
        self.w = self.add_weight("w", (input_shape[-1],), initializer="random_uniform")

    def call(self, x):
        w = tf.stop_gradient(self.w) if self.detach else self.w
        return tf.tanh(x * w)[..., :self.units]


class _DetachedScale(_Scale):
    def __init__(self, units, **kwargs):
        super().__init__(units, detach=True, **kwargs)


def test_the_probe_checks_a_layer_without_a_case():
    assert _probe(_Scale)
    with pytest.raises(AssertionError, match="does not match finite differences"):
        _probe(_DetachedScale)
    assert not _probe(L.Embedding)  # integer inputs: the probe cannot build it, a case must
