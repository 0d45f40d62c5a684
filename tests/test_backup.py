"""Backups: manage.py backup writes the database, the files and a manifest; manage.py restore
loads them into an empty database and finds every row and file (mentoring_site/lib/backup.py,
docs/operations.md). Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import configparser
import json
import os
import shlex
import tarfile
import time
from datetime import date
from pathlib import Path

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import connection, models

from mentoring_site.lib import backup as backups
from programs.models import Evidence, ProgramEvent
from registry.models import Consent, Organization, Person
from registry.services import personal_data
from reports.models import Practice, PracticeMaterial
from tests.factories import make_person

DEPLOY = Path(__file__).resolve().parent.parent / "docs" / "deploy"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _snapshot() -> dict[str, list[dict]]:
    """Every row of every backed-up model, every field, in primary-key order."""
    rows = {}
    for model in backups._models():
        rows[model._meta.label_lower] = serializers.serialize("python", backups._rows(model))
    return rows


def _files(media_root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(media_root).as_posix(): p.read_bytes()
        for p in media_root.rglob("*")
        if p.is_file()
    }


def _empty_database():
    """What a new machine has after migrate, minus the seeded lists: nothing."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred constraint checks pending in this transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def _empty_media(media_root: Path):
    for path in media_root.rglob("*"):
        if path.is_file():
            path.unlink()


def _archive(tmp_path) -> Path:
    call_command("backup", output=str(tmp_path / "backups"), keep_days=14, verbosity=0)
    (archive,) = (tmp_path / "backups").glob("mentoring-backup-*.tar.gz")
    return archive


def _repack(archive: Path, tmp_path: Path, change) -> Path:
    """Unpacks an archive, lets ``change(folder)`` alter it, packs it again."""
    work = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    change(work)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as tar:
        for item in sorted(work.iterdir()):
            tar.add(item, arcname=item.name)
    return tampered


def _upload_everywhere():
    """A file in every kind of upload: consent scans, evidence, practice materials, roadmap
    evidence, the public section's documents and images."""
    for model in (Consent,) + tuple(
        m for m in backups._models() if m not in (Consent, Evidence, PracticeMaterial)
    ):
        file_fields = [f for f in model._meta.fields if isinstance(f, models.FileField)]
        for obj in model._base_manager.order_by("pk")[:2]:
            for field in file_fields:
                getattr(obj, field.name).save("upload.pdf", ContentFile(f"%PDF {obj.pk}".encode()))
    event = ProgramEvent.objects.order_by("pk").first()
    evidence = Evidence(event=event, name="фото.jpg")
    evidence.file.save("photo.jpg", ContentFile(b"\xff\xd8\xff evidence"), save=False)
    evidence.save()
    material = PracticeMaterial(practice=Practice.objects.order_by("pk").first(), name="м.docx")
    material.file.save("m.docx", ContentFile(b"PK\x03\x04 material"), save=False)
    material.save()


def test_a_backup_restores_into_an_empty_database_with_every_row_and_file(db, tmp_path, media_root):
    call_command("load_demo", verbosity=0)
    _upload_everywhere()
    before, files = _snapshot(), _files(media_root)
    apps_with_rows = {label.split(".")[0] for label, rows in before.items() if rows}
    assert {"registry", "programs", "roadmap", "reports", "audit", "auth"} <= apps_with_rows
    assert {"consents", "evidence", "practices", "public"} <= {n.split("/")[0] for n in files}

    started = time.perf_counter()
    archive = _archive(tmp_path)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["rows"] == {label: len(rows) for label, rows in before.items()}
    assert set(manifest["files"]) == set(files)
    assert manifest["version"] and manifest["migrations"]

    _empty_database()
    _empty_media(media_root)
    assert not Person.objects.exists() and not _files(media_root)

    call_command("restore", str(archive), verbosity=0)
    elapsed = time.perf_counter() - started

    after = _snapshot()
    assert {label: [row["pk"] for row in rows] for label, rows in after.items()} == {
        label: [row["pk"] for row in rows] for label, rows in before.items()
    }
    assert after == before  # every field of every row
    assert _files(media_root) == files  # the same names, the same bytes
    scan = Consent.objects.exclude(scan="").order_by("pk").first()
    with scan.scan.open("rb") as stored:  # closed here, not whenever it is collected
        assert stored.read() == files[scan.scan.name]
    # The database goes on: new rows get new primary keys (sequences follow on PostgreSQL).
    newcomer = make_person(Organization.objects.first(), "Новенькая")
    assert newcomer.pk > max(row["pk"] for row in before["registry.person"])
    assert elapsed < 30


def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    archive = _archive(tmp_path)
    people = Person.objects.count()
    with pytest.raises(CommandError, match="не пуста"):
        call_command("restore", str(archive), verbosity=0)
    assert Person.objects.count() == people


def test_restore_with_force_replaces_what_the_database_holds(world, tmp_path):
    before = _snapshot()
    archive = _archive(tmp_path)
    make_person(world.institution, "Позднее")
    call_command("restore", str(archive), force=True, verbosity=0)
    assert _snapshot() == before
    assert not Person.objects.filter(last_name="Позднее").exists()


