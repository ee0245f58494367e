"""What every service that runs engine calls for a caller is built over.

``ServiceParts`` bundles the four parts they all need: the engine registry, the blob store,
the metering that charges the caller and the executor that runs a registered call inline or
on the queue. The composition root (``seesay.platform``) builds it once; the CLI's local mode
swaps in a no-op metering with ``dataclasses.replace`` and builds the same services over it.
``EngineService`` is the base that keeps the parts under the names the services use.
"""

from __future__ import annotations

from dataclasses import dataclass

from seesay.engines.registry import EngineRegistry
from seesay.jobs.service import InferenceExecutor
from seesay.services.metering import Metering
from seesay.storage import BlobStore

__all__ = ["EngineService", "ServiceParts"]


@dataclass(frozen=True, slots=True)
class ServiceParts:
    engines: EngineRegistry
    storage: BlobStore
    metering: Metering
    executor: InferenceExecutor


class EngineService:
    """Base of the services over engines: holds ``parts`` as ``_engines``, ``_storage``,
    ``_metering`` and ``_executor``."""

    def __init__(self, parts: ServiceParts) -> None:
        self._parts = parts
        self._engines = parts.engines
        self._storage = parts.storage
        self._metering = parts.metering
        self._executor = parts.executor
