"""Durable jobs: Huey queue, job records, runner, reaper, webhooks."""

from seesay.jobs.handlers import Handlers, JobContext
from seesay.jobs.presenter import JobPresenter, job_event
from seesay.jobs.queue import open_queue
from seesay.jobs.runner import JobRuntime
from seesay.jobs.service import InferenceExecutor, JobService
from seesay.jobs.store import JobStore, JobView
from seesay.jobs.webhooks import WebhookSender, verify_signature, webhook_secret

__all__ = [
    "Handlers",
    "InferenceExecutor",
    "JobContext",
    "JobPresenter",
    "JobRuntime",
    "JobService",
    "JobStore",
    "JobView",
    "WebhookSender",
    "job_event",
    "open_queue",
    "verify_signature",
    "webhook_secret",
]
