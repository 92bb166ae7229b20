"""Docstring parts shared by the distilled estimators (kept apart so that
``_distill.py`` holds code)."""

COMMON_PARAMS_DOC = """
    teacher_targets : {"auto", "in_sample", "oof", "oob"}, default="auto"
        Where the teacher's outputs on the training rows come from.
        ``"in_sample"``: the teacher fit on all rows labels the same rows.
        ``"oof"``: out-of-fold outputs from ``cv`` clones of the teacher, then
        a final teacher is refit on all rows. ``"oob"``: out-of-bag outputs of a
        bagging ensemble (no extra fit). ``"auto"``: ``"in_sample"`` for a
        ``FrozenEstimator`` teacher, ``"oob"`` for ensembles with an
        ``oob_score`` parameter and ``bootstrap=True``, else ``"oof"``.
        In-sample outputs of flexible teachers (forests, boosting) are close
        to the true labels on their own training rows; out-of-fold and
        out-of-bag outputs carry the teacher's honest uncertainty.
    cv : int, cross-validation generator or iterable, default=5
        Folds for ``teacher_targets="oof"``, as in
        :func:`sklearn.model_selection.cross_val_predict`.
    transfer : "auto", generator, array-like, list of these, or None, \
default="auto"
        ``"auto"``: chosen on inner validation folds (see above) between
        no transfer set and a MUNGE set of 10x the training rows (at most
        50 000; not tried for linear students, sparse or non-finite X).
        Otherwise: extra rows that the final teacher (``teacher_``, fit on all rows)
        labels and the student learns besides the training rows: a generator
        of :mod:`skdistill.transfer` (e.g. ``Munge(size_factor=10)``, whose
        ``size_factor`` or ``n_samples`` sets how many rows), an array or
        DataFrame of unlabeled rows with X's columns, or a list of these
        (their rows are stacked). Transfer rows get the teacher's targets
        only (tempered probabilities, or predictions for regression; no
        ``alpha`` mixing) and weight 1; real rows keep their targets and
        ``sample_weight``. An :class:`~skdistill.transfer.AdversarialSampler`
        in the list configures the ``transfer_rounds``. Generators need
        dense, finite X.
    transfer_rounds : int, default=0
        Adversarial rounds after the first student fit: candidates drawn
        around the real rows are labelled by the teacher, the rows where the
        student disagrees most with it join the transfer set and the student
        is refit; rounds stop early when the fidelity on held-out generated
        rows stops improving, and the best round's student is kept (see
        :class:`~skdistill.transfer.AdversarialSampler`, the default sampler
        when ``transfer`` holds none).
    feature_budget : int, default=None
        Train the student on only this many features: those the teacher
        relies on most, by the teacher's ``feature_importances_`` when it
        has one per input column, else by permutation importance of the
        teacher against its own predictions, on transfer rows when there are
        any, else on training rows. ``predict`` and friends still take all
        ``n_features_in_`` columns and select them. A budget of at least the
        number of features keeps them all.
    batch_size : int, default=10_000
        Rows per teacher (and student) call when labelling transfer rows, so
        that memory is bounded by the batch; ``None`` labels each worker's
        rows in one call. Batches run in parallel over ``n_jobs`` workers,
        honouring ``joblib.parallel_config`` (e.g. a dask cluster).
    random_state : int, RandomState instance or None, default=None
        Seeds every ``random_state`` parameter of the teacher and student
        clones that is left at None, so that the same ``random_state`` gives
        the same student. Parameters set explicitly are kept. Transfer-set
        generators are seeded the same way.
    n_jobs : int, default=None
        Jobs for the out-of-fold teacher fits and for labelling transfer
        rows (joblib semantics).
    verbose : int, default=0
        Print the steps of ``fit``, their durations, the rows labelled and
        the adversarial rounds; above 1, also joblib's progress.
"""

COMMON_ATTRIBUTES_DOC = """
    teacher_ : estimator
        The fitted teacher (the ``FrozenEstimator`` itself when one was given).
    student_ : estimator
        The fitted student. For the regression strategies of a classifier it
        may be a ``MultiOutputRegressor`` around a clone of ``student``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.
    target_summary_ : Bunch
        ``source`` of the teacher targets and summary statistics of them.
    teacher_fit_time_, student_fit_time_ : float
        Seconds spent fitting the teacher (including out-of-fold fits) and the
        (first) student.
    n_transfer_samples_ : int
        Transfer rows the final student was trained on (0 without transfer).
    transfer_time_ : float
        Seconds spent generating and labelling transfer rows, including the
        adversarial rounds and their student refits.
    transfer_fidelity_ : ndarray of shape (n_rounds_run + 1,)
        With ``transfer_rounds``: agreement of the student with the teacher
        (accuracy to its predictions; R² for regression) on held-out
        generated rows, after the first fit and after each round run.
    best_transfer_round_ : int
        With ``transfer_rounds``: the round whose student was kept.
    student_features_ : ndarray of int
        With ``feature_budget``: the columns the student uses, in X's order.
    student_feature_names_ : ndarray of str
        With ``feature_budget`` and named columns: their names.
    teacher_feature_importances_ : ndarray of shape (n_features_in_,)
        With ``feature_budget``: the teacher's importances that chose them.
    feature_importance_source_ : str
        With ``feature_budget``: ``"feature_importances_"`` or ``"permutation"``.
    alpha_ : float
        The ``alpha`` used (the chosen one when ``alpha="auto"``).
    tune_time_ : float
        Seconds spent choosing the ``"auto"`` settings (0 when none is
        ``"auto"``); not part of ``teacher_fit_time_`` or ``student_fit_time_``.
    tuned_params_ : dict
        The values chosen for the ``"auto"`` parameters (their fallback
        values, ``temperature=1.0``, ``alpha=0.0``, ``transfer=None``, when
        there were too few rows to tune); empty when none was ``"auto"``.
    tune_results_ : list of Bunch
        Per candidate tried for the ``"auto"`` parameters: ``name``,
        ``params``, ``score`` (validation accuracy or R²), ``fidelity`` to
        the inner teacher, ``gain`` (mean per-row loss reduction over
        "labels only") and ``gain_std_error``. Empty without tuning.
"""
