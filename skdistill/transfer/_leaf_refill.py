"""Leaf refill: query the teacher where a tree student is blind.

A tree student runs out of rows at its deep nodes: a depth-8 tree on a few
thousand rows has leaves holding a handful of them, so its deep splits rest
on noise however good the targets are. TREPAN (Craven & Shavlik, 1996) and
model extraction (Bastani, Kim & Bastani, 2017) sample new points inside the
region of each such node and ask the teacher. Here the new points are MUNGE
(or any generator's) candidates drawn around the real rows -- so they stay on
the data's manifold, unlike uniform draws inside a leaf's box, which lowered
fidelity on a 40-feature problem -- and a candidate is kept when the
student's tree routes it into a leaf with fewer than ``min_rows`` training
rows, until the leaf has them.
"""

import numpy as np
from sklearn.pipeline import Pipeline

from .._validation import check_int
from ._adversarial import AdversarialSampler


def _tree_leaves(student, X):
    """Leaf index of each row in a fitted tree student (also the last step of
    a Pipeline, after the steps before it)."""
    final = student
    if isinstance(student, Pipeline):
        X = student[:-1].transform(X)
        final = student.steps[-1][1]
    if not hasattr(final, "apply"):
        raise TypeError(
            "LeafRefill needs a tree student with an apply method (a decision tree, "
            "SoftDecisionTreeClassifier or a LinearTree*, possibly at the end of a "
            f"Pipeline); got {type(final).__name__}. Use AdversarialSampler or Munge "
            "for other students."
        )
    return np.asarray(final.apply(X))


class LeafRefill(AdversarialSampler):
    """Transfer rounds that refill the leaves of a tree student with rows.

    Used through ``transfer_rounds`` like :class:`AdversarialSampler`: after
    each student fit, ``generator`` draws candidates around the real rows
    (MUNGE by default), the student's tree routes them to its leaves, and for
    each leaf that holds fewer than ``min_rows`` training rows (real plus
    transfer) candidates falling into it are kept until it holds
    ``min_rows``; the teacher labels them and the student is refit. Rounds
    stop when the fidelity on held-out generated rows stops improving by
    more than ``tol``; the best round's student is kept.

    Parameters
    ----------
    min_rows : int, default=20
        Rows a leaf should hold. Must be >= 1.
    generator : generator, default=None
        Draws the candidates; ``None`` means ``Munge()``.
    size_factor : float, default=1.0
        At most this many rows per real row are added per round.
    n_samples : int, default=None
        At most this many rows are added per round; overrides
        ``size_factor``.
    candidate_factor : float, default=10.0
        Candidates drawn per real row each round (the rows added come from
        them). Must be >= 1.
    n_validation : int, default=None
        Held-out rows for the stopping fidelity; by default as many as real
        rows, at least 1000.
    tol : float, default=0.0
        A round must raise the held-out fidelity by more than ``tol``.
    random_state : int, RandomState instance or None, default=None
        Seeds the candidate draws.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.transfer import LeafRefill
    >>> X, y = make_classification(n_samples=300, random_state=0)
    >>> model = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=20, random_state=0),
    ...     DecisionTreeClassifier(max_depth=6), temperature=1.0, alpha=0.0,
    ...     transfer=LeafRefill(min_rows=10), transfer_rounds=3, random_state=0,
    ... ).fit(X, y)
    >>> model.transfer_fidelity_.shape[0] >= 2
    True
    """

    # Candidates are picked by the student's leaves; only those are labelled.
    needs_candidate_targets = False

    def __init__(
        self,
        min_rows=20,
        generator=None,
        *,
        size_factor=1.0,
        n_samples=None,
        candidate_factor=10.0,
        n_validation=None,
        tol=0.0,
        random_state=None,
    ):
        super().__init__(
            generator,
            size_factor=size_factor,
            n_samples=n_samples,
            candidate_factor=candidate_factor,
            n_validation=n_validation,
            tol=tol,
            random_state=random_state,
        )
        self.min_rows = min_rows

    def check_params(self):
        """Validate the parameters (raises ValueError/TypeError)."""
        super().check_params()
        check_int(self.min_rows, "min_rows", low=1)

    def n_candidates(self, n_rows, n_add):
        """Candidates drawn per round."""
        return max(n_add, int(np.ceil(float(self.candidate_factor) * n_rows)))

    def select(
        self, student, X_trained, X_cand, cand_targets, student_out, n_add, classification=True
    ):
        """Indices of the candidates that refill the student's sparse leaves
        (at most ``n_add``), and a note for the log."""
        trained = _tree_leaves(student, X_trained)
        leaves = _tree_leaves(student, X_cand)
        n_nodes = int(max(trained.max(), leaves.max())) + 1
        deficit = np.maximum(int(self.min_rows) - np.bincount(trained, minlength=n_nodes), 0)
        order = np.argsort(leaves, kind="stable")
        sorted_leaves = leaves[order]
        starts = np.searchsorted(sorted_leaves, sorted_leaves, side="left")
        rank = np.arange(len(order)) - starts  # position within its leaf
        keep = order[rank < deficit[sorted_leaves]]
        picked = np.sort(keep)[: int(n_add)]
        n_sparse = int(np.count_nonzero(deficit[np.unique(trained)]))
        return picked, f"{n_sparse} leaves under {self.min_rows} rows"
