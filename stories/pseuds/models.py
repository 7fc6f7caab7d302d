from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Names chosen here are this long at most (AO3's limit); a default pseud is
# named as its person is, whose name may be longer.
PSEUD_NAME_MAX_LENGTH = 40
PSEUD_DESCRIPTION_MAX_LENGTH = 500


class Pseud(models.Model):
    """A name a person writes under. Everyone has a default one, named after
    them; a work credits one or more pseuds of each of its creators."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pseuds",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Shown on the pseud's page. Plain text or HTML."),
    )
    is_default = models.BooleanField(
        _("default"),
        default=False,
        help_text=_("Preselected when you post; it cannot be deleted."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pseud")
        verbose_name_plural = _("pseuds")
        ordering = ["user", "-is_default", Lower("name"), "id"]
        constraints = [
            models.UniqueConstraint(
                "user", Lower("name"), name="pseuds_pseud_unique_name"
            ),
            models.UniqueConstraint(
                "user",
                condition=models.Q(is_default=True),
                name="pseuds_pseud_one_default",
            ),
        ]

    def __str__(self):
        return self.byline

    def get_absolute_url(self):
        return reverse(
            "stories:pseud_detail",
            kwargs={"username": self.user.username, "pseud": self.name},
        )

    @property
    def byline(self):
        """Return how a byline names this pseud: AO3's "Pseud (user)" when the
        pseud is not named as its person is."""
        username = self.user.username
        if self.name == username:
            return self.name
        return f"{self.name} ({username})"
