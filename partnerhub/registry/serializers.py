"""API representations. Reads are nested; writes are turned into service inputs (no logic here)."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer, inline_serializer
from rest_framework import serializers

from partnerhub.core.api import CodeRelatedField
from partnerhub.reference.models import Area, Currency, Goal, Indicator, Target

from .models import Commitment, Deliverable, Organisation, Partner, PartnerRole, Partnership
from .services import (
    CommitmentData,
    DeliverableData,
    OrganisationData,
    PartnerData,
    PartnershipData,
    partnership_data_of,
)


class OrganisationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "acronym", "type"]


class OrganisationSerializer(serializers.ModelSerializer):
    country = CodeRelatedField(
        slug_field="iso3",
        queryset=Area.objects.filter(kind=Area.Kind.COUNTRY),
        allow_null=True,
        required=False,
        help_text="ISO 3166 alpha-3 code",
    )
    iati_type = serializers.CharField(read_only=True)
    version = serializers.IntegerField(
        required=False, help_text="The version you read; refused with 409 if stale"
    )

    class Meta:
        model = Organisation
        fields = [
            "id", "name", "acronym", "type", "iati_type", "country", "website", "description",
            "global_compact_participant", "due_diligence_status", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["due_diligence_status", "created_at", "updated_at"]
        # Uniqueness is checked by the service, with a clearer message.
        validators: list = []

    def to_data(self) -> OrganisationData:
        v = self.validated_data
        instance = self.instance
        get = lambda k, d="": v.get(k, getattr(instance, k) if instance else d)  # noqa: E731
        return OrganisationData(
            name=get("name"),
            type=get("type"),
            acronym=get("acronym"),
            country=v.get("country", instance.country if instance else None),
            website=get("website"),
            description=get("description"),
            global_compact_participant=v.get(
                "global_compact_participant", instance.global_compact_participant if instance else False
            ),
        )


class PartnerSerializer(serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True)

    class Meta:
        model = Partner
        fields = ["id", "organisation", "role", "objectives"]


class CommitmentSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="partner.organisation_id", read_only=True)
    currency: "serializers.SlugRelatedField[Currency]" = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,  # in-kind commitments have none
    )

    class Meta:
        model = Commitment
        fields = ["id", "partnership", "organisation", "kind", "in_kind_type", "amount", "currency", "description",
                  "status"]  # fmt: skip


class DeliverableSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deliverable
        fields = ["id", "title", "due_date", "status", "evidence"]


class PartnershipSerializer(serializers.ModelSerializer):
    goals: "serializers.PrimaryKeyRelatedField[Goal]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    targets: "serializers.PrimaryKeyRelatedField[Target]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    indicators: "serializers.PrimaryKeyRelatedField[Indicator]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    areas: "serializers.PrimaryKeyRelatedField[Area]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    partners = PartnerSerializer(many=True, read_only=True)
    commitments = CommitmentSerializer(many=True, read_only=True)
    deliverables = DeliverableSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:partnership-detail")
    compliance = serializers.SerializerMethodField(help_text="Reporting status (null until published)")
    smart = serializers.SerializerMethodField(help_text="The SMART check, with a reason per letter")

    # A plain nullable object: openapi-core cannot validate `allOf` + `nullable` (OpenAPI 3.0).
    @extend_schema_field({"type": "object", "nullable": True, "description": "status, label, due_date, "
                          "cycle_months, delisted_reason (null until published)"})  # fmt: skip
    def get_compliance(self, partnership: Partnership) -> dict | None:
        from partnerhub.reporting.compliance import cycle_months
        from partnerhub.reporting.models import ComplianceStatus
        from partnerhub.reporting.selectors import compliance_of, current_standing

        if partnership.status != Partnership.Status.PUBLISHED:
            return None
        row = compliance_of(partnership) or current_standing(partnership)
        return {
            "status": row.status, "label": ComplianceStatus(row.status).label, "due_date": row.due_date,
            "cycle_months": cycle_months(partnership.category, getattr(row, "cycle_months", None)),
            "delisted_reason": getattr(row, "delisted_reason", ""),
        }  # fmt: skip

    @extend_schema_field(
        inline_serializer("Smart", {
            "passed": serializers.BooleanField(), "score": serializers.IntegerField(),
            "criteria": serializers.ListField(child=serializers.DictField()),
        })
    )  # fmt: skip
    def get_smart(self, partnership: Partnership) -> dict:
        from partnerhub.diligence.smart import facts_of, smart_check

        return smart_check(facts_of(partnership)).as_dict()

    class Meta:
        model = Partnership
        fields = [
            "id", "url", "title", "summary", "challenge", "objectives", "baseline", "scope_in", "scope_out",
            "goals", "primary_goal", "targets", "indicators", "geographic_level", "areas", "category",
            "start_date", "end_date", "language", "stage", "status", "website", "featured", "published_at",
            "created_at", "updated_at", "version", "partners", "commitments", "deliverables", "compliance", "smart",
        ]  # fmt: skip
        read_only_fields = fields


class StoredCardSerializer(serializers.ModelSerializer):
    """A partnership in search results. Stored with its search document when it is indexed (so a result
    page is one read); the API adds `url`. Commitments, deliverables and texts beyond the summary are at
    the partnership's own URL."""

    goals: "serializers.PrimaryKeyRelatedField[Goal]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    targets: "serializers.PrimaryKeyRelatedField[Target]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    areas = serializers.SerializerMethodField(
        help_text="M49 codes of the countries and regions, in code order"
    )
    partners = PartnerSerializer(many=True, read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_areas(self, partnership: Partnership) -> list[str]:
        return sorted(area.pk for area in partnership.areas.all())  # the same on every database collation

    class Meta:
        model = Partnership
        fields = [
            "id", "title", "summary", "language", "primary_goal", "goals", "targets", "areas", "geographic_level",
            "category", "stage", "start_date", "end_date", "published_at", "partners",
        ]  # fmt: skip
        read_only_fields = fields


class PartnershipCardSerializer(StoredCardSerializer):
    url = serializers.URLField(help_text="The partnership, with commitments and deliverables")
    compliance = serializers.ChoiceField(
        choices=["reported", "due_soon", "overdue", "seriously_overdue", "inactive", "delisted"],
        allow_null=True,
        help_text="Reporting status (traffic light)",
    )
    smart = serializers.BooleanField(help_text="Meets all five SMART criteria")

    class Meta(StoredCardSerializer.Meta):
        fields = [*StoredCardSerializer.Meta.fields, "url", "compliance", "smart"]
        read_only_fields = fields


class PartnerWriteSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    role = serializers.ChoiceField(choices=PartnerRole.choices)
    objectives = serializers.CharField(required=False, allow_blank=True, default="")


class CommitmentWriteSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="Existing commitment to update; omit to add one")
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    kind = serializers.ChoiceField(choices=Commitment.Kind.choices)
    in_kind_type = serializers.ChoiceField(
        choices=Commitment.InKindType.choices, required=False, allow_blank=True
    )
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True,
                                      min_value=0)  # fmt: skip
    currency = CodeRelatedField(
        slug_field="code", queryset=Currency.objects.all(), required=False, allow_null=True
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    status = serializers.ChoiceField(choices=Commitment.Status.choices, default=Commitment.Status.PLEDGED)

    def to_data(self, values: dict) -> CommitmentData:
        return CommitmentData(
            organisation=values["organisation"],
            kind=values["kind"],
            in_kind_type=values.get("in_kind_type", ""),
            amount=values.get("amount"),
            currency=values.get("currency"),
            description=values.get("description", ""),
            status=values.get("status", Commitment.Status.PLEDGED),
            id=values.get("id"),
        )


class DeliverableWriteSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="Existing deliverable to update; omit to add one")
    title = serializers.CharField(max_length=255)
    due_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Deliverable.Status.choices, default=Deliverable.Status.PLANNED)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class PartnershipWriteSerializer(serializers.Serializer):
    """What a client sends to create or change a partnership. Nested lists replace the current set."""

    title = serializers.CharField(max_length=255)
    summary = serializers.CharField()
    challenge = serializers.CharField(required=False, allow_blank=True)
    objectives = serializers.CharField(required=False, allow_blank=True)
    baseline = serializers.CharField(required=False, allow_blank=True)
    scope_in = serializers.CharField(required=False, allow_blank=True)
    scope_out = serializers.CharField(required=False, allow_blank=True)
    goals = serializers.PrimaryKeyRelatedField(many=True, queryset=Goal.objects.all(), required=False)
    primary_goal = serializers.PrimaryKeyRelatedField(
        queryset=Goal.objects.all(), required=False, allow_null=True
    )
    targets = serializers.PrimaryKeyRelatedField(many=True, queryset=Target.objects.all(), required=False)
    indicators = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Indicator.objects.all(), required=False
    )
    geographic_level = serializers.ChoiceField(choices=Partnership.GeographicLevel.choices)
    areas = serializers.PrimaryKeyRelatedField(many=True, queryset=Area.objects.all(), required=False,
                                               help_text="UN M49 codes")  # fmt: skip
    category = serializers.ChoiceField(choices=Partnership.Category.choices, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=Partnership.Language.choices, required=False)
    website = serializers.URLField(required=False, allow_blank=True)
    partners = PartnerWriteSerializer(many=True, required=False)
    commitments = CommitmentWriteSerializer(many=True, required=False)
    deliverables = DeliverableWriteSerializer(many=True, required=False)
    version = serializers.IntegerField(
        required=False, help_text="The version you read; refused with 409 if stale"
    )

    SCALARS = ["title", "summary", "challenge", "objectives", "baseline", "scope_in", "scope_out", "primary_goal", "geographic_level", "category", "start_date", "end_date", "language", "website"]  # fmt: skip
    MANY = ("goals", "targets", "indicators", "areas")

    def to_data(self, instance: Partnership | None) -> PartnershipData:
        """Merge what was sent over the current values (PATCH sends only some fields)."""
        v = self.validated_data
        if instance is not None:
            data = partnership_data_of(instance)
        else:
            data = PartnershipData(title="", summary="", geographic_level="")
        for name in self.SCALARS:
            if name in v:
                setattr(data, name, v[name])
        for name in self.MANY:
            if name in v:
                setattr(data, name, list(v[name]))
        if "partners" in v:
            data.partners = [PartnerData(**p) for p in v["partners"]]
        if "commitments" in v:
            data.commitments = [CommitmentWriteSerializer().to_data(c) for c in v["commitments"]]
        if "deliverables" in v:
            data.deliverables = [DeliverableData(**d) for d in v["deliverables"]]
        return data


class WorkflowActionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class FeatureSerializer(serializers.Serializer):
    featured = serializers.BooleanField()


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    what = serializers.CharField()
    action = serializers.CharField()
    changes = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class CommitmentItemWriteSerializer(CommitmentWriteSerializer):
    partnership = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.all())


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, popped by the metaclass
    count = serializers.IntegerField()


@extend_schema_serializer(many=False)  # the search page is one object, not a list to paginate again
class PartnershipSearchSerializer(serializers.Serializer):
    """A page of search results with facet counts for the whole result set."""

    count = serializers.IntegerField(
        help_text="Number of published partnerships matching the query and filters"
    )
    next = serializers.URLField(
        allow_null=True, help_text="The next page (keyset cursor); null on the last page"
    )
    previous = serializers.URLField(allow_null=True, help_text="Always null: follow `next` links forward")
    results = PartnershipCardSerializer(many=True)
    facets = serializers.DictField(
        child=FacetValueSerializer(many=True),
        help_text="goal, target, country, region, subregion, group, orgtype, category, stage → values with counts",
    )
