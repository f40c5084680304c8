"""The client's IP: the socket peer, or ``X-Forwarded-For`` when the peer is a trusted proxy.

Forwarded headers are walked from the right (the entry our proxy appended) past every
trusted hop; anything further left is what the client claimed and is not believed.
"""

import ipaddress
from collections.abc import Sequence

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ClientIpResolver:
    def __init__(self, trusted_proxies: Sequence[str]) -> None:
        try:
            self._trusted: list[_Network] = [
                ipaddress.ip_network(p, strict=False) for p in trusted_proxies
            ]
        except ValueError as exc:
            raise ValueError(f"RWAKIT_TRUSTED_PROXIES: {exc}") from None

    def _is_trusted(self, ip: str) -> bool:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(address in network for network in self._trusted)

    def resolve(self, peer: str | None, forwarded_for: str | None) -> str:
        peer = peer or "unknown"
        if not forwarded_for or not self._is_trusted(peer):
            return peer
        hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
        for hop in reversed(hops):
            if not self._is_trusted(hop):
                return hop
        return hops[0] if hops else peer
