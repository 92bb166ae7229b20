"""Disagreement-driven transfer rows: the student's mistakes pick the next rows."""

import numpy as np
from sklearn.base import BaseEstimator

from .._validation import check_int, check_option, check_real
from ._generators import Munge, is_generator

DISAGREEMENTS = ("kl", "l1")
# Probabilities are clipped to this before taking logs in the KL divergence.
_EPS = 1e-7


class AdversarialSampler(BaseEstimator):
    """Pick the candidate rows where the student disagrees most with the teacher.

    Used by the adversarial rounds of :class:`skdistill.DistilledClassifier`
    (and the regressor) when ``transfer_rounds >= 1``: after the student is
    fit, ``generator`` draws candidate rows around the real rows, the teacher
    labels them, and the rows on which the student's outputs are furthest
    from the teacher's (the *discriminator*: KL divergence or L1 distance
    between the class probabilities, squared error for regression) join the
    transfer set; the student is then refit. Rounds stop after
    ``transfer_rounds`` or as soon as the student's fidelity to the teacher
    on held-out rows stops improving by more than ``tol``; the student of the
    best round is kept.

    The held-out rows are ``n_validation`` fresh rows from ``generator``,
    drawn once before the rounds, labelled by the teacher and never trained
    on: the rows among which the transfer set is chosen, but not the chosen
    ones.

    Parameters
    ----------
    generator : generator, default=None
        Draws the candidates (a :class:`Munge`, :class:`GaussianNoise`, ...).
        ``None`` means ``Munge()``. Its own size parameters are ignored.
    size_factor : float, default=1.0
        Rows added per round per real row. Must be > 0.
    n_samples : int, default=None
        Exact number of rows added per round; overrides ``size_factor``.
    candidate_factor : float, default=5.0
        Candidates drawn per added row; the most disputed
        ``1 / candidate_factor`` of them are kept. Must be >= 1.
    disagreement : {"kl", "l1"}, default="kl"
        ``"kl"``: KL divergence from the teacher's probabilities to the
        student's; ``"l1"``: sum of absolute differences. Regression always
        uses the squared difference of the predictions.
    n_validation : int, default=None
        Held-out rows for the fidelity that decides when to stop; by default
        as many as real rows, at least 1000.
    tol : float, default=0.0
        A round must raise the held-out fidelity by more than ``tol`` for the
        rounds to go on. Must be >= 0.
    random_state : int, RandomState instance or None, default=None
        Seeds the candidate draws (seeded from the distilled estimator's
        ``random_state`` when None).

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.transfer import AdversarialSampler
    >>> teacher = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])
    >>> student = np.array([[0.9, 0.1], [0.9, 0.1], [0.3, 0.7]])
    >>> sampler = AdversarialSampler()
    >>> scores = sampler.disagreement_scores(teacher, student)
    >>> sampler.most_disputed(scores, 1)
    array([1])
    """

    def __init__(
        self,
        generator=None,
        *,
        size_factor=1.0,
        n_samples=None,
        candidate_factor=5.0,
        disagreement="kl",
        n_validation=None,
        tol=0.0,
        random_state=None,
    ):
        self.generator = generator
        self.size_factor = size_factor
        self.n_samples = n_samples
        self.candidate_factor = candidate_factor
        self.disagreement = disagreement
        self.n_validation = n_validation
        self.tol = tol
        self.random_state = random_state

    def check_params(self):
        """Validate the parameters (raises ValueError/TypeError)."""
        if self.generator is not None and not is_generator(self.generator):
            raise TypeError(
                "generator must be None or a transfer-set generator with a sample "
                f"method (e.g. Munge()), got {self.generator!r}"
            )
        if self.n_samples is None:
            check_real(self.size_factor, "size_factor", low=0, low_inclusive=False)
        else:
            check_int(self.n_samples, "n_samples", low=1)
        check_real(self.candidate_factor, "candidate_factor", low=1)
        check_option(self.disagreement, "disagreement", DISAGREEMENTS)
        check_int(self.n_validation, "n_validation", low=1, allow_none=True)
        check_real(self.tol, "tol", low=0)
        if self.generator is not None:
            self.generator._check_params()

    def rows_per_round(self, n_rows):
        """Rows added to the transfer set each round."""
        if self.n_samples is not None:
            return int(self.n_samples)
        return max(1, int(round(float(self.size_factor) * n_rows)))

    def validation_size(self, n_rows):
        """Held-out rows for the stopping fidelity."""
        return int(self.n_validation) if self.n_validation is not None else max(n_rows, 1000)

    def sample_candidates(self, X, n_samples, random_state=None):
        """``n_samples`` candidate rows around X from ``generator``."""
        # The generator itself (not a clone) keeps what it caches between
        # calls, e.g. Munge's nearest neighbours of X, across the rounds.
        generator = self.generator
        if generator is None:
            generator = self.__dict__.setdefault("_default_generator", Munge())
        return generator.sample(X, n_samples=n_samples, random_state=random_state)

    def disagreement_scores(self, teacher, student):
        """Per-row disagreement between teacher and student outputs.

        Parameters
        ----------
        teacher, student : ndarray of shape (n_rows, n_classes) or (n_rows,)
            Class probabilities (2-D) or regression predictions (1-D, or 2-D
            for several outputs when ``regression=True``).

        Returns
        -------
        scores : ndarray of shape (n_rows,)
            Larger means more disputed.
        """
        teacher = np.asarray(teacher, dtype=np.float64)
        student = np.asarray(student, dtype=np.float64)
        if teacher.shape != student.shape:
            raise ValueError(
                f"teacher and student outputs must have the same shape, got "
                f"{teacher.shape} and {student.shape}"
            )
        if teacher.ndim == 1:
            return (teacher - student) ** 2
        if self.disagreement == "l1":
            return np.abs(teacher - student).sum(axis=1)
        p = np.clip(teacher, _EPS, 1.0)
        q = np.clip(student, _EPS, 1.0)
        return np.sum(teacher * (np.log(p) - np.log(q)), axis=1)

    def regression_scores(self, teacher, student):
        """Mean squared difference per row of (multi-output) predictions."""
        teacher = np.asarray(teacher, dtype=np.float64)
        student = np.asarray(student, dtype=np.float64)
        # (n,) and (n, 1) outputs of the same single target must not broadcast
        diff = teacher.reshape(len(teacher), -1) - student.reshape(len(student), -1)
        return np.mean(diff**2, axis=1)

    # The teacher labels every candidate: the disagreement needs its targets.
    needs_candidate_targets = True

    def n_candidates(self, n_rows, n_add):
        """Candidates drawn per round: ``candidate_factor`` per added row."""
        return int(np.ceil(n_add * float(self.candidate_factor)))

    def select(
        self, student, X_trained, X_cand, cand_targets, student_out, n_add, classification=True
    ):
        """Indices of the ``n_add`` most disputed candidates, and a note for
        the log. ``student`` and ``X_trained`` (the rows it was fitted on)
        are not needed here; :class:`LeafRefill` uses them."""
        scores = (
            self.disagreement_scores(cand_targets, student_out)
            if classification
            else self.regression_scores(cand_targets, student_out)
        )
        picked = self.most_disputed(scores, n_add)
        return picked, f"mean disagreement {scores[picked].mean():.4g}"

    @staticmethod
    def most_disputed(scores, n):
        """Indices of the ``n`` largest scores, in increasing index order
        (ties broken by the lower index, so the choice is deterministic)."""
        scores = np.asarray(scores)
        n = min(int(n), len(scores))
        order = np.argsort(-scores, kind="stable")[:n]
        return np.sort(order)
