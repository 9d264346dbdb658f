"""Sync with the central MPP service (docs/sync-api.md); no Qt, no ui, no central imports.

errors       SyncError and its kinds, each with a stable code
credentials  the kiosk's credential in DATA_DIR/central.json (mode 0600), demo credentials
client       CentralClient: one method per route, every reply checked before use
catalog      catalogs from central: checked with the kiosk's loader, installed atomically
engine       SyncEngine.run_round(): push, pull, heartbeat -> a frozen SyncReport
worker       SyncWorker: the background thread, online/offline/refused, on_state(SyncStatus)
"""
