"""Backups: manage.py backup writes the database, the files and a manifest; manage.py restore
loads them into an empty database and finds every row and file (mentoring_site/backup.py)."""

import os
import time
from datetime import date

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from mentoring_site import backup as backups
from registry.models import Consent, Person
from registry.services import personal_data
from tests.factories import make_person


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _snapshot():
    rows = {}
    for model in backups._models():
        rows[model._meta.label_lower] = sorted(model._default_manager.values_list("pk", flat=True))
    return rows


def _empty_database():
    """What a new machine has after migrate, minus the seeded lists: nothing."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred constraint checks pending in this transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, allow_cascade=True, verbosity=0)


def _archive(tmp_path):
    call_command("backup", output=str(tmp_path / "backups"), keep_days=14, verbosity=0)
    return next((tmp_path / "backups").glob("mentoring-backup-*.tar.gz"))


def test_a_backup_restores_into_an_empty_database_with_every_row_and_file(
    world, tmp_path, media_root
):
    consent = Consent.objects.get(person=world.mentee_person, kind="processing")
    consent.scan.save("soglasie.pdf", ContentFile(b"%PDF-1.4 signed by hand"))
    before = _snapshot()
    person = Person.objects.get(pk=world.mentee_person.pk)
    archive = _archive(tmp_path)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    _empty_database()
    for path in media_root.rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Person.objects.exists()

    call_command("restore", str(archive), verbosity=0)

    assert _snapshot() == before
    restored = Person.objects.get(pk=person.pk)
    assert (restored.full_name, restored.search_name, restored.email) == (
        person.full_name,
        person.search_name,
        person.email,
    )
    restored_consent = Consent.objects.get(pk=consent.pk)
    assert restored_consent.scan.read() == b"%PDF-1.4 signed by hand"
    # The reference lists came back too (they are seeded by migrations in a new database).
    assert apps.get_model("registry", "Direction").objects.filter(name="методическое").exists()


def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    archive = _archive(tmp_path)
    with pytest.raises(CommandError, match="не пуста"):
        call_command("restore", str(archive), verbosity=0)


def test_a_tampered_file_in_the_archive_is_refused(world, tmp_path, media_root):
    import tarfile

    consent = Consent.objects.get(person=world.mentee_person, kind="processing")
    consent.scan.save("soglasie.pdf", ContentFile(b"%PDF-1.4 original"))
    archive = _archive(tmp_path)
    work = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    scan = next((work / "media").rglob("*.pdf"))
    scan.write_bytes(b"%PDF-1.4 forged")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as tar:
        for item in sorted(work.iterdir()):
            tar.add(item, arcname=item.name)
    _empty_database()
    with pytest.raises(CommandError, match="повреждён"):
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
    old.write_bytes(b"old")
    month_ago = time.time() - 30 * 86400
    os.utime(old, (month_ago, month_ago))
    other = folder / "notes.txt"
    other.write_text("keep")
    os.utime(other, (month_ago, month_ago))
    make_person(world.institution, "Свежая")
    call_command("backup", output=str(folder), keep_days=14, verbosity=0)
    names = sorted(p.name for p in folder.iterdir())
    assert old.name not in names and "notes.txt" in names
    assert len([n for n in names if n.startswith("mentoring-backup-")]) == 1
