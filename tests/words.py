"""Words as Swedes and Norwegians write them, for tests that read pages as users do. Written
out here, not taken from the product, so that a test can catch the product getting them wrong."""

MONTHS = {
    "sv": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "nb": (
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ),
}
SWEDISH_MONTHS = MONTHS["sv"]
