"""Checkpoint files: their names, where they are (a local folder, the Hugging Face cache) and downloading
them. Loading them into models is ``core.terramind.weights``; this module needs neither torch nor the model.

Look-up order for a registered checkpoint name (:data:`CHECKPOINTS`):

1. ``WeightsSource.weights_dir``: a local folder holding files under their official names;
2. the Hugging Face cache (``WeightsSource.cache_dir`` or the default hub cache);
3. a (resumable) download with ``huggingface_hub.hf_hub_download``, unless offline
   (``WeightsSource.offline`` or ``HF_HUB_OFFLINE=1``).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import WeightsError
from .i18n import tr

__all__ = [
    "CHECKPOINTS",
    "WeightsSource",
    "backbone_checkpoint_name",
    "tokenizer_checkpoint_name",
    "resolve_checkpoint",
    "cached_checkpoints",
    "APPROX_BYTES",
    "size_text",
]

log = logging.getLogger(__name__)

_ORG = "ibm-esa-geospatial"


#: Registered checkpoint name -> (Hugging Face repo id, file name), docs/model.md §2.1.
def backbone_checkpoint_name(size: str) -> str:
    """Registered name of a backbone checkpoint (``"tiny"`` -> ``"terramind_v1_tiny"``)."""
    return f"terramind_v1_{size}"


def tokenizer_checkpoint_name(modality: str) -> str:
    """Registered name of a tokenizer checkpoint (``"LULC"`` -> ``"terramind_v1_tokenizer_lulc"``)."""
    return f"terramind_v1_tokenizer_{modality.lower()}"


CHECKPOINTS: dict[str, tuple[str, str]] = {
    **{
        backbone_checkpoint_name(s): (f"{_ORG}/TerraMind-1.0-{s}", f"TerraMind_v1_{s}.pt")
        for s in ("tiny", "small", "base", "large")
    },
    **{
        tokenizer_checkpoint_name(m): (
            f"{_ORG}/TerraMind-1.0-Tokenizer-{m}",
            f"TerraMind_Tokenizer_{m}.pt",
        )
        for m in ("S2L2A", "S1RTC", "S1GRD", "DEM", "LULC", "NDVI")
    },
    **{  # IBM/ESA fine-tunes on ImpactMesh (core/tasks/catalog.py): the checkpoint and its TerraTorch config
        f"terramind_v1_base_impactmesh_{task}{suffix}": (
            f"{_ORG}/TerraMind-base-{task.title()}",
            f"{stem}_{task}{ext}",
        )
        for task in ("flood", "fire")
        for suffix, stem, ext in (
            ("", "TerraMind_v1_base_ImpactMesh", ".pt"),
            ("_config", "terramind_v1_base_impactmesh", ".yaml"),
        )
    },
}


#: Approximate size of each checkpoint file in bytes (the Hugging Face listings, float32 state_dicts), for
#: telling users what a download costs before it starts.
APPROX_BYTES: dict[str, int] = {
    backbone_checkpoint_name("tiny"): 212_000_000,
    backbone_checkpoint_name("small"): 504_000_000,
    backbone_checkpoint_name("base"): 1_519_000_000,
    backbone_checkpoint_name("large"): 3_788_000_000,
    tokenizer_checkpoint_name("S2L2A"): 1_160_000_000,
    tokenizer_checkpoint_name("S1RTC"): 1_150_000_000,
    tokenizer_checkpoint_name("S1GRD"): 1_150_000_000,
    tokenizer_checkpoint_name("DEM"): 1_150_000_000,
    tokenizer_checkpoint_name("LULC"): 740_000_000,
    tokenizer_checkpoint_name("NDVI"): 1_150_000_000,
}


def size_text(nbytes: int) -> str:
    """``"0.95 GB"`` / ``"212 MB"``."""
    return f"{nbytes / 1e9:.2f} GB" if nbytes >= 1e9 * 0.9 else f"{nbytes / 1e6:.0f} MB"


@dataclass(frozen=True)
class WeightsSource:
    """Where checkpoints come from.

    Attributes:
        weights_dir: local folder with files under their official names (``TerraMind_v1_tiny.pt``,
            ``TerraMind_Tokenizer_LULC.pt`` ...); checked first.
        cache_dir: Hugging Face cache folder (default: the hub's own, ``HF_HUB_CACHE``).
        offline: never download (``HF_HUB_OFFLINE=1`` has the same effect).
        progress: ``progress(bytes_done, bytes_total)`` during downloads (total 0 when unknown).
    """

    weights_dir: str | None = None
    cache_dir: str | None = None
    offline: bool = False
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)

    @property
    def is_offline(self) -> bool:
        """True when downloads are disabled by this source or by ``HF_HUB_OFFLINE``."""
        env = os.environ.get("HF_HUB_OFFLINE", "").strip().lower()
        return self.offline or env in ("1", "true", "yes", "on")


def _lookup(name: str) -> tuple[str, str]:
    if name not in CHECKPOINTS:
        raise WeightsError(tr("Unknown checkpoint {0!r}; known: {1}.").format(name, ", ".join(CHECKPOINTS)))
    return CHECKPOINTS[name]


def _cached_path(name: str, source: WeightsSource) -> Path | None:
    repo, filename = _lookup(name)
    if source.weights_dir:
        local = Path(source.weights_dir) / filename
        if local.is_file():
            return local
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # runtime not set up yet: nothing can be in the Hugging Face cache for us
        return None
    hit = try_to_load_from_cache(repo, filename, cache_dir=source.cache_dir)
    return Path(hit) if isinstance(hit, str) and os.path.isfile(hit) else None


def cached_checkpoints(source: WeightsSource | None = None) -> dict[str, str | None]:
    """Return ``{checkpoint name: local path or None}`` for every registered checkpoint (no network)."""
    source = source or WeightsSource()
    found = {name: _cached_path(name, source) for name in CHECKPOINTS}
    return {name: str(path) if path else None for name, path in found.items()}


def _progress_bar_class(callback: Callable[[int, int], None]) -> type:
    """Silent tqdm class for ``hf_hub_download(tqdm_class=...)`` forwarding byte counts to ``callback``."""
    from huggingface_hub.utils import tqdm as hf_tqdm

    class _CallbackProgress(hf_tqdm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["disable"] = True  # never print; we only count
            super().__init__(*args, **kwargs)
            self._done = int(kwargs.get("initial") or 0)
            callback(self._done, int(kwargs.get("total") or 0))

        def update(self, n: float | None = 1) -> bool:
            self._done += int(n or 0)
            callback(self._done, int(self.total or 0))
            return True

        def update_transfer(self, n: float | None = 1) -> None:
            """Network bytes of Xet downloads: ignored, the written bytes (:meth:`update`) are reported."""

        def set_transfer_postfix_str(self, *args: Any, **kwargs: Any) -> None:
            """Ignored (no display)."""

    return _CallbackProgress


def _check_listed(repo: str, filename: str) -> None:
    """Refuse a download whose file is not in the repository's listing (a renamed file is never guessed).

    Raises:
        WeightsError: the listing lacks ``filename``; the message lists what the repository holds.
    """
    from huggingface_hub import list_repo_files

    try:
        files = list_repo_files(repo)
    except Exception as err:  # offline, proxy, HTTP: the download itself reports the network problem
        log.debug("Could not list %s: %s", repo, err)
        return
    if filename not in files:
        raise WeightsError(
            tr(
                "https://huggingface.co/{0} has no file {1} (it has: {2}). "
                "The repository has changed since this plugin version; "
                "download the files yourself and choose them as a TerraTorch "
                "config and checkpoint, or update the plugin."
            ).format(repo, filename, ", ".join(sorted(files)))
        )


def resolve_checkpoint(name: str, source: WeightsSource | None = None) -> Path:
    """Return a local path of checkpoint ``name``, downloading it into the cache when allowed.

    Raises:
        WeightsError: unknown name; offline and not found locally (the message names the file, the repo and
            where to put it); or the download failed.
    """
    source = source or WeightsSource()
    repo, filename = _lookup(name)
    path = _cached_path(name, source)
    if path is not None:
        return path
    place = (
        tr("Put it into {0}.").format(source.weights_dir)
        if source.weights_dir
        else tr("Put it into a folder and set that folder as the weights folder.")
    )
    if source.is_offline:
        raise WeightsError(
            tr(
                "{0} is not available offline: it is neither in the weights folder nor in the Hugging Face "
                "cache. Allow downloads, or download it yourself from https://huggingface.co/{1} (file {0}). "
                "{2}"
            ).format(filename, repo, place)
        )
    from huggingface_hub import hf_hub_download

    _check_listed(repo, filename)

    tqdm_class = _progress_bar_class(source.progress) if source.progress else None
    log.info("Downloading %s from %s", filename, repo)
    try:
        return Path(hf_hub_download(repo, filename, cache_dir=source.cache_dir, tqdm_class=tqdm_class))
    except Exception as err:  # network, HTTP and file-system errors of huggingface_hub alike
        raise WeightsError(
            tr(
                "Could not download {0} from https://huggingface.co/{1}: {2}. Check the internet connection, "
                "or download the file yourself. {3}"
            ).format(filename, repo, err, place)
        ) from err
