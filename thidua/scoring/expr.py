"""A small, safe arithmetic language over exact Fractions, used by library authors for
points written relative to P ("P-2") and by the `formula` kind.

The text is parsed with `ast.parse` and every node is checked against a whitelist; the tree
is then walked by hand. Nothing is ever compiled or executed. Allowed: decimal constants,
declared names, + − × / (and ** with a literal integer exponent |e| ≤ 10), unary ±,
comparisons only as the condition of `a if c else b`, and the functions min, max, abs,
floor, ceil, round (half-up). Limits: 500 characters, 200 syntax nodes, 4096-bit values.
"""

import ast
import math
import operator
import re
from collections.abc import Iterable, Mapping
from fractions import Fraction

from thidua.scoring.numbers import format_exact, round_half_up

MAX_LENGTH = 500
MAX_NODES = 200
MAX_EXPONENT = 10
MAX_BITS = 4096
FUNCTION_ARITY = {"min": (1, 50), "max": (1, 50), "abs": (1, 1), "floor": (1, 1)}
FUNCTION_ARITY |= {"ceil": (1, 1), "round": (1, 2)}
_CONSTANT_RE = re.compile(r"\d+(?:\.\d+)?")

_BINOPS = {
    ast.Add: (operator.add, " + ", 10),
    ast.Sub: (operator.sub, " − ", 10),
    ast.Mult: (operator.mul, " × ", 20),
    ast.Div: (operator.truediv, "/", 20),
    ast.Pow: (operator.pow, "^", 40),
}
_COMPARE = {
    ast.Lt: (operator.lt, " < "),
    ast.LtE: (operator.le, " ≤ "),
    ast.Gt: (operator.gt, " > "),
    ast.GtE: (operator.ge, " ≥ "),
    ast.Eq: (operator.eq, " == "),
    ast.NotEq: (operator.ne, " ≠ "),
}
_REFUSED = {
    ast.Attribute: "truy cập thuộc tính",
    ast.Subscript: "chỉ số, lát cắt",
    ast.Lambda: "hàm lambda",
    ast.ListComp: "biểu thức danh sách",
    ast.SetComp: "biểu thức tập hợp",
    ast.DictComp: "biểu thức từ điển",
    ast.GeneratorExp: "biểu thức sinh",
    ast.NamedExpr: "phép gán :=",
    ast.BoolOp: "and/or",
    ast.Tuple: "bộ giá trị",
    ast.List: "danh sách",
    ast.Dict: "từ điển",
    ast.Set: "tập hợp",
    ast.JoinedStr: "chuỗi ký tự",
    ast.Starred: "dấu *",
}


class ExprError(ValueError):
    """The expression is refused or cannot be evaluated; the message is Vietnamese."""


class ExprZeroDivision(ExprError):
    pass


