"""The soft cross-entropy over raw additive scores, shared by the boosting
and GAM students: loss and gradient from the compiled kernels, probabilities,
the prior's raw score (and its inverse), and the early-stopping split."""

import numpy as np
from scipy.special import expit
from sklearn.model_selection import train_test_split

from .._loss import binary_loss_gradient, multinomial_loss_gradient

# Newton denominators below this are treated as zero (the leaf's rows are all
# predicted with certainty already): the leaf value is then 0, as in sklearn.
MIN_HESSIAN = 1e-150


def loss_gradient(raw, targets, sample_weight=None):
    """``(weighted loss sum, gradient)`` of the soft cross-entropy from the
    compiled kernels.

    ``raw`` has one column (binary: the logit of class 1, ``targets`` is
    P(class 1)) or one column per class (multinomial). With
    ``sample_weight=None`` the gradient is the unweighted ``q - p``.
    """
    if raw.shape[1] == 1:
        loss, grad = binary_loss_gradient(
            np.ascontiguousarray(raw[:, 0]),
            np.ascontiguousarray(targets[:, 0]),
            sample_weight,
        )
        return loss, grad[:, None]
    return multinomial_loss_gradient(raw, targets, sample_weight)


def soft_cross_entropy(raw, targets, sample_weight):
    """Weighted mean of ``-sum_k p_k log q_k`` with ``q`` from raw scores."""
    loss, _ = loss_gradient(raw, targets, sample_weight)
    return loss / float(np.sum(sample_weight))


def model_proba(raw):
    """Probabilities of the modelled columns: sigmoid (binary) or softmax."""
    if raw.shape[1] == 1:
        return expit(raw)
    z = raw - raw.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def weighted_prior(targets, sample_weight):
    prior = np.average(targets, axis=0, weights=sample_weight)
    return prior / prior.sum()


def prior_of_score(init_score):
    """The class prior whose raw score is ``init_score`` (the inverse of
    :func:`init_score` for priors inside the clip)."""
    proba = model_proba(np.asarray(init_score, dtype=np.float64)[None, :])[0]
    return np.array([1.0 - proba[0], proba[0]]) if len(proba) == 1 else proba


def init_score(prior):
    """Raw score of the prior, clipped as sklearn's DummyClassifier init is."""
    eps = np.finfo(np.float64).eps
    clipped = np.clip(prior, eps, 1.0 - eps)
    if len(prior) == 2:
        return np.array([np.log(clipped[1] / (1.0 - clipped[1]))])
    log_prior = np.log(clipped)
    return log_prior - log_prior.mean()


def validation_split(targets, sample_weight, validation_fraction, rng):
    """Train/validation row indices for early stopping.

    Only rows of positive weight are split (a zero-weight row changes neither
    the fit nor the validation loss); stratified on the most probable class
    when every class has at least two rows.
    """
    rows = np.flatnonzero(sample_weight > 0)
    labels = np.argmax(targets[rows], axis=1)
    counts = np.bincount(labels)
    stratify = labels if counts[counts > 0].min() >= 2 else None
    try:
        return train_test_split(
            rows, test_size=validation_fraction, random_state=rng, stratify=stratify
        )
    except ValueError:
        pass  # too few rows per class for a stratified split of this size
    try:
        return train_test_split(rows, test_size=validation_fraction, random_state=rng)
    except ValueError as exc:
        raise ValueError(
            f"early stopping with validation_fraction={validation_fraction} "
            f"leaves no training or no validation rows among the {len(rows)} rows "
            "of positive sample_weight; use more rows or early_stopping=False"
        ) from exc
