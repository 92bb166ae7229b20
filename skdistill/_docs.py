"""Docstring parts shared by the distilled estimators (kept apart so that
``_distill.py`` holds code)."""

COMMON_PARAMS_DOC = """
    teacher_targets : {"auto", "in_sample", "oof", "oob"}, default="auto"
        Where the teacher's outputs on the training rows come from.
        ``"in_sample"``: the teacher fit on all rows labels the same rows.
        ``"oof"``: out-of-fold outputs from ``cv`` clones of the teacher, then
        a final teacher is refit on all rows. ``"oob"``: out-of-bag outputs of a
        bagging ensemble (no extra fit). ``"auto"``: ``"in_sample"`` for a
        ``FrozenEstimator`` or ``BlackBoxTeacher`` teacher (the only source
        they allow), ``"oob"`` for ensembles with an
        ``oob_score`` parameter and ``bootstrap=True``, else ``"oof"``.
        In-sample outputs of flexible teachers (forests, boosting) are close
        to the true labels on their own training rows; out-of-fold and
        out-of-bag outputs carry the teacher's honest uncertainty.
    cv : int, cross-validation generator or iterable, default=5
        Folds for ``teacher_targets="oof"``, as in
        :func:`sklearn.model_selection.cross_val_predict`. With metadata
        routing enabled, ``fit(X, y, groups=...)`` reaches ``cv.split``
        when the splitter requests it (e.g. ``GroupKFold``), and the
        ``"auto"`` tuner's validation folds then keep each group whole.
    transfer : "auto", generator, array-like, list of these, or None, \
default="auto"
        ``"auto"``: chosen on validation folds (see above) between
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
        The fitted teacher (the ``FrozenEstimator`` or ``BlackBoxTeacher``
        itself when one was given).
    student_ : estimator
        The fitted student. For the regression strategies of a classifier it
        may be a ``MultiOutputRegressor`` around a clone of ``student``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.
    target_summary_ : dict
        ``"source"`` of the teacher targets and summary statistics of them:
        ``"mean_confidence"``, ``"mean_entropy"`` and ``"teacher_accuracy"``
        (classification) or ``"teacher_r2"`` (regression). A plain dict, as
        are the entries of ``tune_results_``, so that skops loads the model
        with :func:`skdistill.io.trusted_types`.
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
    tune_results_ : list of dict
        Per candidate tried for the ``"auto"`` parameters: ``name``,
        ``params``, ``score`` (validation accuracy or R²), ``fidelity`` to
        the inner teacher, ``gain`` (mean per-row loss reduction over
        "labels only") and ``gain_std_error``. Empty without tuning.
"""


