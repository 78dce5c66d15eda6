"""A local stand-in for the Hugging Face Hub: real HTTP on 127.0.0.1, serving checkpoint files the way the
Hub does (``resolve`` with the commit, ETag and size headers; the repository's file listing), so that
``core.checkpoints.resolve_checkpoint`` runs ``huggingface_hub`` unchanged against it.

``hub_at(monkeypatch, hub)`` points ``huggingface_hub`` at the server and allows downloads for the test.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class FakeHub:
    """Serves ``files`` ({(repo, filename): local path}) until ``close()``.

    Attributes:
        url: the endpoint, ``http://127.0.0.1:<port>``.
        fail: answer every file request with HTTP 500 (a broken mirror).
        chunk_delay: seconds to wait between 64 KiB chunks of a file (a slow connection).
        requests: the paths requested so far.
    """

    def __init__(self, files: dict[tuple[str, str], Path]) -> None:
        self.files = files
        self.fail = False
        self.chunk_delay = 0.0
        self.requests: list[str] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self) -> None:
                hub._answer(self, body=False)

            def do_GET(self) -> None:
                hub._answer(self, body=True)

            def log_message(self, *args) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, request: BaseHTTPRequestHandler, body: bool) -> None:
        self.requests.append(request.path)
        listing = re.fullmatch(r"/api/models/(.+?)/tree/[^/?]+(\?.*)?", request.path)
        if listing:
            entries = [
                {"type": "file", "path": name, "size": path.stat().st_size, "oid": COMMIT}
                for (repo, name), path in self.files.items()
                if repo == listing.group(1)
            ]
            self._send(request, 200, json.dumps(entries).encode(), {"Content-Type": "application/json"}, body)
            return
        match = re.fullmatch(r"/(.+)/resolve/[^/]+/(.+)", request.path)
        path = self.files.get((match.group(1), match.group(2))) if match else None
        if path is None:
            self._send(request, 404, b"not found", {}, body)
            return
        if self.fail:
            self._send(request, 500, b"internal error", {}, body)
            return
        data = path.read_bytes()
        headers = {
            "X-Repo-Commit": COMMIT,
            "ETag": '"' + hashlib.sha256(data).hexdigest() + '"',
            "Content-Type": "application/octet-stream",
        }
        self._send(request, 200, data, headers, body)

    def _send(self, request, status: int, data: bytes, headers: dict, body: bool) -> None:
        request.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(data))}.items():
            request.send_header(key, value)
        request.end_headers()
        if not body:
            return
        try:
            for start in range(0, len(data), 65536):
                request.wfile.write(data[start : start + 65536])
                time.sleep(self.chunk_delay)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped (a cancelled download)
            pass


def hub_at(monkeypatch, hub: FakeHub) -> None:
    """Point ``huggingface_hub`` at ``hub`` and allow downloads (the tests run with HF_HUB_OFFLINE=1)."""
    from huggingface_hub import constants, hf_api

    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "ENDPOINT", hub.url)
    monkeypatch.setattr(
        constants, "HUGGINGFACE_CO_URL_TEMPLATE", hub.url + "/{repo_id}/resolve/{revision}/{filename}"
    )
    monkeypatch.setattr(hf_api.api, "endpoint", hub.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
