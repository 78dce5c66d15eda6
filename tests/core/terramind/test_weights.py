"""Checkpoint resolution, caching, offline mode, safe loading, filtering and error messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import huggingface_hub
import pytest
import torch
from helpers.checkpoints import official_checkpoint_layout, write_backbone_checkpoint
from helpers.fixtures import expected_layers, load_fixture, run_inputs

from terramind_qgis.core import BACKBONE_REGISTRY, WeightsError
from terramind_qgis.core.checkpoints import CHECKPOINTS, WeightsSource, cached_checkpoints, resolve_checkpoint
from terramind_qgis.core.terramind.weights import apply_checkpoint, filter_checkpoint, load_checkpoint


@pytest.fixture(scope="module")
def tiny_weights_dir(tmp_path_factory) -> Path:
    """A weights folder holding a seed-0 tiny checkpoint in the official full layout (212 MB)."""
    folder = tmp_path_factory.mktemp("weights")
    write_backbone_checkpoint("tiny", folder / "TerraMind_v1_tiny.pt", seed=0)
    return folder


def _expanded_layout(size: str) -> dict[str, torch.Tensor]:
    """Zero tensors of the official shapes that share one element of storage (tiny on disk)."""
    shapes, _ = official_checkpoint_layout(size)
    return {k: torch.zeros(()).expand(s) for k, s in shapes.items()}


def test_pretrained_full_checkpoint_skips_decoder_and_reproduces_fixture(tiny_weights_dir):
    fx = load_fixture("a_tiny_s2l2a_s1grd_merges")
    run = fx["runs"][0]  # merge mean; its weights are seed-0 values of the same checkpoint keys
    model = BACKBONE_REGISTRY.build(
        "terramind_v1_tiny", pretrained=True, modalities=["S2L2A", "S1GRD"], merge_method="mean",
        weights_source=WeightsSource(weights_dir=str(tiny_weights_dir), offline=True),
    )  # fmt: skip
    report = model.load_report
    assert report.missing == () and report.mismatched == ()
    assert set(report.loaded) == set(model.state_dict())
    unused = set(report.unused)
    assert {
        "mask_token",
        "decoder_proj_context.weight",
        "decoder_norm.weight",
        "decoder.0.cross_attn.kv.weight",
    } <= unused
    assert "decoder_embeddings.tok_lulc@224.to_logits.weight" in unused
    assert "encoder_embeddings.untok_dem@224.proj.weight" in unused  # modality not requested
    assert not any(k.startswith("encoder.") for k in unused)
    out = model.predict(run_inputs(fx, run))
    torch.testing.assert_close(out, expected_layers(run)[11], rtol=0.0, atol=run["tolerance"]["atol"])


def test_ckpt_path_loads_local_file_and_wins_over_pretrained(tiny_weights_dir):
    model = BACKBONE_REGISTRY.build(
        "terramind_v1_tiny", pretrained=True, ckpt_path=str(tiny_weights_dir / "TerraMind_v1_tiny.pt"),
        weights_source=WeightsSource(weights_dir="/nonexistent", offline=True),
    )  # fmt: skip
    assert model.load_report.missing == ()


def test_missing_mod_token_and_new_modalities_are_optional_keys(tiny_weights_dir):
    model = BACKBONE_REGISTRY.build(
        "terramind_v1_tiny", pretrained=True, modalities=["S2L2A", {"PLANET": 4}], merge_method="concat",
        weights_source=WeightsSource(weights_dir=str(tiny_weights_dir), offline=True),
    )  # fmt: skip
    missing = set(model.load_report.missing)
    assert "missing_mod_token" in missing
    assert "encoder_embeddings.PLANET.proj.weight" in missing
    assert "encoder_embeddings.untok_sen2l2a@224.proj.weight" in model.load_report.loaded


def test_offline_and_not_cached_names_file_repo_and_folder(tmp_path):
    source = WeightsSource(weights_dir=str(tmp_path / "w"), cache_dir=str(tmp_path / "hf"), offline=True)
    with pytest.raises(WeightsError) as err:
        resolve_checkpoint("terramind_v1_base", source)
    msg = str(err.value)
    assert "TerraMind_v1_base.pt" in msg
    assert "ibm-esa-geospatial/TerraMind-1.0-base" in msg
    assert str(tmp_path / "w") in msg


def test_hf_hub_offline_env_prevents_download(tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("hf_hub_download must not be called offline")

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", no_network)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(WeightsError, match="not available offline"):
        resolve_checkpoint("terramind_v1_tokenizer_lulc", WeightsSource(cache_dir=str(tmp_path)))


def test_download_goes_to_cache_dir_and_forwards_progress(tmp_path, monkeypatch):
    from huggingface_hub.utils.tqdm import _get_progress_bar_context

    calls = []

    def fake_download(repo_id, filename, *, cache_dir=None, tqdm_class=None, **kwargs):
        calls.append((repo_id, filename, cache_dir))
        # What huggingface_hub's http_get does with tqdm_class: a bar context, updated per chunk.
        bar_context = _get_progress_bar_context(
            desc=filename,
            log_level=20,
            total=300,
            initial=100,
            name="huggingface_hub.http_get",
            tqdm_class=tqdm_class,
        )
        with bar_context as bar:
            bar.update(150)
            bar.update(50)
        target = Path(cache_dir) / filename
        target.write_bytes(b"x")
        return str(target)

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(huggingface_hub, "hf_hub_download", fake_download)
    seen = []
    source = WeightsSource(cache_dir=str(tmp_path), progress=lambda done, total: seen.append((done, total)))
    path = resolve_checkpoint("terramind_v1_tiny", source)
    assert calls == [("ibm-esa-geospatial/TerraMind-1.0-tiny", "TerraMind_v1_tiny.pt", str(tmp_path))]
    assert path == tmp_path / "TerraMind_v1_tiny.pt"
    assert seen == [(100, 300), (250, 300), (300, 300)]  # resumed at 100 bytes, then two chunks


def test_download_failure_becomes_weights_error(tmp_path, monkeypatch):
    def failing(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(huggingface_hub, "hf_hub_download", failing)
    with pytest.raises(WeightsError, match="TerraMind_Tokenizer_S1GRD.pt.*connection refused"):
        resolve_checkpoint("terramind_v1_tokenizer_s1grd", WeightsSource(cache_dir=str(tmp_path)))


def _fake_hf_cache(cache: Path, repo: str, filename: str, payload: dict) -> Path:
    """Lay out a file the way the Hugging Face cache stores it (refs/main -> snapshots/<commit>/file)."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    root = cache / f"models--{repo.replace('/', '--')}"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text(commit)
    target = root / "snapshots" / commit / filename
    target.parent.mkdir(parents=True)
    torch.save(payload, target)
    return target


