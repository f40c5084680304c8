"""Reads ``SystemStatus`` with one multicall ``eth_call`` per look, so every figure comes
from the same block and a page costs one round trip."""

import threading
from collections.abc import Sequence

from web3 import Web3

from rwakit.chain.handles import SystemContracts
from rwakit.chain.multicall import MulticallBatch
from rwakit.chain.rpc_endpoint import endpoint_label
from rwakit.chain.system_status import (
    AccountStatus,
    Holding,
    SystemStatus,
    TokenMetadata,
    TokenStatus,
    WatchedAccount,
)


class SystemStatusReader:
    """Reads ``SystemStatus``; safe to share between the status page's request threads."""

    def __init__(
        self, contracts: SystemContracts, rpc_url: str, watched: Sequence[WatchedAccount] = ()
    ) -> None:
        self.contracts = contracts
        self.rpc_endpoint = endpoint_label(rpc_url)  # the URL may carry an API key
        self.watched = tuple(watched)
        self._tokens: tuple[TokenMetadata, ...] = ()
        self._lock = threading.Lock()

    def read(self) -> SystemStatus:
        status, token_count = self._read_live(self._tokens)
        if token_count > len(status.tokens):
            # the factory made tokens since we last looked: learn them, then look again
            self._discover(token_count)
            status, _ = self._read_live(self._tokens)
        return status

    def _read_live(self, tokens: tuple[TokenMetadata, ...]) -> tuple[SystemStatus, int]:
        c = self.contracts
        mc, registry = c.multicall.functions, c.registry.functions
        batch = MulticallBatch(c.multicall)
        head = [
            batch.add(f()) for f in (mc.getChainId, mc.getBlockNumber, mc.getCurrentBlockTimestamp)
        ]
        count = batch.add(c.factory.functions.token_count())
        identities = [
            (
                batch.add(registry.investorCountry(a.address)),
                batch.add(registry.isVerified(a.address)),
            )
            for a in self.watched
        ]
        per_token = []
        for meta in tokens:
            fn = c.token(meta.address).functions
            figures = [batch.add(f()) for f in (fn.paused, fn.totalSupply, fn.holderCount)]
            balances = [batch.add(fn.balanceOf(a.address)) for a in self.watched]
            per_token.append((figures, balances))
        answers = batch.run()

        chain_id, block_number, timestamp = (answers[i] for i in head)
        accounts = tuple(
            AccountStatus(a.label, a.address, answers[country], answers[verified])
            for a, (country, verified) in zip(self.watched, identities, strict=True)
        )
        token_statuses = tuple(
            TokenStatus(
                meta,
                *(answers[i] for i in figures),
                tuple(
                    Holding(a.label, a.address, answers[i])
                    for a, i in zip(self.watched, balances, strict=True)
                ),
            )
            for meta, (figures, balances) in zip(tokens, per_token, strict=True)
        )
        status = SystemStatus(
            self.rpc_endpoint,
            chain_id,
            block_number,
            timestamp,
            c.deployment.contracts,
            accounts,
            token_statuses,
        )
        return status, answers[count]

    def _discover(self, token_count: int) -> None:
        with self._lock:
            known = len(self._tokens)
            if token_count <= known:
                return  # another request thread got here first
            factory = self.contracts.factory.functions
            batch = MulticallBatch(self.contracts.multicall)
            for i in range(known, token_count):
                batch.add(factory.token_at(i))
            addresses = [Web3.to_checksum_address(a) for a in batch.run()]
            batch = MulticallBatch(self.contracts.multicall)
            for address in addresses:
                fn = self.contracts.token(address).functions
                for read in (fn.name, fn.symbol, fn.decimals, fn.asset_type):
                    batch.add(read())
            answers = batch.run()
            new = [
                TokenMetadata(address, *answers[4 * n : 4 * n + 4])
                for n, address in enumerate(addresses)
            ]
            self._tokens = (*self._tokens, *new)
