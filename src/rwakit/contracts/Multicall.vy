# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Many read calls in one eth_call
@notice Each call may be allowed to fail; a failing call that is not allowed to
        fail reverts the whole aggregate.
"""

struct Call:
    target: address
    allow_failure: bool
    call_data: Bytes[1024]

struct Result:
    success: bool
    return_data: Bytes[1024]

MAX_CALLS: constant(uint256) = 256


@external
def aggregate(calls: DynArray[Call, MAX_CALLS]) -> DynArray[Result, MAX_CALLS]:
    results: DynArray[Result, MAX_CALLS] = []
    for c: Call in calls:
        success: bool = False
        response: Bytes[1024] = b""
        success, response = raw_call(c.target, c.call_data, max_outsize=1024, revert_on_failure=False)
        assert success or c.allow_failure, "multicall: call failed"
        results.append(Result(success=success, return_data=response))
    return results


@external
@view
def getBlockNumber() -> uint256:
    return block.number


@external
@view
def getCurrentBlockTimestamp() -> uint256:
    return block.timestamp


@external
@view
def getBasefee() -> uint256:
    return block.basefee


@external
@view
def getChainId() -> uint256:
    return chain.id


@external
@view
def getEthBalance(account: address) -> uint256:
    return account.balance
