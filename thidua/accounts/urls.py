from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from thidua.accounts.url_access import Scope, scoped

app_name = "accounts"
urlpatterns = [
    scoped(
        Scope.PUBLIC,
        path(
            "login/",
            auth_views.LoginView.as_view(template_name="accounts/login.html"),
            name="login",
        ),
    ),
    scoped(Scope.PUBLIC, path("logout/", auth_views.LogoutView.as_view(), name="logout")),
    scoped(
        Scope.AUTHENTICATED,
        path(
            "password/",
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html",
                success_url=reverse_lazy("accounts:password_change_done"),
            ),
            name="password_change",
        ),
    ),
    scoped(
        Scope.AUTHENTICATED,
        path(
            "password/done/",
            auth_views.PasswordChangeDoneView.as_view(
                template_name="accounts/password_change_done.html"
            ),
            name="password_change_done",
        ),
    ),
]
