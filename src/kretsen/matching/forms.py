"""Forms of the coordinator's group-formation pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kretsen.core import formatting
from kretsen.core.models import Organisation
from kretsen.core.vocabulary import Format
from kretsen.directory.models import Offer
from kretsen.matching.models import SharedPool

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

    shared = forms.ChoiceField(
        label=_("Also people from a shared pool"),
        required=False,
        help_text=_(
            "For a digital offer: relatives of the organisations in the pool who agreed to it. "
            "You see them without names until their organisation releases them."
        ),
    )

    def __init__(
        self,
        *args: Any,
        offers: list[Offer],
        language: str,
        pools: list[SharedPool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offers = {str(offer.public_id): offer for offer in offers}
        self.fields["pool"].choices = [  # type: ignore[attr-defined]
            (ALL, _("Everyone on the waiting list who is ready for a group")),
            *[(key, offer.title(language)) for key, offer in self.offers.items()],
        ]
        self.pools = {str(pool.public_id): pool for pool in pools or []}
        if self.pools:
            self.fields["shared"].choices = [  # type: ignore[attr-defined]
                ("", _("No, only our own waiting list")),
                *[(key, pool.name) for key, pool in self.pools.items()],
            ]
        else:
            del self.fields["shared"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("shared"):
            offer = self.offers.get(data.get("pool", ""))
            if offer is None or offer.format != Format.DIGITAL:
                message = _("A shared pool can only be used to form groups for a digital offer.")
                self.add_error("shared", message)
        return data

    def offer(self) -> Offer | None:
        return self.offers.get(self.cleaned_data["pool"])

    def shared_pool(self) -> SharedPool | None:
        return self.pools.get(self.cleaned_data.get("shared") or "")


class MoveForm(forms.Form):
    person = forms.CharField(max_length=40)
    target = forms.CharField(max_length=10)


class IncludeForm(forms.Form):
    person = forms.CharField(max_length=40)
    on = forms.BooleanField(required=False)


class LockForm(forms.Form):
    group = forms.IntegerField(min_value=1, max_value=10_000)
    on = forms.BooleanField(required=False)


class ApartForm(forms.Form):
    APART = "apart"
    TOGETHER = "together"

    first = forms.ChoiceField(label=_("One person"))
    second = forms.ChoiceField(label=_("and another"))
    kind = forms.ChoiceField(
        label=_("In the next run"),
        choices=[(APART, _("keep them apart")), (TOGETHER, _("keep them together"))],
        initial=APART,
        required=False,  # no choice means apart, as before pairs could be kept together
        widget=forms.RadioSelect,
        help_text=_("Together means in the same group, or both on the list."),
    )

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


class PoolForm(forms.Form):
    name = forms.CharField(label=_("Name of the shared pool"), max_length=120)
    invited = forms.MultipleChoiceField(
        label=_("Invite organisations"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each organisation's admin agrees or declines. Nothing is shared before that."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in organisations}
        self.fields["invited"].choices = [  # type: ignore[attr-defined]
            (key, o.name) for key, o in self.organisations.items()
        ]

    def clean_name(self) -> str:
        return formatting.plain(self.cleaned_data.get("name", ""))

    def chosen(self) -> list[Organisation]:
        return [self.organisations[key] for key in self.cleaned_data["invited"]]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("agree", "agree"), ("decline", "decline"), ("withdraw", "withdraw")]
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("release", "release"), ("keep", "keep")])
