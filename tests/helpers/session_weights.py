"""One seeded weights folder per test session, shared by every fixture that asks for it.

Writing the files takes about a minute and 2.1 GB (tiny backbone, LULC and S1GRD tokenizers), so the
end-to-end tests of every part call ``seeded_weights_dir(tmp_path_factory)`` and share one folder.
"""

from __future__ import annotations

from pathlib import Path


def seeded_weights_dir(tmp_path_factory) -> Path:
    """The session's seeded weights folder (``tests/helpers/weights_dir.py`` layout), written on first use.

    It holds ``TerraMind_v1_tiny.pt``, ``TerraMind_Tokenizer_LULC.pt`` and ``TerraMind_Tokenizer_S1GRD.pt``.
    """
    folder = tmp_path_factory.getbasetemp() / "seeded_weights"
    done = folder / ".complete"
    if not done.exists():
        from helpers.weights_dir import write_seeded_weights_dir

        write_seeded_weights_dir(folder, tokenizers=("LULC", "S1GRD"))
        done.touch()
    return folder
