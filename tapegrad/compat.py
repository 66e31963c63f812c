"""``tf.compat``: only the ``tf.compat.v1.logging`` boilerplate scripts carry; graphs and
sessions are not supported (``tf.compat.v1.Session`` says what to use instead)."""

import logging as _logging
from types import SimpleNamespace

from . import runtime as _rt

_log = _rt.LOGGER
logging = SimpleNamespace(
    DEBUG=_logging.DEBUG, INFO=_logging.INFO, WARN=_logging.WARN, ERROR=_logging.ERROR,
    FATAL=_logging.FATAL, set_verbosity=_rt.set_verbosity, get_verbosity=_rt.get_verbosity,
    debug=_log.debug, info=_log.info, warn=_log.warning, warning=_log.warning,
    error=_log.error, fatal=_log.critical, log=_log.log)
v1 = SimpleNamespace(
    logging=logging,
    Session=_rt.not_supported("tf.compat.v1.Session",
                              "tapegrad runs eagerly: call the ops directly, and wrap hot code "
                              "in tf.function"),
    placeholder=_rt.not_supported("tf.compat.v1.placeholder",
                                  "pass values to a function, with tf.TensorSpec for shapes"),
    disable_eager_execution=_rt.not_supported("tf.compat.v1.disable_eager_execution",
                                              "tapegrad has only eager execution"),
    enable_eager_execution=lambda *a, **k: None)
