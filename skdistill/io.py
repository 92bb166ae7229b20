"""Saving and loading fitted skdistill models with skops.

skops (``pip install skdistill[io]``) stores a fitted model without pickle
and, when loading, refuses any type that it does not trust by default and
that the caller did not list. :func:`trusted_types` is that list for every
skdistill model: the fitted attributes of the distilled estimators and of
the students hold arrays, numbers, strings, plain dicts and lists and
skdistill's own classes, plus scikit-learn's fitted tree arrays in the tree,
boosting and linear-tree students.

Examples
--------
>>> import skops.io as sio
>>> from sklearn.datasets import load_iris
>>> from sklearn.linear_model import LogisticRegression
>>> from skdistill import DistilledClassifier
>>> from skdistill.io import trusted_types
>>> from skdistill.students import SoftDecisionTreeClassifier
>>> X, y = load_iris(return_X_y=True)
>>> model = DistilledClassifier(
...     LogisticRegression(max_iter=1000), SoftDecisionTreeClassifier(max_depth=3),
...     random_state=0,
... ).fit(X, y)
>>> loaded = sio.loads(sio.dumps(model), trusted=trusted_types())
>>> bool((loaded.predict(X) == model.predict(X)).all())
True
"""

from ._io import trusted_types

__all__ = ["trusted_types"]
