"""Gunicorn's settings for the public server: ``gunicorn -c python:dashboard.web.serving …``.

The dashboard is reachable by anyone with the link and usually runs with no buffering proxy in
front, so a client that connects and sends nothing, or sends a request one byte at a time, must
cost a few kilobytes and not a worker. Gunicorn's sync workers hold one connection each (two
idle sockets took a two-worker site down); its gthread workers hand each new connection to a
thread that waits up to 5 s for data, so 200 idle sockets queue a health check behind them.
The gevent worker gives every connection a greenlet: idle and half-sent requests wait in the
event loop at no cost to the others, while the callbacks (CPU-bound pandas work) run one at a
time per process, which is what two cores can do anyway.

Gunicorn reads ``PORT`` and ``WEB_CONCURRENCY`` from the environment itself; nothing here does.
The limits on bodies and their arrival time are the app's (``dashboard.web.limits``), so the
development server keeps them too.
"""

from __future__ import annotations

from gevent import monkey

# With the app preloaded, the master imports ssl (through requests, which Dash imports) before a
# worker would patch it; patching here, before the app is imported, keeps every module on
# gevent's sockets and spares each worker a MonkeyPatchWarning at start.
monkey.patch_all()

worker_class = "gevent"
# Connections one worker keeps open at once; past this it stops accepting and new ones wait in
# the listen backlog (the platform's router usually caps far lower).
worker_connections = 1000
# The corpus is loaded once in the master and shared by the forked workers.
preload_app = True
# Seconds a worker may go silent (one request running on the CPU) before it is replaced: no
# request is allowed near this (the largest costs ~1 s), so it only catches a bug.
timeout = 30
graceful_timeout = 20
# Seconds an idle kept-alive connection is held, and also the time a request's line and
# headers have to arrive in: past it the connection is closed.
keepalive = 5
# Request line, header count and header size: past them gunicorn answers 414 / 400 / 431.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Gunicorn's control socket (a file under $HOME) is not used, and a platform's home may be
# read-only.
control_socket_disable = True
