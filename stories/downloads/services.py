"""A work's downloads, built once for each version of the work and kept as files.

Where they are kept: files under DOWNLOADS_DIR (ARCHIVE_VAR_DIR/downloads by
default), not the cache. A PDF of a long work is megabytes; the cache keeps
a copy of what it serves in every process's memory (archive/cache.py) and
Redis evicts under memory pressure, while a file is streamed from disk by
the server without being read into Python, and survives restarts. What the
cache keeps is small: for each version of the work (its WORK scope's version,
stories/caching.py), which file is its download, so a repeated download
reads no row but the one that says the reader may have it.

A file is named by the digest of the content it shows (books.py), so a
version of the work whose download shows nothing new (kudos, a comment: they
change the work's pages, not its files) finds the file it already has
instead of building another; a work's older files are removed when a newer
one is built. A build writes a temporary file and renames it into place, so
readers never see half a file; readers who ask while it is built wait for it.

The first reader of a version builds its file while they wait (a 50,000-word
PDF takes seconds); a periodic job (tasks.py) builds the EPUB and PDF of the
works updated in the last minutes ahead of them, and another removes the
files of works deleted or taken back to drafts.
"""

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.http import http_date

from stories.caching import WORK, cached, part
from stories.downloads.addresses import FORMATS
from stories.downloads.books import book_of
from stories.downloads.formats import BUILDERS
from stories.models import Work

# How long the version -> file entry is kept: a week's worth of readers.
KEPT_SECONDS = 7 * 24 * 60 * 60
# How long a reader waits for another's build of the same file before building.
BUILD_WAIT_SECONDS = 60
# The formats built ahead of readers (the others take a fraction of a second),
# for at most so many works changed in the last PREBUILD_MINUTES a run.
PREBUILT_FORMATS = ("epub", "pdf")
PREBUILD_WORKS = 100
PREBUILD_MINUTES = 6
PRUNE_BATCH = 500


@dataclass(frozen=True)
class Download:
    """A built download: where it is, and what a conditional request compares."""

    path: str
    digest: str
    size: int
    modified: float

    @property
    def etag(self):
        return f'"{self.digest}"'

    @property
    def last_modified(self):
        return http_date(self.modified)


def downloads_dir():
    """Return the folder that holds the built downloads, one folder a work."""
    default = Path(settings.VAR_DIR) / "downloads"
    return Path(getattr(settings, "DOWNLOADS_DIR", default))


def download_get(*, work_pk: int, ext: str) -> Download | None:
    """Return the download of a posted work in a format, building it if needed.

    Return None when the work has nothing to download (it is not posted). The
    caller has found that the reader may have it.
    """
    kept = cached(
        part("download", work_pk, ext, scopes=[WORK(work_pk)]),
        lambda: download_build(work_pk=work_pk, ext=ext),
        timeout=KEPT_SECONDS,
    )
    if kept is not None and not Path(kept.path).exists():
        # The file went (a cleaned disk): build it again, now.
        kept = download_build(work_pk=work_pk, ext=ext)
    return kept


def download_build(*, work_pk: int, ext: str) -> Download | None:
    """Build (or find, when its content was built before) a work's download."""
    if ext not in FORMATS:
        raise ValueError(f"Not a download format: {ext}")
    book = book_of(work_pk)
    if book is None:
        return None
    folder = downloads_dir() / str(work_pk)
    path = folder / f"{book.digest}.{ext}"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Readers asking at once wait for the first one's file.
        with _building(folder / f".{book.digest}.{ext}.lock"):
            if not path.exists():
                _write(book, ext, folder, path)
    stat = path.stat()
    return Download(str(path), book.digest, stat.st_size, stat.st_mtime)


def _write(book, ext, folder, path):
    # One file for every reader: its dates are in the archive's time zone.
    with timezone.override(None):
        content = BUILDERS[ext](book)
    with tempfile.NamedTemporaryFile(
        dir=folder, prefix=".building-", delete=False
    ) as out:
        out.write(content)
    os.replace(out.name, path)
    # A reader downloading an older file keeps it open until done.
    for older in folder.glob(f"*.{ext}"):
        if older != path:
            older.unlink(missing_ok=True)


@contextmanager
def _building(lock):
    """Hold the lock of one build, or wait (a while) for whoever holds it.

    A PDF of a long work takes seconds: a popular work just changed is built
    once, not once for every reader who asks meanwhile.
    """
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while True:
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            if time.monotonic() > deadline:
                # Left by a build that died, or one too slow to wait for.
                lock.unlink(missing_ok=True)
                yield
                return
            time.sleep(0.1)
            if not lock.exists():
                # Built (or given up): the caller looks for the file.
                yield
                return
            continue
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)
        return


def downloads_prebuild_changed(*, now=None) -> list[int]:
    """Build the EPUB and PDF of the works updated (a chapter or the work
    posted) in the last minutes; return their ids.

    The periodic job (tasks.py) runs this every five minutes, so a reader
    rarely waits for a long work's new PDF. It walks the index of posted works
    by update; an edit that leaves the date alone is built by its first reader.
    """
    since = (now or timezone.now()) - timedelta(minutes=PREBUILD_MINUTES)
    work_ids = list(
        Work.objects.posted()
        .filter(updated_at__gte=since)
        .order_by("-updated_at", "-id")
        .values_list("pk", flat=True)[:PREBUILD_WORKS]
    )
    for work_pk in work_ids:
        for ext in PREBUILT_FORMATS:
            download_get(work_pk=work_pk, ext=ext)
    return work_ids


def downloads_prune() -> int:
    """Remove the files of works deleted or taken back to drafts, and leftovers
    of builds that died; return how many folders were removed."""
    root = downloads_dir()
    if not root.is_dir():
        return 0
    folders = {path.name: path for path in root.iterdir() if path.is_dir()}
    ids = sorted(int(name) for name in folders if name.isdigit())
    posted = set()
    # In batches: a database takes only so many parameters in one query.
    for start in range(0, len(ids), PRUNE_BATCH):
        batch = ids[start : start + PRUNE_BATCH]
        found = Work.objects.posted().filter(pk__in=batch).values_list("pk", flat=True)
        posted.update(str(pk) for pk in found)
    removed = 0
    for name, folder in folders.items():
        if name not in posted:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
            continue
        for leftover in folder.glob(".building-*"):
            if time.time() - leftover.stat().st_mtime > BUILD_WAIT_SECONDS * 10:
                leftover.unlink(missing_ok=True)
    return removed
