from django import forms
from django.utils.translation import gettext_lazy as _

from archive.params import ids_from
from archive.text import ControlCharactersRefused
from stories.subscriptions.models import TARGETS, Kind, NotificationPreferences


class SubscribeForm(ControlCharactersRefused, forms.Form):
    """What to subscribe to: a kind of target and its id."""

    target = forms.ChoiceField(choices=[(target, target) for target in TARGETS])
    id = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class InboxActionForm(ControlCharactersRefused, forms.Form):
    """What to do with the ticked notifications, or with one of them."""

    ACTIONS = {
        "read": _("Mark read"),
        "unread": _("Mark unread"),
        "delete": _("Delete"),
    }

    action = forms.ChoiceField(choices=list(ACTIONS.items()), required=False)
    # One notification's own button: "read:12", "unread:12" or "delete:12".
    single = forms.CharField(required=False, max_length=40)

    def clean(self):
        cleaned = super().clean()
        single = cleaned.get("single", "")
        if single:
            action, _sep, pk = single.partition(":")
            if action not in self.ACTIONS or not ids_from([pk]):
                raise forms.ValidationError(_("Choose an action."), code="action")
            cleaned["action"], cleaned["ids"] = action, ids_from([pk])
            return cleaned
        # Any ids are taken: the services change only the reader's own.
        cleaned["ids"] = ids_from(self.data.getlist("notification"))
        if not cleaned.get("action"):
            raise forms.ValidationError(_("Choose an action."), code="action")
        if not cleaned["ids"]:
            raise forms.ValidationError(
                _("Tick at least one notification."), code="none_ticked"
            )
        return cleaned


class NotificationPreferencesForm(ControlCharactersRefused, forms.ModelForm):
    """How a reader wants to hear of each kind of notification."""

    class Meta:
        model = NotificationPreferences
        fields = ("comments_on", "replies_on", *(kind.field for kind in Kind))
        widgets = {kind.field: forms.RadioSelect for kind in Kind}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without a choice (an older page) keeps what was chosen.
        for kind in Kind:
            self.fields[kind.field].required = False

    def clean(self):
        cleaned = super().clean()
        for kind in Kind:
            if not cleaned.get(kind.field):
                cleaned[kind.field] = getattr(self.instance, kind.field)
        return cleaned
