"""Record Keras 3 reference values for tests/keras/test_functional.py and test_merging.py:
model summaries and forward outputs of small models with fixed weights.

Run with an environment that has TensorFlow 2.21 and Keras 3:
    python tools/record_keras_models.py
It writes tests/data/keras_models.json and tests/data/keras_layers.json (masks, attention,
recurrent cells, convolution variants and preprocessing).
"""

import contextlib
import io
import json
import os

import numpy as np
import keras
import tensorflow as tf


def _summary(model):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        model.summary()
    return buf.getvalue().splitlines()


def _weights(model, seed):
    rng = np.random.default_rng(seed)
    ws = [np.round(rng.standard_normal(w.shape), 3) for w in model.get_weights()]
    model.set_weights(ws)
    return [w.tolist() for w in ws]


def _rnn_cases():
    rng = np.random.default_rng(7)
    x = np.round(rng.standard_normal((2, 5, 3)), 3).astype(np.float32)
    cases = {}
    for key, name, cfg in (("SimpleRNN", "SimpleRNN", {}), ("LSTM", "LSTM", {}),
                           ("GRU", "GRU", {}), ("GRU_backwards", "GRU", {"go_backwards": True}),
                           ("GRU_reset_before", "GRU", {"reset_after": False})):
        layer = getattr(keras.layers, name)(4, return_sequences=True, return_state=True, **cfg)
        layer.build((None, 5, 3))
        ws = [np.round(rng.standard_normal(w.shape) * 0.5, 3).astype(np.float32)
              for w in layer.get_weights()]
        layer.set_weights(ws)
        coeff = np.round(rng.standard_normal((2, 5, 4)), 3).astype(np.float32)
        with tf.GradientTape() as tape:
            outs = layer(x)
            loss = tf.reduce_sum(outs[0] * coeff)
        grads = tape.gradient(loss, layer.trainable_variables)
        cases[key] = {"name": name, "config": cfg, "weights": [w.tolist() for w in ws],
                      "x": x.tolist(), "coeff": coeff.tolist(),
                      "outputs": [np.asarray(o).tolist() for o in outs],
                      "grads": [np.asarray(g).tolist() for g in grads]}
    for key, inner, mode in (("bi_lstm_concat", keras.layers.LSTM(4, return_sequences=True),
                               "concat"), ("bi_gru_ave", keras.layers.GRU(3), "ave"),
                              ("bi_rnn_sum_state", keras.layers.SimpleRNN(
                                  2, return_sequences=True, return_state=True), "sum")):
        layer = keras.layers.Bidirectional(inner, merge_mode=mode)
        layer.build((None, 5, 3))
        ws = [np.round(rng.standard_normal(w.shape) * 0.5, 3).astype(np.float32)
              for w in layer.get_weights()]
        layer.set_weights(ws)
        outs = layer(x)
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        cases[key] = {"inner": type(inner).__name__, "units": inner.units, "mode": mode,
                      "return_sequences": inner.return_sequences,
                      "return_state": inner.return_state, "weights": [w.tolist() for w in ws],
                      "x": x.tolist(), "outputs": [np.asarray(o).tolist() for o in outs]}
    return cases


