"""Native soft-target students: they learn from probability matrices directly.

Each is a full scikit-learn classifier: ``fit(X, y)`` also takes plain labels.
"""

from ._logistic import SoftLogisticRegression
from ._tree import SoftDecisionTreeClassifier

__all__ = [
    "SoftLogisticRegression",
    "SoftDecisionTreeClassifier",
]
