"""Record Keras 3's serialized config of every built-in layer for tests/keras/test_layer_configs.py.

Each case builds a layer with arguments away from their defaults, as far as Keras allows, and
stores the arguments with ``keras.saving.serialize_keras_object(layer)`` (what a ``.keras`` file
holds). An argument that is itself a Keras object (an initializer, a regularizer, an inner layer)
is given in its serialized form and revived by each library.

Run with an environment that has TensorFlow 2.21 and Keras 3:
    python tools/record_keras_layer_configs.py
It writes tests/data/keras_layer_configs.json.
"""

import inspect
import json
import os

import keras
import numpy as np
import tensorflow as tf


def _obj(module, class_name, **config):
    return {"module": f"keras.{module}", "class_name": class_name, "config": config,
            "registered_name": None}


L2 = _obj("regularizers", "L2", l2=0.25)
L1L2 = _obj("regularizers", "L1L2", l1=0.5, l2=0.125)
MAXNORM = _obj("constraints", "MaxNorm", max_value=3.0, axis=0)
NONNEG = _obj("constraints", "NonNeg")
ONES = _obj("initializers", "Ones")
NORMAL = _obj("initializers", "RandomNormal", mean=0.5, stddev=0.25, seed=3)
CONST = _obj("initializers", "Constant", value=0.5)
HE = _obj("initializers", "HeNormal", seed=7)

# every weighted layer: initializers, regularizers, constraints off their defaults
_DENSE_W = {"kernel_initializer": HE, "bias_initializer": CONST, "kernel_regularizer": L2,
            "bias_regularizer": L1L2, "kernel_constraint": MAXNORM, "bias_constraint": NONNEG}
_CONV = dict(_DENSE_W, activation="relu", use_bias=False, activity_regularizer=L2,
             padding="same", data_format="channels_last", name="c", trainable=False)
_DEPTHWISE = {"depthwise_initializer": HE, "bias_initializer": CONST,
              "depthwise_regularizer": L2, "bias_regularizer": L1L2,
              "depthwise_constraint": MAXNORM, "bias_constraint": NONNEG,
              "activation": "tanh", "use_bias": False, "activity_regularizer": L2,
              "depth_multiplier": 2, "padding": "same", "name": "dw"}
_SEPARABLE = {"depthwise_initializer": HE, "pointwise_initializer": NORMAL,
              "bias_initializer": CONST, "depthwise_regularizer": L2,
              "pointwise_regularizer": L1L2, "bias_regularizer": L2,
              "depthwise_constraint": MAXNORM, "pointwise_constraint": NONNEG,
              "bias_constraint": NONNEG, "activation": "elu", "use_bias": False,
              "activity_regularizer": L2, "depth_multiplier": 3, "padding": "same",
              "filters": 4, "name": "sep"}
_RNN = {"return_sequences": True, "return_state": True, "go_backwards": True,
        "stateful": True, "unroll": True}
_CELL = dict(_DENSE_W, recurrent_initializer=NORMAL, recurrent_regularizer=L2,
             recurrent_constraint=NONNEG, use_bias=False, dropout=0.25,
             recurrent_dropout=0.125, seed=5, activation="relu", units=3)
_BN_W = {"beta_initializer": CONST, "gamma_initializer": NORMAL, "beta_regularizer": L2,
         "gamma_regularizer": L1L2, "beta_constraint": NONNEG, "gamma_constraint": MAXNORM}
_POOL = {"strides": 1, "padding": "same", "data_format": "channels_last", "name": "p"}
_IMAGE = {"fill_mode": "nearest", "interpolation": "nearest", "seed": 4, "fill_value": 0.5,
          "data_format": "channels_last"}
_SIMPLE_CELL = _obj("layers", "SimpleRNNCell", units=2, name="cell", activation="relu")

