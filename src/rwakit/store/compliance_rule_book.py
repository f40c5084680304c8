"""``ComplianceRuleBook``: the compliance rules the indexer keeps per contract — a token's
own, or the identity registry's global ones — in keyset pages on (kind, subject)."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select

from rwakit.store import input_checks
from rwakit.store.read_model_tables import compliance_rules
from rwakit.store.repository import Repository

MAX_PAGE_SIZE = 500
_r = compliance_rules.c


@dataclass(frozen=True)
class RuleRow:
    kind: str
    subject: str
    value: Any
    updated_block: int


class ComplianceRuleBook(Repository):
    def rules(
        self, contract: str, *, after: tuple[str, str] | None = None, limit: int = 100
    ) -> list[RuleRow]:
        """``contract``'s rules by (kind, subject); ``limit`` + 1 rows tell the caller
        there is more."""
        contract = input_checks.address(contract, "contract").lower()
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be 1 to {MAX_PAGE_SIZE}; got {limit!r}")
        stmt = select(_r.kind, _r.subject, _r.value, _r.updated_block).where(
            _r.contract == contract
        )
        if after is not None:
            kind, subject = after
            stmt = stmt.where(or_(_r.kind > kind, and_(_r.kind == kind, _r.subject > subject)))
        stmt = stmt.order_by(_r.kind, _r.subject).limit(limit + 1)
        with self._read() as conn:
            return [RuleRow(**row) for row in conn.execute(stmt).mappings()]
