"""``core.run_files``: unique temp files, the list of a run's files, claims, path identity, leftovers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
import rasterio
from helpers.fake_predictors import LocalFake, factory
from helpers.paths import SEN1FLOODS

from terramind_qgis.core.errors import InputError, JobCancelled, OutputError
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task, validate_spec
from terramind_qgis.core.pipeline import execute_job
from terramind_qgis.core.run_files import (
    TEMP_PATTERN,
    RunFiles,
    check_output_paths,
    claim_path,
    sweep_leftovers,
)

S2 = SEN1FLOODS / "Spain_7370579_S2Hand.tif"


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


def _lulc(inp, out, **kw) -> JobSpec:
    return JobSpec(Task.LULC, (InputRaster(str(inp), "S2L1C"),), {"lulc": str(out)}, **kw)


def test_temp_files_are_unique_exclusive_and_match_the_pattern(tmp_path):
    out = str(tmp_path / "lulc.tif")
    with (
        RunFiles.start([out], folder=str(tmp_path / "runs")) as a,
        RunFiles.start([str(tmp_path / "other.tif")], folder=str(tmp_path / "runs")) as b,
    ):
        paths = [a.temp_path(out), a.temp_path(out), b.temp_path(out)]
        assert len(set(paths)) == 3 and all(os.path.exists(p) for p in paths)
        assert all(TEMP_PATTERN.search(os.path.basename(p)) for p in paths)
        assert all(p.endswith(".part.tif") for p in paths)
        assert sorted(a.created()) == sorted(paths[:2])
    assert _names(tmp_path) == ["runs"]  # temp files never renamed into place go with the run


def test_input_named_like_the_old_temp_file_is_never_touched(tmp_path):
    """The original case: input ``scene.part.tif`` and output ``scene.tif``."""
    scene = tmp_path / "scene.part.tif"
    shutil.copy(S2, scene)
    before = scene.read_bytes()
    result = execute_job(_lulc(scene, tmp_path / "scene.tif"), factory(LocalFake()))
    assert scene.read_bytes() == before
    assert _names(tmp_path) == ["scene.part.tif", "scene.qml", "scene.tif", "scene.tif.aux.xml"]
    with rasterio.open(result.outputs["lulc"]) as src:
        assert src.count == 1 and src.dtypes[0] == "uint8"


def test_a_failed_run_removes_only_what_it_created(tmp_path):
    """The original case: ``lulc.part.notes.txt`` of the user was deleted by a failed run's clean-up."""
    user = ["lulc.part.notes.txt", "lulc.part.tif", "lulc.qml.part", "lulc.qml"]
    for name in user:
        (tmp_path / name).write_text("mine")
    seen = []
    with pytest.raises(JobCancelled):
        execute_job(
            _lulc(S2, tmp_path / "lulc.tif", tile_size=64, overlap=0, batch_size=1),
            factory(LocalFake()),
            lambda f, m: seen.append(f),
            lambda: len(seen) > 3,
        )
    assert _names(tmp_path) == sorted(user)
    assert all((tmp_path / n).read_text() == "mine" for n in user)


def test_output_spelled_differently_from_the_input_is_refused(tmp_path):
    """The original case: output ``dir/./in.tif`` overwrote the input ``dir/in.tif``."""
    inp = tmp_path / "in.tif"
    shutil.copy(S2, inp)
    with pytest.raises(InputError, match="is the input file"):
        validate_spec(_lulc(inp, f"{tmp_path}/./in.tif"))
    link_dir = tmp_path / "link"
    link_dir.symlink_to(tmp_path)
    with pytest.raises(InputError, match="is the input file"):
        validate_spec(_lulc(inp, link_dir / "in.tif"))
    os.link(inp, tmp_path / "hard.tif")
    with pytest.raises(InputError, match="is the input file"):
        validate_spec(_lulc(inp, tmp_path / "hard.tif"))
    with pytest.raises(InputError, match="belongs to the input"):
        validate_spec(_lulc(inp, tmp_path / "in.tiff"))  # would write in.qml, the input's style
    with pytest.raises(InputError):
        execute_job(_lulc(inp, f"{tmp_path}/sub/../in.tif"), factory(LocalFake()))


def test_two_outputs_of_one_job_must_differ_by_identity(tmp_path):
    with pytest.raises(InputError, match="same file"):
        check_output_paths([str(tmp_path / "a.tif"), f"{tmp_path}/./a.tif"], [])


