"""The one home of output file naming: temp files, side files, claims, the run journal, and clean-up.

A run (``RunFiles``) writes nothing in place. Every file it creates gets a name no other file or run can
have, created exclusively (``temp_path``), and is renamed into place only when complete (``commit``).
Every path it creates is appended to its journal before the file exists, so clean-up removes exactly
those paths (``discard``), also from another process (the worker's parent) or after a crash
(``sweep_leftovers`` on the next start).

Names, for an output ``<folder>/lulc.tif``:

* side files: ``lulc.qml`` (QGIS style) and ``lulc.tif.aux.xml`` (GDAL metadata), see ``side_files``;
* temp files: ``lulc.terramind-<run>.<n>.part.tif`` (``<n>`` counts the run's temp files; the
  extension of the final name is kept), see ``TEMP_PATTERN``;
* the claim on the output, held for the run's lifetime: ``lulc.tif.terramind-claim``, a JSON marker
  naming the run, its process and host;
* the journal: ``<runs folder>/<run>.journal`` (JSON lines: the header, then one path per line) and the
  worker's job folder ``<runs folder>/<run>.job/``; the runs folder is ``terramind-runs`` in the
  system temp folder.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import re
import shutil
import socket
import tempfile
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import InputError, OutputError
from .i18n import tr

log = logging.getLogger(__name__)

RUNS_FOLDER = "terramind-runs"
CLAIM_SUFFIX = ".terramind-claim"
#: A run's temp file (or its GDAL ``.aux.xml``): ``<stem>.terramind-<run>.<n>.part<ext>``.
TEMP_PATTERN = re.compile(r"\.terramind-(?P<run>[0-9a-f]{12})\.\d+\.part(\.[^/\\]*)?$")
STALE_UNREADABLE_CLAIM_S = 60.0  # an unreadable claim or journal older than this was cut short by a crash


def side_files(path: str) -> list[str]:
    """The files QGIS and GDAL read beside a raster: its ``.qml`` style and its ``.aux.xml``."""
    return [style_path(path), path + ".aux.xml"]


def style_path(path: str) -> str:
    """The ``.qml`` next to a raster, which QGIS loads as its default style."""
    return os.path.splitext(path)[0] + ".qml"


def claim_path(output: str) -> str:
    """The claim marker of ``output`` (in the output's real folder, so every spelling shares it)."""
    folder, name = os.path.split(os.path.abspath(output))
    return os.path.join(os.path.realpath(folder), name + CLAIM_SUFFIX)


def runs_folder() -> str:
    """Folder of the journals and worker job folders of this machine's runs."""
    return os.path.join(tempfile.gettempdir(), RUNS_FOLDER)


def same_file(a: str, b: str) -> bool:
    """Whether two paths name the same file: the same resolved path, or the same existing file (links)."""
    if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output_paths(outputs: Sequence[str], inputs: Sequence[str]) -> None:
    """Refuse outputs that are the same file as each other, as an input, or as an input's side file.

    Paths are compared by identity (resolved, and the same existing file), never by spelling.

    Raises:
        InputError: naming both paths and what to change.
    """
    for i, out in enumerate(outputs):
        for other in outputs[:i]:
            if same_file(out, other) or same_file(style_path(out), style_path(other)):
                raise InputError(
                    tr(
                        "Outputs {0!r} and {1!r} are the same file (or share the "
                        "style file {2!r}); give each output its own file name."
                    ).format(other, out, style_path(out))
                )
        for inp in inputs:
            if same_file(out, inp):
                raise InputError(
                    tr("Output {0!r} is the input file {1!r}; choose another output file name.").format(
                        out, inp
                    )
                )
            for side in side_files(out):
                if same_file(side, inp) or same_file(side, style_path(inp)):
                    raise InputError(
                        tr(
                            "Output {0!r} would overwrite {1!r}, which belongs to the "
                            "input {2!r}; choose another output file name."
                        ).format(out, side, inp)
                    )


class RunFiles:
    """The files of one run. Create with ``start`` (or ``join`` from the worker); use as a context manager.

    Leaving the context after an exception removes every file the run created (``discard``); leaving it
    in any way releases the claims and deletes the journal (``close``).
    """

    def __init__(self, journal: str, header: dict[str, Any]):
        self.journal = journal
        self.run_id: str = header["terramind_run"]
        self.label: str = header.get("label", "")
        self.outputs: list[str] = list(header["outputs"])
        self.existed: dict[str, bool] = dict(header["existed"])
        self._count = 0
        self._owner = True

    # ----- life cycle -------------------------------------------------------------------------------
    @classmethod
    def start(cls, outputs: Iterable[str], label: str = "", folder: str | None = None) -> RunFiles:
        """Open a new run for ``outputs``: write its journal and claim every output.

        Args:
            outputs: final output paths.
            label: what the run is, for the message another run gets (e.g. "LULC from S2 scene").
            folder: where the journal goes (default ``runs_folder()``).

        Raises:
            OutputError: another live run holds one of the outputs (the message names it), or the journal
                cannot be written.
        """
        outputs = [os.path.abspath(p) for p in outputs]
        folder = folder or runs_folder()
        run_id = uuid.uuid4().hex[:12]
        existed = {p: os.path.exists(p) for out in outputs for p in [out, *side_files(out)]}
        header = {
            "terramind_run": run_id,
            "label": label,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": _now(),
            "outputs": outputs,
            "existed": existed,
        }
        journal = os.path.join(folder, run_id + ".journal")
        try:
            os.makedirs(folder, exist_ok=True)
            with open(journal, "x", encoding="utf-8") as f:
                f.write(json.dumps(header) + "\n")
        except OSError as exc:
            raise OutputError(tr("Cannot write the run journal {0!r}: {1}.").format(journal, exc)) from exc
        run = cls(journal, header)
        try:
            for out in outputs:
                run._claim(out)
        except BaseException:
            run.close()
            raise
        return run

    @classmethod
    def join(cls, journal: str) -> RunFiles:
        """The run of ``journal``, opened in another process (the worker) that writes its files.

        The process that started the run keeps the claims and the journal; ``close`` here releases nothing.
        """
        try:
            with open(journal, encoding="utf-8") as f:
                header = json.loads(f.readline())
        except (OSError, ValueError) as exc:
            raise OutputError(tr("Cannot read the run journal {0!r}: {1}.").format(journal, exc)) from exc
        run = cls(journal, header)
        run._owner = False
        run._append({"pid": os.getpid(), "host": socket.gethostname()})
        for out in run.outputs:  # still ours: refuse to write if the claim was lost
            run._claim(out)
        return run

    def __enter__(self) -> RunFiles:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is not None:
                self.discard()
        finally:
            self.close()

    def close(self) -> None:
        """Remove temp files not renamed into place, release the claims and delete the journal (the owner
        only; safe to call more than once)."""
        if not self._owner:
            return
        for path, kind in _journal_entries(self.journal):
            if kind == "temp" and _is_temp_of(path, self.run_id):
                remove_files([path, path + ".aux.xml"])
            elif kind == "claim":
                _remove_claim(path, self.run_id)
        remove_files([self.job_folder()])
        remove_files([self.journal])

    # ----- files ------------------------------------------------------------------------------------
    def temp_path(self, final: str) -> str:
        """A new, exclusively created, empty temp file beside ``final`` (see the module's names).

        Raises:
            OutputError: the folder is not writable.
        """
        folder, name = os.path.split(os.path.abspath(final))
        stem, ext = os.path.splitext(name)
        while True:
            path = os.path.join(folder, f"{stem}.terramind-{self.run_id}.{self._count}.part{ext}")
            self._count += 1
            self._append({"temp": path})
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
                return path
            except FileExistsError:
                continue  # another process of this run (the worker's parent, a restart) used this number
            except OSError as exc:
                raise OutputError(
                    tr("Cannot create a temporary file in {0!r}: {1}.").format(folder, exc)
                ) from exc

    def commit(self, temp: str, final: str) -> str:
        """Rename the complete ``temp`` to ``final`` (replacing it); returns ``final``."""
        if not self.existed.get(final, True):
            self._append({"output": final})
        try:
            os.replace(temp, final)
        except OSError as exc:
            raise OutputError(
                tr("Cannot replace {0!r}: {1}. Is it open in another program?").format(final, exc)
            ) from exc
        return final

    def write_text(self, final: str, text: str) -> str:
        """Write a small text file (a style, a side file) through a temp file; returns ``final``."""
        temp = self.temp_path(final)
        try:
            with open(temp, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as exc:
            raise OutputError(tr("Cannot write {0!r}: {1}.").format(final, exc)) from exc
        return self.commit(temp, final)

    def created(self) -> list[str]:
        """Every path this run created so far and has not removed: temp files and new outputs."""
        return [p for p, kind in _journal_entries(self.journal) if kind in ("temp", "output")]

    def discard(self) -> list[str]:
        """Remove every file the run created (temp files, their ``.aux.xml``, outputs that were new).

        Files that existed before the run are never removed. Returns the removed paths.
        """
        return discard_entries(self.journal, self.run_id)

    def job_folder(self) -> str:
        """The worker's job folder of this run (created by the caller, removed by ``close``)."""
        return os.path.splitext(self.journal)[0] + ".job"

    # ----- internals --------------------------------------------------------------------------------
    def _append(self, entry: dict[str, Any]) -> None:
        try:
            with open(self.journal, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")
                f.flush()
        except OSError as exc:
            raise OutputError(
                tr("Cannot write the run journal {0!r}: {1}.").format(self.journal, exc)
            ) from exc

    def _claim(self, output: str) -> None:
        path = claim_path(output)
        marker = {
            "terramind_run": self.run_id,
            "label": self.label,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": _now(),
            "output": output,
        }
        for _attempt in range(3):
            self._append({"claim": path})
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                other = _read_claim(path)
                if other is not None and other.get("terramind_run") == self.run_id:
                    return
                if _claim_is_stale(path, other):
                    log.info("Removing the claim of a run that no longer runs: %s", path)
                    remove_files([path])
                    continue
                raise OutputError(_claimed_message(output, other)) from None
            except OSError as exc:
                folder = os.path.dirname(path)
                if not os.path.isdir(folder):
                    raise OutputError(
                        tr(
                            "Output folder {0!r} does not exist; create it or choose another output path."
                        ).format(folder)
                    ) from exc
                raise OutputError(
                    tr("Cannot write next to the output {0!r} ({1}); choose a writable folder.").format(
                        output, exc
                    )
                ) from exc
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(json.dumps(marker))
            return
        raise OutputError(_claimed_message(output, _read_claim(path)))


def sweep_leftovers(folder: str | None = None) -> list[str]:
    """Remove the files of runs whose processes are gone (a killed QGIS or worker); returns the paths.

    Only paths listed in a dead run's journal are touched, and of those only temp files carrying the run's
    id in their name, outputs the run created, and claim markers naming the run.
    """
    folder = folder or runs_folder()
    removed: list[str] = []
    for name in _listdir(folder):
        if not name.endswith(".journal"):
            continue
        journal = os.path.join(folder, name)
        header = _journal_header(journal)
        if header is None or "terramind_run" not in header:  # cut short before its header: lists nothing
            if _older_than(journal, STALE_UNREADABLE_CLAIM_S):
                removed += remove_files([journal])
            continue
        if _run_alive(journal, header):
            continue
        run_id = header["terramind_run"]
        removed += discard_entries(journal, run_id)
        for path, kind in _journal_entries(journal):
            if kind == "claim" and _remove_claim(path, run_id):
                removed.append(path)
        removed += remove_files([os.path.splitext(journal)[0] + ".job"])
        remove_files([journal])
    if removed:
        log.info("Removed %d file(s) left by interrupted TerraMind runs: %s", len(removed), removed)
    return removed


def discard_entries(journal: str, run_id: str) -> list[str]:
    """Remove the temp files (and their ``.aux.xml``) and the new outputs listed in a run's journal."""
    removed: list[str] = []
    for path, kind in _journal_entries(journal):
        if kind == "temp":
            if _is_temp_of(path, run_id):  # never touch a path that is not this run's temp name
                removed += remove_files([path, path + ".aux.xml"])
        elif kind == "output":
            removed += remove_files([path])
    return removed


def remove_files(paths: Iterable[str]) -> list[str]:
    """Remove files (or folders) that exist; returns those removed. Failures are logged, never raised."""
    removed = []
    for path in paths:
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("Could not remove %s: %s", path, exc)
    return removed


# ----- helpers ------------------------------------------------------------------------------------------
def _now() -> str:
    stamp = "%Y-%m-%d %H:%M:%S UTC"  # no-i18n: a time stamp format
    return datetime.datetime.now(datetime.timezone.utc).strftime(stamp)


def _listdir(folder: str) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def _is_temp_of(path: str, run_id: str) -> bool:
    match = TEMP_PATTERN.search(os.path.basename(path))
    return match is not None and match.group("run") == run_id


def _journal_header(journal: str) -> dict[str, Any] | None:
    try:
        with open(journal, encoding="utf-8") as f:
            header = json.loads(f.readline())
    except (OSError, ValueError):
        return None
    return header if isinstance(header, dict) else None


def _journal_entries(journal: str) -> list[tuple]:
    """``(path, kind)`` of every path line in a journal (kind: temp, output, claim), unique, in order."""
    entries: list[tuple] = []
    try:
        with open(journal, encoding="utf-8") as f:
            lines = f.read().splitlines()[1:]
    except OSError:
        return entries
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash
        if not isinstance(entry, dict):
            continue
        for kind in ("temp", "output", "claim"):
            if isinstance(entry.get(kind), str) and (entry[kind], kind) not in entries:
                entries.append((entry[kind], kind))
    return entries


def _journal_pids(journal: str, header: dict[str, Any]) -> list[tuple]:
    pids = [(header.get("pid"), header.get("host"))]
    try:
        with open(journal, encoding="utf-8") as f:
            for line in f.read().splitlines()[1:]:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict) and "pid" in entry:
                    pids.append((entry.get("pid"), entry.get("host")))
    except OSError:
        pass
    return pids


def _run_alive(journal: str, header: dict[str, Any]) -> bool:
    """A run is alive while any of its processes (the owner, a worker) runs; other hosts count as alive."""
    return any(host != socket.gethostname() or pid_alive(pid) for pid, host in _journal_pids(journal, header))


def pid_alive(pid: Any) -> bool:
    """Whether process ``pid`` exists on this machine."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_claim(path: str) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as f:
            claim = json.load(f)
    except (OSError, ValueError):
        return None
    return claim if isinstance(claim, dict) and "terramind_run" in claim else None


def _claim_is_stale(path: str, claim: dict[str, Any] | None) -> bool:
    if claim is None:  # being written right now, or cut short by a crash
        return _older_than(path, STALE_UNREADABLE_CLAIM_S)
    return claim.get("host") == socket.gethostname() and not pid_alive(claim.get("pid"))


def _older_than(path: str, seconds: float) -> bool:
    """Whether ``path`` was last written more than ``seconds`` ago (a missing file counts as old)."""
    try:
        return os.path.getmtime(path) < time.time() - seconds
    except OSError:
        return True


def _remove_claim(path: str, run_id: str) -> bool:
    claim = _read_claim(path)
    if claim is not None and claim.get("terramind_run") == run_id:
        return bool(remove_files([path]))
    return False


def _claimed_message(output: str, other: dict[str, Any] | None) -> str:
    if other is None:
        return tr(
            "The output {0!r} is being written by another TerraMind run. Wait for that run to finish, or "
            "choose another output file name. If that run no longer exists (its computer stopped), delete "
            "{1!r}."
        ).format(output, claim_path(output))
    label = f" “{other['label']}”" if other.get("label") else ""
    return tr(
        "The output {0!r} is being written by another TerraMind run{1} (started {2}, process {3} on {4}). "
        "Wait for that run to finish, or choose another output file name. If that run no longer exists (its "
        "computer stopped), delete {5!r}."
    ).format(
        output,
        label,
        other.get("started", "?"),
        other.get("pid", "?"),
        other.get("host", "?"),
        claim_path(output),
    )
