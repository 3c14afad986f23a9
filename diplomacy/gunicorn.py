"""How gunicorn serves Diplomacy Records (`make serve`); each value can be changed from the environment.

Workers are processes, each with GUNICORN_THREADS threads ("gthread"). A
download streams for seconds (a list's CSV, up to PUBLIC_CSV_ROW_LIMIT rows;
/data/ files), often to a slow client: a thread does it while its worker's
main loop goes on telling the master it is alive, so `timeout` never cuts a
download short, and the worker's other threads keep answering pages.

Every thread keeps its own database connection open (CONN_MAX_AGE): the
server needs WEB_CONCURRENCY × GUNICORN_THREADS connections per host, well
under PostgreSQL's max_connections (100 by default).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker whose main loop stays silent this long (stuck, not busy streaming) is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On a reload (HUP) or a stop (TERM), requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Idle keep-alive connections are closed after this many seconds.
keepalive = 5
# Workers are replaced now and then, a few at a time, so that none grows for ever.
max_requests = 10000
max_requests_jitter = 1000
# The workers' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# One access line per request and the errors, on standard output and error, for the process manager.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
# Signals (HUP to reload, TERM to stop, TTIN/TTOU to add or remove a worker) are enough: no control socket.
control_socket_disable = True
