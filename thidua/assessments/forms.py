"""The self-assessment form of one criterion, generated from its rule kind's input fields.

The scoring engine is the validation authority: Django fields only parse what the browser
sends, then `validate_self_inputs` checks the inputs exactly as scoring will read them and
its InputError is attached to the field it names.
"""

from __future__ import annotations

import datetime

from django import forms
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from thidua import scoring
from thidua.assessments.models import Assessment
from thidua.assessments.services import validate_self_inputs

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _html_name(field_name: str) -> str:
    return field_name.replace(".", "__")


# Templates that are exactly django/forms/widgets/input.html (via an include): rendering them
# through the template engine cost ~0.3 ms each, a third of the assessment page (issue 6).
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "date", "hidden", "checkbox", "radio_option")
)


def _input_html(widget: dict) -> SafeString:
    """django/forms/widgets/input.html + attrs.html, byte for byte, without the engine."""
    parts = [
        '<input type="',
        conditional_escape(widget["type"]),
        '" name="',
        conditional_escape(widget["name"]),
        '"',
    ]
    if widget["value"] is not None:
        parts += [' value="', conditional_escape(str(widget["value"])), '"']
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts += [" ", conditional_escape(name)]
        if value is not True:
            parts += ['="', conditional_escape(str(value)), '"']
    parts.append(">")
    # Every variable part is escaped above.
    return mark_safe("".join(parts))


class _FastBoundWidget(BoundWidget):
    def tag(self, wrap_label=False):
        if wrap_label or self.template_name not in _INPUT_TEMPLATES:
            return super().tag(wrap_label)
        return _input_html(self.data)


class FastBoundField(BoundField):
    """A BoundField whose plain inputs (and radio options) render the same HTML in Python."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if only_initial or widget.template_name not in _INPUT_TEMPLATES:
            return super().as_widget(widget, attrs, only_initial)
        # As BoundField.as_widget, then the widget's context straight to HTML.
        if self.field.localize:
            widget.is_localized = True
        attrs = self.build_widget_attrs(attrs or {}, widget)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", self.auto_id)
        context = widget.get_context(self.html_name, self.value(), attrs)
        return _input_html(context["widget"])

    @property
    def subwidgets(self):
        return [
            _FastBoundWidget(bound.parent_widget, bound.data, bound.renderer)
            for bound in super().subwidgets
        ]


class CriterionInputsForm(forms.Form):
    """Fields named after the engine's input fields (dots become double underscores)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    bound_field_class = FastBoundField

    def __init__(
        self,
        *args,
        assessment: Assessment,
        criterion: scoring.Criterion,
        due: dict[str, datetime.date],
        **kwargs,
    ):
        kwargs.setdefault("prefix", criterion.code)
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.criterion = criterion
        self.due = due
        self.input_fields = [
            f for f in criterion.rule.input_fields() if not f.name.endswith(".due")
        ]
        for spec in self.input_fields:
            self.fields[_html_name(spec.name)] = self._django_field(spec)
            if criterion.kind == "deadline":
                deliverable = spec.group
                self.fields[f"{deliverable}__not_issued"] = forms.BooleanField(
                    required=False, label=_("Not issued")
                )

    def _django_field(self, spec: scoring.InputField) -> forms.Field:
        common = {"label": spec.label, "required": False, "help_text": spec.help}
        if spec.type == "date":
            return forms.DateField(
                input_formats=DATE_FORMATS,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                **common,
            )
        if spec.type == "choice":
            choices = [
                (option.code, f"{option.label} ({scoring.format_vi(option.points, 2, trim=True)})")
                for option in spec.choices
            ]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if spec.type == "integer":
            return forms.IntegerField(
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}), **common
            )
        # percent and number: text, so that the Vietnamese decimal comma ("90,5") works.
        return forms.CharField(
            max_length=32,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            **common,
        )

    @classmethod
    def initial_from_inputs(cls, criterion: scoring.Criterion, inputs: dict | None) -> dict:
        initial: dict = {}
        if not inputs:
            return initial
        for spec in criterion.rule.input_fields():
            if spec.name.endswith(".due"):
                continue
            if "." in spec.name:
                group, key = spec.name.split(".", 1)
                if group not in inputs:
                    continue
                value = (inputs.get(group) or {}).get(key)
                if criterion.kind == "deadline" and value is None:
                    initial[f"{group}__not_issued"] = True
            else:
                value = inputs.get(spec.name)
            if value is not None:
                initial[_html_name(spec.name)] = value
        return initial

    def bound_fields(self):
        """(input spec, bound field, bound 'not issued' box or None) in the engine's order."""
        for spec in self.input_fields:
            not_issued = (
                self[f"{spec.group}__not_issued"] if self.criterion.kind == "deadline" else None
            )
            due = self.due.get(spec.group) if spec.group else None
            yield spec, self[_html_name(spec.name)], not_issued, due

    def inputs(self) -> dict:
        """The inputs object the engine reads, from the cleaned data (empty values omitted)."""
        data = self.cleaned_data
        inputs: dict = {}
        for spec in self.input_fields:
            value = data.get(_html_name(spec.name))
            if self.criterion.kind == "deadline":
                group = spec.group
                if data.get(f"{group}__not_issued"):
                    inputs[group] = {"actual": None}
                elif value:
                    inputs[group] = {"actual": value.isoformat()}
                continue
            if value in (None, ""):
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            if "." in spec.name:
                group, key = spec.name.split(".", 1)
                inputs.setdefault(group, {})[key] = value
            else:
                inputs[spec.name] = value
        return inputs

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        inputs = self.inputs()
        self.validated_inputs = None
        if not inputs:
            return cleaned
        try:
            self.validated_inputs = validate_self_inputs(self.assessment, self.criterion, inputs)
        except scoring.InputError as exc:
            field = self._field_for(exc.field)
            self.add_error(field, exc.message)
        return cleaned

    def _field_for(self, engine_field: str | None) -> str | None:
        if not engine_field:
            return None
        name = _html_name(engine_field)
        if name in self.fields:
            return name
        # A deadline error on "plan_issued" (the whole deliverable) goes to its date.
        actual = f"{name}__actual"
        return actual if actual in self.fields else None
