"""``tf.version``: the TensorFlow release whose API tapegrad follows."""

VERSION = "2.21.0"  # the TF API implemented; tapegrad's own is tapegrad.__version__
GIT_VERSION = "tapegrad"
COMPILER_VERSION = "NumPy"
GRAPH_DEF_VERSION = 2474  # TF 2.21's, reported for scripts that print it
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0
