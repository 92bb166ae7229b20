"""One tiny case of each benchmark script's core function: the tables have
the expected columns and sane numbers (the full suite is ``python -m
benchmarks``)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _data  # noqa: E402


def _require(*names):
    """Skip, saying why, unless each data set is local or can be fetched
    from OpenML (see benchmarks/_data.py)."""
    for name in names:
        try:
            if name in _data.OPENML:
                _data.pmlb_frame(name)
            else:
                _data.load_born_again(name)
        except _data.DataUnavailable as exc:
            pytest.skip(str(exc))


@pytest.fixture(autouse=True)
def _one_thread():
    from _protocol import limited_threads

    with limited_threads():
        yield


def test_compression_one_problem():
    _require("letter")
    import bench_compression
    from _protocol import kdd06_problems

    name, X, y = next(kdd06_problems(("letter.p1",)))
    rows = bench_compression.run_problem(
        name, X[:2500], y[:2500], quick=True, n_train=400, n_valid=300, verbose=False
    )
    expected = {
        "problem",
        "student",
        "config",
        "val acc",
        "accuracy",
        "fidelity",
        "RMSE",
        "fit s",
        "RMSE ratio",
        "acc ratio",
        "Δacc vs labels (pts)",
    }
    assert expected <= set(rows[1])
    configs = {r["config"] for r in rows}
    assert {"labels", "soft, T=1", "+MUNGE 10x, T=1", "+RANDOM 10x, T=1"} <= configs
    assert any(c.startswith("defaults (auto) -> ") for c in configs)
    for row in rows:
        assert 0.5 <= row["accuracy"] <= 1 and 0.5 <= row["fidelity"] <= 1
        assert 0 <= row["RMSE"] < 0.5
    # 'O' is ~4% of the letters: a useful model beats the majority class.
    assert rows[0]["accuracy"] > 0.96
    labels = next(r for r in rows[1:] if r["config"] == "labels")
    assert labels["RMSE ratio"] == 0 and labels["Δacc vs labels (pts)"] == 0
    summary = bench_compression.summary(rows)
    assert len(summary) == 2  # tree and logistic students
    assert {"val-selected", "defaults acc", "teacher acc"} <= set(summary[0])


def test_born_again_one_dataset():
    _require("Seeds")
    import bench_born_again

    row = bench_born_again.run_dataset("Seeds", n_folds=2, verbose=False)
    assert row["paper BA leaves"] == 21.5
    assert 2 <= row["student leaves"] <= max(bench_born_again.LEAF_GRID)
    assert 0.8 <= row["test fid"] <= 1 and 0.5 <= row["student acc"] <= 1
    assert 0.5 <= row["CART acc (same size)"] <= 1
    assert isinstance(row["fid>=.97 & leaves<=paper"], bool)


def test_large_subsampled():
    _require("adult", "537_houses")
    import bench_large

    rows = bench_large.run(quick=True, n_rows=1200, verbose=False)
    assert {r["dataset"] for r in rows} == {"adult", "537_houses"}
    assert {"student", "config", "test score", "Δ vs labels (pts)"} <= set(rows[1])
    for row in rows:
        low = 0.5 if row["task"] == "accuracy" else 0.2
        assert low <= row["test score"] <= 1, row
    assert any(r["config"].startswith("defaults (auto) -> ") for r in rows)


def test_speed_latency_small():
    _require("magic")
    import bench_speed

    rows, acc = bench_speed.bench_latency(n_trees=30, repeats=3, n_rows=2000)
    assert [r["what"] for r in rows] == [
        "predict_proba, 1 row",
        "predict_proba, 10 000 rows",
        "pickled bytes",
        "tree nodes",
    ]
    # 30 full-depth trees against one depth-6 tree: smaller by far.
    assert rows[2]["ratio (teacher/student)"] > 10 and rows[3]["ratio (teacher/student)"] > 10
    assert rows[1]["ratio (teacher/student)"] > 1
    assert 0.6 <= acc["fidelity"] <= 1


def test_render_and_write_doc(tmp_path):
    import run
    from _harness import write_json

    rows = [
        {"problem": "p", "student": "teacher (HGB+RF)", "config": "{}", "fit s": 10.0},
        {
            "problem": "p",
            "student": "s",
            "config": "labels",
            "accuracy": 0.9,
            "Δacc vs labels (pts)": 0.0,
            "fit s": 0.1,
        },
        {
            "problem": "p",
            "student": "s",
            "config": "soft, T=1",
            "accuracy": 0.91,
            "Δacc vs labels (pts)": 1.0,
            "fit s": 2.0,
        },
        {
            "problem": "p",
            "student": "s",
            "config": "soft, T=2",
            "accuracy": 0.905,
            "Δacc vs labels (pts)": 0.5,
            "fit s": 8.0,
        },
        {
            "problem": "p",
            "student": "s",
            "config": "defaults (auto) -> T=2, no transfer",
            "accuracy": 0.905,
            "Δacc vs labels (pts)": 0.5,
            "fit s": 18.0,
        },
    ]
    write_json(
        tmp_path / "compression.json",
        "compression",
        rows,
        summary=[{"problem": "p", "student": "s"}],
        quick=True,
    )
    body = run.render(tmp_path)
    assert "### Model Compression protocol: summary" in body and "quick mode" in body
    evidence = run.defaults_evidence(
        {"compression": json.loads((tmp_path / "compression.json").read_text())}
    )
    # the plain fit used a frozen teacher: its one teacher fit (10 s) is added
    assert evidence == [
        {
            "case": "p",
            "student": "s",
            "defaults chose": "T=2, no transfer",
            "Δ defaults vs labels (pts)": 0.5,
            "Δ plain (T=1, no transfer) vs labels (pts)": 1.0,
            "not worse by > 0.3": True,
            "defaults s / plain s": 1.5,
            # the chosen setting's fit (soft, T=2: 8 s) plus the teacher's
            "defaults s / chosen setting s": 1.0,
        }
    ]
    doc = tmp_path / "doc.md"
    doc.write_text(f"# Title\n\nintro\n\n{run.START}\nold\n{run.END}\n\nafter\n")
    run.write_doc(doc, body)
    text = doc.read_text()
    assert "intro" in text and "after" in text and "old" not in text
    assert text.count(run.START) == 1 and "### Model Compression" in text


def test_entry_point_help():
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--help"],
        cwd=BENCHMARKS.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "--quick" in out.stdout and "--render-only" in out.stdout
