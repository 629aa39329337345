"""Date formats as people write them in each language (``FORMAT_MODULE_PATH``).

Django's own formats are used where they are right; these add the short forms Kretsen's
pages need (a day and an abbreviated month, with or without the weekday and the year),
because a hard-coded ``"j M"`` gives "15 Dec" in Swedish and "15 Des" in Norwegian. Templates
use them through ``{{ value|local_date:"DAY_MONTH_FORMAT" }}`` (``kretsen.core.dates``).
"""
