"""Vote intake under load: concurrent votes at a real server, then a check of every row.

    scripts/with-postgres.sh uv run --frozen python benchmarks/vote_load.py [--seconds 20]
        [--workers 2] [--threads 8] [--clients 2] [--client-threads 12] [--html]

It migrates the database in DATABASE_URL (PostgreSQL; the wrapper above makes a throwaway one),
creates a conversation with statements and anonymous participants, starts gunicorn on loopback
with production settings, and fires votes from a bounded pool (``--clients`` processes ×
``--client-threads`` threads, loopback only) for ``--seconds``. Each participant belongs to one
client thread, so its votes are sent one after another and the last acknowledged value of every
(participant, statement) pair is known; re-votes are frequent on purpose. Then it checks the
database: one row per pair voted on (no duplicates), and each row holds the last acknowledged value
(no lost votes). It prints votes per second, latency percentiles and the machine's load.

By default votes go to the lean JSON endpoint (``/conversations/<id>/votes.json``); ``--html``
posts the same form the page uses (a 303 redirect back to the conversation). Both call
``services.vote_cast``. ``--url`` targets a server you started yourself (same DATABASE_URL and
SECRET_KEY) instead.

The goal is 1,000 votes/s sustained on PostgreSQL.
"""

import argparse
import http.client
import multiprocessing
import os
import random
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _django(secret_key: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "mobilise.settings.production"
    os.environ["SECRET_KEY"] = secret_key
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        os.environ[name] = "false"
    os.environ["SECURE_HSTS_SECONDS"] = "0"
    import django

    django.setup()


def _setup(participants: int, statements: int) -> tuple[int, list[int], list[tuple[int, str]]]:
    """A fresh conversation; returns its id, statement ids and (participant id, cookie) pairs."""
    from django.core import signing
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from mobilise.accounts.models import Organisation
    from mobilise.deliberation.models import Conversation, Participant, Statement
    from mobilise.deliberation.views import COOKIE, COOKIE_SALT
    from mobilise.missions.models import Mission

    suffix = secrets.token_hex(3)
    owner = Organisation.objects.create(name=f"Load test {suffix}", slug=f"load-test-{suffix}")
    mission = Mission.objects.create(
        title="Load test",
        slug=f"load-test-{suffix}",
        statement="Votes under load.",
        horizon_year=2035,
        owner=owner,
        status=Mission.Status.ACTIVE,
    )
    conversation = Conversation.objects.create(
        mission=mission, question="Load test", moderation=Conversation.Moderation.POST
    )
    Statement.objects.bulk_create(
        [
            Statement(
                conversation=conversation,
                text=f"Load test statement {n}",
                normalised=f"load test statement {n}",
                status=Statement.Status.ACCEPTED,
            )
            for n in range(statements)
        ]
    )
    keys = [secrets.token_urlsafe(16) for _ in range(participants)]
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, key=key) for key in keys]
    )
    by_key = dict(Participant.objects.filter(conversation=conversation).values_list("key", "pk"))
    # The same signed value the view sets (HttpResponse.set_signed_cookie).
    signer = signing.get_cookie_signer(salt=COOKIE + COOKIE_SALT)
    people = [(by_key[key], f"{COOKIE}={signer.sign(key)}") for key in keys]
    ids = list(Statement.objects.filter(conversation=conversation).values_list("pk", flat=True))
    return conversation.pk, ids, people


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int, workers: int, threads: int, secret_key: str) -> subprocess.Popen:
    env = dict(
        os.environ, SECRET_KEY=secret_key, DJANGO_SETTINGS_MODULE="mobilise.settings.production"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mobilise.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def _postgres_pids() -> list[int]:
    """The PostgreSQL server in DATABASE_URL (when it runs on this machine) and its backends."""
    port = urlsplit(os.environ["DATABASE_URL"]).port or 5432
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmd and cmd[0].endswith(b"postgres") and f"-p {port}".encode() in b" ".join(cmd):
            return [int(entry.name), *_children(int(entry.name))]
    return []


def _client(job: dict) -> dict:
    """One client process: ``threads`` threads, each voting for its own participants."""
    import threading

    host = urlsplit(job["base"])
    results: list[dict] = []

    def run(people: list[tuple[int, str]], seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        last: dict[tuple[int, int], int] = {}
        uncertain: set[tuple[int, int]] = set()
        latencies: list[float] = []
        ok = errors = limited = 0
        counted = 0
        csrf = job["csrf"]
        # Re-votes on purpose: each participant votes on a few statements, over and over.
        own = {
            pid: rng.sample(job["statements"], min(6, len(job["statements"]))) for pid, _ in people
        }
        while time.time() < job["stop"]:
            pid, cookie = rng.choice(people)
            sid = rng.choice(own[pid])
            value = rng.choice((-1, 0, 1))
            body = f"statement={sid}&vote={value}&csrfmiddlewaretoken={csrf}"
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{cookie}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
            }
            wall = time.time()
            started = time.perf_counter()
            try:
                conn.request("POST", job["path"], body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                uncertain.add((pid, sid))
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
                continue
            elapsed = time.perf_counter() - started
            if status in (200, 303):
                last[(pid, sid)] = value
                uncertain.discard((pid, sid))
                ok += 1
                if wall >= job["measure_from"]:
                    counted += 1
                    latencies.append(elapsed)
            elif status == 429:
                limited += 1
            else:
                errors += 1
        results.append(
            {
                "last": last,
                "uncertain": uncertain,
                "ok": ok,
                "counted": counted,
                "errors": errors,
                "limited": limited,
                "latencies": latencies,
            }
        )

    people = job["people"]
    threads = [
        threading.Thread(target=run, args=(people[n :: job["threads"]], job["seed"] * 1000 + n))
        for n in range(job["threads"])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    merged: dict = {"last": {}, "uncertain": set(), "latencies": []}
    for key in ("ok", "counted", "errors", "limited"):
        merged[key] = sum(r[key] for r in results)
    for r in results:
        merged["last"].update(r["last"])
        merged["uncertain"] |= r["uncertain"]
        merged["latencies"] += r["latencies"]
    return merged


def _check(conversation_id: int, last: dict, uncertain: set) -> tuple[int, int, int, int]:
    """(rows, duplicated pairs, lost or wrong votes, pairs left uncertain by a failed request)."""
    from django.db.models import Count

    from mobilise.deliberation.models import Vote

    votes = Vote.objects.filter(statement__conversation_id=conversation_id)
    rows = votes.count()
    duplicated = (
        votes.values("participant_id", "statement_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    stored = {(p, s): v for p, s, v in votes.values_list("participant_id", "statement_id", "value")}
    lost = sum(
        1 for pair, value in last.items() if pair not in uncertain and stored.get(pair) != value
    )
    extra = sum(1 for pair in stored if pair not in last and pair not in uncertain)
    return rows, duplicated, lost + extra, len(uncertain)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds (default 20)")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--threads", type=int, default=8, help="threads per gunicorn worker (default 8)"
    )
    parser.add_argument("--clients", type=int, default=2, help="client processes (at most 4)")
    parser.add_argument(
        "--client-threads", type=int, default=12, help="threads per client (at most 32)"
    )
    parser.add_argument("--participants", type=int, default=3000)
    parser.add_argument("--statements", type=int, default=40)
    parser.add_argument(
        "--html", action="store_true", help="post the page's form, not the JSON endpoint"
    )
    parser.add_argument(
        "--url", help="target a running server (loopback only) instead of starting one"
    )
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        raise SystemExit("Set DATABASE_URL to PostgreSQL, e.g. run under scripts/with-postgres.sh")
    clients = max(1, min(args.clients, 4))
    client_threads = max(1, min(args.client_threads, 32))
    secret_key = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40)
    _django(secret_key)
    conversation_id, statements, people = _setup(args.participants, args.statements)

    server = None
    if args.url:
        base = args.url.rstrip("/")
        if urlsplit(base).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("Loopback only: --url must be on 127.0.0.1 or localhost")
    else:
        port = _free_port()
        server = _start_server(port, args.workers, args.threads, secret_key)
        base = f"http://127.0.0.1:{port}"
    path = f"/conversations/{conversation_id}/" + ("" if args.html else "votes.json")
    csrf = "".join(random.choice(string.ascii_letters + string.digits) for _ in range(32))
    start = time.time()
    measure_from = start + args.warmup
    stop = measure_from + args.seconds
    jobs = [
        {
            "base": base,
            "path": path,
            "csrf": csrf,
            "statements": statements,
            "people": people[n::clients],
            "threads": client_threads,
            "stop": stop,
            "measure_from": measure_from,
            "seed": n,
        }
        for n in range(clients)
    ]

    def server_cpu() -> tuple[float, float]:
        web = [server.pid, *_children(server.pid)] if server is not None else []
        return _cpu_seconds(web), _cpu_seconds(_postgres_pids())

    cpu_samples: list[tuple[float, float]] = []

    def sample_cpu_at_measure_start() -> None:
        time.sleep(max(0.0, measure_from - time.time()))
        cpu_samples.append(server_cpu())

    import threading

    sampler = threading.Thread(target=sample_cpu_at_measure_start)
    sampler.start()
    try:
        with multiprocessing.get_context("fork").Pool(clients) as pool:
            outcomes = pool.map(_client, jobs)
        sampler.join()
        cpu_samples.append(server_cpu())
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    load = os.getloadavg()

    last: dict = {}
    uncertain: set = set()
    latencies: list[float] = []
    for o in outcomes:
        last.update(o["last"])
        uncertain |= o["uncertain"]
        latencies += o["latencies"]
    ok = sum(o["ok"] for o in outcomes)
    counted = sum(o["counted"] for o in outcomes)
    errors = sum(o["errors"] for o in outcomes)
    limited = sum(o["limited"] for o in outcomes)
    rows, duplicated, lost, unsure = _check(conversation_id, last, uncertain)
    latencies.sort()

    def pct(q: float) -> float:
        return (
            1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0
        )

    print(f"endpoint: {'HTML form (303)' if args.html else 'JSON'} {path}")
    print(
        f"server: gunicorn {args.workers} workers × {args.threads} threads; clients: "
        f"{clients} processes × {client_threads} threads; {os.cpu_count()} CPUs"
    )
    print(f"votes acknowledged: {ok:,} ({counted:,} in the measured {args.seconds:g} s)")
    print(f"throughput: {counted / args.seconds:,.0f} votes/s   (goal ≥ 1,000)")
    print(f"latency: p50 {pct(0.5):.1f} ms, p95 {pct(0.95):.1f} ms, p99 {pct(0.99):.1f} ms")
    print(f"errors: {errors}, rate limited (429): {limited}")
    print(
        f"database: {rows:,} rows for {len(last):,} pairs voted on; duplicated pairs: {duplicated}; "
        f"lost or wrong: {lost}; left uncertain by a failed request: {unsure}"
    )
    if len(cpu_samples) == 2 and counted:
        web_cpu = cpu_samples[1][0] - cpu_samples[0][0]
        db_cpu = cpu_samples[1][1] - cpu_samples[0][1]
        per_vote = (web_cpu + db_cpu) / counted
        print(
            f"CPU per vote: {1000 * web_cpu / counted:.2f} ms in gunicorn + "
            f"{1000 * db_cpu / counted:.2f} ms in PostgreSQL = {1000 * per_vote:.2f} ms; "
            f"the server used {(web_cpu + db_cpu) / args.seconds:.2f} cores, so a 2-core machine "
            f"to itself would take about {2 / per_vote:,.0f} votes/s"
        )
    print(f"load average after the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    ok_db = duplicated == 0 and lost == 0
    print("CHECK: " + ("zero lost, zero duplicated" if ok_db else "FAILED"))
    raise SystemExit(0 if ok_db else 1)


if __name__ == "__main__":
    main()
