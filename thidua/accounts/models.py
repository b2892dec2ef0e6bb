from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.units.models import Unit


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PROVINCIAL_REVIEWER = "provincial_reviewer", _("Provincial reviewer")
    DISTRICT_REVIEWER = "district_reviewer", _("District reviewer")
    UNIT_EDITOR = "unit_editor", _("Unit editor")
    UNIT_HEAD = "unit_head", _("Unit head")
    AWARDS_OFFICER = "awards_officer", _("Awards officer")
    VIEWER = "viewer", _("Viewer")


UNIT_ROLES = {Role.UNIT_EDITOR, Role.UNIT_HEAD, Role.DISTRICT_REVIEWER}
READ_ALL_ROLES = {
    Role.ADMINISTRATOR,
    Role.PROVINCIAL_REVIEWER,
    Role.AWARDS_OFFICER,
    Role.VIEWER,
}


class Membership(models.Model):
    """What one user is in thidua: a role and, for unit and district roles, the unit it covers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=_("The own unit of unit editors and heads; the district of district reviewers."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"

    def clean(self):
        if self.role in UNIT_ROLES and self.unit_id is None:
            raise ValidationError({"unit": _("This role needs a unit.")})
        if self.role not in UNIT_ROLES and self.unit_id is not None:
            raise ValidationError({"unit": _("This role covers all units; leave the unit empty.")})
        if self.role == Role.DISTRICT_REVIEWER and self.unit and not self.unit.children.exists():
            raise ValidationError({"unit": _("A district reviewer needs a unit with communes.")})
