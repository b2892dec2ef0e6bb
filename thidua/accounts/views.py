from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from thidua.accounts.models import Role
from thidua.accounts.scope import membership_of, role_of
from thidua.periods.models import Period


@login_required
def home(request):
    """Send unit staff to their own score sheet; show everyone else the periods."""
    period = Period.objects.filter(state=Period.State.OPEN).first() or Period.objects.first()
    membership = membership_of(request.user)
    role = role_of(request.user)
    if period and membership and role in (Role.UNIT_EDITOR, Role.UNIT_HEAD):
        return redirect(
            "assessments:detail", period_code=period.code, unit_code=membership.unit.code
        )
    if period and role == Role.DISTRICT_REVIEWER:
        return redirect("assessments:period_units", period_code=period.code)
    ctx = {"periods": Period.objects.select_related("criteria_version__criteria_set"), "role": role}
    return render(request, "home.html", ctx)
