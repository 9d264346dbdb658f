from __future__ import annotations

import pytest

from kiosk.config import load
from kiosk.errors import ConfigError


def test_load_defaults_without_file(tmp_path):
    s = load(None, data_dir=tmp_path)
    assert s.hall.timezone == "WIB" and s.kiosk.language == "id"
    assert s.printer.kind == "usb" and not s.hall.always_open


def test_load_demo_opens_hall_around_the_clock(tmp_path):
    s = load(None, demo=True, data_dir=tmp_path)
    assert s.hall.always_open and s.printer.kind == "file" and not s.kiosk.fullscreen


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("not = = toml [", "line 1, column 7", "not valid TOML: Invalid value"),
        ("[hall]\nname = 'x'\nname = 'y'\n", "line 3, column 11", "not valid TOML: Cannot overwrite a value"),
        ("[hall]\ncolour = 'red'\n", "hall.colour", "unknown key"),
        ("[hal]\nname = 'x'\n", "hal", "unknown section"),
        ("[timeouts]\ninactivity_seconds = 'sixty'\n", "timeouts.inactivity_seconds", "expected an integer"),
        ("[hall]\ntimezone = 'UTC'\n", "hall.timezone", "expected one of WIB, WITA, WIT"),
        ("[kiosk]\nshort_code = 'kiosk-one'\n", "kiosk.short_code", "expected 1-2 characters"),
        ("[printer]\nport = true\n", "printer.port", "expected an integer"),
        ("hall = 3\n", "hall", "expected a [table]"),
    ],
)
def test_load_broken_config_names_file_key_and_expectation(tmp_path, text, key, expected):
    path = tmp_path / "broken.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load(path, data_dir=tmp_path)
    message = err.value.message
    assert str(path) in message and f": {key}: " in message and expected in message
    assert "\n" not in message


def test_load_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load(tmp_path / "nope.toml", data_dir=tmp_path)


def test_load_readme_example_config(tmp_path):
    """The configuration shown in the README is valid as written."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## Configuration") :]
    example = re.findall(r"```toml\n(.*?)```", section, re.S)[0]
    path = tmp_path / "example.toml"
    path.write_text(example)
    s = load(path, data_dir=tmp_path)
    assert s.hall.name == "MPP Kota Bandung" and s.kiosk.short_code == "1" and s.printer.port == 9100
