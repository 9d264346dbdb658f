"""Face identity for the kiosk: detect, check quality, encode, match, decide. No Qt here.

    kiosk.face.pipeline   one frame -> a `FrameResult` (a reason code, or an encoding and its match)
    kiosk.face.gallery    the enrolled templates as one float32 matrix: 1:N and 1:1 matching
    kiosk.face.decider    agreement over several consecutive frames -> a `Decision`
    kiosk.face.templates  templates encrypted at rest (AES-GCM, key outside the database), consent,
                          forget, outbox items for central
    kiosk.face.commands   `kiosk face enroll | identify | forget | liveness`

Threads: face_recognition (dlib) is imported lazily, on first use, and every call takes tens of
milliseconds (an encoding about 90 ms): never call the pipeline on the GUI thread; run it on a
worker (`ui/ops.py`'s pool) and hand the result back by signal.

Reason codes (each has its own prompt on the identify screen), in `REASONS`:

    ok             one usable face
    no_face        no face found
    several_faces  two or more faces of similar size in view
    too_small      the face is too small (too far from the camera)
    blurred        the face is blurred (moving, or out of focus)
    too_dark       the face is too dark
    too_bright     the face is too bright (washed out)
    not_frontal    the face is turned away (look straight at the camera)
"""

from __future__ import annotations

REASONS = ("ok", "no_face", "several_faces", "too_small", "blurred", "too_dark", "too_bright", "not_frontal")
