"""One FilterSet per listed model: the browse page, the API list and exports all use these."""

import re
from functools import lru_cache

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from partnerhub.reference.models import Area, AreaGroup, Goal, Target, coded_label
from partnerhub.reporting.models import ComplianceStatus

from .models import Organisation, OrganisationType, Partner, Partnership, SearchDocument
from .search.service import ALSO, ALSO_FACETS, SearchParams

Through = Partnership.areas.through


@lru_cache(maxsize=8)
def _area_choices(language: str) -> tuple[list, list]:
    with translation.override(language):
        countries = sorted(
            ((a.iso3, a.name) for a in Area.objects.filter(kind=Area.Kind.COUNTRY)), key=lambda c: c[1]
        )
        regions = [
            (a.code, ("— " if a.kind != Area.Kind.REGION else "") + a.name)
            for a in Area.objects.filter(kind__in=[Area.Kind.REGION, Area.Kind.SUBREGION]).order_by(
                "region_id", "code"
            )
        ]
    return [("", "—"), *countries], [("", "—"), *regions]


def _country_choices() -> list:
    return _area_choices(translation.get_language() or "en")[0]


def _region_choices() -> list:
    return _area_choices(translation.get_language() or "en")[1]


class GoalChips(forms.CheckboxSelectMultiple):
    template_name = "registry/widgets/goal_chips.html"


def _split(value: str | list[str]) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [part.strip() for v in values for part in str(v).split(",") if part.strip()]


class PartnershipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    goal = django_filters.ModelMultipleChoiceFilter(
        field_name="goals", queryset=Goal.objects.all(), label=_("Goal"), distinct=True, widget=GoalChips
    )
    target = django_filters.ModelMultipleChoiceFilter(
        field_name="targets", queryset=Target.objects.all(), label=_("Target"), distinct=True
    )
    country = django_filters.CharFilter(
        method="filter_country", label=_("Country"), help_text=_("ISO alpha-3 or M49 codes, comma-separated")
    )
    region = django_filters.CharFilter(
        method="filter_region",
        label=_("Region"),
        help_text=_("M49 region or sub-region codes, comma-separated"),
    )
    group = django_filters.ModelChoiceFilter(
        queryset=AreaGroup.objects.all(), method="filter_group", label=_("Country group")
    )
    organisation_type = django_filters.MultipleChoiceFilter(
        choices=OrganisationType.choices,
        method="filter_organisation_type",
        label=_("Organisation type"),
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(), method="filter_organisation", label=_("Organisation")
    )
    category = django_filters.MultipleChoiceFilter(
        choices=Partnership.Category.choices, label=_("Category"), widget=forms.CheckboxSelectMultiple
    )
    stage = django_filters.MultipleChoiceFilter(
        choices=Partnership.Stage.choices, label=_("Life-cycle stage"), widget=forms.CheckboxSelectMultiple
    )
    geographic_level = django_filters.MultipleChoiceFilter(
        choices=Partnership.GeographicLevel.choices,
        label=_("Geographic level"),
        widget=forms.CheckboxSelectMultiple,
    )
    compliance = django_filters.MultipleChoiceFilter(
        choices=ComplianceStatus.choices,
        method="filter_facet",
        label=_("Reporting status"),
        widget=forms.CheckboxSelectMultiple,
    )
    smart = django_filters.ChoiceFilter(
        choices=[("yes", _("Meets all SMART criteria")), ("no", _("Misses a SMART criterion"))],
        method="filter_facet",
        label=_("SMART"),
    )
    also = django_filters.CharFilter(
        method="filter_also",
        label=_("Also"),
        help_text=_("Facet values every result must also have, comma-separated, e.g. goal:13,region:002"),
        widget=forms.HiddenInput,
    )
    sort = django_filters.ChoiceFilter(
        choices=[("relevance", _("Relevance")), ("newest", _("Newest")), ("title", _("Title"))],
        method="filter_sort",
        label=_("Sort"),
        empty_label=_("Best first"),
    )
    cursor = django_filters.CharFilter(
        method="filter_nothing", label=_("Page cursor"), widget=forms.HiddenInput
    )
    lang = django_filters.ChoiceFilter(
        choices=Partnership.Language.choices, method="filter_nothing", label=_("Language of the search text")
    )

    class Meta:
        model = Partnership
        fields = [
            "q",
            "goal",
            "target",
            "country",
            "region",
            "group",
            "organisation_type",
            "category",
            "stage",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the HTML form, countries and regions are picked from lists in the reader's language (built
        # only when a form is rendered); the API accepts codes (several, comma-separated).
        self.form.fields["country"].widget = forms.Select(choices=CallableChoiceIterator(_country_choices))
        self.form.fields["region"].widget = forms.Select(choices=CallableChoiceIterator(_region_choices))
        self.form.fields["target"].widget.attrs.update({"size": 5, "data-filterable": "1"})
        self.form.fields["target"].label_from_instance = lambda t: coded_label(t, 60)

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # read by to_search(); no effect on a plain queryset

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "title":
            return queryset.order_by("title", "pk")
        return queryset.order_by("-published_at", "-pk")

    def to_search(self, *, limit: int = 20, facets: bool = True) -> SearchParams:
        """The same parameters, for the search service (call after is_valid())."""
        data = self.form.cleaned_data
        filters: dict[str, list[str]] = {
            "goal": [str(g.pk) for g in data.get("goal") or []],
            "target": [t.pk for t in data.get("target") or []],
            "country": self._country_codes(data.get("country") or ""),
            "region": [c.zfill(3) for c in _split(data.get("region") or "")],
            "group": [data["group"].code] if data.get("group") else [],
            "organisation_type": list(data.get("organisation_type") or []),
            "organisation": [str(data["organisation"].pk)] if data.get("organisation") else [],
            "category": list(data.get("category") or []),
            "stage": list(data.get("stage") or []),
            "geographic_level": list(data.get("geographic_level") or []),
            "compliance": list(data.get("compliance") or []),
            "smart": [data["smart"]] if data.get("smart") else [],
            ALSO: self._also_tokens(data.get("also") or ""),
        }
        return SearchParams(
            q=data.get("q") or "",
            lang=data.get("lang") or None,
            filters={k: v for k, v in filters.items() if v},
            sort=data.get("sort") or "",
            cursor=data.get("cursor") or None,
            limit=limit,
            facets=facets,
        )

    @staticmethod
    def _country_codes(value: str) -> list[str]:
        codes = [c.upper() for c in _split(value)]
        numeric = [c for c in codes if c.isdigit()]
        if numeric:
            codes = [c for c in codes if not c.isdigit()]
            codes += list(
                Area.objects.filter(code__in=[c.zfill(3) for c in numeric]).values_list("iso3", flat=True)
            )
        # An unknown code matches nothing rather than everything.
        return [c for c in codes if c] or (["-"] if value.strip() else [])

    @staticmethod
    def _also_tokens(value: str) -> list[str]:
        """Known facet tokens only; an unknown one matches nothing rather than being ignored."""
        tokens = _split(value)
        return [t if t.partition(":")[0] in ALSO_FACETS and t.partition(":")[2] else "-" for t in tokens]

    def filter_also(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for token in self._also_tokens(value):
            pattern = rf"(^| ){re.escape(token)}( |$)"
            queryset = queryset.filter(
                pk__in=SearchDocument.objects.filter(facets__regex=pattern).values("partnership_id")
            )
        return queryset

    def filter_facet(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Derived facets (reporting status, SMART) are read from the search documents."""
        values = value if isinstance(value, list) else [value]
        if not values:
            return queryset
        match = Q()
        for v in values:
            match |= Q(facets__contains=f"{name}:{v}")
        return queryset.filter(pk__in=SearchDocument.objects.filter(match).values("partnership_id"))

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        orgs = Partner.objects.filter(
            Q(organisation__name__icontains=text) | Q(organisation__acronym__iexact=text)
        ).values("partnership_id")
        return queryset.filter(
            Q(title__icontains=text)
            | Q(summary__icontains=text)
            | Q(objectives__icontains=text)
            | Q(pk__in=orgs)
        )

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        codes = [c.upper() for c in _split(value)]
        areas = Area.objects.filter(Q(iso3__in=codes) | Q(code__in=codes) | Q(iso2__in=codes))
        return queryset.filter(pk__in=Through.objects.filter(area__in=areas).values("partnership_id"))

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        codes = [c.zfill(3) for c in _split(value)]
        match = (
            Q(area__code__in=codes)
            | Q(area__parent__code__in=codes)
            | Q(area__parent__parent__code__in=codes)
            | Q(area__region__code__in=codes)
        )
        return queryset.filter(pk__in=Through.objects.filter(match).values("partnership_id"))

    def filter_group(self, queryset: QuerySet, name: str, value: AreaGroup | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(pk__in=Through.objects.filter(area__groups=value).values("partnership_id"))

    def filter_organisation_type(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Partner.objects.filter(organisation__type__in=value).values("partnership_id")
        )

    def filter_organisation(self, queryset: QuerySet, name: str, value: Organisation | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(pk__in=Partner.objects.filter(organisation=value).values("partnership_id"))


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    type = django_filters.MultipleChoiceFilter(choices=OrganisationType.choices, label=_("Type"))
    country = django_filters.CharFilter(
        field_name="country__iso3", lookup_expr="iexact", label=_("Country (ISO alpha-3)")
    )

    class Meta:
        model = Organisation
        fields = ["q", "type", "country", "global_compact_participant"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(name__icontains=text) | Q(acronym__icontains=text))
