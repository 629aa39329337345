# Swedish: "15 dec", "tis 15 dec 2026", "tisdag 15 december". Django's defaults otherwise.
DAY_MONTH_FORMAT = "j N"
DAY_MONTH_YEAR_FORMAT = "j N Y"
DAY_MONTH_YEAR_TIME_FORMAT = "j N Y, H:i"
SHORT_WEEKDAY_DATE_TIME_FORMAT = "D j N Y, H:i"
SHORT_WEEKDAY_TIME_FORMAT = "D j N, H:i"
WEEKDAY_DAY_MONTH_FORMAT = "l j F"
WEEKDAY_DAY_MONTH_TIME_FORMAT = "l j F, H:i"
WEEKDAY_DATE_TIME_FORMAT = "l j F Y, H:i"