def test_restore_forgets_what_the_cache_holds(world, tmp_path):
    """The cached indicators of the data before the restore are not shown after it."""
    from django.core.cache import cache

    archive = _archive(tmp_path)
    cache.set("indicators:stale", "numbers of the replaced data", None)
    call_command("restore", str(archive), force=True, verbosity=0)
    assert cache.get("indicators:stale") is None


def test_a_tampered_file_in_the_archive_is_refused(world, tmp_path, media_root):
    consent = Consent.objects.get(person=world.mentee_person, kind="processing")
    consent.scan.save("soglasie.pdf", ContentFile(b"%PDF-1.4 original"))
    archive = _archive(tmp_path)

    def forge(work):
        next((work / "media").rglob("*.pdf")).write_bytes(b"%PDF-1.4 forged")

    tampered = _repack(archive, tmp_path, forge)
    _empty_database()
    _empty_media(media_root)
    with pytest.raises(CommandError, match="повреждён"):
        call_command("restore", str(tampered), verbosity=0)
    assert not Person.objects.exists() and not _files(media_root)


def test_tampered_data_in_the_archive_is_refused(world, tmp_path):
    archive = _archive(tmp_path)

    def forge(work):
        data = work / "data.jsonl"
        data.write_text(data.read_text("utf-8").replace("Петрова", "Сидорова"), "utf-8")

    tampered = _repack(archive, tmp_path, forge)
    _empty_database()
    with pytest.raises(CommandError, match="повреждены"):
        call_command("restore", str(tampered), verbosity=0)
    assert not Person.objects.exists()


def test_an_archive_of_another_migration_state_is_refused(world, tmp_path):
    archive = _archive(tmp_path)

    def older(work):
        manifest = json.loads((work / "manifest.json").read_text("utf-8"))
        manifest["migrations"] = manifest["migrations"][:-1]
        (work / "manifest.json").write_text(json.dumps(manifest), "utf-8")

    tampered = _repack(archive, tmp_path, older)
    _empty_database()
    with pytest.raises(CommandError, match="миграций"):
        call_command("restore", str(tampered), verbosity=0)
    assert not Person.objects.exists()


def test_a_manifest_naming_a_file_outside_the_media_folder_is_refused(world, tmp_path):
    archive = _archive(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("x")

    def escape(work):
        manifest = json.loads((work / "manifest.json").read_text("utf-8"))
        manifest["files"]["../../outside.txt"] = backups._sha256(outside)
        (work / "manifest.json").write_text(json.dumps(manifest), "utf-8")

    tampered = _repack(archive, tmp_path, escape)
    _empty_database()
    with pytest.raises(CommandError, match="Недопустимое имя"):
        call_command("restore", str(tampered), verbosity=0)
    assert not Person.objects.exists()


def test_restore_carries_out_a_withdrawal_recorded_in_the_archive(world, tmp_path):
    person = world.mentee_person
    Consent.objects.filter(person=person, kind="processing").update(withdrawn_on=date(2026, 9, 2))
    archive = _archive(tmp_path)
    _empty_database()
    call_command("restore", str(archive), verbosity=0)
    restored = Person.objects.get(pk=person.pk)
    assert restored.last_name == personal_data.ANONYMIZED_LAST_NAME


def test_keep_days_removes_old_archives_only(world, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / "mentoring-backup-2026-10-01-020000.tar.gz"
    old_encrypted = folder / "mentoring-backup-2026-10-01-020000.tar.gz.age"
    recent = folder / "mentoring-backup-2026-11-25-020000.tar.gz.age"
    other = folder / "notes.txt"
    for path, days in ((old, 15), (old_encrypted, 15), (recent, 13), (other, 30)):
        path.write_bytes(b"x")
        stamp = time.time() - days * 86400
        os.utime(path, (stamp, stamp))
    call_command("backup", output=str(folder), keep_days=14, verbosity=0)
    names = sorted(p.name for p in folder.iterdir())
    assert old.name not in names and old_encrypted.name not in names
    assert recent.name in names and "notes.txt" in names
    assert len([n for n in names if n.startswith("mentoring-backup-")]) == 2


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def test_the_backup_timer_runs_the_backup_at_two_in_moscow_with_14_days_kept():
    timer = _unit("mentoring-backup.timer")
    assert set(timer.sections()) == {"Unit", "Timer", "Install"}
    assert timer["Timer"]["OnCalendar"] == "*-*-* 02:00:00 Europe/Moscow"
    assert timer["Timer"]["Unit"] == "mentoring-backup.service"
    assert timer["Timer"]["Persistent"] == "true"
    service = _unit("mentoring-backup.service")
    assert set(service.sections()) == {"Unit", "Service"}
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["UMask"] == "0077"
    text = (DEPLOY / "mentoring-backup.service").read_text(encoding="utf-8")
    lines = [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("ExecStart=")]
    argv = shlex.split(lines[0])
    assert argv[1:3] == ["manage.py", "backup"] and argv[2] in get_commands()
    keep_days = int(argv[argv.index("--keep-days") + 1])
    # Withdrawn on day W, anonymized at 07:00 of W + grace; the archive of 02:00 that day is the
    # last one with the data and goes at the first run more than keep_days later (docs).
    assert personal_data.GRACE_DAYS + keep_days + 1 <= 30
