"""Mail in the recipient's language, with nothing sensitive in it.

Every message names only the sender organisation (or Kretsen) and links to the site;
the topic of support is never mentioned, because others may read the recipient's mail.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send(to: str, language: str, template: str, context: dict[str, Any]) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in ``language`` and send."""
    with translation.override(language):
        full_context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", full_context).strip()
        body = render_to_string(f"{template}_body.txt", full_context)
    message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[to])
    message.send()
