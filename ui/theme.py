"""Colours, sizes and the stylesheet, in three looks: normal, large text and high contrast.

Sizes are for a 1080 px short side and scale with the screen; fonts never go under 24 px (32 px in
large text), whatever the screen. A screen finds the look it is drawn in with `theme_of(widget)`
(colours for icons, sizes that are not in the stylesheet); everything else comes from the
stylesheet by the widget's `role` property.
"""

from __future__ import annotations

from dataclasses import dataclass

# The normal palette (kept as names: screens draw icons in PRIMARY).
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

#: The smallest text anywhere, in px (the README's promise), and in large text.
MIN_FONT_PX = 24
MIN_LARGE_FONT_PX = 32
#: The smallest touch target side, in px (the README promises 90 px).
MIN_TOUCH_PX = 90
#: How much larger the large-text look draws every font.
LARGE_TEXT_FACTOR = 1.35


@dataclass(frozen=True)
class Palette:
    bg: str
    ink: str
    muted: str
    primary: str  # the main action's fill
    on_primary: str  # text on it
    primary_down: str
    accent: str  # borders, the number, the icons of secondary buttons
    pressed: str  # the fill of a pressed light button
    ok: str
    ok_bg: str
    danger: str
    danger_bg: str
    card: str
    line: str  # card and row borders
    header: str
    on_header: str
    disabled: str
    on_disabled: str


NORMAL = Palette(
    bg=BG,
    ink=INK,
    muted=MUTED,
    primary=PRIMARY,
    on_primary="#FFFFFF",
    primary_down=PRIMARY_DOWN,
    accent=PRIMARY,
    pressed="#C7D9EE",
    ok=OK,
    ok_bg="#E7F4EC",
    danger=DANGER,
    danger_bg=DANGER_BG,
    card=CARD,
    line="#C9D2DD",
    header=PRIMARY,
    on_header="#FFFFFF",
    disabled="#9AA6B5",
    on_disabled="#EEF1F5",
)

# Black, white and yellow: every text/background pair is at least 7:1 (white on black 21:1,
# yellow #FFE000 on black 15.9:1, black on yellow 15.9:1, white on #333333 12.6:1).
HIGH_CONTRAST = Palette(
    bg="#000000",
    ink="#FFFFFF",
    muted="#FFFFFF",
    primary="#FFE000",
    on_primary="#000000",
    primary_down="#FFFFFF",
    accent="#FFE000",
    pressed="#333333",
    ok="#FFFFFF",
    ok_bg="#000000",
    danger="#FFE000",
    danger_bg="#000000",
    card="#000000",
    line="#FFFFFF",
    header="#000000",
    on_header="#FFFFFF",
    disabled="#000000",
    on_disabled="#BFBFBF",
)


