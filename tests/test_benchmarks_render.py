"""The benchmark document: sections of their own are rewritten one by one."""

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import run  # noqa: E402


def test_write_doc_replaces_only_the_given_section(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(
        f"# T\n\n{run.START}\nsuite tables\n{run.END}\n\n"
        "<!-- results:churn:start -->\nold churn\n<!-- results:churn:end -->\n\nafter\n"
    )
    run.write_doc(doc, None, {"churn": "new churn", "search": "search table"})
    text = doc.read_text()
    # body None keeps the suite's tables; churn replaced in place; search appended
    assert "suite tables" in text and "old churn" not in text and "new churn" in text
    assert text.index("new churn") < text.index("after") < text.index("search table")
    assert text.count("<!-- results:search:start -->") == 1
    assert "## Results: search" in text
    run.write_doc(doc, None, {"search": "second search"})
    text = doc.read_text()
    assert "search table" not in text and text.count("## Results: search") == 1


def test_render_sections_skips_missing_results(tmp_path):
    assert run.render_sections(tmp_path) == {}


def test_only_accepts_section_benchmarks(tmp_path):
    # an unknown name is refused, a section name is accepted (nothing to render)
    try:
        run.main(["--only", "nope", "--render-only", "--out-dir", str(tmp_path), "--doc", ""])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("an unknown benchmark name must be refused")
    out = run.main(["--only", "churn", "--render-only", "--out-dir", str(tmp_path), "--doc", ""])
    assert out.strip() == ""


def test_student_table_quick(tmp_path):
    import _harness
    import pytest

    if not (_harness.DATASETS / "magic.tsv.gz").exists():
        pytest.skip(f"shared datasets not found in {_harness.DATASETS}")
    import bench_student_table

    rows = bench_student_table.main(["--quick", "--json", str(tmp_path / "t.json")])
    by_name = {row["student"]: row for row in rows}
    assert len(rows) == 8 and (tmp_path / "t.json").exists()
    # soft targets keep a deep tree's leaves uncertain: far lower KL than on labels
    soft_kl, hard_kl = (
        float(v.strip("()"))
        for v in by_name["SoftDecisionTreeClassifier(max_depth=8)"]["KL soft (hard)"].split()
    )
    assert soft_kl < hard_kl
    assert all(0.5 < row["test accuracy"] <= 1 for row in rows)
