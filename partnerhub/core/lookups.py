"""`__in` on integer columns (and on relations to integer keys) that leaves out values no column holds.

Django checks the range of an integer compared with `exact`, `gt`, `lt`… (IntegerFieldOverflow) but not
in `__in`: on SQLite `Goal.objects.filter(pk__in=[99999999999999999999999])`, which a form's multiple
choice runs on what was posted, raised OverflowError, a server error where any other unknown value is
"Select a valid choice". Such a value can match no row, so it is left out (none left: no match, as for
an empty list).
"""

from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class InRange(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            field = self.lhs.output_field
            field = getattr(field, "target_field", field)  # a relation: its key
            if isinstance(field, IntegerField):
                low, high = connection.ops.integer_field_range(field.get_internal_type())
                self.rhs = [
                    v
                    for v in self.rhs
                    if not isinstance(v, int) or ((low is None or v >= low) and (high is None or v <= high))
                ]
        return super().process_rhs(compiler, connection)


@IntegerField.register_lookup
class IntegerFieldIn(InRange):
    pass


@ForeignObject.register_lookup
class RelatedIntegerIn(InRange, RelatedIn):
    pass
