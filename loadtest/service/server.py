"""Run the service under uvicorn: one process, or N worker processes sharing the port.

Worker processes build their app from `Settings` passed in the environment (`Settings.to_env`). With more than
one worker, metrics snapshots are merged through a folder (`Settings.metrics_dir`) so any scrape of
`/metrics` sees the whole server. uvicorn runs with uvloop and httptools (with the limits of
`loadtest.service.connection`), proxy headers trusted only from `Settings.trusted_proxies`, and without an
access log (a log line per request would cost more than an ALPR batch's validation).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from functools import partial
from typing import Any

import uvicorn
from fastapi import FastAPI

from loadtest.service.app import create_app
from loadtest.service.connection import ConnectionLimits, GuardedHttpTools
from loadtest.service.settings import Settings


def app_factory() -> FastAPI:
    return create_app(Settings.from_env())


def connection_limits(settings: Settings) -> ConnectionLimits:
    return ConnectionLimits(
        settings.header_bytes_max, settings.header_lines_max, settings.header_timeout_s, settings.body_timeout_s,
        settings.connections_max,
    )  # fmt: skip


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn runs this service: the guarded protocol and proxy headers trusted only from `trusted_proxies`
    (uvicorn's default trusts X-Forwarded-For from 127.0.0.1, which let any local client pick its address)."""
    proxies = [a.strip() for a in settings.trusted_proxies.split(",") if a.strip()]
    return {
        "loop": "uvloop",
        "http": partial(GuardedHttpTools, limits=connection_limits(settings)),
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or None,
        "access_log": False,
        "timeout_graceful_shutdown": 10,
    }


def serve(settings: Settings, host: str, port: int, workers: int = 1, log_level: str = "warning") -> None:
    folder = None
    if workers > 1 and not settings.metrics_dir:
        folder = tempfile.mkdtemp(prefix="fedsim-metrics-")
        settings = replace(settings, metrics_dir=folder)
    os.environ.update(settings.to_env())
    try:
        _run(settings, host, port, workers, log_level)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _run(settings: Settings, host: str, port: int, workers: int, log_level: str) -> None:
    uvicorn.run(
        "loadtest.service.server:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        **uvicorn_options(settings),
    )
