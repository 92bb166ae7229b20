"""skdistill: model distillation for classical machine learning.

Turn a strong but heavy scikit-learn model (the *teacher*) into a small,
fast, readable one (the *student*) that behaves like it.
"""

# The compiled kernels first: a missing or stale build fails here, with the
# command that fixes it, rather than deep inside a student's fit.
from . import _loss  # noqa: F401
from ._blackbox import BlackBoxTeacher
from ._distill import DistilledClassifier, DistilledEstimator, DistilledRegressor
from .report import distillation_report
from .search import StudentSearch, search_students
from .size_search import distill_path, select_student
from .transfer import AdversarialSampler, GaussianNoise, Mixup, Munge, UniformBox

__version__ = "0.1.0.dev0"

__all__ = [
    "BlackBoxTeacher",
    "DistilledClassifier",
    "DistilledEstimator",
    "DistilledRegressor",
    "distill_path",
    "distillation_report",
    "search_students",
    "select_student",
    "StudentSearch",
    "AdversarialSampler",
    "GaussianNoise",
    "Mixup",
    "Munge",
    "UniformBox",
    "__version__",
]
