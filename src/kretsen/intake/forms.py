from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kretsen.core import formatting, phone
from kretsen.core.forms import Form, ModelForm, set_choices
from kretsen.core.vocabulary import (
    SLOTS,
    AgeBand,
    Condition,
    DayPart,
    Format,
    Gender,
    Language,
    Relation,
    Weekday,
    from_mask,
    slot_mask,
    slot_values,
    to_mask,
)
from kretsen.directory.models import Offer
from kretsen.intake import consent
from kretsen.intake.models import (
    ContactAttempt,
    ContactTime,
    GroupPreference,
    Intake,
    Readiness,
    Registration,
    Status,
)

HELP_ME_CHOOSE = ""


def _blank(choices: list[tuple[str, Any]], label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class ContactFieldsMixin(Form):
    """Name and contact details with the relative's own terms; shared by the interest form
    and the relative's own correction form."""

    display_name = forms.CharField(
        label=_("What may we call you?"),
        max_length=80,
        help_text=_("A first name or a made-up name is fine."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254, required=False)
    contact_by_phone = forms.BooleanField(label=_("A phone call"), required=False)
    contact_by_sms = forms.BooleanField(label=_("A text message"), required=False)
    contact_by_email = forms.BooleanField(label=_("An e-mail"), required=False)
    contact_times = forms.MultipleChoiceField(
        label=_("When is it a good time to contact you?"),
        choices=ContactTime.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contact_note = forms.CharField(
        label=_("Anything else about contacting you?"),
        max_length=200,
        required=False,
        help_text=_("For example: after 6 pm, or only on the mobile number."),
    )
    no_messages = forms.BooleanField(
        label=_("Never leave a message on voicemail or with someone else"), required=False
    )
    no_topic = forms.BooleanField(
        label=_("Do not mention what it is about in text messages or e-mail"), required=False
    )

    country = "SE"

    def clean_display_name(self) -> str:
        name = formatting.plain(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(_("Write a name we may use; a made-up one is fine."))
        return name

    def clean_contact_note(self) -> str:
        return formatting.plain(self.cleaned_data.get("contact_note", ""))

    def clean_phone(self) -> str:
        return phone.normalise(self.cleaned_data.get("phone", ""), self.country)

    def clean_email(self) -> str:
        return str(self.cleaned_data.get("email", "")).strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email") and not self.has_error("phone"):
            self.add_error("phone", _("Give a phone number or an e-mail address, or both."))
        channels = [data.get(k) for k in ("contact_by_phone", "contact_by_sms", "contact_by_email")]
        if not any(channels):
            self.add_error("contact_by_phone", _("Choose at least one way we may contact you."))
        wants_phone = data.get("contact_by_phone") or data.get("contact_by_sms")
        if wants_phone and not data.get("phone") and not self.has_error("phone"):
            self.add_error("phone", _("Give the phone number we may call or text."))
        if data.get("contact_by_email") and not data.get("email") and not self.has_error("email"):
            self.add_error("email", _("Give the e-mail address we may write to."))
        return data


class InterestForm(ContactFieldsMixin):
    offer = forms.ChoiceField(label=_("What are you interested in?"), required=False)
    relation = forms.ChoiceField(
        label=_("The person I support is my"),
        choices=[
            (Relation.PARTNER, _("partner")),
            (Relation.PARENT, _("parent")),
            (Relation.ADULT_CHILD, _("adult child")),
            (Relation.YOUNG, _("child or young person")),
            (Relation.SIBLING, _("sibling")),
            (Relation.OTHER, _("friend or other")),
        ],
        widget=forms.RadioSelect,
        help_text=_("Note: “adult child” means the person you support is your child."),
    )
    condition = forms.ChoiceField(
        label=_("They have"), choices=Condition.choices, widget=forms.RadioSelect
    )
    age_band = forms.ChoiceField(
        label=_("Your age (optional)"), choices=_blank(AgeBand.choices, "–"), required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"), choices=_blank(Gender.choices, "–"), required=False
    )
    language = forms.ChoiceField(label=_("Language you prefer"), choices=Language.choices)
    format_preference = forms.ChoiceField(
        label=_("I would like to meet"),
        choices=[
            (Format.IN_PERSON, _("in person")),
            (Format.DIGITAL, _("digitally, by video")),
            (Format.BOTH, _("either is fine")),
        ],
        initial=Format.BOTH,
        widget=forms.RadioSelect,
    )
    wish = forms.CharField(
        label=_("What would you like help with? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only staff who work with support for relatives can read this."),
    )
    consent = forms.BooleanField(label=consent.TEXT)
    # A field people never see; a program that fills in every field fills this one too.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, offers: list[Offer], country: str, language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.country = country
        self.offers = {str(offer.public_id): offer for offer in offers}
        set_choices(
            self.fields["offer"],
            [
                (HELP_ME_CHOOSE, _("Help me choose")),
                *[(key, offer.title(language)) for key, offer in self.offers.items()],
            ],
        )
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
            self.initial.setdefault("language", language)

    def clean_wish(self) -> str:
        return formatting.plain(self.cleaned_data.get("wish", ""))

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def chosen_offer(self) -> Offer | None:
        return self.offers.get(self.cleaned_data.get("offer") or "")

    def registration_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["languages"] = to_mask([data.pop("language")], Language)
        return data


class ContactCorrectionForm(ContactFieldsMixin):
    """What a relative may correct themselves."""

    FIELDS = (
        "display_name",
        "phone",
        "email",
        "contact_by_phone",
        "contact_by_sms",
        "contact_by_email",
        "contact_times",
        "contact_note",
        "no_messages",
        "no_topic",
    )


class AssignForm(Form):
    coordinator = forms.ChoiceField(label=_("Coordinator"), required=False)

    def __init__(self, *args: Any, coordinators: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(user.public_id): user for user in coordinators}
        set_choices(
            self.fields["coordinator"],
            _blank([(key, str(user)) for key, user in self.people.items()], _("Nobody yet")),
        )

    def chosen(self) -> Any:
        return self.people.get(self.cleaned_data.get("coordinator") or "")


class ContactAttemptForm(ModelForm):
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = ContactAttempt
        fields = ["channel", "outcome", "note"]

    def clean_note(self) -> str:
        return formatting.plain(self.cleaned_data.get("note", ""))


class StatusForm(Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)


def availability_choices() -> list[tuple[str, str]]:
    return [(f"{day}-{part}", f"{Weekday(day).label} {DayPart(part).label}") for day, part in SLOTS]


class IntakeForm(Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    condition = forms.ChoiceField(label=_("The person cared for has"), choices=Condition.choices)
    age_band = forms.ChoiceField(
        label=_("Age"), choices=_blank(AgeBand.choices, "–"), required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"), choices=_blank(Gender.choices, "–"), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages they can take part in"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    format_preference = forms.ChoiceField(
        label=_("Meeting format"), choices=Format.choices, widget=forms.RadioSelect
    )
    situation = forms.CharField(
        label=_("The situation, in short"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Stored encrypted; the relative can read it. Write about the relative, not details "
            "of the person cared for."
        ),
    )
    availability = forms.MultipleChoiceField(
        label=_("Available"),
        choices=availability_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    area = forms.CharField(
        label=_("Home area"),
        max_length=80,
        required=False,
        help_text=_("Part of town or village, for groups that meet in person."),
    )
    group_preference = forms.ChoiceField(
        label=_("Would rather meet"), choices=GroupPreference.choices, widget=forms.RadioSelect
    )
    never_with = forms.MultipleChoiceField(
        label=_("Must not be in a group with"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("People they know, family members. Only registrations of your organisation."),
    )
    shared_pool = forms.BooleanField(
        label=capfirst(Intake._meta.get_field("shared_pool").verbose_name),
        required=False,
        help_text=Intake._meta.get_field("shared_pool").help_text,
    )
    readiness = forms.ChoiceField(
        label=_("Readiness"), choices=Readiness.choices, widget=forms.RadioSelect
    )
    readiness_reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored encrypted; the relative can read it."),
    )
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    held_on = forms.DateField(
        label=_("Conversation held on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    next_status = forms.ChoiceField(label=_("Then the status becomes"), required=False)

    def __init__(
        self,
        *args: Any,
        others: list[Registration],
        status_choices: list[tuple[str, Any]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.others = {str(other.public_id): other for other in others}
        set_choices(
            self.fields["never_with"],
            [
                (key, f"{other.display_name} ({other.created_at:%Y-%m-%d})")
                for key, other in self.others.items()
            ],
        )
        set_choices(self.fields["next_status"], _blank(status_choices, _("Keep as it is")))
        self.initial.setdefault("held_on", timezone.localdate())

    @staticmethod
    def initial_from(registration: Registration) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "relation": registration.relation,
            "condition": registration.condition,
            "age_band": registration.age_band,
            "gender": registration.gender,
            "languages": from_mask(registration.languages, Language),
            "format_preference": registration.format_preference,
        }
        intake = getattr(registration, "intake", None)
        if intake is not None:
            initial.update(
                situation=intake.situation,
                availability=slot_values(intake.availability),
                group_preference=intake.group_preference,
                area=intake.area,
                never_with=[str(o.public_id) for o in intake.never_with.all()],
                shared_pool=intake.shared_pool,
                readiness=intake.readiness,
                readiness_reason=intake.readiness_reason,
                next_step=intake.next_step,
                held_on=intake.held_on,
            )
        return initial

    def clean_situation(self) -> str:
        return formatting.plain(self.cleaned_data.get("situation", ""))

    def clean_readiness_reason(self) -> str:
        return formatting.plain(self.cleaned_data.get("readiness_reason", ""))

    def clean_next_step(self) -> str:
        return formatting.plain(self.cleaned_data.get("next_step", ""))

    def clean_area(self) -> str:
        return formatting.plain(self.cleaned_data.get("area", ""))

    def intake_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["languages"] = to_mask(data["languages"], Language)
        data["availability"] = slot_mask(data["availability"])
        return data

    def never_with_registrations(self) -> list[Registration]:
        return [self.others[key] for key in self.cleaned_data.get("never_with", [])]


class WaitingListFilterForm(Form):
    condition = forms.ChoiceField(
        label=_("Condition"), choices=_blank(Condition.choices, _("Any")), required=False
    )
    relation = forms.ChoiceField(
        label=_("Relation"), choices=_blank(Relation.choices, _("Any")), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=_blank(Language.choices, _("Any")), required=False
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=_blank(
            [(Format.IN_PERSON.value, _("In person")), (Format.DIGITAL.value, _("Digital"))],
            _("Any"),
        ),
        required=False,
    )

    def valid_values(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class InboxFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("Not yet done")), *Status.choices, ("all", _("All"))],
        required=False,
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
