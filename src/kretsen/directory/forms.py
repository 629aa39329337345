from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kretsen.core import formatting
from kretsen.core.forms import Form, ModelForm, set_choices
from kretsen.core.models import Organisation
from kretsen.core.vocabulary import (
    Condition,
    Format,
    Gender,
    Language,
    Relation,
    from_mask,
    to_mask,
)
from kretsen.directory.models import MAX_AGE_SPAN, Offer

MASK_FIELDS: dict[str, tuple[type[models.TextChoices], Any]] = {
    "relations": (Relation, _("For relatives who are")),
    "conditions": (Condition, _("When the person cared for has")),
    "languages": (Language, _("Languages")),
}
PLAIN_TEXT_FIELDS = (
    "title_sv",
    "title_nb",
    "title_en",
    "address",
    "venue_accessibility",
    "cost_note",
    "contact_role",
    "contact_name",
    "contact_phone",
)
# Rules for forming the offer's groups (see matching_rules.py).
GROUP_RULE_FIELDS = ("gender_specific", "max_age_span", "needs_children_qualification")
FORMATTED_HELP = _(
    "Plain words. A blank line starts a new paragraph; lines starting with - become a list; "
    "**bold** and links are allowed."
)


class OfferForm(ModelForm):
    relations = forms.MultipleChoiceField(
        label=MASK_FIELDS["relations"][1],
        choices=Relation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    conditions = forms.MultipleChoiceField(
        label=MASK_FIELDS["conditions"][1],
        choices=Condition.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty if the offer is for every condition."),
    )
    languages = forms.MultipleChoiceField(
        label=MASK_FIELDS["languages"][1],
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    field_order = [
        "title_sv",
        "title_nb",
        "title_en",
        "purpose_sv",
        "purpose_nb",
        "purpose_en",
        "relations",
        "conditions",
        "age_min",
        "age_max",
        "form",
        "meeting_count",
        "format",
        "min_size",
        "max_size",
        "meeting_minutes",
        "frequency",
        "languages",
        "gender_specific",
        "max_age_span",
        "needs_children_qualification",
    ]

    class Meta:
        model = Offer
        # The mask fields (relations, conditions, languages) are set in save() from the
        # multiple-choice fields above.
        fields = [
            "title_sv",
            "title_nb",
            "title_en",
            "purpose_sv",
            "purpose_nb",
            "purpose_en",
            "age_min",
            "age_max",
            "form",
            "meeting_count",
            "format",
            "min_size",
            "max_size",
            "meeting_minutes",
            "frequency",
            "gender_specific",
            "max_age_span",
            "needs_children_qualification",
            "address",
            "venue_accessibility",
            "start_date",
            "starts_when_enough",
            "is_free",
            "cost_note",
            "contact_role",
            "contact_name",
            "contact_phone",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "purpose_sv": forms.Textarea(attrs={"rows": 8}),
            "purpose_nb": forms.Textarea(attrs={"rows": 8}),
            "purpose_en": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in MASK_FIELDS:
            self.initial[name] = from_mask(getattr(self.instance, name) or 0, MASK_FIELDS[name][0])
        for code in ("sv", "nb", "en"):
            self.fields[f"purpose_{code}"].help_text = FORMATTED_HELP
        self.fields["max_size"].help_text = _("Usually 8; digital groups work best with at most 6.")
        set_choices(
            self.fields["gender_specific"],
            _choice_or_blank(Gender.choices, _("No, open to every gender")),
        )
        self.fields["max_age_span"].widget.attrs.update({"min": 0, "max": MAX_AGE_SPAN})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in PLAIN_TEXT_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = formatting.plain(data[name])
        low, high = data.get("min_size"), data.get("max_size")
        if low and high and low > high:
            self.add_error("max_size", _("The most participants cannot be fewer than the fewest."))
        young, old = data.get("age_min"), data.get("age_max")
        if young is not None and old is not None and young > old:
            self.add_error("age_max", _("The oldest age cannot be below the youngest."))
        if data.get("form") == Offer.Form.CLOSED and not data.get("meeting_count"):
            self.add_error("meeting_count", _("A closed group needs a number of meetings."))
        if data.get("form") == Offer.Form.INDIVIDUAL:
            for name in GROUP_RULE_FIELDS:
                # Not ``not in ("", None, False)``: a span of 0 equals False but is a rule.
                value = data.get(name)
                if value is not None and value is not False and value != "":
                    self.add_error(
                        name, _("Individual talks form no groups, so this rule does not apply.")
                    )
        if not data.get("starts_when_enough") and not data.get("start_date"):
            self.add_error(
                "start_date",
                _("Give a start date, or tick that it starts when enough have registered."),
            )
        return data

    def save(self, commit: bool = True) -> Offer:
        offer: Offer = super().save(commit=False)
        for name, (choices, _label) in MASK_FIELDS.items():
            setattr(offer, name, to_mask(self.cleaned_data.get(name) or [], choices))
        if commit:
            offer.save()
        return offer


class StateForm(Form):
    state = forms.ChoiceField(choices=Offer.State.choices)


def _choice_or_blank(choices: list[tuple[str, Any]], blank: Any) -> list[tuple[str, Any]]:
    return [("", blank), *choices]


class DirectoryFilterForm(Form):
    """The public search. A value that does not fit is dropped, never an error page."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    place = forms.ChoiceField(label=_("Where"), required=False)
    condition = forms.ChoiceField(
        label=_("The person I support has"),
        choices=_choice_or_blank(Condition.choices, _("Any")),
        required=False,
    )
    relation = forms.ChoiceField(
        label=_("I am their"),
        choices=_choice_or_blank(Relation.choices, _("Any")),
        required=False,
    )
    format = forms.ChoiceField(
        label=_("Meet"),
        choices=_choice_or_blank(
            [(Format.IN_PERSON.value, _("In person")), (Format.DIGITAL.value, _("Digitally"))],
            _("Either"),
        ),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=_choice_or_blank(Language.choices, _("Any")), required=False
    )
    form = forms.ChoiceField(
        label=_("Kind of support"),
        choices=_choice_or_blank(Offer.Form.choices, _("Any")),
        required=False,
    )
    soon = forms.BooleanField(label=_("Starting soon"), required=False)

    def __init__(self, *args: Any, places: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["place"], _choice_or_blank(places, _("Anywhere")))

    def valid_values(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class OrganisationSettingsForm(ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "region",
            "default_language",
            "time_zone",
            "welcomes_outside_participants",
            "retention_days",
            "unreached_after_attempts",
            "privacy_sv",
            "privacy_nb",
            "privacy_en",
            "crisis_sv",
            "crisis_nb",
            "crisis_en",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in (
                "privacy_sv",
                "privacy_nb",
                "privacy_en",
                "crisis_sv",
                "crisis_nb",
                "crisis_en",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in ("sv", "nb", "en"):
            self.fields[f"privacy_{code}"].help_text = FORMATTED_HELP
            self.fields[f"crisis_{code}"].help_text = FORMATTED_HELP
        self.fields["retention_days"].validators.append(MaxValueValidator(3650))
        self.fields["retention_days"].widget.attrs["max"] = 3650
