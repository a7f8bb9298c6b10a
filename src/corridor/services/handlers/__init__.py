"""The handlers of every command, one module per kind of use case.

Importing this package registers each handler with `corridor.services.bus`.
"""

from corridor.services.handlers import convoys, deal, incidents, operations, trips

__all__ = ["convoys", "deal", "incidents", "operations", "trips"]
