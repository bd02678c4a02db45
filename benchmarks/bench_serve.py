"""HTTP API throughput: requests per second for ``POST /price`` and ``POST /check`` (``nox -s bench``).

Starts ``python -m ansinh.serve`` on a free loopback port and sends requests
from 16 concurrent clients for a few seconds per case, two ways:

* 16 threads, each with its own keep-alive ``http.client`` connection (the
  test suite's load test does the same with ``httpx``);
* 16 keep-alive connections driven by a minimal asyncio client, which costs
  the client far less CPU: on a small machine the client and the server share
  the cores, so this figure is closer to what the server itself can do.

Every answer must be a 200; the script fails otherwise.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import http.client
import json
import socket
import subprocess
import sys
import time
from typing import Any

import ansinh
from ansinh.serialization import dump_document
from ansinh.testing import sample_campaign, sample_person

CLIENTS = 16
SECONDS = 3.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _ready(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/openapi.json")
        ready = conn.getresponse().status == 200
        conn.close()
    except OSError:
        return False
    return ready


def _bodies() -> dict[str, dict[str, Any]]:
    person = dump_document(sample_person())["data"]
    card = {"kind": "health_card", "months": 12, "household_rank": 2}
    return {
        "/price": {"product": card, "who": person, "on": "2026-01-05"},
        "/check": {
            "person": person,
            "product": card,
            "on": "2026-01-05",
            "campaign": dump_document(sample_campaign()),
        },
    }


def _threads(port: int, path: str, body: dict[str, Any]) -> float:
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    stop = time.perf_counter() + SECONDS

    def worker(_: int) -> int:
        done = 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while time.perf_counter() < stop:
                conn.request("POST", path, body=data, headers=headers)
                answer = conn.getresponse()
                answer.read()
                if answer.status != 200:
                    raise SystemExit(f"{path}: an answer was not 200")
                done += 1
        finally:
            conn.close()
        return done

    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        return sum(pool.map(worker, range(CLIENTS))) / SECONDS


async def _raw(port: int, path: str, body: dict[str, Any]) -> float:
    data = json.dumps(body).encode()
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    ).encode() + data
    stop = time.perf_counter() + SECONDS

    async def worker() -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        done = 0
        while time.perf_counter() < stop:
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise SystemExit(f"{path}: an answer was not 200")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            await reader.readexactly(length)
            done += 1
        writer.close()
        await writer.wait_closed()
        return done

    counts = await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return sum(counts) / SECONDS


def main() -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ansinh.serve", "--port", str(port)],  # with its access log, as served
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not _ready(port):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.1)
        print(f"ansinh {ansinh.__version__}, {dt.date.today()}, {CLIENTS} clients, {SECONDS:g} s per case")
        for path, body in _bodies().items():
            _threads(port, path, body)  # warm up
            threads = _threads(port, path, body)
            raw = asyncio.run(_raw(port, path, body))
            print(
                f"POST {path:<8} http.client threads {threads:>8,.0f} requests/s   raw asyncio {raw:>8,.0f} requests/s"
            )
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
