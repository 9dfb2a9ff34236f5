"""Who may do what with reports. The same names are checked by views and API."""

import rules

from partnerhub.accounts.rules import approved_organisation_ids, is_secretariat
from partnerhub.registry.rules import is_contributor, is_focal_point

from .models import Report


@rules.predicate
def is_report_public(user, report) -> bool:
    return (
        report is not None
        and report.status == Report.Status.ACCEPTED
        and report.is_public
        and report.partnership.status == "published"
    )


@rules.predicate
def is_report_focal_point(user, report) -> bool:
    return report is not None and is_focal_point(user, report.partnership)


@rules.predicate
def is_report_contributor(user, report) -> bool:
    return report is not None and is_contributor(user, report.partnership)


@rules.predicate
def is_report_editable(user, report) -> bool:
    return report is not None and report.is_editable


@rules.predicate
def is_report_submitted(user, report) -> bool:
    return report is not None and report.status == Report.Status.SUBMITTED


@rules.predicate
def is_published_partnership(user, partnership) -> bool:
    return partnership is not None and partnership.status == "published"


def own_organisations(user, report) -> set[int] | None:
    """None when the user writes the whole report (focal point); else the organisations they write for."""
    if is_focal_point(user, report.partnership):
        return None
    return approved_organisation_ids(user) & set(
        report.partnership.partners.values_list("organisation_id", flat=True)
    )


rules.add_perm(
    "reporting.view_report", is_report_public | is_report_focal_point | is_report_contributor | is_secretariat
)
rules.add_perm("reporting.add_report", is_focal_point & is_published_partnership)
rules.add_perm(
    "reporting.change_report", (is_report_focal_point | is_report_contributor) & is_report_editable
)
rules.add_perm("reporting.delete_report", is_report_focal_point & is_report_editable)
rules.add_perm("reporting.submit_report", is_report_focal_point & is_report_editable)
rules.add_perm("reporting.review_report", is_secretariat & is_report_submitted)
rules.add_perm("reporting.manage_compliance", is_secretariat)
