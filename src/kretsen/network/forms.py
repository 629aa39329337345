from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from kretsen.core.forms import Form, set_choices
from kretsen.core.models import Organisation
from kretsen.network.models import MAX_QUESTIONS, TEXT_MAX, MemberRole, QuoteUse

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_ROLE = [("", _("Choose a role"))]


class NetworkForm(Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the network exists, in a few sentences. Opens every report."),
    )
    language = forms.ChoiceField(
        label=_("Language of the reports"),
        choices=settings.LANGUAGES,
    )


class LocalNetworkForm(Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Usually the municipality. Empty: the organisation's name."),
    )
    leader_email = forms.EmailField(
        label=_("Local leader's e-mail address"),
        required=False,
        help_text=_("A staff member of the organisation, who documents the meetings."),
    )


class MemberForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=NO_ROLE + MemberRole.choices, required=False)
    name = forms.CharField(label=_("Name (optional)"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("role"):
            self.add_error("role", _("Every member needs a role."))
        return data


MemberFormSet = formset_factory(MemberForm, extra=3, max_num=60, absolute_max=60)


class RoundForm(Form):
    meetings_from = forms.DateField(label=_("Meetings from"), widget=DATE)
    meetings_to = forms.DateField(label=_("Meetings until"), widget=DATE)
    deadline = forms.DateField(label=_("Documentation due"), widget=DATE)
    reminder_days = forms.IntegerField(
        label=_("Reminder, days before the deadline"), min_value=0, max_value=30, initial=3
    )


class QuestionForm(Form):
    text = forms.CharField(
        label=_("Question"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sub_questions = forms.CharField(
        label=_("Sub-questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    background = forms.CharField(
        label=_("Background material"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Text and links for the local leaders; links as https://..."),
    )


def question_forms(
    data: Any = None, initial: list[dict[str, Any]] | None = None
) -> list[QuestionForm]:
    initial = initial or []
    return [
        QuestionForm(
            data,
            prefix=f"q{number}",
            initial=initial[number - 1] if number <= len(initial) else None,
        )
        for number in range(1, MAX_QUESTIONS + 1)
    ]


class AnswerForm(Form):
    # No max_length: a long paste is cut by the service with a message, not refused.
    discussion = forms.CharField(
        label=_("The discussion"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("What was said, in your own words. Do not write names."),
    )
    tags = forms.CharField(
        label=_("Tags (optional)"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas, e.g. guilt, respite care."),
    )


class QuoteForm(Form):
    role = forms.ChoiceField(
        label=_("Said by"), choices=NO_ROLE + MemberRole.choices, required=False
    )
    text = forms.CharField(
        label=_("Quote"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("text") or "").strip() and not data.get("role"):
            self.add_error("role", _("Every quote needs a role: who said it, never a name."))
        return data


QuoteFormSet = formset_factory(QuoteForm, extra=2, max_num=200, absolute_max=200)


class TitleForm(Form):
    title = forms.CharField(label=_("Theme"), max_length=200)


class ThemeForm(Form):
    title = forms.CharField(label=_("Theme"), max_length=200)
    text = forms.CharField(
        label=_("Connecting text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ChoiceOfThemeForm(Form):
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args: Any, themes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["theme"], [("", _("No theme")), *themes])


class PassageForm(ChoiceOfThemeForm):
    text = forms.CharField(
        label=_("Passage"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Select text in the discussion, or paste a piece of it."),
    )


class MoveForm(Form):
    step = forms.TypedChoiceField(choices=[("-1", "-1"), ("1", "1")], coerce=int)


class QuoteUseForm(Form):
    mode = forms.ChoiceField(label=_("Use"), choices=QuoteUse.Mode.choices)
    shortened = forms.CharField(
        label=_("Shortened quote"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mark cuts with […]; it is added at the end if missing."),
    )


class BackgroundForm(Form):
    background = forms.CharField(
        label=_("Background"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    compiler_name = forms.CharField(label=_("Compiled by"), max_length=150, required=False)
    compiled_on = forms.DateField(label=_("Compiled on"), required=False, widget=DATE)


class PublishForm(Form):
    is_public = forms.BooleanField(
        label=_("Anyone with the address may read the report"),
        required=False,
        help_text=_("Otherwise only the network's coordinators and local leaders can."),
    )
    include_unsorted = forms.BooleanField(
        label=_("Also publish the quotes that no theme holds, under “More voices”"),
        required=False,
        help_text=_("Otherwise the report holds only what you put under the themes."),
    )


class AcceptSuggestionForm(Form):
    title = forms.CharField(label=_("Theme"), max_length=200, required=False)


class PassageEditForm(Form):
    text = forms.CharField(
        label=_("Wording in the report"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignItemForm(ChoiceOfThemeForm):
    """One passage or quote of the material to a theme; an empty theme means "not sorted"."""

    item = forms.RegexField(regex=r"^[pq][0-9a-f-]{36}$", widget=forms.HiddenInput)


class SearchForm(Form):
    q = forms.CharField(label=_("Search the round's passages and quotes"), max_length=200)
