"""`GET /api/v1/settlements/?month=...&page_size=100` under gunicorn at 20 concurrent clients,
each its own procurement user, against a trivial endpoint of the same server (the floor)."""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

from django.conf import settings

from bench.settle import MONTH, analyze, buyer_of
from core.auth import token_create
from core.db import database_url
from core.models import User
from demo.scale import Scale

CLIENTS = 20
SECONDS = 10
WARM_UP = 2
UNCACHED_PAGES = 5
WORKERS = int(os.environ.get("BENCH_WORKERS", 3))
THREADS = int(os.environ.get("BENCH_THREADS", 1))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server(port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "0"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            f"--threads={THREADS}",
            "--log-level=warning",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    for _ in range(100):
        try:
            _get(port, "/healthz", {})
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def _get(port: int, path: str, headers: dict, client=None) -> tuple[int, bytes]:
    """One request; on `client`'s connection when given (kept alive, as REST clients do)."""
    own = client is None
    client = client or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request("GET", path, headers=headers)
        response = client.getresponse()
        return response.status, response.read()
    finally:
        if own:
            client.close()


def _load(port: int, path: str, tokens: list[str]) -> dict:
    """Every client asks, waits for the answer and asks again, for SECONDS after a warm-up."""
    latencies, failures = [], []
    start = time.monotonic()
    measure_from, stop = start + WARM_UP, start + WARM_UP + SECONDS

    def client(token):
        headers = {"Authorization": f"Token {token}"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (now := time.monotonic()) < stop:
            status, _body = _get(port, path, headers, connection)
            if status != 200:
                failures.append(status)
            elif now >= measure_from:
                latencies.append(time.monotonic() - now)

    threads = [threading.Thread(target=client, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} failed requests, e.g. {failures[0]}")
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "rps": round(len(latencies) / SECONDS),
    }


def _uncached_ms(port: int, path: str, token: str) -> float:
    """One client asking five pages for the first time: computed by the serializer, not yet
    kept (settlement.list_cache), the cost the kept pages spare the load."""
    times = []
    for page in range(1, UNCACHED_PAGES + 1):
        started = time.monotonic()
        status, body = _get(port, f"{path}&page={page}", {"Authorization": f"Token {token}"})
        times.append(time.monotonic() - started)
        assert status == 200 and b'"count":2000' in body, (status, body[:200])
    return round(statistics.median(times) * 1000, 1)


def run() -> dict:
    buyer = buyer_of(Scale())
    tokens = []
    for number in range(CLIENTS):
        user = User.objects.create_user(
            f"bench_api_{number}", role=User.Role.PROCUREMENT, organization=buyer
        )
        tokens.append(token_create(user)[1])
    analyze()  # the month's sheets were just written
    port = _free_port()
    server = _server(port)
    try:
        path = f"/api/v1/settlements/?month={MONTH:%Y-%m}&page_size=100"
        uncached_ms = _uncached_ms(port, path, tokens[0])
        api = _load(port, path, tokens)
        floor = _load(port, "/healthz", tokens)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "api_clients": CLIENTS,
        "api_gunicorn_workers": WORKERS,
        "api_p50_ms": api["p50_ms"],
        "api_p95_ms": api["p95_ms"],
        "api_rps": api["rps"],
        "api_vs_floor_pct": round(100 * api["rps"] / floor["rps"], 1),
        "api_uncached_ms": uncached_ms,
        "api_floor_p50_ms": floor["p50_ms"],
        "api_floor_p95_ms": floor["p95_ms"],
        "api_floor_rps": floor["rps"],
    }
