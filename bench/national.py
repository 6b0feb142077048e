"""National-scale load run: `make bench-national`.

1. generates the national data set (bench/national_data.py) into its own PostgreSQL database;
2. serves it with gunicorn (2 workers, DEBUG off) and times with wrk, in one run: a null view, every
   totals grouping, every API list at page 1 and page 2 000 (or its last page when shorter), the
   officers' and partners' pages, the admin lists; p50 / p99 and the ratio to the null view's p50;
3. times the same totals as raw SQL aggregates over the raw rows, in the same run, and reports the
   workers' peak memory.

    DEBUG=1 .venv/bin/python bench/national.py [--database bench_national] [--skip-generate]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8765
LOG = ROOT / "bench-output" / "gunicorn.log"
DURATION = os.environ.get("BENCH_DURATION", "4s")
# One connection per gunicorn worker: each request is timed while both workers are busy, without the
# time it would wait in the listen queue behind another (BENCH_CONNECTIONS=4 adds that wait).
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "2")
GROUPINGS = ["", "convention", "axis", "action", "year", "funder", "beneficiary", "departement"]
GROUPINGS += ["convention,year,funder", "axis,funder", "funder,year,departement"]
LISTS = ["organisations", "conventions", "amendments", "axes", "actions", "indicators"]
LISTS += ["progress-reports", "funding-lines", "payments", "tokens", "reports"]
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-national-" + "x" * 40,
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "API_THROTTLE_READ": "100000000/hour",
}


def _database_url(base: str, name: str) -> str:
    return re.sub(r"/[^/]*$", f"/{name}", base)


def timed(step: str, function, *args):
    began = time.perf_counter()
    result = function(*args)
    print(f"  {step} : {time.perf_counter() - began:.1f} s", flush=True)
    return result


def generate(env: dict[str, str], admin_url: str, name: str) -> dict:
    from bench import national_data

    began = time.perf_counter()
    print(f"Génération du jeu national dans la base {name} :", flush=True)
    timed("base recréée", national_data.recreate_database, admin_url, name)
    timed("migrations", national_data.migrate, env)
    import django

    django.setup()
    counts = timed(
        "données (bulk_create, COPY, rebuild_totals, VACUUM ANALYZE)", national_data.load
    )
    credentials = national_data.users()
    print(f"  total : {time.perf_counter() - began:.1f} s ; lignes : {counts}", flush=True)
    return credentials


def wrk(url: str, headers: dict[str, str]) -> tuple[float, float, float, int]:
    """(p50 ms, p99 ms, requests/s, non-2xx responses) over DURATION with CONNECTIONS connections."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return latency("50"), latency("99"), rate, int(errors.group(1)) if errors else 0


def paths(credentials: dict) -> list[tuple[str, str, str]]:
    """(label, path, who): who names the credentials used."""
    rows = [("vue nulle (jetons de l'utilisateur)", "/api/v1/tokens/", "officer")]
    rows += [
        (f"totaux group_by={g or '∅'}", f"/api/v1/totals/?group_by={g}", "officer")
        for g in GROUPINGS
    ]
    rows += [  # the same groupings with pages of 1 000 rows (100 by default)
        (
            f"totaux group_by={g}, 1 000 lignes",
            f"/api/v1/totals/?group_by={g}&page_size=1000",
            "officer",
        )
        for g in ("action", "axis,funder", "convention,year,funder")
    ]
    rows += [
        (
            "totaux action, page 20",
            "/api/v1/totals/?group_by=action&page=20&page_size=1000",
            "officer",
        )
    ]
    rows += [
        (
            "totaux d'un partenaire (convention,year)",
            "/api/v1/totals/?group_by=convention,year",
            "coordinator",
        )
    ]
    for name in LISTS:
        rows.append((f"liste {name} p. 1", f"/api/v1/{name}/", "officer"))
        rows.append((f"liste {name} p. 2000", f"/api/v1/{name}/?page={{last:{name}}}", "officer"))
    convention, action = credentials["convention"], credentials["action"]
    rows += [
        ("page : conventions (chargé de mission)", "/conventions/", "officer@"),
        ("page : convention de 1 000 actions", f"/conventions/{convention}/", "officer@"),
        ("page : axe de 200 actions, p. 4", f"/conventions/{convention}/axe/1/?page=4", "officer@"),
        ("page : retards de cette convention", f"/conventions/{convention}/retards/", "officer@"),
        ("page : portefeuille", "/portefeuille/", "officer@"),
        ("page : comptes rendus à relire", "/comptes-rendus/a-relire/", "officer@"),
        ("page : mes actions (union départementale)", "/mes-actions/", "contributor@"),
        ("page : une action (union départementale)", f"/actions/{action}/", "contributor@"),
        ("page : conventions (porteur)", "/conventions/", "coordinator@"),
    ]
    for model in (
        "conventions/convention",
        "actions/action",
        "financing/fundingline",
        "actions/progressreport",
        "financing/payment",
    ):
        rows.append((f"admin : {model}", f"/admin/{model}/", "admin@"))
    rows.append(
        ("admin : lignes filtrées par année", "/admin/financing/fundingline/?year=2019", "admin@")
    )
    return rows


