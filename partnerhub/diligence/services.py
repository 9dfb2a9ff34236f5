"""Due diligence: importing the sanctions list, screening, the secretariat's decisions, flags, and the
checks a partnership must pass before it is published.

The status of an organisation follows from the evidence (`_refresh_status`):
excluded     a listed match was confirmed by the secretariat;
flagged      a possible match awaits a decision, or a red flag is open;
cleared      screened, with no open possible match and no open red flag (yellow flags are shown);
not screened never screened (no list imported yet).
"""

from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerhub.core.bulk import in_spans
from partnerhub.core.services import save_by
from partnerhub.registry.models import DueDiligenceStatus, Organisation, OrganisationType, Partnership

from .matching import Candidate, Matcher
from .models import Flag, KeyPerson, SanctionsEntry, SanctionsList, ScreeningMatch
from .sanctions import parse_list

BUSINESS = (OrganisationType.PRIVATE_LARGE, OrganisationType.PRIVATE_MSME, OrganisationType.FINANCIAL)
_matcher: tuple[tuple, Matcher] | None = None


def current_matcher() -> Matcher | None:
    """The name index of the entries currently listed, rebuilt when a new list is imported."""
    global _matcher
    latest = SanctionsList.objects.order_by("-pk").values_list("pk", flat=True).first()
    if latest is None:
        return None
    key = (latest, SanctionsEntry.objects.filter(removed_on__isnull=True).count())
    if _matcher is None or _matcher[0] != key:
        rows = SanctionsEntry.objects.filter(removed_on__isnull=True).values_list("pk", "names")
        _matcher = (key, Matcher([Candidate(pk, name) for pk, names in rows for name in names]))
    return _matcher[1]


@transaction.atomic
def sanctions_import(source: IO[bytes], *, name: str, author: User | None = None) -> SanctionsList:
    """Load an edition of the Consolidated List: entries are kept by reference number (updated in place),
    entries no longer in the list are marked removed; then every organisation is screened again (a
    background task). The file is checked whole first: with any error nothing is written."""
    parsed = parse_list(source)
    edition = SanctionsList.objects.create(
        generated_at=parsed.generated_at,
        imported_by=author,
        source=Path(name).name[:255],
        individuals=sum(r.kind == "individual" for r in parsed.records),
        entities=sum(r.kind == "entity" for r in parsed.records),
    )
    existing = {e.reference_number: e for e in SanctionsEntry.objects.all()}
    new: list[SanctionsEntry] = []
    changed: list[SanctionsEntry] = []
    for r in parsed.records:
        entry = existing.pop(r.reference_number, None) or SanctionsEntry(reference_number=r.reference_number)
        entry.data_id, entry.kind, entry.name, entry.names = r.data_id, r.kind, r.name, r.names
        entry.original_script, entry.un_list_type, entry.listed_on = (
            r.original_script,
            r.un_list_type,
            r.listed_on,
        )
        entry.last_updated, entry.details, entry.sanctions_list, entry.removed_on = (
            r.last_updated, r.details, edition, None,
        )  # fmt: skip
        (changed if entry.pk else new).append(entry)
    fields = ["data_id", "kind", "name", "names", "original_script", "un_list_type", "listed_on", "last_updated",
              "details", "sanctions_list", "removed_on"]  # fmt: skip
    SanctionsEntry.objects.bulk_create(new, batch_size=500)
    SanctionsEntry.objects.bulk_update(changed, fields, batch_size=500)
    today = timezone.localdate()
    SanctionsEntry.objects.filter(pk__in=[e.pk for e in existing.values()], removed_on__isnull=True).update(
        removed_on=today
    )
    from .tasks import screen_all

    transaction.on_commit(lambda: screen_all.enqueue())
    return edition


def _names_of(organisation: Organisation) -> list[tuple[KeyPerson | None, str]]:
    names: list[tuple[KeyPerson | None, str]] = [(None, organisation.name)]
    if len(organisation.acronym) >= 5:  # shorter acronyms match too much to mean anything
        names.append((None, organisation.acronym))
    names += [(person, person.name) for person in organisation.key_people.all()]
    return names


@transaction.atomic
def screen(organisation: Organisation, *, matcher: Matcher | None = None) -> list[ScreeningMatch]:
    """Screen an organisation and its key people; record new possible matches (a match once dismissed is
    not raised again) and refresh its status. Returns the new possible matches."""
    matcher = matcher or current_matcher()
    if matcher is None:
        return []
    found = []
    for person, name in _names_of(organisation):
        for hit in matcher.match(name):
            match, created = ScreeningMatch.objects.get_or_create(
                organisation=organisation,
                key_person=person,
                entry_id=hit.entry_id,
                defaults={"screened_name": name, "listed_name": hit.listed_name, "score": hit.score},
            )
            if created:
                found.append(match)
    _refresh_status(organisation, screened=True)
    return found


def screen_everyone(
    progress: Callable[[int], None] | None = None, *, spans: list[list[int]] | None = None
) -> int:
    """Screen every organisation (or those with ids in these spans, `[[first, last], …]`) against the
    current list. Returns possible matches."""
    matcher = current_matcher()
    if matcher is None:
        return 0
    found = 0
    organisations = Organisation.objects.prefetch_related("key_people").order_by("pk")
    if spans is not None:
        organisations = organisations.filter(in_spans(spans))
    for n, organisation in enumerate(organisations.iterator(chunk_size=500), start=1):
        found += len(screen(organisation, matcher=matcher))
        if progress:
            progress(n)
    return found


