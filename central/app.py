"""The central MPP service as a FastAPI app.

`create_app(settings)` builds everything (nothing is built at import); `factory()` is the
same from `CENTRAL_*` environment variables, for `uvicorn --factory --workers N`:

    CENTRAL_DB_URL=postgresql://... uvicorn --factory central.app:factory --workers 4

`factory()` brings the database to the newest schema first (a no-op when it is there; on
PostgreSQL under an advisory lock, so workers starting together migrate once).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI

from central.db import Database
from central.errors import install_handlers
from central.limits import BodyLimits
from central.settings import Settings
from central.timezones import iso_utc

log = logging.getLogger("central")


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings, *, clock: Callable[[], datetime] = utc_now, db: Database | None = None) -> FastAPI:
    """The app for `settings`: routes under /api/v1, errors in one shape, bodies bounded.

    The database must be migrated already (`central.migrations.upgrade`, which `central` and
    `factory()` run at start). `clock` gives central's time (tests pass a fixed one).
    """
    from central import dashboard
    from central.routes import api_router

    database = db or Database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if db is None:
            database.dispose()

    app = FastAPI(
        title="MPP central",
        version="1",
        summary="The reference central MPP service the kiosks sync with (docs/sync-api.md)",
        lifespan=lifespan,
        strict_content_type=False,  # a body without Content-Type is read as JSON (curl, scripts)
    )
    app.state.settings = settings
    app.state.db = database
    app.state.clock = clock
    install_handlers(app)
    app.include_router(api_router)
    app.include_router(dashboard.router)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict:
        return {"ok": True, "server_time": iso_utc(clock())}

    app.add_middleware(BodyLimits, max_body=settings.max_body_bytes, max_decompressed=settings.max_decompressed_bytes)
    return app


def factory() -> FastAPI:
    """`create_app` from the environment (CENTRAL_DB_URL, CENTRAL_ADMIN_TOKEN, ...), migrated."""
    from central.migrations import upgrade

    settings = Settings.from_env()
    database = Database(settings)
    upgrade(database.engine)
    database.dispose()
    return create_app(settings)
