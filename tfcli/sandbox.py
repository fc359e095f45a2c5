"""Limits on rendering the group's template. Any contributor can change `templates/meeting.md`,
so a template must not be able to run for ever or fill the memory: Jinja's sandbox keeps it
away from Python internals, this module bounds what it can build (docs/templates.md, Limits).

How: every place where a template can make something big or slow passes through a check.
Loops and the text a template writes (everywhere, also into `{% set %}` blocks and macros)
go through two hidden filters added at compile time; binary operators, `~`, calls and filters
through the sandbox's hooks. Sizes are checked before the operation when it could multiply
(`'x' * 10**10`, `replace`, `join`, widths in a format string) and on every result after.
A deadline is checked at each of those points, and on Linux the address space is capped while
rendering, as a backstop for anything a check does not foresee.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

MAX_RANGE = 10_000  # items in one range()
MAX_SIZE = 1_000_000  # characters in one string, items in one list (nested ones counted)
MAX_WRITTEN = 10_000_000  # characters written in all, kept or not ({% set %} blocks, macros)
MAX_OUTPUT = 2 * 1024 * 1024  # characters of the rendered file: a minutes file's size limit
MAX_INT_BITS = 4096  # a number of more than 1,233 digits is no meeting's business
MAX_SECONDS = 1.0
MEMORY_MIB = 512  # Linux: address space a render may add (the backstop)


class LimitError(Exception):
    """A template passed one of the limits above."""


def weight(value: Any, budget: int = MAX_SIZE) -> int:
    """Characters and items in `value`, counted through lists, tuples, sets, dicts and
    namespaces, so that a list holding one long string many times counts it every time (its
    text would be). Stops counting past `budget`."""
    if isinstance(value, str):  # the common case, first
        return len(value)
    if not isinstance(value, list | tuple | set | frozenset | dict | Namespace | bytes):
        return 1
    total, todo = 0, [value]
    while todo and total <= budget:
        v = todo.pop()
        if isinstance(v, str | bytes):
            total += len(v)
        elif isinstance(v, list | tuple | set | frozenset):
            total += len(v)
            todo.extend(v)
        elif isinstance(v, dict):
            total += len(v)
            todo.extend(v.keys())
            todo.extend(v.values())
        elif isinstance(v, Namespace):
            todo.append(dict(v._Namespace__attrs))
        else:
            total += 1
    return total


def _fits(value: Any, what: str) -> Any:
    if weight(value) > MAX_SIZE:
        raise LimitError(f"{what} has more than {MAX_SIZE:,} characters or items")
    return value


def _size(n: int, what: str) -> None:
    if n > MAX_SIZE:
        raise LimitError(f"{what} of {n:,} characters or items (at most {MAX_SIZE:,})")


def _number(value: Any, what: str) -> None:
    if isinstance(value, int) and abs(value) > MAX_SIZE:
        raise LimitError(f"{what} {value:,} (at most {MAX_SIZE:,})")


# A conversion in a %-format: width and precision are numbers or `*` (taken from the values).
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACES_WIDTH = re.compile(r"\d+")


def _format_widths(fmt: str, values: Iterable[Any], percent: bool) -> None:
    """Widths and precisions in a format string (`%10000000s`, `{:>10000000}`) add up to at
    most MAX_SIZE; so do the values when they give widths (`%*s`, `{:{}}`)."""
    total, from_values = len(fmt), False
    if percent:
        for m in _PERCENT.finditer(fmt):
            total += sum(int(g) for g in m.groups() if g and g != "*")
            from_values = from_values or "*" in m.groups()
    else:
        import string

        try:
            specs = [spec or "" for _, _, spec, _ in string.Formatter().parse(fmt)]
        except ValueError:
            return  # str.format will say what is wrong
        total += sum(int(n) for spec in specs for n in _BRACES_WIDTH.findall(spec))
        from_values = any("{" in spec for spec in specs)
    if from_values:
        total += sum(abs(v) for v in values if isinstance(v, int) and not isinstance(v, bool))
    _size(total, "a formatted string")


def _replaced(text: str, old: Any, new: Any, count: Any = -1) -> None:
    if isinstance(old, str) and isinstance(new, str):
        hits = text.count(old) if old else len(text) + 1
        if isinstance(count, int) and count >= 0:
            hits = min(hits, count)
        _size(len(text) + hits * max(0, len(new) - len(old)), "a replace() result")


def _joined(sep: Any, items: Any) -> Any:
    """The items as a list (a generator can be read once only), after checking the size."""
    items = list(items)
    sep_len = len(sep) if isinstance(sep, str) else 0
    _size(sep_len * max(0, len(items) - 1) + weight(items), "a joined string")
    return items


def _method_args(method: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Checks before a str method that can multiply its text; returns the arguments to use."""
    text, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
    if not isinstance(text, str):
        return args
    if name in ("ljust", "rjust", "center", "zfill") and args:
        _number(args[0], f"{name}() width")
    elif name == "expandtabs":
        tab = args[0] if args and isinstance(args[0], int) else 8
        _size(len(text) + text.count("\t") * max(0, tab), "an expandtabs() result")
    elif name == "replace" and len(args) >= 2:
        _replaced(text, *args[:3])
    elif name == "join" and args:
        return (_joined(text, args[0]), *args[1:])
    return args