def _refresh_status(organisation: Organisation, *, screened: bool = False, actor: User | None = None) -> None:
    matches = organisation.screening_matches
    if matches.filter(status=ScreeningMatch.Status.CONFIRMED).exists():
        status = DueDiligenceStatus.EXCLUDED
    elif (
        matches.filter(status=ScreeningMatch.Status.POSSIBLE).exists()
        or organisation.flags.filter(level=Flag.Level.RED, resolved_at__isnull=True).exists()
    ):
        status = DueDiligenceStatus.FLAGGED
    elif screened or organisation.due_diligence_status != DueDiligenceStatus.NOT_SCREENED:
        status = DueDiligenceStatus.CLEARED
    else:
        status = DueDiligenceStatus.NOT_SCREENED
    if status != organisation.due_diligence_status:
        organisation.due_diligence_status = status
        organisation._history_user = actor  # type: ignore[attr-defined]
        organisation.save(update_fields=["due_diligence_status", "updated_at"])


@transaction.atomic
def match_decide(*, match: ScreeningMatch, actor: User, confirm: bool, note: str) -> ScreeningMatch:
    """The secretariat confirms (the organisation is excluded) or dismisses a possible match."""
    if match.status != ScreeningMatch.Status.POSSIBLE:
        raise ValidationError({"status": [_("This match has already been decided.")]})
    if not note.strip():
        raise ValidationError({"note": [_("Record the evidence for the decision.")]})
    match.status = ScreeningMatch.Status.CONFIRMED if confirm else ScreeningMatch.Status.DISMISSED
    match.note = note.strip()
    match.decided_at = timezone.now()
    match.decided_by = actor
    save_by(match, actor)
    _refresh_status(match.organisation, actor=actor)
    return match


@transaction.atomic
def flag_raise(*, organisation: Organisation, actor: User, level: str, note: str) -> Flag:
    errors: dict[str, list[str]] = {}
    if level not in Flag.Level.values:
        errors["level"] = [_("A flag is yellow or red.")]
    if not note.strip():
        errors["note"] = [_("Say what the concern is.")]
    if errors:
        raise ValidationError(errors)
    flag = Flag(organisation=organisation, level=level, note=note.strip(), raised_by=actor)
    save_by(flag, actor)
    _refresh_status(organisation, actor=actor)
    return flag


@transaction.atomic
def flag_escalate(*, flag: Flag, actor: User, note: str) -> Flag:
    """A yellow flag becomes red (blocking clearance), with the reason added to its note."""
    if flag.level == Flag.Level.RED or not flag.is_open:
        raise ValidationError({"level": [_("Only an open yellow flag can be escalated.")]})
    if not note.strip():
        raise ValidationError({"note": [_("Say why the flag is escalated.")]})
    flag.level = Flag.Level.RED
    flag.escalated_at = timezone.now()
    flag.note = f"{flag.note}\n\n{_('Escalated')}: {note.strip()}"
    save_by(flag, actor)
    _refresh_status(flag.organisation, actor=actor)
    return flag


@transaction.atomic
def flag_resolve(*, flag: Flag, actor: User, resolution: str) -> Flag:
    if not flag.is_open:
        raise ValidationError({"resolution": [_("This flag is already resolved.")]})
    if not resolution.strip():
        raise ValidationError({"resolution": [_("Say how the concern was resolved.")]})
    flag.resolved_at = timezone.now()
    flag.resolution = resolution.strip()
    save_by(flag, actor)
    _refresh_status(flag.organisation, actor=actor)
    return flag


@transaction.atomic
def key_people_set(*, organisation: Organisation, actor: User, people: list[tuple[str, str]]) -> None:
    """Replace the organisation's key people (name, role) and screen them."""
    errors = [
        _("Row %(n)d: enter the person's name.") % {"n": n}
        for n, (name, _role) in enumerate(people, start=1)
        if not name.strip()
    ]
    if errors:
        raise ValidationError({"key_people": errors})
    current = {p.name: p for p in organisation.key_people.all()}
    keep = set()
    for name, role in people:
        person = current.get(name.strip()) or KeyPerson(organisation=organisation, name=name.strip())
        person.role = role.strip()
        save_by(person, actor)
        keep.add(person.pk)
    for person in current.values():
        if person.pk not in keep:
            person._history_user = actor  # type: ignore[attr-defined]
            person.delete()
    screen(organisation)


def publication_blockers(partnership: Partnership) -> list[str]:
    """Why a partnership cannot be published yet. Any partnership: no partner may be excluded. UN-led
    partnerships (the full path): every partner cleared, a review panel, and a business lead must be a UN
    Global Compact participant. Registry entries take the light path (screened, not blocked)."""
    partners = list(partnership.partners.select_related("organisation"))
    reasons = [
        _("%(org)s is excluded by due diligence.") % {"org": p.organisation.name}
        for p in partners
        if p.organisation.due_diligence_status == DueDiligenceStatus.EXCLUDED
    ]
    if partnership.category != Partnership.Category.UN_LED:
        return reasons
    for p in partners:
        status = p.organisation.due_diligence_status
        if status not in (DueDiligenceStatus.CLEARED, DueDiligenceStatus.EXCLUDED):
            reasons.append(
                _("Due diligence on %(org)s is not cleared (%(status)s).")
                % {"org": p.organisation.name, "status": DueDiligenceStatus(status).label}
            )
        if (
            p.role == "lead"
            and p.organisation.type in BUSINESS
            and not p.organisation.global_compact_participant
        ):
            reasons.append(
                _("%(org)s leads a UN-led partnership and must be a UN Global Compact participant.")
                % {"org": p.organisation.name}
            )
    if not partnership.review_panel.exists():
        reasons.append(
            _("A UN-led partnership needs a review panel (workspace task 9.1) before publication.")
        )
    return reasons
