"""Adversarial transfer rounds: add the rows where the student disagrees
most with the teacher, refit, keep the best round on held-out rows.

Runs after the first student fit of :mod:`skdistill._distill`, with the
steps of :mod:`skdistill._fit_steps`.
"""

from functools import partial

import numpy as np
from sklearn.base import clone
from sklearn.metrics import r2_score
from sklearn.utils import Bunch, _safe_indexing, check_random_state

from . import _fit_steps as steps
from ._labeling import concatenate_rows, n_rows_of, predict_in_batches


def _outputs(task, student, X_rows, features, gives_proba):
    function = partial(
        steps.student_outputs,
        task.strategy if task.classification else None,
        student,
        task.classes,
        features,
        gives_proba,
    )
    return predict_in_batches(
        function,
        X_rows,
        batch_size=task.batch_size,
        n_jobs=task.n_jobs,
        what="rows with the student",
    )


def _fidelity(task, predicted, reference):
    if task.classification:
        return float(np.mean(predicted.argmax(axis=1) == reference.argmax(axis=1)))
    return float(r2_score(reference, predicted))


def _append(rows, new_rows):
    return new_rows if rows is None else concatenate_rows([rows, new_rows])


def adversarial_rounds(
    task,
    teacher,
    student,
    sampler,
    n_rounds,
    first,
    *,
    targets,
    transfer=(None, None),
    temperature=1.0,
    features=None,
    gives_proba=True,
    log=print,
):
    """Rounds of disputed rows after a first student fit.

    Parameters
    ----------
    task : skdistill._fit_steps.Task
    teacher : fitted teacher
    student : the prepared (unfitted) student, cloned per round
    sampler : AdversarialSampler (seeded clone)
    n_rounds : int
    first : the student fitted on the real and initial transfer rows
    targets : the real rows' targets
    transfer : ``(X_transfer, transfer_targets)`` of the first fit
    temperature : float
        Temperature of the transfer rows' targets.
    features, gives_proba : the student's columns and output kind
    log : callable

    Returns
    -------
    Bunch with ``student`` (the one of the best round), ``n_transfer_samples``,
    ``fidelity`` (held-out fidelity after each round run) and ``best_round``.
    """
    rng = check_random_state(sampler.random_state)
    n_real = n_rows_of(task.X)
    X_valid = _candidates(sampler, task, sampler.validation_size(n_real), rng)
    reference = steps.label_rows(task, teacher, X_valid, temperature)
    fidelity = [_fidelity(task, _outputs(task, first, X_valid, features, gives_proba), reference)]
    log(f"round 0: held-out fidelity {fidelity[0]:.4f}")
    best_round, kept = 0, (first, transfer[0])
    current, (X_transfer, transfer_targets) = first, transfer
    n_add = sampler.rows_per_round(n_real)
    n_candidates = sampler.n_candidates(n_real, n_add)
    # The rows the current student was fitted on (LeafRefill counts them per leaf).
    X_trained = task.X if X_transfer is None else concatenate_rows([task.X, X_transfer])
    for round_ in range(1, n_rounds + 1):
        X_cand = _candidates(sampler, task, n_candidates, rng)
        new_rows, new_targets, note = _pick_rows(
            task,
            teacher,
            sampler,
            current,
            (X_trained, X_cand),
            n_add,
            temperature,
            features,
            gives_proba,
        )
        if new_rows is None:
            log(f"round {round_}: no candidate to add ({note})")
            break
        X_transfer = _append(X_transfer, new_rows)
        transfer_targets = _append(transfer_targets, new_targets)
        rows = steps.stack_rows(task.X, targets, task.sample_weight, X_transfer, transfer_targets)
        current = steps.fit_student(
            task, clone(student), *rows, features=features, teacher=teacher
        )
        X_trained = rows[0]
        fidelity.append(
            _fidelity(task, _outputs(task, current, X_valid, features, gives_proba), reference)
        )
        added = n_rows_of(new_rows)
        log(f"round {round_}: +{added} rows ({note}), held-out fidelity {fidelity[-1]:.4f}")
        if fidelity[-1] <= fidelity[best_round] + float(sampler.tol):
            break
        best_round, kept = round_, (current, X_transfer)
    if best_round != len(fidelity) - 1:
        log(f"kept the student of round {best_round}")
    return Bunch(
        student=kept[0],
        fidelity=np.asarray(fidelity),
        best_round=best_round,
        n_transfer_samples=0 if kept[1] is None else n_rows_of(kept[1]),
    )


def _candidates(sampler, task, n_rows, rng):
    """``n_rows`` candidate rows in X's form: candidates come back as arrays
    for polars X, and the teacher and student must see the feature names
    they were fitted on."""
    return concatenate_rows(
        [sampler.sample_candidates(task.X, n_rows, random_state=rng)], like=task.X
    )


def _pick_rows(task, teacher, sampler, current, rows, n_add, temperature, features, gives_proba):
    """``(new rows, their targets, note)`` the sampler picks among the
    candidates (``(None, None, note)`` when it picks none). ``rows`` is
    ``(X_trained, X_cand)``: the rows the current student was fitted on and
    the candidates."""
    X_trained, X_cand = rows
    # Only the adversarial sampler needs every candidate labelled; leaf
    # refill picks by the student's leaves and labels the picked rows.
    cand_targets = student_out = None
    if sampler.needs_candidate_targets:
        cand_targets = steps.label_rows(task, teacher, X_cand, temperature)
        student_out = _outputs(task, current, X_cand, features, gives_proba)
    picked, note = sampler.select(
        current,
        steps.select_columns(X_trained, features),
        steps.select_columns(X_cand, features),
        cand_targets,
        student_out,
        n_add,
        classification=task.classification,
    )
    if len(picked) == 0:
        return None, None, note
    new_rows = _safe_indexing(X_cand, picked)
    if cand_targets is not None:
        return new_rows, cand_targets[picked], note
    return new_rows, steps.label_rows(task, teacher, new_rows, temperature), note
