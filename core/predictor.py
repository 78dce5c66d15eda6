"""Build the model a job needs and wrap it as a tile predictor: raw tiles in, logits/values/embeddings out.

Only what the task needs is built: the generation model with the one output modality for LULC / S1GRD /
other modalities, or the backbone (merge ``"mean"``) for embeddings (docs/model.md §4.3, §5.4, §6.5).
torch and the model are imported inside the functions.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from typing import Any, Callable, Optional, Protocol

import numpy as np

from .i18n import tr
from .jobs import JobSpec, ProgressCallback
from .products import TASKS, generated_product, product_for_modality
from .shifted_windows import PATCH, SHIFT_BATCH, strided_embeddings

log = logging.getLogger(__name__)


StepCallback = Callable[[int, int], None]


class Predictor(Protocol):
    """A model on a batch of tiles.

    Attributes:
        out_channels: C_out, channels of the output (10 LULC logits, 2 dB bands, D embedding features).
        out_scale: input pixels per output pixel: 1 for images, 16 for patch embeddings.
        provenance: tags written into every output (model name, checkpoint sha256, ...).

    The real predictors also have ``device`` (the torch device the model computes on): the tile pass reads
    the next batch beside a GPU model but between batches of a CPU model (``tile_pass.runs_on_cpu``);
    stand-ins without it count as CPU models.
    """

    out_channels: int
    out_scale: int
    provenance: dict[str, str]

    def __call__(
        self,
        batch: dict[str, np.ndarray],
        origins: Sequence[tuple[int, int]],
        on_step: StepCallback | None = None,
    ) -> np.ndarray:
        """Run the model on a batch of tiles.

        Args:
            batch: ``{modality: (B, C, T, T) float32 raw values}``.
            origins: (row, col) of each tile in the grid; seeds per-tile randomness so results do not
                depend on how tiles are batched.
            on_step: ``on_step(step, num_steps)`` after each diffusion step (slow decoders only); may raise
                ``JobCancelled`` to stop mid-batch.

        Returns:
            (B, out_channels, T/out_scale, T/out_scale) float32.
        """


#: ``factory(spec, input_modalities, progress) -> Predictor``; ``build_predictor`` is the real one.
PredictorFactory = Callable[[JobSpec, Sequence[str], Optional[ProgressCallback]], Predictor]


def generated_modality(spec: JobSpec) -> str | None:
    """The modality a job generates (``None`` for backbone tasks such as embeddings)."""
    product = generated_product(spec.task, spec.output_modality)
    return product.modality if product is not None else None


class GenerationPredictor:
    """Any-to-any generation of one modality: LULC logits or de-standardised values (docs/model.md §6.5)."""

    out_scale = 1

    def __init__(
        self, model: Any, modality: str, spec: JobSpec, device: Any, dtype: Any, provenance: dict[str, str]
    ):
        self.model, self.modality, self.spec = model, modality, spec
        self.device, self.dtype, self.provenance = device, dtype, provenance
        self.out_channels = product_for_modality(modality).model_channels

    def __call__(
        self,
        batch: dict[str, np.ndarray],
        origins: Sequence[tuple[int, int]],
        on_step: StepCallback | None = None,
    ) -> np.ndarray:
        import torch

        from .device import autocast

        s = self.spec
        steps = (lambda name, step, num_steps: on_step(step, num_steps)) if on_step else None
        first = next(iter(batch.values()))
        noise = None
        if not product_for_modality(self.modality).classes:  # diffusion decoder: noise seeded per tile
            shape = (self.out_channels,) + first.shape[2:]
            noise = {self.modality: torch.stack([tile_noise(s.seed, r, c, shape) for r, c in origins])}
        with torch.inference_mode(), autocast(self.device, self.dtype):
            x = {k: torch.from_numpy(np.ascontiguousarray(v)).to(self.device) for k, v in batch.items()}
            out = self.model(
                x,
                timesteps=s.timesteps,
                temperature=s.temperature,
                top_p=s.top_p,
                top_k=s.top_k,
                seed=s.seed,
                noise=noise,
                progress=steps,
            )[self.modality]
        return out.float().cpu().numpy()


def tile_noise(seed: int, row: int, col: int, shape: tuple[int, ...]) -> Any:
    """Standard-normal float32 CPU tensor of ``shape`` that depends only on the seed and the tile's origin."""
    import torch

    key = ((seed * 1_000_003 + row) * 1_000_003 + col) % (2**63)
    return torch.randn(shape, generator=torch.Generator().manual_seed(key), dtype=torch.float32)


