"""`gcmtrack serve`: gunicorn (a production WSGI server) running the portal, plus, on one
machine, a render worker beside it. `gcmtrack worker`: render jobs only, for shared
deployments where web and render processes run on several machines."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

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


class RenderWorker:
    """`gcmtrack worker` beside the web workers, restarted when it dies (a process of its own,
    not a fork: gunicorn forks its web workers from this one). Gunicorn's arbiter reaps every
    child of this process, ours included, so the watch polls rather than waits; a job the dead
    worker held is failed and queued again by the next worker (service/rendering.py)."""

    RESTART_AFTER_S = 1.0

    def __init__(self, location: str):
        self.location = location
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self.watch = threading.Thread(target=self._watch, name="render-worker-watch", daemon=True)

    def _start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "gcmtrack", "worker", "--db", self.location],
                                        stdin=subprocess.DEVNULL)

    def start(self) -> "RenderWorker":
        with self.lock:
            self._start()
        self.watch.start()
        return self

    def _watch(self) -> None:
        while not self.stopping.wait(self.RESTART_AFTER_S):
            with self.lock:
                if self.stopping.is_set():
                    return
                if self.process is not None and self.process.poll() is not None:
                    print(f"gcmtrack: the render worker (pid {self.process.pid}) stopped; starting another",
                          file=sys.stderr, flush=True)
                    self.restarts += 1
                    self._start()

    def stop(self) -> None:
        with self.lock:
            self.stopping.set()
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def serve(location: str, host: str, port: int, workers: int, *, with_render_worker: bool) -> None:
    """Run until interrupted. The store must exist (its schema is brought up to date first)."""
    from gcmtrack.store import Store

    Store(location).close()  # create or upgrade once, before workers start
    os.environ["GCMTRACK_DB"] = location
    master = os.getpid()
    renderer = RenderWorker(location).start() if with_render_worker else None
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
            renderer.stop()
