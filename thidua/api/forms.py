from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the system that will use it."),
    )
    can_write = forms.BooleanField(
        label=_("Allow writing"),
        required=False,
        help_text=_(
            "Writing a unit's inputs or importing source data, as far as your role allows. "
            "Leave unticked for a token that only reads."
        ),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
