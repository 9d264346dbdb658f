"""`kiosk face ...`: enrol, identify, forget (supervisors) and the liveness check, without a screen.

    kiosk face enroll --name NAME IMAGE...   every image must show one usable face, else nothing
                                             is stored; consent is recorded as given by the
                                             supervisor who runs the command
    kiosk face identify IMAGE [--json]       the kiosk's own pipeline minus liveness:
                                             {"match": NAME or null, "distance": float, "faces": n}
    kiosk face forget NAME                   deletes NAME's templates (and tells central)
    kiosk face liveness VIDEO --challenge blink|left|right [--json]
                                             {"live": bool, "reason": str} (kiosk/liveness.py)

Bad input (an unreadable image, no face, several faces, a face too small or blurred, an unknown
name) prints one line and exits 1, and changes nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parser is built for every `kiosk` command: numpy is imported only when used
    from kiosk.face.pipeline import FrameResult, Pipeline
    from kiosk.face.templates import FaceError, FaceTemplates

EXIT_REFUSED = 1

#: What each refusal means, for a person (the identify screen has its own prompts).
REASON_WORDS = {
    "no_face": "no face found",
    "several_faces": "more than one face in view (one person at a time)",
    "too_small": "the face is too small (too far from the camera, or a small picture)",
    "blurred": "the face is blurred",
    "too_dark": "the face is too dark",
    "too_bright": "the face is too bright",
    "not_frontal": "the face is turned away (it must look at the camera)",
}


def add_parser(sub) -> None:
    """The `face` command and its actions, on the CLI's subparsers."""
    f = sub.add_parser("face", help="face identity: enrol, identify, forget (supervisors), liveness check")
    f_sub = f.add_subparsers(dest="face_command", metavar="ACTION", required=True)
    e = f_sub.add_parser("enroll", help="enrol a person from photos (a supervisor: consent given in person)")
    e.add_argument("--name", required=True, help="who the photos show (the subject)")
    e.add_argument("images", metavar="IMAGE", nargs="+", type=Path)
    i = f_sub.add_parser("identify", help="who this photo shows, among the enrolled (no liveness)")
    i.add_argument("image", metavar="IMAGE", type=Path)
    i.add_argument("--json", action="store_true", help='one JSON object: {"match", "distance", "faces"}')
    g = f_sub.add_parser("forget", help="delete a person's face templates")
    g.add_argument("name", metavar="NAME")
    v = f_sub.add_parser("liveness", help="does this video show a live face doing the challenge")
    v.add_argument("video", metavar="VIDEO", type=Path)
    v.add_argument("--challenge", required=True, choices=("blink", "left", "right"))
    v.add_argument("--json", action="store_true", help='one JSON object: {"live", "reason"}')


def make_pipeline(settings) -> Pipeline:
    """The pipeline `[face]` asks for."""
    from kiosk.face.pipeline import Gates, Pipeline

    f = settings.face
    return Pipeline(threshold=f.threshold, detect_width=f.detect_width, gates=Gates(min_face_px=f.min_face_px))


def templates(kiosk) -> FaceTemplates:
    """The kiosk's template store."""
    from kiosk.face.templates import FaceTemplates, key_path

    return FaceTemplates(kiosk.store, key_path(kiosk.settings), kiosk_id=kiosk.settings.kiosk.id)


def read_image(path: Path) -> Any:
    """`path` decoded by OpenCV (BGR); FaceError when it is not a readable image."""
    import cv2

    from kiosk.face.templates import FaceError

    if not Path(path).is_file():
        raise FaceError(problem=f"{path}: no such file")
    try:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    except cv2.error:
        image = None
    if image is None:
        raise FaceError(problem=f"{path}: not an image OpenCV can read")
    return image


def refusal(path: Path, result: FrameResult) -> FaceError:
    from kiosk.face.templates import FaceError

    return FaceError(problem=f"{path}: {REASON_WORDS.get(result.reason, result.reason)}")


def cmd_face(kiosk, args) -> int:
    """Run one `kiosk face` action (the CLI prints a KioskError raised here as one line)."""
    action = args.face_command
    if action == "liveness":
        return cmd_liveness(args)
    if action == "enroll":
        return cmd_enroll(kiosk, args)
    if action == "identify":
        return cmd_identify(kiosk, args)
    return cmd_forget(kiosk, args)


def cmd_enroll(kiosk, args) -> int:
    from kiosk.face.templates import check_subject

    name = check_subject(args.name)
    pipeline = make_pipeline(kiosk.settings)
    encodings = []
    for path in args.images:  # every photo is checked before anything is stored
        result = pipeline.analyse(read_image(path))
        if not result.ok:
            raise refusal(path, result)
        encodings.append(result.encoding)
    now = kiosk.clock.now()
    ids = templates(kiosk).enroll(name, encodings, consent_by="supervisor", at=now)
    print(f"enrolled {name}: {len(ids)} template(s), consent given by the supervisor at {now.isoformat()}")
    return 0


def cmd_identify(kiosk, args) -> int:
    from kiosk.face.templates import FaceError

    image = read_image(args.image)
    gallery = templates(kiosk).gallery()
    if not len(gallery):
        raise FaceError(problem="nobody is enrolled yet ('kiosk face enroll --name NAME IMAGE...')")
    result = make_pipeline(kiosk.settings).identify(image, gallery)
    if not result.ok:
        raise refusal(args.image, result)
    answer = {"match": result.name, "distance": round(float(result.distance), 4), "faces": result.faces}
    if args.json:
        print(json.dumps(answer))
    elif result.name is None:
        print(f"no match (nearest distance {answer['distance']}, threshold {kiosk.settings.face.threshold})")
    else:
        print(f"{result.name} (distance {answer['distance']}, threshold {kiosk.settings.face.threshold})")
    return 0


def cmd_forget(kiosk, args) -> int:
    from kiosk.face.templates import FaceError, check_subject

    name = check_subject(args.name)
    removed = templates(kiosk).forget(name, by="supervisor", at=kiosk.clock.now())
    if not removed:
        raise FaceError(problem=f"nobody is enrolled as {name!r}; nothing deleted")
    print(f"forgot {name}: {removed} template(s) deleted")
    return 0


def cmd_liveness(args) -> int:
    try:
        from kiosk.liveness import liveness_command
    except ImportError:
        print("kiosk: face liveness is not available in this build (kiosk/liveness.py is missing)", file=sys.stderr)
        return EXIT_REFUSED
    answer = liveness_command(Path(args.video), args.challenge)
    if args.json:
        print(json.dumps({"live": bool(answer["live"]), "reason": str(answer["reason"])}))
    else:
        print(("live: " if answer["live"] else "not live: ") + str(answer["reason"]))
    return 0 if answer["live"] else EXIT_REFUSED
