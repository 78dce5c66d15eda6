"""Build a fine-tuned task model and fill it from its checkpoint (strict: every key, every shape).

The model is built without random initialisation (layer weights on ``meta``, see
:func:`~..terramind.weights.build_with_weights`) and the checkpoint tensors are put in place; the
backbone's pretrained weights are never loaded, the fine-tune holds them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

import torch

from ..errors import WeightsError
from ..i18n import tr
from .checkpoint import TaskCheckpoint, read_task_checkpoint
from .config import TaskConfig
from .model import TaskModel, build_task_model

__all__ = ["check_keys", "load_task_model"]

log = logging.getLogger(__name__)


def _names(keys: list[str], limit: int = 5) -> str:
    more = f" and {len(keys) - limit} more" if len(keys) > limit else ""
    return ", ".join(keys[:limit]) + more


def check_keys(
    model_state: Mapping[str, torch.Tensor], state_dict: Mapping[str, torch.Tensor], source: str
) -> None:
    """Refuse a checkpoint whose keys or shapes differ from the model's, naming the keys.

    Raises:
        WeightsError: missing, unexpected or mis-shaped keys.
    """
    missing = [k for k in model_state if k not in state_dict]
    unexpected = [k for k in state_dict if k not in model_state]
    shaped = [
        tr("{0} (file {1}, model {2})").format(k, tuple(v.shape), tuple(model_state[k].shape))
        for k, v in state_dict.items()
        if k in model_state and tuple(v.shape) != tuple(model_state[k].shape)
    ]
    problems = []
    if missing:
        problems.append(tr("{0} missing keys: {1}").format(len(missing), _names(missing)))
    if unexpected:
        problems.append(tr("{0} unexpected keys: {1}").format(len(unexpected), _names(unexpected)))
    if shaped:
        problems.append(tr("{0} keys of another shape: {1}").format(len(shaped), _names(shaped, 3)))
    if problems:
        raise WeightsError(
            tr(
                "{0} does not fit the model of its config ({1}). Check that "
                "the config and the checkpoint belong to the same fine-tune."
            ).format(source, "; ".join(problems))
        )


def load_task_model(
    config: TaskConfig,
    checkpoint: str | os.PathLike | TaskCheckpoint,
    device: str | torch.device | None = None,
    dtype: torch.dtype | None = None,
) -> TaskModel:
    """Build the model of ``config`` and load the fine-tuned weights, in eval mode.

    Args:
        config: the fine-tune's config.
        checkpoint: its checkpoint file (Lightning or plain) or an already read :class:`TaskCheckpoint`.
        device, dtype: where and in which precision to put the model (default CPU, float32).

    Raises:
        InputError: the config's model is not supported.
        WeightsError: unreadable checkpoint, or keys/shapes that differ from the config's model.
    """
    from ..terramind.weights import apply_checkpoint, build_with_weights

    ckpt = checkpoint if isinstance(checkpoint, TaskCheckpoint) else read_task_checkpoint(checkpoint)
    source = str(checkpoint) if not isinstance(checkpoint, TaskCheckpoint) else "checkpoint"

    def construct() -> TaskModel:
        return build_task_model(config.model_args, pretrained_backbone=False)

    def load(model: TaskModel) -> None:
        check_keys(model.state_dict(), ckpt.state_dict, source)
        apply_checkpoint(model, ckpt.state_dict, source=source)

    model = build_with_weights(construct, load)
    if ckpt.ignored:
        log.info("%s: ignored %d non-model keys (%s)", source, len(ckpt.ignored), _names(list(ckpt.ignored)))
    model.to(device=device or "cpu", dtype=dtype)
    return model.eval()
