"""The background jobs: building ahead of readers, and removing what is gone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stories import services
from stories.downloads import services as download_services
from stories.downloads import tasks
from stories.downloads.addresses import download_url
from stories.models import Work
from tests.factories import make_work

pytestmark = pytest.mark.django_db


def files_of(downloads_dir, work):
    return sorted(path.suffix for path in (downloads_dir / str(work.pk)).glob("*.*"))


def test_works_updated_lately_have_their_epub_and_pdf_built(
    author, downloads_dir, monkeypatch
):
    built = []
    monkeypatch.setattr(
        download_services,
        "BUILDERS",
        {
            ext: lambda book, ext=ext: built.append(ext) or b"x"
            for ext in ["epub", "pdf", "html", "txt"]
        },
    )
    recent = make_work(owner=author)
    old = make_work(owner=author, title="Long Ago")
    Work.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timedelta(hours=2)
    )
    make_work(owner=author, post=False, title="A Draft")

    tasks.downloads_prebuild_periodically.call_local()

    assert files_of(downloads_dir, recent) == [".epub", ".pdf"]
    assert files_of(downloads_dir, old) == []
    # Built once: the next run finds them kept.
    tasks.downloads_prebuild_periodically.call_local()
    assert sorted(built) == ["epub", "pdf"]


def test_files_of_deleted_and_unposted_works_are_pruned(client, author, downloads_dir):
    kept, deleted, unposted = (make_work(owner=author, title=t) for t in "abc")
    for work in (kept, deleted, unposted):
        assert client.get(download_url(work, "txt")).status_code == 200
    services.work_delete(work=deleted)
    services.work_unpost(work=unposted)

    tasks.downloads_prune_periodically.call_local()

    assert files_of(downloads_dir, kept) == [".txt"]
    assert not (downloads_dir / str(deleted.pk)).exists()
    assert not (downloads_dir / str(unposted.pk)).exists()
