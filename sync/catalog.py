"""Catalog versions from central: checked before they are accepted, installed atomically.

Central sends the hall's catalog as TOML text. `stage` writes it under a hidden name in the data
folder and checks it with the kiosk's own `load_catalog`, exactly as the kiosk reads its file
at start; only a catalog that loads is `install`ed, by renaming it over
`DATA_DIR/catalog-central.toml` (a reader sees the old file or the new one, never half of
one). A catalog that does not load is refused and the file in force stays as it was.

`active_catalog(settings)` is what the kiosk loads: central's catalog when there is one that
loads, else the configured one (`[catalog] path`, or the shipped catalog).
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from pathlib import Path

from kiosk.catalog import Catalog, load_catalog
from kiosk.config import Settings
from kiosk.errors import CatalogError

FILE_NAME = "catalog-central.toml"
#: The largest catalog text accepted from central (the kiosk reads at most 4 MiB of a catalog).
MAX_BYTES = 4 * 1024 * 1024

log = logging.getLogger("sync.catalog")


def central_catalog_path(data_dir: Path) -> Path:
    """Where the catalog central sent is kept."""
    return Path(data_dir) / FILE_NAME


def stage(data_dir: Path, text: str, version: int) -> tuple[Path, Catalog]:
    """Write `text` next to the catalog in force and check it; returns the staged file and the
    catalog it holds. Raises CatalogError naming the version, the key and what was expected,
    with nothing left behind."""
    where = f"catalog version {version} from central"
    data = text.encode("utf-8", errors="surrogatepass")
    if len(data) > MAX_BYTES:
        raise CatalogError(file=where, key="-", problem=f"larger than {MAX_BYTES // 2**20} MiB")
    folder = Path(data_dir)
    tmp = folder / f".{FILE_NAME}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        discard(tmp)
        raise CatalogError(file=where, key="-", problem=f"cannot be written: {exc.strerror or exc}") from exc
    try:
        catalog = load_catalog(tmp)
    except CatalogError as exc:
        discard(tmp)
        params = dict(exc.params)
        params["file"] = where
        raise CatalogError(**params) from None
    return tmp, catalog


def install(staged: Path, data_dir: Path) -> Path:
    """Put a staged catalog in force (atomic rename); raises OSError."""
    target = central_catalog_path(data_dir)
    os.replace(staged, target)
    with contextlib.suppress(OSError):
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return target


def discard(staged: Path) -> None:
    """Remove a staged catalog that will not be installed."""
    with contextlib.suppress(OSError):
        staged.unlink()


def active_catalog(settings: Settings) -> Catalog:
    """Central's catalog when one was installed and loads, else the configured one (which
    raises CatalogError when it is broken)."""
    central = central_catalog_path(settings.data_dir)
    if central.is_file():
        try:
            return load_catalog(central)
        except CatalogError as exc:  # checked when it came; a newer kiosk format, a damaged disk
            log.warning("the catalog from central is not usable, using the configured one: %s", exc.message)
    return load_catalog(settings.catalog.path or None)
