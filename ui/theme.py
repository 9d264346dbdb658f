"""Colours, sizes and the stylesheet. Sizes are for a 1080 px short side and scale with the screen."""

from __future__ import annotations

from dataclasses import dataclass

BG = "#F2F4F7"
INK = "#0E1A2B"
MUTED = "#3D4A5C"
PRIMARY = "#0A4F96"
PRIMARY_DOWN = "#083C72"
OK = "#1B6E3A"
DANGER = "#A3201A"
DANGER_BG = "#FDECEA"
CARD = "#FFFFFF"
FONT_FAMILY = "Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Theme:
    scale: float = 1.0

    @classmethod
    def for_size(cls, width: int, height: int) -> Theme:
        return cls(max(0.6, min(1.6, min(width, height) / 1080)))

    def px(self, n: float) -> int:
        return max(1, round(n * self.scale))

    def stylesheet(self) -> str:
        p = self.px
        return f"""
        QWidget#Root {{ background: {BG}; }}
        QWidget {{ font-family: {FONT_FAMILY}; color: {INK}; font-size: {p(28)}px; }}
        QLabel[role="display"] {{ font-size: {p(64)}px; font-weight: 800; }}
        QLabel[role="h1"] {{ font-size: {p(52)}px; font-weight: 800; }}
        QLabel[role="h2"] {{ font-size: {p(38)}px; font-weight: 700; }}
        QLabel[role="body"] {{ font-size: {p(30)}px; }}
        QLabel[role="muted"] {{ font-size: {p(26)}px; color: {MUTED}; }}
        QLabel[role="value"] {{ font-size: {p(32)}px; font-weight: 700; }}
        QLabel[role="number"] {{ font-size: {p(180)}px; font-weight: 900; color: {PRIMARY}; }}
        QLabel[role="tile-title"] {{ font-size: {p(34)}px; font-weight: 800; color: white; background: transparent; }}
        QLabel[role="tile-sub"] {{ font-size: {p(24)}px; color: white; background: transparent; }}
        QLabel[role="row-title"] {{ font-size: {p(34)}px; font-weight: 700; background: transparent; }}
        QLabel[role="row-sub"] {{ font-size: {p(24)}px; color: {MUTED}; background: transparent; }}
        QLabel[role="banner-error"] {{
            font-size: {p(30)}px; font-weight: 600; color: {DANGER}; background: {DANGER_BG};
            border-left: {p(10)}px solid {DANGER}; padding: {p(20)}px; }}
        QLabel[role="banner-ok"] {{
            font-size: {p(32)}px; font-weight: 700; color: {OK}; background: #E7F4EC;
            border-left: {p(10)}px solid {OK}; padding: {p(20)}px; }}
        QLabel[role="countdown"] {{
            font-size: {p(32)}px; font-weight: 700; color: white; background: {DANGER};
            border-radius: {p(12)}px; padding: {p(16)}px {p(24)}px; }}
        QFrame#Header {{ background: {PRIMARY}; }}
        QFrame#Header QLabel {{ color: white; background: transparent; }}
        QLabel[role="brand"] {{ font-size: {p(30)}px; font-weight: 800; }}
        QLabel[role="clock"] {{ font-size: {p(30)}px; font-weight: 700; }}
        QFrame#Card {{ background: {CARD}; border-radius: {p(20)}px; border: {p(2)}px solid #D5DBE3; }}
        QFrame#Card QLabel {{ background: transparent; }}
        QPushButton {{
            min-height: {p(96)}px; min-width: {p(96)}px; border-radius: {p(18)}px;
            font-size: {p(32)}px; font-weight: 700; padding: {p(8)}px {p(28)}px;
            qproperty-iconSize: {p(40)}px {p(40)}px; }}
        QPushButton[role="primary"] {{ background: {PRIMARY}; color: white; border: none; min-height: {p(120)}px;
            font-size: {p(40)}px; }}
        QPushButton[role="primary"]:pressed {{ background: {PRIMARY_DOWN}; }}
        QPushButton[role="primary"]:disabled {{ background: #9AA6B5; color: #EEF1F5; }}
        QPushButton[role="secondary"] {{ background: white; color: {PRIMARY}; border: {p(3)}px solid {PRIMARY}; }}
        QPushButton[role="secondary"]:pressed {{ background: #DCE7F3; }}
        QPushButton[role="header"] {{ background: white; color: {PRIMARY}; border: none; min-height: {p(90)}px;
            font-size: {p(28)}px; }}
        QPushButton[role="row"] {{ background: {CARD}; border: {p(2)}px solid #C9D2DD; text-align: left;
            min-height: {p(150)}px; }}
        QPushButton[role="row"]:pressed {{ background: #DCE7F3; }}
        QPushButton[role="language"] {{ background: white; color: {PRIMARY}; border: {p(4)}px solid {PRIMARY};
            min-height: {p(170)}px; font-size: {p(44)}px; font-weight: 800; }}
        QPushButton[role="language"]:pressed {{ background: #DCE7F3; }}
        QScrollArea {{ background: transparent; border: none; }}
        QScrollBar:vertical {{ width: {p(18)}px; background: #E1E6ED; border-radius: {p(9)}px; }}
        QScrollBar::handle:vertical {{ background: #8793A3; border-radius: {p(9)}px; min-height: {p(60)}px; }}
        QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
        QScrollArea > QWidget > QWidget {{ background: transparent; }}
        """