@dataclass(frozen=True)
class Theme:
    scale: float = 1.0
    large_text: bool = False
    high_contrast: bool = False

    @classmethod
    def for_size(cls, width: int, height: int, *, large_text: bool = False, high_contrast: bool = False) -> Theme:
        """The look for a screen: sizes follow its short side (1080 px = 1.0)."""
        return cls(max(0.5, min(1.6, min(width, height) / 1080)), large_text, high_contrast)

    @property
    def colors(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else NORMAL

    def px(self, n: float) -> int:
        """A length (margin, height, icon) for this screen."""
        return max(1, round(n * self.scale))

    def touch(self, n: float) -> int:
        """A touch target's side: scaled with the screen, never under MIN_TOUCH_PX."""
        return max(MIN_TOUCH_PX, self.px(n))

    def font(self, n: float) -> int:
        """A font size in px: scaled with the screen, larger in large text, never under the minimum."""
        if self.large_text:
            return max(MIN_LARGE_FONT_PX, round(n * self.scale * LARGE_TEXT_FACTOR))
        return max(MIN_FONT_PX, round(n * self.scale))

    def tint_style(self, color: str) -> str:
        """The stylesheet of a tile in its own colour (an agency's); high contrast overrides it."""
        if self.high_contrast:
            return ""
        return (
            f"QPushButton {{ background: {color}; border: {self.px(4)}px solid {color}; }}"
            f"QPushButton:pressed {{ background: {INK}; border: {self.px(8)}px solid #FFFFFF; }}"
        )

    def stylesheet(self) -> str:
        p, f, c, t = self.px, self.font, self.colors, self.touch
        hc = self.high_contrast
        # Pressed: a visible change on every button role, in both palettes (a thick border in high contrast).
        edge = p(3)  # the same in every look: switching never moves anything
        down_edge = p(10) if hc else p(6)
        pressed_line = c.accent if hc else INK  # the border of a pressed light button
        tile_bg, tile_line = (c.card, c.accent) if hc else (PRIMARY, PRIMARY)
        tile_down, tile_down_line = (c.pressed, c.accent) if hc else (INK, "#FFFFFF")
        header_bg, header_line = ("#000000", c.accent) if hc else (c.card, "#FFFFFF")
        checked_bg, checked_ink = (c.accent, c.bg) if hc else (INK, "#FFFFFF")
        bar, handle = ("#333333", "#FFFFFF") if hc else ("#E1E6ED", "#8793A3")
        return f"""
        QWidget#Root {{ background: {c.bg}; }}
        QWidget {{ font-family: {FONT_FAMILY}; color: {c.ink}; font-size: {f(28)}px; }}
        QLabel {{ background: transparent; }}
        QLabel[role="display"] {{ font-size: {f(64)}px; font-weight: 800; }}
        QLabel[role="h1"] {{ font-size: {f(52)}px; font-weight: 800; }}
        QLabel[role="h2"] {{ font-size: {f(38)}px; font-weight: 700; }}
        QLabel[role="body"] {{ font-size: {f(30)}px; }}
        QLabel[role="muted"] {{ font-size: {f(26)}px; color: {c.muted}; }}
        QLabel[role="value"] {{ font-size: {f(32)}px; font-weight: 700; }}
        QLabel[role="number"] {{ font-size: {f(180)}px; font-weight: 900; color: {c.accent}; }}
        QLabel[role="tile-title"] {{ font-size: {f(34)}px; font-weight: 800; color: white; }}
        QLabel[role="tile-sub"] {{ font-size: {f(24)}px; color: white; }}
        QLabel[role="row-title"] {{ font-size: {f(34)}px; font-weight: 700; }}
        QLabel[role="row-sub"] {{ font-size: {f(24)}px; color: {c.muted}; }}
        QLabel[role="banner-error"] {{
            font-size: {f(30)}px; font-weight: 600; color: {c.danger}; background: {c.danger_bg};
            border-left: {p(10)}px solid {c.danger}; padding: {p(20)}px; }}
        QLabel[role="banner-ok"] {{
            font-size: {f(32)}px; font-weight: 700; color: {c.ok}; background: {c.ok_bg};
            border-left: {p(10)}px solid {c.ok}; padding: {p(20)}px; }}
        QLabel[role="countdown"] {{
            font-size: {f(32)}px; font-weight: 700; color: {c.on_primary if hc else "white"};
            background: {c.primary if hc else DANGER}; border-radius: {p(12)}px; padding: {p(16)}px {p(24)}px; }}
        QFrame#Header {{ background: {c.header}; border-bottom: {p(4)}px solid {c.accent if hc else c.header}; }}
        QFrame#Header QLabel {{ color: {c.on_header}; }}
        QLabel[role="brand"] {{ font-size: {f(30)}px; font-weight: 800; }}
        QLabel[role="clock"] {{ font-size: {f(30)}px; font-weight: 700; }}
        QFrame#Card {{ background: {c.card}; border-radius: {p(20)}px;
            border: {p(2)}px solid {c.line}; }}
        QPushButton {{
            min-height: {t(96)}px; min-width: {t(96)}px; border-radius: {p(18)}px;
            font-size: {f(32)}px; font-weight: 700; padding: {p(8)}px {p(28)}px;
            qproperty-iconSize: {p(40)}px {p(40)}px; }}
        QPushButton:focus {{ outline: none; }}
        QPushButton[role="primary"] {{ background: {c.primary}; color: {c.on_primary};
            border: {edge}px solid {c.primary}; min-height: {t(120)}px; font-size: {f(40)}px; }}
        QPushButton[role="primary"]:pressed {{ background: {c.primary_down};
            border: {down_edge}px solid {c.ink if hc else INK}; }}
        QPushButton[role="primary"]:disabled {{ background: {c.disabled}; color: {c.on_disabled};
            border: {edge}px dashed {c.on_disabled}; }}
        QPushButton[role="secondary"] {{ background: {c.card}; color: {c.accent}; border: {edge}px solid {c.accent}; }}
        QPushButton[role="secondary"]:pressed {{ background: {c.pressed}; border: {down_edge}px solid {c.accent}; }}
        QPushButton[role="header"], QPushButton[role="toggle"] {{
            background: {header_bg}; color: {c.accent}; min-height: {t(90)}px;
            border: {edge}px solid {header_line}; font-size: {f(26)}px; padding: {p(4)}px {p(14)}px;
            qproperty-iconSize: {p(36)}px {p(36)}px; }}
        QPushButton[role="header"]:pressed, QPushButton[role="toggle"]:pressed {{
            background: {c.pressed}; border: {down_edge}px solid {pressed_line}; }}
        QPushButton[role="toggle"]:checked {{ background: {checked_bg}; color: {checked_ink};
            border: {edge}px solid #FFFFFF; }}
        QPushButton[role="toggle"]:checked:pressed {{ background: {c.pressed}; color: {c.ink if hc else INK};
            border: {down_edge}px solid {pressed_line}; }}
        QPushButton[role="row"] {{ background: {c.card}; border: {edge}px solid {c.line}; text-align: left;
            min-height: {t(150)}px; }}
        QPushButton[role="row"]:pressed {{ background: {c.pressed}; border: {down_edge}px solid {c.accent}; }}
        QPushButton[role="row"][dimmed="true"] {{ background: {"#2E2E2E" if hc else c.bg};
            border: {edge}px dashed {c.muted}; }}
        /* a dimmed row keeps its text metrics (no bold): dimming never reflows a screen */
        QPushButton[role="row"][dimmed="true"] QLabel[role="row-title"] {{ color: {c.muted}; }}
        QPushButton[role="row"][dimmed="true"] QLabel[role="row-sub"] {{ color: {c.ink}; }}
        QPushButton[role="tile"] {{ background: {tile_bg}; border: {edge}px solid {tile_line}; }}
        QPushButton[role="tile"]:pressed {{ background: {tile_down}; border: {down_edge}px solid {tile_down_line}; }}
        QPushButton[role="language"] {{ background: {c.card}; color: {c.accent};
            border: {p(4)}px solid {c.accent};
            min-height: {t(170)}px; font-size: {f(44)}px; font-weight: 800; }}
        QPushButton[role="language"]:pressed {{ background: {c.pressed};
            border: {down_edge + p(2)}px solid {c.accent}; }}
        QScrollArea {{ background: transparent; border: none; }}
        QScrollBar:vertical {{ width: {p(18)}px; background: {bar}; border-radius: {p(9)}px; }}
        QScrollBar::handle:vertical {{ background: {handle}; border-radius: {p(9)}px; min-height: {p(60)}px; }}
        QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
        QScrollArea > QWidget > QWidget {{ background: transparent; }}
        """

    def icon_color(self, role: str = "secondary") -> str:
        """The colour to draw an icon in on a button of `role` (icons are SVGs recoloured)."""
        if role == "primary":
            return self.colors.on_primary
        return self.colors.accent


def theme_of(widget) -> Theme:
    """The look `widget` is drawn in: its window's `theme`, or the normal look outside a kiosk window."""
    window = widget.window() if widget is not None else None
    theme = getattr(window, "theme", None)
    return theme if isinstance(theme, Theme) else Theme()
