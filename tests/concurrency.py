"""Races on the real PostgreSQL: the same call in several threads, released at one instant."""

import threading

from django.db import connection


def race(call, workers):
    """Run `call()` in `workers` threads that start together, each on its own database
    connection; return the results. A thread's exception is re-raised here, not lost."""
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    assert len(results) == workers, "a racing thread did not finish within 60 s"
    return results
