"""Event handlers, one module per contract: each maps an event name to a function
``(event, state)`` that changes read-model rows through ``RangeState``."""
