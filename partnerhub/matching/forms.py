"""HTML forms of matching and the Forum. They parse input; the services decide what is valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerhub.reference.models import Area, Currency, Goal, Target, coded_label
from partnerhub.registry.forms import DateInput, GoalCheckboxes, GroupedModelMultipleChoiceField
from partnerhub.registry.models import Organisation, OrganisationType

from .models import ForumSegment, Need, Offer, Pitch, ResourceType
from .services import ListingData, PitchData


class OrganisationChoice:
    """A form whose `organisation` field offers the given organisations (the only one preselected)."""

    fields: dict

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()


def _areas_field(help_text) -> GroupedModelMultipleChoiceField:
    return GroupedModelMultipleChoiceField(
        label=_("Countries and regions"), required=False, help_text=help_text,
        queryset=Area.objects.exclude(kind=Area.Kind.WORLD).select_related("region").order_by("kind", "name_en"),
        group_by=lambda a: str(a.get_kind_display()) if a.kind != Area.Kind.COUNTRY else str(a.region or _("Other")),
        widget=forms.SelectMultiple(attrs={"size": 6, "data-filterable": "1"}),
    )  # fmt: skip


class ListingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    resource_type = forms.ChoiceField(label=_("Resource"), choices=ResourceType.choices)
    expertise = forms.CharField(label=_("Expertise"), max_length=500, required=False,
                                help_text=_("Skills or knowledge, in a few words."))  # fmt: skip
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    goals = forms.ModelMultipleChoiceField(label=_("SDG goals"), queryset=Goal.objects.all(), required=False,
                                           widget=GoalCheckboxes)  # fmt: skip
    targets = GroupedModelMultipleChoiceField(
        label=_("SDG targets"), queryset=Target.objects.select_related("goal"), required=False,
        group_by=lambda t: str(t.goal), label_from=coded_label,
        widget=forms.SelectMultiple(attrs={"size": 6, "data-filterable": "1"}),
    )  # fmt: skip

    def to_data(self) -> ListingData:
        c = self.cleaned_data
        return ListingData(
            title=c["title"], resource_type=c["resource_type"], description=c["description"],
            expertise=c["expertise"], areas=list(c["areas"]), goals=list(c["goals"]), targets=list(c["targets"]),
            partner_types=list(c.get("partner_types") or []),
        )  # fmt: skip

    @classmethod
    def initial_from(cls, listing: Need | Offer) -> dict:
        initial = {
            name: getattr(listing, name) for name in ("title", "resource_type", "expertise", "description")
        }
        for name in ("goals", "targets", "areas"):
            initial[name] = list(getattr(listing, name).all())
        if isinstance(listing, Need):
            initial["partner_types"] = listing.partner_types
        return initial


class NeedForm(ListingForm):
    partner_types = forms.MultipleChoiceField(
        label=_("Partner types sought"), choices=OrganisationType.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: any type."),
    )  # fmt: skip
    areas = _areas_field(_("Empty: where the partnership works."))
    field_order = [
        "title",
        "resource_type",
        "partner_types",
        "expertise",
        "description",
        "goals",
        "targets",
        "areas",
    ]


class OfferForm(OrganisationChoice, ListingForm):
    organisation = forms.ModelChoiceField(label=_("Offered by"), queryset=Organisation.objects.none())
    areas = _areas_field(_("Empty: anywhere."))
    field_order = [
        "organisation",
        "title",
        "resource_type",
        "expertise",
        "description",
        "goals",
        "targets",
        "areas",
    ]


class PitchForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    ask = forms.CharField(label=_("The ask"), widget=forms.Textarea(attrs={"rows": 3}),
                          help_text=_("What you need from funders and investors."))  # fmt: skip
    dimensions = forms.MultipleChoiceField(
        label=_("Dimensions of scaling"), choices=Pitch.Dimension.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )  # fmt: skip
    evidence = forms.CharField(label=_("Evidence it works"), widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("Results so far: reports, indicator values, evaluations."))  # fmt: skip
    budget = forms.DecimalField(label=_("Budget"), max_digits=16, decimal_places=2, required=False)
    currency = forms.ModelChoiceField(label=_("Currency"), queryset=Currency.objects.all(), required=False,
                                      initial="USD")  # fmt: skip
    budget_notes = forms.CharField(label=_("What the budget pays for"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def to_data(self) -> PitchData:
        c = self.cleaned_data
        return PitchData(
            title=c["title"], ask=c["ask"], dimensions=list(c["dimensions"]), evidence=c["evidence"],
            budget=c["budget"], currency=c["currency"], budget_notes=c["budget_notes"],
        )  # fmt: skip

    @classmethod
    def initial_from(cls, pitch: Pitch) -> dict:
        return {name: getattr(pitch, name) for name in cls.base_fields}


class InterestForm(OrganisationChoice, forms.Form):
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=Organisation.objects.none())
    amount = forms.DecimalField(label=_("Indicative amount"), max_digits=16, decimal_places=2, required=False,
                                help_text=_("Optional, in the currency of the budget."))  # fmt: skip
    message = forms.CharField(label=_("Message to the partnership"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class SegmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ShortlistForm(forms.Form):
    segment = forms.ModelChoiceField(label=_("Forum segment"), queryset=ForumSegment.objects.all())
