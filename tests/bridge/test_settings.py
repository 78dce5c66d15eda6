"""bridge/settings.py: typed keys under one prefix, read back with their declared types."""

from __future__ import annotations

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QSettings

from terramind_qgis.bridge.adapters import settings as s


@pytest.fixture()
def ini(tmp_path):
    """A QgsSettings backed by a throwaway ini file (never the user's profile)."""
    return QgsSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_settings_keys_are_unique_and_under_one_prefix():
    keys = [k.key for k in s.ALL_KEYS]
    assert len(keys) == len(set(keys))
    assert all(k.startswith("terramind_qgis/") for k in keys)


def test_settings_unset_key_reads_default(ini):
    assert s.MODEL_SIZE.value(ini) == "tiny"
    assert s.BATCH_SIZE.value(ini) == 4
    assert s.OFFLINE.value(ini) is False


@pytest.mark.parametrize(
    "key, value",
    [
        (s.MODEL_SIZE, "base"),
        (s.BATCH_SIZE, 16),
        (s.OFFLINE, True),
        (s.WEIGHTS_DIR, "/data/weights"),
        (s.SEED, -3),
    ],
)
def test_settings_round_trip_keeps_type(ini, key, value):
    key.set_value(value, ini)
    ini.sync()
    again = QgsSettings(ini.fileName(), QSettings.Format.IniFormat)  # re-read from disk: ini stores strings
    got = key.value(again)
    assert got == value and type(got) is type(value)


def test_settings_ini_strings_are_converted(ini):
    ini.setValue(s.BATCH_SIZE.key, "17")
    ini.setValue(s.OFFLINE.key, "true")
    ini.setValue(s.ADD_EMBEDDINGS_LAYER.key, "false")
    assert s.BATCH_SIZE.value(ini) == 17
    assert s.OFFLINE.value(ini) is True
    assert s.ADD_EMBEDDINGS_LAYER.value(ini) is False


def test_settings_unusable_value_reads_default(ini):
    ini.setValue(s.BATCH_SIZE.key, "many")
    ini.setValue(s.MODEL_SIZE.key, "gigantic")  # not among the choices
    ini.setValue(s.OFFLINE.key, "perhaps")
    assert s.BATCH_SIZE.value(ini) == 4
    assert s.MODEL_SIZE.value(ini) == "tiny"
    assert s.OFFLINE.value(ini) is False


def test_settings_set_value_rejects_invalid_choice(ini):
    with pytest.raises(ValueError, match="gigantic"):
        s.MODEL_SIZE.set_value("gigantic", ini)
    assert not ini.contains(s.MODEL_SIZE.key)


def test_settings_remove_restores_default(ini):
    s.TIMESTEPS.set_value(50, ini)
    assert s.TIMESTEPS.value(ini) == 50
    s.TIMESTEPS.remove(ini)
    assert s.TIMESTEPS.value(ini) == 10


def test_settings_default_store_is_qgssettings(qgis_app):
    try:
        s.OVERLAP.set_value(48)
        assert QgsSettings().value("terramind_qgis/run/overlap", type=int) == 48
        assert s.OVERLAP.value() == 48
    finally:
        s.OVERLAP.remove()
    assert s.OVERLAP.value() == 32
