"""One router per resource, joined under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from central.routes import audit as kiosk_audit
from central.routes import auth, catalog_config, commands, credentials, enroll, fleet, halls, heartbeat, sync

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(enroll.router)
api_router.include_router(sync.router)
api_router.include_router(commands.router)
api_router.include_router(heartbeat.router)
api_router.include_router(halls.router)
api_router.include_router(credentials.router)
api_router.include_router(auth.router)
api_router.include_router(fleet.router)
api_router.include_router(kiosk_audit.router)
api_router.include_router(catalog_config.router)
