"""Backups: one archive with the database as Django's serialized data, every uploaded file and a
manifest (rows per model, each file's SHA-256, the migration state, the application's version).
Works on SQLite and on PostgreSQL alike; for a large city docs/operations.md gives the pg_dump
route as well.

The whole database goes into the archive with its own primary keys, content types and
permissions included (sessions and django-axes' lockout records are left out), as JSON Lines:
the serializer writes it row by row and loaddata reads it back line by line, so neither side holds
the city in memory. A restore empties the target database first and loads everything in one
transaction; content type ids then match the audit trail's references without natural keys,
which would cost a query per row and foreign key.

The archive holds personal data: it is written with mode 0600, kept at most ``keep_days``
(in step with the 30-day destruction duty of 152-ФЗ ст. 21 ч. 5, docs/operations.md), and after a
restore the daily anonymization runs at once, so a withdrawal recorded in the archive is carried
out again.
"""

import datetime
import hashlib
import importlib.metadata
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from auditlog.context import disable_auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command, get_commands
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.timezone import is_aware

# Sessions are recreated by logging in; axes' records are transient lockouts of the last hours.
EXCLUDED = ["sessions", "mentoring_site.usersession", "axes"]
PREFIX = "mentoring-backup-"
DATA = "data.jsonl"
FORMAT_VERSION = 1
CHUNK = 1 << 20


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
    return {model._meta.label_lower: model._base_manager.count() for model in _models()}


def _migrations() -> list[list[str]]:
    return [list(key) for key in sorted(MigrationRecorder(connection).applied_migrations())]


def _version() -> str:
    try:
        return importlib.metadata.version("mentoring-registry")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds; a backup keeps microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            if isinstance(o, datetime.time) and is_aware(o):
                return super().default(o)
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class _Hashing:
    """Reads a file for tarfile and hashes the very bytes that go into the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _add(tar: tarfile.TarFile, path: Path, arcname: str) -> str | None:
    """Adds one file, returns its SHA-256 (None if it was deleted meanwhile)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None
    with handle:
        info = tar.gettarinfo(arcname=arcname, fileobj=handle)
        info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
        reader = _Hashing(handle)
        tar.addfile(info, reader)
        return reader.digest.hexdigest()


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return [
        (path.relative_to(root).as_posix(), path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]


def _dump(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """Writes every row into ``target`` from one snapshot; returns the rows per model and the
    applied migrations of that snapshot."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # Every table read from one snapshot, while the registry keeps working.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with target.open("w", encoding="utf-8") as stream:
            for model in _models():
                serializers.serialize("jsonl", _rows(model), stream=stream, cls=_ExactEncoder)
        return _counts(), _migrations()


def _rows(model):
    """Every row of ``model`` by primary key, 2,000 at a time, its many-to-many ids prefetched
    (dumpdata would ask for them row by row: 40 s instead of 4 s for 20 kindergartens)."""
    m2m = [
        field.name
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    queryset = model._base_manager.order_by(model._meta.pk.name)
    if m2m:
        queryset = queryset.prefetch_related(
            *[Prefetch(name, queryset=_pk_only(model, name)) for name in m2m]
        )
    return queryset.iterator(chunk_size=2000)


def _pk_only(model, name):
    related = model._meta.get_field(name).remote_field.model
    return related._base_manager.only(related._meta.pk.name).order_by(related._meta.pk.name)


def backup(directory: Path, *, keep_days: int | None = None) -> Path:
    """Writes an archive into ``directory``; with ``keep_days``, deletes older archives there."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
    target = directory / f"{PREFIX}{stamp}.tar.gz"
    partial = directory / f".{target.name}.partial"
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / DATA
        counts, migrations = _dump(data)
        # Files are listed after the rows: a file uploaded meanwhile is an orphan, never a gap.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(descriptor, "wb") as raw,
                tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar,
            ):
                data_sha256 = _add(tar, data, DATA)
                files = {}
                for name, path in _media_files():
                    digest = _add(tar, path, f"media/{name}")
                    if digest is not None:
                        files[name] = digest
                manifest = {
                    "format": FORMAT_VERSION,
                    "created_at": timezone.localtime().isoformat(timespec="seconds"),
                    "version": _version(),
                    "database": connection.vendor,
                    "migrations": migrations,
                    "data_sha256": data_sha256,
                    "rows": counts,
                    "files": files,
                }
                manifest_path = Path(work) / "manifest.json"
                manifest_path.write_text(
                    json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
                )
                _add(tar, manifest_path, "manifest.json")
            partial.rename(target)
        finally:
            partial.unlink(missing_ok=True)
    if keep_days is not None:
        prune(directory, keep_days=keep_days)
    return target


def prune(directory: Path, *, keep_days: int) -> list[Path]:
    """Deletes the archives of this kind older than ``keep_days`` days, their encrypted copies
    (``.tar.gz.age``, ``.tar.gz.gpg``) included; other files are left alone."""
    limit = (timezone.now() - datetime.timedelta(days=keep_days)).timestamp()
    removed = []
    for path in sorted(directory.glob(f"{PREFIX}*.tar.gz*")):
        if path.stat().st_mtime < limit:
            path.unlink()
            removed.append(path)
    return removed


def is_empty() -> bool:
    """Nothing but what ``migrate`` creates: no institution, no account, no person."""
    return not any(
        apps.get_model(label).objects.exists()
        for label in ("registry.Organization", "registry.Person", settings.AUTH_USER_MODEL)
    )


def read_manifest(root: Path) -> dict:
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError) as error:
        raise BackupError(f"В архиве нет описи manifest.json (no manifest): {error}") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError("Архив другого формата (unknown archive format).")
    return manifest