class Expression:
    """A validated expression. `names` are the only names it may use."""

    def __init__(self, text: str, names: Iterable[str]):
        if not isinstance(text, str):
            raise ExprError(f"biểu thức phải là chuỗi (nhận được {type(text).__name__})")
        if not text.strip():
            raise ExprError("biểu thức trống")
        if len(text) > MAX_LENGTH:
            raise ExprError(f"biểu thức dài quá {MAX_LENGTH} ký tự")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            raise ExprError(f"biểu thức sai cú pháp: {text.strip()!r}") from exc
        if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
            raise ExprError(f"biểu thức quá phức tạp (tối đa {MAX_NODES} nút)")
        self.text = text.strip()
        self.allowed = frozenset(names)
        self.names_used: set[str] = set()
        self._constants: dict[int, Fraction] = {}
        self.tree = tree.body
        self._check(self.tree, condition=False)

    # -- validation -----------------------------------------------------------------------

    def _check(self, node: ast.AST, *, condition: bool) -> None:
        if isinstance(node, ast.Compare):
            if not condition:
                raise ExprError("phép so sánh chỉ được dùng làm điều kiện của 'a if c else b'")
            for op in node.ops:
                if type(op) not in _COMPARE:
                    raise ExprError(f"phép so sánh không được phép: {type(op).__name__}")
            for child in [node.left, *node.comparators]:
                self._check(child, condition=False)
            return
        if condition:
            raise ExprError("điều kiện của 'a if c else b' phải là một phép so sánh")
        if isinstance(node, ast.Constant):
            self._constants[id(node)] = self._constant(node)
        elif isinstance(node, ast.Name):
            if node.id not in self.allowed:
                known = ", ".join(sorted(self.allowed)) or "không có"
                raise ExprError(f"tên không được khai báo: {node.id} (chỉ dùng: {known})")
            self.names_used.add(node.id)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                raise ExprError(f"phép toán không được phép: {type(node.op).__name__}")
            if isinstance(node.op, ast.Pow):
                self._check_exponent(node.right)
            self._check(node.left, condition=False)
            self._check(node.right, condition=False)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.UAdd | ast.USub):
                raise ExprError(f"phép toán không được phép: {type(node.op).__name__}")
            self._check(node.operand, condition=False)
        elif isinstance(node, ast.IfExp):
            self._check(node.test, condition=True)
            self._check(node.body, condition=False)
            self._check(node.orelse, condition=False)
        elif isinstance(node, ast.Call):
            self._check_call(node)
        else:
            what = _REFUSED.get(type(node), type(node).__name__)
            raise ExprError(f"biểu thức không được dùng {what}")

    def _constant(self, node: ast.Constant) -> Fraction:
        value = node.value
        if isinstance(value, str | bytes):
            raise ExprError("biểu thức không được dùng chuỗi ký tự")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ExprError(f"hằng số không được phép: {value!r}")
        source = ast.get_source_segment(self.text, node)
        if source is None or not _CONSTANT_RE.fullmatch(source):
            raise ExprError(f"số không hợp lệ: {source} (chỉ dùng dạng 12 hoặc 12.5)")
        return Fraction(source)

    def _check_exponent(self, node: ast.AST) -> None:
        inner = node.operand if isinstance(node, ast.UnaryOp) else node
        if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.UAdd | ast.USub):
            inner = None
        ok = (
            isinstance(inner, ast.Constant)
            and type(inner.value) is int
            and abs(inner.value) <= MAX_EXPONENT
        )
        if not ok:
            raise ExprError(f"số mũ phải là số nguyên viết sẵn, trị tuyệt đối ≤ {MAX_EXPONENT}")

    def _check_call(self, node: ast.Call) -> None:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTION_ARITY:
            shown = name or type(node.func).__name__
            raise ExprError(f"hàm không được phép: {shown} (chỉ dùng: {', '.join(FUNCTION_ARITY)})")
        if node.keywords:
            raise ExprError(f"hàm {name} không nhận tham số có tên")
        low, high = FUNCTION_ARITY[name]
        if not low <= len(node.args) <= high:
            raise ExprError(f"hàm {name} nhận {low}–{high} tham số (nhận được {len(node.args)})")
        if name == "round" and len(node.args) == 2:
            places = node.args[1]
            if not (isinstance(places, ast.Constant) and type(places.value) is int):
                raise ExprError("round(x, n): n phải là số nguyên viết sẵn từ 0 đến 6")
            if not 0 <= places.value <= 6:
                raise ExprError("round(x, n): n phải là số nguyên viết sẵn từ 0 đến 6")
        for arg in node.args:
            self._check(arg, condition=False)

    # -- evaluation -----------------------------------------------------------------------

    def evaluate(self, env: Mapping[str, Fraction]) -> Fraction:
        """The exact value; raises ExprZeroDivision on a division by zero."""
        return self._eval(self.tree, env)

    def _eval(self, node, env):
        if isinstance(node, ast.Constant):
            return self._constants[id(node)]
        if isinstance(node, ast.Name):
            return Fraction(env[node.id])
        if isinstance(node, ast.UnaryOp):
            value = self._eval(node.operand, env)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            left, right = self._eval(node.left, env), self._eval(node.right, env)
            function = _BINOPS[type(node.op)][0]
            if isinstance(node.op, ast.Pow):
                right = int(right)
            try:
                result = Fraction(function(left, right))
            except ZeroDivisionError as exc:
                raise ExprZeroDivision("phép chia cho 0") from exc
            if max(result.numerator.bit_length(), result.denominator.bit_length()) > MAX_BITS:
                raise ExprError("giá trị trung gian quá lớn")
            return result
        if isinstance(node, ast.Compare):
            values = [self._eval(child, env) for child in [node.left, *node.comparators]]
            pairs = zip(node.ops, values, values[1:], strict=False)
            return all(_COMPARE[type(op)][0](a, b) for op, a, b in pairs)
        if isinstance(node, ast.IfExp):
            branch = node.body if self._eval(node.test, env) else node.orelse
            return self._eval(branch, env)
        return self._call(node, env)

    def _call(self, node: ast.Call, env) -> Fraction:
        name = node.func.id
        args = [self._eval(arg, env) for arg in node.args]
        if name == "min":
            return min(args)
        if name == "max":
            return max(args)
        if name == "abs":
            return abs(args[0])
        if name == "floor":
            return Fraction(math.floor(args[0]))
        if name == "ceil":
            return Fraction(math.ceil(args[0]))
        return round_half_up(args[0], int(args[1]) if len(args) == 2 else 0)

    # -- rendering ------------------------------------------------------------------------

    def render(self, env: Mapping[str, Fraction]) -> str:
        """The expression in Vietnamese notation with names replaced by their values:
        "min(P, meetings / 4 * P)" → "min(20; 3/4 × 20)"."""
        return self._render(self.tree, env)[0]

    def _render(self, node, env) -> tuple[str, int]:
        if isinstance(node, ast.Constant):
            return format_exact(self._constants[id(node)]), 50
        if isinstance(node, ast.Name):
            value = Fraction(env[node.id])
            text = format_exact(value).replace("-", "−")
            simple = value >= 0 and "/" not in text
            return (text if simple else f"({text})"), 50
        if isinstance(node, ast.UnaryOp):
            text = self._child(node.operand, env, 30, parens_on_equal=False)
            return ("−" if isinstance(node.op, ast.USub) else "+") + text, 30
        if isinstance(node, ast.BinOp):
            _, symbol, prec = _BINOPS[type(node.op)]
            is_pow = isinstance(node.op, ast.Pow)
            left_tight = is_pow
            right_tight = isinstance(node.op, ast.Sub | ast.Div) and not is_pow
            left = self._child(node.left, env, prec, parens_on_equal=left_tight)
            right = self._child(node.right, env, prec, parens_on_equal=right_tight)
            return f"{left}{symbol}{right}", prec
        if isinstance(node, ast.Compare):
            parts = [self._child(node.left, env, 6, parens_on_equal=True)]
            for op, child in zip(node.ops, node.comparators, strict=True):
                parts.append(_COMPARE[type(op)][1] + self._child(child, env, 6, True))
            return "".join(parts), 5
        if isinstance(node, ast.IfExp):
            body = self._render(node.body, env)[0]
            test = self._render(node.test, env)[0]
            orelse = self._render(node.orelse, env)[0]
            return f"({body} nếu {test}; ngược lại {orelse})", 50
        args = "; ".join(self._render(arg, env)[0] for arg in node.args)
        return f"{node.func.id}({args})", 50

    def _child(self, node, env, parent_prec: int, parens_on_equal: bool) -> str:
        text, prec = self._render(node, env)
        if prec < parent_prec or (parens_on_equal and prec == parent_prec):
            return f"({text})"
        return text

    @property
    def is_constant(self) -> bool:
        return not self.names_used

    @property
    def is_bare_name(self) -> bool:
        return isinstance(self.tree, ast.Name)


def parse_expression(text: str, names: Iterable[str]) -> Expression:
    return Expression(text, names)
