"""Every event in every contract ABI has a handler or is ignored with a reason, so a new
event cannot silently drift past the index."""

from rwakit.contracts.build import load_artifacts
from rwakit.indexer.matcher import HANDLER_MODULES, KIND_ARTIFACTS, NOT_YET_INDEXED


def test_every_abi_event_is_handled_or_ignored_with_a_reason() -> None:
    artifacts = load_artifacts()
    missing, both = [], []
    for kind, names in KIND_ARTIFACTS.items():
        module = HANDLER_MODULES[kind]
        for name in names:
            for item in artifacts[name].abi:
                if item["type"] != "event":
                    continue
                event = item["name"]
                if event not in module.HANDLERS and event not in module.IGNORED:
                    missing.append(f"{name}.{event}")
                if event in module.HANDLERS and event in module.IGNORED:
                    both.append(f"{name}.{event}")
        assert all(reason.strip() for reason in module.IGNORED.values())
    assert missing == [], "add a handler or an IGNORED entry with a reason"
    assert both == []


def test_every_contract_with_events_is_indexed() -> None:
    covered = {name for names in KIND_ARTIFACTS.values() for name in names}
    assert all(reason.strip() for reason in NOT_YET_INDEXED.values())
    covered |= set(NOT_YET_INDEXED)
    with_events = {
        name
        for name, artifact in load_artifacts().items()
        if any(item["type"] == "event" for item in artifact.abi)
    }
    assert with_events <= covered


def test_handlers_name_only_events_the_abis_have() -> None:
    artifacts = load_artifacts()
    for kind, names in KIND_ARTIFACTS.items():
        events = {i["name"] for n in names for i in artifacts[n].abi if i["type"] == "event"}
        module = HANDLER_MODULES[kind]
        assert set(module.HANDLERS) | set(module.IGNORED) <= events, kind
