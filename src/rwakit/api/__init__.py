"""The HTTP API: a stateless FastAPI app (``create_app``) with one router per bounded context."""