CASES = [
    ("Activation", {"activation": "softplus", "name": "a", "dtype": "float64"}),
    ("Add", {"name": "add", "trainable": False}),
    ("AdditiveAttention", {"use_scale": False, "dropout": 0.25, "name": "att"}),
    ("Attention", {"use_scale": True, "score_mode": "concat", "dropout": 0.25, "seed": 3}),
    ("Average", {"name": "avg", "dtype": "float64"}),
    ("AveragePooling1D", dict(_POOL, pool_size=3)),
    ("AveragePooling2D", dict(_POOL, pool_size=(3, 2), strides=(2, 1))),
    ("AveragePooling3D", dict(_POOL, pool_size=(3, 2, 1))),
    ("BatchNormalization", dict(_BN_W, axis=1, momentum=0.5, epsilon=0.01, center=False,
                                scale=False, moving_mean_initializer=CONST,
                                moving_variance_initializer=NORMAL, name="bn")),
    ("Bidirectional", {"layer": _obj("layers", "SimpleRNN", units=2, name="fwd",
                                     return_sequences=True),
                       "merge_mode": "sum", "name": "bi"}),
    ("Bidirectional", {"layer": _obj("layers", "LSTM", units=2, name="fwd"),
                       "backward_layer": _obj("layers", "LSTM", units=2, name="bwd",
                                              go_backwards=True),
                       "merge_mode": None, "name": "bi2"}),
    ("CategoryEncoding", {"num_tokens": 5, "output_mode": "count", "name": "ce"}),
    ("CenterCrop", {"height": 3, "width": 2, "data_format": "channels_last", "name": "cc"}),
    ("Concatenate", {"axis": 1, "name": "cat"}),
    ("Conv1D", dict(_CONV, filters=4, kernel_size=3, strides=1, dilation_rate=2, groups=2)),
    ("Conv2D", dict(_CONV, filters=4, kernel_size=(3, 2), strides=(2, 1), groups=2)),
    ("Conv3D", dict(_CONV, filters=2, kernel_size=(3, 2, 1), dilation_rate=(2, 1, 1))),
    ("Conv1DTranspose", dict(_CONV, filters=3, kernel_size=3, strides=2, output_padding=1)),
    ("Conv2DTranspose", dict(_CONV, filters=3, kernel_size=(3, 2), strides=(2, 1))),
    ("Conv2DTranspose", dict(_CONV, filters=3, kernel_size=3, dilation_rate=2, name="c2")),
    ("Conv3DTranspose", dict(_CONV, filters=3, kernel_size=2, strides=2,
                             output_padding=(1, 0, 1))),
    ("Cropping1D", {"cropping": (2, 1), "name": "cr"}),
    ("Cropping2D", {"cropping": ((1, 2), (0, 3)), "data_format": "channels_last"}),
    ("Cropping3D", {"cropping": ((1, 0), (0, 2), (3, 1)), "data_format": "channels_last"}),
    ("Dense", dict(_DENSE_W, units=3, activation="sigmoid", use_bias=False, name="d",
                   activity_regularizer=L2)),
    ("DepthwiseConv1D", dict(_DEPTHWISE, kernel_size=3, strides=1, dilation_rate=2)),
    ("DepthwiseConv2D", dict(_DEPTHWISE, kernel_size=(3, 2), strides=(2, 1))),
    ("Discretization", {"bin_boundaries": [0.0, 1.5, 3.0], "epsilon": 0.05,
                        "output_mode": "one_hot", "name": "disc"}),
    ("Discretization", {"num_bins": 4, "output_mode": "count", "name": "disc2"}),
    ("Dot", {"axes": (2, 1), "normalize": True, "name": "dot"}),
    ("Dropout", {"rate": 0.25, "noise_shape": (None, 1, 3), "seed": 9, "name": "drop"}),
    ("ELU", {"alpha": 0.5}),
    ("EinsumDense", dict(_DENSE_W, equation="abc,cde->abde", output_shape=(None, 4, 5),
                         bias_axes="de", activation="relu", activity_regularizer=L2)),
    ("Embedding", {"input_dim": 7, "output_dim": 3, "embeddings_initializer": NORMAL,
                   "embeddings_regularizer": L2, "embeddings_constraint": NONNEG,
                   "mask_zero": True, "activity_regularizer": L2, "name": "emb"}),
    ("Flatten", {"data_format": "channels_last", "name": "flat"}),
    ("GRU", dict(_CELL, **_RNN, recurrent_activation="hard_sigmoid", reset_after=False,
                 activity_regularizer=L2)),
    ("GRUCell", dict(_CELL, recurrent_activation="hard_sigmoid", reset_after=False)),
    ("GaussianDropout", {"rate": 0.25, "seed": 2}),
    ("GaussianNoise", {"stddev": 0.5, "seed": 2}),
    ("GlobalAveragePooling1D", {"data_format": "channels_last", "keepdims": True}),
    ("GlobalAveragePooling2D", {"data_format": "channels_last", "keepdims": True}),
    ("GlobalAveragePooling3D", {"data_format": "channels_last", "keepdims": True}),
    ("GlobalMaxPooling1D", {"data_format": "channels_last", "keepdims": True}),
    ("GlobalMaxPooling2D", {"data_format": "channels_last", "keepdims": True}),
    ("GlobalMaxPooling3D", {"data_format": "channels_last", "keepdims": True}),
    ("GroupNormalization", dict(_BN_W, groups=2, axis=1, epsilon=0.01, center=False,
                                scale=False)),
    ("Identity", {"name": "id"}),
    ("LSTM", dict(_CELL, **_RNN, recurrent_activation="hard_sigmoid", unit_forget_bias=False,
                  activity_regularizer=L2)),
    ("LSTMCell", dict(_CELL, recurrent_activation="hard_sigmoid", unit_forget_bias=False)),
    ("LayerNormalization", dict(_BN_W, axis=(1, 2), epsilon=0.01, center=False,
                                scale=False)),
    ("LeakyReLU", {"negative_slope": 0.125}),
    ("Masking", {"mask_value": -1.0}),
    ("MaxPooling1D", dict(_POOL, pool_size=3)),
    ("MaxPooling2D", dict(_POOL, pool_size=(3, 2), strides=(2, 1))),
    ("MaxPooling3D", dict(_POOL, pool_size=(3, 2, 1))),
    ("Maximum", {"name": "max"}),
    ("Minimum", {"name": "min"}),
    ("MultiHeadAttention", dict(_DENSE_W, num_heads=3, key_dim=4, value_dim=5, dropout=0.25,
                                use_bias=False, output_shape=(6,), attention_axes=(1,),
                                activity_regularizer=L2, seed=3, name="mha")),
    ("Multiply", {"name": "mul"}),
    ("Normalization", {"axis": (1, 2), "mean": [[0.5, 1.0]], "variance": [[2.0, 4.0]],
                       "invert": True, "name": "norm"}),
    ("PReLU", {"alpha_initializer": CONST, "alpha_regularizer": L2,
               "alpha_constraint": NONNEG, "shared_axes": (1, 2)}),
    ("Permute", {"dims": (3, 1, 2)}),
    ("RNN", dict(_RNN, cell=_SIMPLE_CELL, zero_output_for_mask=True, name="rnn")),
    ("RNN", {"cell": [_SIMPLE_CELL, _obj("layers", "GRUCell", units=3, name="g")],
             "name": "rnn2"}),
    ("RandomContrast", {"factor": (0.25, 0.5), "value_range": (0.0, 1.0), "seed": 4,
                        "data_format": "channels_last"}),
    ("RandomCrop", {"height": 3, "width": 2, "seed": 4, "data_format": "channels_last"}),
    ("RandomFlip", {"mode": "vertical", "seed": 4, "data_format": "channels_last"}),
    ("RandomRotation", dict(_IMAGE, factor=(-0.25, 0.125))),
    ("RandomTranslation", dict(_IMAGE, height_factor=(-0.25, 0.125), width_factor=0.5)),
    ("RandomZoom", dict(_IMAGE, height_factor=(-0.25, 0.125), width_factor=0.5)),
    ("ReLU", {"max_value": 6.0, "negative_slope": 0.125, "threshold": 0.5}),
    ("RepeatVector", {"n": 3}),
    ("Rescaling", {"scale": 0.5, "offset": -1.0}),
    ("Reshape", {"target_shape": (3, -1)}),
    ("Resizing", {"height": 5, "width": 4, "interpolation": "nearest",
                  "crop_to_aspect_ratio": True, "data_format": "channels_last"}),
    ("Resizing", {"height": 5, "width": 4, "pad_to_aspect_ratio": True,
                  "fill_mode": "constant", "fill_value": 0.5, "antialias": True,
                  "interpolation": "bicubic", "name": "rs2"}),
    ("SeparableConv1D", dict(_SEPARABLE, kernel_size=3, strides=1, dilation_rate=2)),
    ("SeparableConv2D", dict(_SEPARABLE, kernel_size=(3, 2), strides=(2, 1))),
    ("SimpleRNN", dict(_CELL, **_RNN, activity_regularizer=L2)),
    ("SimpleRNNCell", dict(_CELL)),
    ("Softmax", {"axis": 1}),
    ("SpatialDropout1D", {"rate": 0.25, "seed": 2, "name": "sd"}),
    ("SpatialDropout2D", {"rate": 0.25, "seed": 2, "data_format": "channels_last"}),
    ("SpatialDropout3D", {"rate": 0.25, "seed": 2, "data_format": "channels_last"}),
    ("StackedRNNCells", {"cells": [_SIMPLE_CELL,
                                   _obj("layers", "LSTMCell", units=3, name="lc")]}),
    ("Subtract", {"name": "sub"}),
    ("TimeDistributed", {"layer": _obj("layers", "Dense", units=3, name="inner",
                                       activation="relu"), "name": "td"}),
    ("UnitNormalization", {"axis": (1, 2)}),
    ("UpSampling1D", {"size": 3}),
    ("UpSampling2D", {"size": (3, 2), "interpolation": "bilinear",
                      "data_format": "channels_last"}),
    ("UpSampling3D", {"size": (3, 2, 1), "data_format": "channels_last"}),
    ("ZeroPadding1D", {"padding": (2, 1), "data_format": "channels_last"}),
    ("ZeroPadding2D", {"padding": ((1, 2), (0, 3)), "data_format": "channels_last"}),
    ("ZeroPadding3D", {"padding": ((1, 0), (0, 2), (3, 1)), "data_format": "channels_last"}),
]


