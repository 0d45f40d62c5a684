"""The ``in`` lookup of integer columns without the values outside the column's range.

Django refuses such values quietly for ``exact``, ``gt`` and the others (ticket #27397) but not
for ``in``: on SQLite a posted id like 9223372036854775808 in a multiple choice
(``ModelMultipleChoiceField`` filters ``pk__in``) crashed the query with ``OverflowError``, a
server error. No value out of range can match a row, so leaving it out changes no answer.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
