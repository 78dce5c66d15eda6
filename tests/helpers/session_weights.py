"""One seeded weights folder per test session, shared by every fixture that asks for it.

Writing the files takes about half a minute and 0.95 GB (tiny backbone and LULC tokenizer), so fixtures
in different test files call ``seeded_weights_dir(tmp_path_factory)`` and get the same folder.
"""

from __future__ import annotations

from pathlib import Path


def seeded_weights_dir(tmp_path_factory) -> Path:
    """The session's seeded weights folder (``tests/helpers/weights_dir.py`` layout), written on first use.

    It holds ``TerraMind_v1_tiny.pt`` and ``TerraMind_Tokenizer_LULC.pt``: enough for embeddings and LULC.
    """
    folder = tmp_path_factory.getbasetemp() / "seeded_weights"
    done = folder / ".complete"
    if not done.exists():
        from helpers.weights_dir import write_seeded_weights_dir

        write_seeded_weights_dir(folder, tokenizers=("LULC",))
        done.touch()
    return folder
