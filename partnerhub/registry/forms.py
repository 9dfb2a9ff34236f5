"""HTML forms. They parse and check input shapes; the services decide what is valid in the domain."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from partnerhub.reference.models import Area, Currency, Goal, Indicator, Target, coded_label

from .models import Commitment, Deliverable, Organisation, OrganisationType, PartnerRole, Partnership
from .services import CommitmentData, DeliverableData, OrganisationData, PartnerData, PartnershipData


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class GoalCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "registry/widgets/goal_checkboxes.html"


class _GroupedIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        groups: dict[str, list] = {}
        for obj in self.queryset:
            groups.setdefault(self.field.group_by(obj), []).append(self.choice(obj))  # type: ignore[attr-defined]
        yield from groups.items()


class GroupedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multi-select whose options are grouped (by goal, or by region), evaluated lazily."""

    iterator = _GroupedIterator

    def __init__(self, *args, group_by, label_from=str, **kwargs):
        self.group_by = group_by
        self.label_from = label_from
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        return self.label_from(obj)


class PartnershipForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=Partnership._meta.get_field("summary").help_text)  # fmt: skip
    challenge = forms.CharField(label=_("Challenge statement"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("The sustainable development problem the partnership addresses."))  # fmt: skip
    objectives = forms.CharField(
        label=_("Shared objectives"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    baseline = forms.CharField(label=_("Baseline"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=Partnership._meta.get_field("baseline").help_text)  # fmt: skip
    scope_in = forms.CharField(label=_("In scope"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    scope_out = forms.CharField(
        label=_("Out of scope"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    goals = forms.ModelMultipleChoiceField(label=_("SDG goals"), queryset=Goal.objects.all(), required=False,
                                           widget=GoalCheckboxes)  # fmt: skip
    primary_goal = forms.ModelChoiceField(label=_("Primary goal"), queryset=Goal.objects.all(), required=False,
                                          help_text=_("The goal the partnership contributes to most."))  # fmt: skip
    targets = GroupedModelMultipleChoiceField(
        label=_("SDG targets"), queryset=Target.objects.select_related("goal"), required=False,
        group_by=lambda t: str(t.goal),
        label_from=coded_label, help_text=_("Choosing a target also selects its goal."),
        widget=forms.SelectMultiple(attrs={"size": 8, "data-filterable": "1"}),
    )  # fmt: skip
    indicators = GroupedModelMultipleChoiceField(
        label=_("SDG indicators"), queryset=Indicator.objects.select_related("target__goal"), required=False,
        group_by=lambda i: str(i.target.goal),
        label_from=coded_label, widget=forms.SelectMultiple(attrs={"size": 6, "data-filterable": "1"}),
    )  # fmt: skip
    geographic_level = forms.ChoiceField(
        label=_("Geographic level"), choices=Partnership.GeographicLevel.choices
    )
    areas = GroupedModelMultipleChoiceField(
        label=_("Countries and regions"), required=False,
        queryset=Area.objects.exclude(kind=Area.Kind.WORLD).select_related("region").order_by("kind", "name_en"),
        group_by=lambda a: str(a.get_kind_display()) if a.kind != Area.Kind.COUNTRY else str(a.region or _("Other")),
        widget=forms.SelectMultiple(attrs={"size": 8, "data-filterable": "1"}),
    )  # fmt: skip
    category = forms.ChoiceField(label=_("Category"), choices=Partnership.Category.choices)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    language = forms.ChoiceField(label=_("Language of the entry"), choices=Partnership.Language.choices)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    sections = [
        (
            _("About the partnership"),
            ["title", "summary", "challenge", "objectives", "baseline", "scope_in", "scope_out"],
        ),
        (_("Sustainable Development Goals"), ["goals", "primary_goal", "targets", "indicators"]),
        (_("Where"), ["geographic_level", "areas"]),
        (_("When and how"), ["category", "start_date", "end_date", "language", "website"]),
    ]

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return cleaned

    @classmethod
    def initial_from(cls, partnership: Partnership) -> dict:
        initial = {name: getattr(partnership, name) for name in cls.base_fields if hasattr(partnership, name)}
        for name in ("goals", "targets", "indicators", "areas"):
            initial[name] = list(getattr(partnership, name).all())
        initial["version"] = partnership.version
        return initial


def organisation_label(organisation: Organisation) -> str:
    """How an organisation is written in an organisation field: its name, acronym and id ("#12"), so
    that two organisations of the same name stay apart."""
    return f"{organisation} #{organisation.pk}"


class OrganisationField(forms.ModelChoiceField):
    """An organisation, typed: a text box whose suggestions (a datalist the page fills as one types, see
    app.js) are registered organisations. A select listing every organisation made the register form
    3.6 MB at 200,000 partnerships (61,000 options). Accepts what a suggestion writes ("Name (ACR) #12"),
    an exact name or acronym (any case), or an id; without JavaScript one types the name."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(queryset=Organisation.objects.all(), **kwargs)
        self.widget.attrs.update(
            {
                "list": "organisation-options",
                "autocomplete": "off",
                "data-organisation-lookup": reverse_lazy("registry:organisation_options"),
            }
        )

    def prepare_value(self, value):
        return organisation_label(value) if isinstance(value, Organisation) else value

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        found = re.fullmatch(r"(?:.*?\s)?#(\d+)|(\d+)", text)
        if found:
            organisation = Organisation.objects.filter(pk=int(found.group(1) or found.group(2))).first()
            if organisation:
                return organisation
        named = list(Organisation.objects.filter(name__iexact=text)[:6]) or list(
            Organisation.objects.filter(acronym__iexact=text)[:6]
        )
        if len(named) == 1:
            return named[0]
        if named:
            raise ValidationError(
                _("Several organisations are called “%(text)s”: choose one of %(choices)s."),
                code="ambiguous",
                params={"text": text, "choices": "; ".join(organisation_label(o) for o in named[:5])},
            )
        raise ValidationError(
            _(
                "No registered organisation is called “%(text)s”. Choose one from the suggestions, or register it first."
            ),
            code="invalid_choice",
            params={"text": text},
        )


class PartnerForm(forms.Form):
    organisation = OrganisationField(label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *PartnerRole.choices])
    objectives = forms.CharField(label=_("This partner's objectives"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class CommitmentForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    organisation = OrganisationField(label=_("Partner"))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Commitment.Kind.choices])
    in_kind_type = forms.ChoiceField(label=_("In-kind type"), required=False,
                                     choices=[("", "—"), *Commitment.InKindType.choices])  # fmt: skip
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    currency = forms.ModelChoiceField(label=_("Currency"), queryset=Currency.objects.all(), required=False,
                                      to_field_name="code")  # fmt: skip
    description = forms.CharField(label=_("Description"), required=False, max_length=500)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *Commitment.Status.choices], required=False,
                               help_text=_("Pledged unless you say otherwise."))  # fmt: skip

    def clean(self):
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == Commitment.Kind.FINANCIAL and cleaned.get("amount") is None:
            self.add_error("amount", _("A financial commitment needs an amount."))
        if cleaned.get("amount") is not None and cleaned.get("currency") is None:
            self.add_error("currency", _("Give the currency of the amount."))
        if kind == Commitment.Kind.IN_KIND and not cleaned.get("in_kind_type"):
            self.add_error("in_kind_type", _("Say what kind of in-kind contribution this is."))
        return cleaned

    def to_data(self) -> CommitmentData:
        c = self.cleaned_data
        return CommitmentData(
            organisation=c["organisation"], kind=c["kind"], in_kind_type=c.get("in_kind_type") or "",
            amount=c.get("amount"), currency=c.get("currency"), description=c.get("description", ""),
            status=c.get("status") or Commitment.Status.PLEDGED, id=c.get("id"),
        )  # fmt: skip


class DeliverableForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Deliverable or milestone"), max_length=255)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Deliverable.Status.choices], required=False
    )
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=500)


PartnerFormSet = forms.formset_factory(PartnerForm, extra=2, can_delete=True)
CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=2, can_delete=True)
DeliverableFormSet = forms.formset_factory(DeliverableForm, extra=2, can_delete=True)


def _kept(formset) -> list:
    """Forms to save: existing rows and filled-in new rows, minus those ticked for deletion."""
    initial = formset.initial_form_count()
    return [
        f
        for i, f in enumerate(formset.forms)
        if (i < initial or f.has_changed()) and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class PartnershipEditor:
    """The whole multi-section register/edit form: the main form and its three formsets."""

    def __init__(self, data=None, *, partnership: Partnership | None = None):
        bound = data is not None
        initial = (
            PartnershipForm.initial_from(partnership)
            if partnership
            else {"language": "en", "category": "other"}
        )
        self.form = PartnershipForm(data, initial=None if bound else initial)
        partners = commitments = deliverables = None
        if partnership and not bound:
            partners = [{"organisation": p.organisation, "role": p.role, "objectives": p.objectives}
                        for p in partnership.partners.all()]  # fmt: skip
            commitments = [
                {"id": c.pk, "organisation": c.partner.organisation, "kind": c.kind, "in_kind_type": c.in_kind_type,
                 "amount": c.amount, "currency": c.currency, "description": c.description, "status": c.status}
                for c in partnership.commitments.all()
            ]  # fmt: skip
            deliverables = [
                {
                    "id": d.pk,
                    "title": d.title,
                    "due_date": d.due_date,
                    "status": d.status,
                    "evidence": d.evidence,
                }
                for d in partnership.deliverables.all()
            ]
        self.partners = PartnerFormSet(data, initial=partners, prefix="partners")
        self.commitments = CommitmentFormSet(data, initial=commitments, prefix="commitments")
        self.deliverables = DeliverableFormSet(data, initial=deliverables, prefix="deliverables")

    @property
    def formsets(self):
        return [self.partners, self.commitments, self.deliverables]

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), *[fs.is_valid() for fs in self.formsets]])

    def to_data(self) -> PartnershipData:
        c = self.form.cleaned_data
        return PartnershipData(
            title=c["title"], summary=c["summary"], challenge=c["challenge"], objectives=c["objectives"],
            baseline=c["baseline"], scope_in=c["scope_in"], scope_out=c["scope_out"], goals=list(c["goals"]),
            primary_goal=c["primary_goal"], targets=list(c["targets"]), indicators=list(c["indicators"]),
            geographic_level=c["geographic_level"], areas=list(c["areas"]), category=c["category"],
            start_date=c["start_date"], end_date=c["end_date"], language=c["language"],
            website=c["website"],
            partners=[PartnerData(organisation=f.cleaned_data["organisation"], role=f.cleaned_data["role"],
                                  objectives=f.cleaned_data["objectives"]) for f in _kept(self.partners)],
            commitments=[f.to_data() for f in _kept(self.commitments)],
            deliverables=[
                DeliverableData(title=f.cleaned_data["title"], due_date=f.cleaned_data["due_date"],
                                status=f.cleaned_data["status"] or Deliverable.Status.PLANNED, evidence=f.cleaned_data["evidence"],
                                id=f.cleaned_data.get("id"))
                for f in _kept(self.deliverables)
            ],
        )  # fmt: skip

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's messages next to the field or section they concern."""
        targets: dict[str, forms.BaseFormSet] = {
            "partners": self.partners,
            "commitments": self.commitments,
            "deliverables": self.deliverables,
        }
        for key, messages in error.message_dict.items():
            if key in targets:
                targets[key].non_form_errors().extend(messages)
            elif key in self.form.fields:
                for message in messages:
                    self.form.add_error(key, message)
            else:
                for message in messages:
                    self.form.add_error(None, message)


class WorkflowCommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=OrganisationType.choices)
    country = forms.ModelChoiceField(label=_("Country"), required=False,
                                     queryset=Area.objects.filter(kind=Area.Kind.COUNTRY).order_by("name_en"),
                                     help_text=Organisation._meta.get_field("country").help_text)  # fmt: skip
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    global_compact_participant = forms.BooleanField(label=_("UN Global Compact participant"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def to_data(self) -> OrganisationData:
        c = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return OrganisationData(**c)

    def add_service_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)


class JoinRequestForm(forms.Form):
    message = forms.CharField(label=_("Message to the administrator"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