def main():
    out = {}
    inp = keras.Input(shape=(3,), name="x")
    h = keras.layers.Dense(4, name="d1", activation="tanh")(inp)
    m = keras.Model(inp, keras.layers.Dense(2, name="d2")(h), name="m")
    x = np.round(np.random.default_rng(1).standard_normal((2, 3)), 3)
    out["chain"] = {"summary": _summary(m), "weights": _weights(m, 0), "x": x.tolist(),
                    "y": m(x).numpy().tolist()}
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    da = keras.layers.Dense(3, name="da")
    s = keras.layers.Add(name="add")([da(a), b])
    m2 = keras.Model([a, b], s)
    out["two_inputs"] = {"summary": _summary(m2)}
    seq = keras.Sequential([keras.Input((None, None, 3)), keras.layers.Conv2D(4, 3),
                            keras.layers.BatchNormalization()])
    out["conv_unknown_dims"] = {"summary": _summary(seq)}
    xs = [np.round(np.random.default_rng(i).standard_normal((2, 3)), 3) for i in (2, 3)]
    merging = {}
    for name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
                 "Concatenate"):
        merging[name] = getattr(keras.layers, name)()(xs).numpy().tolist()
    merging["Dot"] = keras.layers.Dot(axes=1, normalize=True)(xs).numpy().tolist()
    out["merging"] = {"x": [x.tolist() for x in xs], "y": merging}
    x3 = np.round(np.random.default_rng(4).standard_normal((2, 3, 4)), 3)
    x4 = np.round(np.random.default_rng(6).standard_normal((2, 3, 3, 2)), 3)
    cases = {"ReLU": ({"max_value": 2.0, "negative_slope": 0.1, "threshold": 0.5}, x3),
             "LeakyReLU": ({}, x3), "ELU": ({"alpha": 0.5}, x3), "Softmax": ({"axis": 1}, x3),
             "Permute": ({"dims": [2, 1]}, x3), "RepeatVector": ({"n": 2}, x3[:, 0]),
             "MaxPooling1D": ({"pool_size": 2}, x3),
             "AveragePooling1D": ({"pool_size": 2, "strides": 1, "padding": "same"}, x3),
             "GlobalAveragePooling1D": ({}, x3), "GlobalMaxPooling1D": ({}, x3),
             "GlobalMaxPooling2D": ({"keepdims": True}, x4),
             "UpSampling2D": ({"size": [2, 1]}, x4),
             "ZeroPadding2D": ({"padding": [[1, 0], [0, 2]]}, x4),
             "UnitNormalization": ({"axis": -1}, x3)}
    out["layers"] = {name: {"config": cfg, "x": x.tolist(),
                            "y": getattr(keras.layers, name)(**cfg)(x).numpy().tolist()}
                     for name, (cfg, x) in cases.items()}
    shapes = {}
    for name, cfg in (("Conv2D", {"filters": 2, "kernel_size": 3, "strides": 2}),
                      ("Conv2D", {"filters": 2, "kernel_size": 3, "dilation_rate": 2,
                                  "padding": "same"}),
                      ("Conv1D", {"filters": 2, "kernel_size": 4, "strides": 3}),
                      ("MaxPooling2D", {"pool_size": 3, "strides": 2}),
                      ("AveragePooling2D", {"pool_size": 2, "padding": "same"})):
        rank = 3 if name.endswith("1D") else 4
        inp = keras.Input((None,) + (11,) * (rank - 3) + (3,)) if rank == 4 else \
            keras.Input((11, 3))
        key = name + json.dumps(cfg, sort_keys=True)
        shapes[key] = list(getattr(keras.layers, name)(**cfg)(inp).shape)
    out["shapes"] = shapes
    w = np.round(np.random.default_rng(5).standard_normal((3, 4)), 3)
    regs = {"L1": {"l1": 0.3}, "L2": {"l2": 0.2}, "L1L2": {"l1": 0.1, "l2": 0.2},
            "OrthogonalRegularizer": {"factor": 0.5, "mode": "columns"}}
    cons = {"MaxNorm": {"max_value": 1.0, "axis": 0}, "UnitNorm": {"axis": 1},
            "MinMaxNorm": {"min_value": 0.5, "max_value": 1.5, "rate": 0.7}, "NonNeg": {}}
    out["regularizers"] = {
        "w": w.tolist(),
        "values": {k: float(getattr(keras.regularizers, k)(**c)(
            keras.ops.convert_to_tensor(w, "float32"))) for k, c in regs.items()},
        "configs": regs,
        "constraints": {k: keras.ops.convert_to_numpy(getattr(keras.constraints, k)(**c)(
            keras.ops.convert_to_tensor(w, "float32"))).tolist() for k, c in cons.items()},
        "constraint_configs": cons}
    layer = keras.layers.Dense(4, kernel_regularizer=keras.regularizers.L2(0.1),
                               activity_regularizer=keras.regularizers.L1(0.01))
    xr = w[:2, :3]
    layer.build((None, 3))
    layer.set_weights([w, np.zeros(4)])
    layer(xr)
    out["regularizers"]["dense_losses"] = [float(v) for v in layer.losses]
    out["rnn"] = _rnn_cases()
    data = np.round(np.random.default_rng(8).standard_normal((6, 3)) * [1, 10, 0.1] + [0, 5, -2], 3)
    norm = keras.layers.Normalization()
    norm.adapt(data)
    out["normalization"] = {"data": data.tolist(), "x": data[:2].tolist(),
                            "y": norm(data[:2]).numpy().tolist(),
                            "mean": np.asarray(norm.mean).tolist(),
                            "variance": np.asarray(norm.variance).tolist(),
                            "rescaled": keras.layers.Rescaling(1 / 127.5, -1)(
                                np.array([[0, 127, 255]], np.uint8)).numpy().tolist()}
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "keras_models.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)


