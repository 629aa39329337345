"""Checks that the translations are complete: ``python -m kretsen.core.translations check``.

1. Every .po file (sv, nb, en) has every entry translated, none fuzzy, and compiles.
2. No user-facing string in the code or templates is missing from the .po files: the
   catalogues are extracted again with Django's makemessages (GNU gettext's xgettext) into a
   temporary copy and compared by message id.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
LANGUAGES = ("sv", "nb", "en")


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def catalogue_problems(po_path: Path) -> list[str]:
    problems = []
    po = polib.pofile(str(po_path))
    for entry in po.untranslated_entries():
        problems.append(f"{po_path}: not translated: {entry.msgid[:70]!r}")
    for entry in po.fuzzy_entries():
        problems.append(f"{po_path}: marked fuzzy: {entry.msgid[:70]!r}")
    with tempfile.NamedTemporaryFile(suffix=".mo") as target:
        try:
            po.save_as_mofile(target.name)
        except Exception as error:
            problems.append(f"{po_path}: does not compile: {error}")
    if shutil.which("msgfmt"):
        result = subprocess.run(  # noqa: S603
            ["msgfmt", "--check", "-o", "/dev/null", str(po_path)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            problems.append(f"{po_path}: msgfmt --check: {result.stderr.strip()}")
    return problems


def missing_message_ids() -> list[str]:
    """Message ids in the source that the committed catalogues do not have."""
    if shutil.which("xgettext") is None:
        return [
            "GNU gettext (xgettext) is needed to check for new strings: apt-get install gettext"
        ]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "kretsen"
        shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        result = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "--no-obsolete",
                "--no-location",
                *[f"--locale={language}" for language in LANGUAGES],
            ],
            cwd=copy,
            env={
                "PATH": "/usr/bin:/bin:/usr/local/bin",
                "DEBUG": "1",
                "DJANGO_SETTINGS_MODULE": "kretsen.settings",
                "PYTHONPATH": str(PACKAGE_DIR.parent),
                "KRETSEN_VAR_DIR": tmp + "/var",
            },
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            return [f"makemessages failed: {result.stderr.strip()}"]
        for language in LANGUAGES:
            relative = Path(language) / "LC_MESSAGES" / "django.po"
            committed = {_key(e) for e in polib.pofile(str(LOCALE_DIR / relative)) if e.msgid}
            extracted = {_key(e) for e in polib.pofile(str(copy / "locale" / relative)) if e.msgid}
            for _context, msgid in sorted(extracted - committed):
                problems.append(f"{language}: missing from the .po file: {msgid[:70]!r}")
            for _context, msgid in sorted(committed - extracted):
                problems.append(f"{language}: no longer used in the code: {msgid[:70]!r}")
    return problems


def check() -> list[str]:
    problems: list[str] = []
    for language in LANGUAGES:
        po_path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            problems.append(f"{po_path} is missing")
            continue
        problems.extend(catalogue_problems(po_path))
    problems.extend(missing_message_ids())
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem)
    if problems:
        print(f"Translations are not complete: {len(problems)} problems. Run `make translations`.")
        return 1
    print("Translations are complete for " + ", ".join(LANGUAGES) + ".")
    return 0


if __name__ == "__main__" and sys.argv[1:] == ["check"]:
    sys.exit(main())
