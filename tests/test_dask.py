"""Distillation through a real dask.distributed cluster (joblib's dask backend)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier
from skdistill.transfer import Munge

distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")


@pytest.fixture(scope="module")
def client():
    # Worker processes on the loopback interface only; no dashboard.
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def test_distil_through_a_local_cluster(client):
    X, y = make_classification(n_samples=300, n_features=6, random_state=0)

    def model(n_jobs):
        return DistilledClassifier(
            RandomForestClassifier(n_estimators=20),
            DecisionTreeClassifier(max_depth=5),
            teacher_targets="oof",
            cv=3,
            transfer=Munge(size_factor=4),
            transfer_rounds=1,
            batch_size=200,
            n_jobs=n_jobs,
            random_state=0,
        )

    local = model(1).fit(X, y)  # in-process reference
    with distributed.get_task_stream(client) as tasks:
        with joblib.parallel_config(backend="dask"):
            remote = model(2).fit(X, y)
    # folds of the teacher and batches of labelling ran on the workers
    assert len(tasks.data) >= 4
    workers = {task["worker"] for task in tasks.data}
    assert len(workers) == 2
    assert remote.n_transfer_samples_ == local.n_transfer_samples_
    assert_allclose(remote.transfer_fidelity_, local.transfer_fidelity_)
    assert_allclose(remote.predict_proba(X), local.predict_proba(X))
    assert np.mean(remote.predict(X) == remote.teacher_.predict(X)) > 0.8
