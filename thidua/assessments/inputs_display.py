"""Human-readable summaries of a criterion's inputs, per rule kind (Vietnamese by translation)."""

import datetime

from django.utils.translation import gettext as _


def _frequency_label(code):
    labels = {
        "monthly": _("monthly"),
        "quarterly": _("quarterly"),
        "semiannual": _("semi-annual"),
        "annual": _("annual"),
    }
    return labels.get(code, code)


def _date(value):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _rate(inputs):
    if inputs.get("rate") not in (None, ""):
        return f"{str(inputs['rate']).replace('.', ',')}%"
    if inputs.get("denominator") not in (None, ""):
        return f"{inputs.get('numerator')}/{inputs.get('denominator')}"
    return None


def describe_inputs(criterion, inputs) -> list[str]:
    """One line per input, e.g. ['Ban hành Kế hoạch: 05/03/2023 (hạn 31/01/2023)']."""
    if not inputs:
        return []
    if inputs.get("na"):
        return [_("Not applicable: %(reason)s") % {"reason": inputs.get("reason", "")}]
    params = criterion.params
    kind = criterion.kind
    if kind == "deadline":
        lines = []
        for deliverable in params["deliverables"]:
            value = inputs.get(deliverable["code"])
            if value is None:
                continue
            actual = _date(value.get("actual"))
            due = _date(value.get("due"))
            text = actual or _("not issued")
            if due:
                text += " " + _("(due %(due)s)") % {"due": due}
            lines.append(f"{deliverable['label']}: {text}")
        return lines
    if kind == "choice":
        labels = {option["code"]: option["label"] for option in params["options"]}
        return [labels.get(inputs.get("option"), str(inputs.get("option")))]
    if kind in ("ratio", "threshold"):
        rate = _rate(inputs)
        return [_("Rate: %(rate)s") % {"rate": rate}] if rate else []
    if kind == "late_entries":
        lines = [
            _("Late %(frequency)s entries: %(count)s")
            % {"frequency": _frequency_label(code), "count": count}
            for code, count in inputs.items()
            if count
        ]
        return lines or [_("No late entries")]
    if kind == "bands":
        spec = params["input"]
        return [f"{spec.get('label', spec['name'])}: {inputs.get(spec['name'])}"]
    if kind == "formula":
        return [
            f"{spec.get('label', spec['name'])}: {inputs.get(spec['name'])}"
            for spec in params["inputs"]
            if spec["name"] in inputs
        ]
    return [f"{key}: {value}" for key, value in inputs.items()]
