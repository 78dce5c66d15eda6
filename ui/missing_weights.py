"""Before a run whose checkpoints are missing: say which files, how large, and offer to download them now
(with progress, in the Weights dialog) or to choose a local folder that holds them."""

from __future__ import annotations

from collections.abc import Sequence

from qgis.PyQt.QtWidgets import QMessageBox, QWidget

from ..core.checkpoints import APPROX_BYTES, CHECKPOINTS, size_text
from ..core.i18n import tr

DOWNLOAD, FOLDER, CANCEL = "download", "folder", "cancel"


def total_bytes(names: Sequence[str]) -> int:
    """Approximate size of the checkpoints ``names`` (registered names) together."""
    return sum(APPROX_BYTES.get(name, 0) for name in names)


def describe(names: Sequence[str]) -> str:
    """``"TerraMind_v1_tiny.pt (212 MB), TerraMind_Tokenizer_LULC.pt (740 MB)"``."""
    return ", ".join(
        f"{CHECKPOINTS[n][1]} ({size_text(APPROX_BYTES[n])})" if n in APPROX_BYTES else CHECKPOINTS[n][1]
        for n in names
    )


def ask(parent: QWidget | None, names: Sequence[str], cache: str) -> str:
    """Ask what to do about the missing checkpoints ``names``: ``DOWNLOAD``, ``FOLDER`` or ``CANCEL``.

    Args:
        parent: the dialog's parent.
        names: registered names of the missing checkpoints.
        cache: where downloads go (the Hugging Face cache folder), for the message.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("TerraMind: model weights needed"))
    box.setText(
        tr("This run needs {0} weight file(s) that are not on this computer yet, about {1}: {2}.").format(
            len(names), size_text(total_bytes(names)), describe(names)
        )
    )
    box.setInformativeText(
        tr(
            "Download them now from Hugging Face into {0} (once; later runs reuse them), or choose a local "
            "folder that already holds these files under these names."
        ).format(cache)
    )
    download = box.addButton(tr("Download now"), QMessageBox.ButtonRole.AcceptRole)
    folder = box.addButton(tr("Choose a folder…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return DOWNLOAD if clicked is download else FOLDER if clicked is folder else CANCEL
