"""TerraMind v1 image tokenizers: ViT encoder + FSQ, and their decoders (docs/model.md §7).

* :class:`VQVAE` (LULC): ViT-B encoder on one-hot class maps, FSQ 7-5-5-5-5, ViT-B decoder -> class logits.
* :class:`DiVAE` (S2L2A, S1GRD, S1RTC, DEM, NDVI): ViT-B encoder, FSQ 8-8-8-6-5, patched-UNet diffusion
  decoder sampled with DDIM.

Attribute names (``encoder``, ``quant_proj``, ``decoder``, ``post_quant_proj``, ``pos_emb``, ``proj``,
``blocks``, ``norm_mlp``, ``post_mlp``, ``out_proj``) are the official checkpoint keys. Inputs are
standardised values (docs/model.md §4.3); token grids are (H/16, W/16).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from ..checkpoints import WeightsSource, resolve_checkpoint
from ..checkpoints import tokenizer_checkpoint_name as checkpoint_name_of_modality
from ..errors import InputError
from ..i18n import tr
from .diffusion import ddim_sample, initial_noise, trailing_timesteps, zero_terminal_snr_alphas_cumprod
from .embeddings import build_2d_sincos_posemb
from .fsq import IMAGE_LEVELS, LULC_LEVELS, FiniteScalarQuantizer
from .layers import Block, Mlp
from .registry import FULL_MODEL_REGISTRY
from .unet import PatchedUNet

__all__ = [
    "TokenizerSpec",
    "TOKENIZER_SPECS",
    "TokenizerEncoding",
    "ViTTokenizerEncoder",
    "ViTTokenizerDecoder",
    "VQVAE",
    "DiVAE",
    "build_tokenizer_module",
    "build_tokenizer",
    "load_tokenizer_weights",
    "load_tokenizers",
    "tokenizer_path",
    "check_diffusion_size",
]

PATCH = 16
DIM = 768
DEPTH = 12
HEADS = 12
LATENT_DIM = 5
GRID = 16  # construction grid of the tokenizer pos_emb (image_size 256)


@dataclass(frozen=True)
class TokenizerSpec:
    """One official tokenizer (docs/model.md §2.1, §7.1).

    Attributes:
        name: user name (``"LULC"``).
        key: token modality key (``"tok_lulc@224"``).
        channels: image channels (10 LULC classes for the VQVAE).
        levels: FSQ levels.
        diffusion: DiVAE (diffusion decoder) rather than VQVAE.
        hf_repo: Hugging Face repository id.
        filename: checkpoint file name in that repository.
    """

    name: str
    key: str
    channels: int
    levels: tuple[int, ...]
    diffusion: bool
    hf_repo: str
    filename: str


def _spec(name: str, key: str, channels: int, diffusion: bool = True) -> TokenizerSpec:
    levels = IMAGE_LEVELS if diffusion else LULC_LEVELS
    repo = f"ibm-esa-geospatial/TerraMind-1.0-Tokenizer-{name}"
    return TokenizerSpec(name, key, channels, levels, diffusion, repo, f"TerraMind_Tokenizer_{name}.pt")


#: Official v1 tokenizers by token modality key.
TOKENIZER_SPECS: dict[str, TokenizerSpec] = {
    s.key: s
    for s in (
        _spec("S2L2A", "tok_sen2l2a@224", 12),
        _spec("S1RTC", "tok_sen1rtc@224", 2),
        _spec("S1GRD", "tok_sen1grd@224", 2),
        _spec("DEM", "tok_dem@224", 1),
        _spec("LULC", "tok_lulc@224", 10, diffusion=False),
        _spec("NDVI", "tok_ndvi@224", 1),
    )
}


class TokenizerEncoding(NamedTuple):
    """Result of a tokenizer's ``encode``.

    Attributes:
        latent: (B, 5, h, w) output of ``quant_proj`` (before FSQ).
        codes: (B, 5, h, w) FSQ codes in [0, 1].
        tokens: (B, h, w) int32 token ids.
    """

    latent: torch.Tensor
    codes: torch.Tensor
    tokens: torch.Tensor


def _layer_norm(dim: int) -> nn.Module:
    return nn.LayerNorm(dim, eps=1e-6)


def _sincos_grid() -> nn.Parameter:
    table = build_2d_sincos_posemb(GRID, GRID, DIM)  # (1, 256, D)
    return nn.Parameter(table.transpose(1, 2).reshape(1, DIM, GRID, GRID), requires_grad=False)


def _grid_positions(pos_emb: torch.Tensor, grid: tuple[int, int]) -> torch.Tensor:
    """Bicubic resize of the (1, D, 16, 16) table to ``grid`` (always, as the reference) -> (1, h*w, D)."""
    table = F.interpolate(pos_emb, size=grid, mode="bicubic", align_corners=False)
    return table.flatten(2).transpose(1, 2)


def _vit_blocks() -> nn.Sequential:
    return nn.Sequential(*[Block(DIM, HEADS, norm_layer=_layer_norm) for _ in range(DEPTH)])


class ViTTokenizerEncoder(nn.Module):
    """ViT-B/16 encoder with a float32 post-MLP: (B, C, H, W) -> (B, 768, H/16, W/16) (docs/model.md §7.2).

    Class maps (B, H, W) or (B, 1, H, W) are one-hot encoded to ``in_channels`` classes first.

    Args:
        in_channels: image channels, or number of classes for class maps.
    """

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.pos_emb = _sincos_grid()
        self.proj = nn.Conv2d(in_channels, DIM, kernel_size=PATCH, stride=PATCH)
        self.blocks = _vit_blocks()
        self.norm_mlp = _layer_norm(DIM)
        self.post_mlp = Mlp(DIM, 4 * DIM, act_layer=nn.Tanh)

    def _prepare(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 4 and x.shape[1] == self.in_channels:
            return x
        if x.dim() == 3 or (x.dim() == 4 and x.shape[1] == 1):
            ids = (x if x.dim() == 3 else x[:, 0]).long()
            if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= self.in_channels):
                got = f"{int(ids.min())}..{int(ids.max())}"
                raise InputError(
                    tr("Class map values must be in 0..{0}; got {1}.").format(self.in_channels - 1, got)
                )
            return F.one_hot(ids, self.in_channels).permute(0, 3, 1, 2).float()
        raise InputError(
            tr("Tokenizer input must be (B, {0}, H, W) or a class map (B, H, W); got shape {1}.").format(
                self.in_channels, tuple(x.shape)
            )
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C, H, W) standardised image or class map -> (B, 768, H/16, W/16) features."""
        x = self._prepare(x)
        B, _, H, W = x.shape
        if H % PATCH or W % PATCH:
            raise InputError(
                tr("Tokenizer input height and width must be multiples of {0}; got {1}x{2}.").format(
                    PATCH, H, W
                )
            )
        grid = (H // PATCH, W // PATCH)
        h = self.proj(x).flatten(2).transpose(1, 2)  # (B, N, D)
        h = self.blocks(h + _grid_positions(self.pos_emb, grid))
        h = h.float() + self.post_mlp(self.norm_mlp(h.float()))
        return h.transpose(1, 2).reshape(B, DIM, *grid)


class ViTTokenizerDecoder(nn.Module):
    """ViT-B/16 decoder: features (B, 768, h, w) -> (B, C, 16h, 16w) (docs/model.md §7.4).

    Args:
        out_channels: output channels C (10 LULC class logits).
    """

    def __init__(self, out_channels: int) -> None:
        super().__init__()
        self.out_channels = out_channels
        self.pos_emb = _sincos_grid()
        self.blocks = _vit_blocks()
        self.norm_mlp = _layer_norm(DIM)
        self.post_mlp = Mlp(DIM, 4 * DIM, act_layer=nn.Tanh)
        self.out_proj = nn.Linear(DIM, out_channels * PATCH * PATCH)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 768, h, w) -> (B, C, 16h, 16w); patches are un-flattened channel-major (c, ph, pw)."""
        B, _, gh, gw = x.shape
        h = x.flatten(2).transpose(1, 2) + _grid_positions(self.pos_emb, (gh, gw))  # (B, N, D)
        h = self.blocks(h)
        h = self.out_proj(h + self.post_mlp(self.norm_mlp(h)))  # (B, N, C*P*P)
        h = h.reshape(B, gh, gw, self.out_channels, PATCH, PATCH).permute(0, 3, 1, 4, 2, 5)
        return h.reshape(B, self.out_channels, gh * PATCH, gw * PATCH)


class _Tokenizer(nn.Module):
    """Shared encoder + FSQ part of :class:`VQVAE` and :class:`DiVAE`."""

    def __init__(self, spec: TokenizerSpec) -> None:
        super().__init__()
        self.spec = spec
        self.patch_size = PATCH
        self.encoder = ViTTokenizerEncoder(spec.channels)
        self.quant_proj = nn.Conv2d(DIM, LATENT_DIM, 1)
        self.quantize = FiniteScalarQuantizer(spec.levels)

    def encode(self, x: torch.Tensor) -> TokenizerEncoding:
        """Tokenise a standardised image (B, C, H, W) or class map (B, H, W); H, W multiples of 16."""
        latent = self.quant_proj(self.encoder(x))
        codes, tokens = self.quantize(latent)
        return TokenizerEncoding(latent, codes, tokens)

    def tokenize(self, x: torch.Tensor) -> torch.Tensor:
        """Token ids (B, H/16, W/16) int32 of an input as in :meth:`encode`."""
        return self.encode(x).tokens

    def _codes(self, tokens: torch.Tensor) -> torch.Tensor:
        if tokens.dim() != 3:
            raise InputError(
                tr("Token ids must be a (B, h, w) grid; got shape {0}.").format(tuple(tokens.shape))
            )
        if tokens.numel() and (int(tokens.min()) < 0 or int(tokens.max()) >= self.quantize.vocab_size):
            raise InputError(
                tr("{0} token ids must be in 0..{1}.").format(self.spec.name, self.quantize.vocab_size - 1)
            )
        return self.quantize.codes_from_tokens(tokens)


class VQVAE(_Tokenizer):
    """LULC tokenizer with a deterministic ViT decoder producing class logits."""

    def __init__(self, spec: TokenizerSpec) -> None:
        super().__init__(spec)
        self.decoder = ViTTokenizerDecoder(spec.channels)
        self.post_quant_proj = nn.Conv2d(LATENT_DIM, DIM, 1)

    def decode_tokens(self, tokens: torch.Tensor, **_: object) -> torch.Tensor:
        """Token ids (B, h, w) -> class logits (B, 10, 16h, 16w); extra keyword arguments are ignored."""
        codes = self._codes(tokens).to(self.post_quant_proj.weight.dtype)
        return self.decoder(self.post_quant_proj(codes))


StepCallback = Callable[[int, int], None]


def check_diffusion_size(height: int, width: int, name: str | None = None) -> None:
    """Raise :class:`InputError` unless the image is square with a side that is a multiple of 32.

    ``name`` names the image in the message (default: "Diffusion output")."""
    if height != width or height % 32 or height <= 0:
        raise InputError(
            tr(
                "{0} needs a square tile whose side is a multiple of 32 "
                "pixels (e.g. 224 or 256); got {1}x{2}."
            ).format(name or tr("Diffusion output"), height, width)
        )


class DiVAE(_Tokenizer):
    """Image tokenizer with a patched-UNet diffusion decoder sampled by DDIM (docs/model.md §7.3)."""

    def __init__(self, spec: TokenizerSpec) -> None:
        super().__init__(spec)
        self.decoder = PatchedUNet(spec.channels, LATENT_DIM)
        self.register_buffer("alphas_cumprod", zero_terminal_snr_alphas_cumprod(), persistent=False)

    def decode_tokens(
        self,
        tokens: torch.Tensor,
        timesteps: int = 50,
        noise: torch.Tensor | None = None,
        generator: torch.Generator | None = None,
        callback: StepCallback | None = None,
    ) -> torch.Tensor:
        """Decode token ids (B, h, w) to a standardised image (B, C, 16h, 16w) in [-1, 1].

        Args:
            timesteps: number of DDIM steps ("trailing" spacing).
            noise: explicit starting noise (B, C, 16h, 16w); overrides ``generator``.
            generator: CPU generator for the starting noise (global RNG if None).
            callback: called as ``callback(step, num_steps)`` after every UNet evaluation; it may raise
                (e.g. ``JobCancelled``) to abort decoding.

        Raises:
            InputError: the tile is not square with a side multiple of 32, or bad noise shape / ids.
        """
        codes = self._codes(tokens)
        B, _, gh, gw = codes.shape
        shape = (B, self.spec.channels, gh * PATCH, gw * PATCH)
        check_diffusion_size(shape[2], shape[3], tr("{0} generation").format(self.spec.name))
        device = self.decoder.time_embed[0].weight.device
        if noise is None:
            noise = initial_noise(shape, generator, device)
        elif tuple(noise.shape) != shape:
            raise InputError(
                tr("Diffusion noise must have shape {0}; got {1}.").format(shape, tuple(noise.shape))
            )
        steps = trailing_timesteps(timesteps)
        codes = codes.to(device)
        done = [0]

        def denoise(x: torch.Tensor, t: int) -> torch.Tensor:
            out = self.decoder(x, t, codes)
            done[0] += 1
            if callback is not None:
                callback(done[0], len(steps))
            return out

        return ddim_sample(denoise, noise.to(device), steps, self.alphas_cumprod)


def build_tokenizer_module(key: str) -> VQVAE | DiVAE:
    """Build an (untrained) tokenizer for a token modality key or user name (``"LULC"``).

    Raises:
        InputError: no tokenizer exists for that modality.
    """
    spec = TOKENIZER_SPECS.get(key) or next((s for s in TOKENIZER_SPECS.values() if s.name == key), None)
    if spec is None:
        names = ", ".join(s.name for s in TOKENIZER_SPECS.values())
        raise InputError(tr("No TerraMind tokenizer for {0!r}; available: {1}.").format(key, names))
    return DiVAE(spec) if spec.diffusion else VQVAE(spec)


def tokenizer_checkpoint_name(key: str) -> str:
    """Registered checkpoint name of a tokenizer (``"tok_lulc@224"`` -> ``"terramind_v1_tokenizer_lulc"``)."""
    return checkpoint_name_of_modality(TOKENIZER_SPECS[key].name)


def tokenizer_path(paths: Mapping[str, str] | None, key: str) -> str | None:
    """The entry of ``paths`` for tokenizer ``key``; entries are keyed by user name (``"LULC"``) or key."""
    if not paths:
        return None
    name = TOKENIZER_SPECS[key].name
    for k, v in paths.items():
        if k in (key, name) or k.upper() == name:
            return v
    return None


def load_tokenizer_weights(
    tokenizer: VQVAE | DiVAE, path: str | os.PathLike | None = None, weights_source: Any = None
) -> None:
    """Fill a tokenizer from its official checkpoint (all keys required, docs/model.md §2.2).

    Args:
        tokenizer: module to fill in place.
        path: local checkpoint file; if None it is resolved through ``weights_source``
            (weights folder, Hugging Face cache or download).
        weights_source: ``core.checkpoints.WeightsSource``.

    Raises:
        WeightsError: file missing/unreadable, or not this tokenizer's checkpoint.
    """
    from .weights import apply_checkpoint, load_checkpoint

    if path is None:
        path = resolve_checkpoint(
            tokenizer_checkpoint_name(tokenizer.spec.key), weights_source or WeightsSource()
        )
    apply_checkpoint(tokenizer, load_checkpoint(path), source=str(path))


def load_tokenizers(
    tokenizers: Mapping[str, VQVAE | DiVAE],
    paths: Mapping[str, str] | None,
    pretrained: bool,
    weights_source: Any = None,
) -> None:
    """Fill every tokenizer that has a local file in ``paths`` or, with ``pretrained``, its official one.

    Args:
        tokenizers: token modality key -> tokenizer module, filled in place.
        paths: ``{"LULC": path, ...}`` local checkpoints (see :func:`tokenizer_path`); they win.
        pretrained: resolve the others through ``weights_source``; if False they are left as built.
        weights_source: ``core.checkpoints.WeightsSource``.

    Raises:
        WeightsError: file missing/unreadable, or not that tokenizer's checkpoint.
    """
    for key, tok in tokenizers.items():
        path = tokenizer_path(paths, key)
        if path is not None or pretrained:
            load_tokenizer_weights(tok, path, weights_source)


def build_tokenizer(
    name: str,
    pretrained: bool = False,
    ckpt_path: str | None = None,
    weights_source: Any = None,
    device: str | torch.device | None = None,
) -> VQVAE | DiVAE:
    """Build a tokenizer in eval mode, optionally with its official weights.

    Args:
        name: user name (``"LULC"``, ``"S1GRD"`` ...) or token modality key.
        pretrained: load ``TerraMind_Tokenizer_<NAME>.pt`` through ``weights_source``.
        ckpt_path: local checkpoint file; wins over ``pretrained``.
        weights_source: ``core.checkpoints.WeightsSource``.
        device: target device (default CPU).

    Raises:
        InputError: unknown tokenizer. WeightsError: checkpoint problems.
    """
    from .weights import build_with_weights

    if ckpt_path is not None or pretrained:
        model = build_with_weights(
            lambda: build_tokenizer_module(name),
            lambda tok: load_tokenizer_weights(tok, ckpt_path, weights_source),
        )
    else:
        model = build_tokenizer_module(name)
    return model.to(device or "cpu").eval()


def _register(spec: TokenizerSpec) -> None:
    def builder(**kwargs: Any) -> VQVAE | DiVAE:
        return build_tokenizer(spec.key, **kwargs)

    builder.__doc__ = (
        f"TerraMind 1.0 {spec.name} tokenizer; "  # no-i18n: a docstring
        "keyword arguments as :func:`build_tokenizer`."
    )
    FULL_MODEL_REGISTRY.register(tokenizer_checkpoint_name(spec.key))(builder)


for _spec_entry in TOKENIZER_SPECS.values():
    _register(_spec_entry)
