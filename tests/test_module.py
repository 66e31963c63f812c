"""tf.Module (tapegrad/module.py): names, name scopes, submodules and the variables' order of
TF's "Introduction to modules" guide."""

import tapegrad as tf
from tapegrad.keras import module as keras_module


class Dense(tf.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.ones([in_features, out_features]), name="w")
        self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        return tf.nn.relu(x @ self.w + self.b)


class SequentialModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = Dense(in_features=3, out_features=3)
        self.dense_2 = Dense(in_features=3, out_features=2)

    def __call__(self, x):
        return self.dense_2(self.dense_1(x))


def test_guide_order_of_submodules_and_variables():
    m = SequentialModule(name="the_model")
    assert m.submodules == [m.dense_1, m.dense_2]
    want = [m.dense_1.b, m.dense_1.w, m.dense_2.b, m.dense_2.w]
    assert [id(v) for v in m.variables] == [id(v) for v in want]
    assert [id(v) for v in m.trainable_variables] == [id(v) for v in want]
    assert float(tf.reduce_sum(m(tf.constant([[2.0, 2.0, 2.0]])))) == 36.0


def test_with_name_scope_and_nested_name_scopes():
    class Lazy(tf.Module):
        @tf.Module.with_name_scope
        def __call__(self, x):
            if not hasattr(self, "w"):
                self.w = tf.Variable(tf.ones([x.shape[-1]]), name="w")
            return x * self.w

    m = Lazy(name="lazy")
    m(tf.ones([2]))
    assert m.w.name == "lazy/w:0" and m.name == "lazy"
    with tf.name_scope("outer"):
        with m.name_scope:
            v = tf.Variable(1.0, name="v")
    assert v.name == "outer/lazy/v:0"
    assert Lazy.__call__.__name__ == "__call__"


def test_default_name_and_old_import_path():
    assert SequentialModule().name == "sequential_module"
    assert keras_module.Module is tf.Module
