"""The one Jinja2 environment every page goes through: autoescaped, sandboxed (a group's
templates come from a shared repo and must not run code), strict about undefined names, and
with the publication policy's redaction applied to every value a template prints."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import BuiltinMethodType, MethodType
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from jinja2.runtime import Context, Macro
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from tfcli.dates import long_date
from tfcli.errors import DataError
from tfcli.site.markdown import SUSPECT as _SUSPECT
from tfcli.site.markdown import slug
from tfcli.site.policy import Policy, safe_url, strip_controls
from tfcli.site.rows import MACROS, MEETING_MACROS, TRACKER_MACROS, Slow, macros

BUILTIN = Path(__file__).resolve().parent.parent / "defaults" / "site"

# Only the site's own files: scripts and styles from the site's folder, no inline code, no
# network. (Chromium treats file:// pages as same-origin with files beside them for 'self'.)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)


# Control characters are not allowed in HTML text (a parse error); terminal escapes in a
# field would otherwise reach the page.


FAST = True  # the built-in action macros as Python (tests turn it off to compare)
# Printed strings remembered at most, for the whole build (85,000 distinct short ones at
# 5,000 meetings, about 20 MiB): forgotten all at once when full.
MEMO_SIZE = 100_000
MEMO_LEN = 80  # longer ones (a paragraph of a note) seldom repeat


# How the usual participant groups read as headings; any other is shown as written.
GROUP_LABELS = {"government": "Government", "international": "International", "ngos": "NGOs"}


def group_label(name: str) -> str:
    return GROUP_LABELS.get(name, name)


# A plain dict has no attributes but these (no __dict__): any other name is one of its keys.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _DictFirst:
    """`a.status` on a dict (an action as pages show it) looks the key up at once: Jinja2
    tries the attribute first, and the AttributeError of each miss was a fifth of a page's
    render. Same answer: a dict's methods (`items`) still win over its keys."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)  # type: ignore[misc]


