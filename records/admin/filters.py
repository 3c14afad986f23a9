"""Change-list filters that stay short and cheap on long, large tables."""

import re

from django.contrib import admin

from ..partial_dates import years_spanned


class YearFilter(admin.SimpleListFilter):
    """Years of a partial-date field, by decade when they span more than a dozen.

    '2025', '2025-03' and '2025-03-12' all fall in 2025 and in the 2020s. A
    long span lists its decades, and the chosen decade its years beneath.
    """

    title = "year"
    parameter_name = "year"
    field = "date"
    most_years_listed = 12

    def lookups(self, request, model_admin):
        years = years_spanned(model_admin.model.objects.all(), self.field)
        if len(years) <= self.most_years_listed:
            return [(year, year) for year in years]
        chosen = (self.value() or "")[:3]
        choices = []
        for decade in dict.fromkeys(f"{year[:3]}0s" for year in years):
            choices.append((decade, decade))
            if chosen and decade.startswith(chosen):
                choices += [(year, f"· {year}") for year in years if year.startswith(chosen)]
        return choices

    def queryset(self, request, queryset):
        value = self.value() or ""
        if re.fullmatch(r"[0-9]{3}0s", value):
            start = value[:4]
            return queryset.filter(**{f"{self.field}__gte": start, f"{self.field}__lt": f"{int(start) + 10:04d}"})
        if re.fullmatch(r"[0-9]{4}", value):
            return queryset.filter(**{f"{self.field}__startswith": value})
        return queryset


class StartYearFilter(YearFilter):
    title = "start year"
    parameter_name = "start_year"
    field = "start_date"