def _set_random(layer, rng, scale=0.5):
    ws = [np.round(rng.standard_normal(w.shape) * scale, 3).astype(np.float32)
          for w in layer.get_weights()]
    layer.set_weights(ws)
    return [w.tolist() for w in ws]


def _fit_grads(layer, inputs, rng, **kwargs):
    """Outputs and the gradients of sum(out[0] * coeff) w.r.t. the weights."""
    with tf.GradientTape() as tape:
        outs = layer(*inputs, **kwargs)
        flat = outs if isinstance(outs, (list, tuple)) else [outs]
        coeff = np.round(rng.standard_normal(flat[0].shape), 3).astype(np.float32)
        loss = tf.reduce_sum(flat[0] * coeff)
    grads = tape.gradient(loss, layer.trainable_variables)
    return {"coeff": coeff.tolist(), "outputs": [np.asarray(o).tolist() for o in flat],
            "grads": [np.asarray(g).tolist() for g in grads]}


def _mask_cases(rng):
    x = np.round(rng.standard_normal((3, 5, 2)), 3).astype(np.float32)
    x[0, 3:] = 0.0
    x[1, 1] = 0.0
    x[2, :2] = 0.0
    ids = np.array([[3, 1, 4, 0, 0], [2, 0, 5, 1, 0], [0, 0, 1, 2, 3]], np.int32)
    cases = {"x": x.tolist(), "ids": ids.tolist()}
    for key, rnn, cfg in (("lstm", "LSTM", {"return_state": True}),
                          ("gru_backwards", "GRU", {"go_backwards": True}),
                          ("simple_last", "SimpleRNN", {"return_sequences": False})):
        cfg = dict({"return_sequences": True}, **cfg)
        layer = getattr(keras.layers, rnn)(3, **cfg)
        layer.build((None, 5, 2))
        ws = _set_random(layer, rng)
        masked = keras.layers.Masking()(x)
        case = {"layer": rnn, "config": cfg, "weights": ws,
                "mask": np.asarray(masked._keras_mask).tolist()}
        case.update(_fit_grads(layer, [masked], rng))
        cases[key] = case
    bi = keras.layers.Bidirectional(keras.layers.LSTM(2, return_sequences=True))
    bi.build((None, 5, 2))
    cases["bidirectional"] = {"weights": _set_random(bi, rng),
                              "y": np.asarray(bi(keras.layers.Masking()(x))).tolist()}
    model = keras.Sequential([keras.Input((5,), dtype="int32"),
                              keras.layers.Embedding(6, 2, mask_zero=True),
                              keras.layers.GRU(3, return_sequences=True),
                              keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])
    cases["sequential"] = {"weights": _set_random(model, rng),
                           "y": np.asarray(model(ids)).tolist()}
    a, b = keras.Input((5,), dtype="int32"), keras.Input((5, 2))
    cat = keras.layers.Concatenate()([keras.layers.Embedding(6, 2, mask_zero=True)(a),
                                      keras.layers.Masking()(b)])
    out = keras.layers.LSTM(2)(keras.layers.Add()([cat, cat]))
    model = keras.Model([a, b], out)
    cases["functional"] = {"weights": _set_random(model, rng),
                           "y": np.asarray(model([ids, x])).tolist()}
    return cases


