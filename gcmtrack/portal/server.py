"""`gcmtrack serve`: gunicorn (a production WSGI server) running the portal, plus, on one
machine, a render worker beside it. `gcmtrack worker`: render jobs only, for shared
deployments where web and render processes run on several machines."""

from __future__ import annotations

import os
import subprocess
import sys

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from gcmtrack.portal.wsgi import application

        return application


def serve(location: str, host: str, port: int, workers: int, *, with_render_worker: bool) -> None:
    """Run until interrupted. The store must exist (its schema is brought up to date first)."""
    from gcmtrack.store import Store

    Store(location).close()  # create or upgrade once, before workers start
    os.environ["GCMTRACK_DB"] = location
    master = os.getpid()
    renderer = None
    if with_render_worker:
        # a process of its own, not a fork: gunicorn forks its web workers from this one
        renderer = subprocess.Popen([sys.executable, "-m", "gcmtrack", "worker", "--db", location],
                                    stdin=subprocess.DEVNULL)
    try:
        _Gunicorn({
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "sync",
            "timeout": 120,
            "graceful_timeout": 20,
            "limit_request_line": 8190,
            "accesslog": "-",
            "errorlog": "-",
            "proc_name": "gcmtrack-portal",
            "preload_app": False,
        }).run()
    finally:
        if renderer is not None and os.getpid() == master:  # a web worker leaving passes here too
            renderer.terminate()
            try:
                renderer.wait(20)
            except subprocess.TimeoutExpired:
                renderer.kill()
