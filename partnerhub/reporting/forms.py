"""HTML forms of the progress report: the narrative, then one formset per kind of row."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnerhub.reference.models import Currency, Indicator, coded_label
from partnerhub.registry.forms import DateInput
from partnerhub.registry.models import Commitment, Deliverable, Organisation

from . import services
from .models import Report

PREFIXES = {"deliverables": "progress", "indicator_values": "ind", "beneficiaries": "ben", "resources": "res"}


class ReportForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())
    overall_status = forms.ChoiceField(label=_("Overall status"), choices=Report.Overall.choices)
    summary = forms.CharField(label=_("Progress in the period"), widget=forms.Textarea(attrs={"rows": 5}))
    challenges = forms.CharField(
        label=_("Challenges"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lessons = forms.CharField(
        label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label=_("Public once accepted"), required=False, initial=True,
        help_text=Report._meta.get_field("is_public").help_text,
    )  # fmt: skip


class ProgressForm(forms.Form):
    deliverable = forms.ModelChoiceField(queryset=Deliverable.objects.none(), widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Deliverable.Status.choices)
    percent = forms.IntegerField(label=_("% complete"), required=False, min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown as a table row without <label>s: each input is named by its column and its row's deliverable
        # (report_form.html gives those header cells these ids).
        for name in ("status", "percent", "note"):
            self.fields[name].widget.attrs["aria-labelledby"] = f"progress-{name} {self.prefix}-deliverable"


class _FigureForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Reported by"), queryset=Organisation.objects.none())


class IndicatorValueForm(_FigureForm):
    indicator = forms.ModelChoiceField(
        label=_("SDG indicator"), queryset=Indicator.objects.all(), required=False,
        widget=forms.Select(attrs={"data-filterable": "1"}),
    )  # fmt: skip
    label = forms.CharField(label=_("Own indicator"), required=False, max_length=255)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=40)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, max_digits=18, decimal_places=4)
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=18, decimal_places=4)
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=4)
    date = forms.DateField(label=_("Measured on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].label_from_instance = lambda i: coded_label(i, 70)  # type: ignore[attr-defined]


class BeneficiaryForm(_FigureForm):
    group = forms.CharField(label=_("Who"), max_length=255)
    total = forms.IntegerField(label=_("People reached"), min_value=0)
    women = forms.IntegerField(label=_("Women and girls"), required=False, min_value=0)
    men = forms.IntegerField(label=_("Men and boys"), required=False, min_value=0)
    children = forms.IntegerField(label=_("Under 15"), required=False, min_value=0)
    youth = forms.IntegerField(label=_("15–24"), required=False, min_value=0)
    adults = forms.IntegerField(label=_("25–64"), required=False, min_value=0)
    older = forms.IntegerField(label=_("65 and over"), required=False, min_value=0)
    with_disability = forms.IntegerField(label=_("With a disability"), required=False, min_value=0)


class ResourceForm(_FigureForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Commitment.Kind.choices)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    currency = forms.ModelChoiceField(label=_("Currency"), queryset=Currency.objects.all(), required=False,
                                      to_field_name="code")  # fmt: skip
    description = forms.CharField(label=_("Description"), required=False, max_length=500)


def _formset(form, extra: int):
    return forms.formset_factory(form, extra=extra, can_delete=True)


FORMSETS = {
    "indicator_values": (_formset(IndicatorValueForm, 1), services.IndicatorValueData),
    "beneficiaries": (_formset(BeneficiaryForm, 1), services.BeneficiaryData),
    "resources": (_formset(ResourceForm, 1), services.ResourceData),
}
ProgressFormSet = forms.formset_factory(ProgressForm, extra=0)


class ReportEditor:
    """The report form and its formsets. `organisations` are those the author may report figures for;
    `narrative` is False for a contributor, who adds their organisation's figures only."""

    def __init__(self, data=None, files=None, *, partnership, report=None, organisations, narrative: bool):
        self.narrative = narrative
        self.report = report
        initial: dict = {}
        if report is not None:
            initial = {name: getattr(report, name) for name in services.SCALARS}
        self.form = ReportForm(data, initial=initial) if narrative else None
        deliverables = list(partnership.deliverables.all())
        progress_initial = []
        reported = {p.deliverable_id: p for p in report.deliverables.all()} if report else {}
        for d in deliverables:
            row = reported.get(d.pk)
            progress_initial.append(
                {"deliverable": d, "status": row.status if row else d.status, "percent": row.percent if row else None,
                 "note": row.note if row else ""}
            )  # fmt: skip
        self.progress = (
            ProgressFormSet(data, initial=progress_initial, prefix=PREFIXES["deliverables"])
            if narrative
            else None
        )
        for form in self.progress or []:
            form.fields["deliverable"].queryset = partnership.deliverables.all()  # type: ignore[attr-defined]
        org_queryset = Organisation.objects.filter(pk__in=organisations)
        self.figures = {}
        for name, (formset_class, _data) in FORMSETS.items():
            rows = []
            if report is not None:
                rows = [
                    {f: getattr(row, f) for f in formset_class.form.base_fields if f != "DELETE"}
                    for row in getattr(report, name).filter(organisation__in=organisations)
                ]
            formset = formset_class(data, initial=rows, prefix=PREFIXES[name])
            for form in formset:
                form.fields["organisation"].queryset = org_queryset
                if len(organisations) == 1:
                    form.fields["organisation"].initial = next(iter(organisations))
            self.figures[name] = formset

    def all_forms(self):
        return [f for f in (self.form, self.progress, *self.figures.values()) if f is not None]

    def is_valid(self) -> bool:
        return all([f.is_valid() for f in self.all_forms()])

    def to_data(self) -> services.ReportData:
        if self.form is not None:
            values = self.form.cleaned_data
            data = services.ReportData(**{name: values.get(name) for name in services.SCALARS})  # type: ignore[arg-type]
            data.summary = data.summary or ""
            data.challenges = data.challenges or ""
            data.lessons = data.lessons or ""
            data.deliverables = [
                services.ProgressData(
                    deliverable=f.cleaned_data["deliverable"], status=f.cleaned_data["status"],
                    percent=f.cleaned_data.get("percent"), note=f.cleaned_data.get("note") or "",
                )
                for f in self.progress or []
                if f.cleaned_data.get("deliverable")
            ]  # fmt: skip
        else:
            assert self.report is not None
            data = services.report_data_of(self.report)
        for name, formset in self.figures.items():
            cls = FORMSETS[name][1]
            rows = []
            for form in formset:
                values = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
                if (
                    not values
                    or form.cleaned_data.get("DELETE")
                    or (not form.has_changed() and not form.initial)
                ):
                    continue
                rows.append(cls(**{k: ("" if v is None and k in ("label", "unit", "description") else v)
                                   for k, v in values.items()}))  # fmt: skip
            setattr(data, name, rows)
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """Put each "beneficiaries.1.women" message on its form and field; others on the main form."""
        for key, messages in error.message_dict.items():
            parts = key.split(".")
            target, field = None, None
            if parts[0] in self.figures and len(parts) == 3:
                forms_ = list(self.figures[parts[0]])
                index = int(parts[1])
                target, field = (forms_[index] if index < len(forms_) else None), parts[2]
            elif parts[0] == "deliverables" and len(parts) == 3 and self.progress is not None:
                target, field = list(self.progress)[int(parts[1])], parts[2]
            elif self.form is not None and parts[0] in self.form.fields:
                target, field = self.form, parts[0]
            for message in messages:
                if target is not None and field in target.fields:
                    target.add_error(field, message)
                elif self.form is not None:
                    self.form.add_error(None, message)
                else:
                    first = next(iter(self.figures.values()))
                    first.non_form_errors().append(message)
