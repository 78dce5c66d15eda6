"""Any-to-any generation against reference fixture e (docs/model.md §6, fixtures README).

The model is rebuilt from the fixture (registry name, build kwargs, seeded weight units) and every
chained intermediate is compared: standardised input, encoder input/output per step, logits, tokens,
LULC decoding, S1GRD diffusion from the stored noise, de-standardised outputs.
"""

from __future__ import annotations

import pytest
import torch
from helpers.fixtures import assemble_state_dict, expected_layers, load_fixture, run_inputs
from helpers.paths import example
from helpers.session_weights import seeded_weights_dir

from terramind_qgis.core import BACKBONE_REGISTRY, FULL_MODEL_REGISTRY
from terramind_qgis.core.checkpoints import WeightsSource
from terramind_qgis.core.errors import InputError, WeightsError
from terramind_qgis.core.terramind.generation import TerraMindGeneration, lulc_class_map
from terramind_qgis.core.terramind.registry import config_for

CASE = "e_tiny_generate_s2l2a_to_lulc_s1grd"
GRID = (14, 14)


@pytest.fixture(scope="module")
def run():
    return load_fixture(CASE)["runs"][0]


@pytest.fixture(scope="module")
def model(run):
    meta = run["model"]
    g = FULL_MODEL_REGISTRY.build(meta["name"], **meta["build_kwargs"])
    # assign=True shares the cached seeded tensors (tied entries are one tensor in the state_dict)
    g.load_state_dict(assemble_state_dict(meta), strict=True, assign=True)
    return g.eval()


@pytest.fixture(scope="module")
def s2():
    return load_fixture(CASE)["inputs"]["S2L2A"]


def _close(actual, expected, atol, what):
    torch.testing.assert_close(actual, expected, rtol=0.0, atol=atol, msg=lambda m: f"{what}: {m}")


def _assert_tokens(ids, out, atol):
    """Tokens equal, except where the reference's top-1/top-2 margin is below the logits tolerance."""
    differ = ids != out["tokens"]
    assert (out["logits_summary"]["margin_top1_top2"][differ] < atol).all()


def test_generation_state_dict_keys_shapes_and_ties_equal_reference(model, run):
    meta = run["model"]
    sd = model.state_dict()
    assert set(sd) == set(meta["state_dict_keys"])
    assert all(
        list(sd[k].shape) == list(s) for k, s in zip(meta["state_dict_keys"], meta["state_dict_shapes"])
    )
    with torch.device("meta"):
        fresh = TerraMindGeneration(config_for("tiny"), ["S2L2A"], ["LULC", "S1GRD"])
    tm = fresh.sampler.model
    # reference ties: encoder/decoder tok_lulc mod_emb, to_logits/token_emb of each output
    assert tm.encoder_embeddings["tok_lulc@224"].mod_emb is tm.decoder_embeddings["tok_lulc@224"].mod_emb
    for key in ("tok_lulc@224", "tok_sen1grd@224"):
        dec = tm.decoder_embeddings[key]
        assert dec.to_logits.weight is dec.token_emb.weight
    assert "tok_sen1grd@224" not in tm.encoder_embeddings  # the last output is never re-encoded


def test_generation_chain_matches_reference_step_by_step(model, run, s2):
    exp, tol = run["expected"], run["tolerance"]
    tm = model.sampler.model
    with torch.inference_mode():
        inputs = model.prepare_inputs({"S2L2A": s2})
        std = inputs["untok_sen2l2a@224"]
        ref = exp["standardized_inputs"]["S2L2A"]
        assert torch.equal(std[:, :, 0, :], ref["first_row"])
        torch.testing.assert_close(
            std.double().mean(dim=(0, 2, 3)), ref["per_channel_mean"], rtol=0, atol=1e-6
        )

        visible = dict(inputs)
        for step, (name, key) in enumerate([("LULC", "tok_lulc@224"), ("S1GRD", "tok_sen1grd@224")]):
            parts = [tm.encoder_embeddings[k](v) for k, v in visible.items()]
            enc_in = torch.cat([p.x + p.emb for p in parts], dim=1)
            _close(
                enc_in,
                exp["encoder_input_per_step"][step],
                tol["encoder_output"]["atol"],
                f"encoder input {step}",
            )
            ctx = tm.encode(visible)
            _close(
                ctx.h, exp["encoder_output_per_step"][step], tol["encoder_output"]["atol"], f"encoder {step}"
            )
            logits = tm.decode_logits(ctx, key, GRID)
            out = exp["outputs"][name]
            ref_logits = out["logits"] if "logits" in out else out["logits_first_rows"]
            _close(logits[:, : ref_logits.shape[1]], ref_logits, tol["logits"]["atol"], f"{name} logits")
            ids = logits.argmax(-1)
            _assert_tokens(ids, out, tol["logits"]["atol"])
            visible[key] = out["tokens"].reshape(1, *GRID)  # continue the chain from the reference tokens

        lulc = exp["outputs"]["LULC"]
        decoded = model.tokenizer["tok_lulc@224"].decode_tokens(lulc["decode_tokens_input"])
    _close(decoded, lulc["decoded"], tol["decoded"]["LULC"]["atol"], "LULC decoded")
    assert torch.equal(lulc_class_map(decoded).long(), lulc["class_map"])


