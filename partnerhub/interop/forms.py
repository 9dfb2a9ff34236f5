from django import forms
from django.utils.translation import gettext_lazy as _

from .readers import FORMATS


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV, Excel (XLSX), JSON Lines or IATI XML, with the columns described in the import format."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("From the file name"))] + [(f, f.upper()) for f in FORMATS],
    )
    publish = forms.BooleanField(
        label=_("Publish the new partnerships"), required=False,
        help_text=_("Otherwise they are created as drafts. Partnerships already in the registry are updated either way."),
    )  # fmt: skip
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and count the changes, write nothing"), required=False
    )
