"""Who may see and change award proposals.

- awards officer (Sở Nội vụ): everything: new proposals, adding and removing units,
  issuing, exports;
- provincial reviewers and administrators: read and export;
- everyone else (unit roles, district reviewers, viewers, users without a role): 404, as
  for pages that are not theirs. A reader who tries to change something gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.accounts.models import Role
from thidua.accounts.scope import role_of
from thidua.awards.models import AwardProposal

READERS = frozenset({Role.AWARDS_OFFICER, Role.PROVINCIAL_REVIEWER, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class AwardsAccess:
    role: str

    @property
    def can_edit(self) -> bool:
        return self.role == Role.AWARDS_OFFICER

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionDenied("Chỉ cán bộ thi đua - khen thưởng (Sở Nội vụ) được lập đề nghị.")


def may_read_awards(user) -> bool:
    return role_of(user) in READERS


def awards_access(user) -> AwardsAccess:
    role = role_of(user)
    if role not in READERS:
        raise Http404("Không tìm thấy trang")
    return AwardsAccess(role=role)


def get_proposal_for_user(user, proposal_uuid) -> tuple[AwardProposal, AwardsAccess]:
    access = awards_access(user)
    proposal = get_object_or_404(
        AwardProposal.objects.select_related("period__criteria_version", "created_by", "issued_by"),
        uuid=proposal_uuid,
    )
    return proposal, access
