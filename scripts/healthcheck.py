"""Container health checks for docker-compose.yml (standard library only, no Django import).

    python scripts/healthcheck.py web    # GET /healthz answers 200 (the database answers too)
    python scripts/healthcheck.py beat   # beat has written its schedule file recently

The web check sends the Host and X-Forwarded-Proto headers a request through the proxy carries,
so that ALLOWED_HOSTS and SECURE_SSL_REDIRECT answer it as they answer a user.
"""

import glob
import os
import sys
import time
import urllib.request

WEB_URL = "http://127.0.0.1:8000/healthz"
# Celery beat syncs its schedule file every 3 minutes; allow a few missed syncs.
BEAT_MAX_AGE_SECONDS = 15 * 60


def first_allowed_host():
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    for host in hosts:
        if host != "*":
            return host.lstrip(".")
    return "localhost"


def check_web():
    # A fixed http://127.0.0.1 URL: no user input reaches these calls.
    headers = {"Host": first_allowed_host(), "X-Forwarded-Proto": "https"}
    request = urllib.request.Request(WEB_URL, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.status == 200


def check_beat():
    files = glob.glob("var/celerybeat-schedule*")
    if not files:
        return False
    return time.time() - max(os.path.getmtime(name) for name in files) < BEAT_MAX_AGE_SECONDS


CHECKS = {"web": check_web, "beat": check_beat}


def main(argv):
    if len(argv) != 2 or argv[1] not in CHECKS:
        print(f"usage: {argv[0]} {'|'.join(CHECKS)}", file=sys.stderr)
        return 2
    try:
        healthy = CHECKS[argv[1]]()
    except Exception as error:  # any failure to answer is "unhealthy"
        print(f"{argv[1]}: {error}", file=sys.stderr)
        return 1
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
