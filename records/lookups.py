"""`field__any=[…]`: membership in a list as one array parameter (PostgreSQL's `= ANY(%s)`).

A batch names a thousand keys at a time; written as `IN (%s, %s, …)` each
query carries a thousand parameters, which the driver splits and binds one by
one. Used through records.batch.references.among, on PostgreSQL only.
"""

from django.db.models import Field, ForeignObject, Lookup


@Field.register_lookup
@ForeignObject.register_lookup
class Any(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = [self.lhs.output_field.get_db_prep_value(value, connection) for value in self.rhs]
        return f"{lhs} = ANY(%s)", [*params, values]
