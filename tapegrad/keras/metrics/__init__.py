"""Metrics (``tf.keras.metrics``): running statistics with ``update_state``, ``result`` and
``reset_state``. The base classes, accuracies, regression and confusion metrics are in
``base.py``; the loss-averaging metrics in ``loss_metrics.py``; ``Sum``, top-k, F-scores and
R² in ``scores.py``; the rate-at-a-floor metrics (``PrecisionAtRecall`` …) in
``constrained.py``; the IoU family in ``iou.py``; the correlations in ``correlation.py``; the
per-example metric functions (``binary_accuracy`` …) in ``functions.py``."""

from . import base as _base
from .base import *  # noqa: F401,F403
from .base import __all__ as _base_all
from .loss_metrics import *  # noqa: F401,F403
from .loss_metrics import __all__ as _loss_all
from .scores import *  # noqa: F401,F403
from .scores import __all__ as _scores_all
from .loss_metrics import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge,
                           CosineSimilarity, Hinge, KLDivergence, LogCoshError, Poisson,
                           SparseCategoricalCrossentropy, SquaredHinge)
from .scores import AUC, F1Score, R2Score, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy

from .constrained import *  # noqa: F401,F403
from .constrained import __all__ as _constrained_all
from .correlation import *  # noqa: F401,F403
from .correlation import __all__ as _correlation_all
from .functions import *  # noqa: F401,F403
from .functions import __all__ as _functions_all
from .iou import *  # noqa: F401,F403
from .iou import __all__ as _iou_all
from .correlation import ConcordanceCorrelation, PearsonCorrelation

__all__ = (list(_base_all) + list(_loss_all) + list(_scores_all) + list(_constrained_all) +
           list(_correlation_all) + list(_functions_all) + list(_iou_all))

# the string names compile() accepts for the metrics defined beside base.py
_base.register_names({
    "binary_crossentropy": BinaryCrossentropy, "categorical_crossentropy":
    CategoricalCrossentropy, "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "kl_divergence": KLDivergence, "kld": KLDivergence, "poisson": Poisson,
    "logcosh": LogCoshError, "log_cosh": LogCoshError, "cosine_similarity": CosineSimilarity,
    "hinge": Hinge, "squared_hinge": SquaredHinge, "categorical_hinge": CategoricalHinge,
    "top_k_categorical_accuracy": TopKCategoricalAccuracy,
    "sparse_top_k_categorical_accuracy": SparseTopKCategoricalAccuracy,
    "f1_score": F1Score, "r2_score": R2Score, "auc": AUC,
    "pearson_correlation": PearsonCorrelation,
    "concordance_correlation": ConcordanceCorrelation})
