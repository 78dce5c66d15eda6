"""The one-click fine-tunes: file names in the weights table, checked against the repository listing before
any download (a renamed file is refused with the listing, never guessed)."""

from __future__ import annotations

import pytest

from terramind_qgis.core import WeightsError
from terramind_qgis.core.checkpoints import CHECKPOINTS, WeightsSource, resolve_checkpoint
from terramind_qgis.core.tasks.catalog import TASK_MODELS, catalog_model, class_colors


def test_catalog_entries_name_files_of_the_weights_table():
    for model in TASK_MODELS.values():
        repo, ckpt = CHECKPOINTS[model.checkpoint]
        assert CHECKPOINTS[model.config][0] == repo == f"ibm-esa-geospatial/{model.name}"
        assert ckpt.endswith(".pt") and CHECKPOINTS[model.config][1].endswith(".yaml")
        assert len(model.class_names) == len(model.colors) == 2


def test_unknown_model_lists_the_known_ones():
    with pytest.raises(Exception, match="TerraMind-base-Flood, TerraMind-base-Fire"):
        catalog_model("TerraMind-base-Landslide")


def test_colours_fall_back_to_the_palette():
    assert class_colors(3, ("#000000",))[0] == "#000000" and len(set(class_colors(12))) == 12


def test_a_file_missing_from_the_repository_listing_is_refused_before_download(monkeypatch, tmp_path):
    import huggingface_hub

    listing = [
        "README.md",
        "TerraMind_v2_base_ImpactMesh_flood.pt",
        "terramind_v1_base_impactmesh_flood.yaml",
    ]
    monkeypatch.setattr(huggingface_hub, "list_repo_files", lambda repo: listing)
    monkeypatch.setattr(huggingface_hub, "hf_hub_download", lambda *a, **k: pytest.fail("downloaded a guess"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    source = WeightsSource(cache_dir=str(tmp_path))
    with pytest.raises(
        WeightsError, match="has no file TerraMind_v1_base_ImpactMesh_flood.pt .*TerraMind_v2"
    ):
        resolve_checkpoint("terramind_v1_base_impactmesh_flood", source)
