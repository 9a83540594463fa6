"""Forms of the sign-in pages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's sign-in form with Thai-first wording."""

    error_messages = {
        "invalid_login": _("The user name or the password is wrong. Both are case-sensitive."),
        "inactive": _("This account is switched off. Ask your administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = _("Password")


class OneTimeCodeForm(forms.Form):
    """Six digits from the authenticator app."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}),
        error_messages={"required": _("Enter the six-digit code."), "min_length": _("The code has six digits.")},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code has digits only."))
        return token


class ApiTokenForm(forms.Form):
    """Name a new personal API token."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("Which program will use it, for example: monthly Excel export."),
        error_messages={"required": _("Give the token a name.")},
    )


class EnrolmentCodeForm(forms.Form):
    """The one-time enrolment code an administrator gave, before an authenticator can be enrolled."""

    code = forms.CharField(
        label=_("Enrolment code from your administrator"),
        max_length=20,
        error_messages={"required": _("Enter the enrolment code your administrator gave you.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
