"""Run the service under uvicorn: one process, or N worker processes sharing the port.

Worker processes build their app from `Settings` passed in the environment (`Settings.to_env`). With more than
one worker, metrics snapshots are merged through a folder (`Settings.metrics_dir`) so any scrape of
`/metrics` sees the whole server. uvicorn runs with uvloop and httptools and without an access log (a log
line per request would cost more than an ALPR batch's validation).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace

import uvicorn
from fastapi import FastAPI

from loadtest.service.app import create_app
from loadtest.service.settings import Settings


def app_factory() -> FastAPI:
    return create_app(Settings.from_env())


def serve(settings: Settings, host: str, port: int, workers: int = 1, log_level: str = "warning") -> None:
    folder = None
    if workers > 1 and not settings.metrics_dir:
        folder = tempfile.mkdtemp(prefix="fedsim-metrics-")
        settings = replace(settings, metrics_dir=folder)
    os.environ.update(settings.to_env())
    try:
        _run(host, port, workers, log_level)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _run(host: str, port: int, workers: int, log_level: str) -> None:
    uvicorn.run(
        "loadtest.service.server:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level=log_level,
        timeout_graceful_shutdown=10,
    )
