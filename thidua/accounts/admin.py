from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from thidua.accounts.models import Membership


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["unit"]


admin.site.site_header = _("thidua administration")
admin.site.site_title = _("thidua administration")
admin.site.unregister(User)


@admin.register(User)
class ThiduaUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "membership__role", "is_active"]
    list_filter = ["membership__role", "is_active", "is_superuser"]
