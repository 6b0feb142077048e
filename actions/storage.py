"""Kept for the migrations that name `actions.storage.private_storage`."""

from core.storage import PrivateStorage, private_storage

__all__ = ["PrivateStorage", "private_storage"]
