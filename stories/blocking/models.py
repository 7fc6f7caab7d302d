from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class BlockQuerySet(models.QuerySet):
    def of(self, *, blocker, user):
        """Return the block, if any, that the blocker set against the user."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(blocker=blocker, blocked=user)

    def against_comment(self, *, user, work_creator_ids, parent_user_id=None):
        """Return the block that stops this user commenting on a work by these
        creators (or replying to a comment by parent_user_id), if any; a
        creator's block first."""
        if user is None or not user.is_authenticated:
            return None
        blockers = {*work_creator_ids, parent_user_id} - {None}
        blocks = self.filter(blocked=user, blocker_id__in=blockers)
        found = {block.blocker_id: block for block in blocks.select_related("blocker")}
        for blocker_id in [*work_creator_ids, parent_user_id]:
            if blocker_id in found:
                return found[blocker_id]
        return None


# As AO3: a reader may block, and mute, at most this many users each.
MOST_BLOCKED = 2000


class Block(models.Model):
    """A user who may not comment on, reply to or invite the one who blocked them."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint("blocker", "blocked", name="block_once"),
            models.CheckConstraint(
                condition=~Q(blocker=F("blocked")), name="block_not_oneself"
            ),
        ]

    def __str__(self):
        return f"{self.blocker} blocks {self.blocked}"


class Mute(models.Model):
    """A user whose works, bookmarks and comments the muter never sees."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes"
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint("muter", "muted", name="mute_once"),
            models.CheckConstraint(
                condition=~Q(muter=F("muted")), name="mute_not_oneself"
            ),
        ]

    def __str__(self):
        return f"{self.muter} mutes {self.muted}"
