"""Forms of the care app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kretsen.care import questionnaires
from kretsen.care.models import FollowUp, MeetingFeedback
from kretsen.core.forms import Form


class FlagForm(Form):
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[(r.value, r.label) for r in FollowUp.Reason if r.value in FollowUp.LEADER_REASONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("A short note for the coordinator (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Stored encrypted. Write what the coordinator needs to know, no more."),
    )


class CloseForm(Form):
    outcome = forms.ChoiceField(
        label=_("What was done"), choices=FollowUp.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionnaireForm(Form):
    def __init__(
        self, *args: Any, instrument: questionnaires.Instrument, language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        choices = [
            (str(choice.value), questionnaires.text(choice.label, language))
            for choice in instrument.scale
        ]
        for item in instrument.items:
            self.fields[item.key] = forms.TypedChoiceField(
                label=questionnaires.text(item.text, language),
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )

    def answers(self) -> dict[str, int]:
        return {item.key: int(self.cleaned_data[item.key]) for item in self.instrument.items}


class FeedbackForm(Form):
    felt_safe = forms.ChoiceField(
        label=_("Did you feel safe in the group today?"),
        choices=MeetingFeedback.Answer.choices,
        widget=forms.RadioSelect,
    )
    enough_space = forms.ChoiceField(
        label=_("Did you get enough space to say what you wanted?"),
        choices=MeetingFeedback.Answer.choices,
        widget=forms.RadioSelect,
    )
    takeaway = forms.CharField(
        label=_("What do you take with you today? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    show_name = forms.BooleanField(
        label=_("The leaders may see that this is from me"),
        required=False,
        help_text=_(
            "If you leave this empty, your answers are anonymous: the leaders see them "
            "without your name, and only once at least five people have answered."
        ),
    )
