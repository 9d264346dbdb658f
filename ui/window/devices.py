"""The camera, the scanner and the speaker: made off the GUI thread, health polled, previews, stopped."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.session import Step

log = logging.getLogger("kiosk.ui")

#: How often the camera's and scanner's health is read for the heartbeat (devices pool), ms.
DEVICE_HEALTH_MS = 5_000


class DevicesMixin:
    """KioskWindow's devices (the flow holds them: flow.camera, flow.scanner) and its shutdown."""

    def _connect_devices(self) -> None:
        """The scanner's reads, the camera previews (diagnostics and face screens), the health timer."""
        from ui.preview import CameraPreview

        self.scan_did_arrive.connect(self._scanned)
        self.preview = CameraPreview(self.diagnostics.preview, self.ops, parent=self)
        self.preview.did_update.connect(self._preview_updated)
        # The face screen's own preview: mirrored, a face guide, no face boxes (the flow's check detects).
        self.face_preview = CameraPreview(self.face.preview, self.ops, faces=False, parent=self)
        self.wedge = None  # ui/wedge.py's key filter, when the scanner is a keyboard wedge
        self.device_timer = QTimer(self)
        self.device_timer.setInterval(DEVICE_HEALTH_MS)
        self.device_timer.timeout.connect(self.check_devices)

    def _scanned(self, event) -> None:
        self.flow.scanned(event)

    def _preview_updated(self) -> None:
        if self.flow.step == Step.DIAGNOSTICS and self.flow.camera is not None:
            self.diagnostics.show_fps(self.flow.camera.fps)

    def start_devices(self) -> None:
        """Make and start the camera and the scanner the config asks for, on the devices pool
        (OpenCV and pyserial load there, not on the first paint); never fails the kiosk."""
        settings = self.settings

        made = self._made_devices

        def make():
            camera = scanner = None
            try:
                from devices.camera import make_camera

                camera = make_camera(settings)
                if camera is not None:
                    made.append(camera)  # stopped at shutdown even if the app quits before delivery
                    camera.start()
            except Exception:
                log.exception("camera not started")
            try:
                from devices.scanner import make_scanner

                scanner = make_scanner(settings, camera)
            except Exception:
                log.exception("scanner not made")
            return camera, scanner

        self.ops.run(
            make, on="devices", on_success=self.devices_ready, on_failure=lambda e: log.error("devices: %r", e)
        )

    def devices_ready(self, devices) -> None:
        """The camera and the scanner are made (either may be None): wire the scanner's events."""
        camera, scanner = devices
        self.flow.camera, self.flow.scanner = camera, scanner
        if scanner is not None:
            if callable(getattr(scanner, "feed", None)):  # a keyboard wedge: its keys come from Qt
                from ui.wedge import WedgeFilter

                self.wedge = WedgeFilter(scanner, parent=self)
                QApplication.instance().installEventFilter(self.wedge)
            try:
                scanner.start(self.scan_did_arrive.emit)
            except Exception:
                log.exception("scanner not started")
        log.info("devices: camera %s, scanner %s", getattr(camera, "name", "none"), getattr(scanner, "name", "none"))
        self.check_devices()
        self.device_timer.start()
        if self.flow.step in (Step.DIAGNOSTICS, Step.IDENTIFY, Step.ENROL):
            self.render()

    def check_devices(self) -> None:
        """Read the camera's, the scanner's and the speaker's health on the devices pool; the
        snapshot goes to the heartbeat (flow.device_report)."""
        parts = [d for d in (self.flow.camera, self.flow.scanner) if d is not None]
        speaker = self.speaker
        if not parts and speaker is None:
            return

        def read() -> tuple:
            out = [d.health() for d in parts]
            health = getattr(speaker, "health", None)
            if callable(health):
                out.append(health())
            return tuple(out)

        def done(health: tuple) -> None:
            self.flow.device_health = health
            for h in health:  # one log line when a device's state changes, none per poll
                self.flow.device_states.note(h)

        self.ops.run(read, on="devices", on_success=done, on_failure=lambda e: log.warning("device health: %r", e))

    def stop_devices(self) -> None:
        self.device_timer.stop()
        self.preview.stop()
        self.face_preview.stop()
        if self.wedge is not None:
            QApplication.instance().removeEventFilter(self.wedge)
            self.wedge = None
        for device in (self.flow.scanner, self.flow.camera):
            if device is not None:
                try:
                    device.stop()
                except Exception:
                    log.exception("%s not stopped", getattr(device, "name", device))
        self.flow.camera = self.flow.scanner = None

    def _start_speech(self) -> None:
        """The speaker the config asks for (GUI thread: Qt's voice lives here); never fails the kiosk."""
        if self.speaker is None:
            try:
                from ui.speech import make_speaker

                self.speaker = make_speaker(self.settings, parent=self)
            except Exception:  # speech is a help, not a condition: a kiosk without it still issues tickets
                log.exception("speech not started")
                return
            log.info("speech: %s", self.speaker.describe())
        self.flow.speak = self.speaker.say
        if callable(getattr(self.speaker, "health", None)):
            self.flow.tech.speaker = self.speaker
        self.flow.hush = self.speaker.stop

    def shutdown(self) -> None:
        """Stop the background threads, then the devices (also those made by a start-up still
        running when the app was told to quit) and the speaker: nothing runs after this."""
        self.flow.identity.stop()  # a face check ends at its next frame (ops.shutdown waits for it)
        self.ops.shutdown()  # lets work in flight finish; its results are no longer delivered
        self.stop_devices()
        for device in self._made_devices:
            try:
                device.stop()
            except Exception:
                log.exception("%s not stopped", getattr(device, "name", device))
        self._made_devices.clear()
        if self.speaker is not None:
            self.speaker.close()
