"""TensorFlow's guide "Advanced automatic differentiation", run on tapegrad.

Every program of the guide (less its plots and SavedModel cells), as written there, under
``import tapegrad as tf``; plus the ``tf.autodiff.ForwardAccumulator`` example of TF's API docs.
Random inputs and layer weights come from a seeded NumPy generator so the numbers can be compared
with TensorFlow's (``run`` takes the module, so the very same code runs on either).

    python examples/advanced_autodiff_guide.py
"""

import numpy as np

import tapegrad


def dense(tf, units, activation, in_dim, rng):
    """A Dense layer whose weights come from ``rng`` instead of a random initializer."""
    layer = tf.keras.layers.Dense(units, activation=activation)
    layer.build((None, in_dim))
    layer.kernel.assign(rng.uniform(-0.5, 1.0, (in_dim, units)).astype(np.float32))
    layer.bias.assign(rng.uniform(-0.1, 0.1, units).astype(np.float32))
    return layer


def normal(tf, rng, shape):
    """Stands for the guide's ``tf.random.normal(shape)``."""
    return tf.constant(rng.standard_normal(shape).astype(np.float32))


def controlling_recording(tf, say=print) -> dict:
    out = {}
    # Stop recording
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape() as t:
        x_sq = x * x
        with t.stop_recording():
            y_sq = y * y
        z = x_sq + y_sq
    grad = t.gradient(z, {'x': x, 'y': y})
    say('dz/dx:', grad['x'])  # 2*x => 4
    say('dz/dy:', grad['y'])
    out["stop_recording"] = (grad['x'], grad['y'])

    # Reset/start recording from scratch
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    reset = True
    with tf.GradientTape() as t:
        y_sq = y * y
        if reset:
            # Throw out all the tape recorded so far.
            t.reset()
        z = x * x + y_sq
    grad = t.gradient(z, {'x': x, 'y': y})
    say('dz/dx:', grad['x'])  # 2*x => 4
    say('dz/dy:', grad['y'])
    out["reset"] = (grad['x'], grad['y'])

    # Stop gradient flow with precision
    x = tf.Variable(2.0)
    y = tf.Variable(3.0)
    with tf.GradientTape() as t:
        y_sq = y**2
        z = x**2 + tf.stop_gradient(y_sq)
    grad = t.gradient(z, {'x': x, 'y': y})
    say('dz/dx:', grad['x'])  # 2*x => 4
    say('dz/dy:', grad['y'])
    out["stop_gradient"] = (grad['x'], grad['y'])
    return out


def custom_gradients(tf, say=print) -> dict:
    # Establish an identity operation, but clip during the gradient pass.
    @tf.custom_gradient
    def clip_gradients(y):
        def backward(dy):
            return tf.clip_by_norm(dy, 0.5)
        return y, backward

    v = tf.Variable(2.0)
    with tf.GradientTape() as t:
        output = clip_gradients(v * v)
    g = t.gradient(output, v)
    say(g)  # calls "backward", which clips 4 to 2
    return {"clip_gradients": g}


def multiple_tapes(tf, say=print) -> dict:
    out = {}
    x0 = tf.constant(0.0)
    x1 = tf.constant(0.0)
    with tf.GradientTape() as tape0, tf.GradientTape() as tape1:
        tape0.watch(x0)
        tape1.watch(x1)
        y0 = tf.math.sin(x0)
        y1 = tf.nn.sigmoid(x1)
        y = y0 + y1
        ys = tf.reduce_sum(y)
    out["tape0"] = tape0.gradient(ys, x0).numpy()   # cos(x) => 1.0
    out["tape1"] = tape1.gradient(ys, x1).numpy()   # sigmoid(x1)*(1-sigmoid(x1)) => 0.25
    say(out["tape0"], out["tape1"])

    # Higher-order gradients
    x = tf.Variable(1.0)  # Create a Tensorflow variable initialized to 1.0
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = x * x * x
        # Compute the gradient inside the outer `t2` context manager
        # which means the gradient computation is differentiable as well.
        dy_dx = t1.gradient(y, x)
    d2y_dx2 = t2.gradient(dy_dx, x)
    say('dy_dx:', dy_dx.numpy())  # 3 * x**2 => 3.0
    say('d2y_dx2:', d2y_dx2.numpy())  # 6 * x => 6.0
    out["dy_dx"], out["d2y_dx2"] = dy_dx.numpy(), d2y_dx2.numpy()
    return out


def input_gradient_regularization(tf, rng, say=print) -> dict:
    x = normal(tf, rng, [7, 5])
    layer = dense(tf, 10, tf.nn.relu, 5, rng)
    with tf.GradientTape() as t2:
        # The inner tape only takes the gradient with respect to the input,
        # not the variables.
        with tf.GradientTape(watch_accessed_variables=False) as t1:
            t1.watch(x)
            y = layer(x)  # noqa: F841  (as in the guide)
            out = tf.reduce_sum(layer(x)**2)
        # 1. Calculate the input gradient.
        g1 = t1.gradient(out, x)
        # 2. Calculate the magnitude of the input gradient.
        g1_mag = tf.norm(g1)
    # 3. Calculate the gradient of the magnitude with respect to the model.
    dg1_mag = t2.gradient(g1_mag, layer.trainable_variables)
    say([var.shape for var in dg1_mag])
    return {"g1_mag": g1_mag.numpy(), "dg1_mag": [g.numpy() for g in dg1_mag]}


