"""When the database is away: a 503 page instead of a 500, and /healthz for whoever watches the site.

Django answers an exception that escapes a view or a middleware with its
`handler500`. When that exception is the database's (the server stopped,
restarted, refused a connection), the page says so and asks to come back
(`503 Service Unavailable`, `Retry-After`). Nothing needs restarting
afterwards: each request checks its connection before use
(CONN_HEALTH_CHECKS) and opens a new one if the old one died.
"""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(error):
    """Whether `error` (or what caused it) says the database cannot be reached right now."""
    while error is not None:
        if isinstance(error, UNAVAILABLE):
            return True
        error = error.__cause__ or error.__context__
    return False


def unmigrated():
    """Why the database cannot hold the records yet (its migrations are not all applied), or None.

    For the commands that read or write the records: a plain message instead of a traceback from the
    first missing table.
    """
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not pending:
        return None
    return f"the database is not ready: {len(pending)} migration(s) not applied; run `manage.py migrate` first"


def server_error(request, template_name="500.html"):
    """The handler500: 503 when the database is away, else the usual 500 page. Neither needs the database."""
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())


@csrf_exempt
@never_cache
def healthz(request):
    """200 "ok" when this process can query the database, 503 otherwise: for a load balancer or a monitor."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
