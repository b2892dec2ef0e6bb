from thidua.accounts.scope import membership_of, role_of


def membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_membership": membership_of(user), "current_role": role_of(user)}
