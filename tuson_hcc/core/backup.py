"""One archive holds everything the Centre cannot lose: the database and the private media (DESIGN.md §6).

`backup_write()` makes `hcc-backup-<time>.tar.gz` in BACKUP_DIR with
- `manifest.json`: format, time, database vendor;
- `database.sql` (PostgreSQL: `pg_dump` of the whole database in plain SQL, so the append-only
  triggers, functions and sequences come back with the rows) or `database.sqlite3` (SQLite's
  online backup: a consistent copy while the app runs);
- `media/…`: every file of MEDIA_ROOT (scans, issued PDFs, attachments). Without them the
  database points at files that no longer exist, and issued documents cannot be re-verified.

`backup_restore()` fills an EMPTY database and an empty media folder from such an archive and
refuses anything else: a restore never merges into, or overwrites, live data.
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
SQL_NAME, SQLITE_NAME, MANIFEST_NAME, MEDIA_PREFIX = "database.sql", "database.sqlite3", "manifest.json", "media"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is Vietnamese, for the operator."""


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (fixed argv)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} thất bại: {result.stderr.strip()[-2000:]}")


def _dump_database(workdir: Path) -> Path:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        target = workdir / SQL_NAME
        name = settings.DATABASES["default"]["NAME"]
        _run(["pg_dump", *args, "--format=plain", "--no-owner", "--no-privileges", "--file", str(target), name], env)
        return target
    if connection.vendor == "sqlite":
        target = workdir / SQLITE_NAME
        with connection.cursor() as cursor:  # a consistent, compacted copy while the app keeps running
            cursor.execute("VACUUM INTO %s", [str(target)])
        return target
    raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")


def backup_write(directory: Path | None = None) -> Path:
    """Write one archive (database + MEDIA_ROOT) and return its path."""
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"hcc-backup-{stamp}.tar.gz"
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="hcc-backup-") as tmp:
        dump = _dump_database(Path(tmp))
        manifest = Path(tmp) / MANIFEST_NAME
        manifest.write_text(
            json.dumps(
                {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(), "vendor": connection.vendor},
                indent=2,
            )
        )
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(manifest, arcname=MANIFEST_NAME)
            tar.add(dump, arcname=dump.name)
            if media.is_dir():
                tar.add(media, arcname=MEDIA_PREFIX)
        partial.rename(archive)  # never a half-written file under the final name
    archive.chmod(0o600)  # it holds every personal datum of the Centre
    return archive


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _media_is_empty(media: Path) -> bool:
    return not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def backup_restore(archive: Path) -> dict:
    """Fill the empty database and media folder from `archive`; return what was restored."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive}.")
    media = Path(settings.MEDIA_ROOT)
    if not _database_is_empty():
        raise BackupError(
            "Cơ sở dữ liệu đích không trống: chỉ khôi phục vào một cơ sở dữ liệu mới tạo, chưa chạy migrate."
        )
    if not _media_is_empty(media):
        raise BackupError(f"Thư mục tệp riêng {media} không trống: chỉ khôi phục vào một thư mục trống.")
    with tempfile.TemporaryDirectory(prefix="hcc-restore-") as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")  # refuses absolute paths, "..", links outside, devices
        root = Path(tmp)
        manifest = json.loads((root / MANIFEST_NAME).read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Định dạng tệp sao lưu không được hỗ trợ: {manifest.get('format')}.")
        if manifest.get("vendor") != connection.vendor:
            raise BackupError(f"Tệp sao lưu của {manifest.get('vendor')} không khôi phục được vào {connection.vendor}.")
        _restore_database(root)
        files = 0
        if (root / MEDIA_PREFIX).is_dir():
            media.mkdir(parents=True, exist_ok=True)
            for source in (root / MEDIA_PREFIX).rglob("*"):
                target = media / source.relative_to(root / MEDIA_PREFIX)
                if source.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                elif source.is_file():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target)
                    files += 1
    return {"created_at": manifest.get("created_at"), "vendor": manifest.get("vendor"), "media_files": files}


def _restore_database(root: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        name = settings.DATABASES["default"]["NAME"]
        connection.close()  # psql loads it in one transaction of its own
        _run(
            [
                "psql",
                *args,
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set",
                "ON_ERROR_STOP=1",
                "--file",
                str(root / SQL_NAME),
                "--dbname",
                name,
            ],
            env,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(root / SQLITE_NAME) as source:
            source.backup(connection.connection)
        source.close()