@pytest.mark.slow
def test_generation_end_to_end_matches_reference_outputs(model, run, s2):
    exp, tol = run["expected"], run["tolerance"]
    noise = exp["outputs"]["S1GRD"]["diffusion"]["initial_noise"]
    calls, profile = [], {}
    encode = model.sampler.model.encode
    model.sampler.model.encode = lambda inputs: calls.append(list(inputs)) or encode(inputs)
    try:
        with torch.inference_mode():
            out = model({"S2L2A": s2}, timesteps=10, noise={"S1GRD": noise}, profile=profile)
    finally:
        del model.sampler.model.encode
    assert list(out) == ["LULC", "S1GRD"]
    _close(out["LULC"], exp["final"]["LULC"], tol["final"]["LULC"]["atol"], "LULC")
    _close(out["S1GRD"], exp["final"]["S1GRD"], tol["final"]["S1GRD"]["atol"], "S1GRD")
    # chained: the S1GRD step also sees the LULC tokens; no tokenizer encoder runs for S2L2A input
    assert calls == [["untok_sen2l2a@224"], ["untok_sen2l2a@224", "tok_lulc@224"]]
    assert set(profile) == {"encoder", "decoder", "tokenizer_decode"}
    # outputs are clipped to mean +- std in dB (docs/model.md §6.5)
    mean, std = torch.tensor([-12.599, -20.293]), torch.tensor([5.195, 5.890])
    lo, hi = (mean - std).reshape(1, 2, 1, 1), (mean + std).reshape(1, 2, 1, 1)
    assert ((out["S1GRD"] >= lo - 1e-3) & (out["S1GRD"] <= hi + 1e-3)).all()


def test_generation_seed_makes_sampled_tokens_reproducible(model, s2):
    tm_inputs = model.prepare_inputs({"S2L2A": s2})
    targets = ["tok_lulc@224"]  # the small vocabulary keeps top-p sorting cheap

    def sample(seed):
        with torch.inference_mode():
            return model.sampler.generate(tm_inputs, targets, GRID, temperature=1.0, top_p=0.8, seed=seed)

    a, b, c = sample(5), sample(5), sample(6)
    assert torch.equal(a["tok_lulc@224"], b["tok_lulc@224"])
    assert not torch.equal(a["tok_lulc@224"], c["tok_lulc@224"])


@pytest.fixture(scope="module")
def lulc_only(run):
    """Tiny S2L2A -> LULC model holding fixture e's weights (shared with the cache, no extra memory)."""
    g = FULL_MODEL_REGISTRY.build(
        "terramind_v1_tiny_generate",
        modalities=["S2L2A"],
        output_modalities=["LULC"],
        standardize=True,
        temps=0.0,
    )
    g.load_state_dict(assemble_state_dict(run["model"], keys=g.state_dict().keys()), strict=True, assign=True)
    return g.eval()


def test_single_output_runs_one_encoder_pass_and_no_tokenizer_encoder(lulc_only, run, s2):
    calls = []
    encode = lulc_only.sampler.model.encode
    lulc_only.sampler.model.encode = lambda inputs: calls.append(list(inputs)) or encode(inputs)
    tok_encoder = lulc_only.tokenizer["tok_lulc@224"].encoder
    hook = tok_encoder.register_forward_pre_hook(lambda *a: pytest.fail("tokenizer encoder must not run"))
    try:
        with torch.inference_mode():
            out = lulc_only(s2)
    finally:
        del lulc_only.sampler.model.encode
        hook.remove()
    assert calls == [["untok_sen2l2a@224"]]
    assert out["LULC"].dtype == torch.float32
    # LULC is the first output of fixture e, so the single-output model reproduces it
    _close(out["LULC"], run["expected"]["final"]["LULC"], run["tolerance"]["final"]["LULC"]["atol"], "LULC")


