"""The technician's diagnostics: live camera preview with face boxes, the scan test, and a report.

Technician-facing, denser than a visitor's screen but with the same floor: text >= 24 px, targets
>= 90 px, both languages. The report is what kiosk/diag.py's `run_checks` returned (rendered, never
computed here); device reasons and check details are technical English from the devices, shown as
they are (marked `bilingual` so the language check leaves them alone).

The preview (`PreviewView`, fed by `CameraPreview` with face boxes) is ui/preview.py's.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.preview import CameraPreview, PreviewView, to_qimage
from ui.screens.common import Scroll, clear, staff_title_bar
from ui.theme import theme_of
from ui.widgets import Card, bilingual, button, label

log = logging.getLogger("kiosk.ui.diagnostics")

#: How many of the log's last lines the screen shows.
LOG_LINES = 8

STATUS = {
    "ok": QT_TRANSLATE_NOOP("Diagnostics", "OK"),
    "warning": QT_TRANSLATE_NOOP("Diagnostics", "Warning"),
    "error": QT_TRANSLATE_NOOP("Diagnostics", "Error"),
    "absent": QT_TRANSLATE_NOOP("Diagnostics", "Absent"),
}
KINDS = {
    "camera": QT_TRANSLATE_NOOP("Diagnostics", "Camera"),
    "scanner": QT_TRANSLATE_NOOP("Diagnostics", "Scanner"),
    "printer": QT_TRANSLATE_NOOP("Diagnostics", "Printer"),
    "speech": QT_TRANSLATE_NOOP("Diagnostics", "Speech"),
}
#: kiosk/diag.py check names we know; any other is shown as it is named.
CHECKS = {
    "central": QT_TRANSLATE_NOOP("Diagnostics", "Central service"),
    "sync": QT_TRANSLATE_NOOP("Diagnostics", "Sync backlog"),
    "backlog": QT_TRANSLATE_NOOP("Diagnostics", "Sync backlog"),
    "disk": QT_TRANSLATE_NOOP("Diagnostics", "Disk free"),
    "store": QT_TRANSLATE_NOOP("Diagnostics", "Store"),
    "versions": QT_TRANSLATE_NOOP("Diagnostics", "Versions"),
    "version": QT_TRANSLATE_NOOP("Diagnostics", "Versions"),
    "log": QT_TRANSLATE_NOOP("Diagnostics", "Log"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("Diagnostics", text)


def check_title(name: str) -> str:
    """A check's name in the screen's language (kiosk/diag.py names; an unknown one as it is)."""
    key = name.lower().replace("_", " ")
    for known, title in CHECKS.items():
        if key.startswith(known):
            return _t(title)
    return name


def _status_key(status) -> str:
    return str(getattr(status, "value", status)).lower()


class Detail(QLabel):
    """One line of technical detail (a path, a reason, a log line): elided in the middle when it
    is wider than the screen (the whole text is in `kiosk diag` and the exported bundle)."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.setProperty("role", "muted")
        self.setText(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        bilingual(self)  # technical English from the devices and the log, as it is

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().averageCharWidth() * 8, self.fontMetrics().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setPen(self.palette().color(self.foregroundRole()))
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, self.width())
        p.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        p.end()


# -- the screen ------------------------------------------------------------------------------------


