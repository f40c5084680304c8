"""Claim topics and identity expressions ("KYC AND (ACCREDITED OR PROFESSIONAL)").

A topic id is keccak256 of its name. Contracts take expressions in postfix form: a
list of 32-byte words, each a topic id or one of the operator words 1 AND, 2 OR, 3 NOT.
"""

import re

from eth_utils import keccak

BUILTIN_TOPICS = (
    "KYC",
    "AML",
    "ACCREDITED",
    "QUALIFIED_INSTITUTIONAL",
    "PROFESSIONAL",
    "REGULATION_S",
)
# the first five live inside the identity word on chain: cheapest to require
INLINE_TOPICS = BUILTIN_TOPICS[:5]
MAX_EXPRESSION_OPS = 12
# the contracts compile an expression to a truth table over at most six topics,
# at most three of them outside the five inline ones
MAX_EXPRESSION_TOPICS = 6
MAX_EXTRA_TOPICS = 3

OPERATORS = {"AND": 1, "OR": 2, "NOT": 3}
PRECEDENCE = {"OR": 1, "AND": 2, "NOT": 3}
_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z_][A-Za-z0-9_]*)")


class ExpressionError(ValueError):
    """The identity expression cannot be parsed; the message says where."""


def topic_id(name: str) -> bytes:
    if not name:
        raise ValueError("topic name is empty")
    return keccak(text=name)


def operator_word(name: str) -> bytes:
    return OPERATORS[name].to_bytes(32, "big")


def _tokens(expression: str) -> list[str]:
    tokens, position = [], 0
    text = expression.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise ExpressionError(f"unexpected character at {position}: {text[position:]!r}")
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def to_postfix(expression: str) -> list[str]:
    """Infix names (AND binds tighter than OR, NOT tightest, parentheses) to postfix names."""
    output: list[str] = []
    stack: list[str] = []
    expect_operand = True
    for token in _tokens(expression):
        word = token.upper()
        if token == "(":
            if not expect_operand:
                raise ExpressionError("missing operator before '('")
            stack.append(token)
        elif token == ")":
            if expect_operand:
                raise ExpressionError("missing operand before ')'")
            while stack and stack[-1] != "(":
                output.append(stack.pop())
            if not stack:
                raise ExpressionError("unbalanced ')'")
            stack.pop()
        elif word == "NOT":
            if not expect_operand:
                raise ExpressionError("NOT must come before its operand")
            stack.append(word)
        elif word in ("AND", "OR"):
            if expect_operand:
                raise ExpressionError(f"{word} needs an operand on its left")
            while stack and stack[-1] != "(" and PRECEDENCE[stack[-1]] >= PRECEDENCE[word]:
                output.append(stack.pop())
            stack.append(word)
            expect_operand = True
        else:
            if not expect_operand:
                raise ExpressionError(f"missing operator before {token!r}")
            output.append(token)
            expect_operand = False
    if expect_operand and (output or stack):
        raise ExpressionError("expression ends without an operand")
    while stack:
        top = stack.pop()
        if top == "(":
            raise ExpressionError("unbalanced '('")
        output.append(top)
    if len(output) > MAX_EXPRESSION_OPS:
        raise ExpressionError(f"expression has {len(output)} terms; at most {MAX_EXPRESSION_OPS}")
    topics = {name.upper() for name in output if name not in OPERATORS}
    if len(topics) > MAX_EXPRESSION_TOPICS:
        raise ExpressionError(
            f"expression names {len(topics)} topics; at most {MAX_EXPRESSION_TOPICS}"
        )
    extra = topics - set(INLINE_TOPICS)
    if len(extra) > MAX_EXTRA_TOPICS:
        raise ExpressionError(
            f"expression names {len(extra)} topics beyond {', '.join(INLINE_TOPICS)}; "
            f"at most {MAX_EXTRA_TOPICS}"
        )
    return output


def encode_expression(expression: str) -> list[bytes]:
    """The postfix word list a token or the registry takes; empty string means no rule."""
    return [
        operator_word(name) if name in OPERATORS else topic_id(name)
        for name in to_postfix(expression)
    ]