class EmbeddingPredictor:
    """Backbone patch embeddings, mean-merged over the input modalities, as a (B, D, T/s, T/s) map.

    ``stride`` s = 16 gives one vector per patch; 8 or 4 runs shifted windows (``core.shifted_windows``).
    """

    def __init__(
        self, model: Any, dim: int, device: Any, dtype: Any, provenance: dict[str, str], stride: int = PATCH
    ):
        self.model, self.out_channels, self.device, self.dtype = model, dim, device, dtype
        self.provenance, self.out_scale = provenance, stride

    def __call__(
        self,
        batch: dict[str, np.ndarray],
        origins: Sequence[tuple[int, int]],
        on_step: StepCallback | None = None,
    ) -> np.ndarray:
        # On a GPU the batch size is what fits in memory (out-of-memory back-off): one batch per call.
        b = len(next(iter(batch.values())))
        max_batch = SHIFT_BATCH if str(self.device).startswith("cpu") else b
        return strided_embeddings(self._tokens, batch, self.out_scale, max_batch)

    def _tokens(self, batch: dict[str, np.ndarray]) -> np.ndarray:
        import torch

        from .device import autocast
        from .terramind.standardize import standardize

        first = next(iter(batch.values()))
        b, _, h, w = first.shape
        with torch.inference_mode(), autocast(self.device, self.dtype):
            x = {
                k: standardize(torch.from_numpy(np.ascontiguousarray(v)).to(self.device), k)
                for k, v in batch.items()
            }
            tokens = self.model(x)  # (B, N, D), N = (h/16)*(w/16) row-major
        tokens = tokens.float().cpu()
        return tokens.transpose(1, 2).reshape(b, -1, h // PATCH, w // PATCH).numpy()  # (B, D, h/16, w/16)


def build_predictor(
    spec: JobSpec, modalities: Sequence[str], progress: ProgressCallback | None = None
) -> Predictor:
    """Build the model for ``spec`` on its device and precision through the registries.

    Args:
        spec: the job.
        modalities: input modalities in the order the pipeline passes them.
        progress: receives download progress of missing checkpoint files.

    Raises:
        WeightsError: a checkpoint is missing or unusable. InputError: unknown size/device/precision.
    """
    if TASKS[spec.task].model == "task":
        from .tasks.predictor import build_segment_predictor

        return build_segment_predictor(spec, modalities, progress)
    from . import BACKBONE_REGISTRY, FULL_MODEL_REGISTRY
    from .checkpoints import WeightsSource, backbone_checkpoint_name, resolve_checkpoint
    from .device import cast_matmul_weights, choose_precision, resolve_device
    from .terramind.registry import config_for

    device = resolve_device(spec.device)
    precision = choose_precision(spec.precision, device)
    dtype = precision.dtype

    def on_bytes(done: int, total: int) -> None:
        if progress is not None and total:
            progress(
                0.0, tr("Downloading weights: {0:.0f} / {1:.0f} MiB").format(done / 2**20, total / 2**20)
            )

    source = WeightsSource(
        weights_dir=spec.weights_dir, cache_dir=spec.cache_dir, offline=spec.offline, progress=on_bytes
    )
    backbone = backbone_checkpoint_name(spec.model_size)
    out = generated_modality(spec)
    if out is None:
        name = backbone
        model = BACKBONE_REGISTRY.build(
            name, pretrained=True, modalities=list(modalities), merge_method="mean", weights_source=source
        )
    else:
        name = f"{backbone}_generate"
        model = FULL_MODEL_REGISTRY.build(
            name,
            pretrained=True,
            modalities=list(modalities),
            output_modalities=[out],
            timesteps=spec.timesteps,
            standardize=True,
            weights_source=source,
        )
        model.drop_unused_encoders()
    model = cast_matmul_weights(model.eval().to(device), dtype)
    provenance = {
        "TERRAMIND_MODEL": name,
        "TERRAMIND_CHECKPOINT_SHA256": file_sha256(str(resolve_checkpoint(backbone, source))),
        "TERRAMIND_DEVICE": str(device),
        "TERRAMIND_PRECISION": precision.name,
        "TERRAMIND_PRECISION_REASON": precision.reason,
    }
    log.info("Built %s on %s in %s (%s)", name, device, precision.name, precision.reason)
    if out is None:
        provenance["TERRAMIND_EMBEDDING_STRIDE"] = str(spec.embedding_stride)
        dim = config_for(spec.model_size).dim
        return EmbeddingPredictor(model, dim, device, dtype, provenance, spec.embedding_stride)
    return GenerationPredictor(model, out, spec, device, dtype, provenance)


_SHA_CACHE: dict[tuple, str] = {}


def file_sha256(path: str) -> str:
    """SHA-256 hex digest of a file (cached per path, size and modification time)."""
    st = os.stat(path)
    key = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
    if key not in _SHA_CACHE:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 22), b""):
                h.update(chunk)
        _SHA_CACHE[key] = h.hexdigest()
    return _SHA_CACHE[key]
