"""TensorFlow's guide "Introduction to gradients and automatic differentiation", run on tapegrad.

Every program of the guide, as written there, under ``import tapegrad as tf``. The guide draws
random inputs and layer weights; here they come from a seeded NumPy generator so the numbers can
be compared with TensorFlow's (``run`` takes the module, so the very same code runs on either).

    python examples/autodiff_guide.py
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


def run(tf, say=print) -> dict:
    """Run the guide's programs with module ``tf``; print as the guide does, return the values."""
    out = {}
    rng = np.random.default_rng(0)

    # -- Gradient tapes ------------------------------------------------------------------------
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x**2
    # dy = 2x * dx
    dy_dx = tape.gradient(y, x)
    say(dy_dx.numpy())
    out["dy_dx"] = dy_dx.numpy()

    w = tf.Variable(rng.standard_normal((3, 2)).astype(np.float32), name='w')
    b = tf.Variable(tf.zeros(2, dtype=tf.float32), name='b')
    x = [[1., 2., 3.]]
    with tf.GradientTape(persistent=True) as tape:
        y = x @ w + b
        loss = tf.reduce_mean(y**2)
    [dl_dw, dl_db] = tape.gradient(loss, [w, b])
    say(w.shape)
    say(dl_dw.shape)
    my_vars = {'w': w, 'b': b}
    grad = tape.gradient(loss, my_vars)
    say(grad['b'])
    out["dl_dw"], out["dl_db"], out["grad_b"] = dl_dw.numpy(), dl_db.numpy(), grad['b'].numpy()

    # -- Gradients with respect to a model ------------------------------------------------------
    layer = dense(tf, 2, 'relu', 3, rng)
    x = tf.constant([[1., 2., 3.]])
    with tf.GradientTape() as tape:
        # Forward pass
        y = layer(x)
        loss = tf.reduce_mean(y**2)
    # Calculate gradients with respect to every trainable variable
    grad = tape.gradient(loss, layer.trainable_variables)
    for var, g in zip(layer.trainable_variables, grad):  # noqa: B905
        say(f'{var.name}, shape: {g.shape}')
    out["layer_grads"] = [g.numpy() for g in grad]

    # -- Controlling what the tape watches -------------------------------------------------------
    # A trainable variable
    x0 = tf.Variable(3.0, name='x0')
    # Not trainable
    x1 = tf.Variable(3.0, name='x1', trainable=False)
    # Not a Variable: A variable + tensor returns a tensor.
    x2 = tf.Variable(2.0, name='x2') + 1.0
    # Not a variable
    x3 = tf.constant(3.0, name='x3')
    with tf.GradientTape() as tape:
        y = (x0**2) + (x1**2) + (x2**2)
    grad = tape.gradient(y, [x0, x1, x2, x3])
    for g in grad:
        say(g)
    out["watch_grads"] = [None if g is None else g.numpy() for g in grad]
    out["watched_names"] = [var.name for var in tape.watched_variables()]
    say(out["watched_names"])

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x**2
    # dy = 2x * dx
    dy_dx = tape.gradient(y, x)
    say(dy_dx.numpy())
    out["watched_constant"] = dy_dx.numpy()

    x0 = tf.Variable(0.0)
    x1 = tf.Variable(10.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x1)
        y0 = tf.math.sin(x0)
        y1 = tf.nn.softplus(x1)
        y = y0 + y1
        ys = tf.reduce_sum(y)
    # dys/dx1 = exp(x1) / (1 + exp(x1)) = sigmoid(x1)
    grad = tape.gradient(ys, {'x0': x0, 'x1': x1})
    say('dy/dx0:', grad['x0'])
    say('dy/dx1:', grad['x1'].numpy())
    out["softplus_x0"], out["softplus_x1"] = grad['x0'], grad['x1'].numpy()

    # -- Intermediate results -------------------------------------------------------------------
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    # dz_dy = 2 * y and y = x ** 2 = 9
    out["dz_dy"] = tape.gradient(z, y).numpy()
    say(out["dz_dy"])

    x = tf.constant([1, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    out["persistent_z"] = tape.gradient(z, x).numpy()  # [4.0, 108.0] (4 * x**3)
    out["persistent_y"] = tape.gradient(y, x).numpy()  # [2.0, 6.0] (2 * x)
    say(out["persistent_z"])
    say(out["persistent_y"])
    del tape   # Drop the reference to the tape

    # -- Gradients of non-scalar targets ---------------------------------------------------------
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y0 = x**2
        y1 = 1 / x
    out["y0"], out["y1"] = tape.gradient(y0, x).numpy(), tape.gradient(y1, x).numpy()
    say(out["y0"])
    say(out["y1"])

    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y0 = x**2
        y1 = 1 / x
    out["dict_target"] = tape.gradient({'y0': y0, 'y1': y1}, x).numpy()
    say(out["dict_target"])

    x = tf.Variable(2.)
    with tf.GradientTape() as tape:
        y = x * [3., 4.]
    out["vector_target"] = tape.gradient(y, x).numpy()
    say(out["vector_target"])

    x = tf.linspace(-10.0, 10.0, 200+1)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.sigmoid(x)
    dy_dx = tape.gradient(y, x)
    out["sigmoid_y"], out["sigmoid_dy_dx"] = y.numpy(), dy_dx.numpy()

    # -- Control flow ----------------------------------------------------------------------------
    x = tf.constant(1.0)
    v0 = tf.Variable(2.0)
    v1 = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        if x > 0.0:
            result = v0
        else:
            result = v1**2
    dv0, dv1 = tape.gradient(result, [v0, v1])
    say(dv0)
    say(dv1)
    dx = tape.gradient(result, x)
    say(dx)
    out["control_flow"] = [None if g is None else g.numpy() for g in (dv0, dv1, dx)]

    # -- Cases where gradient returns None ---------------------------------------------------------
    x = tf.Variable(2.)
    y = tf.Variable(3.)
    with tf.GradientTape() as tape:
        z = y * y
    out["unconnected"] = tape.gradient(z, x)
    say(out["unconnected"])

    # 1. Replaced a variable with a tensor
    x = tf.Variable(2.0)
    out["replaced"] = []
    for epoch in range(2):  # noqa: B007
        with tf.GradientTape() as tape:
            y = x+1
        g = tape.gradient(y, x)
        say(type(x).__name__, ":", g)
        out["replaced"].append(None if g is None else g.numpy())
        x = x + 1   # This should be `x.assign_add(1)`

    # 2. Did calculations outside of TensorFlow
    x = tf.Variable([[1.0, 2.0],
                     [3.0, 4.0]], dtype=tf.float32)
    with tf.GradientTape() as tape:
        x2 = x**2
        # This step is calculated with NumPy
        y = np.mean(x2, axis=0)
        # Like most ops, reduce_mean will cast the NumPy array to a constant tensor
        y = tf.reduce_mean(y, axis=0)
    out["numpy_detour"] = tape.gradient(y, x)
    say(out["numpy_detour"])

    # 3. Took gradients through an integer
    x = tf.constant(10)
    with tf.GradientTape() as g:
        g.watch(x)   # warns: the dtype of the watched tensor must be floating
        y = x * x
    out["integer"] = g.gradient(y, x)
    say(out["integer"])

    # 4. Took gradients through a stateful object
    x0 = tf.Variable(3.0)
    x1 = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        # Update x1 = x1 + x0.
        x1.assign_add(x0)
        # The tape starts recording from x1.
        y = x1**2   # y = (x1 + x0)**2
    # This doesn't work.
    out["stateful"] = tape.gradient(y, x0)   # dy/dx0 = 2*(x1 + x0)
    say(out["stateful"])

    # -- Zeros instead of None ---------------------------------------------------------------------
    x = tf.Variable([2., 2.])
    y = tf.Variable(3.)
    with tf.GradientTape() as tape:
        z = y**2
    g = tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    say(g)
    out["zeros"] = g.numpy()
    return out


if __name__ == "__main__":
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the integer-watch warning is part of the lesson
        run(tapegrad)