CLASSIFIER_DOC = (
    """Distil a classification teacher into a (small) student classifier.

    The teacher is fit (or taken as is when wrapped in
    :class:`sklearn.frozen.FrozenEstimator`), its logits on the training rows
    are softened by ``temperature`` and mixed with the true labels by
    ``alpha``, and the student is trained on these soft targets.

    **"auto" parameters** (the defaults of ``temperature``, ``alpha`` and
    ``transfer``) are chosen on validation folds of the training rows, at no
    extra teacher fit: with out-of-fold targets the tuner uses the first 3
    folds of ``cv`` and the teacher fitted without each of them; otherwise
    (out-of-bag, in-sample, frozen teacher) 3 stratified folds seeded by
    ``random_state`` (one 20% split from 20 000 rows) with the one teacher.
    Per fold, one student per candidate -- labels only (``alpha=1``), soft
    targets (``alpha=0``) at temperature 1 and 2, then a MUNGE transfer set
    at the better of the two temperatures (not for linear students) -- is
    trained on the teacher's targets of the other rows and predicts the
    held-out rows, scored against the true labels. A distilled candidate
    replaces "labels only" only when its accuracy gain is larger than one
    standard error of the paired difference, so distillation is used where
    it helps on validation and the student learns the labels otherwise;
    the student is then fit on all rows with the winner
    (``tuned_params_``, ``tune_results_``, ``tune_time_``). This costs up to
    four student fits per fold and no teacher fit. Set the parameters to
    numbers (``temperature=1.0, alpha=0.0, transfer=None`` is plain
    distillation) to skip it, e.g. when searching them with
    ``GridSearchCV``. Below 100 rows (or with a class of one row) the
    fallback values ``temperature=1.0, alpha=0.0, transfer=None`` are used.
    The rule, its small optimism and its evidence: ``docs/benchmarks.md``.

    Parameters
    ----------
    teacher : classifier
        Any scikit-learn classifier or Pipeline ending in one. It is cloned
        before fitting. To use an already fitted teacher without refitting
        it, pass ``FrozenEstimator(fitted_teacher)``; for a model you can
        only call (a REST endpoint, another library), pass
        :class:`~skdistill.BlackBoxTeacher`. The object you pass is never
        modified.
    student : estimator
        The model to train: a native soft student from
        :mod:`skdistill.students`, any classifier, or any regressor.
    temperature : "auto" or float >= 1e-3, default="auto"
        Teacher logits are divided by it before the softmax; values above 1
        soften the targets and show the student how the teacher ranks the
        wrong classes. ``"auto"``: 1 or 2, chosen on validation.
    alpha : "auto" or float in [0, 1], default="auto"
        Weight of the one-hot true labels in the targets:
        ``(1 - alpha) * soft + alpha * onehot``. ``alpha=1`` is plain
        training on ``y``. ``"auto"``: 0 or 1 (labels only), chosen on
        validation.
"""
    + COMMON_PARAMS_DOC.replace(
        "    transfer :",
        """    student_fit : {"auto", "native", "logit_regression", "proba_regression", \
"replication", "hard"}, default="auto"
        How the student learns soft targets. ``"auto"``: ``"native"`` for
        students that take probability matrices, ``"logit_regression"`` for
        regressors, ``"replication"`` (each row once per class, weighted by
        the target probability: the exact soft cross-entropy) for classifiers
        that accept ``sample_weight``, else ``"hard"`` (argmax labels).
    transfer :""",
        1,
    )
    + """
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    student_fit_ : str
        The strategy used to feed the student.
    temperature_ : float
        The temperature of the targets (the chosen one when
        ``temperature="auto"``). ``predict_proba`` and ``decision_function``
        undo it (logits times ``temperature_``) unless ``alpha_`` is 1.
"""
    + COMMON_ATTRIBUTES_DOC
    + """
    See Also
    --------
    DistilledRegressor : the same for regression teachers.
    DistilledEstimator : follows the teacher's type.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=50, random_state=0),
    ...     DecisionTreeClassifier(max_depth=3), random_state=0,
    ... ).fit(X, y)
    >>> sorted(model.tuned_params_)  # the "auto" settings, chosen on validation
    ['alpha', 'temperature', 'transfer']
    >>> model.student_fit_, model.target_summary_["source"]
    ('replication', 'oob')

    Plain distillation at a fixed temperature (nothing tuned):

    >>> model = model.set_params(temperature=2.0, alpha=0.0, transfer=None).fit(X, y)
    >>> round(model.score(X, y), 2)
    0.95

    With a MUNGE transfer set: 5 synthetic rows per training row, labelled
    by the teacher, are added to the student's training data.

    >>> from skdistill.transfer import Munge
    >>> model = model.set_params(transfer=Munge(size_factor=5)).fit(X, y)
    >>> model.n_transfer_samples_
    2845
"""
)


