"""Writes to the registry. Each public service is one transaction; inputs are validated first."""

from .organisations import OrganisationData, organisation_create, organisation_update
from .partnerships import (
    CommitmentData,
    DeliverableData,
    PartnerData,
    PartnershipData,
    commitment_delete,
    commitment_save,
    partnership_clean,
    partnership_create,
    partnership_data_of,
    partnership_delete,
    partnership_feature,
    partnership_publish,
    partnership_return,
    partnership_submit,
    partnership_unpublish,
    partnership_update,
)

__all__ = [
    "CommitmentData",
    "DeliverableData",
    "OrganisationData",
    "PartnerData",
    "PartnershipData",
    "commitment_delete",
    "commitment_save",
    "organisation_create",
    "organisation_update",
    "partnership_clean",
    "partnership_create",
    "partnership_data_of",
    "partnership_delete",
    "partnership_feature",
    "partnership_publish",
    "partnership_return",
    "partnership_submit",
    "partnership_unpublish",
    "partnership_update",
]
