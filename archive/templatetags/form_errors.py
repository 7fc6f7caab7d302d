"""The error summary that starts every form shown again with errors."""

from django import template

register = template.Library()


def _field_target(field):
    """Return the id of the control a link to the field should land on."""
    if field.id_for_label:
        return field.id_for_label
    # A group of checkboxes or radio buttons: its first one.
    return f"{field.auto_id}_0" if field.auto_id else ""


def _each_form(forms):
    """Yield the forms, those of a formset (after its own errors) one by one."""
    for form in forms:
        if not form:
            continue
        if hasattr(form, "management_form"):
            if form.is_bound:
                yield _FormsetErrors(form)
            yield from form.forms
        else:
            yield form


class _FormsetErrors:
    """A formset's own errors, shaped as a form with non-field errors only."""

    is_bound = True

    def __init__(self, formset):
        self.errors = formset.non_form_errors()

    def non_field_errors(self):
        return self.errors

    def __iter__(self):
        return iter(())


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms):
    """Render "There is a problem" with a link to each field with an error."""
    errors = []
    for form in _each_form(forms):
        if not form.is_bound or not form.errors:
            continue
        errors.extend({"message": m} for m in form.non_field_errors())
        for field in form:
            for message in field.errors:
                errors.append(
                    {
                        "label": field.label,
                        "message": message,
                        "target": "" if field.is_hidden else _field_target(field),
                    }
                )
    return {"errors": errors}


@register.filter
def field_target(field):
    """Return the id a link to the field points at, as the summary's links do."""
    return _field_target(field)
