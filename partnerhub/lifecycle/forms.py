"""Forms of the workspace: one ModelForm per record, its partner choices limited to the partnership."""

from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from partnerhub.registry.models import Partner, Partnership

from .models import Activity, Agreement, Component, Section, TaskState

PARTNER_FIELDS = ("owner", "partner", "lead_partner", "signatories", "leads", "attendees", "responsible")
DATE_FIELDS = ("date", "start", "end", "forecast_end", "signed_on", "decided_on")
TEXT_ROWS = {"notes": 3, "mitigation": 3, "description": 3, "minutes": 6, "decisions": 4, "findings": 6,
             "revisions": 4, "text": 5, "explanation": 4}  # fmt: skip


class PartnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partner) -> str:
        return str(obj.organisation)


class PartnerMultiChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Partner) -> str:
        return str(obj.organisation)


def record_form_class(model, fields: list[str]):
    widgets: dict[str, type[forms.Widget] | forms.Widget] = {
        name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in DATE_FIELDS
    }
    widgets.update({name: forms.Textarea(attrs={"rows": rows}) for name, rows in TEXT_ROWS.items()})
    for name in ("signatories", "leads", "attendees", "responsible", "depends_on"):
        widgets[name] = forms.CheckboxSelectMultiple
    if model is Agreement:
        widgets["covers"] = forms.CheckboxSelectMultiple
    form_fields = [f for f in fields if f != "covers"]
    base = forms.ModelForm
    if model is Agreement and "covers" in fields:
        base = AgreementFormBase
    return modelform_factory(model, form=base, fields=form_fields, widgets=widgets)


class AgreementFormBase(forms.ModelForm):
    covers = forms.MultipleChoiceField(
        label=_("What it covers"), choices=Agreement.Clause.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What a good partnering agreement covers, per the guidelines (task 3.4)."),
    )  # fmt: skip
    upload = forms.FileField(
        label=_("Document"), required=False,
        help_text=_("PDF, ODT or DOCX. Only partners of this partnership can download it."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.initial["covers"] = list(self.instance.covers)

    def save_values(self) -> None:
        self.instance.covers = list(self.cleaned_data.get("covers") or [])


def limit_choices(form: forms.ModelForm, partnership: Partnership) -> forms.ModelForm:
    """Partners, components and activities offered are those of this partnership."""
    partners = Partner.objects.filter(partnership=partnership).select_related("organisation")
    for name in PARTNER_FIELDS:
        if name in form.fields:
            old = form.fields[name]
            cls = PartnerMultiChoice if isinstance(old, forms.ModelMultipleChoiceField) else PartnerChoice
            form.fields[name] = cls(
                queryset=partners,
                required=old.required,
                label=old.label,
                help_text=old.help_text,
                widget=old.widget,
            )
            if cls is PartnerMultiChoice and form.instance.pk:
                form.initial.setdefault(name, list(getattr(form.instance, name).values_list("pk", flat=True)))
    if "component" in form.fields:
        form.fields["component"].queryset = Component.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
    if "depends_on" in form.fields:
        others = Activity.objects.filter(partnership=partnership)
        if form.instance.pk:
            others = others.exclude(pk=form.instance.pk)
        form.fields["depends_on"].queryset = others  # type: ignore[attr-defined]
    return form


class TaskStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=TaskState.State.choices)
    owner = PartnerChoice(label=_("Owner"), queryset=Partner.objects.none(), required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                           help_text=_("When it was done, or is due."))  # fmt: skip
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Partner.objects.filter(partnership=partnership).select_related(  # type: ignore[attr-defined]
            "organisation"
        )


class ObjectivesForm(forms.Form):
    objectives = forms.CharField(label=_("This partner's objectives"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip


class FramingForm(forms.Form):
    """Tasks 1.1, 2.2, 2.3: the partnership's own framing fields (saved through the registry service)."""

    challenge = forms.CharField(
        label=_("Challenge statement"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    objectives = forms.CharField(
        label=_("Shared objectives"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    baseline = forms.CharField(
        label=_("Baseline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The situation at the start, in words; add figures under Baseline."),
    )
    scope_in = forms.CharField(label=_("In scope"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    scope_out = forms.CharField(
        label=_("Out of scope"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # fmt: skip


class PublishForm(forms.Form):
    public_sections = forms.MultipleChoiceField(
        label=_("Sections the public can read"), choices=Section.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only once the partnership is published. Lessons have their own visibility."),
    )  # fmt: skip


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class PanelMemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    partner = PartnerChoice(label=_("Representing"), queryset=Partner.objects.none())

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(partnership=partnership).select_related(  # type: ignore[attr-defined]
            "organisation"
        )
