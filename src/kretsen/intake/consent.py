"""The consent a relative gives for health-related data. Change the text: raise the version."""

from django.utils.translation import gettext_lazy as _

VERSION = "2026-12-1"

TEXT = _(
    "I agree that the organisation may store what I write here, including information about "
    "my situation and the health of the person I support, to contact me and find suitable "
    "support for me. Only staff who work with support for relatives can read it. I can see "
    "what is stored, correct it and withdraw at any time; then it is deleted the next day."
)
