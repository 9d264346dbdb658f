"""The visitor's screens, one module each. Thin: each renders what it is given and emits what was touched."""

from ui.screens.agencies import AgencyScreen
from ui.screens.confirm import ConfirmScreen
from ui.screens.consent import ConsentScreen
from ui.screens.detail import DetailScreen
from ui.screens.diagnostics import DiagnosticsScreen
from ui.screens.face import FaceScreen
from ui.screens.fault import FaultScreen
from ui.screens.footer import Footer
from ui.screens.header import Header
from ui.screens.idle import IdleScreen
from ui.screens.issuing import IssuingScreen
from ui.screens.nik import NikScreen
from ui.screens.pin import PinScreen
from ui.screens.priority import PriorityScreen
from ui.screens.scan import ScanScreen
from ui.screens.search import SearchScreen
from ui.screens.services import ServiceScreen
from ui.screens.ticket import TicketScreen

__all__ = [
    "AgencyScreen",
    "ConfirmScreen",
    "ConsentScreen",
    "DiagnosticsScreen",
    "DetailScreen",
    "FaceScreen",
    "FaultScreen",
    "Footer",
    "Header",
    "IdleScreen",
    "IssuingScreen",
    "NikScreen",
    "PinScreen",
    "PriorityScreen",
    "ScanScreen",
    "SearchScreen",
    "ServiceScreen",
    "TicketScreen",
]
