"""``tf.summary``'s machinery: dependency-free TensorBoard event files (``events``) and the
summary writers and ops (``ops``)."""