def test_generation_accepts_real_int16_scene_like_float(lulc_only):
    import rasterio

    with rasterio.open(example("S2L2A")) as src:  # TerraMesh example tile, 12 bands int16, 224 x 224
        raw = torch.from_numpy(src.read()).unsqueeze(0)
    assert raw.dtype == torch.int16 and raw.shape == (1, 12, 224, 224)
    with torch.inference_mode():
        a = lulc_only({"S2L2A": raw})["LULC"]
        b = lulc_only({"S2L2A": raw.float()})["LULC"]
    assert torch.equal(a, b)
    classes = lulc_class_map(a)
    assert classes.shape == (1, 224, 224) and int(classes.max()) <= 9


@pytest.mark.parametrize(
    ("inputs", "match"),
    [
        ({"S2L2A": torch.zeros(1, 12, 224, 192)}, "square"),
        ({"S2L2A": torch.zeros(1, 12, 200, 200)}, "multiple of 16"),
        ({"S2L2A": torch.zeros(1, 10, 224, 224)}, r"\(B, 12, H, W\)"),
        ({"S1GRD": torch.zeros(1, 2, 224, 224)}, "not configured"),
        ({"S2L2A": torch.full((1, 12, 224, 224), float("nan"))}, "NaN"),
    ],
)
def test_generation_rejects_bad_inputs_with_clear_errors(lulc_only, inputs, match):
    with pytest.raises(InputError, match=match):
        lulc_only(inputs)


def test_diffusion_outputs_need_tiles_that_are_multiples_of_32(model):
    with pytest.raises(InputError, match="multiple of 32"):
        model({"S2L2A": torch.zeros(1, 12, 240, 240)})
    with pytest.raises(InputError, match="noise given for"):
        model({"S2L2A": torch.zeros(1, 12, 224, 224)}, noise={"S1RTC": torch.zeros(1, 2, 224, 224)})
    with pytest.raises(InputError, match="noise must have shape"):
        model(
            {"S2L2A": torch.zeros(1, 12, 224, 224)}, timesteps=1, noise={"S1GRD": torch.zeros(1, 2, 64, 64)}
        )


def test_generation_rejects_unsupported_configurations():
    with pytest.raises(InputError, match="both an input and an output"):
        TerraMindGeneration(config_for("tiny"), ["LULC"], ["LULC"])
    with pytest.raises(InputError, match="Unknown modality"):
        TerraMindGeneration(config_for("tiny"), ["S2L2A"], ["clouds"])
    with pytest.raises(InputError, match="decoding_steps"):
        FULL_MODEL_REGISTRY.build("terramind_v1_tiny_generate", decoding_steps=4)


@pytest.mark.slow
def test_pretrained_generation_and_tim_from_weights_folder_match_reference(tmp_path_factory, run, s2):
    folder = seeded_weights_dir(tmp_path_factory)  # seed 0: the seeds of fixtures e and f
    source = WeightsSource(weights_dir=str(folder), offline=True)
    g = FULL_MODEL_REGISTRY.build(
        "terramind_v1_tiny_generate",
        pretrained=True,
        modalities=["S2L2A"],
        output_modalities=["LULC"],
        temps=0.0,
        standardize=True,
        weights_source=source,
    )
    with torch.inference_mode():
        out = g({"S2L2A": s2})
    _close(out["LULC"], run["expected"]["final"]["LULC"], run["tolerance"]["final"]["LULC"]["atol"], "LULC")
    del g, out  # keep the test's memory low before the next model
    with pytest.raises(WeightsError, match="TerraMind_Tokenizer_DEM.pt"):  # no DEM tokenizer in the folder
        FULL_MODEL_REGISTRY.build(
            "terramind_v1_tiny_generate",
            pretrained=True,
            modalities=["S2L2A"],
            output_modalities=["DEM"],
            weights_source=source,
        )
    # TiM: one checkpoint fills the trainable encoder and the frozen generator (fixture f, same seeds)
    tim_run = load_fixture("f_tiny_tim_s2l2a_lulc")["runs"][0]
    tim = BACKBONE_REGISTRY.build(
        "terramind_v1_tiny_tim",
        pretrained=True,
        weights_source=source,
        **{k: v for k, v in tim_run["model"]["build_kwargs"].items() if k != "pretrained"},
    )
    with torch.inference_mode():
        layers = tim(run_inputs(load_fixture("f_tiny_tim_s2l2a_lulc"), tim_run), all_layers=True)
    for i, expected in expected_layers(tim_run).items():
        _close(layers[i], expected, tim_run["tolerance"]["atol"], f"TiM layer {i}")


