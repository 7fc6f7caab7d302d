from django import forms
from django.utils.translation import gettext_lazy as _

from archive.text import ControlCharactersRefused
from stories.forms import ChapterForm
from stories.imports.ao3 import (
    MAX_FILE_BYTES,
    WorkFileError,
    check_file_size,
    import_ao3_work,
)


class AO3UploadForm(ControlCharactersRefused, forms.Form):
    """An AO3 "Download as HTML" file, read into a work to confirm."""

    upload = forms.FileField(
        label=_("AO3 HTML download"),
        # The importer says why an empty file is refused, as for any other.
        allow_empty_file=True,
        help_text=_(
            "On the work's page on AO3, choose Download, then HTML, and upload "
            "that file (up to %(size)d MB). Nothing is posted before you have "
            "checked what we read."
        )
        % {"size": MAX_FILE_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".html,.htm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.imported = None

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            # Refused by its size before a byte of it is read.
            check_file_size(upload.size, upload.name)
            self.imported = import_ao3_work(upload.read(), upload.name)
        except WorkFileError as error:
            raise forms.ValidationError(str(error), code="unreadable") from None
        return upload


class ImportedChapterForm(ChapterForm):
    """One chapter of an imported work, as read from the file, to check."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["upload"]


class BaseImportedChapterFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        numbers = [
            form.cleaned_data.get("number")
            for form in self.forms
            if form.cleaned_data.get("number") is not None
        ]
        repeated = sorted({number for number in numbers if numbers.count(number) > 1})
        if repeated:
            raise forms.ValidationError(
                _("Two chapters have the number %(number)d: give each its own."),
                code="duplicate_number",
                params={"number": repeated[0]},
            )

    def chapter_texts(self):
        """Return the cleaned chapters, in order, as the chapter services take them."""
        return [form.chapter_text() for form in self.forms]


ImportedChapterFormSet = forms.formset_factory(
    ImportedChapterForm,
    formset=BaseImportedChapterFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=200,
    validate_max=True,
)
