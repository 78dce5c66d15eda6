"""``TerraMindViT``: the TerraMind encoder used as a backbone (docs/model.md §3.5, §5).

Inputs are already standardised (see :mod:`.standardize`); the backbone never standardises. The token
sequence is the concatenation of each input's ``x + pos/mod emb`` in input-dict order, passed through the
pre-norm blocks; the last block output goes through ``encoder_norm`` and is merged over modalities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

import torch
from torch import nn

from ..errors import InputError
from ..i18n import tr
from .embeddings import ImageEncoderEmbedding, ImageTokenEncoderEmbedding, SequenceEncoderEmbedding
from .layers import Block, LayerNorm
from .modalities import MODALITY_INFO, PRETRAINED_BANDS, input_modality_key
from .registry import BACKBONE_REGISTRY, TerraMindConfig, config_for

if TYPE_CHECKING:
    from .weights import LoadReport

__all__ = ["TerraMindViT", "MERGE_METHODS", "build_backbone"]

MERGE_METHODS = ("mean", "max", "concat", "dict", None)

#: A configured modality: a user name (``"S2L2A"``) or ``{new_name: num_channels}`` for a new raw modality.
ModalitySpec = Union[str, Mapping[str, int]]
Output = Union[torch.Tensor, dict[str, torch.Tensor]]


def _build_embedding(key: str, cfg: TerraMindConfig) -> nn.Module:
    info = MODALITY_INFO[key]
    if info.kind == "raw":
        return ImageEncoderEmbedding(info.num_channels, cfg.dim, cfg.patch_size, cfg.img_size)
    if info.kind == "tok":
        return ImageTokenEncoderEmbedding(info.vocab_size, cfg.dim, cfg.patch_size, cfg.img_size)
    return SequenceEncoderEmbedding(info.vocab_size, info.max_length, cfg.dim)


class TerraMindViT(nn.Module):
    """TerraMind encoder with per-modality embeddings and merged outputs (docs/model.md §5).

    Args:
        config: size hyper-parameters.
        modalities: configured inputs, in order. User names of pretrained modalities (``"S2L2A"``,
            ``"S2L1C"``, ``"S1GRD"``, ``"S1RTC"``, ``"DEM"``, ``"RGB"``; tokenized ``"LULC"``/``"NDVI"``
            and ``"coords"`` take token ids), or ``{name: num_channels}`` for a new, randomly initialised
            raw modality.
        merge_method: ``"mean"``/``"max"`` (B, N, D) over image modalities, ``"concat"`` (B, N, D*M),
            ``"dict"`` {name: (B, N, D)} or ``None`` (raw (B, sum N, D) sequence).

    Raises:
        InputError: unknown modality or merge method, or a modality given twice.
    """

    def __init__(
        self, config: TerraMindConfig, modalities: Sequence[ModalitySpec], merge_method: str | None = "mean"
    ) -> None:
        super().__init__()
        if merge_method not in MERGE_METHODS:
            raise InputError(
                tr("Unknown merge_method {0!r}; valid: {1}.").format(
                    merge_method, ", ".join(map(str, MERGE_METHODS))
                )
            )
        if isinstance(modalities, (str, Mapping)):
            modalities = [modalities]
        if not modalities:
            raise InputError(tr("At least one input modality is needed, e.g. modalities=['S2L2A']."))
        self.config = config
        self.merge_method = merge_method
        self.mod_name_mapping: dict[str, str] = {}
        embeddings: dict[str, nn.Module] = {}
        for entry in modalities:
            pairs = entry.items() if isinstance(entry, Mapping) else [(entry, None)]
            for name, channels in pairs:
                key = name if channels is not None else input_modality_key(name)
                if key in embeddings:
                    raise InputError(tr("Modality {0!r} is configured twice.").format(name))
                embeddings[key] = (
                    ImageEncoderEmbedding(int(channels), config.dim, config.patch_size, config.img_size)
                    if channels is not None
                    else _build_embedding(key, config)
                )
                self.mod_name_mapping[name] = key
        self.modalities = list(self.mod_name_mapping)
        self.bands: dict[str, tuple[str, ...]] = {
            k: PRETRAINED_BANDS[k] for k in embeddings if k in PRETRAINED_BANDS
        }
        if merge_method == "concat":
            # Not in the checkpoints; the reference leaves it uninitialised, we start from zeros.
            self.missing_mod_token = nn.Parameter(torch.zeros(config.dim))
        self.encoder_embeddings = nn.ModuleDict(embeddings)
        self.image_modalities = [k for k, m in embeddings.items() if isinstance(m, ImageEncoderEmbedding)]
        self.encoder = nn.ModuleList(
            Block(**config.block_kwargs, norm_layer=LayerNorm) for _ in range(config.depth)
        )
        self.encoder_norm = LayerNorm(config.dim)
        width = config.dim * len(self.image_modalities) if merge_method == "concat" else config.dim
        self.out_channels = [width] * config.depth
        self.load_report: LoadReport | None = None  # set by build_backbone when a checkpoint is loaded

    # -- configuration -------------------------------------------------------------------------------

    def select_bands(self, bands: Mapping[str, Sequence[str]]) -> None:
        """Restrict or reorder the input bands of configured raw modalities after loading (model.md §3.4).

        Args:
            bands: ``{user name: [band names]}``, e.g. ``{"S2L2A": ["RED", "GREEN", "BLUE", "NIR_BROAD"]}``.

        Raises:
            InputError: the modality is not configured, has no pretrained band order, or a band is unknown.
        """
        for name, names in bands.items():
            key = self.configured_key(name)
            if key not in self.bands:
                raise InputError(tr("Modality {0!r} has no named bands to select from.").format(name))
            try:
                self.encoder_embeddings[key].select_bands(list(names), self.bands[key])
            except InputError as err:
                raise InputError(f"{name}: {err}") from None
            self.bands[key] = tuple(names)

    def configured_key(self, name: str) -> str:
        """Modality key of a configured input given by user name or key (``"S2L2A"`` -> its key).

        Raises:
            InputError: ``name`` is not a configured modality; the message lists the configured ones.
        """
        if name in self.mod_name_mapping:
            return self.mod_name_mapping[name]
        try:
            key = input_modality_key(name)
        except InputError:
            key = None
        if key not in self.encoder_embeddings:
            raise InputError(
                tr("Input {0!r} is not a configured modality of this model; configured: {1}.").format(
                    name, ", ".join(self.modalities)
                )
            )
        return key

    # -- forward --------------------------------------------------------------------------------------

    def check_image_input(self, name: str, key: str, x: torch.Tensor) -> torch.Tensor:
        """Validate a standardised image input and move it to the embedding's device.

        Args:
            name: user name, for messages.
            key: configured modality key of a raw image modality.
            x: (B, C, H, W) with C the embedding's channels and H, W positive multiples of the patch size.

        Returns:
            ``x`` on the device of the embedding weights (the embedding converts the dtype: in reduced
            precision while it lays out the patches).

        Raises:
            InputError: not a 4-D tensor, wrong channel count, bad size, NaN or infinite values.
        """
        emb = self.encoder_embeddings[key]
        if not isinstance(x, torch.Tensor) or x.dim() != 4:
            shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
            raise InputError(tr("{0} input must be a (B, C, H, W) tensor, got {1}.").format(name, shape))
        _, C, H, W = x.shape
        if C != emb.num_channels:
            bands = f" ({', '.join(self.bands[key])})" if key in self.bands else ""
            raise InputError(
                tr("{0} input has {1} channels; this model expects {2}{3}.").format(
                    name, C, emb.num_channels, bands
                )
            )
        P = self.config.patch_size
        if H == 0 or W == 0 or H % P or W % P:
            raise InputError(
                tr("{0} input is {1}x{2} pixels; height and width must be positive multiples of {3}.").format(
                    name, H, W, P
                )
            )
        # A finite sum proves every value finite (NaN and inf propagate); it is 30x cheaper than isfinite.
        if x.is_floating_point() and not torch.isfinite(x.sum()) and not torch.isfinite(x).all():
            raise InputError(
                tr("{0} input contains NaN or infinite values; fill or mask nodata first.").format(name)
            )
        return x.to(device=emb.proj.weight.device)

    def _collect(self, d: Any, kwargs: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
        """Normalise the call arguments to [(user name, modality key, tensor)] in input order."""
        if isinstance(d, torch.Tensor):
            d = {self.modalities[0]: d}
        items = list((d or {}).items()) + list(kwargs.items())
        if not items:
            raise InputError(
                tr("No input given; configured modalities: {0}.").format(", ".join(self.modalities))
            )
        out, seen = [], set()
        for name, x in items:
            key = self.configured_key(name)
            if key in seen:
                raise InputError(tr("Modality {0!r} is given twice.").format(name))
            seen.add(key)
            if key in self.image_modalities:
                x = self.check_image_input(name, key, x)
            elif not isinstance(x, torch.Tensor) or x.is_floating_point():
                raise InputError(
                    tr("{0} input must be integer token ids, got {1}.").format(
                        name, getattr(x, "dtype", type(x))
                    )
                )
            out.append((name, key, x))
        return out

    def forward(self, d: Any = None, *, all_layers: bool = False, **kwargs: torch.Tensor) -> Any:
        """Encode inputs.

        Args:
            d: ``{name: tensor}`` (standardised (B, C, H, W) images; integer ids for token modalities) or a
                plain tensor for the first configured modality. Token order follows the dict order.
            all_layers: return the list of every block output as the reference does (raw block outputs;
                the last one passed through ``encoder_norm``), each merged.
            **kwargs: more inputs by name, appended after ``d``.

        Returns:
            The merged last layer: (B, N, D) for mean/max, (B, N, D*M) for concat, {name: (B, N_i, D)}
            for dict, (B, sum N_i, D) for None; or a list of those when ``all_layers``.

        Raises:
            InputError: unknown modality, wrong shape/channels, H or W not a multiple of 16, NaN/inf values.
        """
        inputs = self._collect(d, kwargs)
        parts = [self.encoder_embeddings[key](x) for _, key, x in inputs]
        num_tokens = [p.x.shape[1] for p in parts]
        x = torch.cat([p.x + p.emb for p in parts], dim=1)  # (B, sum N_i, D)
        layers = []
        for block in self.encoder:
            x = block(x)
            if all_layers:
                layers.append(x)
        last = self.encoder_norm(x)
        layers = layers[:-1] + [last] if all_layers else [last]
        merged = [self.merge_tokens(y, inputs, num_tokens) for y in layers]
        return merged if all_layers else merged[0]

    def merge_tokens(
        self, x: torch.Tensor, inputs: Sequence[tuple[str, str, Any]], num_tokens: Sequence[int]
    ) -> Output:
        """Merge one layer's token sequence over modalities with ``merge_method``.

        Args:
            x: (B, sum N_i, D) tokens of the inputs, concatenated in input order.
            inputs: ``(user name, modality key, input)`` per input, in the same order.
            num_tokens: N_i of each input.

        Returns:
            As :meth:`forward` (``missing_mod_token`` fills absent image modalities for ``"concat"``).

        Raises:
            InputError: no image input, or image inputs on different grids, for mean/max/concat.
        """
        if self.merge_method is None:
            return x
        chunks = torch.split(x, num_tokens, dim=1)
        if self.merge_method == "dict":
            return {name: c for (name, _, _), c in zip(inputs, chunks)}
        images = [c for (_, key, _), c in zip(inputs, chunks) if key in self.image_modalities]
        if not images:
            raise InputError(
                tr("merge_method={0!r} needs at least one image input.").format(self.merge_method)
            )
        if len({c.shape[1] for c in images}) > 1:
            raise InputError(
                tr(
                    "Inputs have different sizes ({0}: {1} tokens); "
                    "merge_method={2!r} needs all image inputs on the same pixel "
                    "grid."
                ).format(", ".join((n for n, _, _ in inputs)), num_tokens, self.merge_method)
            )
        if len(images) == 1 and self.merge_method in ("mean", "max"):
            return images[0]  # mean/max over one modality is the identity (bit-exact), skip the copies
        stacked = torch.stack(images, dim=1)  # (B, M, N, D)
        if self.merge_method == "mean":
            return stacked.mean(dim=1)
        if self.merge_method == "max":
            return stacked.max(dim=1).values
        missing = len(self.image_modalities) - len(images)
        if missing > 0:  # missing-modality tokens go after the given ones (reference behaviour)
            B, _, N, D = stacked.shape
            filler = self.missing_mod_token.to(stacked.dtype).expand(B, missing, N, D)
            stacked = torch.cat([stacked, filler], dim=1)
        return torch.cat(stacked.unbind(dim=1), dim=-1)  # (B, N, D*M)

    @torch.inference_mode()
    def predict(self, d: Any = None, *, all_layers: bool = False, **kwargs: torch.Tensor) -> Any:
        """:meth:`forward` under ``torch.inference_mode`` (the API edge for inference)."""
        return self.forward(d, all_layers=all_layers, **kwargs)


_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def _as_dtype(dtype: Any) -> torch.dtype | None:
    if dtype is None or isinstance(dtype, torch.dtype):
        return dtype
    if dtype not in _DTYPES:
        raise InputError(tr("Unknown dtype {0!r}; valid: {1}.").format(dtype, ", ".join(_DTYPES)))
    return _DTYPES[dtype]


def _keys_not_in_checkpoints(model: TerraMindViT) -> set[str]:
    """Model keys no official checkpoint holds: ``missing_mod_token``, new ``{name: channels}`` embeddings."""
    new = tuple(
        f"encoder_embeddings.{k}."  # no-i18n: state_dict keys
        for k in model.encoder_embeddings
        if k not in MODALITY_INFO
    )
    return {k for k in model.state_dict() if k == "missing_mod_token" or (new and k.startswith(new))}


def build_backbone(
    size: str,
    pretrained: bool = False,
    modalities: Sequence[ModalitySpec] | None = None,
    bands: Mapping[str, Sequence[str]] | None = None,
    merge_method: str | None = "mean",
    ckpt_path: str | None = None,
    weights_source: Any = None,
    device: str | torch.device | None = None,
    dtype: str | torch.dtype | None = None,
) -> TerraMindViT:
    """Build a ``TerraMindViT`` of one size, load weights, select bands, move and set eval mode.

    Args:
        size: ``"tiny"``, ``"small"``, ``"base"`` or ``"large"``.
        pretrained: load the official checkpoint through ``weights_source`` (download or cache).
        modalities: configured inputs (default ``["S2L2A"]``), see :class:`TerraMindViT`.
        bands: ``{name: [band names]}`` subsets/permutations applied after loading (docs/model.md §3.4).
        merge_method: see :class:`TerraMindViT`.
        ckpt_path: local checkpoint file; wins over ``pretrained``.
        weights_source: ``core.checkpoints.WeightsSource`` (cache, local folder, offline, progress).
        device: ``"cpu"``, ``"cuda"``, ``"mps"`` ... (default CPU).
        dtype: ``"float32"`` (default), ``"bfloat16"`` or ``"float16"`` (or a torch dtype).

    Raises:
        InputError: bad modality, band, merge method or dtype.
        WeightsError: checkpoint missing, unreadable or of another model size.
    """
    from .weights import apply_checkpoint, backbone_checkpoint, build_with_weights

    torch_dtype = _as_dtype(dtype)

    def construct() -> TerraMindViT:
        return TerraMindViT(config_for(size), modalities or ["S2L2A"], merge_method)

    if ckpt_path is not None or pretrained:
        checkpoint = backbone_checkpoint(size, ckpt_path, weights_source)

        def load(model: TerraMindViT) -> None:
            path, state = checkpoint()
            optional = _keys_not_in_checkpoints(model)
            model.load_report = apply_checkpoint(model, state, optional=optional, source=path)

        model = build_with_weights(construct, load)
    else:
        model = construct()
    if bands:
        model.select_bands(bands)
    model.to(device=device or "cpu", dtype=torch_dtype)
    return model.eval()


BACKBONE_REGISTRY.register_sizes(build_backbone, "", "backbone")
