"""Pretrained builds skip the random initialisation and give exactly the model of init-then-load.

The reference of every comparison is the previous loading path, rebuilt here: the model is constructed
for real (random initialisation) and the same checkpoint files are copied into it by ``apply_checkpoint``
(``load_state_dict``). The fast build must equal it tensor for tensor (non-persistent buffers included),
keep its ties and ``requires_grad`` flags, leave nothing on the meta device, share no memory between
distinct tensors and give bit-identical outputs.
"""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from helpers.checkpoints import official_checkpoint_layout, write_backbone_checkpoint
from helpers.fixtures import load_fixture, run_inputs
from helpers.paths import TESTS
from helpers.session_weights import seeded_weights_dir
from helpers.weights_dir import tokenizer_layout
from torch import nn

from terramind_qgis.core import BACKBONE_REGISTRY, FULL_MODEL_REGISTRY, WeightsError
from terramind_qgis.core.checkpoints import WeightsSource
from terramind_qgis.core.terramind.encoder import TerraMindViT, _keys_not_in_checkpoints
from terramind_qgis.core.terramind.generation import TerraMindGeneration
from terramind_qgis.core.terramind.registry import config_for
from terramind_qgis.core.terramind.tim import TerraMindTiM
from terramind_qgis.core.terramind.tokenizers import build_tokenizer, build_tokenizer_module, load_tokenizers
from terramind_qgis.core.terramind.weights import (
    apply_checkpoint,
    build_with_weights,
    load_checkpoint,
    meta_tensor_names,
)

FALLBACK = "built with random initialisation"


@pytest.fixture(scope="module")
def tiny_ckpt(tmp_path_factory) -> Path:
    """A seed-0 tiny checkpoint in the official full layout (212 MB), the weights of fixture a."""
    return write_backbone_checkpoint("tiny", tmp_path_factory.mktemp("tiny") / "TerraMind_v1_tiny.pt")


def _tensors(model: nn.Module) -> dict[str, torch.Tensor]:
    """Every parameter and buffer (non-persistent ones and tied duplicates included) by qualified name."""
    out = {}
    for prefix, module in model.named_modules(remove_duplicate=False):
        for name, t in [*module._parameters.items(), *module._buffers.items()]:
            if t is not None:
                out[f"{prefix}.{name}" if prefix else name] = t
    return out


def _tie_groups(model: nn.Module) -> list[list[str]]:
    """Names that hold one and the same tensor object, for every tensor held under several names."""
    groups: dict[int, list[str]] = {}
    for name, t in _tensors(model).items():
        groups.setdefault(id(t), []).append(name)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def assert_same_model(fast: nn.Module, ref: nn.Module) -> None:
    """Equal tensors (values, dtypes, layouts, kinds), ties and grad flags; nothing on meta; no aliasing."""
    a, b = _tensors(fast), _tensors(ref)
    assert list(a) == list(b)
    for name, t in a.items():
        r = b[name]
        assert not t.is_meta and t.device.type == "cpu", name
        assert type(t) is type(r) and t.dtype == r.dtype and t.requires_grad == r.requires_grad, name
        assert t.shape == r.shape and t.stride() == r.stride(), name  # same memory layout
        assert torch.equal(t, r), name
    assert list(fast.state_dict()) == list(ref.state_dict())
    assert _tie_groups(fast) == _tie_groups(ref)
    assert meta_tensor_names(fast) == []
    distinct = {id(t): t for t in a.values()}.values()
    ranges = sorted((t.data_ptr(), t.data_ptr() + t.nbytes) for t in distinct if t.numel())
    assert all(end <= nxt for (_, end), (nxt, _) in zip(ranges, ranges[1:])), "distinct tensors share memory"
    for t in distinct:  # each tensor owns its bytes only: torch.save/deepcopy do not drag a whole file along
        assert t.untyped_storage().nbytes() == t.numel() * t.element_size()


def _reference_backbone(ckpt: Path, modalities, merge_method: str) -> TerraMindViT:
    model = TerraMindViT(config_for("tiny"), modalities, merge_method)
    optional = _keys_not_in_checkpoints(model)
    model.load_report = apply_checkpoint(model, load_checkpoint(ckpt), optional=optional, source=str(ckpt))
    return model.eval()


@pytest.mark.parametrize("merge_method", ["mean", "concat"])
def test_pretrained_backbone_equals_random_init_then_load(tiny_ckpt, merge_method, caplog):
    fx = load_fixture("a_tiny_s2l2a_s1grd_merges")
    inputs = run_inputs(fx, fx["runs"][0])  # real S2L2A + S1GRD tiles
    modalities = ["S2L2A", "S1GRD", "LULC", "coords"]  # raw, tokenized and sequence embeddings
    with caplog.at_level(logging.DEBUG, logger="terramind_qgis.core.terramind.weights"):
        fast = BACKBONE_REGISTRY.build(
            "terramind_v1_tiny", ckpt_path=str(tiny_ckpt), modalities=modalities, merge_method=merge_method
        )
    assert FALLBACK not in caplog.text  # every tensor came from the file or was computed: no random init
    ref = _reference_backbone(tiny_ckpt, modalities, merge_method)
    assert_same_model(fast, ref)
    assert fast.load_report == ref.load_report
    assert torch.equal(fast.predict(inputs), ref.predict(inputs))
    for a, b in zip(fast.predict(inputs, all_layers=True), ref.predict(inputs, all_layers=True)):
        assert torch.equal(a, b)


