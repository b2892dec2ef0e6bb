from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CriteriaSet(models.Model):
    """A criteria set ("bộ tiêu chí") revised every year; its versions hold the criteria."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        ordering = ["code"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self):
        return self.name


class CriteriaSetVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class NaPolicy(models.TextChoices):
        RESCALE = "rescale", _("Rescale to the applicable criteria")
        FULL_POINTS = "full_points", _("N/A criterion earns full points")

    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    version = models.CharField(_("version"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.CharField(_("decision"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    issuer = models.CharField(_("issuer"), max_length=255)
    province = models.CharField(_("province"), max_length=100)
    na_policy = models.CharField(
        _("N/A policy"), max_length=16, choices=NaPolicy.choices, default=NaPolicy.RESCALE
    )
    display_decimals = models.PositiveSmallIntegerField(_("displayed decimals"), default=2)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["criteria_set", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "version"], name="version_unique_per_set"
            )
        ]
        verbose_name = _("criteria set version")
        verbose_name_plural = _("criteria set versions")

    def __str__(self):
        return f"{self.criteria_set.name} — {self.version}"

    @property
    def is_editable(self):
        """Only drafts change; a published version may be in use by a period."""
        return self.status == self.Status.DRAFT

    def check_editable(self):
        if self.pk and not type(self).objects.filter(pk=self.pk, status=self.Status.DRAFT).exists():
            raise ValidationError(
                _(
                    "Version %(version)s is published and cannot be changed; "
                    "copy it to a new version."
                ),
                params={"version": self.version},
                code="version_locked",
            )


class LockedWithVersion(models.Model):
    """Rows of a version refuse to change once the version is published."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._version().check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._version().check_editable()
        return super().delete(*args, **kwargs)

    def _version(self):
        raise NotImplementedError


class CriteriaLevel(LockedWithVersion):
    """One level of a version (tinh / huyen / xa) and the scale its criteria total."""

    version = models.ForeignKey(
        CriteriaSetVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="levels",
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=255)
    scale = models.DecimalField(_("scale"), max_digits=7, decimal_places=2, default=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="level_unique_per_version")
        ]
        verbose_name = _("criteria level")
        verbose_name_plural = _("criteria levels")

    def __str__(self):
        return f"{self.name} ({self.version.version})"

    def _version(self):
        return self.version


class Criterion(LockedWithVersion):
    level = models.ForeignKey(
        CriteriaLevel, verbose_name=_("level"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=8)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    content = models.TextField(_("content"))
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    points_confirmed = models.BooleanField(_("points confirmed"), default=True)
    kind = models.CharField(_("rule kind"), max_length=32)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    rule_text = models.TextField(_("calculation rule as written"))
    evidence_basis = models.TextField(_("evidence basis"))
    evidence_required = models.BooleanField(_("evidence required"), default=True)
    data_source = models.CharField(_("data source"), max_length=255, blank=True)
    source_note = models.TextField(_("source note"), blank=True)

    class Meta:
        ordering = ["level", "order"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="criterion_unique_per_level")
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.code} — {self.content[:60]}"

    def _version(self):
        return self.level.version
