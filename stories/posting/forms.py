from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.text import ControlCharactersRefused
from stories.posting.services import SchedulingRefused, check_post_at

# What a datetime-local input sends and shows: to the minute.
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class ScheduleForm(ControlCharactersRefused, forms.Form):
    """When to post a work or a chapter: empty to post it when Post is pressed.

    It sits beside the posting forms under its own prefix, so their fields
    stay as they are.
    """

    prefix = "schedule"

    post_at = forms.DateTimeField(
        label=_("Post later, at"),
        required=False,
        input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT
        ),
    )

    def __init__(self, *args, scheduled_for=None, **kwargs):
        super().__init__(*args, **kwargs)
        if scheduled_for is not None and not self.is_bound:
            self.initial["post_at"] = timezone.localtime(scheduled_for)
        self.fields["post_at"].help_text = _(
            "Optional. A date and time (%(zone)s) to post it then: until then it "
            "is a draft only you can see. Leave empty to post it now."
        ) % {"zone": timezone.get_current_timezone_name()}

    def clean_post_at(self):
        post_at = self.cleaned_data["post_at"]
        if post_at is not None:
            try:
                check_post_at(post_at)
            except SchedulingRefused as refusal:
                raise forms.ValidationError(str(refusal), code="past") from refusal
        return post_at

    @property
    def scheduled_time(self):
        """Return the cleaned time to post at, or None to post now."""
        return self.cleaned_data.get("post_at")