REGRESSOR_DOC = (
    """Distil a regression teacher into a (small) student regressor.

    The student learns the teacher's predictions on the training rows, mixed
    with the true values by ``alpha``. Multi-output targets are supported
    when both teacher and student support them.

    **"auto" parameters** (the defaults of ``alpha`` and ``transfer``) are
    chosen on validation folds of the training rows as in
    :class:`DistilledClassifier`, at no extra teacher fit: labels only
    (``alpha=1``), the teacher's outputs (``alpha=0``), then with a MUNGE
    transfer set (not for linear students), scored by R² against the true
    values; a distilled candidate replaces "labels only" only when its gain
    in squared error is larger than one standard error of the paired
    difference (``tuned_params_``, ``tune_results_``, ``tune_time_``). Set
    the parameters to numbers (``alpha=0.0, transfer=None`` is plain
    distillation) to skip it. Below 100 rows the fallback values
    ``alpha=0.0, transfer=None`` are used. The rule and its evidence:
    ``docs/benchmarks.md``.

    Parameters
    ----------
    teacher : regressor
        Any scikit-learn regressor or Pipeline ending in one; cloned before
        fitting, or used as is when wrapped in
        :class:`sklearn.frozen.FrozenEstimator` (or, for a function you can
        only call, :class:`~skdistill.BlackBoxTeacher`).
    student : regressor
        The model to train on the teacher's outputs.
    alpha : "auto" or float in [0, 1], default="auto"
        Weight of the true values: ``(1 - alpha) * teacher + alpha * y``.
        ``"auto"``: 0 or 1 (labels only), chosen on validation.
"""
    + COMMON_PARAMS_DOC
    + """
    Attributes
    ----------
"""
    + COMMON_ATTRIBUTES_DOC
    + """
    See Also
    --------
    DistilledClassifier : the same for classification teachers.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.ensemble import RandomForestRegressor
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skdistill import DistilledRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = DistilledRegressor(
    ...     RandomForestRegressor(n_estimators=50, random_state=0),
    ...     DecisionTreeRegressor(max_depth=3), random_state=0,
    ... ).fit(X, y)
    >>> model.target_summary_["source"]
    'oob'
    >>> model.predict(X[:2]).shape
    (2,)
"""
)


ESTIMATOR_DOC = """Distil any teacher: a :class:`DistilledClassifier` for a classification
    teacher, a :class:`DistilledRegressor` for a regression teacher.

    Its estimator type and tags follow the teacher, as a Pipeline's follow
    its last step, so it is a classifier to ``is_classifier``, scorers and
    cross-validation exactly when the teacher is. ``temperature`` and
    ``student_fit`` are used for classification teachers only.

    Parameters
    ----------
    teacher : estimator
        A classifier or regressor (or a Pipeline ending in one), cloned
        before fitting; wrap a fitted one in ``FrozenEstimator`` to use it
        as is.
    student : estimator
        The model to train.
    temperature : "auto" or float >= 1e-3, default="auto"
        See :class:`DistilledClassifier`.
    alpha : "auto" or float in [0, 1], default="auto"
        Weight of the true labels or values in the targets; ``"auto"``
        chooses on validation folds (see :class:`DistilledClassifier`).
    teacher_targets : {"auto", "in_sample", "oof", "oob"}, default="auto"
        See :class:`DistilledClassifier`.
    cv : int, cross-validation generator or iterable, default=5
        Folds for out-of-fold targets.
    student_fit : str, default="auto"
        See :class:`DistilledClassifier`.
    transfer : "auto", generator, array-like, list of these, or None, \
default="auto"
        Rows labelled by the teacher alone; see :class:`DistilledClassifier`.
    transfer_rounds : int, default=0
        Adversarial rounds; see :class:`DistilledClassifier`.
    feature_budget : int, default=None
        Number of features the student may use; see :class:`DistilledClassifier`.
    batch_size : int, default=10_000
        Rows per labelling call; see :class:`DistilledClassifier`.
    random_state : int, RandomState instance or None, default=None
        Seeds the unset random states of the teacher, student and generator
        clones.
    n_jobs : int, default=None
        Jobs for the out-of-fold teacher fits and the labelling.
    verbose : int, default=0
        Print the steps of ``fit``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (classification teachers only).
    teacher_, student_, student_fit_, target_summary_, n_transfer_samples_ :
        As in :class:`DistilledClassifier` / :class:`DistilledRegressor`, as
        are the transfer and feature-budget attributes.

    Examples
    --------
    >>> from sklearn.base import is_classifier
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import GradientBoostingClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdistill import DistilledEstimator
    >>> X, y = load_iris(return_X_y=True)
    >>> model = DistilledEstimator(
    ...     GradientBoostingClassifier(n_estimators=20, random_state=0),
    ...     LogisticRegression(max_iter=1000), temperature=2.0, alpha=0.0,
    ...     transfer=None, random_state=0,
    ... )
    >>> is_classifier(model)
    True
    >>> model.fit(X, y).predict_proba(X[:1]).shape
    (1, 3)
    """