def _filter_args(name: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Checks before a built-in filter that can multiply its input; `args[0]` is the value."""
    value = args[0] if args else None
    rest = [*args[1:], *kwargs.values()]
    if name in ("center", "batch", "slice", "truncate", "wordwrap"):
        for v in rest:
            _number(v, f"{name} argument")
    if name == "replace" and isinstance(value, str) and len(args) >= 3:
        _replaced(value, *args[1:4])
    elif name == "join":
        sep = args[1] if len(args) > 1 else kwargs.get("d", "")
        args[0] = _joined(sep, value)
    elif name == "format" and isinstance(value, str):
        _format_widths(value, rest, percent=True)
    elif name == "indent" and isinstance(value, str):
        width = args[1] if len(args) > 1 else kwargs.get("width", 4)
        pad = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        _size(len(value) + (value.count("\n") + 1) * max(0, pad), "an indented string")
    elif name == "wordwrap" and isinstance(value, str):
        wrap = args[4] if len(args) > 4 else kwargs.get("wrapstring") or "\n"
        _size(len(value) * max(1, len(str(wrap))), "a wrapped string")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the limits of this module. One per render: the deadline
    starts when it is made, and compiling counts."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code_generator_class = _BoundedCodeGenerator
        self.deadline = time.monotonic() + MAX_SECONDS
        self.written = 0
        self.globals["range"] = self._range
        del self.globals["lipsum"]  # lipsum(n, min, max) makes n * max words by design
        self.filters = {name: self._guard(name, f) for name, f in self.filters.items()}
        self.filters["tf_loop"] = pass_context(lambda _ctx, items: self._loop(items))
        self.filters["tf_write"] = pass_context(lambda _ctx, value: self._write(value))
        self.finalize = self._write  # every value a template writes, {{ ... }}

    def add_filters(self, filters: dict[str, Callable[..., Any]]) -> None:
        self.filters.update({name: self._guard(name, f) for name, f in filters.items()})

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitError(f"rendering took more than {MAX_SECONDS:g} second")

    def _range(self, *args: int) -> range:
        self.tick()
        items = range(*args)
        if len(items) > MAX_RANGE:
            raise LimitError(f"a range of {len(items):,} numbers (at most {MAX_RANGE:,})")
        return items

    def _loop(self, items: Any) -> Iterator[Any]:
        self.tick()
        for item in items:
            self.tick()
            yield item

    def _write(self, value: Any) -> Any:
        self.tick()
        size = weight(value)
        if size > MAX_SIZE:
            raise LimitError(f"text written has more than {MAX_SIZE:,} characters or items")
        self.written += size
        if self.written > MAX_WRITTEN:
            raise LimitError(f"the template wrote more than {MAX_WRITTEN:,} characters in all")
        return value

    def _guard(self, name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        skip = 1 if getattr(f, "jinja_pass_arg", None) is not None else 0

        @functools.wraps(f)  # keeps jinja_pass_arg, which says what Jinja passes first
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            values = list(args[skip:])
            _fits([values, kwargs], f"the input of the filter {name}")
            _filter_args(name, values, kwargs)
            return _fits(f(*args[:skip], *values, **kwargs), f"a value made by the filter {name}")

        return guarded

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "*":
            seq, n = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(n, int) and not isinstance(seq, int):
                _size(weight(seq) * max(0, n), "a repeated value")
            elif isinstance(left, int) and isinstance(right, int):
                _bits(abs(left).bit_length() + abs(right).bit_length())
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            _bits(abs(left).bit_length() * max(0, right))
        elif operator == "+" and not isinstance(left, int | float):
            _size(weight(left) + weight(right), "a joined value")
        elif operator == "%" and isinstance(left, str):
            values = right if isinstance(right, tuple) else (right,)
            _format_widths(left, values, percent=True)
        return _fits(super().call_binop(context, operator, left, right), f"a result of {operator}")

    def tilde(self, values: tuple[Any, ...]) -> str:
        """`a ~ b`: every operand as text, their total size checked before joining."""
        self.tick()
        parts = [str(_fits(v, "an operand of ~")) for v in values]
        _size(sum(map(len, parts)), "a string made with ~")
        return "".join(parts)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.tick()
        _fits([args, kwargs], "the arguments of a call")
        args = _method_args(__obj, args)
        return _fits(super().call(__context, __obj, *args, **kwargs), "a value returned by a call")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        fmt = value.__self__

        @functools.wraps(wrapper)
        def bounded(*args: Any, **kwargs: Any) -> str:
            values = [*args, *kwargs.values()]
            if value.__name__ == "format_map" and args and isinstance(args[0], dict):
                values = list(args[0].values())
            _format_widths(fmt, values, percent=False)
            return wrapper(*args, **kwargs)

        return bounded


def _bits(n: int) -> None:
    if n > MAX_INT_BITS:
        raise LimitError(f"a number of more than {MAX_INT_BITS:,} bits")


class _BoundedCodeGenerator(CodeGenerator):
    """Routes loops, template text and `~` through BoundedEnvironment: the sandbox has no hook
    for them. The hidden filters pass the context, which keeps Jinja from running them once at
    compile time instead of at each turn."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            loop.iter = _hidden_filter("tf_loop", loop.iter)  # type: ignore[arg-type]
        # Text written once at the top level is counted by render_bounded(); text in a loop,
        # a macro or a block can be written many times into a buffer, so it is counted here.
        # (Values written, `{{ ... }}`, go through the finalize hook.)
        for body in node.find_all(_REPEATED):
            for out in body.find_all(nodes.Output):
                out.nodes = [_written(n) for n in out.nodes]
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.tilde((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


_REPEATED = (nodes.For, nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.AssignBlock)


def _written(node: nodes.Expr) -> nodes.Expr:
    """Template text as a constant through the hidden filter that counts written text."""
    if isinstance(node, nodes.TemplateData):
        return _hidden_filter("tf_write", nodes.Const(node.data, lineno=node.lineno))
    return node


def _hidden_filter(name: str, node: nodes.Expr) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


def render_bounded(template: Any, context: dict[str, Any]) -> str:
    """Render, stopping past MAX_OUTPUT characters, with the address space capped (Linux)."""
    env: BoundedEnvironment = template.environment
    env.deadline = time.monotonic() + MAX_SECONDS  # compiling a long template is not its fault
    out: list[str] = []
    size = 0
    with _memory_cap():
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise LimitError(f"the output is longer than {MAX_OUTPUT:,} characters")
            env.tick()
            out.append(chunk)
    return "".join(out)


@contextmanager
def _memory_cap() -> Iterator[None]:
    """RLIMIT_AS at the current size plus MEMORY_MIB while rendering, where the platform has
    it (Linux): an allocation past it is a MemoryError, not a machine that swaps for minutes."""
    old = None
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as f:
            used = int(f.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = used + MEMORY_MIB * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft == resource.RLIM_INFINITY or soft > cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
            old = (soft, hard)
    except (ImportError, OSError, ValueError):
        pass  # no cap on this platform: the checks above still hold
    try:
        yield
    finally:
        if old is not None:
            resource.setrlimit(resource.RLIMIT_AS, old)
