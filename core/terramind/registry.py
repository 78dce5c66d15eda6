"""Model registries, the TerraMind size table and lazy loading of the builder modules (docs/model.md §1).

``BACKBONE_REGISTRY.build("terramind_v1_tiny", pretrained=False, modalities=["S2L2A"])`` mirrors the
TerraTorch model card. Builders live in the modules named in ``_BUILDER_MODULES``; they register
themselves with the decorator when imported, which happens on the first ``build()``/``names()`` call
so that importing this module does not import torch.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import InputError
from ..i18n import QT_TR_NOOP, tr

__all__ = ["Registry", "TerraMindConfig", "CONFIGS", "config_for", "BACKBONE_REGISTRY", "FULL_MODEL_REGISTRY"]

#: Modules (relative to this package) that register builders; imported on first use.
_BUILDER_MODULES: tuple[str, ...] = ("encoder", "tokenizers", "generation", "tim")


@dataclass(frozen=True)
class TerraMindConfig:
    """Hyper-parameters of one TerraMind size (docs/model.md §1.2).

    Attributes:
        size: ``"tiny"``, ``"small"``, ``"base"`` or ``"large"``.
        dim: token width D.
        depth: encoder blocks.
        decoder_depth: decoder blocks (generation / TiM).
        num_heads: attention heads (head dim 64).
        gated: SwiGLU MLP (base/large) instead of GELU MLP.
        qkv_bias, proj_bias, mlp_bias: Linear biases in the blocks (``decoder_proj_context`` always has one).
        mlp_ratio: MLP hidden width / D before the SwiGLU 2/3 reduction.
        patch_size: pixels per patch side.
        img_size: construction grid side in pixels (pos-emb table of (img_size/16)^2 tokens).
    """

    size: str
    dim: int
    depth: int
    decoder_depth: int
    num_heads: int
    gated: bool
    qkv_bias: bool
    proj_bias: bool
    mlp_bias: bool
    mlp_ratio: float = 4.0
    patch_size: int = 16
    img_size: int = 224

    @property
    def block_kwargs(self) -> dict[str, Any]:
        """Keyword arguments shared by :class:`~.layers.Block` and :class:`~.layers.DecoderBlock`."""
        return dict(
            dim=self.dim,
            num_heads=self.num_heads,
            mlp_ratio=self.mlp_ratio,
            qkv_bias=self.qkv_bias,
            proj_bias=self.proj_bias,
            mlp_bias=self.mlp_bias,
            gated=self.gated,
        )


CONFIGS: dict[str, TerraMindConfig] = {
    "tiny": TerraMindConfig("tiny", 192, 12, 4, 3, gated=False, qkv_bias=True, proj_bias=True, mlp_bias=True),
    "small": TerraMindConfig(
        "small", 384, 12, 6, 6, gated=False, qkv_bias=True, proj_bias=True, mlp_bias=True
    ),
    "base": TerraMindConfig(
        "base", 768, 12, 12, 12, gated=True, qkv_bias=False, proj_bias=False, mlp_bias=False
    ),
    "large": TerraMindConfig(
        "large", 1024, 24, 24, 16, gated=True, qkv_bias=False, proj_bias=False, mlp_bias=False
    ),
}


def config_for(size: str) -> TerraMindConfig:
    """Return the config of a size name.

    Raises:
        InputError: unknown size; the message lists the valid ones.
    """
    if size not in CONFIGS:
        raise InputError(
            tr("Unknown TerraMind size {0!r}; valid sizes: {1}.").format(size, ", ".join(CONFIGS))
        )
    return CONFIGS[size]


class Registry:
    """Name -> builder table; builders are registered with :meth:`register` (timm ``@register_model``).

    Args:
        name: label used in error messages.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._builders: dict[str, Callable[..., Any]] = {}

    def register(self, name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator registering a builder under ``name`` (default: the function name)."""

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            key = name or fn.__name__
            if key in self._builders and self._builders[key] is not fn:
                raise ValueError(f"{self.name}: {key!r} is already registered")
            self._builders[key] = fn
            return fn

        return decorator

    def register_sizes(self, build: Callable[..., Any], suffix: str, what: str) -> None:
        """Register ``build(size, **kwargs)`` as ``terramind_v1_<size><suffix>`` for each size in ``CONFIGS``.

        Args:
            build: builder taking the size name first (``build_backbone``).
            suffix: name suffix (``""``, ``"_tim"``, ``"_generate"``).
            what: the model in each builder's docstring (``"backbone"``).
        """
        for size in CONFIGS:
            self.register(f"terramind_v1_{size}{suffix}")(_size_builder(build, size, what))

    def names(self) -> list[str]:
        """Sorted registered names."""
        _load_builders()
        return sorted(self._builders)

    def __contains__(self, name: object) -> bool:
        _load_builders()
        return name in self._builders

    def build(self, name: str, **kwargs: Any) -> Any:
        """Build the model registered as ``name`` with the builder's keyword arguments.

        Raises:
            InputError: unknown name; the message lists the registered names.
        """
        _load_builders()
        if name not in self._builders:
            raise InputError(
                tr("Unknown {0} model {1!r}; valid names: {2}.").format(
                    tr(self.name), name, ", ".join(self.names())
                )
            )
        return self._builders[name](**kwargs)


def _size_builder(build: Callable[..., Any], size: str, what: str) -> Callable[..., Any]:
    """``builder(**kwargs) -> build(size, **kwargs)``, with a docstring for the registry listing."""

    def builder(**kwargs: Any) -> Any:
        return build(size, **kwargs)

    builder.__doc__ = (
        f"TerraMind 1.0 {size} {what}; keyword arguments as :func:`{build.__name__}`."  # no-i18n: a docstring
    )
    return builder


BACKBONE_REGISTRY = Registry(QT_TR_NOOP("backbone"))
FULL_MODEL_REGISTRY = Registry(QT_TR_NOOP("full model"))

_loaded: list[str] = []


def _load_builders() -> None:
    """Import every builder module once (they register themselves on import)."""
    for module in _BUILDER_MODULES:
        if module not in _loaded:
            importlib.import_module(f".{module}", __package__)
            _loaded.append(module)
