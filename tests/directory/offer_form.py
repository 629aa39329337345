"""A valid offer form, as the coordinator fills it in; tests change one field at a time."""

VALID = {
    "title_sv": "Anhöriggrupp",
    "purpose_sv": "Vi ses **åtta** gånger.\n\n- fika\n- samtal",
    "relations": ["partner", "parent"],
    "conditions": ["dementia"],
    "form": "closed",
    "meeting_count": "8",
    "format": "in_person",
    "min_size": "4",
    "max_size": "8",
    "meeting_minutes": "90",
    "frequency": "weekly",
    "languages": ["sv"],
    "address": "Storgatan 1",
    "starts_when_enough": "on",
    "is_free": "on",
    "contact_role": "Anhörigkonsulent",
}
