"""Thinking-in-Modalities backbones ``terramind_v1_<size>_tim`` (docs/model.md §8).

A TiM backbone first *generates* the tokens of extra modalities (default LULC) with a frozen copy of
the encoder-decoder (``sampler.model``), then encodes the inputs followed by those tokens with the
trainable encoder and merges as :class:`~.encoder.TerraMindViT` does (TiM tokens included, except for
``merge_method="dict"``, which returns the real inputs only, as the reference). The input embeddings
are the same modules in both copies. Inputs are standardised by the caller; tokenized inputs (LULC
class maps, NDVI) are tokenized by their tokenizer. No diffusion decoding happens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch
from torch import nn

from ..errors import InputError
from ..i18n import tr
from .decoder import TerraMind
from .embeddings import ImageEncoderEmbedding, ImageTokenDecoderEmbedding, ImageTokenEncoderEmbedding
from .encoder import ModalitySpec, TerraMindViT
from .modalities import MODALITY_INFO, input_modality_key, output_modality_key
from .registry import BACKBONE_REGISTRY, TerraMindConfig, config_for
from .sampling import GenerationSampler
from .tokenizers import TOKENIZER_SPECS, build_tokenizer_module, load_tokenizers

__all__ = ["TerraMindTiM", "build_tim"]


class TerraMindTiM(TerraMindViT):
    """TerraMind encoder that appends generated modality tokens to its inputs (docs/model.md §8).

    Args:
        config: size hyper-parameters.
        modalities: configured inputs, as for :class:`~.encoder.TerraMindViT`.
        tim_modalities: modalities to generate (``"LULC"``, ``"NDVI"``, ``"S1GRD"`` ...).
        merge_method: as for :class:`~.encoder.TerraMindViT`.
        tim_temps: sampling temperature of the TiM tokens (0 = argmax).
        tim_top_p, tim_top_k: sampling filters.

    Raises:
        InputError: unknown or unsupported modalities.
    """

    def __init__(
        self,
        config: TerraMindConfig,
        modalities: Sequence[ModalitySpec],
        tim_modalities: Sequence[str] = ("LULC",),
        merge_method: str | None = "mean",
        tim_temps: float = 1.0,
        tim_top_p: float = 0.8,
        tim_top_k: int = 0,
    ) -> None:
        if isinstance(modalities, (str, Mapping)):
            modalities = [modalities]
        tim_keys = [
            output_modality_key(n)
            for n in ([tim_modalities] if isinstance(tim_modalities, str) else tim_modalities)
        ]
        if (
            not tim_keys
            or any(MODALITY_INFO[k].kind != "tok" for k in tim_keys)
            or len(set(tim_keys)) < len(tim_keys)
        ):
            raise InputError(
                tr("tim_modalities must be distinct image modalities such as ['LULC']; got {0!r}.").format(
                    tim_modalities
                )
            )
        super().__init__(
            config, list(modalities) + [k for k in tim_keys if k not in _input_keys(modalities)], merge_method
        )
        self.tim_keys = tim_keys
        self.tim_temps, self.tim_top_p, self.tim_top_k = float(tim_temps), float(tim_top_p), int(tim_top_k)
        self.image_modalities = [
            k
            for k, m in self.encoder_embeddings.items()
            if isinstance(m, (ImageEncoderEmbedding, ImageTokenEncoderEmbedding))
        ]
        decoder_emb = {}
        for key in tim_keys:
            emb = ImageTokenDecoderEmbedding(
                MODALITY_INFO[key].vocab_size, config.dim, config.patch_size, config.img_size
            )
            emb.mod_emb = self.encoder_embeddings[key].mod_emb  # shared, as the reference
            decoder_emb[key] = emb
        generator = TerraMind(config, dict(self.encoder_embeddings.items()), decoder_emb)
        for name, p in generator.named_parameters():
            if not name.startswith("encoder_embeddings."):  # the shared input embeddings stay trainable
                p.requires_grad_(False)
        self.sampler = GenerationSampler(generator)
        self.tokenizer = nn.ModuleDict(
            {k: build_tokenizer_module(k) for k in self.encoder_embeddings if k in TOKENIZER_SPECS}
        )
        for p in self.tokenizer.parameters():
            p.requires_grad_(False)

    def _inputs(self, d: Any, kwargs: Mapping[str, Any]) -> dict[str, torch.Tensor]:
        """{modality key: standardised image or token ids} of the given inputs, in input order."""
        if isinstance(d, torch.Tensor):
            d = {self.modalities[0]: d}
        items = list((d or {}).items()) + list(kwargs.items())
        if not items:
            raise InputError(
                tr("No input given; configured modalities: {0}.").format(", ".join(self.modalities))
            )
        out: dict[str, torch.Tensor] = {}
        for name, x in items:
            key = self.configured_key(name)
            if key in out:
                raise InputError(tr("Modality {0!r} is given twice.").format(name))
            if key in self.tokenizer:
                device = self.encoder_norm.weight.device
                with torch.no_grad():
                    x = self.tokenizer[key].tokenize(x.to(device)).long()  # (B, h, w)
            elif key in self.image_modalities:
                x = self.check_image_input(name, key, x)
            out[key] = x
        return out

    def generate_tim_tokens(
        self, inputs: Mapping[str, torch.Tensor], seed: int | None = None
    ) -> dict[str, torch.Tensor]:
        """Generate the TiM modalities that are not among the inputs.

        Args:
            inputs: modality key -> standardised image (B, C, H, W) or token ids (B, h, w).
            seed: sampling seed (None: global RNG); irrelevant at temperature 0.

        Returns:
            modality key -> (B, h, w) int64 token ids.
        """
        first = next(iter(inputs.values()))
        B = first.shape[0]
        P = self.config.patch_size
        grid = (
            tuple(first.shape[-2:])
            if not first.is_floating_point()
            else (first.shape[-2] // P, first.shape[-1] // P)
        )
        targets = [k for k in self.tim_keys if k not in inputs]
        with torch.no_grad():
            tokens = self.sampler.generate(
                inputs, targets, grid, self.tim_temps, self.tim_top_k, self.tim_top_p, seed=seed
            )
        return {k: v.reshape(B, *grid) for k, v in tokens.items()}

    def forward(
        self, d: Any = None, *, all_layers: bool = False, seed: int | None = None, **kwargs: Any
    ) -> Any:
        """Encode inputs plus generated TiM tokens.

        Args:
            d: ``{name: tensor}`` or one tensor for the first configured modality: standardised images
                (B, C, H, W); LULC as class maps (B, H, W), NDVI as standardised (B, 1, H, W).
            all_layers: return every block output (merged) as the reference does.
            seed: TiM sampling seed.
            **kwargs: more inputs by name.

        Returns:
            As :meth:`TerraMindViT.forward`, with the TiM tokens after the inputs.
        """
        inputs = self._inputs(d, kwargs)
        tokens = {**inputs, **self.generate_tim_tokens(inputs, seed)}  # TiM tokens after the inputs
        parts = [self.encoder_embeddings[key](x) for key, x in tokens.items()]
        num_tokens = [p.x.shape[1] for p in parts]
        x = torch.cat([p.x + p.emb for p in parts], dim=1)  # (B, sum N_i, D)
        layers = []
        for block in self.encoder:
            x = block(x)
            layers.append(x)
        layers = layers[:-1] + [self.encoder_norm(x)] if all_layers else [self.encoder_norm(x)]
        names = {v: k for k, v in self.mod_name_mapping.items()}
        listed = [(names.get(k, k), k, t) for k, t in tokens.items()]
        merged = [self.merge_tokens(y, listed, num_tokens) for y in layers]
        if self.merge_method == "dict":  # the reference returns the real inputs only
            keep = [names.get(k, k) for k in inputs]
            merged = [{n: m[n] for n in keep} for m in merged]
        return merged if all_layers else merged[0]


def _input_keys(modalities: Sequence[ModalitySpec]) -> set[str]:
    """Modality keys of the configured inputs given by name."""
    return {input_modality_key(m) for m in modalities if isinstance(m, str)}


def build_tim(
    size: str,
    pretrained: bool = False,
    modalities: Sequence[ModalitySpec] | None = None,
    tim_modalities: Sequence[str] = ("LULC",),
    merge_method: str | None = "mean",
    tim_temps: float = 1.0,
    tim_top_p: float = 0.8,
    tim_top_k: int = 0,
    tim_decoding_steps: int = 1,
    bands: Mapping[str, Sequence[str]] | None = None,
    ckpt_path: str | None = None,
    tokenizer_paths: Mapping[str, str] | None = None,
    weights_source: Any = None,
    device: str | torch.device | None = None,
) -> TerraMindTiM:
    """Build a TiM backbone of one size in eval mode.

    Args:
        size: ``"tiny"``, ``"small"``, ``"base"`` or ``"large"``.
        pretrained: load ``TerraMind_v1_<size>.pt`` into both encoder copies and every tokenizer file.
        modalities: inputs (default ``["S2L2A"]``); tim_modalities: generated modalities (default LULC).
        merge_method, tim_temps, tim_top_p, tim_top_k: see :class:`TerraMindTiM`.
        tim_decoding_steps: must be 1. bands: not supported for TiM (as the reference).
        ckpt_path: local TerraMind checkpoint; tokenizer_paths: ``{"LULC": path}`` local tokenizer files.
        weights_source: ``core.checkpoints.WeightsSource``. device: target device (default CPU).

    Raises:
        InputError: bad arguments. WeightsError: checkpoint problems.
    """
    from ..checkpoints import WeightsSource
    from .weights import apply_checkpoint, backbone_checkpoint, build_with_weights

    if bands:
        raise InputError(tr("Band subsets are not supported for TiM models; use the plain backbone."))
    if tim_decoding_steps != 1:
        raise InputError(tr("Only tim_decoding_steps=1 is supported; got {0!r}.").format(tim_decoding_steps))
    source = weights_source or WeightsSource()

    def construct() -> TerraMindTiM:
        return TerraMindTiM(
            config_for(size),
            modalities or ["S2L2A"],
            tim_modalities,
            merge_method,
            tim_temps,
            tim_top_p,
            tim_top_k,
        )

    if ckpt_path is None and not pretrained:
        model = construct()
        load_tokenizers(model.tokenizer, tokenizer_paths, pretrained, source)
        return model.to(device or "cpu").eval()

    checkpoint = backbone_checkpoint(size, ckpt_path, source)

    def load(model: TerraMindTiM) -> None:
        path, state = checkpoint()
        optional = {k for k in model.state_dict() if k.startswith("tokenizer.") or k == "missing_mod_token"}
        prefixes = ("", "sampler.model.")  # no-i18n: key prefixes of TiM checkpoints
        apply_checkpoint(model, state, prefixes=prefixes, optional=optional, source=path)
        load_tokenizers(model.tokenizer, tokenizer_paths, pretrained, source)

    return build_with_weights(construct, load).to(device or "cpu").eval()


BACKBONE_REGISTRY.register_sizes(
    build_tim,
    "_tim",
    "TiM backbone",  # no-i18n: words of the builders' docstrings
)
