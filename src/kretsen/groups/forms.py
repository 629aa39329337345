"""Forms of the groups app. Every limit is checked here, on the server."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kretsen.core.formatting import plain
from kretsen.core.forms import Form, ModelForm, set_choices
from kretsen.core.models import User
from kretsen.core.vocabulary import (
    DayPart,
    Format,
    Language,
    Weekday,
    from_mask,
    slot_mask,
    slot_values,
    to_mask,
)
from kretsen.directory.models import Offer
from kretsen.groups.models import (
    IN_PERSON_MAX_MINUTES,
    Attendance,
    Group,
    GroupMember,
    GroupSettings,
    GroupText,
    LeaderProfile,
    Topic,
)
from kretsen.groups.services.meetings import OnHolidays
from kretsen.groups.texts import TopicChoice
from kretsen.intake.forms import availability_choices
from kretsen.intake.models import Registration

NOTE_MAX = 4000
MESSAGE_MAX = 1000


def _set_choices(form: forms.BaseForm, name: str, choices: list[tuple[str, str]]) -> None:
    set_choices(form.fields[name], choices)


def _user_choices(users: list[User], blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(str(u.public_id), u.display_name or u.email) for u in users]
    return [("", blank), *choices] if blank is not None else choices


class OfferChoiceField(forms.ModelChoiceField[Offer]):
    def label_from_instance(self, obj: Offer) -> str:
        return obj.title(get_language() or "sv")


class GroupForm(ModelForm):
    # The choices are set per request, inside the organisation's scope.
    offer = OfferChoiceField(label=_("Offer"), queryset=None)
    video_link = forms.URLField(
        label=_("link to the video meeting"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Shown to members only shortly before each meeting."),
    )
    leader_1 = forms.ChoiceField(label=_("First leader"))
    leader_2 = forms.ChoiceField(
        label=_("Second leader"),
        required=False,
        help_text=_("Two leaders are recommended: one can step out with someone who needs it."),
    )

    class Meta:
        model = Group
        fields = ["offer", "name", "form", "format", "place", "video_link", "min_size", "max_size"]

    def __init__(self, *args: Any, leaders: list[User], offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leaders = {str(u.public_id): u for u in leaders}
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]
        _set_choices(self, "leader_1", _user_choices(leaders, str(_("Choose a leader"))))
        _set_choices(self, "leader_2", _user_choices(leaders, str(_("No second leader"))))
        self.fields["place"].help_text = _("Address and room, for meetings in person.")

    def clean_name(self) -> str:
        name = plain(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Give the group a name."))
        return name

    def clean_place(self) -> str:
        return plain(self.cleaned_data.get("place", ""))

    def chosen_leaders(self) -> list[User]:
        ids = [self.cleaned_data.get("leader_1"), self.cleaned_data.get("leader_2")]
        return [self.leaders[i] for i in ids if i]


class StateForm(Form):
    state = forms.ChoiceField(choices=Group.State.choices)


class AddMembersForm(Form):
    people = forms.MultipleChoiceField(
        label=_("People on the waiting list"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: list[Registration], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(r.public_id): r for r in candidates}
        _set_choices(self, "people", [(str(r.public_id), r.display_name) for r in candidates])
        self.fields["people"].error_messages["required"] = _("Choose at least one person.")

    def chosen(self) -> list[Registration]:
        return [self.candidates[i] for i in self.cleaned_data["people"]]


class SeriesForm(Form):
    EVERY = [("1", _("Every week")), ("2", _("Every other week"))]

    first_day = forms.DateField(
        label=_("Date of the first meeting"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The following meetings fall on the same weekday."),
    )
    at = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    count = forms.IntegerField(label=_("Number of meetings"), min_value=1, max_value=52)
    every_weeks = forms.ChoiceField(label=_("How often"), choices=EVERY, initial="1")
    minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=15, max_value=IN_PERSON_MAX_MINUTES
    )
    break_minutes = forms.IntegerField(label=_("Break in minutes"), min_value=0, max_value=60)
    on_holidays = forms.ChoiceField(
        label=_("Meetings that fall on a public holiday"),
        choices=[
            (
                OnHolidays.SKIP,
                _("Skip them, and add meetings at the end so that the number stays the same"),
            ),
            (OnHolidays.KEEP, _("Keep them")),
        ],
        initial=OnHolidays.SKIP,
        widget=forms.RadioSelect,
        help_text=_("Christmas, New Year, Easter and the other public holidays of your country."),
    )

    def clean_first_day(self) -> date:
        day: date = self.cleaned_data["first_day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return day


class MeetingForm(Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=15, max_value=IN_PERSON_MAX_MINUTES
    )
    break_minutes = forms.IntegerField(label=_("Break in minutes"), min_value=0, max_value=60)
    opens_by = forms.ChoiceField(label=_("Opens"), required=False)
    presents_by = forms.ChoiceField(label=_("Presents the topic"), required=False)
    technique_by = forms.ChoiceField(label=_("Handles the technique"), required=False)
    closes_by = forms.ChoiceField(label=_("Closes"), required=False)

    ROLES = ("opens_by", "presents_by", "technique_by", "closes_by")

    def __init__(self, *args: Any, leaders: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leaders = {str(u.public_id): u for u in leaders}
        for role in self.ROLES:
            _set_choices(self, role, _user_choices(leaders, "–"))

    def roles(self) -> dict[str, User | None]:
        return {role: self.leaders.get(self.cleaned_data.get(role) or "") for role in self.ROLES}

    def starts_at(self, zone: Any) -> datetime:
        from kretsen.groups.services.meetings import wall_clock

        day: date = self.cleaned_data["day"]
        at: time = self.cleaned_data["at"]
        return wall_clock(day, at, zone)


class RunSheetForm(Form):
    topic = forms.ChoiceField(label=_("Topic from the library"), required=False)
    own_topic = forms.CharField(label=_("Or the group's own topic"), required=False, max_length=120)
    note = forms.CharField(
        label=_("Note after the meeting"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Only the leaders and the coordinator see this, and it is stored encrypted. "
            "Write what the next meeting needs; avoid details about people."
        ),
    )

    def __init__(self, *args: Any, library: list[TopicChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.library = {choice.key: choice for choice in library}
        _set_choices(self, "topic", [("", "–")] + [(c.key, c.title) for c in library])

    def clean_own_topic(self) -> str:
        return plain(self.cleaned_data.get("own_topic", ""))

    def clean_note(self) -> str:
        return plain(self.cleaned_data.get("note", ""))

    def chosen_topic(self) -> tuple[str, str]:
        own = self.cleaned_data.get("own_topic", "")
        if own:
            return "", own
        key = self.cleaned_data.get("topic") or ""
        if key in self.library:
            return key, self.library[key].title
        return "", ""


class AttendanceForm(Form):
    drop_in = forms.CharField(
        label=_("Drop-in visitors"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: a first name, a pseudonym or just “visitor”."),
    )

    MEMBER_CHOICES = [
        (Attendance.Status.PRESENT, Attendance.Status.PRESENT.label),
        (Attendance.Status.NOTIFIED_ABSENCE, Attendance.Status.NOTIFIED_ABSENCE.label),
        (Attendance.Status.ABSENT, Attendance.Status.ABSENT.label),
    ]

    def __init__(self, *args: Any, members: list[GroupMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"m_{member.public_id}"] = forms.ChoiceField(
                label=member.display_name,
                choices=self.MEMBER_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
        self.order_fields([f"m_{m.public_id}" for m in members] + ["drop_in"])

    def member_fields(self) -> list[forms.BoundField]:
        return [self[f"m_{m.public_id}"] for m in self.members]

    def statuses(self) -> dict[GroupMember, str]:
        return {
            member: self.cleaned_data[f"m_{member.public_id}"]
            for member in self.members
            if self.cleaned_data.get(f"m_{member.public_id}")
        }

    def visitors(self) -> list[str]:
        lines = [plain(line)[:80] for line in self.cleaned_data.get("drop_in", "").splitlines()]
        return [line for line in lines if line][:40]


class HandoverForm(Form):
    contact = forms.ChoiceField(
        label=_("Contact person among the members"),
        help_text=_("They agreed to be the group's contact when the led period ends."),
    )

    def __init__(self, *args: Any, members: list[GroupMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.public_id): m for m in members}
        _set_choices(
            self, "contact", [("", "–")] + [(str(m.public_id), m.display_name) for m in members]
        )

    def chosen(self) -> GroupMember:
        return self.members[self.cleaned_data["contact"]]


class GroupTextForm(ModelForm):
    class Meta:
        model = GroupText
        fields = ["text_sv", "text_nb", "text_en"]
        widgets = {
            "text_sv": forms.Textarea(attrs={"rows": 10}),
            "text_nb": forms.Textarea(attrs={"rows": 10}),
            "text_en": forms.Textarea(attrs={"rows": 10}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(f"text_{code}") or "").strip() for code in ("sv", "nb", "en")):
            raise forms.ValidationError(_("Write the text in at least one language."))
        return data


class TopicForm(ModelForm):
    class Meta:
        model = Topic
        fields = [
            "title_sv",
            "title_nb",
            "title_en",
            "summary_sv",
            "summary_nb",
            "summary_en",
            "is_active",
        ]
        widgets = {
            "summary_sv": forms.Textarea(attrs={"rows": 4}),
            "summary_nb": forms.Textarea(attrs={"rows": 4}),
            "summary_en": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field in ("title_sv", "title_nb", "title_en"):
            data[field] = plain(data.get(field) or "")
        if not any(data.get(f"title_{code}") for code in ("sv", "nb", "en")):
            raise forms.ValidationError(_("Give the topic a title in at least one language."))
        return data


class GroupSettingsForm(ModelForm):
    jitsi_url = forms.URLField(
        label=_("Jitsi server address"),
        required=False,
        assume_scheme="https",
        help_text=_("For example https://meet.example.org. Never a public demo server."),
    )
    jitsi_app_secret = forms.CharField(
        label=_("Jitsi app secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the secret that is saved."),
    )

    class Meta:
        model = GroupSettings
        fields = [
            "reminder_hours",
            "video_link_minutes",
            "video_provider",
            "jitsi_url",
            "jitsi_room_prefix",
            "jitsi_app_id",
        ]

    def clean_jitsi_app_secret(self) -> str:
        secret: str = self.cleaned_data.get("jitsi_app_secret", "")
        if secret and len(secret) < 32:
            raise forms.ValidationError(_("The secret must be at least 32 characters long."))
        return secret

    def clean_jitsi_url(self) -> str:
        url: str = self.cleaned_data.get("jitsi_url", "")
        if url and not url.startswith("https://"):
            raise forms.ValidationError(_("The server address must start with https://."))
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("video_provider") == GroupSettings.VideoProvider.JITSI and not data.get(
            "jitsi_url"
        ):
            self.add_error("jitsi_url", _("Give the address of your Jitsi server."))
        return data


class PledgeForm(Form):
    signed_name = forms.CharField(
        label=_("Your name or pseudonym"),
        max_length=80,
        help_text=_("The name the group knows you by is enough."),
    )
    agree = forms.BooleanField(
        label=_("I promise to keep what I see and hear in the group to myself."),
        error_messages={"required": _("Tick the box to sign the pledge.")},
    )

    def clean_signed_name(self) -> str:
        name = plain(self.cleaned_data["signed_name"])
        if not name:
            raise forms.ValidationError(_("Write your name or a pseudonym."))
        return name


class AbsenceForm(Form):
    message = forms.CharField(
        label=_("A message to the leaders (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LeaveForm(Form):
    reason = forms.CharField(
        label=_("Would you like to tell us why? (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, I want to leave the group."),
        error_messages={"required": _("Tick the box if you want to leave.")},
    )


MAX_LEADER_AREAS = 3


class LeaderProfileForm(Form):
    """A leader's times, formats, areas, languages and training (a ``LeaderProfile``)."""

    availability = forms.MultipleChoiceField(
        label=_("Times when available to lead a group"),
        choices=availability_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one time when a group can be led.")},
    )
    format = forms.ChoiceField(
        label=_("Can lead groups that meet"), choices=Format.choices, widget=forms.RadioSelect
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas for groups that meet in person"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick one to three areas. None ticked: any area works."),
    )
    other_area = forms.CharField(
        label=_("Another area, not in the list"),
        max_length=80,
        required=False,
        help_text=_("Written as in the intake conversations."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages for leading a group"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: groups in any language."),
    )
    qualified_for_children = forms.BooleanField(
        label=_("Trained to lead groups for children and young people"), required=False
    )

    def __init__(self, *args: Any, known_areas: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The areas already in use, and the profile's own, so a phone needs no typing.
        names = {name.casefold(): name for name in self.initial.get("areas", [])}
        for name in known_areas or []:
            names.setdefault(name.casefold(), name)
        self.fields["areas"].choices = [  # type: ignore[attr-defined]
            (name, name) for name in sorted(names.values(), key=str.casefold)
        ]

    @staticmethod
    def initial_from(profile: LeaderProfile) -> dict[str, Any]:
        return {
            "availability": slot_values(profile.availability),
            "format": profile.format,
            "areas": profile.area_list(),
            "languages": from_mask(profile.languages, Language),
            "qualified_for_children": profile.qualified_for_children,
        }

    def clean_other_area(self) -> str:
        return plain(self.cleaned_data.get("other_area", "")).strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[str, str] = {}
        for name in [*data.get("areas", []), data.get("other_area", "")]:
            if name:
                chosen.setdefault(name.casefold(), name)
        if len(chosen) > MAX_LEADER_AREAS:
            self.add_error(
                "areas",
                _("Choose at most three areas. A leader who works everywhere ticks none."),
            )
        data["areas"] = sorted(chosen.values(), key=str.casefold)
        return data

    def changed_fields(self) -> list[str]:
        """The profile fields the input changed (another area typed in changes the areas)."""
        return sorted(
            {"areas" if name == "other_area" else name for name in self.changed_data}
            - ({"areas"} if self.cleaned_data["areas"] == self.initial.get("areas") else set())
        )

    def profile_values(self) -> dict[str, Any]:
        """The cleaned input in the profile's own representation (bit masks)."""
        data = dict(self.cleaned_data)
        data["availability"] = slot_mask(data["availability"])
        data["languages"] = to_mask(data["languages"], Language)
        data.pop("other_area", None)
        return data

    def availability_rows(self) -> list[tuple[str, list[BoundWidget]]]:
        """The availability boxes as a week: one row per weekday, one box per part of day."""
        boxes = list(self["availability"].subwidgets)
        parts = len(DayPart.values)
        return [
            (str(Weekday(day).label), boxes[index * parts : (index + 1) * parts])
            for index, day in enumerate(Weekday.values)
        ]
