"""ui/notices.py on a real message bar: notices once per session, the dock's stale bars closed."""

from __future__ import annotations

from qgis.core import Qgis
from qgis.gui import QgsMessageBar

from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.ui.dock import group_name
from terramind_qgis.ui.notices import Notices


def test_notice_is_new_once_per_session():
    notices = Notices(QgsMessageBar)
    offset = "S2L2A input 'scene A' seems to include the +1000 offset"
    assert notices.first_time([offset, "other"]) == [offset, "other"]
    assert notices.first_time([offset]) == []
    assert notices.first_time(["S2L2A input 'scene B' seems to include the +1000 offset"]) != []


def test_clear_closes_only_the_docks_own_messages(qgis_app):
    bar = QgsMessageBar()
    notices = Notices(lambda: bar)
    notices.push("Cannot run", "Choose at least one input layer.", Qgis.MessageLevel.Warning)
    notices.push("TerraMind failed", "broken", Qgis.MessageLevel.Critical, "traceback")
    bar.pushMessage("Other plugin", "hello", Qgis.MessageLevel.Info, 0)
    assert len(bar.items()) == 3
    notices.clear()
    assert [item.text() for item in bar.items()] == ["hello"]


def test_group_names_are_short():
    spec = JobSpec(
        task=Task.GENERATE,
        inputs=(InputRaster("/data/x.tif", "S2L2A", name="S2B_MSIL2A_20170924T93020_69_24_S2L2A_12band"),),
        outputs={},
        output_modality="DEM",
    )
    name = group_name(spec, "10:42")
    assert name == "DEM · S2B_MSIL2A_201709… 10:42" and len(name) <= 32  # the layer name cut to 18
    assert group_name(JobSpec(Task.LULC, spec.inputs, {}), "10:42").startswith("Land cover · ")
