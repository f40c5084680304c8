"""``rwakit serve``: the HTTP API on uvicorn (uvloop, httptools), N worker processes."""

import uvicorn
from rich.console import Console

from rwakit.api.client_ip import ClientIpResolver
from rwakit.api.rate_limits import parse_limit
from rwakit.api.response_cache import parse_ttls
from rwakit.api.serve import prepare
from rwakit.api.signing_secret import jwt_secret
from rwakit.config import Settings, SettingsError, get_settings

console = Console()


def serve() -> None:
    """Serve the API on RWAKIT_HOST:RWAKIT_API_PORT (docs at /docs) with RWAKIT_API_WORKERS."""
    settings = get_settings()
    check_api_settings(settings)
    jwt_secret(settings)  # a missing or short secret fails here, not in every worker
    settings.wallet_kek()
    prepare(settings)
    url = f"http://{settings.host}:{settings.api_port}"
    console.print(
        f"rwakit API at [bold]{url}/api/v1[/] · docs {url}/docs · {settings.api_workers} worker(s)",
        highlight=False,
    )
    uvicorn.run(
        "rwakit.api.serve:app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.api_port,
        workers=settings.api_workers,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,  # per-request logs cost throughput; metrics count requests
        proxy_headers=False,  # client IPs come from RWAKIT_TRUSTED_PROXIES, not uvicorn
    )


def check_api_settings(settings: Settings) -> None:
    """The API's text settings parse, or one clear error before any worker starts."""
    try:
        parse_limit(settings.rate_limit_user, "RWAKIT_RATE_LIMIT_USER")
        parse_limit(settings.rate_limit_ip, "RWAKIT_RATE_LIMIT_IP")
        parse_ttls(settings.cache_ttls)
        ClientIpResolver(settings.trusted_proxies)
    except ValueError as exc:
        raise SettingsError(f"{exc} — fix or unset it") from None
