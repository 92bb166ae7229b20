"""The numerical steps of the sub-forest students: greedy tree selection and
the joint refit of the chosen trees' leaf values.

Notation: ``k`` chosen trees; ``leaves`` is an (n, k) matrix of global node
ids (each tree's node ids shifted by the node count of the trees before it,
so that all leaf values are rows of one matrix ``V``); the student's output
on row ``i`` is ``p_i = (1/k) sum_t V[leaves[i, t]]``, which is exactly how
scikit-learn's forests average their trees.
"""

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import lsqr

# Probabilities are clipped to this before a logarithm: a tree that gives a
# target class probability 0 costs a large but finite loss.
PROBA_FLOOR = 1e-12
# Candidate trees scored at once by the greedy step (bounds its memory).
CANDIDATE_CHUNK = 32


# --------------------------------------------------------------- selection
def _chunk_losses(current, outputs, n_chosen, targets, weights, classification):
    """Loss of ``(current + outputs[t]) / (n_chosen + 1)`` for each candidate
    ``t`` of ``outputs`` (shape (m, n, C) or (m, n))."""
    mean = (current[None] + outputs) / (n_chosen + 1)
    if classification:
        log_p = np.log(np.maximum(mean, PROBA_FLOOR))
        per_row = -np.einsum("tnc,nc->tn", log_p, targets)
    else:
        per_row = (mean - targets[None]) ** 2
    return per_row @ weights


def greedy_select(outputs, targets, weights, n_select, classification):
    """Forward selection without replacement (Caruana et al. 2004).

    Parameters
    ----------
    outputs : ndarray of shape (n_trees, n, C) or (n_trees, n)
        Each teacher tree's probabilities (or predictions) on the rows.
    targets : ndarray of shape (n, C) or (n,)
    weights : ndarray of shape (n,)
    n_select : int
    classification : bool
        Cross-entropy to the targets when True, squared error when False.

    Returns
    -------
    chosen : ndarray of shape (n_select,)
        Tree indices in the order they were added; ties go to the lowest index.
    losses : ndarray of shape (n_select,)
        The weighted mean loss of the sub-forest after each addition.
    """
    n_trees = outputs.shape[0]
    current = np.zeros(outputs.shape[1:])
    available = np.ones(n_trees, dtype=bool)
    chosen, losses = [], []
    total_weight = weights.sum()
    for step in range(n_select):
        scores = np.full(n_trees, np.inf)
        for start in range(0, n_trees, CANDIDATE_CHUNK):
            block = slice(start, start + CANDIDATE_CHUNK)
            scores[block] = _chunk_losses(
                current, outputs[block], step, targets, weights, classification
            )
        scores[~available] = np.inf
        best = int(np.argmin(scores))
        chosen.append(best)
        losses.append(scores[best] / total_weight)
        available[best] = False
        current = current + outputs[best]
    return np.asarray(chosen, dtype=np.intp), np.asarray(losses)


# ------------------------------------------------------ refit: probabilities
def proba_objective(values, anchor, leaves, targets, weights, penalty):
    """Weighted KL(targets || p) plus ``penalty * sum KL(anchor || V)`` over
    leaf rows (the objective :func:`refit_proba` minimises)."""
    proba = values[leaves].mean(axis=1)
    fit = _kl_rows(targets, proba) @ weights
    return float(fit + penalty * _kl_rows(anchor, values).sum())