def _attention_cases(rng):
    q = np.round(rng.standard_normal((2, 4, 5)), 3).astype(np.float32)
    v = np.round(rng.standard_normal((2, 6, 5)), 3).astype(np.float32)
    k = np.round(rng.standard_normal((2, 6, 3)), 3).astype(np.float32)
    am = rng.random((2, 4, 6)) > 0.3
    qm = np.array([[True, True, False, True], [True, False, False, False]])
    vm = np.array([[True, True, True, False, True, False], [True, True, False, True, True, True]])
    cases = {"q": q.tolist(), "v": v.tolist(), "k": k.tolist(), "attention_mask": am.tolist(),
             "query_mask": qm.tolist(), "value_mask": vm.tolist()}
    mha_cases = {
        "mha_scores": ({"num_heads": 2, "key_dim": 3}, {"return_attention_scores": True},
                       False),
        "mha_masks": ({"num_heads": 3, "key_dim": 2, "value_dim": 4, "output_shape": 7},
                      {"attention_mask": am, "use_causal_mask": True}, True),
        "mha_masks_scores": ({"num_heads": 2, "key_dim": 2, "use_bias": False},
                             {"attention_mask": am, "return_attention_scores": True}, True),
        "mha_causal": ({"num_heads": 2, "key_dim": 4}, {"use_causal_mask": True}, False)}
    for key, (cfg, call, masked) in mha_cases.items():
        layer = keras.layers.MultiHeadAttention(**cfg)
        query = keras.ops.convert_to_tensor(q)
        value = keras.ops.convert_to_tensor(v if key != "mha_causal" else q)
        layer(query, value, k if key == "mha_masks" else None)
        ws = _set_random(layer, rng)
        if masked:  # MultiHeadAttention removes its inputs' masks: set them after the build
            query._keras_mask = keras.ops.convert_to_tensor(qm)
            value._keras_mask = keras.ops.convert_to_tensor(vm)
        case = {"config": cfg, "call": {n: (c.tolist() if isinstance(c, np.ndarray) else c)
                                        for n, c in call.items()},
                "masked": masked, "weights": ws}
        case.update(_fit_grads(layer, [query, value, k if key == "mha_masks" else None], rng,
                               **call))
        cases[key] = case
    for key, name, cfg, call in (
            ("attention_dot", "Attention", {"use_scale": True}, {"use_causal_mask": True}),
            ("attention_concat", "Attention", {"score_mode": "concat", "use_scale": True},
             {"return_attention_scores": True}),
            ("additive", "AdditiveAttention", {}, {"return_attention_scores": True})):
        layer = getattr(keras.layers, name)(**cfg)
        inputs = [q, v[..., :5], v[..., :5] * 0.5]
        layer(inputs)
        ws = _set_random(layer, rng, 1.0)
        case = {"layer": name, "config": cfg, "call": call, "weights": ws}
        case.update(_fit_grads(layer, [inputs], rng, mask=[qm, vm], **call))
        cases[key] = case
    for key, eq, shape, bias in (("einsum_heads", "abc,cde->abde", [None, 2, 3], "de"),
                                 ("einsum_ellipsis", "...b,bc->...c", 4, "c"),
                                 ("einsum_project", "abc,cd->abd", [None, 3], None)):
        layer = keras.layers.EinsumDense(eq, output_shape=shape, bias_axes=bias)
        layer.build(q.shape)
        ws = _set_random(layer, rng, 1.0)
        case = {"equation": eq, "output_shape": shape, "bias_axes": bias, "weights": ws}
        case.update(_fit_grads(layer, [q], rng))
        cases[key] = case
    return cases


