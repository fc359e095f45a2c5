"""The lean builder (tfcli.schema_lean) builds the Meeting the general reader builds, and only
for files the general reader finds nothing to say about: generated front matter with every
field of docs/format.md, valid and not (YAML's traps, wrong types, unknown keys), built both
ways; a guard that clean files do take the lean path; the benchmark corpora when present."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfcli import frontmatter, schema, schema_lean, yamlstrict
from tfcli.errors import LoadError
from tfcli.model import Meeting, Problem


class Flow(list[str]):
    """A list written `[a, b]`."""


TRAPS = [
    "", "~", "null", "yes", "NO", "true", "12", "0", "-3", "9.30", ".5", "1e3", ".nan", "012",
    "10:00", "1:30:00", "2022-07-08", "'  '", "''", '""', "R&D", "#5", "é", "'a: b'", "x y",
    "2022-7-8", "08.07.2022", "2022-02-30", "next meeting", "ongoing", "20220708", "8 July",
    "'2022-07-08 10:00'", "2pm", "10:00 CET", "25:00", "'10:00-12:00'", "Done", "closed",
    "observer", "restricted", "ftp://x.org", "https://ok.org/a", "'https://a.org/\u200bb'",
]  # fmt: skip
TEXTS = [
    "Welcome", "Zoom", "Review of the plan", "'Quoted: text'", '"Double quoted"', "UNHCR",
    "Name (Org)", "Ana Pop (IOM)", "é accents à", "A-1 b_2", "'#5 meeting'", "x" * 70,
]  # fmt: skip


class Gen:
    """Random front matter: mostly valid values of each field, a trap with probability `rate`."""

    def __init__(self, rng: random.Random, rate: float) -> None:
        self.rng = rng
        self.rate = rate

    def trap(self, *own: str) -> Any:
        r = self.rng
        pick = r.random()
        if pick < 0.6:
            return r.choice([*TRAPS, *own])
        if pick < 0.75:
            return [self.trap() for _ in range(r.randint(0, 2))]
        if pick < 0.85:
            return Flow(r.choice(TRAPS) or "x" for _ in range(r.randint(0, 2)))
        keys = ["name", "title", "date", "text", "x", "Date", "from", "as", "url", "id", "7"]
        return {r.choice(keys): self.trap() for _ in range(r.randint(0, 2))}

    def v(self, valid: Any, *own: str) -> Any:
        return self.trap(*own) if self.rng.random() < self.rate else valid

    def day(self) -> str:
        r = self.rng
        return f"20{r.randint(10, 29)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"

    def text(self) -> Any:
        return self.v(self.rng.choice(TEXTS))

    def some(self, make: Any, low: int = 0, high: int = 3) -> Any:
        items = [make() for _ in range(self.rng.randint(low, high))]
        return self.v(items)

    def person(self, attends: bool = False) -> Any:
        r = self.rng
        if r.random() < 0.7:
            return self.v(r.choice(["UNHCR", "Ana Pop (IOM)", "'Li (WHO)'", "MoE", "IOM"]))
        out = {"name": self.text()}
        if r.random() < 0.6:
            out["organisation"] = self.text()
        if r.random() < 0.3:
            out["role"] = self.text()
        if attends and r.random() < 0.3:
            out["as"] = self.v(r.choice(["observer", "guest", "member"]), "Observer")
        return self.v(out)

    def people(self, attends: bool = False) -> Any:
        return self.some(lambda: self.person(attends))

    def time(self) -> Any:
        return self.v(self.rng.choice(["'10:00'", "10:00", '"14:30"', "09:05"]), "9.30", "2pm")

    def due(self) -> Any:
        r = self.rng
        return self.v(self.day() if r.random() < 0.8 else r.choice(["next meeting", "ongoing"]))

    def notes(self) -> Any:
        r = self.rng
        return self.some(
            lambda: (
                self.text()
                if r.random() < 0.5
                else self.v({"date": self.day(), "text": self.text()})
            )
        )

    def agenda(self, depth: int = 1) -> Any:
        r = self.rng

        def item() -> Any:
            if r.random() < 0.6:
                return self.text()
            out: dict[str, Any] = {"title": self.text()}
            for key, make in (
                ("type", lambda: self.v(r.choice(["decision", "discussion", "information"]))),
                ("presenter", self.text),
                ("visibility", lambda: self.v(r.choice(["public", "restricted"]))),
            ):
                if r.random() < 0.3:
                    out[key] = make()
            if depth < 4 and r.random() < 0.2:
                out["items"] = self.agenda(depth + 1)
            return self.v(out)

        return self.some(item, 0, 4)

    def action(self, n: int) -> Any:
        r = self.rng
        out: dict[str, Any] = {
            "id": self.v(str(n) if r.random() < 0.8 else r.choice([f"a{n}", f"'{n}'"]))
        }
        out["text"] = self.text()
        out["owner"] = self.v(
            r.choice(["IOM", "UNHCR"]) if r.random() < 0.7 else Flow(["IOM", "MoE"])
        )
        out["due"] = self.due()
        optional = (
            (
                "status",
                lambda: self.v(r.choice(["open", "in-progress", "done", "dropped"]), "Done"),
            ),
            ("agenda", self.text),
            ("note", self.text),
            ("notes", self.notes),
            ("visibility", lambda: self.v(r.choice(["public", "restricted"]))),
        )
        for key, make in optional:
            if r.random() < 0.25:
                out[key] = make()
        if r.random() < self.rate:
            del out[r.choice(list(out))]
        return self.v(out)

    def update(self) -> Any:
        r = self.rng
        out: dict[str, Any] = {"action": self.v(f"{self.day()}/{r.randint(1, 9)}", "2022-06-24")}
        optional = (
            ("status", lambda: self.v(r.choice(["open", "in-progress", "done", "dropped"]))),
            ("due", self.due),
            ("owner", lambda: self.v("IOM")),
            ("note", self.text),
            ("notes", self.notes),
            ("reopened", lambda: self.v(r.choice(["true", "false"]))),
        )
        for key, make in optional:
            if r.random() < 0.3:
                out[key] = make()
        return self.v(out)

    def front_matter(self) -> dict[str, Any]:
        r = self.rng
        day = self.day()
        before = f"{int(day[:4]) - 1}{day[4:]}"  # a postponed meeting's first date
        ids = iter(range(1, 99))
        fields: dict[str, Any] = {
            "format": lambda: self.v("1", "2", "1.0"),
            "date": lambda: self.v(day),
            "id": lambda: self.v(f"{day}-b", "2021-01-01-b"),
            "title": self.text,
            "time": self.time,
            "end_time": self.time,
            "location": self.text,
            "chair": self.person,
            "co_chairs": lambda: self.person() if r.random() < 0.3 else self.people(),
            "rapporteur": lambda: self.person() if r.random() < 0.5 else self.people(),
            "duration": lambda: self.v(r.choice(["90", "'90 min'", "2 h", "1 h 30"]), "0", "25 h"),
            "purpose": self.text,
            "language": lambda: self.v(r.choice(["en", "fr", "pt-BR"]), "English"),
            "postponed": lambda: self.v(
                before if r.random() < 0.5 else {"from": before, "reason": self.text()}
            ),
            "participants": lambda: (
                self.people(True)
                if r.random() < 0.5
                else self.v(
                    {g: self.people(True) for g in r.sample(["gov", "un", "ngos", "others"], 2)}
                )
            ),
            "regrets": self.people,
            "attendees": lambda: self.v(
                {o: self.v(["Ana", "Li"] if r.random() < 0.7 else "Ana") for o in ("IOM", "UNHCR")}
            ),
            "agenda": self.agenda,
            "actions": lambda: self.some(lambda: self.action(next(ids)), 0, 5),
            "decisions": lambda: self.some(self.text),
            "links": lambda: self.some(
                lambda: self.v({"title": self.text(), "url": self.v("https://example.org/x")})
            ),
            "contacts": lambda: self.some(
                lambda: self.v({"name": self.text(), "email": self.v("a@b.org")})
            ),
            "next_meeting": lambda: self.v(
                self.day() if r.random() < 0.4 else {"date": self.day(), "time": self.time()}
            ),
            "updates": lambda: self.some(self.update, 0, 5),
            "previous": lambda: self.v({"meeting": f"{self.day()}", "endorsed": "true"}),
            "status": lambda: self.v(r.choice(["draft", "circulated", "approved"])),
            "silence_until": lambda: self.v(self.day()),
            "visibility": lambda: self.v(r.choice(["public", "restricted"])),
        }
        out: dict[str, Any] = {}
        for key, make in fields.items():
            if key == "date" or r.random() < 0.45:
                out[key] = make()
        if r.random() < self.rate:
            out[r.choice(["Date", "deadline", "notes", "foo"])] = self.trap()
        if r.random() < self.rate and out:
            del out[r.choice(list(out))]
        return out


def render(value: dict[str, Any], rng: random.Random) -> str:
    """Block YAML of `value` (scalars are written as given: YAML makes of them what it does)."""
    lines: list[str] = []

    def scalar(v: Any) -> str | None:
        if isinstance(v, Flow):
            return "[" + ", ".join(v) + "]"
        return v if isinstance(v, str) else None

    def mapping(m: dict[str, Any], pad: str, first: str | None = None) -> None:
        for i, (k, v) in enumerate(m.items()):
            lead = first if first is not None and i == 0 else pad
            if (s := scalar(v)) is not None:
                lines.append(f"{lead}{k}: {s}".rstrip(" ") if s else f"{lead}{k}:")
            elif isinstance(v, dict) and not v:
                lines.append(f"{lead}{k}: {{}}")
            elif isinstance(v, list) and not v:
                lines.append(f"{lead}{k}: []")
            else:
                lines.append(f"{lead}{k}:")
                inner = pad + ("" if isinstance(v, list) and rng.random() < 0.3 else "  ")
                block(v, inner)

    def block(v: Any, pad: str) -> None:
        if isinstance(v, dict):
            mapping(v, pad)
            return
        for item in v:
            if (s := scalar(item)) is not None:
                lines.append(f"{pad}- {s}".rstrip(" "))
            elif isinstance(item, dict) and item:
                mapping(item, pad + "  ", pad + "- ")
            elif isinstance(item, dict | list) and not item:
                lines.append(f"{pad}- {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}-")
                block(item, pad + "  ")

    mapping(value, "")
    return "\n".join(lines) + "\n"


def _built(
    text: str, visibility: str = "public"
) -> tuple[Meeting | None, Meeting | None, list[Problem]] | None:
    """The lean builder's Meeting, the general builder's and its problems (None: not YAML)."""
    file = Path("minutes/m.md")
    try:
        one = yamlstrict.parse(text, 1, [])
        two = yamlstrict.parse(text, 1, [])
    except LoadError:
        return None
    lean = schema_lean.build(file, one, "body\n", 40, visibility)
    problems: list[Problem] = []
    general = schema.build_meeting(file, "m.md", two, "body\n", 40, visibility, problems, False)
    return lean, general, problems


def _agree(text: str, visibility: str = "public") -> bool:
    """Whether the lean builder built it; when it did, it is the general builder's Meeting and
    that builder had nothing to say."""
    got = _built(text, visibility)
    if got is None:
        return False
    lean, general, problems = got
    if lean is None:
        return False
    assert problems == [], text
    assert general is not None, text
    assert lean == general, text
    assert repr(lean) == repr(general)
    return True


@settings(max_examples=600, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    rate=st.sampled_from([0.0, 0.01, 0.03, 0.1, 0.3]),
    visibility=st.sampled_from(["public", "restricted"]),  # tf.yml's default
)
def test_the_lean_builder_builds_what_the_general_one_does(
    seed: int, rate: float, visibility: str
) -> None:
    rng = random.Random(seed)
    _agree(render(Gen(rng, rate).front_matter(), rng), visibility)


def test_clean_front_matter_takes_the_lean_path() -> None:
    """The property above says something only if the lean builder builds most clean files
    (it must not silently leave them all to the general one)."""
    built = 0
    for seed in range(300):
        rng = random.Random(seed)
        built += _agree(render(Gen(rng, 0.0).front_matter(), rng))
    assert built >= 280, built


def test_build_meeting_takes_the_lean_path(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "format: 1\ndate: 2022-07-08\ntitle: Plenary\ntime: '10:00'\nchair: Ana (IOM)\n"
        "participants:\n  un:\n    - IOM\nagenda:\n  - Welcome\n  - title: AOB\n    items:\n"
        "      - Date\nactions:\n  - id: 1\n    text: Write\n    owner: IOM\n    due: 2022-08-01\n"
        "updates:\n  - action: 2022-06-24/1\n    status: done\nstatus: approved\n"
    )
    monkeypatch.setattr(schema, "Fields", None)  # the general reader: not used
    m = schema.build_meeting(Path("m.md"), "m.md", yamlstrict.parse(text, 1), "", 30, "public", [])
    assert m is not None
    assert [a.line for a in m.actions] == [16]  # the text starts on line 2
    assert [u.line for u in m.updates] == [21]
    assert [(i.title, i.line) for i in m.agenda[1].walk()] == [("AOB", 12), ("Date", 14)]


@pytest.mark.parametrize(
    "text",
    [
        "date: 2022-07-08\ntitle:\n",  # empty: a warning
        "date: 2022-07-08\nDate: 2022-07-08\n",  # unknown key
        "date: 2022-07-08\nactions:\n  - id: 1\n    text: x\n    owner: IOM\n",  # no due
        "date: 2022-07-08\ntime: 9.30\n",
        "date: 2022-07-08\nactions:\n  - {id: 1, text: x, owner: IOM, due: 2022-8-1}\n",
    ],
)
def test_files_with_problems_are_left_to_the_general_builder(text: str) -> None:
    got = _built(text)
    assert got is not None
    assert got[0] is None and got[2]


@pytest.mark.parametrize("size", ["1000", "5000"])
def test_the_benchmark_corpora_build_alike(size: str) -> None:
    folder = Path(os.environ.get("TF_CORPUS", "/work/corpus")) / size / "minutes"
    if not folder.is_dir():
        pytest.skip(f"no corpus at {folder}")
    for p in sorted(folder.iterdir())[:: 1 if size == "1000" else 7]:
        split = frontmatter.split(frontmatter.decode(p.read_bytes()))
        assert _agree(split.front_matter), p


def test_the_roster_names_follow_tf_yml() -> None:
    """`unknown_owners` keeps the roster's names of the last tf.yml: a changed roster or
    roles (even in place) is read again."""
    from datetime import date

    from tfcli.check import unknown_owners
    from tfcli.model import Action, Config, Organisation, Repo

    day = date(2022, 7, 8)
    action = Action("2022-07-08", "1", "x", ("WG",), day, "open", day, 3)
    m = Meeting(Path("m.md"), "2022-07-08", day, actions=(action,))
    orgs = (Organisation("IOM"),)
    config = Config(Path("."), organisations=orgs)
    assert [p.rule for p in unknown_owners(Repo(config, [m], [], []), day)] == ["owner"]
    config.roles["WG"] = ("IOM",)
    assert list(unknown_owners(Repo(config, [m], [], []), day)) == []
    other = Config(Path("."), organisations=(Organisation("WG"),))
    assert list(unknown_owners(Repo(other, [m], [], []), day)) == []
    assert (
        len(list(unknown_owners(Repo(Config(Path("."), organisations=orgs), [m], [], []), day)))
        == 1
    )
