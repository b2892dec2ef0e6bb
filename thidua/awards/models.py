import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.periods.models import Period
from thidua.results.models import GradeBand
from thidua.units.models import Level, Unit

# The symbol of a proposal (tờ trình) of the department of home affairs, Decree 30 style.
DOCUMENT_SYMBOL = "TTr-SNV"


class ProposalCounter(models.Model):
    """The last number given to a proposal in a calendar year; locked while numbering."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("proposal counter")
        verbose_name_plural = _("proposal counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


class AwardProposal(models.Model):
    """An award proposal (tờ trình đề nghị khen thưởng) of the department of home affairs.

    Numbered per calendar year when saved ("01/2024"), as administrative documents are
    (Decree 30: numbers restart on 1 January). Changes while it is a draft; issued, it is
    frozen.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="award_proposals"
    )
    year = models.PositiveSmallIntegerField(_("year of the number"))
    sequence = models.PositiveIntegerField(_("number"))
    award_form = models.CharField(_("award form"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issuing officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="award_proposal_number")
        ]
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"{self.sequence:02d}/{self.year}"

    @property
    def document_number(self) -> str:
        return f"{self.sequence:02d}/{DOCUMENT_SYMBOL}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ProposalRule(models.Model):
    """How the units of one level were chosen: the top N, a total of at least X, or a grade."""

    class Kind(models.TextChoices):
        TOP_N = "top_n", _("Top N by rank")
        MIN_TOTAL = "min_total", _("Total at least")
        GRADE = "grade", _("Grade band")

    proposal = models.ForeignKey(
        AwardProposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="rules"
    )
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT)
    kind = models.CharField(_("rule"), max_length=16, choices=Kind.choices)
    # N for top_n, X for min_total; unused for grade.
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=6, null=True, blank=True)
    grade_band = models.ForeignKey(
        GradeBand,
        verbose_name=_("grade band"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The band's name as it was: bands are period settings and may be renamed later.
    grade_name = models.CharField(_("grade"), max_length=100, blank=True)

    class Meta:
        ordering = ["proposal", "level__order"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "level"], name="proposal_rule_per_level")
        ]
        verbose_name = _("proposal rule")
        verbose_name_plural = _("proposal rules")

    def __str__(self):
        return f"{self.level} · {self.get_kind_display()}"


class ProposalItem(models.Model):
    """A unit named in a proposal, with its rank and total as they were when it was added.

    Removal is soft (who, when, why); a unit added by hand carries the reason. History via
    django-simple-history records every change with its user and reason.
    """

    class Source(models.TextChoices):
        RULE = "rule", _("Rule")
        MANUAL = "manual", _("Added by hand")

    proposal = models.ForeignKey(
        AwardProposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="items"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT)
    rank = models.PositiveIntegerField(_("rank"))
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=6)
    grade_name = models.CharField(_("grade"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    manual_reason = models.TextField(_("reason for adding"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    removed = models.BooleanField(_("taken off the list"), default=False)
    removed_reason = models.TextField(_("reason for taking off the list"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken off the list by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("taken off the list at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "level__order", "rank", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "unit"], name="proposal_item_once")
        ]
        verbose_name = _("proposed unit")
        verbose_name_plural = _("proposed units")

    def __str__(self):
        return f"{self.proposal} · {self.unit}"

    @property
    def is_manual(self) -> bool:
        return self.source == self.Source.MANUAL
