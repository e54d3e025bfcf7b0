"""Arithmetic over metrics for `derived` metrics: `(revenue - spend) / spend`.

Parsed with Python's ast and restricted to numbers, metric names, + - * / and unary
minus, so a formula in YAML can never run code. Evaluation works on pandas Series of
aggregated values; a division by zero gives null, never infinity or zero.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class ExprError(ValueError):
    pass


@dataclass(frozen=True)
class Expr:
    text: str
    tree: ast.expr

    @cached_property
    def names(self) -> list[str]:
        """Metric names in the order they are written (a ratio's numerator first)."""
        out: list[str] = []
        for node in _in_order(self.tree):
            if isinstance(node, ast.Name) and node.id not in out:
                out.append(node.id)
        return out

    def evaluate(self, values: dict[str, pd.Series | float]):
        return _eval(self.tree, values)

    def is_linear(self) -> bool:
        return _linear(self.tree)

    def ratio_parts(self) -> tuple[ast.expr, ast.expr, float] | None:
        """(numerator, denominator, constant) when the formula is c * X / Y (or X / Y * c)
        with X, Y linear.

        Such a metric is a ratio of additive sums, so `explain` can split its change into
        rate and mix effects (e.g. roi = (revenue - spend) / spend, cpm = 1000 * spend / impressions).
        """
        node, constant = self.tree, 1.0
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            if isinstance(node.left, ast.Constant):
                constant, node = float(node.left.value), node.right
            elif isinstance(node.right, ast.Constant):
                constant, node = float(node.right.value), node.left
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and _linear(node.left) and _linear(node.right):
            return node.left, node.right, constant
        return None


def parse(text: str) -> Expr:
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        raise ExprError(f"cannot read formula {text!r}: {exc.msg}") from None
    for node in ast.walk(tree):
        allowed = (ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Load, ast.USub, ast.UAdd, *_OPS)
        if not isinstance(node, allowed):
            raise ExprError(f"formula {text!r} may only use metric names, numbers and + - * / ( )")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise ExprError(f"formula {text!r} has a constant that is not a number: {node.value!r}")
    return Expr(text, tree)


def _in_order(node: ast.expr):
    """Nodes left to right (ast.walk goes breadth first)."""
    if isinstance(node, ast.BinOp):
        yield from _in_order(node.left)
        yield node
        yield from _in_order(node.right)
    elif isinstance(node, ast.UnaryOp):
        yield node
        yield from _in_order(node.operand)
    else:
        yield node


def _linear(node: ast.expr) -> bool:
    """Sums and differences of metrics and numbers times metrics: additive over segments."""
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.UnaryOp):
        return _linear(node.operand)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        return _linear(node.left) and _linear(node.right)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return (isinstance(node.left, ast.Constant) and _linear(node.right)) or (
            isinstance(node.right, ast.Constant) and _linear(node.left))
    return False


def evaluate_node(node: ast.expr, values):
    return _eval(node, values)


def _eval(node: ast.expr, values):
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        inner = _eval(node.operand, values)
        return -inner if isinstance(node.op, ast.USub) else inner
    left, right = _eval(node.left, values), _eval(node.right, values)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    return divide(left, right)


def divide(numerator, denominator):
    """Division where a zero (or missing) denominator gives null."""
    if isinstance(denominator, pd.Series):
        safe = denominator.astype("float64").where(denominator != 0)
        return numerator / safe
    if isinstance(denominator, np.ndarray):
        with np.errstate(invalid="ignore"):
            return numerator / np.where(denominator == 0, np.nan, denominator)  # NaN stays NaN
    if denominator is None or denominator == 0 or (isinstance(denominator, float) and np.isnan(denominator)):
        return np.nan
    return numerator / denominator
