"""The field app at /field: an offline-first PWA for monitors and reception desks.

Monitors count people on buses at checkpoints with bad or no connectivity. The
app caches its shell and the operation's reference data in a service worker,
keeps every capture in an IndexedDB outbox with its own idempotency key and
the device's time, and sends it through the same handlers as the API when a
connection returns. Decision record 0020.
"""
