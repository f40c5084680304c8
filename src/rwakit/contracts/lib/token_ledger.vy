# pragma version 0.4.3
"""
@title Moving balances: lazy snapshots, holder counts, freezes, supply
@notice Every balance change goes through here, so snapshots and holder counts
        cannot drift from balances whichever entry point caused the change.
"""

from . import claims
from . import holders
from . import token_state

uses: token_state


@internal
def touch(account: address, word: uint256, last: uint256) -> uint256:
    """First change after a boundary: keep the balance the account had at it."""
    marker: uint256 = holders.snap(word)
    if marker >= last:
        return word
    old_balance: uint256 = holders.balance_of(word)
    # an all-zero entry reads as "balance 0, no earlier history": no need to write it
    if old_balance != 0 or marker != 0:
        token_state.balance_history[account][last] = old_balance | (marker << 96)
    return holders.with_snap(word, last)


@internal
def change_supply(cfg: uint256, minted: uint256, burned: uint256):
    word: uint256 = token_state.supply_word
    last: uint256 = holders.last_boundary(cfg)
    marker: uint256 = word >> 128
    supply: uint256 = word & holders.U128
    if marker < last:
        if supply != 0 or marker != 0:
            token_state.supply_history[last] = supply | (marker << 128)
        marker = last
    supply = supply + minted - burned
    assert supply <= holders.U96, "supply exceeds 2^96-1"
    token_state.supply_word = supply | (marker << 128)


@internal
def after_rules(sender: address, receiver: address, amount: uint256, cfg: uint256, minting: bool):
    """Book-keeping some rules need once a checked transfer or mint goes through."""
    rule_flags: uint256 = holders.rules(cfg)
    if rule_flags & holders.RULE_HOLDING_PERIOD != 0:
        token_state.locked_until[receiver] = block.timestamp + token_state.holding_period
    if not minting and rule_flags & holders.RULE_TRANSFER_APPROVAL != 0:
        key: bytes32 = token_state.approval_key(sender, receiver, amount)
        count: uint256 = token_state.transfer_approvals[key]
        if count != 0:
            token_state.transfer_approvals[key] = count - 1
    if minting and rule_flags & holders.RULE_ISSUANCE_LIMIT != 0:
        issued: uint256 = token_state.issued_after(amount)
        if issued == amount:
            token_state.issuance_window_start = block.timestamp
        token_state.issued_in_window = issued


@internal
def count_country(account: address, registry: address, joining: bool):
    if joining:
        country: uint256 = claims.country(staticcall token_state.IdentityRegistry(registry).identityWord(account))
        token_state.counted_country[account] = country
        token_state.country_holders[country] += 1
        return
    counted: uint256 = token_state.counted_country[account]
    token_state.counted_country[account] = 0
    entry: uint256 = token_state.country_holders[counted]
    if counted != 0 and entry & holders.U128 != 0:
        token_state.country_holders[counted] = entry - 1


@internal
def move(sender: address, receiver: address, amount: uint256, sender_word: uint256, receiver_word: uint256, cfg: uint256, unfreeze: bool, registry: address) -> (uint256, uint256):
    """
    Move `amount` between two holders whose words the caller has just read. Writes
    the receiver's word and returns (the sender's new word, the new config word):
    the caller stores the sender's word, once per batch when the sender repeats.
    Agent moves (`unfreeze`) may spend partially frozen tokens, unfreezing them.
    """
    last: uint256 = holders.last_boundary(cfg)
    # the marker test inline: after the first item a batch sender never needs `touch`
    from_word: uint256 = sender_word
    if holders.snap(from_word) < last:
        from_word = self.touch(sender, sender_word, last)
    from_balance: uint256 = holders.balance_of(from_word)
    assert from_balance >= amount, "insufficient balance"
    if unfreeze:
        free: uint256 = from_balance - holders.frozen(from_word)
        if free < amount:
            from_word = holders.with_frozen(from_word, holders.frozen(from_word) - (amount - free))
            log token_state.TokensUnfrozen(user_address=sender, amount=amount - free)
    log token_state.Transfer(sender=sender, receiver=receiver, value=amount)
    if sender == receiver:
        return from_word, cfg
    from_word = holders.with_balance(from_word, unsafe_sub(from_balance, amount))
    to_word: uint256 = receiver_word
    if holders.snap(to_word) < last:
        to_word = self.touch(receiver, receiver_word, last)
    to_balance: uint256 = holders.balance_of(to_word)
    token_state.holder_words[receiver] = holders.with_balance(to_word, to_balance + amount)
    if amount == 0 or (to_balance != 0 and from_balance != amount):
        return from_word, cfg
    count: uint256 = holders.holder_count(cfg)
    by_country: bool = holders.rules(cfg) & holders.RULE_COUNTRY_HOLDER_CAP != 0
    if to_balance == 0:
        count += 1
        if by_country:
            self.count_country(receiver, registry, True)
    if from_balance == amount:
        count -= 1
        if by_country:
            self.count_country(sender, registry, False)
    return from_word, holders.with_holder_count(cfg, count)


@internal
def mint_to(receiver: address, amount: uint256, cfg: uint256, registry: address) -> uint256:
    to_word: uint256 = self.touch(receiver, token_state.holder_words[receiver], holders.last_boundary(cfg))
    to_balance: uint256 = holders.balance_of(to_word)
    token_state.holder_words[receiver] = holders.with_balance(to_word, to_balance + amount)
    log token_state.Transfer(sender=empty(address), receiver=receiver, value=amount)
    if to_balance != 0 or amount == 0:
        return cfg
    if holders.rules(cfg) & holders.RULE_COUNTRY_HOLDER_CAP != 0:
        self.count_country(receiver, registry, True)
    return holders.with_holder_count(cfg, holders.holder_count(cfg) + 1)


@internal
def burn_from(account: address, amount: uint256, cfg: uint256, registry: address) -> uint256:
    word: uint256 = self.touch(account, token_state.holder_words[account], holders.last_boundary(cfg))
    bal: uint256 = holders.balance_of(word)
    assert bal >= amount, "burn exceeds balance"
    free: uint256 = bal - holders.frozen(word)
    if free < amount:
        word = holders.with_frozen(word, holders.frozen(word) - (amount - free))
        log token_state.TokensUnfrozen(user_address=account, amount=amount - free)
    token_state.holder_words[account] = holders.with_balance(word, unsafe_sub(bal, amount))
    log token_state.Transfer(sender=account, receiver=empty(address), value=amount)
    if bal != amount or amount == 0:
        return cfg
    if holders.rules(cfg) & holders.RULE_COUNTRY_HOLDER_CAP != 0:
        self.count_country(account, registry, False)
    return holders.with_holder_count(cfg, holders.holder_count(cfg) - 1)
