from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thidua.awards.models import ProposalRule
from thidua.awards.rules import make_rule
from thidua.results.models import GradeBand
from thidua.units.models import Level, Unit

AWARD_FORMS = [
    "Bằng khen của Chủ tịch UBND tỉnh",
    "Cờ thi đua của UBND tỉnh",
    "Giấy khen của Giám đốc Sở Nội vụ",
    "Giấy khen",
]


class ProposalForm(forms.Form):
    award_form = forms.CharField(
        label=_("Award form"),
        max_length=255,
        required=False,
        help_text=_("For example: Bằng khen của Chủ tịch UBND tỉnh."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LevelRuleForm(forms.Form):
    """The rule of one level (prefix: the level's code); no rule leaves the level out."""

    kind = forms.ChoiceField(
        label=_("Rule"),
        required=False,
        choices=[("", _("Not proposed")), *ProposalRule.Kind.choices],
    )
    value = forms.CharField(
        label=_("N or minimum total"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    grade_band = forms.ModelChoiceField(
        label=_("Grade band"), required=False, queryset=GradeBand.objects.none()
    )

    def __init__(self, *args, level: Level, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.level, self.period = level, period
        self.fields["grade_band"].queryset = period.grade_bands.all()
        self.rule = None

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind:
            self.rule = make_rule(
                self.level, kind, data.get("value"), data.get("grade_band"), period=self.period
            )
        return data


class UnitReasonForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = (
            Unit.objects.active()
            .select_related("level", "parent")
            .order_by("level__order", "parent__code", "code")
        )
        self.fields["unit"].queryset = units
        self.fields["unit"].to_field_name = "code"
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.code} · {unit.display_name}"

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason."))
        return reason


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason."))
        return reason