def test_parts_without_checkpoint_keep_the_seeded_random_init_of_a_plain_build(tiny_ckpt, caplog):
    modalities = ["S2L2A", {"PLANET": 4}]  # PLANET: a new embedding that no checkpoint holds
    torch.manual_seed(7)
    ref = _reference_backbone(tiny_ckpt, modalities, "mean")
    torch.manual_seed(7)
    with caplog.at_level(logging.DEBUG, logger="terramind_qgis.core.terramind.weights"):
        fast = BACKBONE_REGISTRY.build("terramind_v1_tiny", ckpt_path=str(tiny_ckpt), modalities=modalities)
    assert FALLBACK in caplog.text and "encoder_embeddings.PLANET" in caplog.text
    assert_same_model(fast, ref)


def test_band_subset_dtype_and_saving_after_a_pretrained_build(tiny_ckpt):
    bands = {"S2L2A": ["RED", "GREEN", "BLUE", "NIR_BROAD"]}
    fast = BACKBONE_REGISTRY.build(
        "terramind_v1_tiny", ckpt_path=str(tiny_ckpt), bands=bands, dtype="bfloat16"
    )
    ref = _reference_backbone(tiny_ckpt, ["S2L2A"], "mean")
    ref.select_bands(bands)
    assert_same_model(fast, ref.to(torch.bfloat16))
    buffer = io.BytesIO()
    torch.save(fast.state_dict(), buffer)  # only the model's own bytes, not the whole checkpoint file
    own = sum(t.numel() * t.element_size() for t in fast.state_dict().values())
    assert len(buffer.getvalue()) < own + 2**20 < tiny_ckpt.stat().st_size


def _expanded(shapes: dict[str, tuple[int, ...]]) -> dict[str, torch.Tensor]:
    """Constant tensors of the given shapes sharing one element of storage (a few bytes on disk)."""
    return {k: torch.full((), 0.5).expand(s) for k, s in shapes.items()}


def test_missing_or_misshapen_keys_still_raise_weights_error(tmp_path):
    shapes, _ = official_checkpoint_layout("tiny")
    lacking = tmp_path / "lacking.pt"
    torch.save(_expanded({k: s for k, s in shapes.items() if k != "encoder.3.mlp.fc1.weight"}), lacking)
    with pytest.raises(WeightsError, match=r"lacks 1 tensors .*encoder\.3\.mlp\.fc1\.weight"):
        BACKBONE_REGISTRY.build("terramind_v1_tiny", ckpt_path=str(lacking))
    layout = tokenizer_layout("LULC")
    tok = tmp_path / "tok.pt"
    torch.save(_expanded({k: s for k, s in layout.items() if k != "quant_proj.bias"}), tok)
    with pytest.raises(WeightsError, match=r"lacks 1 tensors .*quant_proj\.bias"):
        build_tokenizer("LULC", ckpt_path=str(tok))
    torch.save(_expanded({**layout, "quant_proj.bias": (7,)}), tok)
    with pytest.raises(WeightsError, match=r"another shape .*quant_proj\.bias: file \(7,\) vs model \(5,\)"):
        build_tokenizer("LULC", ckpt_path=str(tok))


@pytest.mark.parametrize("name", ["LULC", "S1GRD"])
def test_tokenizer_from_stride_0_checkpoint_computes_fsq_and_schedule_buffers(tmp_path, name):
    path = tmp_path / f"{name}.pt"
    torch.save(_expanded(tokenizer_layout(name)), path)  # stride-0 tensors: must become contiguous copies
    fast = build_tokenizer(name, ckpt_path=str(path))
    ref = build_tokenizer_module(name)
    apply_checkpoint(ref, load_checkpoint(path))
    assert_same_model(fast, ref.eval())
    assert fast.quantize.levels.tolist() == list(fast.spec.levels)  # non-persistent, computed
    if name == "S1GRD":  # the diffusion schedule (non-persistent) is computed, zero terminal SNR
        assert float(fast.alphas_cumprod[-1]) == 0.0 and 0.99 < float(fast.alphas_cumprod[0]) < 1.0
    x = torch.randn(1, fast.spec.channels, 32, 32)
    with torch.no_grad():
        assert torch.equal(fast.tokenize(x), ref.tokenize(x))  # FSQ levels and basis at work


