"""skdistill: model distillation for classical machine learning.

Turn a strong but heavy scikit-learn model (the *teacher*) into a small,
fast, readable one (the *student*) that behaves like it.
"""

from ._distill import DistilledClassifier, DistilledEstimator, DistilledRegressor
from .report import distill_path, distillation_report, select_student
from .transfer import AdversarialSampler, GaussianNoise, Mixup, Munge, UniformBox

__version__ = "0.1.0.dev0"

__all__ = [
    "DistilledClassifier",
    "DistilledEstimator",
    "DistilledRegressor",
    "distill_path",
    "distillation_report",
    "select_student",
    "AdversarialSampler",
    "GaussianNoise",
    "Mixup",
    "Munge",
    "UniformBox",
    "__version__",
]
