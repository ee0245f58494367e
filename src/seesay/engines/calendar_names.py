"""The English names of the months and weekdays, for the engines that say, read or translate
them (speech text, chart readouts, translation that keeps facts). Written out rather than
taken from the standard ``calendar`` module, whose names follow the process's locale."""

from __future__ import annotations

from typing import Final

__all__ = ["DAYS", "MONTHS"]

MONTHS: Final = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)
DAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
