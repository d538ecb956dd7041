"""The reference service with one endpoint deliberately slowed: `python -m tests.loadtest.slow_service [serve options]`.

Every ``GET /v1/feed`` holds the event loop for `DELAY_S` (a blocking sleep, as a slow query would), so the
whole service carries less load; the capacity search must find a lower capacity than without it.
"""

from __future__ import annotations

import sys
import time

from loadtest.service import server
from loadtest.service.cli import main

DELAY_S = 0.06
SLOW_PATH = "/v1/feed"
_create_app = server.create_app


def create_app(settings):  # type: ignore[no-untyped-def]
    app = _create_app(settings)

    @app.middleware("http")
    async def hold_up(request, call_next):  # type: ignore[no-untyped-def]
        if request.url.path == SLOW_PATH:
            time.sleep(DELAY_S)  # blocks the loop on purpose: the endpoint costs the server DELAY_S
        return await call_next(request)

    return app


server.create_app = create_app  # uvicorn (one worker) builds the app in this process through app_factory

if __name__ == "__main__":
    sys.exit(main())
