from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.periods.models import Period
from thidua.sources.reading import MAX_FILE_BYTES
from thidua.sources.services import CLOSED_PERIOD_STATES


class SourceUploadForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Evaluation period"),
        queryset=Period.objects.exclude(state__in=CLOSED_PERIOD_STATES),
        to_field_name="code",
        empty_label=None,
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=255,
        required=False,
        help_text=_(
            "The system the data comes from, e.g. Cổng DVC tỉnh. May be left empty when the "
            "file has a source column."
        ),
    )
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // 2**20} MB)", code="too_large"
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Chỉ nhận tệp .csv hoặc .xlsx", code="file_type")
        return upload
