"""Model-shaped workloads (cnn, attn, lstm): one SGD step of a small convolutional net, of a
transformer block and of a Keras LSTM, in tapegrad (eager and ``tapegrad.function``) and PyTorch.

Every column starts from the same seeded NumPy weights and data. Builders import their library
themselves (see ``bench.registry``): this module imports with NumPy alone.
"""

from __future__ import annotations

import numpy as np

from bench.registry import Step, column, workload

LR = 0.01
RESET_EVERY = 100
CNN_BATCH, ATTN_SHAPE, LSTM_SHAPE = 32, (8, 64, 128), (32, 50, 32)
HEADS, LSTM_UNITS = 4, 128

workload("cnn", "conv3x3 1-16 SAME + relu + maxpool 2, conv3x3 16-32 SAME + relu + maxpool 2, "
         "dense 1568-10, sparse softmax CE, SGD; batch 32 of 28x28x1 (NHWC)",
         baseline=("PyTorch",), seconds=2.0)
workload("attn", "one transformer block: 4-head self-attention + residual + layer norm + "
         "128-256-128 relu MLP; B=8, T=64, D=128; loss mean(out^2), SGD",
         baseline=("PyTorch",), seconds=2.0)
workload("lstm", "Keras LSTM(128) on 32 x 50 steps x 32 features + dense 10, sparse softmax CE, "
         "SGD (PyTorch: nn.LSTM + nn.Linear)", baseline=("PyTorch",), seconds=2.0)


def _glorot(rng, shape, fan_in, fan_out):
    lim = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-lim, lim, shape).astype(np.float32)


