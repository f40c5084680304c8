"""JSON-RPC envelopes out, and the usable answers read back from what an endpoint replied."""

from collections.abc import Mapping, Sequence
from typing import Any

from rwakit.chain.rpc_errors import EndpointFailure, is_rate_limited

Response = dict[str, Any]  # one JSON-RPC response object: "result" or "error"


def envelope(request_id: int, method: str, params: Any) -> Response:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or []}


def _is_response(body: Any) -> bool:
    return isinstance(body, Mapping) and ("result" in body or "error" in body)


def single_answer(body: Any) -> Response:
    """The response to one call; raises EndpointFailure when it is garbage or throttling."""
    if not _is_response(body):
        raise EndpointFailure("bad_response")
    if is_rate_limited(body.get("error")):
        raise EndpointFailure("rate_limited")
    return dict(body)


def slot_answers(body: Any, pending: Sequence[int]) -> dict[int, Response]:
    """The usable answers in a batch reply, by slot (= id); throttled items count as missing."""
    if isinstance(body, Mapping):  # one error object for the whole batch (e.g. too large)
        error = body.get("error")
        if error is None:
            raise EndpointFailure("bad_response")
        if is_rate_limited(error):
            raise EndpointFailure("rate_limited")
        return {slot: {"jsonrpc": "2.0", "id": slot, "error": error} for slot in pending}
    if not isinstance(body, list):
        raise EndpointFailure("bad_response")
    wanted = set(pending)
    answers: dict[int, Response] = {}
    for item in body:
        if not _is_response(item) or is_rate_limited(item.get("error")):
            continue
        slot = item.get("id")
        if isinstance(slot, int) and slot in wanted:
            answers[slot] = dict(item)
    return answers
