"""The `skdistill demo` job: real numbers, printed as a table."""

import subprocess
import sys


def test_demo_prints_teacher_students_and_baselines():
    result = subprocess.run(
        [sys.executable, "-m", "skdistill", "demo"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    table = [line for line in lines if line.startswith("| ") and "model" not in line]
    names = [line.split("|")[1].strip() for line in table]
    assert names[0].startswith("teacher")
    assert any("trained on labels" in name for name in names)
    assert any("distilled" in name for name in names)
    for line in table:
        accuracy, fidelity = (float(cell) for cell in line.split("|")[2:4])
        assert 0.5 < accuracy <= 1.0
        assert 0.5 < fidelity <= 1.0
    teacher_row = table[0].split("|")
    assert float(teacher_row[3]) == 1.0  # the teacher agrees with itself


def test_cli_without_command_shows_help_and_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "skdistill"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "demo" in result.stdout