def test_a_second_run_on_the_same_output_is_refused_with_the_first_named(tmp_path):
    out = str(tmp_path / "lulc.tif")
    runs = str(tmp_path / "runs")
    with RunFiles.start([out], "lulc from 'first'", folder=runs):
        with pytest.raises(OutputError, match="being written by another TerraMind run “lulc from 'first'”"):
            RunFiles.start([f"{tmp_path}/./lulc.tif"], "second", folder=runs)
        with pytest.raises(OutputError, match="lulc from 'first'"):
            execute_job(_lulc(S2, out), factory(LocalFake()))
    assert _names(tmp_path) == ["runs"]  # claim released
    assert os.listdir(runs) == []
    execute_job(_lulc(S2, out), factory(LocalFake()))  # free again


def test_a_claim_left_by_a_dead_process_is_taken_over(tmp_path):
    out = str(tmp_path / "lulc.tif")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    with open(claim_path(out), "w") as f:
        json.dump({"terramind_run": "0" * 12, "pid": int(dead.stdout), "host": os.uname().nodename}, f)
    with RunFiles.start([out], folder=str(tmp_path / "runs")) as run:
        with open(claim_path(out)) as f:
            assert json.load(f)["terramind_run"] == run.run_id


def test_leftovers_of_a_killed_process_are_swept_and_nothing_else(tmp_path):
    runs = tmp_path / "runs"
    out = tmp_path / "lulc.tif"
    user = ["lulc.part.tif", "lulc.terramind-notes.txt", "lulc.tif"]
    for name in user:
        (tmp_path / name).write_text("mine")
    code = (
        "import os, signal, sys\n"
        "from terramind_qgis.core.run_files import RunFiles\n"
        f"run = RunFiles.start([{str(out)!r}], 'killed', folder={str(runs)!r})\n"
        f"os.makedirs(run.job_folder()); run.temp_path({str(out)!r}); run.temp_path({str(out)!r})\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    left = _names(tmp_path)
    assert len(left) == len(user) + 4  # two temp files, the claim, the runs folder
    alive = RunFiles.start([str(tmp_path / "busy.tif")], folder=str(runs))  # a live run is left alone
    alive.temp_path(str(tmp_path / "busy.tif"))
    removed = sweep_leftovers(str(runs))
    assert len(removed) == 4  # the 2 temp files, the claim, the job folder
    assert sorted(set(_names(tmp_path)) - {"runs"}) == sorted(
        user + [os.path.basename(p) for p in alive.created()] + ["busy.tif.terramind-claim"]
    )
    assert all((tmp_path / n).read_text() == "mine" for n in user)
    alive.discard()
    alive.close()
    assert _names(tmp_path) == sorted(user + ["runs"]) and os.listdir(runs) == []


def test_scratch_embeddings_of_a_pca_only_run_never_touch_the_users_files(tmp_path):
    """The scratch embeddings once went to ``<pca>_embeddings.tif`` through ``<pca>_embeddings.part.tif``."""
    user = ["p_embeddings.tif", "p_embeddings.part.tif"]
    for name in user:
        (tmp_path / name).write_text("mine")
    spec = JobSpec(Task.EMBEDDINGS, (InputRaster(str(S2), "S2L1C"),), {"pca": str(tmp_path / "p.tif")})
    seen = []
    with pytest.raises(JobCancelled):  # cancelled in the PCA pass, while the scratch file is read back
        execute_job(spec, factory(LocalFake(8, out_scale=16)), lambda f, m: seen.append(m),
                    lambda: "PCA map" in seen)  # fmt: skip
    assert _names(tmp_path) == sorted(user)
    execute_job(spec, factory(LocalFake(8, out_scale=16)))
    assert _names(tmp_path) == sorted(user + ["p.qml", "p.tif"])
    assert all((tmp_path / n).read_text() == "mine" for n in user)


def test_a_missing_output_folder_is_named(tmp_path):
    with pytest.raises(OutputError, match="Output folder .*missing.* does not exist; create it"):
        RunFiles.start([str(tmp_path / "missing" / "o.tif")], folder=str(tmp_path / "runs"))
    assert os.listdir(tmp_path / "runs") == []


def test_a_journal_cut_short_before_its_header_is_removed_once_old(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / "0123456789ab.journal").write_text("")
    (runs / "notes.txt").write_text("not ours")
    assert sweep_leftovers(str(runs)) == []  # may be a run writing its header right now
    os.utime(runs / "0123456789ab.journal", (0, 0))
    assert sweep_leftovers(str(runs)) == [str(runs / "0123456789ab.journal")]
    assert _names(runs) == ["notes.txt"]
