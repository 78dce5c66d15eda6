"""bridge/settings.py: typed keys under one prefix, read back with their declared types."""

from __future__ import annotations

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QSettings

from terramind_qgis.bridge import settings as S


@pytest.fixture()
def ini(tmp_path):
    """A QgsSettings backed by a throwaway ini file (never the user's profile)."""
    return QgsSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_settings_keys_are_unique_and_under_one_prefix():
    keys = [k.key for k in S.ALL_KEYS]
    assert len(keys) == len(set(keys))
    assert all(k.startswith("terramind_qgis/") for k in keys)


def test_settings_unset_key_reads_default(ini):
    assert S.MODEL_SIZE.value(ini) == "tiny"
    assert S.BATCH_SIZE.value(ini) == 4
    assert S.OFFLINE.value(ini) is False


@pytest.mark.parametrize(
    "key, value",
    [(S.MODEL_SIZE, "base"), (S.BATCH_SIZE, 16), (S.OFFLINE, True), (S.WEIGHTS_DIR, "/data/weights"), (S.SEED, -3)],
)
def test_settings_round_trip_keeps_type(ini, key, value):
    key.set_value(value, ini)
    ini.sync()
    again = QgsSettings(ini.fileName(), QSettings.Format.IniFormat)  # re-read from disk: ini stores strings
    got = key.value(again)
    assert got == value and type(got) is type(value)


def test_settings_ini_strings_are_converted(ini):
    ini.setValue(S.BATCH_SIZE.key, "17")
    ini.setValue(S.OFFLINE.key, "true")
    ini.setValue(S.ADD_EMBEDDINGS_LAYER.key, "false")
    assert S.BATCH_SIZE.value(ini) == 17
    assert S.OFFLINE.value(ini) is True
    assert S.ADD_EMBEDDINGS_LAYER.value(ini) is False


def test_settings_unusable_value_reads_default(ini):
    ini.setValue(S.BATCH_SIZE.key, "many")
    ini.setValue(S.MODEL_SIZE.key, "gigantic")  # not among the choices
    ini.setValue(S.OFFLINE.key, "perhaps")
    assert S.BATCH_SIZE.value(ini) == 4
    assert S.MODEL_SIZE.value(ini) == "tiny"
    assert S.OFFLINE.value(ini) is False


def test_settings_set_value_rejects_invalid_choice(ini):
    with pytest.raises(ValueError, match="gigantic"):
        S.MODEL_SIZE.set_value("gigantic", ini)
    assert not ini.contains(S.MODEL_SIZE.key)


def test_settings_remove_restores_default(ini):
    S.TIMESTEPS.set_value(50, ini)
    assert S.TIMESTEPS.value(ini) == 50
    S.TIMESTEPS.remove(ini)
    assert S.TIMESTEPS.value(ini) == 10


def test_settings_default_store_is_qgssettings(qgis_app):
    try:
        S.OVERLAP.set_value(48)
        assert QgsSettings().value("terramind_qgis/run/overlap", type=int) == 48
        assert S.OVERLAP.value() == 48
    finally:
        S.OVERLAP.remove()
    assert S.OVERLAP.value() == 32
