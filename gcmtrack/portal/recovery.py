"""Password reset by e-mail, through Django's own views (PasswordResetView & co.): a one-time
link (its token covers the password hash, the last sign-in and the account's security stamp, so
it dies once used, when the account is disabled or invited again) that expires after
settings.PASSWORD_RESET_TIMEOUT; the same answer whether the address has an account or not; the
link is built from GCMTRACK_BASE_URL, never from the request's Host header; the mail goes out in
the account's language; the new password goes through the one policy (store.set_password), which
also ends every session and clears the account's sign-in back-off."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.middleware.csrf import get_token
from django.urls import reverse, reverse_lazy

from gcmtrack.portal.context import store
from gcmtrack.portal.middleware import client_address
from gcmtrack.portal.pages import t
from gcmtrack.store import Action
from gcmtrack.store.accounts import AccountError, set_password


class _Tokens(PasswordResetTokenGenerator):
    key_salt = "gcmtrack.password-reset"

    def _make_hash_value(self, user, timestamp):
        return super()._make_hash_value(user, timestamp) + user.security_stamp


tokens = _Tokens()


class ResetRequestForm(PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        from django.conf import settings

        from gcmtrack.service.invitations import base_url
        from gcmtrack.service.notify import password_reset

        path = reverse("reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        password_reset(context["user"], base_url() + path, max(1, settings.PASSWORD_RESET_TIMEOUT // 3600))


class NewPasswordForm(forms.Form):
    new = forms.CharField(strip=False, max_length=1024)
    repeat = forms.CharField(strip=False, max_length=1024)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("new") is None or data.get("new") != data.get("repeat"):
            raise forms.ValidationError(t("password.mismatch"))
        from gcmtrack.store.accounts import check_password

        try:
            check_password(data["new"], self.user)
        except AccountError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data

    def save(self, commit=True):
        set_password(store(), self.user, self.cleaned_data["new"], actor=self.user.email)
        return self.user


class _Page:
    """A page of Django's reset views in the portal's frame: `page` names its template,
    `title` its title's key."""

    def __init_subclass__(cls, page: str = "", title: str = "", **kwargs):
        super().__init_subclass__(**kwargs)
        cls.template_name, cls.title_key = f"portal/{page}.html", title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=t(self.title_key), account=getattr(self.request, "account", None),
                       csrf_value=get_token(self.request))
        return context


class ResetRequest(_Page, auth_views.PasswordResetView, page="reset_request", title="reset.title"):
    form_class = ResetRequestForm
    token_generator = tokens
    success_url = reverse_lazy("reset_sent")

    def form_valid(self, form):
        from django.http import HttpResponseRedirect

        from gcmtrack.store.accounts import allow_reset_mail

        email = (form.cleaned_data.get("email") or "").strip().lower()[:254]
        address = client_address(self.request)
        allowed = allow_reset_mail(store(), email, address)
        store().audit("anonymous", Action.PASSWORD_RESET_REQUEST, object_type="account", object_id=email,
                      detail={"address": address, "sent": allowed})
        if not allowed:  # the same answer, no mail
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class ResetSent(_Page, auth_views.PasswordResetDoneView, page="reset_sent", title="reset.title"):
    """The same answer whether a mail was sent or not."""


class ResetConfirm(_Page, auth_views.PasswordResetConfirmView, page="reset_confirm", title="reset.new_title"):
    form_class = NewPasswordForm
    token_generator = tokens
    success_url = reverse_lazy("reset_done")


class ResetDone(_Page, auth_views.PasswordResetCompleteView, page="reset_done", title="reset.done_title"):
    """The new password is set."""