# forward numbers of layers whose arguments have no other Keras-checked test: (class, kwargs,
# input shape); weights and inputs are rounded normal draws
NUMBERS = [
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "dilation_rate": 2}, (2, 5, 3)),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
     (2, 5, 3)),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": (3, 2), "dilation_rate": (2, 3),
                         "padding": "same"}, (1, 4, 5, 2)),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 2, "dilation_rate": (1, 2)}, (1, 3, 4, 2)),
    ("Conv3DTranspose", {"filters": 1, "kernel_size": 2, "dilation_rate": 2}, (1, 3, 3, 2, 2)),
    ("Dot", {"axes": (2, 1), "normalize": True}, [(2, 3, 4), (2, 4, 5)]),
    ("Dot", {"axes": -1}, [(2, 3, 4), (2, 5, 4)]),
    ("Dot", {"axes": (1, 2)}, [(2, 3, 4), (2, 4, 3)]),
    ("Resizing", {"height": 5, "width": 4, "pad_to_aspect_ratio": True, "fill_value": 0.5,
                  "interpolation": "bicubic", "antialias": True}, (2, 4, 6, 3)),
    ("Resizing", {"height": 4, "width": 7, "pad_to_aspect_ratio": True,
                  "interpolation": "lanczos3"}, (1, 5, 4, 1)),
    ("Resizing", {"height": 3, "width": 2, "interpolation": "area"}, (1, 6, 5, 2)),
    ("Resizing", {"height": 2, "width": 3, "antialias": True}, (1, 6, 8, 2)),
]