def _check(root: Path, manifest: dict) -> None:
    """Refuses an archive for another schema, or one whose data or files were altered."""
    if _migrations() != manifest["migrations"]:
        raise BackupError(
            "Состояние миграций базы не совпадает с архивом: установите ту же версию приложения "
            f"({manifest['version']}), что сделала архив, и выполните migrate "
            "(the migration state differs from the archive's)."
        )
    if _sha256(root / DATA) != manifest["data_sha256"]:
        raise BackupError(f"Данные {DATA} в архиве повреждены: контрольная сумма не совпала.")
    for name, digest in manifest["files"].items():
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise BackupError(f"Недопустимое имя файла в описи (unsafe file name): {name}")
        path = root / "media" / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"Файл {name} в архиве повреждён: контрольная сумма не совпала.")


def _load(root: Path, manifest: dict) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred constraint checks pending.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # The archive brings its own content types, permissions and reference lists.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        if connection.vendor == "postgresql":
            # Rows come in app order, not by dependency: foreign keys are checked at commit.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        ContentType.objects.clear_cache()
        # The archive carries its audit trail; loading it is no change to record (m2m included).
        with disable_auditlog():
            call_command("loaddata", str(root / DATA), verbosity=0)
        if connection.vendor == "postgresql":
            # The deferred foreign keys checked now, so a broken reference is a clear refusal.
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            except IntegrityError as error:
                raise BackupError(
                    f"Ссылки в архиве не сходятся (broken reference): {error}"
                ) from error
        ContentType.objects.clear_cache()
        counts = _counts()
        wrong = {
            label: (counts.get(label), expected)
            for label, expected in manifest["rows"].items()
            if counts.get(label) != expected
        }
        if wrong:
            raise BackupError(f"После загрузки не совпало число строк (found, expected): {wrong}")


def restore(archive: Path, *, force: bool = False) -> dict:
    """Loads an archive into an empty, migrated database (``force``: one that is not empty, which
    is emptied first) and its files into MEDIA_ROOT, checks them against the manifest, and runs
    the anonymization duty. Returns the manifest."""
    if not force and not is_empty():
        raise BackupError(
            "База данных не пуста: восстановление только в пустую базу, --force сначала удалит "
            "все данные (the database is not empty)."
        )
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(root, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"Архив не читается (unreadable archive): {error}") from error
        manifest = read_manifest(root)
        _check(root, manifest)
        _load(root, manifest)
        media = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            destination = media / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / "media" / name, destination)
    # Numbers cached from the data before the restore would be shown for minutes more.
    cache.clear()
    # A withdrawal recorded in the archive is carried out again (152-ФЗ ст. 21 ч. 5).
    if "anonymize_withdrawn" in get_commands():
        call_command("anonymize_withdrawn", verbosity=0)
    return manifest
