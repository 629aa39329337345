"""Forms of the coordinator's group-formation pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kretsen.directory.models import Offer

ALL = "all"


class StartForm(forms.Form):
    pool = forms.ChoiceField(label=_("Who to form groups from"))
    seconds = forms.IntegerField(
        label=_("Time to search, in seconds"),
        min_value=5,
        max_value=120,
        initial=10,
        help_text=_("A longer search can find better groups in a large waiting list."),
    )

    def __init__(self, *args: Any, offers: list[Offer], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offers = {str(offer.public_id): offer for offer in offers}
        self.fields["pool"].choices = [  # type: ignore[attr-defined]
            (ALL, _("Everyone on the waiting list who is ready for a group")),
            *[(key, offer.title(language)) for key, offer in self.offers.items()],
        ]

    def offer(self) -> Offer | None:
        return self.offers.get(self.cleaned_data["pool"])


class MoveForm(forms.Form):
    person = forms.CharField(max_length=40)
    target = forms.CharField(max_length=10)


class LockForm(forms.Form):
    group = forms.IntegerField(min_value=1, max_value=10_000)
    on = forms.BooleanField(required=False)


class ApartForm(forms.Form):
    first = forms.ChoiceField(label=_("One person"))
    second = forms.ChoiceField(label=_("and another"))

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"].choices = people  # type: ignore[attr-defined]
        self.fields["second"].choices = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("first") == data.get("second"):
            raise forms.ValidationError(_("Choose two different people."))
        return data


class AcceptForm(forms.Form):
    offer = forms.ChoiceField(label=_("The groups belong to the offer"))

    def __init__(self, *args: Any, offers: list[Offer], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offers = {str(offer.public_id): offer for offer in offers}
        self.fields["offer"].choices = [  # type: ignore[attr-defined]
            (key, offer.title(language)) for key, offer in self.offers.items()
        ]

    def chosen(self) -> Offer:
        return self.offers[self.cleaned_data["offer"]]