def _transpose_by_gradient(layer, x):
    """TF's CPU kernels refuse a dilated transposed convolution, so its reference is its
    definition: the gradient of the dilated convolution with respect to its input."""
    kernel, bias = layer.get_weights()
    out_shape = layer.compute_output_shape(x.shape)
    z = tf.zeros(out_shape)
    with tf.GradientTape() as tape:
        tape.watch(z)
        y = tf.nn.convolution(z, kernel, strides=layer.strides, padding=layer.padding.upper(),
                              dilations=layer.dilation_rate)
    return tape.gradient(y, z, output_gradients=tf.constant(x)).numpy() + bias


def _numbers():
    rng = np.random.default_rng(11)
    out = []
    for class_name, kwargs, shape in NUMBERS:
        layer = getattr(keras.layers, class_name)(**kwargs)
        layer.build(shape)
        weights = [np.round(rng.standard_normal(w.shape), 2) for w in layer.get_weights()]
        layer.set_weights(weights)
        x = (np.round(rng.standard_normal(shape), 2).astype("float32") if
             isinstance(shape, tuple) else [np.round(rng.standard_normal(s), 2)
                                            .astype("float32") for s in shape])
        y = (_transpose_by_gradient(layer, x) if class_name.endswith("Transpose")
             else np.asarray(layer(x)))
        out.append({"class_name": class_name, "kwargs": kwargs, "x": np.asarray(x).tolist()
                    if isinstance(shape, tuple) else [v.tolist() for v in x],
                    "weights": [w.tolist() for w in weights], "y": y.tolist()})
    return out


def _revive(value):
    if isinstance(value, dict) and "class_name" in value:
        return keras.saving.deserialize_keras_object(value)
    if isinstance(value, list):
        return [_revive(v) for v in value]
    return value


def main():
    out = []
    for class_name, kwargs in CASES:
        kwargs = {k: _revive(v) for k, v in kwargs.items()}
        layer = getattr(keras.layers, class_name)(**kwargs)
        serialized = keras.saving.serialize_keras_object(layer)
        params = [n for n, p in inspect.signature(type(layer).__init__).parameters.items()
                  if n != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
        out.append({"class_name": class_name, "params": params,
                    "kwargs": json.loads(json.dumps(dict(CASES[len(out)][1]))),
                    "serialized": json.loads(json.dumps(serialized))})
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data",
                        "keras_layer_configs.json")
    with open(path, "w") as f:
        f.write('{"keras_version": %s, "cases": [\n' % json.dumps(keras.__version__))
        f.write(",\n".join(json.dumps(case, sort_keys=True) for case in out))
        f.write('\n], "numbers": [\n')
        f.write(",\n".join(json.dumps(case, sort_keys=True) for case in _numbers()))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
