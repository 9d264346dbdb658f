"""The reference central MPP service the kiosks sync with (docs/sync-api.md).

A separate service: nothing outside central/ imports it, and it imports nothing of the kiosk
(kiosk/, ui/, devices/, sync/); it defines its own schemas. Start with `central --help`.
"""
