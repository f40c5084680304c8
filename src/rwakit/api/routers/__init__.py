"""One router module per bounded context, each mounted under ``/api/v1``."""