class DiagnosticsScreen(QWidget):
    """Emits the technician's actions; renders the flow's Technician facts and the report."""

    close_clicked = Signal()
    rerun = Signal()
    check_store = Signal()
    print_test = Signal()
    export = Signal()
    reprint = Signal()

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        self.outer = outer
        outer.addLayout(staff_title_bar(self, self.close_clicked))
        self.body = QHBoxLayout()
        outer.addLayout(self.body, 1)
        # The preview and its line.
        self.camera_box = QVBoxLayout()
        self.preview = PreviewView()
        self.fps = bilingual(label("", "muted"))
        self.camera_box.addWidget(self.preview, 1)
        self.camera_box.addWidget(self.fps)
        # Everything else scrolls.
        content = QWidget()
        self.list = QVBoxLayout(content)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.scan_card = Card()
        self.scan_title = label("", "value")
        self.scan_text = bilingual(label("", "body"))
        self.scan_meta = label("", "muted")
        for w in (self.scan_title, self.scan_text, self.scan_meta):
            self.scan_card.box.addWidget(w)
        self.list.addWidget(self.scan_card)
        self.actions = QGridLayout()
        self.rerun_button = button("", "secondary")
        self.store_button = button("", "secondary")
        self.print_button = button("", "secondary")
        self.export_button = button("", "secondary")
        self.reprint_button = button("", "secondary")
        for b, signal in (
            (self.rerun_button, self.rerun),
            (self.store_button, self.check_store),
            (self.print_button, self.print_test),
            (self.export_button, self.export),
            (self.reprint_button, self.reprint),
        ):
            b.clicked.connect(signal)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.list.addLayout(self.actions)
        self.results = QVBoxLayout()
        self.list.addLayout(self.results)
        self.report_card = Card()
        self.list.addWidget(self.report_card)
        self.log_card = Card()
        self.log_title = label("", "value")
        self.log_card.box.addWidget(self.log_title)
        self.log_lines = QVBoxLayout()
        self.log_card.box.addLayout(self.log_lines)
        self.list.addWidget(self.log_card)
        self.list.addStretch(1)
        self.scroll = Scroll(content)
        self._portrait: bool | None = None
        self._columns = 0

    def _arrange(self, portrait: bool, theme) -> None:
        self.outer.setContentsMargins(theme.px(32), theme.px(20), theme.px(32), theme.px(20))
        self.outer.setSpacing(theme.px(16))
        self.body.setSpacing(theme.px(24))
        self.list.setSpacing(theme.px(16))
        self.actions.setSpacing(theme.px(12))
        columns = 2 if portrait and not theme.large_text else 1
        if portrait != self._portrait:
            self._portrait = portrait
            while self.body.count():
                self.body.takeAt(0)
            self.body.setDirection(QHBoxLayout.Direction.TopToBottom if portrait else QHBoxLayout.Direction.LeftToRight)
            self.body.addLayout(self.camera_box, 1 if portrait else 5)
            self.body.addWidget(self.scroll, 2 if portrait else 4)
        if columns != self._columns:
            self._columns = columns
            buttons = (self.rerun_button, self.store_button, self.print_button, self.export_button, self.reprint_button)
            for b in buttons:
                self.actions.removeWidget(b)
            for i, b in enumerate(buttons):
                self.actions.addWidget(b, i // columns, i % columns)

    def render(self, tech, *, camera_present: bool, fps: float | None, now, portrait: bool) -> None:
        """`tech`: the flow's Technician (report, results, busy, last_scan, can_reprint)."""
        theme = theme_of(self)
        self._arrange(portrait, theme)
        self.title.setText(self.tr("Technician diagnostics"))
        self.close_button.setText(self.tr("Close"))
        self.preview.placeholder = "" if camera_present else self.tr("No camera configured")
        self.show_fps(fps if camera_present else None)
        # The scan test.
        self.scan_title.setText(self.tr("Scan test"))
        scan = tech.last_scan
        if scan is None:
            self.scan_text.setText(self.tr("Scan a code to test the scanner."))
            bilingual(self.scan_text, False)
            self.scan_meta.hide()
        else:
            bilingual(self.scan_text)  # the code's own text, whatever language it is in
            self.scan_text.setText(scan.text)
            self.scan_meta.setText(
                self.tr("Symbology: {symbology} \u00b7 source: {source}").format(
                    symbology=scan.symbology, source=scan.source
                )
            )
            self.scan_meta.show()
        # Actions.
        busy = tech.busy
        for b, name, text in (
            (self.rerun_button, "checks", self.tr("Run the checks again")),
            (self.store_button, "store", self.tr("Check the store")),
            (self.print_button, "print", self.tr("Print test page")),
            (self.export_button, "export", self.tr("Export diagnostics")),
            (self.reprint_button, "reprint", self.tr("Reprint last ticket")),
        ):
            b.setText(text)
            b.setEnabled(name not in busy)
            b.setMinimumHeight(theme.touch(100))
        self.reprint_button.setVisible(tech.can_reprint)
        self._render_results(tech)
        self._render_report(tech.report, "checks" in busy)

    def show_fps(self, fps: float | None) -> None:
        """The line under the preview (None: no camera)."""
        if fps is None:
            self.fps.setText(self.tr("No camera configured"))
        else:
            self.fps.setText(self.tr("Camera: {fps} frames per second").format(fps=f"{fps:.0f}"))

    def _render_results(self, tech) -> None:
        clear(self.results)
        words = {
            "checks": (self.tr("Checks done"), self.tr("Checks done: a configured device has an error")),
            "store": (self.tr("The store is sound"), self.tr("The store is damaged")),
            "print": (self.tr("Test page printed"), self.tr("Test page not printed")),
            "export": (self.tr("Diagnostics exported"), self.tr("Diagnostics not exported")),
            "reprint": (self.tr("Last ticket reprinted"), self.tr("Last ticket not reprinted")),
        }
        for name in ("store", "print", "export", "reprint"):
            if name in tech.busy:
                self.results.addWidget(label(self.tr("Working\u2026"), "banner-ok"))
                continue
            if name not in tech.results:
                continue
            ok, detail = tech.results[name]
            self.results.addWidget(label(words[name][0 if ok else 1], "banner-ok" if ok else "banner-error"))
            if detail:
                self.results.addWidget(Detail(detail))

    def _render_report(self, report, running: bool) -> None:
        box = self.report_card.box
        clear(box)
        box.addWidget(label(self.tr("Devices and checks"), "value"))
        if report is None:
            box.addWidget(label(self.tr("Running the checks\u2026") if running else self.tr("No report yet."), "muted"))
            self.log_card.hide()
            return
        for health in report.devices:
            kind = _status_key(health.kind)
            title = _t(KINDS[kind]) if kind in KINDS else health.name
            self._row(box, title, health.status, health.reason)
        for check in report.checks:
            if check.name.lower().startswith("log"):
                continue
            self._row(box, check_title(check.name), check.status, check.detail)
        log_check = next((c for c in report.checks if c.name.lower().startswith("log")), None)
        lines = list(getattr(log_check, "data", {}).get("lines", []))[-LOG_LINES:] if log_check else []
        self.log_title.setText(self.tr("End of the log"))
        clear(self.log_lines)
        for line in lines:
            self.log_lines.addWidget(Detail(line))
        self.log_card.setVisible(bool(lines))

    def _row(self, box, title: str, status, detail: str) -> None:
        key = _status_key(status)
        head = label(f"{title}: {_t(STATUS[key]) if key in STATUS else key}", "body")
        head.setProperty("status", key)
        box.addWidget(head)
        if detail:
            box.addWidget(Detail(str(detail)))


__all__ = ["CameraPreview", "DiagnosticsScreen", "PreviewView", "to_qimage"]
