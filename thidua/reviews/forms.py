"""Forms of the review pages. The services decide; these only parse what the browser sends."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from thidua.assessments.forms import CriterionInputsForm

REASON_MAX = 2000


def too_long(label) -> dict:
    """The max_length message naming the field: the review pages show errors without labels."""
    message = _("{label} is too long: at most %(limit_value)d characters (it has %(show_value)d).")
    return {"max_length": format_lazy(message, label=label)}


def text_field(label, *, required=False, rows=2):
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX,
        error_messages=too_long(label),
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def reason_field(required=False, label=None):
    return text_field(label or _("Reason"), required=required)


class VerifiedInputsForm(CriterionInputsForm):
    """The criterion's input fields, filled by the reviewer; prefixed `v-<code>` so they never
    clash with the unit's own form on a page that shows both."""

    reason = reason_field(label=_("Reason for the change"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", f"v-{kwargs['criterion'].code}")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not getattr(self, "validated_inputs", None):
            self.add_error(None, _("Enter the verified inputs."))
        return cleaned

    def attach_engine_error(self, exc) -> None:
        self.add_error(self._field_for(exc.field), exc.message)


class ReasonForm(forms.Form):
    """Accept and clear: a reason, needed only when the decision changes the score."""

    reason = reason_field()


class NotApplicableForm(forms.Form):
    reason = reason_field(required=True, label=_("Why the criterion does not apply"))


class CommentForm(forms.Form):
    text = text_field(_("Comment for the unit"), required=True)


class ReopenForm(forms.Form):
    reason = reason_field(required=True, label=_("Why the review is reopened"))


class ReturnForm(forms.Form):
    """A comment box per criterion of the unit's level, and one for the whole assessment."""

    general = text_field(_("General comment"))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c_{criterion.code}"] = text_field(
                format_lazy(_("Comment on {code}"), code=criterion.code), rows=1
            )

    def criterion_fields(self):
        for criterion in self.criteria:
            yield criterion, self[f"c_{criterion.code}"]

    def comments(self) -> dict[str, str]:
        return {
            criterion.code: self.cleaned_data.get(f"c_{criterion.code}", "")
            for criterion in self.criteria
        }


SORTS = {
    "submitted": _("Submitted first"),
    "-submitted": _("Submitted last"),
    "-self": _("Self-assessed score, highest first"),
    "self": _("Self-assessed score, lowest first"),
    "-final": _("Result, highest first"),
    "final": _("Result, lowest first"),
}
QUEUE_STATES = {
    "submitted": _("Submitted"),
    "verified": _("Verified by district"),
    "finalized": _("Finalized"),
    "returned": _("Returned to the unit"),
}


class QueueFilterForm(forms.Form):
    """The queue's filters (GET). Invalid values are dropped rather than refused."""

    state = forms.ChoiceField(choices=[("", _("All"))], required=False)
    level = forms.ChoiceField(choices=[("", _("All levels"))], required=False)
    district = forms.ChoiceField(choices=[("", _("All districts"))], required=False)
    late = forms.BooleanField(label=_("Submitted late"), required=False)
    discrepancy = forms.BooleanField(label=_("Differs from source data"), required=False)
    unresolved = forms.BooleanField(label=_("Has unresolved comments"), required=False)
    sort = forms.ChoiceField(choices=list(SORTS.items()), required=False)

    def __init__(self, *args, levels, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices += list(QUEUE_STATES.items())
        self.fields["level"].choices += [(level.code, level.name) for level in levels]
        self.fields["district"].choices += [(unit.code, unit.name) for unit in districts]
        if not levels:
            del self.fields["level"]
        if not districts:
            del self.fields["district"]

    def filters(self) -> dict:
        self.is_valid()  # invalid fields are left out of cleaned_data
        return {key: value for key, value in self.cleaned_data.items() if value}
