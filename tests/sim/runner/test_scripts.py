"""`from sim import run` in the scripts people write: unguarded, piped through stdin, guarded; all runs failing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim import run
from sim.runner import AllRunsFailed
from tests.conftest import SCENARIOS
from tests.sim.runner import toy

CALL = ('r = run(load_scenario({scenario!r}), overrides=["run.days=1"], output_dir={out!r}, quiet=True)\n'
        'print("replications", r.summary()["replications"], r.manifest["batch"]["executor"]["kind"])\n')


def script(out: Path, guarded: bool) -> str:
    call = CALL.format(scenario=str(SCENARIOS / "small.yaml"), out=str(out))
    if guarded:
        call = 'if __name__ == "__main__":\n' + "".join(f"    {line}\n" for line in call.splitlines())
    return "from sim import load_scenario, run\n" + call


def python(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("how", ["file", "stdin", "module"])
def test_an_unguarded_script_runs_in_process_with_one_line_of_notice(tmp_path: Path, how: str) -> None:
    text = script(tmp_path / "out", guarded=False)
    if how == "file":
        (tmp_path / "mine.py").write_text(text)
        done = python(["mine.py"], tmp_path)
    elif how == "module":  # python -m re-imports the module in each worker: the same rule
        (tmp_path / "mine.py").write_text(text)
        done = python(["-m", "mine"], tmp_path)
    else:
        done = python(["-"], tmp_path, stdin=text)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "replications 2 inprocess"
    assert "Traceback" not in done.stderr
    notice = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(notice) == 1 and notice[0].startswith("fedsim: running in this process:")
    assert 'if __name__ == "__main__":' in notice[0]


def test_a_guarded_script_uses_worker_processes(tmp_path: Path) -> None:
    (tmp_path / "mine.py").write_text(script(tmp_path / "out", guarded=True))
    done = python(["mine.py"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "replications 2 process" and "running in this process" not in done.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["batch"]["executor"]["workers"] >= 1


def test_run_raises_when_every_replication_failed(tmp_path: Path) -> None:
    with pytest.raises(AllRunsFailed, match=r"every replication of 'small' failed \(2 run\(s\)\); the first "
                                            r"\(replication 0\): RuntimeError: toy model refuses 13") as caught:
        run(SCENARIOS / "small.yaml", overrides=["run.days=1", f"platform.packaging.workers={toy.FAIL_WORKERS}"],
            output_dir=tmp_path / "o", executor="inprocess", components=toy.COMPONENTS, world_factory=toy.WORLD,
            quiet=True)
    assert len(caught.value.result.failures) == 2 and (tmp_path / "o" / "failures.csv").is_file()
