"""Running the background worker's tasks inside a test (``manage.py db_worker`` closes the
database connection between tasks, which a test's transaction cannot survive): each task that is
due runs in this process, marked successful or failed as the worker would."""

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_tasks() -> int:
    """Runs every task that is due (``run_after`` passed), including those the tasks enqueue;
    returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    count = 0
    while (result := _claim(worker)) is not None:
        worker.run_task(result)
        count += 1
    return count


def _claim(worker: Worker) -> DBTaskResult | None:
    """The next due task, claimed as the worker claims it: locked (SELECT … FOR UPDATE on
    PostgreSQL, which needs a transaction, also in a transactional test) and marked taken."""
    with transaction.atomic():
        result = DBTaskResult.objects.ready().get_locked()
        if result is not None:
            result.claim(worker.worker_id)
    return result
