"""`kiosk face ...` as a supervisor or a script runs it: real store, real photos, no screen."""

from __future__ import annotations

import json
import sqlite3

from fixturepaths import fixture

from kiosk.cli import main


def face(capsys, tmp_path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(tmp_path / "data"), "face", *args])
    out, err = capsys.readouterr()
    return code, out, err


def photo(stem: str) -> str:
    return str(fixture("faces", f"{stem}.jpg"))


def rows(tmp_path) -> tuple[int, int]:
    with sqlite3.connect(tmp_path / "data" / "kiosk.sqlite3") as conn:
        return conn.execute("SELECT (SELECT count(*) FROM face_templates), (SELECT count(*) FROM outbox)").fetchone()


def test_cli_face_enroll_identify_forget(capsys, tmp_path):
    for name, stem in [("Obama", "obama_1"), ("Biden", "biden_1"), ("Rose", "rose_leslie_1")]:
        code, out, err = face(capsys, tmp_path, "enroll", "--name", name, photo(stem))
        assert code == 0 and f"enrolled {name}" in out and "supervisor" in out, err
    code, out, _ = face(capsys, tmp_path, "identify", photo("obama_2"), "--json")
    answer = json.loads(out)
    assert code == 0 and answer["match"] == "Obama" and answer["faces"] == 1 and 0 < answer["distance"] <= 0.5
    code, out, _ = face(capsys, tmp_path, "identify", photo("alex_lacamoire_1"), "--json")
    assert code == 0 and json.loads(out)["match"] is None and json.loads(out)["distance"] > 0.5
    code, out, _ = face(capsys, tmp_path, "forget", "Obama")
    assert code == 0 and "forgot Obama" in out
    code, out, _ = face(capsys, tmp_path, "identify", photo("obama_2"), "--json")
    assert json.loads(out)["match"] is None
    assert rows(tmp_path) == (2, 4)  # 3 enrolled + 1 forgotten outbox items


def test_cli_face_bad_input_is_one_line_and_changes_nothing(capsys, tmp_path):
    face(capsys, tmp_path, "enroll", "--name", "Kit", photo("kit_harington_1"))
    before = rows(tmp_path)
    not_image = tmp_path / "notes.jpg"
    not_image.write_text("not a picture")
    for args, words in [
        (["enroll", "--name", "Pair", photo("biden_2"), photo("two_people")], "more than one face"),
        (["enroll", "--name", "X", str(not_image)], "not an image"),
        (["identify", photo("two_people"), "--json"], "more than one face"),
        (["identify", str(tmp_path / "missing.jpg")], "no such file"),
        (["forget", "Nobody"], "nobody is enrolled"),
    ]:
        code, out, err = face(capsys, tmp_path, *args)
        assert code == 1 and out == "" and words in err and len(err.strip().splitlines()) == 1, (args, err)
        assert "Traceback" not in err
    assert rows(tmp_path) == before
