"""``TemporalWrapper``: run a backbone on each date of a (B, C, T, H, W) stack and pool over dates.

Same semantics and attribute names as TerraTorch's ``terratorch.models.utils.TemporalWrapper`` (the backbone
is ``self.encoder``, so its checkpoint keys live under ``encoder.encoder.``). Dates are folded into the
batch (``b * T + t``), every layer output is unfolded to (B, T, ...) and pooled over T.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from ..errors import InputError
from ..i18n import tr

__all__ = ["POOLINGS", "TemporalWrapper"]

#: Supported ``pooling`` values: how per-date features become one feature map.
POOLINGS = ("keep", "concat", "mean", "max", "diff")


class TemporalWrapper(nn.Module):
    """Temporal wrapper around a token backbone (ViT outputs (B*T, N, D) per layer).

    Args:
        encoder: the backbone; must expose ``out_channels`` (one width per layer).
        pooling: ``"concat"`` (B, N, T*D) with date-major channels, ``"mean"``/``"max"`` (B, N, D),
            ``"diff"`` first minus second date (B, N, D), ``"keep"`` (B, T, N, D).
        n_timestamps: number of dates the model is built for (required by ``concat``); inputs with another
            count are refused.
        subset_lengths: first average consecutive groups of dates of these lengths (e.g. ``[2, 2]``), then
            pool the group means; ``diff`` then needs exactly two groups.

    Raises:
        InputError: unknown pooling, or an inconsistent ``n_timestamps`` / ``subset_lengths``.
    """

    def __init__(
        self,
        encoder: nn.Module,
        pooling: str = "mean",
        n_timestamps: int | None = None,
        subset_lengths: Sequence[int] | None = None,
    ) -> None:
        super().__init__()
        if pooling not in POOLINGS:
            raise InputError(
                tr("backbone_temporal_pooling={0!r} is not supported; use one of {1}.").format(
                    pooling, ", ".join(POOLINGS)
                )
            )
        if subset_lengths is not None:
            subset_lengths = [int(n) for n in subset_lengths]
            if not subset_lengths or min(subset_lengths) < 1:
                raise InputError(
                    tr("backbone_temporal_subset_lengths={0} must be positive counts.").format(subset_lengths)
                )
            if pooling == "diff" and len(subset_lengths) != 2:
                raise InputError(
                    tr(
                        "backbone_temporal_pooling='diff' needs exactly two subsets, "
                        "got backbone_temporal_subset_lengths={0}."
                    ).format(subset_lengths)
                )
            if n_timestamps is not None and sum(subset_lengths) != n_timestamps:
                raise InputError(
                    tr(
                        "backbone_temporal_subset_lengths={0} add up to {1} dates "
                        "but backbone_temporal_n_timestamps is {2}."
                    ).format(subset_lengths, sum(subset_lengths), n_timestamps)
                )
        if pooling == "concat" and n_timestamps is None:
            raise InputError(tr("backbone_temporal_pooling='concat' needs backbone_temporal_n_timestamps."))
        self.encoder = encoder
        self.pooling = pooling
        self.n_timestamps = n_timestamps
        self.subset_lengths = subset_lengths
        groups = len(subset_lengths) if subset_lengths else n_timestamps
        factor = groups if pooling == "concat" else 1
        self.out_channels = [c * factor for c in encoder.out_channels]

    @property
    def num_dates(self) -> int | None:
        """The date count inputs must have, or ``None`` when any count works."""
        if self.subset_lengths is not None:
            return sum(self.subset_lengths)
        return self.n_timestamps

    def pool(self, stacked: torch.Tensor) -> torch.Tensor:
        """Pool (B, T, N, D) over dates (after optional subset means), see the class docstring."""
        if self.subset_lengths is not None:
            groups = torch.split(stacked, self.subset_lengths, dim=1)
            stacked = torch.stack([g.mean(dim=1) for g in groups], dim=1)
        if self.pooling == "concat":
            return torch.cat(stacked.unbind(dim=1), dim=-1)  # (B, N, T*D), date-major channels
        if self.pooling == "mean":
            return stacked.mean(dim=1)
        if self.pooling == "max":
            return stacked.max(dim=1).values
        if self.pooling == "diff":
            if stacked.shape[1] != 2:
                raise InputError(
                    tr("Temporal pooling 'diff' needs two dates (or two subsets), got {0}.").format(
                        stacked.shape[1]
                    )
                )
            return stacked[:, 0] - stacked[:, 1]
        return stacked  # keep: (B, T, N, D)

    def check_dates(self, count: int) -> None:
        """Refuse a date count the model is not built for, saying how many it needs."""
        need = self.num_dates
        if need is not None and count != need:
            raise InputError(
                tr("This model is built for {0} dates; the inputs have {1}.").format(need, count)
            )

    def forward(self, x: dict[str, torch.Tensor]) -> list[Any]:
        """Encode ``{modality: (B, C, T, H, W)}`` date by date and pool each layer output.

        Returns:
            One pooled tensor per backbone layer output, shapes as for ``pooling``.

        Raises:
            InputError: a 4-D input, differing date counts, or a date count the model refuses.
        """
        shapes = {name: tuple(v.shape) for name, v in x.items()}
        if any(len(s) != 5 for s in shapes.values()):
            raise InputError(tr("Temporal model inputs must be (B, C, T, H, W); got {0}.").format(shapes))
        dates = {s[2] for s in shapes.values()}
        if len(dates) != 1:
            raise InputError(tr("All inputs need the same number of dates; got {0}.").format(shapes))
        B, T = next(iter(shapes.values()))[0], dates.pop()
        self.check_dates(T)
        flat = {k: v.transpose(1, 2).reshape(B * T, v.shape[1], *v.shape[3:]) for k, v in x.items()}
        features = self.encoder(flat, all_layers=True)
        out = []
        for f in features:  # (B*T, N, D)
            out.append(self.pool(f.reshape(B, T, *f.shape[1:])))
        return out
