"""A long job fanned out across Celery workers: planned as parts (rows of `TaskPart`), run as a
chord whose parts any worker may take side by side and whose last task answers the job's result
under the job's own task id. A part records where it stands, so the job's progress is its
parts', a part that fails is retried alone (and, once its retries are spent, recorded as failed
with why while the others finish), and a job is resumed by running again only the parts not
done."""

import logging

from celery import chord, states
from celery.result import AsyncResult, allow_join_result
from celery.utils.time import get_exponential_backoff_interval
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.tasks import INTERRUPTED, RETRY, TRANSIENT, state_of, worker_holds
from settlement.models import TaskPart, TaskRun

log = logging.getLogger(__name__)

# A part is retried on what passes by itself, and on a sheet another run created at the same
# time (running again finds it).
RETRIED = (*TRANSIENT, IntegrityError)
State = TaskPart.State


def plan(run: TaskRun, parts: list[tuple[str, list[int]]]) -> list[TaskPart]:
    """The job's parts, each a label and the ids it works on, in order."""
    return TaskPart.objects.bulk_create(
        TaskPart(run=run, index=index, label=label, items=items)
        for index, (label, items) in enumerate(parts)
    )


def parts_to_run(run: TaskRun, parts) -> list[TaskPart]:
    """The job's parts still to run: all of them, planned now from `parts` (label, ids), the
    first time; those not done when the job runs again (resumed, or retried from its start)."""
    if not run.parts.exists():
        return plan(run, parts)
    return list(run.parts.exclude(state=State.DONE))


def dispatch(task, run: TaskRun, parts, part_task, last_task, **kwargs):
    """Replaces `task` by the chord of the parts' tasks and the last one, which answers under
    the job's task id; on the job's queue when it came from one. The last task alone when
    every part is done."""
    if not parts:
        return last_task(run.pk, **kwargs)
    queue = (task.request.delivery_info or {}).get("routing_key")
    options = {"queue": queue} if queue else {}
    header = [part_task.si(part.pk, **kwargs).set(**options) for part in parts]
    # In-process (no broker) Celery applies the chord at once and waits for it right here.
    with allow_join_result():
        return task.replace(chord(header, last_task.si(run.pk, **kwargs).set(**options)))


def resume(run: TaskRun, task) -> None:
    """Runs the job again under its id, once its transaction commits: only its parts not done
    run (queued again, their failure forgotten), then its last task. Only a job interrupted,
    or ended with parts failed, is resumed."""
    state, _progress = job_state(run)
    if not (state == INTERRUPTED or (state == states.SUCCESS and progress(run)["failed"])):
        raise DomainError(
            _("Only a run that was interrupted or ended with failed parts can be resumed."),
            conflict=True,
        )
    run.parts.exclude(state=State.DONE).update(state=State.QUEUED, error="")
    AsyncResult(run.task_id).forget()
    transaction.on_commit(lambda: task.apply_async(args=run.args, task_id=run.task_id))


def run_part(task, part_id: int, work) -> None:
    """Runs `work(part)` for the part, in one transaction that also marks the part done with
    what `work` answers: a part done is never done twice, whoever runs it again. A passing
    error is retried with a growing pause; once the retries are spent, or on any other error,
    the part is recorded as failed with why, and the job goes on to its end without it."""
    TaskPart.objects.filter(pk=part_id).exclude(state=State.DONE).update(
        state=State.RUNNING,
        task_id=task.request.id or "",
        worker=task.request.hostname or "",
        attempts=F("attempts") + 1,
    )
    try:
        with transaction.atomic():
            part = TaskPart.objects.select_for_update().get(pk=part_id)
            if part.state == State.DONE:
                return
            part.result, part.state, part.error = work(part), State.DONE, ""
            part.save(update_fields=["result", "state", "error", "updated_at"])
    except RETRIED as error:
        if task.request.retries < RETRY["max_retries"]:
            raise task.retry(
                exc=error,
                countdown=get_exponential_backoff_interval(
                    RETRY["retry_backoff"], task.request.retries, RETRY["retry_backoff_max"]
                ),
            ) from error
        _fail(part_id, error)
    except Exception as error:  # recorded on the part, the job goes on: resume retries it
        log.exception("part %s of a job failed", part_id)
        _fail(part_id, error)


def _fail(part_id: int, error: Exception) -> None:
    TaskPart.objects.filter(pk=part_id).update(
        state=State.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
    )


def progress(run: TaskRun) -> dict:
    """How far the job is: ids done of all, parts done of all, and each failed part with why."""
    parts = list(run.parts.only("label", "items", "state", "error"))
    done = [part for part in parts if part.state == State.DONE]
    return {
        "done": sum(len(part.items) for part in done),
        "total": sum(len(part.items) for part in parts),
        "parts_done": len(done),
        "parts": len(parts),
        "failed": [
            {"part": part.label, "error": part.error}
            for part in parts
            if part.state == State.FAILED
        ],
    }


def interrupted(run: TaskRun) -> bool:
    """A part marked running whose worker no longer holds it (killed, or its machine lost), and
    that did not end while its worker was asked."""
    running = run.parts.filter(state=State.RUNNING).exclude(worker="")
    return any(
        not worker_holds(part.task_id, part.worker)
        and running.filter(pk=part.pk, task_id=part.task_id).exists()
        for part in running
    )


def job_state(run: TaskRun) -> tuple[str, dict | None]:
    """The job's state and, while it runs, its progress. A job in parts runs until every part
    is done or failed and its last task has answered; it is interrupted when a running part's
    worker is gone. A job not (yet) in parts is its task's state (`core.tasks.state_of`)."""
    result = AsyncResult(run.task_id)
    if not run.parts.exists():
        state = state_of(result)
        info = result.info if isinstance(result.info, dict) else {}
        return state, {"done": info.get("done", 0), "total": info.get("total", 0)}
    if run.parts.filter(state__in=[State.QUEUED, State.RUNNING]).exists():
        return (INTERRUPTED if interrupted(run) else "PROGRESS"), progress(run)
    if result.state in (states.SUCCESS, states.FAILURE):
        return result.state, None
    return "PROGRESS", progress(run)