def cnn_data(seed: int = 0):
    """NHWC images, labels and HWIO filters, biases, the dense kernel and bias."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((CNN_BATCH, 28, 28, 1)).astype(np.float32)
    labels = rng.integers(0, 10, CNN_BATCH).astype(np.int32)
    params = [_glorot(rng, (3, 3, 1, 16), 9, 144), np.zeros(16, np.float32),
              _glorot(rng, (3, 3, 16, 32), 144, 288), np.zeros(32, np.float32),
              _glorot(rng, (1568, 10), 1568, 10), np.zeros(10, np.float32)]
    return x, labels, params


def attn_data(seed: int = 1):
    """Input (B, T, D) and the block's weights: wq, wk, wv, wo (D, D), layer-norm gamma and
    beta, w1 (D, 2D), b1, w2 (2D, D), b2."""
    rng = np.random.default_rng(seed)
    b, t, d = ATTN_SHAPE
    x = rng.standard_normal((b, t, d)).astype(np.float32)
    params = [_glorot(rng, (d, d), d, d) for _ in range(4)]
    params += [np.ones(d, np.float32), np.zeros(d, np.float32),
               _glorot(rng, (d, 2 * d), d, 2 * d), np.zeros(2 * d, np.float32),
               _glorot(rng, (2 * d, d), 2 * d, d), np.zeros(d, np.float32)]
    return x, params


def lstm_data(seed: int = 2):
    """Sequences, labels and Keras-layout LSTM weights (kernel (F, 4U), recurrent (U, 4U), bias
    (4U,), gates i, f, c, o), then the dense head."""
    rng = np.random.default_rng(seed)
    b, t, f = LSTM_SHAPE
    u = LSTM_UNITS
    x = rng.standard_normal((b, t, f)).astype(np.float32)
    labels = rng.integers(0, 10, b).astype(np.int32)
    bias = np.zeros(4 * u, np.float32)
    bias[u:2 * u] = 1.0
    params = [_glorot(rng, (f, 4 * u), f, 4 * u), _glorot(rng, (u, 4 * u), u, 4 * u), bias,
              _glorot(rng, (u, 10), u, 10), np.zeros(10, np.float32)]
    return x, labels, params


# -- tapegrad --------------------------------------------------------------------------------------
def _tapegrad():
    import tapegrad  # noqa: PLC0415 - builders import their library (see bench.registry)
    return tapegrad


def _tg_sgd_step(tf, loss_fn, ws, params, args, traced):
    def step(*args):
        with tf.GradientTape() as tape:
            loss = loss_fn(*args)
        grads = tape.gradient(loss, ws)
        for w, g in zip(ws, grads, strict=True):
            w.assign_sub(LR * g)
        return loss
    f = tf.function(step) if traced else step

    def reset():
        for w, p in zip(ws, params, strict=True):
            w.assign(p)
    return Step(lambda: f(*args), reset, RESET_EVERY)


def tg_cnn(traced: bool) -> Step:
    tf = _tapegrad()
    x_np, lab_np, params = cnn_data()
    ws = [tf.Variable(p) for p in params]
    k1, b1, k2, b2, wd, bd = ws

    def loss_fn(x, labels):
        h = tf.nn.relu(tf.nn.conv2d(x, k1, 1, "SAME") + b1)
        h = tf.nn.max_pool2d(h, 2, 2, "VALID")
        h = tf.nn.relu(tf.nn.conv2d(h, k2, 1, "SAME") + b2)
        h = tf.nn.max_pool2d(h, 2, 2, "VALID")
        logits = tf.matmul(tf.reshape(h, [CNN_BATCH, -1]), wd) + bd
        return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
    return _tg_sgd_step(tf, loss_fn, ws, params, (tf.constant(x_np), tf.constant(lab_np)), traced)


def tg_attn(traced: bool) -> Step:
    tf = _tapegrad()
    x_np, params = attn_data()
    ws = [tf.Variable(p) for p in params]
    wq, wk, wv, wo, gamma, beta, w1, b1, w2, b2 = ws
    b, t, d = ATTN_SHAPE
    dh = d // HEADS

    def heads(z):  # (B, T, D) -> (B, H, T, dh)
        return tf.transpose(tf.reshape(z, [b, t, HEADS, dh]), [0, 2, 1, 3])

    def loss_fn(x):
        x2 = tf.reshape(x, [b * t, d])
        q, k, v = (heads(tf.reshape(tf.matmul(x2, w), [b, t, d])) for w in (wq, wk, wv))
        att = tf.nn.softmax(tf.matmul(q, k, transpose_b=True) * np.float32(1.0 / np.sqrt(dh)))
        ctx = tf.reshape(tf.transpose(tf.matmul(att, v), [0, 2, 1, 3]), [b * t, d])
        h = x2 + tf.matmul(ctx, wo)
        mean, var = tf.nn.moments(h, axes=[-1], keepdims=True)
        h = tf.nn.batch_normalization(h, mean, var, beta, gamma, 1e-5)
        out = tf.matmul(tf.nn.relu(tf.matmul(h, w1) + b1), w2) + b2
        return tf.reduce_mean(tf.square(out))
    return _tg_sgd_step(tf, loss_fn, ws, params, (tf.constant(x_np),), traced)


def tg_lstm(traced: bool) -> Step:
    tf = _tapegrad()
    x_np, lab_np, params = lstm_data()
    lstm = tf.keras.layers.LSTM(LSTM_UNITS)
    dense = tf.keras.layers.Dense(10)
    dense(lstm(tf.constant(x_np[:1])))  # build
    lstm.set_weights(params[:3])
    dense.set_weights(params[3:])
    ws = lstm.trainable_variables + dense.trainable_variables

    def loss_fn(x, labels):
        logits = dense(lstm(x))
        return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
    return _tg_sgd_step(tf, loss_fn, ws, params, (tf.constant(x_np), tf.constant(lab_np)), traced)


for _name, _build in (("cnn", tg_cnn), ("attn", tg_attn), ("lstm", tg_lstm)):
    column(_name, "tapegrad", "tapegrad")(lambda batch, b=_build: b(False))
    column(_name, "tapegrad.function", "tapegrad")(lambda batch, b=_build: b(True))


# -- PyTorch ---------------------------------------------------------------------------------------
def _torch():
    from bench.peers import _torch as torch_with_threads  # noqa: PLC0415 - same thread setting
    return torch_with_threads()


def _torch_sgd_step(torch, loss_fn, ps, params, args):
    def step():
        loss = loss_fn(*args)
        grads = torch.autograd.grad(loss, ps)
        with torch.no_grad():
            for p, g in zip(ps, grads, strict=True):
                p.sub_(LR * g)
        return loss

    def reset():
        with torch.no_grad():
            for p, p0 in zip(ps, params, strict=True):
                p.copy_(torch.from_numpy(p0))
    return Step(step, reset, RESET_EVERY)


@column("cnn", "PyTorch", "torch")
def torch_cnn(batch=None) -> Step:
    torch = _torch()
    fn = torch.nn.functional
    x_np, lab_np, params = cnn_data()
    # PyTorch's native layout: NCHW images, OIHW filters, the dense kernel (out, in)
    x = torch.from_numpy(np.ascontiguousarray(x_np.transpose(0, 3, 1, 2)))
    lab = torch.from_numpy(lab_np.astype(np.int64))
    torch_params = [np.ascontiguousarray(p.transpose(3, 2, 0, 1)) if p.ndim == 4 else
                    np.ascontiguousarray(p.T) if p.ndim == 2 else p for p in params]
    ps = [torch.tensor(p, requires_grad=True) for p in torch_params]

    def loss_fn(x, lab):
        k1, b1, k2, b2, wd, bd = ps
        h = fn.max_pool2d(torch.relu(fn.conv2d(x, k1, b1, padding=1)), 2)
        h = fn.max_pool2d(torch.relu(fn.conv2d(h, k2, b2, padding=1)), 2)
        return fn.cross_entropy(fn.linear(h.reshape(CNN_BATCH, -1), wd, bd), lab)
    return _torch_sgd_step(torch, loss_fn, ps, torch_params, (x, lab))


@column("attn", "PyTorch", "torch")
def torch_attn(batch=None) -> Step:
    torch = _torch()
    fn = torch.nn.functional
    x_np, params = attn_data()
    ps = [torch.tensor(p, requires_grad=True) for p in params]
    b, t, d = ATTN_SHAPE
    dh = d // HEADS

    def heads(z):
        return z.reshape(b, t, HEADS, dh).transpose(1, 2)

    def loss_fn(x):
        wq, wk, wv, wo, gamma, beta, w1, b1, w2, b2 = ps
        x2 = x.reshape(b * t, d)
        q, k, v = (heads(x2 @ w) for w in (wq, wk, wv))
        att = torch.softmax(q @ k.transpose(-1, -2) * float(1.0 / np.sqrt(dh)), dim=-1)
        ctx = (att @ v).transpose(1, 2).reshape(b * t, d)
        h = fn.layer_norm(x2 + ctx @ wo, (d,), gamma, beta, 1e-5)
        out = torch.relu(h @ w1 + b1) @ w2 + b2
        return (out * out).mean()
    return _torch_sgd_step(torch, loss_fn, ps, params, (torch.from_numpy(x_np),))


@column("lstm", "PyTorch", "torch")
def torch_lstm(batch=None) -> Step:
    torch = _torch()
    x_np, lab_np, params = lstm_data()
    u = LSTM_UNITS
    lstm = torch.nn.LSTM(LSTM_SHAPE[2], u, batch_first=True)
    head = torch.nn.Linear(u, 10)
    # Keras (F, 4U) gates i, f, c, o -> PyTorch (4U, F) gates i, f, g, o: the same order
    torch_params = [np.ascontiguousarray(params[0].T), np.ascontiguousarray(params[1].T),
                    params[2], np.zeros(4 * u, np.float32), np.ascontiguousarray(params[3].T),
                    params[4]]
    ps = [lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0, head.weight,
          head.bias]
    with torch.no_grad():
        for p, p0 in zip(ps, torch_params, strict=True):
            p.copy_(torch.from_numpy(p0))
    x, lab = torch.from_numpy(x_np), torch.from_numpy(lab_np.astype(np.int64))

    def loss_fn(x, lab):
        out, _ = lstm(x)
        return torch.nn.functional.cross_entropy(head(out[:, -1]), lab)
    return _torch_sgd_step(torch, loss_fn, ps, torch_params, (x, lab))