def sign_in(credentials: dict) -> dict:
    """Fresh sessions for the bench users, signed with the server's SECRET_KEY."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    for who in ("officer", "coordinator", "contributor", "admin"):
        client = Client()
        client.force_login(User.objects.get(username=f"bench.{who}"))
        credentials[who]["session"] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return credentials


def status_of(path: str, headers: dict[str, str]) -> int:
    """One request, redirects not followed: a page that sends to the login form is not timed. It
    also waits for the workers to finish the previous path's queued requests."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    connection.request("GET", path, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def headers_for(who: str, credentials: dict) -> dict[str, str]:
    if who.endswith("@"):
        return {"Cookie": f"{credentials['session_cookie']}={credentials[who[:-1]]['session']}"}
    return {"Authorization": f"Token {credentials[who]['token']}"}


def last_page(base: str, name: str, credentials: dict) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/{name}/", headers=headers_for("officer", credentials)
    )
    count = json.load(urllib.request.urlopen(request, timeout=60))["count"]
    return max(1, min(2000, -(-count // 50)))


def serve(env: dict[str, str]) -> subprocess.Popen:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=LOG.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return server
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP answer, even 503: the server is up
                return server
            time.sleep(0.5)
    raise SystemExit("gunicorn n'a pas démarré")


def worker_peak_mb(server: subprocess.Popen) -> float:
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
    return max(peaks, default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bench_national")
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument(
        "--only",
        default="",
        help="time only the paths whose label matches this regex (and the null view)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk est requis : apt-get install -y wrk")
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url = _database_url(base_url, args.database)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    # Sessions are signed with the key the server reads them with.
    env["SECRET_KEY"] = SERVER_ENV["SECRET_KEY"]
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": SERVER_ENV["SECRET_KEY"],
        }
    )
    saved = ROOT / "bench-output" / f"{args.database}.json"
    if args.skip_generate:
        credentials = json.loads(saved.read_text())
    else:
        credentials = generate(env, _database_url(base_url, "postgres"), args.database)
    credentials = sign_in(credentials)
    saved.parent.mkdir(exist_ok=True)
    saved.write_text(json.dumps(credentials))
    from bench.national_sql import print_raw_sql

    server = serve({**env, **SERVER_ENV})
    try:
        run(credentials, server, args.only)
        if not args.only:
            print_raw_sql(url)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def run(credentials: dict, server: subprocess.Popen, only: str = "") -> None:
    base = f"http://127.0.0.1:{PORT}"
    print(
        f"\nMachine : {os.cpu_count()} cœurs, {os.uname().sysname} {os.uname().release} ; wrk {DURATION}, {CONNECTIONS} connexions, gunicorn 2 workers, DEBUG off\n"
    )
    print(f"| {'chemin':<48} | p50 ms | p99 ms | req/s | × vue nulle | erreurs |")
    print(f"|{'-' * 50}|-------:|-------:|------:|------------:|--------:|")
    null_p50 = None
    for label, path, who in paths(credentials):
        if only and null_p50 is not None and not re.search(only, label):
            continue
        path = re.sub(
            r"\{last:([a-z-]+)\}", lambda m: str(last_page(base, m.group(1), credentials)), path
        )
        status = status_of(path, headers_for(who, credentials))
        if status != 200:
            print(f"| {label:<48} | statut {status} : non mesuré |", flush=True)
            continue
        p50, p99, rate, errors = wrk(base + path, headers_for(who, credentials))
        null_p50 = null_p50 or p50
        print(
            f"| {label:<48} | {p50:6.1f} | {p99:6.1f} | {rate:5.0f} | {p50 / null_p50:11.1f} | {errors:7d} |",
            flush=True,
        )
    print(f"\nMémoire maximale d'un worker : {worker_peak_mb(server):.0f} Mo")


if __name__ == "__main__":
    main()
