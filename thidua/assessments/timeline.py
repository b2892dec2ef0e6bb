"""The audit trail of an assessment as one timeline: who changed what, when, from what to what.

Built from django-simple-history records of the assessment, its criterion entries, its
evidence and its review comments; each record is compared with the previous record of the
same object.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps

from thidua.assessments.models import Assessment

SKIPPED_FIELDS = {"revision", "updated_at", "updated_by", "created_at", "id", "uuid"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class TimelineEvent:
    when: datetime
    who: str
    what: str
    subject: str
    changes: list[Change]
    reason: str


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _events_for(records, subject_of) -> list[TimelineEvent]:
    events = []
    previous_by_object: dict = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        previous = previous_by_object.get(record.id)
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in SKIPPED_FIELDS:
                    continue
                changes.append(
                    Change(_verbose(record, change.field), _text(change.old), _text(change.new))
                )
        what = {"+": "tạo", "~": "sửa", "-": "xóa"}[record.history_type]
        if previous is None or changes or record.history_type != "~":
            user = record.history_user
            events.append(
                TimelineEvent(
                    when=record.history_date,
                    who=(user.get_full_name() or user.username) if user else "hệ thống",
                    what=what,
                    subject=subject_of(record),
                    changes=changes,
                    reason=record.history_change_reason or "",
                )
            )
        previous_by_object[record.id] = record
    return events


def _verbose(record, field_name: str) -> str:
    try:
        return str(record.instance_type._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


def assessment_timeline(assessment: Assessment) -> list[TimelineEvent]:
    events = _events_for(
        assessment.history.select_related("history_user"), lambda r: "Bản đánh giá"
    )
    entry_history = apps.get_model("assessments", "HistoricalCriterionEntry")
    events += _events_for(
        entry_history.objects.filter(assessment_id=assessment.pk).select_related("history_user"),
        lambda r: f"Tiêu chí {r.criterion_code}",
    )
    evidence_history = apps.get_model("evidence", "HistoricalEvidence")
    events += _events_for(
        evidence_history.objects.filter(assessment_id=assessment.pk).select_related("history_user"),
        lambda r: f"Minh chứng {r.criterion_code}: {r.original_name or r.doc_number or ''}",
    )
    comment_history = apps.get_model("reviews", "HistoricalReviewComment")
    events += _events_for(
        comment_history.objects.filter(assessment_id=assessment.pk).select_related("history_user"),
        lambda r: f"Ý kiến thẩm định {r.criterion_code or 'chung'}: {r.text[:120]}",
    )
    return sorted(events, key=lambda e: e.when, reverse=True)
