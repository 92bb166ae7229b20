"""The shared parameter and attribute sections of the GAM students' docstrings."""

PARAMETERS_DOC = """
    Parameters
    ----------
    max_bins : int, default=64
        Most bins per feature (quantile bins; one bin per distinct value when
        a feature has at most ``max_bins`` values). Missing values (NaN) get
        a bin of their own.
    max_leaves : int or None, default=3
        Each round, a feature's bins are cut into at most this many runs of
        adjacent bins (greedily, by Newton gain), each run taking one step:
        EBM's small tree per feature. None gives every bin its own step
        (faster to fit the training rows, quicker to overfit them).
    interactions : int, default=0
        Number of feature pairs to model after the main effects (GA2M, Lou
        et al., KDD 2013): the pairs with the largest FAST gain at the
        residuals of the main-effects model, each boosted like a feature with
        one cut on each of its two features per round (four quadrants). 0
        keeps the model a pure scorecard.
    max_interaction_bins : int, default=32
        Most quantile bins per feature inside a pair.
    learning_rate : float, default=0.1
        Shrinkage of each Newton step. Small steps let features that share
        information split it instead of the first one visited taking all.
    max_rounds : int, default=1000
        Most boosting rounds; each round updates every feature once.
    l2_regularization : float, default=1.0
        Added to every bin's hessian sum (in units of sample weight): bins
        with few rows, or rows predicted with certainty, take smaller steps.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the rows, stop when their loss has
        not improved by ``tol`` for ``n_iter_no_change`` rounds, and keep the
        round with the lowest held-out loss.
    validation_fraction : float in (0, 1), default=0.15
        Share of the (positive-weight) rows held out for early stopping.
    n_iter_no_change : int, default=20
        Patience of early stopping, in rounds.
    tol : float, default=1e-6
        Minimum improvement of the held-out loss.
    random_state : int, RandomState instance or None, default=None
        Seeds the early-stopping split.
"""

ATTRIBUTES_DOC = """
    shape_functions_ : list of dict, one per feature
        ``bin_edges`` (n_bins + 1,): the smallest training value, the cut
        points (a value equal to a cut point belongs to the bin on its left)
        and the largest value; values beyond the ends fall in the end bins.
        ``scores`` (n_bins, n_columns): the feature's additive score per bin;
        ``missing_score`` (n_columns,): the score of NaN (0, the average, when
        training had no NaN); ``bin_weight`` (n_bins,) and ``missing_weight``:
        training weight per bin. Each feature's scores have a weighted mean of
        0 over the training rows.
    interactions_ : list of dict, one per modelled pair
        ``features`` (i, j); ``bin_edges`` (edges of i, edges of j), as in
        ``shape_functions_`` but with ``max_interaction_bins``; ``scores``
        (n_bins_i, n_bins_j, n_columns); ``missing_score``: the score when
        either value is missing (pairs learn nothing from missing values);
        ``bin_weight`` (n_bins_i, n_bins_j). Scores are centred like the
        shape functions but not purified: a pair may hold part of a main
        effect. Empty when ``interactions=0``.
    intercept_ : ndarray of shape (n_columns,)
        Score of the average row: ``decision_function`` is the intercept plus
        each feature's score.
    n_iter_ : int
        Rounds of main effects in the final model (the best round with early
        stopping).
    n_interaction_iter_ : int
        Rounds of pair terms in the final model, boosted after the main
        effects (0 without pairs).
    train_score_ : ndarray of shape (n_rounds_run,)
        Training loss after each round run, main-effect rounds then pair
        rounds.
    validation_score_ : ndarray of shape (n_rounds_run,)
        Held-out loss after each round run (early stopping only).
    feature_importances_ : ndarray of shape (n_features_in_,)
        Mean absolute main-effect score per feature over the training rows,
        normalised to sum to 1 (pairs not included).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X had string column names.
"""
