from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.inspections.services import (
    FINDINGS_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    RESULT_MAX_LENGTH,
    SEED_MAX,
)
from thidua.units.models import Level


class DrawForm(forms.Form):
    size = forms.IntegerField(label=_("Number of units"), min_value=1, max_value=1000)
    level = forms.ModelChoiceField(
        label=_("Level"),
        queryset=Level.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All levels"),
    )
    submitted_only = forms.BooleanField(
        label=_("Only units that submitted their self-assessment"), required=False
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=SEED_MAX - 1,
        required=False,
        help_text=_(
            "Leave empty to draw a new random seed; give a recorded seed to repeat a draw."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResultForm(forms.Form):
    result = forms.CharField(label=_("Conclusion"), max_length=RESULT_MAX_LENGTH)
    findings = forms.CharField(
        label=_("Findings"),
        max_length=FINDINGS_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    inspected_on = forms.DateField(
        label=_("Inspected on"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
