"""Integer lookups that treat a value no column holds as matching nothing.

Django checks the range of an integer compared with `exact`, `gt`, `lt`… on an integer field
(IntegerFieldOverflow), but not in `__in`, nor through a relation (`target__goal=…`): on SQLite
`Goal.objects.filter(pk__in=[99999999999999999999999])`, which a form's multiple choice runs on what was
posted, and an API filter `?goal=99999999999999999999999` raised OverflowError, a server error where any
other unknown value is "Select a valid choice" or an empty list. Such a value can match no row: it is left
out of an IN list (none left: no match, as for an empty list), and an equality with it matches nothing.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_range(lookup, connection) -> tuple[int | None, int | None] | None:
    """The range of the integer column a lookup compares with (through a relation: its key), or None."""
    field = lookup.lhs.output_field
    field = getattr(field, "target_field", field)
    if not isinstance(field, IntegerField):
        return None
    return connection.ops.integer_field_range(field.get_internal_type())


def _within(value, low: int | None, high: int | None) -> bool:
    return not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))


class InRange(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and (bounds := _integer_range(self, connection)):
            self.rhs = [v for v in self.rhs if _within(v, *bounds)]
        return super().process_rhs(compiler, connection)


@IntegerField.register_lookup
class IntegerFieldIn(InRange):
    pass


@ForeignObject.register_lookup
class RelatedIntegerIn(InRange, RelatedIn):
    pass


@ForeignObject.register_lookup
class RelatedIntegerExact(RelatedExact):
    def process_rhs(self, compiler, connection):
        bounds = _integer_range(self, connection) if self.rhs_is_direct_value() else None
        if bounds and not _within(self.rhs, *bounds):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)
