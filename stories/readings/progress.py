"""What a reading page shows each signed-in reader of their own reading, outside
the page's cached part: where they stopped, what is new since, and the mark
for later; and the recording of this visit."""

from dataclasses import dataclass
from datetime import datetime

from stories.reader_state import WorkReaderState
from stories.reading import PagePlace
from stories.readings.services import reading_record


@dataclass(frozen=True)
class ReaderPlace:
    """A reader's own place in the work a page shows, before this visit."""

    work_id: int
    is_marked_for_later: bool = False
    last_read_at: datetime | None = None
    # (id, heading, address) of the chapter they read last, when they may
    # still open it, and of the one to continue with.
    last_chapter: tuple | None = None
    continue_to: tuple | None = None
    new_chapters: int = 0

    @property
    def continues_after(self):
        """Return whether continuing goes past the last chapter read."""
        return self.continue_to is not None and self.continue_to != self.last_chapter


def reader_place(
    request,
    place: PagePlace | None,
    *,
    state: WorkReaderState | None,
    on_work_page=False,
):
    """Return the reader's place in the page's work, as their state on it says,
    and record this visit (one write); None for guests and for drafts.

    on_work_page: the work's own page, which shows its first chapter, keeps
    the place of a reader who has read further.
    """
    reader = request.user
    if state is None or place is None or not place.work_posted:
        return None
    reading = state.reading
    reading_record(
        reader=reader,
        work_id=place.work_id,
        chapter_id=place.chapter_id,
        chapters_posted=place.chapters_posted,
        keep_place=on_work_page,
        is_new=reading is None,
    )
    if reading is None:
        return ReaderPlace(work_id=place.work_id)
    if reading.last_read_at is None:
        return ReaderPlace(work_id=place.work_id, is_marked_for_later=True)
    last, following = place.chapter(reading.last_chapter_id)
    return ReaderPlace(
        work_id=place.work_id,
        is_marked_for_later=reading.is_marked_for_later,
        last_read_at=reading.last_read_at,
        last_chapter=last,
        continue_to=following or last,
        new_chapters=max(0, place.chapters_posted - reading.chapters_seen),
    )
