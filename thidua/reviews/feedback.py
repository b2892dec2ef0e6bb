"""What the unit (and the review page) reads of the review: comments by criterion."""

from __future__ import annotations

from collections import defaultdict

from thidua.assessments.models import Assessment
from thidua.reviews.models import ReviewComment


def comments_by_criterion(assessment: Assessment) -> dict[str, list[ReviewComment]]:
    """Comments of the assessment by criterion code ("" for the whole), oldest first.

    Cached on the assessment instance: a page asks once per criterion panel.
    """
    cached = getattr(assessment, "_review_comments", None)
    if cached is not None:
        return cached
    grouped: dict[str, list[ReviewComment]] = defaultdict(list)
    if assessment.pk is not None:
        comments = ReviewComment.objects.filter(assessment=assessment).select_related(
            "author", "resolved_by"
        )
        for comment in comments.order_by("created_at", "id"):
            grouped[comment.criterion_code].append(comment)
    assessment._review_comments = dict(grouped)
    return assessment._review_comments
