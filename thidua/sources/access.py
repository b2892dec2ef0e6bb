"""Who may import source data: provincial reviewers (Sở TT&TT) and administrators.

Every other role gets 403 on every page of this app (the pages reveal no unit's data
beyond what those roles already read, but importing is theirs alone).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from thidua.accounts.models import Role
from thidua.accounts.scope import role_of
from thidua.sources.models import SourceImport

IMPORT_ROLES = {Role.PROVINCIAL_REVIEWER, Role.ADMINISTRATOR}


def can_import_source_data(user) -> bool:
    return role_of(user) in IMPORT_ROLES


def require_importer(user) -> None:
    if not can_import_source_data(user):
        raise PermissionDenied("Chỉ Sở TT&TT và quản trị viên được nhập số liệu từ hệ thống nguồn")


def get_import_for_user(user, import_uuid) -> SourceImport:
    """The import, or 403 for a role that may not import, 404 when there is no such import."""
    require_importer(user)
    return get_object_or_404(
        SourceImport.objects.select_related(
            "period__criteria_version", "uploaded_by", "decided_by", "replaces"
        ).defer("replaces__rows"),
        uuid=import_uuid,
    )
