"""``tf.saved_model``: not supported; each name raises, naming what to use instead."""

from .runtime import not_supported as _no

_INSTEAD = ("save weights with tf.train.Checkpoint or a Keras model with model.save('m.keras')")
save = _no("tf.saved_model.save", _INSTEAD)
load = _no("tf.saved_model.load", "load a tf.train.Checkpoint or keras.models.load_model")
contains_saved_model = _no("tf.saved_model.contains_saved_model", _INSTEAD)
