import pytest

from stories import services
from stories.subscriptions.models import Subscription


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Run a write and, as its commit would, the jobs it queues."""

    def run(write, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(**kwargs)

    return run


@pytest.fixture
def new_chapter(post):
    def run(work, *, draft=False):
        return post(
            services.chapter_create,
            work=work,
            text=services.ChapterText(body="<p>More.</p>", title="More"),
            post=not draft,
        )

    return run


def subscribe(user, **target):
    return Subscription.objects.create(user=user, **target)
