from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.Model):
    """An administrative level scored against one level of a criteria set (tinh, huyen, xa).

    Levels are data: after the 2025 reform a province has two levels, not three.
    `import_code` is the value the units CSV uses for this level (e.g. `province_unit`).
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    import_code = models.SlugField(_("import code"), max_length=32, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    parent_level = models.ForeignKey(
        "self",
        verbose_name=_("parent level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Units of this level have a parent unit of that level (communes → district)."),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self):
        return self.name


class UnitKind(models.Model):
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.CASCADE)
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["level__order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="unitkind_unique_per_level")
        ]
        verbose_name = _("unit kind")
        verbose_name_plural = _("unit kinds")

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Unit(models.Model):
    """A unit taking part in the contest (cơ quan, đơn vị)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT)
    kind = models.ForeignKey(UnitKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["level__order", "parent__code", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        # Commune names repeat across districts (Phường 1 in 941, 948, 950): show the district.
        if self.parent_id:
            return f"{self.name} ({self.parent.name})"
        return self.name
