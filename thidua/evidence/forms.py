from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.evidence.services import (
    CITATION_LIMITS,
    REMOVAL_REASON_MAX_LENGTH,
    validate_citation,
)


class EvidenceForm(forms.Form):
    """A file, a citation of a document, or both. The file itself is judged by the service."""

    # Empty files reach the service, which refuses them with a message naming the file.
    file = forms.FileField(label=_("File"), required=False, allow_empty_file=True)
    doc_number = forms.CharField(
        label=_("Document number"), max_length=CITATION_LIMITS["doc_number"], required=False
    )
    doc_date = forms.DateField(
        label=_("Document date"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    doc_issuer = forms.CharField(
        label=_("Issued by"), max_length=CITATION_LIMITS["doc_issuer"], required=False
    )
    doc_summary = forms.CharField(
        label=_("Summary"),
        max_length=CITATION_LIMITS["doc_summary"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            validate_citation(self.citation(), required=not cleaned.get("file"))
        return cleaned

    def citation(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in CITATION_LIMITS | {"doc_date": None}}


class RemoveEvidenceForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REMOVAL_REASON_MAX_LENGTH)


def first_error(form: forms.Form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return ""