def test_cached_checkpoints_lists_weights_dir_and_hf_cache(tmp_path, tiny_weights_dir):
    lulc = _fake_hf_cache(tmp_path, *CHECKPOINTS["terramind_v1_tokenizer_lulc"], {"w": torch.zeros(2)})
    found = cached_checkpoints(WeightsSource(weights_dir=str(tiny_weights_dir), cache_dir=str(tmp_path)))
    assert set(found) == set(CHECKPOINTS)
    assert found["terramind_v1_tiny"] == str(tiny_weights_dir / "TerraMind_v1_tiny.pt")
    assert found["terramind_v1_tokenizer_lulc"] == str(lulc)
    assert found["terramind_v1_base"] is None
    source = WeightsSource(cache_dir=str(tmp_path), offline=True)
    assert resolve_checkpoint("terramind_v1_tokenizer_lulc", source) == lulc


def test_unknown_checkpoint_name_lists_known_names():
    with pytest.raises(WeightsError, match="terramind_v1_tiny"):
        resolve_checkpoint("terramind_v2_tiny", WeightsSource(offline=True))


def test_truncated_checkpoint_raises_weights_error(tmp_path):
    path = tmp_path / "TerraMind_v1_tiny.pt"
    torch.save({"a": torch.arange(100000, dtype=torch.float32)}, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(WeightsError, match="truncated or corrupt") as err:
        load_checkpoint(path)
    assert str(path) in str(err.value)


def test_garbage_and_non_state_dict_files_raise_weights_error(tmp_path):
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(b"\x00not a torch file" * 100)
    with pytest.raises(WeightsError, match="not loaded: it is not a plain file of tensors.*or it is corrupt"):
        load_checkpoint(garbage)
    not_sd = tmp_path / "numbers.pt"
    torch.save({"epoch": 3}, not_sd)
    with pytest.raises(WeightsError, match="not a plain state_dict"):
        load_checkpoint(not_sd)
    with pytest.raises(WeightsError, match="does not exist"):
        load_checkpoint(tmp_path / "absent.pt")


def test_pickled_code_is_refused_for_safety_without_torchs_advice(tmp_path):
    """The original case: torch 2.13's wording was missed and its advice (weights_only=False) forwarded."""
    marker = tmp_path / "ran"
    path = tmp_path / "evil.pt"
    torch.save({"w": torch.zeros(1), "obj": _RunsCode(f"touch {marker}")}, path)
    other = tmp_path / "object.pt"
    torch.save({"w": torch.zeros(1), "obj": Path("/tmp")}, other)  # any class reference
    for p in (path, other):
        with pytest.raises(WeightsError, match="refused for safety and not loaded") as err:
            load_checkpoint(p)
        assert str(p) in str(err.value) and "weights_only" not in str(err.value)
    assert not marker.exists()


class _RunsCode:
    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def test_memory_running_out_while_loading_says_so_not_corrupt(tmp_path):
    """The original case: a good tokenizer was reported as corrupt (delete it) when memory ran out."""
    path = tmp_path / "TerraMind_Tokenizer_LULC.pt"
    torch.save({"w": torch.zeros(64 * 2**20)}, path)  # 268 MB
    code = (
        "import resource, sys, torch\n"
        "from terramind_qgis.core.terramind.weights import load_checkpoint\n"
        "from terramind_qgis.core.errors import TerraMindError\n"
        "vm = int(open('/proc/self/status').read().split('VmSize:')[1].split()[0]) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (vm + 100 * 2**20, resource.RLIM_INFINITY))\n"
        "try:\n"
        f"    load_checkpoint({str(path)!r})\n"
        "except TerraMindError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("TerraMindError Memory ran out while loading the checkpoint"), done.stderr
    assert "TerraMind_Tokenizer_LULC.pt (0.3 GB)" in done.stdout and "needs about 0.3 GB" in done.stdout
    assert "corrupt" not in done.stdout and "delete" not in done.stdout


@pytest.mark.parametrize("other", ["small", "base"])
def test_checkpoint_of_another_size_summarises_shape_mismatches(tmp_path, other):
    path = tmp_path / f"TerraMind_v1_{other}.pt"
    torch.save(_expanded_layout(other), path)
    with pytest.raises(WeightsError) as err:
        BACKBONE_REGISTRY.build("terramind_v1_tiny", ckpt_path=str(path))
    msg = str(err.value)
    assert "another shape" in msg and f"TerraMind {other}" in msg
    assert "encoder_embeddings.untok_sen2l2a@224.proj.weight" in msg or "encoder.0." in msg


def test_checkpoint_lacking_backbone_tensors_is_rejected(tmp_path):
    path = tmp_path / "partial.pt"
    torch.save({"encoder_norm.weight": torch.ones(192), "encoder_norm.bias": torch.zeros(192)}, path)
    with pytest.raises(WeightsError, match="lacks"):
        BACKBONE_REGISTRY.build("terramind_v1_tiny", ckpt_path=str(path))


def test_filter_checkpoint_is_pure_and_reports_every_category():
    ckpt = {"a": torch.ones(2), "b": torch.ones(3), "extra": torch.ones(1)}
    model = {"a": torch.zeros(2), "b": torch.zeros(4), "c": torch.zeros(1)}
    kept, report = filter_checkpoint(ckpt, model)
    assert list(kept) == ["a"] and kept["a"] is ckpt["a"]
    assert report.unused == ("extra",)
    assert report.mismatched == (("b", (3,), (4,)),)
    assert report.missing == ("b", "c")
    assert list(ckpt) == ["a", "b", "extra"] and model["a"].sum() == 0  # inputs untouched


def test_filter_checkpoint_prefixes_fill_every_copy():
    ckpt = {"encoder.0.w": torch.ones(2), "mask_token": torch.ones(1)}
    model = {"encoder.0.w": torch.zeros(2), "sampler.model.encoder.0.w": torch.zeros(2),
             "sampler.model.mask_token": torch.zeros(1)}  # fmt: skip
    kept, report = filter_checkpoint(ckpt, model, prefixes=("", "sampler.model."))
    assert set(kept) == set(model) and report.unused == () and report.missing == ()


def test_apply_checkpoint_loads_into_module_and_casts_dtype():
    layer = torch.nn.Linear(3, 2).to(torch.bfloat16)
    sd = {"weight": torch.full((2, 3), 0.5), "bias": torch.full((2,), 0.25), "unused": torch.zeros(1)}
    report = apply_checkpoint(layer, sd)
    assert report.unused == ("unused",)
    assert layer.weight.dtype == torch.bfloat16 and float(layer.weight.detach()[0, 0]) == 0.5
