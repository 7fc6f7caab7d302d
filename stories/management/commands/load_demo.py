"""Load the demo archive once: accounts, works in several fandoms, comments."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import count

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from archive.models import User
from stories import services
from stories.bookmarks import services as bookmarks
from stories.demo.content import (
    ACCOUNTS,
    BOOKMARKS,
    DEMO_AUTHOR,
    FOLDERS,
    KUDOS,
    MARKED_FOR_LATER,
    READINGS,
    SCENE_BREAK,
    SERIES,
    SUBSCRIPTIONS,
    WORKS,
    DemoChapter,
    DemoComment,
    DemoWork,
)
from stories.engagement import services as engagement
from stories.models import Chapter, Comment, Tag, TagKind, Work
from stories.readings import services as readings
from stories.series import services as series_services
from stories.subscriptions import services as subscriptions


def typed_html(text: str) -> str:
    """Return typed text as HTML: paragraphs, and "* * *" lines as scene breaks."""
    blocks = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "".join(
        "<hr>" if block == SCENE_BREAK else f"<p>{block}</p>"
        for block in blocks
        if block
    )


def chapter_text(chapter: DemoChapter) -> services.ChapterText:
    """Return what the services store for a demo chapter."""
    return services.ChapterText(
        body=typed_html(chapter.body),
        title=chapter.title,
        notes=typed_html(chapter.notes),
        end_notes=typed_html(chapter.end_notes),
    )


class Command(BaseCommand):
    help = "Load the demo archive (accounts, works, comments) unless it is there."

    def handle(self, *args, **options):
        if User.objects.filter(username=DEMO_AUTHOR.username).exists():
            self.stdout.write("The demo archive is already loaded; nothing changed.")
            self.write_log_ins()
            return
        usernames = [account.username for account in ACCOUNTS]
        if (
            Work.objects.exists()
            or User.objects.filter(username__in=usernames).exists()
        ):
            self.stdout.write(
                "The archive already has works or demo account names; "
                "the demo was not loaded."
            )
            return
        now = timezone.now()
        with transaction.atomic():
            users = self.create_accounts()
            works = {}
            for demo in WORKS:
                works[demo.title] = self.create_work(demo, users=users, now=now)
                self.write_work(works[demo.title])
            self.create_reader_loop(users=users, works=works)
        self.write_log_ins()

    def create_accounts(self) -> dict[str, User]:
        """Create the demo accounts and return them by username."""
        users = {}
        for account in ACCOUNTS:
            create = (
                User.objects.create_superuser
                if account.is_staff
                else User.objects.create_user
            )
            users[account.username] = create(
                username=account.username,
                email=account.email,
                password=account.password,
                bio=account.bio,
                email_verified=True,
            )
        return users

    def create_work(
        self, demo: DemoWork, *, users: dict[str, User], now: datetime
    ) -> Work:
        """Create one work with its chapters and comments, dated in the past."""
        first, *later = demo.chapters
        work = services.work_create(
            owner=users[demo.owner],
            title=demo.title,
            first_chapter=chapter_text(first),
            rating=demo.rating,
            warnings=demo.warnings,
            categories=demo.categories,
            tags={
                TagKind.FANDOM: demo.fandoms,
                TagKind.CHARACTER: demo.characters,
                TagKind.RELATIONSHIP: demo.relationships,
                TagKind.FREEFORM: demo.freeforms,
            },
            summary=typed_html(demo.summary),
            notes=typed_html(demo.notes),
            end_notes=typed_html(demo.end_notes),
            expected_chapters=demo.expected_chapters,
            creator_credit=demo.creator_credit,
            allow_guest_comments=demo.allow_guest_comments,
            post=demo.post,
        )
        chapters = [
            work.chapters.get(),
            *(
                services.chapter_create(work=work, text=chapter_text(chapter))
                for chapter in later
            ),
        ]
        # The services stamp everything now; readers sorting by "Updated"
        # need a history, so each row is moved back to when it was written.
        dates = [now - timedelta(days=chapter.days_ago) for chapter in demo.chapters]
        for chapter, written_at in zip(chapters, dates, strict=True):
            Chapter.objects.filter(pk=chapter.pk).update(
                created_at=written_at,
                updated_at=written_at,
                published_at=written_at if work.is_posted else None,
            )
        Work.objects.filter(pk=work.pk).update(
            created_at=dates[0],
            modified_at=dates[-1],
            published_at=dates[0] if work.is_posted else None,
            updated_at=dates[-1],
        )
        hours = count(1)
        for comment in demo.comments:
            chapter = chapters[comment.chapter - 1]
            written_at = dates[comment.chapter - 1]
            self.post_comment(
                comment, chapter=chapter, users=users, after=written_at, hours=hours
            )
        work.refresh_from_db()
        return work

    def post_comment(
        self,
        demo: DemoComment,
        *,
        chapter: Chapter,
        users: dict[str, User],
        after: datetime,
        hours: Iterator[int],
        parent: Comment | None = None,
    ) -> None:
        """Post a comment and its replies, each an hour after the one before."""
        comment = services.comment_post(
            chapter=chapter,
            body=typed_html(demo.body),
            user=users[demo.username] if demo.username else None,
            guest_name=demo.guest_name,
            guest_email=demo.guest_email,
            parent=parent,
        )
        posted_at = after + timedelta(hours=next(hours))
        Comment.objects.filter(pk=comment.pk).update(
            created_at=posted_at, updated_at=posted_at
        )
        for reply in demo.replies:
            self.post_comment(
                reply,
                chapter=chapter,
                users=users,
                after=after,
                hours=hours,
                parent=comment,
            )

    def create_reader_loop(
        self, *, users: dict[str, User], works: dict[str, Work]
    ) -> None:
        """Leave the demo readers' kudos, series, bookmarks in folders,
        subscriptions and history. Their inboxes fill once this commits: the
        jobs that tell followers of the works and comments just posted run
        then (Huey's consumer under make run), and find these subscriptions."""
        for title, (usernames, guests) in KUDOS.items():
            for username in usernames:
                engagement.kudos_leave(work=works[title], user=users[username])
            for guest in range(guests):
                engagement.kudos_leave(work=works[title], guest_key=f"demo-{guest}")
        series = {
            demo.title: series_services.series_create(
                owner=users[demo.owner],
                title=demo.title,
                summary=typed_html(demo.summary),
                is_complete=demo.is_complete,
                works=[works[title] for title in demo.works],
            )
            for demo in SERIES
        }
        folders = {
            (demo.owner, demo.name): bookmarks.folder_create(
                owner=users[demo.owner], name=demo.name, is_private=demo.is_private
            )
            for demo in FOLDERS
        }
        for demo in BOOKMARKS:
            bookmarks.bookmark_create(
                owner=users[demo.owner],
                work=works[demo.work],
                notes=demo.notes,
                tag_names=demo.tags,
                is_private=demo.is_private,
                is_rec=demo.is_rec,
                folder=folders.get((demo.owner, demo.folder)),
            )
        targets = {
            "work": works,
            "creator": users,
            "series": series,
            "tag": {tag.name: tag for tag in Tag.objects.all()},
        }
        for demo in SUBSCRIPTIONS:
            subscriptions.subscription_create(
                user=users[demo.user],
                target=demo.target,
                obj=targets[demo.target][demo.name],
            )
        for username, read in READINGS.items():
            for title, chapters_read in read:
                chapter = works[title].chapters.order_by("position")[chapters_read - 1]
                readings.reading_record(
                    reader=users[username],
                    work_id=works[title].pk,
                    chapter_id=chapter.pk,
                    chapters_posted=chapters_read,
                    is_new=True,
                )
        for username, titles in MARKED_FOR_LATER.items():
            for title in titles:
                readings.work_mark_for_later(reader=users[username], work=works[title])

    def write_work(self, work: Work) -> None:
        """Write one line on a work just created."""
        state = "Posted" if work.is_posted else "Saved the draft"
        archived = (
            f" (archived by {work.owner})" if work.is_archived_for_someone else ""
        )
        self.stdout.write(
            f'{state} "{work.title}" by {work.credit}{archived}: '
            f"chapters {work.chapters_display}, comments {work.comment_count}"
        )

    def write_log_ins(self) -> None:
        """Write the demo log-ins, one account a line."""
        for account in ACCOUNTS:
            self.stdout.write(
                f'{account.label}: username "{account.username}", '
                f'password "{account.password}"'
            )
