"""Models you can pull: the catalogue shipped in the package (``catalogue.json``), the folder
of pulled models (``store``), downloads from the Hugging Face Hub (``hub``) and the manager
behind ``seesay models`` (``manager``).

Nothing here reads the network at import or start-up; ``open_manager`` builds a manager from
settings without making a request.
"""

from __future__ import annotations

from pathlib import Path

from seesay.models.argos import ArgosSource
from seesay.models.catalogue import Catalogue, CatalogueEntry, load_catalogue
from seesay.models.hub import HubSource
from seesay.models.manager import ModelManager
from seesay.models.settings import ModelsSettings
from seesay.models.store import InstalledModel, ModelStore

__all__ = [
    "ArgosSource",
    "Catalogue",
    "CatalogueEntry",
    "HubSource",
    "InstalledModel",
    "ModelManager",
    "ModelStore",
    "ModelsSettings",
    "load_catalogue",
    "open_manager",
]


def open_manager(settings: ModelsSettings, data_dir: Path) -> ModelManager:
    """A manager over the models folder of ``data_dir`` (no request is made)."""
    return ModelManager(
        ModelStore(settings.folder(data_dir)),
        load_catalogue(settings.extra_catalogue),
        HubSource(endpoint=settings.hf_endpoint),
        ArgosSource(settings.argos_index_url),
    )