class _OneCall(CodeGenerator):
    """`{{ x }}` compiles to `environment.printed(x)`, not `escape(environment.finalize(x))`:
    one call per printed value (about 490,000 at 1,000 meetings), and `printed` remembers
    what a string became (most printed strings are statuses, dates, ids and names that
    repeat). The same two steps in the same order, so the same bytes; constants and
    `{% autoescape %}` blocks keep Jinja2's own code."""

    def _printed(self, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> bool:
        ctx = frame.eval_ctx
        return ctx.autoescape and not ctx.volatile and finalize.src == "environment.finalize("

    def _output_child_pre(
        self, node: Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if self._printed(frame, finalize):
            self.write("environment.printed(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(
        self, node: Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if self._printed(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


# The built-in macros file: its action macros run as tfcli.site.rows's Python (and the
# built-in tracker's rows); a macro of that name in any other file runs as written.
MACROS_FILE = str(BUILTIN / "_macros.html")
FAST_FILES = {
    **dict.fromkeys(MACROS, MACROS_FILE),
    **dict.fromkeys(TRACKER_MACROS, str(BUILTIN / "tracker.html")),
    **dict.fromkeys(MEETING_MACROS, str(BUILTIN / "meeting.html")),
}


# The macros a Python version stands in for too: the built-in tracker's rows call the
# `_macros.html` its page imported, perhaps the group's own (then its rows run as written).
USES = {"tracker_rows": ("status", "due", "history")}


def _builtin(macro: Any) -> bool:
    return type(macro) is Macro and macro._func.__code__.co_filename == MACROS_FILE


class _Context(Context):
    """Calls of the built-in `_macros.html`'s action macros go to their Python version
    (tfcli.site.rows); a macro of the group's own file, or a call the Python version does
    not take (another kind of value, a missing key), runs the template."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) is Macro:
            env: Any = __self.environment
            fast = env.fast_macros.get(__obj.name)
            if (
                fast is not None
                and __obj._func.__code__.co_filename == FAST_FILES[__obj.name]
                and all(_builtin(__self.get(name)) for name in USES.get(__obj.name, ()))
            ):
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
                try:
                    return fast(*args, **kwargs)
                except (Slow, KeyError, TypeError, AttributeError):
                    pass
        elif type(__obj) is BuiltinMethodType or (
            type(__obj) is MethodType and not hasattr(__obj, "jinja_pass_arg")
        ):
            # A method that takes no context (`p.label()`, `groups.items()`, `d.isoformat()`:
            # 70,000 calls on the meeting pages at 5,000): Context.call's own steps for it,
            # without its look-ups for a context to pass.
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


class _Plain(_DictFirst, Environment):
    """The built-in templates' environment (nothing sandboxed to check)."""

    code_generator_class = _OneCall

    def getattr(self, obj: Any, attribute: str) -> Any:
        # _DictFirst's, then Python's own attribute at once (`m.title`, `p.name`: 490,000 on
        # the meeting pages at 5,000); a miss goes the long way (an item, else undefined).
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        try:
            return getattr(obj, attribute)
        except AttributeError:
            return Environment.getattr(self, obj, attribute)

    context_class = _Context
    printed: Callable[[Any], Markup]
    memo: dict[str, Markup]
    fast_macros: dict[str, Callable[..., Markup]]


class _Sandboxed(_DictFirst, SandboxedEnvironment):
    code_generator_class = _OneCall
    context_class = _Context
    printed: Callable[[Any], Markup]
    memo: dict[str, Markup]
    fast_macros: dict[str, Callable[..., Markup]]


def environment(group_templates: Path | None, policy: Policy) -> Environment:
    """The environment: sandboxed when the group has its own templates (they come from a
    shared repository), a plain one for the built-in templates (3x faster attribute access)."""
    folders = [group_templates] if group_templates and group_templates.is_dir() else []

    def finalize(value: Any) -> Any:
        # Every string a template prints passes the policy, whatever field it came from;
        # one search tells the many that hold nothing to remove (Markup is not a plain str).
        if type(value) is str:
            return policy.redact(strip_controls(value)) if _SUSPECT.search(value) else value
        if isinstance(value, str) and not isinstance(value, Markup):
            return policy.redact(strip_controls(value))
        return value

    memo: dict[str, Markup] = {}
    known = memo.get

    def printed(value: Any) -> Markup:
        """escape(finalize(value)); a short string's result remembered for the build:
        statuses, dates, ids, names and an action's text repeat on a page and across pages
        (an action is on the tracker, its owners' pages and its meeting's page). Kept per
        page only, it missed 60 % of the time (0.6 s of 1.6 s for the meeting pages at 5,000)."""
        if type(value) is str:
            done = known(value)  # a hit first: most printed values (1.5 M at 5,000)
            if done is not None:
                return done
            done = escape(finalize(value))
            if len(value) <= MEMO_LEN:
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                memo[value] = done
            return done
        if type(value) is Markup:  # what escape(finalize(value)) gives: its equal
            return value
        return escape(finalize(value))

    kind = _Sandboxed if folders else _Plain
    env = kind(
        loader=ChoiceLoader(
            [FileSystemLoader([str(f) for f in folders]), FileSystemLoader(str(BUILTIN))]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a build reads each template once: no stat per page to see it changed
    )
    env.filters["long_date"] = lambda d: long_date(d) if isinstance(d, date) else ""
    env.filters["weekday_date"] = lambda d: (
        long_date(d, weekday=True) if isinstance(d, date) else ""
    )
    env.filters["safe_url"] = safe_url
    env.filters["slug"] = slug
    env.filters["group_label"] = group_label
    env.globals["csp"] = CSP
    env.printed, env.memo = printed, memo
    env.fast_macros = macros(printed, env.filters["long_date"]) if FAST else {}
    return env


_AS_PYTHON = frozenset({"meeting.html", "organisation.html"})  # tfcli.site.builtin_pages
_FIX = "fix the template in templates/site/, or remove it to use the built-in one"


def render(env: Environment, template: str, context: dict[str, Any]) -> str:
    if template in _AS_PYTHON and FAST and type(env) is _Plain:
        # The built-in templates only (no group folder): the page as Python, the same
        # bytes; anything it does not know goes the template's way.
        from tfcli.site import builtin_pages

        try:
            return builtin_pages.render(env, template, context)
        except (Slow, KeyError, TypeError, AttributeError):
            pass
    try:
        return env.get_template(template).render(context)
    except TemplateError as e:
        where = getattr(e, "filename", None) or template
        line = getattr(e, "lineno", None)
        raise DataError(
            f"site template {template}: {e.message or type(e).__name__}",
            _FIX,
            f"{where}:{line}" if line else where,
        ) from None
    except Exception as e:
        # With the group's templates any error may be theirs (a `_macros.html` copied from
        # an earlier tf, called with an argument it lacks: a TypeError): told at the last
        # template line it passed through. Without them it is tf's bug: the boundary's.
        if not isinstance(env, _Sandboxed):
            raise
        from tfcli.output import one_line

        frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename.endswith(".html")]
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else template
        raise DataError(
            one_line(f"site template {template}: {type(e).__name__}: {e}"),
            "fix the template in templates/site/ (one copied from an earlier tf may lack an "
            "argument the built-in ones now pass: compare it with tfcli/defaults/site/), or "
            "remove it to use the built-in one",
            where,
        ) from None
