"""Native soft-target students: they learn from probability matrices directly.

Each is a full scikit-learn classifier: ``fit(X, y)`` also takes plain labels.
"""

from ._anchored import AnchoredRidge, interpolate_linear, linear_prior
from ._boosting import SoftGradientBoostingClassifier
from ._gam import SoftGAMClassifier, SoftGAMRegressor
from ._linear_tree import LinearTreeClassifier, LinearTreeRegressor
from ._logistic import SoftLogisticRegression
from ._naive_bayes import SoftGaussianNB
from ._subforest import SubForestClassifier, SubForestRegressor
from ._tree import SoftDecisionTreeClassifier

__all__ = [
    "AnchoredRidge",
    "LinearTreeClassifier",
    "LinearTreeRegressor",
    "SoftDecisionTreeClassifier",
    "SoftGAMClassifier",
    "SoftGAMRegressor",
    "SoftGaussianNB",
    "SoftGradientBoostingClassifier",
    "SoftLogisticRegression",
    "SubForestClassifier",
    "SubForestRegressor",
    "interpolate_linear",
    "linear_prior",
]
