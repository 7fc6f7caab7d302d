from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from archive import languages, ratelimits, views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("preferences/", views.preferences, name="preferences"),
    path(
        "preferences/reading/",
        views.reading_preferences,
        name="reading_preferences",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    path("language/", languages.set_language, name="set_language"),
    path("accounts/verify/", views.verify_notice, name="verify_notice"),
    path("accounts/verify/resend/", views.verify_resend, name="verify_resend"),
    path(
        "accounts/verify/<uidb64>/<token>/",
        views.verify_email,
        name="verify_email",
    ),
    path(
        "login/",
        ratelimits.limited("login")(auth_views.LoginView.as_view()),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        ratelimits.limited("password_reset")(
            ratelimits.limited("password_reset_email")(
                auth_views.PasswordResetView.as_view(
                    email_template_name="registration/password_reset_email.txt"
                )
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The admin's log-in form, limited as the site's is.
    path("admin/login/", ratelimits.limited("login")(admin.site.login)),
    path("admin/", admin.site.urls),
    path("", include("stories.engagement.urls")),
    path("", include("stories.bookmarks.urls")),
    path("", include("stories.subscriptions.urls")),
    path("", include("stories.readings.urls")),
    path("", include("stories.series.urls")),
    path("", include("stories.blocking.urls")),
    path("", include("stories.downloads.urls")),
    path("", include("stories.opds.urls")),
    path("api/v1/", include("stories.api.urls")),
    path("", include("stories.moderation.urls")),
    path("", include("stories.imports.urls")),
    path("", include("stories.statistics.urls")),
    path("", include("stories.posting.urls")),
    path("", include("stories.pseuds.urls")),
    path("", include("stories.urls")),
]