def jacobians(tf, rng, say=print) -> dict:
    out = {}
    # Scalar source
    x = tf.linspace(-10.0, 10.0, 200+1)
    delta = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        y = tf.nn.sigmoid(x+delta)
    dy_dx = tape.jacobian(y, delta)
    say(y.shape)
    say(dy_dx.shape)
    out["scalar_source"] = dy_dx.numpy()

    # Tensor source
    x = normal(tf, rng, [7, 5])
    layer = dense(tf, 10, tf.nn.relu, 5, rng)
    with tf.GradientTape(persistent=True) as tape:
        y = layer(x)
    say(y.shape, layer.kernel.shape)
    j = tape.jacobian(y, layer.kernel)
    say(j.shape)
    g = tape.gradient(y, layer.kernel)
    say('g.shape:', g.shape)
    j_sum = tf.reduce_sum(j, axis=[0, 1])
    delta = tf.reduce_max(abs(g - j_sum)).numpy()
    assert delta < 1e-3
    say('delta:', delta)
    out["kernel_jacobian"], out["kernel_delta"] = j.numpy(), delta
    return out


def hessian_newton_step(tf, rng, say=print) -> dict:
    x = normal(tf, rng, [7, 5])
    layer1 = dense(tf, 8, tf.nn.relu, 5, rng)
    layer2 = dense(tf, 6, tf.nn.relu, 8, rng)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            x = layer1(x)
            x = layer2(x)
            loss = tf.reduce_mean(x**2)
        g = t1.gradient(loss, layer1.kernel)
    h = t2.jacobian(g, layer1.kernel)
    say(f'layer.kernel.shape: {layer1.kernel.shape}')
    say(f'h.shape: {h.shape}')

    n_params = tf.reduce_prod(layer1.kernel.shape)
    g_vec = tf.reshape(g, [n_params, 1])
    h_mat = tf.reshape(h, [n_params, n_params])

    eps = 1e-3
    eye_eps = tf.eye(h_mat.shape[0])*eps
    # X(k+1) = X(k) - (∇²f(X(k)))^-1 @ ∇f(X(k))
    # h_mat = ∇²f(X(k))
    # g_vec = ∇f(X(k))
    update = tf.linalg.solve(h_mat + eye_eps, g_vec)
    # Reshape the update and apply it to the variable.
    _ = layer1.kernel.assign_sub(tf.reshape(update, layer1.kernel.shape))
    return {"g": g.numpy(), "h_mat": h_mat.numpy(), "update": update.numpy(),
            "kernel": layer1.kernel.numpy()}


def batch_jacobian(tf, rng, say=print) -> dict:
    x = normal(tf, rng, [7, 5])
    layer1 = dense(tf, 8, tf.nn.elu, 5, rng)
    layer2 = dense(tf, 6, tf.nn.elu, 8, rng)
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = layer1(x)
        y = layer2(y)
    say(y.shape)
    j = tape.jacobian(y, x)
    say(j.shape)
    j_sum = tf.reduce_sum(j, axis=2)
    say(j_sum.shape)
    j_select = tf.einsum('bxby->bxy', j)
    say(j_select.shape)
    jb = tape.batch_jacobian(y, x)
    say(jb.shape)
    error = tf.reduce_max(abs(jb - j_sum))
    assert error < 1e-3
    say(error.numpy())
    return {"j": j.numpy(), "j_sum": j_sum.numpy(), "j_select": j_select.numpy(),
            "jb": jb.numpy()}


def batch_jacobian_with_batch_norm(tf, rng, say=print) -> dict:
    x = normal(tf, rng, [7, 5])
    layer1 = dense(tf, 8, tf.nn.elu, 5, rng)
    bn = tf.keras.layers.BatchNormalization()
    layer2 = dense(tf, 6, tf.nn.elu, 8, rng)
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = layer1(x)
        y = bn(y, training=True)
        y = layer2(y)
    j = tape.jacobian(y, x)
    say(f'j.shape: {j.shape}')
    jb = tape.batch_jacobian(y, x)
    say(f'jb.shape: {jb.shape}')
    return {"j": j.numpy(), "jb": jb.numpy()}


def forward_accumulator(tf, say=print) -> dict:
    # From the tf.autodiff.ForwardAccumulator API docs: a Hessian-vector product, forward over
    # backward.
    v = tf.Variable([1., 2.])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1., 0.])) as acc:
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v ** 3.)
        backward = tape.gradient(y, v)
    say(backward)          # gradient from backprop: [3., 12.]
    say(acc.jvp(backward))  # forward-over-backward Hessian-vector product: [6., 0.]
    return {"backward": backward.numpy(), "hvp": acc.jvp(backward).numpy()}


def run(tf, say=print) -> dict:
    """Run every program with module ``tf``; print as the guide does, return the values."""
    rng = np.random.default_rng  # each program draws from its own seeded generator
    out = {}
    out.update(controlling_recording(tf, say))
    out.update(custom_gradients(tf, say))
    out.update(multiple_tapes(tf, say))
    out["input_grad_reg"] = input_gradient_regularization(tf, rng(1), say)
    out["jacobians"] = jacobians(tf, rng(2), say)
    if hasattr(tf.linalg, "solve"):
        out["hessian"] = hessian_newton_step(tf, rng(3), say)
    if hasattr(tf, "einsum"):
        out["batch_jacobian"] = batch_jacobian(tf, rng(4), say)
    out["batch_norm"] = batch_jacobian_with_batch_norm(tf, rng(5), say)
    out.update(forward_accumulator(tf, say))
    return out


if __name__ == "__main__":
    run(tapegrad)
