"""The visitor's flow, step by step, without a screen (see core.py); one module per part:
`core` the Flow, `states` the services' states, `technician` the PIN pad and diagnostics,
`identity` the identify steps."""

from kiosk.flow.core import (
    PRINTER_POLL_DOWN_MS,
    PRINTER_POLL_OK_MS,
    RETRY_MS,
    SEARCH_LIMIT,
    STATES_EVERY_SECONDS,
    Flow,
    Runner,
    qr_matrix,
    ticket_done,
)
from kiosk.flow.states import ServiceState, service_state
from kiosk.flow.technician import DEFAULT_EXPORT_DIR, Technician, export_dir, usb_target

__all__ = [
    "DEFAULT_EXPORT_DIR",
    "PRINTER_POLL_DOWN_MS",
    "PRINTER_POLL_OK_MS",
    "RETRY_MS",
    "SEARCH_LIMIT",
    "STATES_EVERY_SECONDS",
    "Flow",
    "Runner",
    "ServiceState",
    "Technician",
    "export_dir",
    "qr_matrix",
    "service_state",
    "ticket_done",
    "usb_target",
]
