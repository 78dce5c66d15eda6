"""Fine-tune files for tests: TerraTorch YAML configs and seeded checkpoints (Lightning or plain layout),
and dated scenes from the real TerraMesh samples (different tiles standing in for dates)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import torch
import yaml

from helpers.paths import SAMPLE_IDS, example

__all__ = ["write_config", "write_checkpoint", "write_dated_scene", "write_array_raster"]


def write_config(
    path: Path,
    model_args: Mapping[str, Any],
    means: Mapping[str, Sequence[float]] | None = None,
    stds: Mapping[str, Sequence[float]] | None = None,
    class_names: Sequence[str] | None = None,
) -> Path:
    """A TerraTorch ``SemanticSegmentationTask`` config with ``model_args`` and the data statistics."""
    init: dict[str, Any] = {"model_factory": "EncoderDecoderFactory", "model_args": dict(model_args)}
    if class_names:
        init["class_names"] = list(class_names)
    data: dict[str, Any] = {"batch_size": 8}
    if means:
        data.update(means={k: list(v) for k, v in means.items()}, stds={k: list(v) for k, v in stds.items()})
    config = {
        "model": {"class_path": "terratorch.tasks.SemanticSegmentationTask", "init_args": init},
        "data": {"class_path": "impactmesh.impactmesh_datamodule.ImpactMeshDataModule", "init_args": data},
    }
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


class _LossStandIn:
    """An arbitrary class in the checkpoint's hyper-parameters (jsonargparse namespaces in real files)."""

    def __init__(self) -> None:
        self.weights = [0.342, 1.316]


def write_checkpoint(path: Path, state_dict: Mapping[str, torch.Tensor], layout: str = "lightning") -> Path:
    """Save ``state_dict`` as a TerraTorch Lightning checkpoint (``model.`` prefix, metadata) or plainly."""
    if layout == "plain":
        torch.save(dict(state_dict), path)
        return path
    torch.save(
        {
            "epoch": 16,
            "pytorch-lightning_version": "2.6.1",
            "state_dict": {f"model.{k}": v for k, v in state_dict.items()},
            "hyper_parameters": {"loss": _LossStandIn()},
            "optimizer_states": [],
        },
        path,
    )
    return path


def write_array_raster(path: Path, data: np.ndarray, like: str) -> str:
    """Write (C, H, W) ``data`` as float32 GeoTIFF with the CRS, origin and pixel size of ``like``."""
    with rasterio.open(like) as src:
        profile = dict(
            driver="GTiff", crs=src.crs, transform=src.transform, width=data.shape[2], height=data.shape[1],
            count=data.shape[0], dtype="float32",
        )  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data.astype(np.float32))
    return str(path)


def write_dated_scene(folder: Path, modalities: Sequence[str], dates: int = 4) -> list[dict[str, str]]:
    """``dates`` sets of rasters: date i holds sample i's data on sample 0's georeference."""
    out = []
    for i in range(dates):
        files = {}
        for m in modalities:
            with rasterio.open(example(m, SAMPLE_IDS[i % len(SAMPLE_IDS)])) as src:
                data = src.read().astype(np.float32)
            files[m] = write_array_raster(folder / f"{m}_{i}.tif", data, str(example(m, SAMPLE_IDS[0])))
        out.append(files)
    return out
