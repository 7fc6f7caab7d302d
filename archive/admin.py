from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from archive.models import User
from archive.text import ControlCharactersRefused
from stories.services import user_shown_changed


class UserAdminChangeForm(ControlCharactersRefused, UserChangeForm):
    pass


class UserAdminCreationForm(ControlCharactersRefused, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Profile"), {"fields": ("bio",)}),
    )
    # The email is unique and required on this User, so staff give it when adding.
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("username", "email", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "email", "first_name", "last_name")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"username", "is_active"} & set(form.changed_data):
            user_shown_changed(user=obj, old_username=form.initial.get("username"))
