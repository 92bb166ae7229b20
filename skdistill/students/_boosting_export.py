"""A fitted :class:`~sklearn.ensemble.GradientBoostingClassifier` from a
:class:`SoftGradientBoostingClassifier`: the prior ``init_`` and the clip of
scikit-learn's prior (see ``SoftGradientBoostingClassifier.to_sklearn``)."""

from copy import deepcopy

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import GradientBoostingClassifier


def gbc_prior(prior, init_score):
    """``(class prior for GradientBoostingClassifier's init_, score shift)``.

    The prior is clipped to float32's eps, which leaves it unchanged under
    the clip of every scikit-learn version (float32's eps before 1.8,
    float64's since); ``shift`` is ``init_score`` minus the raw score that
    prior gives (zero unless the clip changed it).
    """
    eps32 = float(np.finfo(np.float32).eps)
    eps64 = np.finfo(np.float64).eps
    clipped = np.clip(prior, eps32, 1.0 - eps32)
    if np.array_equal(clipped, np.clip(prior, eps64, 1.0 - eps64)):
        return prior.copy(), np.zeros_like(init_score)
    if len(prior) == 2:
        raw = np.array([np.log(clipped[1] / (1.0 - clipped[1]))])
    else:
        log_prior = np.log(clipped)
        raw = log_prior - log_prior.mean()
    return clipped, init_score - raw


def prior_classifier(prior, n_features):
    """A fitted ``DummyClassifier(strategy="prior")`` whose ``predict_proba``
    is ``prior`` on every row."""
    n_classes = len(prior)
    dummy = DummyClassifier(strategy="prior").fit(
        np.zeros((n_classes, n_features)), np.arange(n_classes)
    )
    dummy.class_prior_ = np.asarray(prior, dtype=np.float64).copy()
    return dummy


def gbc_init_prior(estimators, prior, init_score, learning_rate):
    """The prior for a GradientBoostingClassifier's ``init_`` whose raw score,
    with ``estimators`` (modified in place), is ``init_score``: what the
    prior clip of :func:`gbc_prior` moves is added to the first round."""
    prior, init_shift = gbc_prior(prior, init_score)
    for k, tree in enumerate(estimators[0]):
        if init_shift[k] != 0.0:
            # Every row passes through one leaf of each first-round tree.
            tree.tree_.value[:, 0, 0] += init_shift[k] / learning_rate
    return prior


def to_gradient_boosting(model):
    """The GradientBoostingClassifier equal to the fitted ``model``."""
    gbc = GradientBoostingClassifier(
        loss="log_loss",
        learning_rate=model.learning_rate,
        n_estimators=model.n_estimators_,
        subsample=model.subsample,
        min_samples_split=model.min_samples_split,
        min_samples_leaf=model.min_samples_leaf,
        min_weight_fraction_leaf=model.min_weight_fraction_leaf,
        max_depth=model.max_depth,
        min_impurity_decrease=model.min_impurity_decrease,
        random_state=model.random_state,
        max_features=model.max_features,
        max_leaf_nodes=model.max_leaf_nodes,
        validation_fraction=model.validation_fraction,
        n_iter_no_change=model.n_iter_no_change if model.do_early_stopping_ else None,
        tol=model.tol,
    )
    # Our trees split on squared error: scikit-learn < 1.9 defaults to
    # friedman_mse; 1.9 deprecates criterion (always squared error).
    if gbc.get_params().get("criterion", "deprecated") != "deprecated":
        gbc.set_params(criterion="squared_error")
    gbc.classes_ = model.classes_.copy()
    gbc.n_classes_ = model.n_classes_
    gbc.n_trees_per_iteration_ = model.n_trees_per_iteration_
    gbc.n_features_in_ = model.n_features_in_
    if hasattr(model, "feature_names_in_"):
        gbc.feature_names_in_ = model.feature_names_in_.copy()
    estimators = deepcopy(model.estimators_)
    prior = gbc_init_prior(estimators, model.prior_, model.init_score_, model.learning_rate)
    gbc.init_ = prior_classifier(prior, model.n_features_in_)
    gbc.estimators_ = estimators
    gbc.n_estimators_ = model.n_estimators_
    gbc.max_features_ = estimators[0, 0].max_features_
    # scikit-learn reports twice the binomial cross-entropy (the old
    # deviance), the multinomial one as it is.
    factor = 2.0 if model.n_classes_ == 2 else 1.0
    gbc.train_score_ = factor * model.train_score_
    gbc._loss = gbc._get_loss(sample_weight=None)
    return gbc