class MinimalCell(keras.layers.Layer):
    """The user-written cell of Keras's RNN documentation."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        h = keras.ops.matmul(inputs, self.kernel) + keras.ops.matmul(states[0],
                                                                     self.recurrent_kernel)
        return h, [h]


def _cell_cases(rng):
    x = np.round(rng.standard_normal((2, 5, 3)), 3).astype(np.float32)
    mask = np.array([[True, True, True, False, False], [True, False, True, True, True]])
    cases = {"x": x.tolist(), "mask": mask.tolist()}
    for key, cells, cfg, masked in (
            ("simple", ["SimpleRNNCell"], {"return_sequences": True, "return_state": True},
             False),
            ("lstm_backwards_masked", ["LSTMCell"], {"go_backwards": True,
                                                     "return_sequences": True}, True),
            ("stacked", ["LSTMCell", "GRUCell"], {"return_state": True}, False),
            ("minimal", ["MinimalCell"], {"return_sequences": True}, False)):
        made = [MinimalCell(3) if c == "MinimalCell" else getattr(keras.layers, c)(3 - i)
                for i, c in enumerate(cells)]
        layer = keras.layers.RNN(made if len(made) > 1 else made[0], **cfg)
        layer.build((None, 5, 3))
        ws = _set_random(layer, rng)
        case = {"cells": cells, "config": cfg, "masked": masked, "weights": ws}
        kwargs = {"mask": mask} if masked else {}
        case.update(_fit_grads(layer, [x], rng, **kwargs))
        case["outputs"] = [np.asarray(o).tolist() for o in tree_flatten(layer(x, **kwargs))]
        cases[key] = case
    inp = keras.Input((5, 3), batch_size=2)
    lstm = keras.layers.LSTM(3, stateful=True, return_sequences=True)
    keras.Model(inp, lstm(inp))
    ws = _set_random(lstm, rng)
    first, second = np.asarray(lstm(x)), np.asarray(lstm(x[:, ::-1]))
    lstm.reset_states()
    cases["stateful"] = {"weights": ws, "first": first.tolist(), "second": second.tolist(),
                         "after_reset": np.asarray(lstm(x[:, ::-1])).tolist()}
    return cases


CONV_CASES = (
    ("conv3d_same", "Conv3D", {"filters": 3, "kernel_size": [2, 3, 2], "strides": [2, 1, 2],
                               "padding": "same"}, (2, 5, 6, 7, 2)),
    ("conv3d_dilated", "Conv3D", {"filters": 2, "kernel_size": 2, "dilation_rate": [2, 1, 1]},
     (1, 5, 4, 4, 3)),
    ("conv2d_groups", "Conv2D", {"filters": 4, "kernel_size": 3, "groups": 2}, (2, 6, 6, 4)),
    ("conv1d_groups", "Conv1D", {"filters": 6, "kernel_size": 3, "groups": 3,
                                 "dilation_rate": 2, "padding": "same"}, (2, 9, 3)),
    ("conv1d_transpose_same", "Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2,
                                                  "padding": "same"}, (2, 5, 2)),
    ("conv1d_transpose_outpad", "Conv1DTranspose", {"filters": 2, "kernel_size": 4,
                                                    "strides": 3, "output_padding": 1},
     (2, 4, 3)),
    ("conv2d_transpose_valid", "Conv2DTranspose", {"filters": 3, "kernel_size": [3, 2],
                                                   "strides": [2, 3]}, (2, 4, 3, 2)),
    ("conv2d_transpose_same", "Conv2DTranspose", {"filters": 2, "kernel_size": 3,
                                                  "strides": 2, "padding": "same"},
     (1, 3, 4, 3)),
    ("conv3d_transpose_same", "Conv3DTranspose", {"filters": 2, "kernel_size": [3, 2, 2],
                                                  "strides": [2, 1, 2], "padding": "same"},
     (2, 3, 4, 3, 2)),
    ("conv3d_transpose_valid", "Conv3DTranspose", {"filters": 2, "kernel_size": [1, 3, 2],
                                                   "strides": [2, 2, 1]}, (1, 3, 3, 2, 3)),
    ("depthwise2d", "DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2, "strides": 2,
                                        "padding": "same"}, (2, 5, 6, 3)),
    ("depthwise1d", "DepthwiseConv1D", {"kernel_size": 3, "dilation_rate": 2}, (2, 8, 3)),
    ("separable2d", "SeparableConv2D", {"filters": 5, "kernel_size": 3,
                                        "depth_multiplier": 2}, (2, 6, 5, 3)),
    ("separable1d", "SeparableConv1D", {"filters": 4, "kernel_size": 3, "strides": 2,
                                        "padding": "same"}, (2, 7, 3)))


def _conv_cases(rng):
    cases = {}
    for key, name, cfg, shape in CONV_CASES:
        layer = getattr(keras.layers, name)(**cfg)
        layer.build(shape)
        x = np.round(rng.standard_normal(shape), 3).astype(np.float32)
        case = {"layer": name, "config": cfg, "x": x.tolist(),
                "weights": _set_random(layer, rng)}
        case.update(_fit_grads(layer, [x], rng))
        cases[key] = case
    return cases


SHAPE_CASES = (
    ("max_pool3d_same", "MaxPooling3D", {"pool_size": [2, 3, 2], "strides": [2, 2, 1],
                                         "padding": "same"}, (2, 5, 4, 3, 2)),
    ("avg_pool3d_same", "AveragePooling3D", {"pool_size": 3, "strides": 2, "padding": "same"},
     (1, 5, 6, 4, 2)),
    ("avg_pool3d_valid", "AveragePooling3D", {"pool_size": [2, 2, 3]}, (2, 4, 5, 6, 3)),
    ("global_avg_pool3d", "GlobalAveragePooling3D", {}, (2, 3, 2, 4, 3)),
    ("global_max_pool3d", "GlobalMaxPooling3D", {"keepdims": True}, (2, 3, 2, 4, 3)),
    ("up_sampling1d", "UpSampling1D", {"size": 3}, (2, 4, 3)),
    ("up_sampling2d_bilinear", "UpSampling2D", {"size": [2, 3], "interpolation": "bilinear"},
     (2, 3, 4, 2)),
    ("up_sampling3d", "UpSampling3D", {"size": [2, 1, 3]}, (1, 2, 3, 2, 2)),
    ("zero_padding1d", "ZeroPadding1D", {"padding": [2, 1]}, (2, 4, 3)),
    ("zero_padding3d", "ZeroPadding3D", {"padding": [[1, 0], [0, 2], [1, 1]]}, (1, 2, 3, 2, 2)),
    ("cropping1d", "Cropping1D", {"cropping": [1, 2]}, (2, 6, 3)),
    ("cropping2d", "Cropping2D", {"cropping": [[1, 0], [2, 1]]}, (2, 5, 6, 3)),
    ("cropping3d", "Cropping3D", {"cropping": [1, [0, 1], 2]}, (1, 4, 5, 6, 2)),
    ("group_norm", "GroupNormalization", {"groups": 2}, (2, 3, 4, 6)),
    ("group_norm_axis1", "GroupNormalization", {"groups": 3, "axis": 1, "epsilon": 0.1},
     (2, 6, 5)),
    ("instance_norm", "GroupNormalization", {"groups": -1, "center": False}, (2, 5, 3)))


def _shape_cases(rng):
    cases = {}
    for key, name, cfg, shape in SHAPE_CASES:
        layer = getattr(keras.layers, name)(**cfg)
        layer.build(shape)
        x = np.round(rng.standard_normal(shape), 3).astype(np.float32)
        case = {"layer": name, "config": cfg, "x": x.tolist(),
                "weights": _set_random(layer, rng)}
        case.update(_fit_grads(layer, [x], rng))
        cases[key] = case
    return cases


IMAGE_CASES = (
    ("resize_bilinear", "Resizing", {"height": 3, "width": 5}, (2, 4, 7, 2)),
    ("resize_nearest", "Resizing", {"height": 5, "width": 3, "interpolation": "nearest"},
     (1, 4, 7, 2)),
    ("resize_crop", "Resizing", {"height": 4, "width": 4, "crop_to_aspect_ratio": True},
     (1, 5, 8, 1)),
    ("center_crop", "CenterCrop", {"height": 3, "width": 4}, (2, 6, 7, 2)),
    ("center_crop_small", "CenterCrop", {"height": 6, "width": 5}, (1, 4, 4, 1)),
    ("rotate_90_reflect", "RandomRotation", {"factor": [0.25, 0.25]}, (1, 4, 5, 2)),
    ("rotate_30_constant", "RandomRotation", {"factor": [1 / 12, 1 / 12],
                                              "fill_mode": "constant", "fill_value": 0.5},
     (2, 6, 5, 1)),
    ("rotate_30_reflect", "RandomRotation", {"factor": [1 / 12, 1 / 12]}, (1, 6, 5, 1)),
    ("zoom_in", "RandomZoom", {"height_factor": [-0.3, -0.3]}, (1, 6, 6, 2)),
    ("zoom_out_nearest", "RandomZoom", {"height_factor": [0.4, 0.4],
                                        "width_factor": [0.2, 0.2], "fill_mode": "nearest"},
     (1, 5, 6, 1)),
    ("translate_wrap", "RandomTranslation", {"height_factor": [0.2, 0.2],
                                             "width_factor": [-0.3, -0.3],
                                             "fill_mode": "wrap"}, (1, 5, 6, 1)),
    ("translate_reflect_nearest", "RandomTranslation", {
        "height_factor": [-0.25, -0.25], "width_factor": [0.35, 0.35],
        "interpolation": "nearest"}, (1, 6, 6, 1)))


def _preprocessing_cases(rng):
    cases = {"images": {}}
    for key, name, cfg, shape in IMAGE_CASES:
        x = np.round(rng.uniform(0, 10, shape), 2).astype(np.float32)
        y = getattr(keras.layers, name)(**cfg)(x, training=True)
        cases["images"][key] = {"layer": name, "config": cfg, "x": x.tolist(),
                                "y": np.asarray(y).tolist()}
    data = np.round(rng.standard_normal((60, 1)) * 3, 3).astype(np.float32)
    disc = keras.layers.Discretization(num_bins=4)
    disc.adapt(data)
    cases["discretization"] = {"data": data.tolist(), "boundaries": disc.bin_boundaries,
                               "x": data[:6, 0].tolist(),
                               "int": np.asarray(disc(data[:6, 0])).tolist()}
    for mode in ("one_hot", "multi_hot", "count"):
        d = keras.layers.Discretization(bin_boundaries=[-1.0, 0.0, 2.0], output_mode=mode)
        cases["discretization"][mode] = np.asarray(d(data[:4].reshape(2, 2))).tolist()
    ids = np.array([[0, 3, 3], [2, 1, 0]])
    weights = np.array([[0.5, 1.0, 2.0], [1.0, 1.0, 3.0]], np.float32)
    cases["category_encoding"] = {
        "ids": ids.tolist(), "weights": weights.tolist(),
        "multi_hot": np.asarray(keras.layers.CategoryEncoding(5)(ids)).tolist(),
        "count": np.asarray(keras.layers.CategoryEncoding(5, output_mode="count")(
            ids, count_weights=weights)).tolist(),
        "one_hot": np.asarray(keras.layers.CategoryEncoding(4, output_mode="one_hot")(
            ids[:, :1])).tolist()}
    return cases


def tree_flatten(x):
    return keras.tree.flatten(x)


def layers():
    rng = np.random.default_rng(15)
    out = {"masks": _mask_cases(rng), "attention": _attention_cases(rng),
           "cells": _cell_cases(rng), "conv": _conv_cases(rng),
           "shapes": _shape_cases(rng), "preprocessing": _preprocessing_cases(rng)}
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "keras_layers.json")
    with open(path, "w") as f:  # 8 significant digits, no indentation: a small file
        json.dump(_rounded(out), f, separators=(",", ":"))
        f.write("\n")


def _rounded(x):
    if isinstance(x, float):
        return float(f"{x:.8g}")
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_rounded(v) for v in x]
    return x


if __name__ == "__main__":
    main()
    layers()
