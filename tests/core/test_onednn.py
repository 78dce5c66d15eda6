"""core.onednn: the fused bfloat16 Linear and the packed convolution match torch; float32 is untouched."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from terramind_qgis.core import onednn
from terramind_qgis.core.device import cast_matmul_weights

BF16 = torch.bfloat16
needs_linear = pytest.mark.skipif(not onednn._LINEAR, reason="torch has no oneDNN linear operator here")
needs_conv = pytest.mark.skipif(
    not onednn.packed_convolutions_available(), reason="torch has no oneDNN convolution operators here"
)


def _reference(fc: nn.Linear, x: torch.Tensor, act: nn.Module | None) -> torch.Tensor:
    """act(x W^T + b) in float64 from the bfloat16 inputs and weights: what both paths approximate."""
    y = F.linear(x.to(BF16).double(), fc.weight.double(), fc.bias.double())
    return y if act is None else act(y)


@needs_linear
@pytest.mark.parametrize(
    "act", [None, nn.GELU(), nn.GELU(approximate="tanh"), nn.SiLU(), nn.Tanh(), nn.ReLU()], ids=repr
)
def test_fused_linear_is_as_accurate_as_torchs_bfloat16_path(act):
    torch.manual_seed(0)
    fc = nn.Linear(192, 768).to(BF16)
    x = torch.randn(2, 196, 192)  # float32, as a LayerNorm hands it over under autocast
    with torch.inference_mode():
        fused = onednn.linear(fc, x, act)
        with torch.autocast("cpu", dtype=BF16):
            plain = fc(x) if act is None else act(fc(x))
        exact = _reference(fc, x, act)
    assert fused.dtype == BF16 and fused.shape == plain.shape
    fused_error = (fused.double() - exact).abs().max().item()
    plain_error = (plain.double() - exact).abs().max().item()
    # One bfloat16 rounding of the result (2^-8 relative); torch's path rounds twice (before the activation).
    assert fused_error <= exact.abs().max().item() * 2**-8
    assert fused_error <= plain_error


def test_float32_linear_is_the_modules_own_call():
    torch.manual_seed(0)
    fc, act = nn.Linear(8, 16), nn.GELU()
    x = torch.randn(3, 8)
    assert torch.equal(onednn.linear(fc, x, act), act(fc(x)))
    assert torch.equal(onednn.linear(fc, x), fc(x))


@needs_linear
def test_fused_linear_steps_aside_for_autograd_and_unknown_activations(monkeypatch):
    fc = nn.Linear(8, 16).to(BF16)
    x = torch.randn(3, 8, dtype=BF16)
    calls = []
    monkeypatch.setattr(torch.ops.mkldnn, "_linear_pointwise", lambda *a: calls.append(a))
    onednn.linear(fc, x).sum().backward()  # weights require gradients: torch's own call
    assert fc.weight.grad is not None
    with torch.no_grad():
        onednn.linear(fc, x, nn.Softplus())  # no oneDNN activation: torch's own calls
        torch._C._set_mkldnn_enabled(False)  # the switch behind torch.backends.mkldnn.enabled
        try:
            onednn.linear(fc, x)
        finally:
            torch._C._set_mkldnn_enabled(True)
    assert calls == []


@needs_conv
@pytest.mark.parametrize(
    "conv",
    [
        nn.Conv2d(64, 32, 3, padding=1),
        nn.Conv2d(32, 32, 3, stride=2, padding=1),
        nn.Conv2d(64, 32, 1),
        nn.Conv1d(64, 96, 1),
        nn.Conv1d(32, 16, 3, padding=1),
    ],
    ids=["3x3", "3x3 stride 2", "1x1", "1-D 1", "1-D 3"],
)
def test_packed_convolution_equals_torchs_bfloat16_convolution(conv):
    torch.manual_seed(0)
    conv = conv.to(BF16)
    packed = onednn.PackedConv(conv)
    grid = (28,) if isinstance(conv, nn.Conv1d) else (28, 28)
    with torch.inference_mode():
        for batch, size in [(2, 1), (1, 2)]:  # packed for the first shape; a second one uses that layout
            x = torch.randn(batch, conv.in_channels, *(g // size for g in grid))
            expected = conv(x.to(BF16))
            out = packed(x)
            assert out.dtype == BF16 and torch.equal(out, expected)
    assert packed.weight.is_mkldnn and packed.weight.dtype == BF16 and list(packed.state_dict()) == ["bias"]


@needs_conv
def test_cast_packs_bfloat16_convolutions_only():
    def model():
        torch.manual_seed(0)
        return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.SiLU(), nn.Flatten(2), nn.Conv1d(8, 4, 1))

    x = torch.randn(1, 3, 16, 16)
    fp32 = model()
    assert cast_matmul_weights(fp32, torch.float32) is fp32 and isinstance(fp32[0], nn.Conv2d)
    bf16 = cast_matmul_weights(model(), BF16)
    assert isinstance(bf16[0], onednn.PackedConv) and isinstance(bf16[3], onednn.PackedConv)
    with torch.inference_mode():
        plain = model().to(BF16)(x.to(BF16))
        assert torch.equal(bf16(x), plain)
