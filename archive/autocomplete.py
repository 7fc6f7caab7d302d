"""The admin's autocomplete fields, reading only values that can name a row.

Django's AutocompleteSelect looks up whatever values a form was given to show
them as selected; a value that is not an id of the related model (``abc``, or an
id beyond any integer column) raised there, and a staff member's mistyped
address (``/admin/stories/tag/add/?merger=abc``) answered with a server error.
The form itself still refuses such values with its usual message.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


def _can_name_a_row(field, value):
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class _ValuesChecked:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        options = remote.model._meta
        field_name = getattr(remote, "field_name", None)
        target = options.get_field(field_name) if field_name else options.pk
        value = [
            item
            for item in value
            if str(item) in self.choices.field.empty_values
            or _can_name_a_row(target, item)
        ]
        return super().optgroups(name, value, attr)


class CheckedAutocompleteSelect(_ValuesChecked, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(_ValuesChecked, AutocompleteSelectMultiple):
    pass


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses, with the field's own message, values that can name no row
    (Django looks them up all at once, and an id beyond the integer column
    overflowed SQLite there)."""

    def _check_values(self, value):
        options = self.queryset.model._meta
        key = self.to_field_name
        target = options.get_field(key) if key else options.pk
        for item in value:
            if not _can_name_a_row(target, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class AutocompleteChecked:
    """A ModelAdmin or inline mixin: its autocomplete_fields use the widgets
    above, and its many-to-many fields the field above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