@pytest.mark.slow
def test_multiband_diffusion_output_is_seeded_and_destandardised_within_mean_plus_minus_std():
    from terramind_qgis.core.terramind.standardize import MEAN, STD

    torch.manual_seed(0)
    g = FULL_MODEL_REGISTRY.build(
        "terramind_v1_tiny_generate", modalities=["S2L2A"], output_modalities=["S2L2A"], standardize=True
    )
    x = torch.rand(2, 12, 64, 64) * 3000  # two 64 px tiles (multiple of 32), DN-like
    with torch.inference_mode():  # temperature 1, top-p 0.8: tokens and noise both come from the seed
        y, again, other = (g(x, timesteps=2, seed=s)["S2L2A"] for s in (1, 1, 2))
    assert y.shape == (2, 12, 64, 64) and y.dtype == torch.float32
    assert torch.equal(y, again) and not torch.equal(y, other)
    key = g.output_keys["S2L2A"]
    mean, std = torch.tensor(MEAN[key]).reshape(1, -1, 1, 1), torch.tensor(STD[key]).reshape(1, -1, 1, 1)
    # x0 is clipped to [-1, 1] in standardised space, so DN stay within mean +- std per band (model.md §6.5)
    assert ((y >= mean - std - 1e-2) & (y <= mean + std + 1e-2)).all()


@pytest.mark.parametrize(
    ("output", "key", "channels"),
    [
        ("S1", "tok_sen1grd@224", 2),
        ("S1RTC", "tok_sen1rtc@224", 2),
        ("NDVI", "tok_ndvi@224", 1),
        ("s2", "tok_sen2l2a@224", 12),
    ],
)
def test_every_output_name_builds_its_decoder_embedding_and_diffusion_tokenizer(output, key, channels):
    with torch.device("meta"):
        g = TerraMindGeneration(config_for("tiny"), ["S2L2A"], [output])
    assert list(g.sampler.model.decoder_embeddings) == [key]
    assert list(g.tokenizer) == [key] and g.tokenizer[key].spec.channels == channels


@pytest.mark.slow
def test_tokenized_lulc_and_ndvi_inputs_are_tokenized_and_encoded():
    torch.manual_seed(0)
    g = FULL_MODEL_REGISTRY.build(
        "terramind_v1_tiny_generate",
        modalities=["S2L2A", "LULC", "NDVI"],
        output_modalities=["S1GRD"],
        standardize=True,
        temps=0.0,
    )
    assert list(g.tokenizer) == ["tok_lulc@224", "tok_ndvi@224", "tok_sen1grd@224"]
    lulc = torch.randint(0, 10, (1, 64, 64))
    ndvi = torch.rand(1, 1, 64, 64)
    seen = []
    for key in ("tok_lulc@224", "tok_ndvi@224"):
        g.tokenizer[key].encoder.register_forward_hook(
            lambda m, i, o, key=key: seen.append((key, tuple(o.shape)))
        )
    calls = []
    encode = g.sampler.model.encode
    g.sampler.model.encode = lambda inputs: (
        calls.append({k: tuple(v.shape) for k, v in inputs.items()}) or encode(inputs)
    )
    try:
        with torch.inference_mode():
            out = g(
                {"S2L2A": torch.rand(1, 12, 64, 64) * 3000, "LULC": lulc, "NDVI": ndvi}, timesteps=1, seed=0
            )
    finally:
        del g.sampler.model.encode
    assert seen == [("tok_lulc@224", (1, 768, 4, 4)), ("tok_ndvi@224", (1, 768, 4, 4))]
    assert calls == [
        {"untok_sen2l2a@224": (1, 12, 64, 64), "tok_lulc@224": (1, 4, 4), "tok_ndvi@224": (1, 4, 4)}
    ]
    assert out["S1GRD"].shape == (1, 2, 64, 64)
    with pytest.raises(InputError, match="0..9"):
        g({"S2L2A": torch.zeros(1, 12, 64, 64), "LULC": torch.full((1, 64, 64), 12)}, timesteps=1)


def test_raising_progress_callback_stops_diffusion_after_that_step(model, s2):
    from terramind_qgis.core.errors import JobCancelled

    seen = []

    def progress(name, step, total):
        seen.append((name, step, total))
        if step == 2:
            raise JobCancelled("cancelled by the user")

    with torch.inference_mode(), pytest.raises(JobCancelled):
        model({"S2L2A": s2}, timesteps=10, seed=0, progress=progress)
    assert seen == [("S1GRD", 1, 10), ("S1GRD", 2, 10)]