def _kl_rows(p, q):
    """KL(p || q) of each row (0 log 0 = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(np.maximum(q, PROBA_FLOOR))), 0.0)
    return terms.sum(axis=1)


def _em_step(values, anchor, leaves, targets, weights, penalty):
    """One EM update of the leaf distributions (see :func:`refit_proba`)."""
    n_nodes, n_classes = values.shape
    n_trees = leaves.shape[1]
    gathered = values[leaves]  # (n, k, C)
    proba = gathered.mean(axis=1)
    ratio = weights[:, None] * targets / (n_trees * np.maximum(proba, PROBA_FLOOR))
    mass = gathered * ratio[:, None, :]  # responsibility x target mass
    counts = np.empty_like(values)
    flat = leaves.ravel()
    for c in range(n_classes):
        counts[:, c] = np.bincount(flat, weights=mass[:, :, c].ravel(), minlength=n_nodes)
    counts += penalty * anchor
    totals = counts.sum(axis=1, keepdims=True)
    # A node no row reaches (and no penalty) is not identified: keep the anchor.
    return np.where(totals > 0, counts / np.where(totals > 0, totals, 1.0), anchor)


def refit_proba(anchor, leaves, targets, weights, penalty, max_iter, tol):
    """Leaf distributions minimising :func:`proba_objective` by EM.

    The student's probability is a mixture with fixed weights 1/k of its
    trees' leaf distributions, so EM applies: each row's target mass of
    class ``c`` is split between the trees in proportion to their leaf
    values (the E-step), and each leaf distribution becomes its share of
    the mass plus ``penalty`` times the anchor's, normalised (the M-step,
    the exact minimiser of the bound; a Dirichlet prior on the leaf). The
    objective is convex and decreases at every step. The start mixes the
    anchor, each leaf's mean target and the uniform distribution, so that
    no class starts at probability 0 (EM never moves a zero).

    Returns
    -------
    values : ndarray of shape (n_nodes, C)
    n_iter : int
    """
    n_nodes, n_classes = anchor.shape
    counts = np.zeros_like(anchor)
    flat = leaves.ravel()
    row_mass = np.repeat(weights[:, None] * targets, leaves.shape[1], axis=0)
    for c in range(n_classes):
        counts[:, c] = np.bincount(flat, weights=row_mass[:, c], minlength=n_nodes)
    totals = counts.sum(axis=1, keepdims=True)
    leaf_mean = np.where(totals > 0, counts / np.where(totals > 0, totals, 1.0), anchor)
    values = (anchor + leaf_mean + 1.0 / n_classes) / 3.0
    previous = proba_objective(values, anchor, leaves, targets, weights, penalty)
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        values = _em_step(values, anchor, leaves, targets, weights, penalty)
        current = proba_objective(values, anchor, leaves, targets, weights, penalty)
        if previous - current <= tol * max(abs(current), 1.0):
            break
        previous = current
    return values, n_iter


# ---------------------------------------------------------- refit: values
def leaf_design(leaves, n_nodes):
    """The (n, n_nodes) sparse matrix ``A`` with ``A @ V`` the forest's mean:
    1/k at each row's leaf of each tree."""
    n_rows, n_trees = leaves.shape
    data = np.full(leaves.size, 1.0 / n_trees)
    indptr = np.arange(0, leaves.size + 1, n_trees)
    return csr_matrix((data, leaves.ravel(), indptr), shape=(n_rows, n_nodes))


def refit_values(anchor, leaves, targets, weights, penalty):
    """Leaf values minimising ``sum_i w_i (q_i - p_i)^2 + (penalty / k) *
    ||V - anchor||^2`` (ridge toward the anchor).

    Solved for ``D = V - anchor`` as a damped sparse least-squares problem
    (LSQR with ``damp = sqrt(penalty / k)``); with ``penalty=0`` LSQR
    returns the least-squares solution closest to the anchor, since the
    leaves of k trees usually outnumber the rows' independent equations.

    Returns
    -------
    values : ndarray of shape (n_nodes,)
    n_iter : int
    """
    design = leaf_design(leaves, anchor.shape[0])
    root_w = np.sqrt(weights)
    residual = root_w * (targets - design @ anchor)
    weighted = design.multiply(root_w[:, None]).tocsr()
    damp = np.sqrt(penalty / leaves.shape[1])
    result = lsqr(weighted, residual, damp=damp, atol=1e-14, btol=1e-14, iter_lim=10_000)
    return anchor + result[0], int(result[2])
