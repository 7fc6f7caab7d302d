"""Import chapter files into works, as staff archiving fics on a creator's behalf."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stories import limits, services
from stories.importing import ChapterFileError, ImportedChapter, import_chapter
from stories.models import ARCHIVE_WARNINGS, Rating, TagKind, Work
from stories.pseuds.services import match_byline
from stories.tagging import parse_tag_names
from stories.text import html_to_text

DEFAULT_WARNING = "Choose Not To Use Archive Warnings"
TAG_OPTIONS = {
    TagKind.FANDOM: "fandoms",
    TagKind.CHARACTER: "characters",
    TagKind.RELATIONSHIP: "relationships",
    TagKind.FREEFORM: "freeforms",
}


class FileRefused(Exception):
    """One file that cannot be imported; str(error) says why."""


class Command(BaseCommand):
    help = (
        "Import .txt, .md, .html, .docx or .odt chapter files, in the order given. "
        "Without "
        "--work, chapters whose work title and creator match go into one work of "
        "--owner: an existing one with that title and credit, else a new one made "
        "with the tags, rating and warnings given here (at least one --fandom is "
        "then required). The creator named in a file becomes the work's original "
        "creator when it is not the owner. With --work, every chapter goes into "
        "that work and the tag options are refused. A file that fails is reported "
        "and nothing of it is stored; the others still import."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--owner", required=True, help="Username of the account the works go to."
        )
        parser.add_argument(
            "--work",
            type=int,
            metavar="ID",
            help="Add every chapter to this work; it must belong to --owner "
            "unless the owner is staff.",
        )
        for kind, dest in TAG_OPTIONS.items():
            parser.add_argument(
                f"--{kind}",
                action="append",
                default=[],
                dest=dest,
                metavar="NAME",
                help=f"A {TagKind(kind).label.lower()} tag for new works; repeatable.",
            )
        parser.add_argument(
            "--rating",
            help="Rating of new works, by value or label: "
            f"{', '.join(Rating.values)}. Default: {Rating.NOT_RATED}.",
        )
        parser.add_argument(
            "--warning",
            action="append",
            default=[],
            dest="warnings",
            metavar="WARNING",
            help="An archive warning for new works; repeatable. "
            f'Default: "{DEFAULT_WARNING}".',
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Create works and chapters as drafts instead of posting them.",
        )

    def handle(self, *args, files, owner, work, rating, warnings, draft, **options):
        self.owner = self._owner(owner)
        self.post = not draft
        tags = {
            kind: self._tag_names(options[dest]) for kind, dest in TAG_OPTIONS.items()
        }
        if work is not None:
            if any(tags.values()) or rating or warnings:
                raise CommandError(
                    "--fandom, --character, --relationship, --freeform, --rating and "
                    "--warning describe new works: leave them out with --work."
                )
            self.work = self._work(work)
        else:
            if not tags[TagKind.FANDOM]:
                raise CommandError(
                    "Give at least one --fandom for the works this creates, "
                    "or --work ID to add the chapters to an existing work."
                )
            self.work = None
        try:
            limits.check_tag_names(tags)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.tags = tags
        self.rating = self._rating(rating)
        self.warnings = self._warnings(warnings)
        # Works created or found in this run, by (title, original creator).
        self.works = {}

        failed = 0
        for name in files:
            try:
                chapter = self._import_file(Path(name))
            except FileRefused as error:
                failed += 1
                self.stderr.write(f"FAILED {name}: {error}")
                continue
            self.works.setdefault(self._work_key(chapter.work), chapter.work)
            self.stdout.write(
                f"OK {name}: {chapter.get_absolute_url()} chapter {chapter.number} "
                f'"{chapter.title}", {chapter.word_count} words'
            )
        if failed:
            raise CommandError(f"{failed} of {len(files)} files failed.")

    def _owner(self, username):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f'There is no user "{username}".') from None

    def _work(self, pk):
        work = Work.objects.filter(pk=pk).first()
        if work is None:
            raise CommandError(f"There is no work {pk}.")
        if not work.is_editable_by(self.owner):
            raise CommandError(
                f'Work {pk} belongs to "{work.owner.username}", not to '
                f'"{self.owner.username}".'
            )
        return work

    def _tag_names(self, values):
        # A value may itself list several names, comma-separated as on the site.
        return parse_tag_names(",".join(values))

    def _rating(self, value):
        if not value:
            return Rating.NOT_RATED
        for rating in Rating:
            if value.strip().lower() in (rating.value, rating.label.lower()):
                return rating
        allowed = ", ".join(f'{rating.value} ("{rating.label}")' for rating in Rating)
        raise CommandError(f'Unknown rating "{value}": use one of {allowed}.')

    def _warnings(self, values):
        if not values:
            return [DEFAULT_WARNING]
        known = {warning.lower(): warning for warning in ARCHIVE_WARNINGS}
        unknown = [value for value in values if value.strip().lower() not in known]
        if unknown:
            allowed = ", ".join(f'"{warning}"' for warning in ARCHIVE_WARNINGS)
            raise CommandError(
                f'Unknown archive warning "{unknown[0]}": use one of {allowed}.'
            )
        return list(dict.fromkeys(known[value.strip().lower()] for value in values))

    def _work_key(self, work):
        return work.title, work.creator_credit

    def _byline(self, imported: ImportedChapter):
        """Return what the file's byline names: the owner's pseuds, or else
        the original creator (as the post form reads it)."""
        return match_byline(user=self.owner, names=[imported.creator])

    def _credit(self, imported: ImportedChapter):
        return self._byline(imported).credit

    @transaction.atomic
    def _import_file(self, path: Path):
        """Store one file's chapter, or raise FileRefused with nothing stored."""
        try:
            imported = import_chapter(path.read_bytes(), path.name)
            limits.check_chapter_text(html_to_text(imported.body))
        except OSError as error:
            raise FileRefused(f"cannot read it: {error.strerror}") from None
        except ChapterFileError as error:
            raise FileRefused(str(error)) from None
        except ValidationError as error:
            raise FileRefused(" ".join(error.messages)) from None

        text = services.ChapterText(
            body=imported.body,
            title=imported.chapter_title,
            notes=imported.beginning_notes,
            end_notes=imported.end_notes,
            number=imported.chapter_number,
        )
        work = self.work or self._existing_work(imported)
        if work is None:
            return self._create_work(imported, text)
        number = imported.chapter_number
        if number and work.chapters.filter(number=number).exists():
            raise FileRefused(
                f'work {work.pk} "{work.title}" already has a chapter {number}.'
            )
        return services.chapter_create(work=work, text=text, post=self.post)

    def _existing_work(self, imported):
        title = imported.work_title.strip()
        if not title:
            raise FileRefused(
                "no work title found in the file: add it at the top, or give --work ID."
            )
        key = (title, self._credit(imported))
        if key in self.works:
            return self.works[key]
        return (
            Work.objects.filter(owner=self.owner, title=key[0], creator_credit=key[1])
            .order_by("pk")
            .first()
        )

    def _create_work(self, imported, text):
        work = services.work_create(
            owner=self.owner,
            title=imported.work_title,
            first_chapter=text,
            rating=self.rating,
            warnings=self.warnings,
            tags=self.tags,
            creator_credit=self._credit(imported),
            pseuds=list(self._byline(imported).pseuds),
            # The file cannot tell how many chapters the work will have.
            expected_chapters=None,
            post=self.post,
        )
        return work.chapters.get()
