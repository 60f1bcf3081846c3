"""Backup and restore (issue 10, DESIGN.md section 6): one archive, database and private media together.

After a restore into a fresh database the ledgers verify and, on PostgreSQL, the append-only triggers are
back; a stamping row changed inside the archive makes `verify_ledgers` fail there.
"""

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from tuson_hcc.core.backup import SQL_NAME, BackupError, backup_restore, backup_write

ROOT = Path(django_settings.BASE_DIR)
SUMMARY = "Trích lục khai sinh cho Nguyễn Văn An"


def _seed_stampings(demo_users, n=3):
    from seals.services.stamping import stamping_record
    from tests.seals.factories import build_catalogue, build_seal

    catalogue = build_catalogue()
    seal = build_seal(catalogue, demo_users["vanthu"])
    for i in range(n):
        stamping_record(
            seal=seal,
            procedure=catalogue["birth"],
            document={
                "dossier_code": f"HCCTS-261124-000{i}",
                "document_type": "Trích lục",
                "document_number": f"{i}/TLKS",
                "document_date": timezone.localdate(),
                "summary": SUMMARY,
                "signer_name": "Lê Thị Lan",
                "signer_position": "Trưởng phòng Tư pháp",
                "is_signed": True,
                "copies": 1,
                "impressions": 1,
                "kind": "signature",
                "sheets": None,
                "requested_by": "Phạm Đức Anh",
            },
            actor=demo_users["vanthu"],
        )


def _media_file(settings) -> tuple[str, bytes]:
    relative, content = "documents/2026/mau_01-abc.pdf", b"%PDF-1.4 issued %%EOF"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return relative, content


def _manage(*args, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root), "CONN_MAX_AGE": "0"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _tampered_copy(archive: Path, tmp_path: Path) -> Path:
    """The same archive with one stamping row's summary changed in the SQL dump."""
    work = tmp_path / "tamper"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    dump = work / SQL_NAME
    lines = dump.read_text().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("COPY public.seals_stampingentry "))
    assert SUMMARY in lines[start + 1]
    lines[start + 1] = lines[start + 1].replace(SUMMARY, SUMMARY + " (sửa)")
    dump.write_text("\n".join(lines))
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as tar:
        for path in work.iterdir():
            tar.add(path, arcname=path.name)
    return tampered


def _fresh_pg_database(name: str) -> str:
    import psycopg

    params = connection.settings_dict
    host, port, user = params["HOST"] or "127.0.0.1", params["PORT"] or 5432, params["USER"] or "postgres"
    with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{user}@{host}:{port}/{name}"


def _drop_pg_database(name: str) -> None:
    import psycopg

    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgres_backup_restores_with_its_triggers_and_verifies_and_a_changed_row_fails(
    postgres_only, demo_users, settings, tmp_path
):
    import psycopg

    _seed_stampings(demo_users)
    relative, content = _media_file(settings)
    archive = backup_write(tmp_path / "backups")
    assert archive.parent == tmp_path / "backups" and archive.name.endswith(".tar.gz")

    name = connection.settings_dict["NAME"] + "_restored"
    url = _fresh_pg_database(name)
    try:
        media = tmp_path / "media-restored"
        restored = _manage("restore", str(archive), database_url=url, media_root=media)
        assert restored.returncode == 0, restored.stderr
        assert (media / relative).read_bytes() == content  # the private files came back with the rows
        verified = _manage("verify_ledgers", "--workers", "1", database_url=url, media_root=media)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "seals.stampingentry" in verified.stdout and "BROKEN" not in verified.stdout
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as restored_db:
            triggers = restored_db.execute(
                "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname = 'seals_stampingentry' AND NOT t.tgisinternal"
            ).fetchone()[0]
            assert triggers >= 1
            with pytest.raises(psycopg.Error):  # append-only, as before the backup
                restored_db.execute("UPDATE seals_stampingentry SET summary = 'x'")
        again = _manage("restore", str(archive), database_url=url, media_root=tmp_path / "other-media")
        assert again.returncode != 0 and "không trống" in again.stderr  # never over live data

        tampered_url = _fresh_pg_database(name + "_t")
        tampered = _manage(
            "restore", str(_tampered_copy(archive, tmp_path)), database_url=tampered_url, media_root=tmp_path / "m2"
        )
        assert tampered.returncode == 0, tampered.stderr
        broken = _manage("verify_ledgers", "--workers", "1", database_url=tampered_url, media_root=tmp_path / "m2")
        assert broken.returncode != 0
        assert "seals.stampingentry" in broken.stdout and "hash mismatch" in broken.stdout
    finally:
        _drop_pg_database(name)
        _drop_pg_database(name + "_t")


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_an_empty_file_and_verifies(demo_users, settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path")
    _seed_stampings(demo_users)
    relative, content = _media_file(settings)
    archive = backup_write(tmp_path / "backups")
    url, media = f"sqlite:///{tmp_path / 'restored.sqlite3'}", tmp_path / "media-restored"
    restored = _manage("restore", str(archive), database_url=url, media_root=media)
    assert restored.returncode == 0, restored.stderr
    assert (media / relative).read_bytes() == content
    verified = _manage("verify_ledgers", "--workers", "1", database_url=url, media_root=media)
    assert verified.returncode == 0 and "seals.stampingentry" in verified.stdout, verified.stdout + verified.stderr


def test_restore_refuses_a_database_that_is_not_empty(db, settings, tmp_path):
    archive = tmp_path / "x.tar.gz"
    archive.write_bytes(b"")  # refused before the archive is even opened
    with pytest.raises(BackupError, match="không trống"):
        backup_restore(archive)


def test_restore_refuses_a_media_folder_that_is_not_empty(settings, tmp_path, monkeypatch):
    from tuson_hcc.core import backup

    _media_file(settings)
    monkeypatch.setattr(backup, "_database_is_empty", lambda: True)
    archive = tmp_path / "x.tar.gz"
    archive.write_bytes(b"")
    with pytest.raises(BackupError, match="không trống"):
        backup_restore(archive)
