from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.explanations.services import ANSWER_MAX_LENGTH, MAX_FILES, TEXT_MAX_LENGTH
from thidua.periods.transitions import REASON_MAX_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is judged by the service (type by content, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [super(MultipleFileField, self).clean(item, initial) for item in data]
        else:
            files = [super().clean(data, initial)] if data else []
        files = [f for f in files if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("At most %(count)s files per explanation."), params={"count": MAX_FILES}
            )
        return files


class ExplanationForm(forms.Form):
    text = forms.CharField(
        label=_("Explanation text"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Empty files reach the service, which refuses them with a message naming the file.
    files = MultipleFileField(label=_("Supporting files"), required=False, allow_empty_file=True)


class AnswerForm(forms.Form):
    DECISIONS = [("accept", _("Accept, with new verified inputs")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    answer = forms.CharField(
        label=_("Answer to the unit (reason)"),
        max_length=ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("Give the reason for rejecting the explanation."))
        return cleaned


class TransitionForm(forms.Form):
    explanation_until = forms.DateField(
        label=_("Explanations accepted until"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    force = forms.BooleanField(label=_("Go ahead despite the conditions above"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
