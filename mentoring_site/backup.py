"""Backups: one archive with the database as Django's serialized data, every uploaded file and a
manifest (rows per model, each file's SHA-256, the migration state). Works on SQLite and on
PostgreSQL alike; for a large city docs/operations.md gives the pg_dump route as well.

The archive holds personal data: it is written with mode 0600, kept at most ``keep_days``
(in step with the 30-day destruction duty of 152-ФЗ ст. 21 ч. 5, docs/operations.md), and after a
restore the daily anonymization runs at once, so a withdrawal recorded in the archive is carried
out again.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]
PREFIX = "mentoring-backup-"


class BackupError(Exception):
    pass


def _models():
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in excluded_apps or meta.label_lower in excluded_models:
            continue
        if meta.proxy or not meta.managed:
            continue
        yield model


def _counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in _models()}


def _migrations() -> list[list[str]]:
    return sorted(MigrationRecorder(connection).applied_migrations().keys())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files() -> dict[str, Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def backup(directory: Path, *, keep_days: int | None = None) -> Path:
    """Writes an archive into ``directory``; with ``keep_days``, deletes older archives there."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
    target = directory / f"{PREFIX}{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data.json"
        # One consistent snapshot: the counts and the data come from the same transaction.
        with transaction.atomic():
            call_command(
                "dumpdata",
                *[],
                exclude=EXCLUDED,
                natural_foreign=True,
                output=str(data),
                verbosity=0,
            )
            counts = _counts()
        files = _media_files()
        manifest = {
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "migrations": _migrations(),
            "rows": counts,
            "files": {name: _sha256(path) for name, path in files.items()},
        }
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
            tar.add(data, arcname="data.json")
            for name, path in files.items():
                tar.add(path, arcname=f"media/{name}")
    if keep_days is not None:
        prune(directory, keep_days=keep_days)
    return target


def prune(directory: Path, *, keep_days: int) -> list[Path]:
    """Deletes the archives of this kind older than ``keep_days`` days."""
    limit = timezone.now() - timedelta(days=keep_days)
    removed = []
    for path in directory.glob(f"{PREFIX}*.tar.gz"):
        if path.stat().st_mtime < limit.timestamp():
            path.unlink()
            removed.append(path)
    return removed


def _is_empty() -> bool:
    return not apps.get_model("registry", "Organization").objects.exists()


def restore(archive: Path, *, force: bool = False) -> dict:
    """Loads an archive into an empty, migrated database and its files into MEDIA_ROOT, checks
    them against the manifest, and runs the anonymization duty. Returns the manifest."""
    if not force and not _is_empty():
        raise BackupError(
            "База данных не пуста: восстановление только в пустую базу (или с --force)."
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")
        root = Path(work)
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        if [list(m) for m in _migrations()] != [list(m) for m in manifest["migrations"]]:
            raise BackupError(
                "Состояние миграций базы не совпадает с архивом: выполните migrate той же "
                "версией приложения, что сделала архив."
            )
        for name, digest in manifest["files"].items():
            if _sha256(root / "media" / name) != digest:
                raise BackupError(f"Файл {name} в архиве повреждён: контрольная сумма не совпала.")
        with transaction.atomic():
            call_command("loaddata", str(root / "data.json"), verbosity=0)
            counts = _counts()
            wrong = {
                label: (counts.get(label), expected)
                for label, expected in manifest["rows"].items()
                if counts.get(label) != expected
            }
            if wrong:
                raise BackupError(f"После загрузки не совпало число строк: {wrong}")
        media = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            destination = media / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes((root / "media" / name).read_bytes())
    call_command("anonymize_withdrawn", verbosity=0)
    return manifest
