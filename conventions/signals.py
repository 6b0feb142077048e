"""Events lower layers announce and upper layers act on, so imports keep flowing one way."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once the transaction that signed, amended or paid a convention has committed. The open-data publication (financing) listens: conventions cannot import it.
convention_published_terms_changed = Signal()
