"""A tour of GradientTape: every program of the seed notebook, run with ``import tapegrad as tf``.

Each section prints what the notebook prints (TF's repr reads ``tf.Tensor``, tapegrad's
``tapegrad.Tensor``). The random ``w`` of the notebook is set to the values it printed, so the
gradients match TensorFlow's to the last printed digit.

    python examples/gradient_tape_tour.py
"""

import tapegrad as tf


def show(label, value):
    print(f"{label}:")
    print(repr(value) if not isinstance(value, str) else value)
    print()


# -- Computing gradients ---------------------------------------------------------------------------
x = tf.Variable(4.0)

with tf.GradientTape() as tape:
    y = x**2

show("y", y)
dy_dx = tape.gradient(y, x)
show("dy_dx", dy_dx)

# The notebook drew w from tf.random.normal((4, 2)); these are the values it printed.
w = tf.Variable(tf.constant([[1.6781247, 1.1388843],
                             [0.22586143, -2.206287],
                             [-0.32982063, 1.4358617],
                             [-0.37560588, 1.3389487]]))
show("w", w)
b = tf.Variable(tf.ones(2, dtype=tf.float32))
show("b", b)
x = tf.Variable([[10., 20., 30., 40.]], dtype=tf.float32)
show("x", x)

with tf.GradientTape(persistent=True) as tape:
    y = tf.matmul(x, w) + b

    loss = tf.reduce_mean(y**2)

[dl_dw, dl_db] = tape.gradient(loss, [w, b])
# The gradient with respect to each source has the shape of the source.
show("dl_dw", dl_dw)
show("dl_db", dl_db)

# -- A Keras layer ---------------------------------------------------------------------------------
tf.random.set_seed(0)
layer = tf.keras.layers.Dense(2, activation='relu')

x = tf.constant([[10., 20., 30.]])

with tf.GradientTape() as tape:
    y = layer(x)

    loss = tf.reduce_sum(y**2)

grad = tape.gradient(loss, layer.trainable_variables)
show("grad", grad)

for var, g in zip(layer.trainable_variables, grad):  # noqa: B905
    print(f'{var.name}, shape: {g.shape}')
print()

# -- Gradients are calculated only with respect to trainable variables -----------------------------
x1 = tf.Variable(5.0)
show("x1", x1)
x2 = tf.Variable(5.0, trainable=False)
show("x2", x2)
x3 = tf.add(x1, x2)        # a Tensor, not a variable: not watched
show("x3", x3)
x4 = tf.constant(5.0)
show("x4", x4)

with tf.GradientTape() as tape:
    y = (x1**2) + (x2**2) + (x3**2) + (x4**2)

grad = tape.gradient(y, [x1, x2, x3, x4])
show("grad", grad)

# -- Watch constants to calculate gradients with respect to them -----------------------------------
x1 = tf.constant(5.0)
x2 = tf.Variable(3.0)

with tf.GradientTape() as tape:
    tape.watch(x1)

    y = (x1**2) + (x2**2)

[dy_dx1, dy_dx2] = tape.gradient(y, [x1, x2])
show("dy_dx1, dy_dx2", (dy_dx1, dy_dx2))

with tf.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(x1)

    y = (x1**2) + (x2**2)

[dy_dx1, dy_dx2] = tape.gradient(y, [x1, x2])
show("dy_dx1, dy_dx2 (watch_accessed_variables=False)", (dy_dx1, dy_dx2))

# -- The tape records operations as they occur: conditionals ---------------------------------------
for start in (1.0, -1.0):
    x = tf.constant(start)
    x1 = tf.Variable(5.0)
    x2 = tf.Variable(3.0)

    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)

        if x > 0.0:
            result = x1**2
        else:
            result = x2**2

    dx1, dx2 = tape.gradient(result, [x1, x2])
    show(f"dx1, dx2 (x = {start})", (dx1, dx2))

# -- gradient inside the context -------------------------------------------------------------------
x = tf.Variable(2.)
y = tf.Variable(3.)

with tf.GradientTape() as tape:
    z = y * y

    dy_dx = tape.gradient(z, x)

print(dy_dx)
