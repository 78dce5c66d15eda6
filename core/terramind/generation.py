"""Any-to-any generation: ``TerraMindGeneration`` and the ``*_generate`` builders (model.md §6).

Pipeline: optional standardisation of the inputs -> tokenisation of LULC/NDVI inputs -> for each output
in order, encode the visible tokens and decode all its tokens in one pass (temperature / top-k / top-p
sampling, argmax at temperature 0) -> tokenizer decoding (LULC ViT decoder, or DDIM diffusion for
S2L2A, S1GRD, S1RTC, DEM, NDVI) -> optional de-standardisation.

Generation is *chained* as in TerraTorch 1.2.13 (the parity fixtures): an output also sees the tokens
generated for the outputs before it, through an encoder embedding that shares ``mod_emb`` with the
decoder embedding. With a single output there is a single encoder pass.

Shape rules: all inputs share batch size and pixel grid; tiles must be square with a side that is a
multiple of 16, and a multiple of 32 when a diffusion output (anything but LULC) is requested.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Callable

import torch
from torch import nn

from ..errors import InputError
from ..i18n import tr
from .decoder import TerraMind
from .embeddings import ImageEncoderEmbedding, ImageTokenDecoderEmbedding, ImageTokenEncoderEmbedding
from .modalities import MODALITY_INFO, PRETRAINED_BANDS, input_modality_key, output_modality_key
from .registry import FULL_MODEL_REGISTRY, TerraMindConfig, config_for
from .sampling import GenerationSampler, seeded_generator, timed
from .standardize import destandardize
from .standardize import standardize as standardize_values
from .tokenizers import (
    TOKENIZER_SPECS,
    DiVAE,
    build_tokenizer_module,
    check_diffusion_size,
    load_tokenizers,
)

__all__ = ["TerraMindGeneration", "build_generation", "lulc_class_map"]

log = logging.getLogger(__name__)

#: Seed offset between the token-sampling and the diffusion-noise generator of one output.
NOISE_SEED_OFFSET = 1_000_003
PATCH = 16

#: ``progress(output name, step, num_steps)`` during diffusion decoding.
Progress = Callable[[str, int, int], None]


def _encoder_embedding(key: str, cfg: TerraMindConfig) -> nn.Module:
    info = MODALITY_INFO[key]
    if info.kind == "raw":
        return ImageEncoderEmbedding(info.num_channels, cfg.dim, cfg.patch_size, cfg.img_size)
    return ImageTokenEncoderEmbedding(info.vocab_size, cfg.dim, cfg.patch_size, cfg.img_size)


class TerraMindGeneration(nn.Module):
    """Generate output modalities from input modalities (docs/model.md §6).

    Args:
        config: size hyper-parameters.
        modalities: input user names (``"S2L2A"``, ``"S2L1C"``, ``"S1GRD"``, ``"S1RTC"``, ``"DEM"``,
            ``"RGB"``, ``"LULC"``, ``"NDVI"``).
        output_modalities: output user names (``"LULC"``, ``"S1GRD"``, ``"S1RTC"``, ``"S2L2A"``, ``"DEM"``,
            ``"NDVI"``), generated in this order (chained).
        timesteps: default number of DDIM steps.
        standardize: default for standardising inputs / de-standardising outputs (v1 tables).
        temps: default sampling temperature (0 = argmax).
        top_p, top_k: default sampling filters.

    Raises:
        InputError: unknown, duplicated or unsupported modality names.
    """

    def __init__(
        self,
        config: TerraMindConfig,
        modalities: Sequence[str],
        output_modalities: Sequence[str],
        timesteps: int = 50,
        standardize: bool = False,
        temps: float = 1.0,
        top_p: float = 0.8,
        top_k: int = 0,
    ) -> None:
        super().__init__()
        if isinstance(modalities, str):
            modalities = [modalities]
        if isinstance(output_modalities, str):
            output_modalities = [output_modalities]
        if not modalities or not output_modalities:
            raise InputError(
                tr("Generation needs at least one input and one output modality, e.g. S2L2A -> LULC.")
            )
        self.config = config
        self.timesteps, self.standardize = int(timesteps), bool(standardize)
        self.temperature, self.top_p, self.top_k = float(temps), float(top_p), int(top_k)
        self.input_keys = self._map_names(modalities, input_modality_key, "input")
        self.output_keys = self._map_names(output_modalities, output_modality_key, "output")
        both = set(self.input_keys.values()) & set(self.output_keys.values())
        if both:
            raise InputError(
                tr("{0} cannot be both an input and an output of generation.").format(", ".join(sorted(both)))
            )
        self.modalities, self.output_modalities = list(self.input_keys), list(self.output_keys)

        decoder_emb = {
            key: ImageTokenDecoderEmbedding(
                MODALITY_INFO[key].vocab_size, config.dim, config.patch_size, config.img_size
            )
            for key in self.output_keys.values()
        }
        encoder_emb = {key: _encoder_embedding(key, config) for key in self.input_keys.values()}
        for key in list(self.output_keys.values())[:-1]:  # chained outputs are re-encoded
            emb = _encoder_embedding(key, config)
            emb.mod_emb = decoder_emb[key].mod_emb  # one Parameter, as the reference
            encoder_emb[key] = emb
        self.sampler = GenerationSampler(TerraMind(config, encoder_emb, decoder_emb))
        tok_keys = [k for k in encoder_emb if k in TOKENIZER_SPECS] + list(decoder_emb)
        self.tokenizer = nn.ModuleDict({k: build_tokenizer_module(k) for k in dict.fromkeys(tok_keys)})

    @staticmethod
    def _map_names(names: Sequence[str], mapper: Callable[[str], str], role: str) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for name in names:
            key = mapper(name)
            if MODALITY_INFO[key].kind == "seq":
                raise InputError(
                    tr("{0!r} is not supported as a generation {1}; use image modalities.").format(name, role)
                )
            if key in mapping.values():
                raise InputError(tr("The {0} modality {1!r} is given twice.").format(role, name))
            mapping[name] = key
        return mapping

    @property
    def device(self) -> torch.device:
        """Device of the parameters."""
        return self.sampler.model.mask_token.device

    # -- inputs -------------------------------------------------------------------------------------

    def _input_name(self, name: str) -> str:
        if name in self.input_keys:
            return name
        try:
            key = input_modality_key(name)
        except InputError:
            key = None
        for user, k in self.input_keys.items():
            if k == key:
                return user
        raise InputError(
            tr("Input {0!r} is not configured for this model; inputs: {1}.").format(
                name, ", ".join(self.modalities)
            )
        )

    def _check_input(self, name: str, key: str, x: Any) -> torch.Tensor:
        if not isinstance(x, torch.Tensor):
            raise InputError(tr("{0} input must be a torch tensor, got {1}.").format(name, type(x).__name__))
        info = MODALITY_INFO[key]
        if key == "tok_lulc@224":
            if x.dim() == 4 and x.shape[1] == 1:
                x = x[:, 0]
            if x.dim() == 4 and x.shape[1] == info.num_channels:
                return x.to(self.device, torch.float32)
            if x.dim() != 3:
                raise InputError(
                    tr("LULC input must be a class map (B, H, W) or (B, 1, H, W); got {0}.").format(
                        tuple(x.shape)
                    )
                )
            return x.to(self.device)
        if x.dim() != 4 or x.shape[1] != info.num_channels:
            bands = f" ({', '.join(PRETRAINED_BANDS[key])})" if key in PRETRAINED_BANDS else ""
            raise InputError(
                tr("{0} input must be (B, {1}, H, W){2}; got shape {3}.").format(
                    name, info.num_channels, bands, tuple(x.shape)
                )
            )
        x = x.to(self.device, torch.float32)
        if not torch.isfinite(x).all():
            raise InputError(tr("{0} input contains NaN or infinite values; fill nodata first.").format(name))
        return x

    def _check_grid(self, inputs: Mapping[str, torch.Tensor]) -> tuple[int, int, int]:
        sizes = {name: (x.shape[0], x.shape[-2], x.shape[-1]) for name, x in inputs.items()}
        if len(set(sizes.values())) > 1:
            raise InputError(
                tr("Inputs must share batch size and pixel size (B, H, W); got {0}.").format(sizes)
            )
        B, H, W = next(iter(sizes.values()))
        if H != W or H % PATCH or H == 0:
            raise InputError(
                tr(
                    "Generation needs square tiles whose side is a multiple of {0} pixels; got {1}x{2}."
                ).format(PATCH, H, W)
            )
        if any(isinstance(t, DiVAE) for k, t in self.tokenizer.items() if k in self.output_keys.values()):
            check_diffusion_size(H, W, tr("Generation of {0}").format("/".join(self.output_modalities)))
        return B, H, W

    def prepare_inputs(
        self, d: Any, standardize: bool | None = None, profile: dict[str, float] | None = None
    ) -> dict[str, torch.Tensor]:
        """Validate, standardise and tokenise the inputs.

        Args:
            d: ``{name: tensor}`` or one tensor for the first input modality. Images (B, C, H, W) in
                physical units if standardising (DN, dB, metres, NDVI), else standardised; LULC as class
                maps (B, H, W) with values 0..9.
            standardize: override of the model default.
            profile: if given, seconds of tokenizer encoding are added under ``"tokenizer_encode"``.

        Returns:
            modality key -> standardised image (B, C, H, W) or token ids (B, h, w), in input order.

        Raises:
            InputError: unknown input, wrong shape, NaN values, or tile size not allowed.
        """
        return self._prepare(d, standardize, profile)[0]

    def _prepare(
        self, d: Any, standardize: bool | None, profile: dict[str, float] | None
    ) -> tuple[dict[str, torch.Tensor], tuple[int, int, int]]:
        if isinstance(d, torch.Tensor):
            d = {self.modalities[0]: d}
        if not isinstance(d, Mapping) or not d:
            raise InputError(tr("No input given; configured inputs: {0}.").format(", ".join(self.modalities)))
        checked: dict[str, torch.Tensor] = {}
        for name, x in d.items():
            user = self._input_name(name)
            if user in checked:
                raise InputError(tr("Input {0!r} is given twice.").format(name))
            checked[user] = self._check_input(user, self.input_keys[user], x)
        size = self._check_grid(checked)
        do_std = self.standardize if standardize is None else standardize
        out: dict[str, torch.Tensor] = {}
        for user, x in checked.items():
            key = self.input_keys[user]
            if do_std and key != "tok_lulc@224":  # LULC statistics are mean 0 / std 1
                x = standardize_values(x, key)
            if key in self.tokenizer:
                with timed(profile, "tokenizer_encode"):
                    x = self.tokenizer[key].tokenize(x).long()  # (B, h, w)
            out[key] = x
        return out, size

    def drop_unused_encoders(self) -> None:
        """Free the encoders of the tokenizers of outputs that are not also inputs.

        Generation only decodes with those tokenizers; each encoder is a ViT-B (about 90 M parameters) that
        would otherwise be cast and moved to the device for nothing.
        """
        inputs = set(self.input_keys.values())
        for key, tok in self.tokenizer.items():
            if key not in inputs:
                tok.encoder = None

    # -- forward ------------------------------------------------------------------------------------

    def forward(
        self,
        d: Any = None,
        *,
        timesteps: int | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        top_k: int | None = None,
        seed: int | None = None,
        standardize: bool | None = None,
        noise: Mapping[str, torch.Tensor] | None = None,
        progress: Progress | None = None,
        profile: dict[str, float] | None = None,
        **kwargs: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """Generate every configured output.

        Args:
            d: inputs, see :meth:`prepare_inputs`; ``**kwargs`` add inputs by name.
            timesteps: DDIM steps of the diffusion outputs (default: the model's).
            temperature: 0 = argmax; top_p / top_k: sampling filters (defaults: the model's).
            seed: makes sampling and diffusion noise reproducible on one device (None: global RNG).
            standardize: override of the model default.
            noise: explicit starting noise per output name, (B, C, H, W) (wins over ``seed``).
            progress: ``progress(output name, step, num_steps)`` after each diffusion step; it may raise
                (e.g. ``JobCancelled``) to stop the generation.
            profile: if given, seconds per stage are added (``tokenizer_encode``, ``encoder``,
                ``decoder``, ``tokenizer_decode``).

        Returns:
            ``{output name: tensor}``: LULC (B, 10, H, W) class logits; other outputs (B, C, H, W) float32,
            de-standardised (dB, DN, metres, NDVI) when standardising, else in standardised units.

        Raises:
            InputError: bad inputs or tile size (see module docstring).
        """
        d = dict(d) if isinstance(d, Mapping) else ({} if d is None else {self.modalities[0]: d})
        d.update(kwargs)
        noise = dict(noise or {})
        unknown = [n for n in noise if n not in self.output_keys]
        if unknown:
            raise InputError(
                tr("noise given for {0}, which are not outputs; outputs: {1}.").format(
                    unknown, self.output_modalities
                )
            )
        do_std = self.standardize if standardize is None else standardize
        inputs, (B, H, W) = self._prepare(d, do_std, profile)
        grid = (H // PATCH, W // PATCH)
        for name, n in noise.items():  # checked before any work is done
            shape = (B, TOKENIZER_SPECS[self.output_keys[name]].channels, H, W)
            if not isinstance(n, torch.Tensor) or tuple(n.shape) != shape:
                got = tuple(n.shape) if isinstance(n, torch.Tensor) else type(n).__name__
                raise InputError(
                    tr("{0} diffusion noise must have shape {1}; got {2}.").format(name, shape, got)
                )
        temperature = self.temperature if temperature is None else float(temperature)
        tokens = self.sampler.generate(
            inputs,
            list(self.output_keys.values()),
            grid,
            temperature=temperature,
            top_k=self.top_k if top_k is None else int(top_k),
            top_p=self.top_p if top_p is None else float(top_p),
            seed=seed,
            profile=profile,
        )
        steps = self.timesteps if timesteps is None else int(timesteps)
        out: dict[str, torch.Tensor] = {}
        for i, (name, key) in enumerate(self.output_keys.items()):
            ids = tokens[key].reshape(B, *grid)
            tok = self.tokenizer[key]
            with timed(profile, "tokenizer_decode"):
                if isinstance(tok, DiVAE):
                    gen = seeded_generator(None if seed is None else seed + i + NOISE_SEED_OFFSET, "cpu")
                    step_cb = (lambda s, n, _name=name: progress(_name, s, n)) if progress else None
                    y = tok.decode_tokens(ids, steps, noise=noise.get(name), generator=gen, callback=step_cb)
                    out[name] = destandardize(y, key) if do_std else y
                else:
                    out[name] = tok.decode_tokens(ids)  # LULC logits: mean 0 / std 1, nothing to undo
        return out

    @torch.inference_mode()
    def predict(self, d: Any = None, **kwargs: Any) -> dict[str, torch.Tensor]:
        """:meth:`forward` under ``torch.inference_mode`` (the API edge for inference)."""
        return self.forward(d, **kwargs)


def build_generation(
    size: str,
    pretrained: bool = False,
    modalities: Sequence[str] | None = None,
    output_modalities: Sequence[str] | None = None,
    timesteps: int = 50,
    standardize: bool = False,
    temps: float = 1.0,
    top_p: float = 0.8,
    top_k: int = 0,
    decoding_steps: int = 1,
    ckpt_path: str | None = None,
    tokenizer_paths: Mapping[str, str] | None = None,
    weights_source: Any = None,
    device: str | torch.device | None = None,
) -> TerraMindGeneration:
    """Build a :class:`TerraMindGeneration` of one size with its tokenizers, in eval mode.

    Args:
        size: ``"tiny"``, ``"small"``, ``"base"`` or ``"large"``.
        pretrained: load ``TerraMind_v1_<size>.pt`` and every needed ``TerraMind_Tokenizer_<NAME>.pt``
            through ``weights_source`` (weights folder, Hugging Face cache or download).
        modalities: inputs (default ``["S2L2A"]``); output_modalities: outputs (default ``["LULC"]``).
        timesteps, standardize, temps, top_p, top_k: model defaults (see :class:`TerraMindGeneration`).
        decoding_steps: must be 1 (one parallel pass per output, as the reference in practice).
        ckpt_path: local TerraMind checkpoint; wins over ``pretrained`` for the transformer.
        tokenizer_paths: ``{"LULC": path, ...}`` local tokenizer checkpoints; win over ``pretrained``.
        weights_source: ``core.checkpoints.WeightsSource``.
        device: target device (default CPU).

    Raises:
        InputError: bad modality names or arguments. WeightsError: checkpoint problems.
    """
    from ..checkpoints import WeightsSource
    from .weights import apply_checkpoint, backbone_checkpoint, build_with_weights

    steps = decoding_steps if isinstance(decoding_steps, int) else None
    if steps != 1:
        raise InputError(
            tr("Only decoding_steps=1 is supported (one pass per output); got {0!r}.").format(decoding_steps)
        )
    source = weights_source or WeightsSource()

    def construct() -> TerraMindGeneration:
        return TerraMindGeneration(
            config_for(size),
            modalities or ["S2L2A"],
            output_modalities or ["LULC"],
            timesteps,
            standardize,
            temps,
            top_p,
            top_k,
        )

    checkpoint = backbone_checkpoint(size, ckpt_path, source)

    def load(model: TerraMindGeneration) -> None:
        path, state = checkpoint()
        apply_checkpoint(model.sampler.model, state, source=path)
        load_tokenizers(model.tokenizer, tokenizer_paths, pretrained, source)

    if ckpt_path is not None or pretrained:
        model = build_with_weights(construct, load)
    else:
        model = construct()
        load_tokenizers(model.tokenizer, tokenizer_paths, pretrained, source)
    log.info("Built TerraMind %s generation %s -> %s", size, model.modalities, model.output_modalities)
    return model.to(device or "cpu").eval()


FULL_MODEL_REGISTRY.register_sizes(
    build_generation,
    "_generate",
    "any-to-any generation",  # no-i18n: words of the builders' docstrings
)


def lulc_class_map(logits: torch.Tensor) -> torch.Tensor:
    """LULC logits (B, 10, H, W) -> class indices (B, H, W) uint8 in 0..9.

    Class names and colours by index: ``core.products.LULC.classes``.
    """
    return logits.argmax(dim=1).to(torch.uint8)