class _Toy(nn.Module):
    """Ties, a frozen parameter, a twin layer and a computed non-persistent buffer."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(4, 3)
        self.twin = nn.Linear(4, 3)
        self.emb = nn.Embedding(5, 4)
        self.out = nn.Linear(4, 5, bias=False)
        self.out.weight = self.emb.weight
        self.frozen = nn.Parameter(torch.zeros(2), requires_grad=False)
        self.register_buffer("table", torch.arange(4.0) * 2, persistent=False)


def test_assignment_matches_load_state_dict_semantics():
    g = torch.Generator().manual_seed(0)
    shared = torch.randn(3, 4, generator=g)
    original = shared.clone()
    state = {
        "lin.weight": shared,
        "twin.weight": shared,  # one file tensor for two distinct parameters: they must not share memory
        "lin.bias": torch.randn(3, generator=g).half(),  # cast to the model's float32
        "twin.bias": torch.randn(3, generator=g),
        "emb.weight": torch.randn(5, 4, generator=g),
        "out.weight": torch.randn(4, 5, generator=g).t(),  # tied to emb.weight and later: it wins
        "frozen": torch.randn(2, generator=g),
    }
    ref = _Toy()
    apply_checkpoint(ref, state)
    fast = build_with_weights(_Toy, lambda m: apply_checkpoint(m, state))
    assert_same_model(fast, ref)
    assert fast.out.weight is fast.emb.weight and torch.equal(fast.emb.weight, state["out.weight"])
    with torch.no_grad():
        fast.lin.weight.add_(1.0)
    assert torch.equal(fast.twin.weight, original) and torch.equal(fast.lin.weight, original + 1)


def test_build_with_weights_keeps_the_strict_missing_key_error():
    state = {"lin.weight": torch.ones(3, 4)}
    with pytest.raises(WeightsError, match="lacks"):
        build_with_weights(_Toy, lambda m: apply_checkpoint(m, state))


def test_pretrained_build_does_not_import_torch_dynamo(tiny_ckpt):
    """Meta-tensor ``normal_`` would import torch._dynamo (about 1 s in every worker process)."""
    code = (
        f"import sys; sys.path[:0] = [{str(TESTS)!r}]; import conftest, json, torch\n"
        "from terramind_qgis.core import BACKBONE_REGISTRY\n"
        f"BACKBONE_REGISTRY.build('terramind_v1_tiny', ckpt_path={str(tiny_ckpt)!r},"
        " modalities=['S2L2A', 'LULC'])\n"
        "print(json.dumps('torch._dynamo' in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) is False


@pytest.mark.slow
def test_pretrained_generation_equals_random_init_then_load(tmp_path_factory, caplog):
    folder = seeded_weights_dir(tmp_path_factory)
    source = WeightsSource(weights_dir=str(folder), offline=True)
    with caplog.at_level(logging.DEBUG, logger="terramind_qgis.core.terramind.weights"):
        fast = FULL_MODEL_REGISTRY.build(
            "terramind_v1_tiny_generate", pretrained=True, modalities=["S2L2A"],
            output_modalities=["LULC", "S1GRD"], standardize=True, weights_source=source,
        )  # fmt: skip
    assert FALLBACK not in caplog.text
    ref = TerraMindGeneration(config_for("tiny"), ["S2L2A"], ["LULC", "S1GRD"], standardize=True)
    apply_checkpoint(ref.sampler.model, load_checkpoint(folder / "TerraMind_v1_tiny.pt"))
    load_tokenizers(ref.tokenizer, None, True, source)
    ref.eval()
    assert_same_model(fast, ref)
    s2 = load_fixture("e_tiny_generate_s2l2a_to_lulc_s1grd")["inputs"]["S2L2A"][..., :64, :64]
    with torch.inference_mode():
        a = fast({"S2L2A": s2}, timesteps=2, temperature=0.7, seed=3)
        b = ref({"S2L2A": s2}, timesteps=2, temperature=0.7, seed=3)
    assert list(a) == ["LULC", "S1GRD"] and all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.slow
def test_pretrained_tim_equals_random_init_then_load_and_copies_do_not_alias(tmp_path_factory):
    folder = seeded_weights_dir(tmp_path_factory)
    source = WeightsSource(weights_dir=str(folder), offline=True)
    fast = BACKBONE_REGISTRY.build("terramind_v1_tiny_tim", pretrained=True, weights_source=source)
    ref = TerraMindTiM(config_for("tiny"), ["S2L2A"])
    apply_checkpoint(
        ref, load_checkpoint(folder / "TerraMind_v1_tiny.pt"), prefixes=("", "sampler.model."),
        optional={k for k in ref.state_dict() if k.startswith("tokenizer.")},
    )  # fmt: skip
    load_tokenizers(ref.tokenizer, None, True, source)
    ref.eval()
    assert_same_model(fast, ref)  # the trainable encoder and the frozen generator copy: distinct memory
    fx = load_fixture("f_tiny_tim_s2l2a_lulc")
    inputs = run_inputs(fx, fx["runs"][0])
    with torch.inference_mode():
        for a, b in zip(fast(inputs, all_layers=True, seed=1), ref(inputs, all_layers=True, seed=1)):
            assert torch.equal(a, b)
