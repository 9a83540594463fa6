"""`pocketbook db_worker`: django-tasks' database worker, which also works the LINE events' queue.

The LINE events are claimed from their own table (see `channels/line/queue/`) by a thread beside the task
loop, so a slow task never delays an answer to a reporter. Killing the process at any moment loses nothing:
the leases run out and the next worker takes the events up again.
"""

from __future__ import annotations

import logging
import os
import threading
from argparse import ArgumentParser
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as TasksWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_interval

from pocketbook.incidents.channels.line.queue.worker import events_drain, events_run

logger = logging.getLogger(__name__)


class Command(TasksWorkerCommand):
    help = "Run the background worker: queued tasks and LINE events"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--line-interval",
            default=0.2,
            type=valid_interval,
            help="Seconds between looks at the LINE events' queue when it is empty (default: %(default)r)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        line_interval = options.pop("line_interval")
        in_reloader_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if options.get("batch"):
            drained = events_drain()
            logger.info("LINE events: %d worked in batch mode", drained)
        elif not in_reloader_parent:
            stop = threading.Event()
            thread = threading.Thread(
                target=events_run,
                kwargs={"stop": stop, "interval": line_interval},
                name="line-events",
                daemon=True,
            )
            thread.start()
        super().handle(*args, **options)
