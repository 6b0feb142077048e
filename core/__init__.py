"""Ground floor: plumbing shared by every app, no domain model."""
