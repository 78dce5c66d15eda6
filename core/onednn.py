"""oneDNN fast paths for models whose weights are stored in bfloat16 on the CPU (docs/precision.md).

torch's own ``F.linear`` and ``F.conv2d`` reach the same oneDNN kernels, but with work around them that
oneDNN can do inside: ``addmm`` copies the bias into the output before the product, an activation after a
Linear is a second pass over memory, and a bfloat16 convolution reorders its weights into oneDNN's
blocked layout on every call. :func:`linear` applies the bias and an activation to the float32
accumulator in one call; :class:`PackedConv` keeps its weights in the blocked layout.

Both use operators that torch registers for its compiler (``torch.ops.mkldnn``), and fall back to the
plain torch functions wherever those are missing, oneDNN is switched off, the weights are not bfloat16 on
the CPU, or autograd is recording. Float32 models never take these paths, so their results are unchanged.
"""

from __future__ import annotations

import threading

import torch
from torch import nn

__all__ = ["linear", "PackedConv", "packed_convolutions_available"]

#: Activations oneDNN applies to a Linear's float32 accumulator: class -> (attribute, algorithm).
_ACTIVATIONS: dict[type, tuple[str, str]] = {
    nn.SiLU: ("swish", ""),
    nn.Tanh: ("tanh", ""),
    nn.ReLU: ("relu", ""),
}


def _ops_available(*names: str) -> bool:
    return torch.backends.mkldnn.is_available() and all(hasattr(torch.ops.mkldnn, n) for n in names)


_LINEAR = _ops_available("_linear_pointwise")
_CONVOLUTION = _ops_available("_convolution_pointwise", "_reorder_convolution_weight")
_PACK_LOCK = threading.Lock()  # a model shared by threads packs each convolution once


def _fusable(weight: torch.Tensor, x: torch.Tensor) -> bool:
    """Whether the oneDNN call may replace torch's: bfloat16 CPU weights, no autograd, oneDNN on."""
    return (
        weight.dtype == torch.bfloat16
        and weight.device.type == "cpu"
        and x.device.type == "cpu"
        and not (torch.is_grad_enabled() and (x.requires_grad or weight.requires_grad))
        and torch.backends.mkldnn.enabled
    )


def _activation(act: nn.Module | None) -> tuple[str, str] | None:
    if act is None:
        return "none", ""
    if isinstance(act, nn.GELU):
        return "gelu", act.approximate  # "none" (erf) or "tanh"
    return _ACTIVATIONS.get(type(act))


def linear(fc: nn.Linear, x: torch.Tensor, act: nn.Module | None = None) -> torch.Tensor:
    """``act(fc(x))`` (``fc(x)`` without ``act``): one oneDNN call for bfloat16 weights on the CPU.

    The input is converted to the weights' dtype first (as autocast would); the result is in that dtype.
    The bias and the activation act on the float32 accumulator before the one rounding to bfloat16.
    """
    attr = _activation(act)
    if _LINEAR and attr is not None and _fusable(fc.weight, x):
        name, algorithm = attr
        weight = fc.weight
        return torch.ops.mkldnn._linear_pointwise(x.to(weight.dtype), weight, fc.bias, name, [], algorithm)
    y = fc(x)
    return y if act is None else act(y)


def packed_convolutions_available() -> bool:
    """Whether :class:`PackedConv` can run here (oneDNN with torch's convolution operators)."""
    return _CONVOLUTION and torch.backends.mkldnn.enabled


class PackedConv(nn.Module):
    """A bfloat16 ``nn.Conv2d`` or ``nn.Conv1d`` on the CPU whose weights stay in oneDNN's blocked layout.

    The layout depends on the input shape, so ``weight`` is reordered at the first call (for that shape;
    other shapes use the same layout, correctly): from then on it is a oneDNN tensor with the same dtype
    and device, replacing the dense one. A 1-D convolution runs as a 2-D one over a unit width (oneDNN
    packs only 2-D and 3-D weights), so its ``weight`` gains that trailing dimension. ``weight`` is a plain
    attribute, not a parameter: the module's ``state_dict`` holds only ``bias``. Outputs are channels-last,
    as oneDNN's bfloat16 convolutions return them. Per DDIM step of the diffusion UNet this saves the
    weight reorder that ``F.conv2d`` repeats on every call (docs/precision.md).

    Args:
        conv: the convolution, weights already in bfloat16 (see :meth:`accepts`).
    """

    def __init__(self, conv: nn.Conv1d | nn.Conv2d) -> None:
        super().__init__()
        if not self.accepts(conv):
            raise ValueError(f"PackedConv needs a CPU Conv1d or Conv2d with numeric zero padding, got {conv}")
        self.in_channels, self.out_channels = conv.in_channels, conv.out_channels
        self.kernel_size = conv.kernel_size
        self.one_d = isinstance(conv, nn.Conv1d)
        geometry = (conv.padding, conv.stride, conv.dilation)
        if self.one_d:  # a unit width: no padding, stride 1, dilation 1
            geometry = tuple((*v, u) for v, u in zip(geometry, (0, 1, 1)))
        padding, stride, dilation = (list(v) for v in geometry)
        self.geometry = (padding, stride, dilation, conv.groups)
        self.weight = conv.weight.detach().unsqueeze(-1) if self.one_d else conv.weight.detach()
        self.bias = None if conv.bias is None else nn.Parameter(conv.bias.detach(), requires_grad=False)

    @staticmethod
    def accepts(module: nn.Module) -> bool:
        """Whether ``module`` is a convolution this class can replace (CPU, zero padding given in pixels)."""
        return (
            isinstance(module, (nn.Conv1d, nn.Conv2d))
            and module.weight.device.type == "cpu"
            and module.padding_mode == "zeros"
            and not isinstance(module.padding, str)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C_in, H, W) -> (B, C_out, H', W'), or (B, C_in, T) -> (B, C_out, T'), in bfloat16."""
        x = x.to(torch.bfloat16)
        if self.one_d:
            x = x.unsqueeze(-1)
        weight = self.weight if self.weight.is_mkldnn else self._pack(list(x.shape))
        y = torch.ops.mkldnn._convolution_pointwise(x, weight, self.bias, *self.geometry, "none", [], "")
        return y.squeeze(-1) if self.one_d else y

    def _pack(self, input_size: list[int]) -> torch.Tensor:
        with _PACK_LOCK:
            if not self.weight.is_mkldnn:
                padding, stride, dilation, groups = self.geometry
                with torch.inference_mode(False):  # a normal tensor, usable outside inference mode too
                    self.weight = torch.ops.mkldnn._reorder_convolution_weight(
                        self.weight, padding, stride, dilation, groups, input_size
                    )
            return self.weight
