"""Exception hierarchy of the headless core (style guide §3.7).

Every message names the layer, band or file concerned and says what to do.
"""

from __future__ import annotations


class TerraMindError(Exception):
    """Base class of every error the core raises on purpose."""


class InputError(TerraMindError, ValueError):
    """A user input (raster, band mapping, area, option) cannot be used as given."""


class WeightsError(TerraMindError, OSError):
    """A checkpoint is missing, unreachable, truncated, corrupt or of the wrong model."""


class OutputError(TerraMindError, OSError):
    """An output file cannot be written."""


class JobCancelled(TerraMindError):
    """The user cancelled the job; partial outputs have been removed."""
