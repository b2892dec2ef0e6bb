"""The personal API tokens page, and JSON answers for addresses under /api/ that no endpoint has."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.api import tokens
from thidua.api.errors import MESSAGES, body
from thidua.api.forms import TokenForm
from thidua.api.models import ApiToken


@login_required
def token_list(request):
    """The user's own tokens; a new token's secret is shown on this page once, never again."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = tokens.create_token(
                user=request.user,
                name=form.cleaned_data["name"],
                can_write=form.cleaned_data["can_write"],
            )
        except tokens.TokenRefused as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenForm()
    ctx = {
        "form": form,
        "created": created,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    response = render(request, "api/tokens.html", ctx)
    if created:
        response["Cache-Control"] = "no-store"  # the page holds a secret
    return response


@login_required
@require_POST
def token_revoke(request, token_uuid):
    # Another user's token is not found: tokens are personal, even to administrators here.
    token = get_object_or_404(ApiToken, uuid=token_uuid, user=request.user)
    if token.revoked_at is None:
        tokens.revoke_token(token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")


def not_found(request, unmatched=""):
    """Any other address under /api/: the API's JSON 404, not the site's HTML page."""
    return JsonResponse(body("not_found", MESSAGES[404]), status=404)
