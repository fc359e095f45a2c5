# ruff: noqa: E501  (the layouts are Hugo templates: their lines are the markup's)
"""Hugo's peer of `tf render`'s public site: the same pages from the same minutes, minimal layout.

`write_site(repo, site, out)` writes a Hugo project in `site` whose build (`hugo --source
site`) makes, into `out`, what `tf render` makes (docs/render.md, "Pages"), as plain HTML:

- `index.html`: the group, counts (meetings, actions, open, overdue), the next meeting
  with its agenda, the ten most recent meetings; `meetings.html`: every meeting;
- `meetings/<date>.html` (tf's file names) per public meeting: details, participants by group, agenda, body,
  decisions, its actions (owner, due), follow-ups recorded, links, previous/next;
- `tracker.html`: every action by deadline (id, text, owner, due, status, meeting);
- `organisations/<slug>.html` per organisation of tf.yml: its overdue, open and closed
  actions (a role's actions on each member's page), its roles, the meetings it attended;
- `attendance.html` (organisation x meeting, with rates), `decisions.html`,
  `calendar.ics` (meetings, deadlines of open actions) and `search.json` (each meeting's
  title, agenda, decisions, actions and plain body).

What Hugo reads is front matter, so the layout prints facts as written: an action's
status is the last `status:` a follow-up wrote (else open) and its due the last `due:`;
no history, postponements, deadlines in words, redaction, restricted items or CSS.
Restricted meetings (`visibility: restricted`) are left out as tf's public build leaves
them out: the mount's `excludeFiles` names them (a cascade's `_target` matches paths,
kinds, languages and environments, not a front-matter value). The organisation pages are stub
content files written from tf.yml (Hugo makes taxonomy terms only from top-level lists,
and minutes nest owners in actions and participants under groups); tf.yml itself is
Hugo's data file `tf`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

CONFIG = """baseURL = "http://example.invalid/"
title = {title}
uglyURLs = true
relativeURLs = true
buildFuture = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
publishDir = {out}
[permalinks]
meetings = "/meetings/:year-:month-:day"
[params]
today = "{today}"
[markup.goldmark.renderer]
unsafe = false
[mediaTypes."text/calendar"]
suffixes = ["ics"]
[outputFormats.Tracker]
mediaType = "text/html"
baseName = "tracker"
isHTML = true
[outputFormats.Attendance]
mediaType = "text/html"
baseName = "attendance"
isHTML = true
[outputFormats.Decisions]
mediaType = "text/html"
baseName = "decisions"
isHTML = true
[outputFormats.Calendar]
baseName = "calendar"
[outputFormats.Search]
mediaType = "application/json"
baseName = "search"
isPlainText = true
[outputs]
home = ["HTML", "Tracker", "Attendance", "Decisions", "Calendar", "Search"]
section = ["HTML"]
page = ["HTML"]
[[module.mounts]]
source = {minutes}
target = "content/meetings"
excludeFiles = {excluded}
[[module.mounts]]
source = "organisations"
target = "content/organisations"
"""

HEAD = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ site.Title }}</title></head><body>
<nav><a href="/index.html">{{ site.Title }}</a> <a href="/meetings.html">Meetings</a>
<a href="/tracker.html">Actions</a> <a href="/decisions.html">Decisions</a>
<a href="/attendance.html">Attendance</a> <a href="/calendar.ics">Calendar</a></nav><main>
"""
FOOT = "</main></body></html>\n"

# Each action's status and due as the latest follow-up wrote them, and each meeting by date.
STATUS = """{{ $s := newScratch }}
{{ range $p := (where site.RegularPages "Section" "meetings").ByDate }}
  {{ $s.SetInMap "page" ($p.Date.Format "2006-01-02") $p }}
  {{ range $u := $p.Params.updates }}
    {{ $id := printf "%v" $u.action }}
    {{ with $u.status }}{{ $s.SetInMap "status" $id . }}{{ end }}
    {{ with $u.due }}{{ $s.SetInMap "due" $id (dateFormat "2006-01-02" .) }}{{ end }}
  {{ end }}
{{ end }}
{{ return $s }}
"""

# Every fact the aggregate pages need, gathered once (partialCached) while the meeting pages
# render: they wait for STATUS only.
FACTS = """{{ $s := newScratch }}{{ $up := partialCached "status.html" . "status" }}
{{ range $o := site.Data.tf.organisations }}
  {{ $s.SetInMap "alias" $o.name (slice $o.name) }}
  {{ with $o.short }}{{ $s.SetInMap "alias" . (slice $o.name) }}{{ end }}
{{ end }}
{{ range $role, $members := site.Data.tf.roles }}
  {{ $names := slice }}
  {{ range $members }}{{ $names = $names | append (index ($s.Get "alias") . | default (slice .)) }}{{ end }}
  {{ $s.SetInMap "alias" $role $names }}
  {{ range $names }}{{ $s.SetInMap (printf "roles %s" .) $role true }}{{ end }}
{{ end }}
{{ $pages := (where site.RegularPages "Section" "meetings").ByDate }}
{{ range $p := $pages }}
  {{ $d := $p.Date.Format "2006-01-02" }}
  {{ range $g, $l := $p.Params.participants }}{{ range $l }}
    {{ $n := . }}{{ if reflect.IsMap . }}{{ $n = .organisation | default .name }}{{ end }}
    {{ range index ($s.Get "alias") $n | default (slice $n) }}{{ $s.SetInMap (printf "att %s" .) $d $p }}{{ end }}
  {{ end }}{{ end }}
  {{ range $a := $p.Params.actions }}
    {{ $id := printf "%s/%v" $d $a.id }}
    {{ with $a.due }}{{ $s.SetInMap "due" $id (dateFormat "2006-01-02" .) }}{{ end }}
    {{ $s.SetInMap "actions" $id (dict "id" $id "text" $a.text "owner" $a.owner "page" $p) }}
  {{ end }}
{{ end }}
{{ $today := site.Params.today }}
{{ $s.Set "open" 0 }}{{ $s.Set "overdue" 0 }}
{{ range $id, $a := $s.Get "actions" }}
  {{ $due := index ($up.Get "due") $id | default (index ($s.Get "due") $id) | default "" }}
  {{ $st := index ($up.Get "status") $id | default "open" }}
  {{ $closed := in (slice "done" "dropped") $st }}
  {{ $late := and (not $closed) $due (lt $due $today) }}
  {{ if not $closed }}{{ $s.Add "open" 1 }}{{ end }}
  {{ if $late }}{{ $s.Add "overdue" 1 }}{{ end }}
  {{ $owners := cond (reflect.IsSlice $a.owner) $a.owner (slice $a.owner) }}
  {{ $who := delimit $owners ", " }}
  {{ $html := printf `<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s%s</td><td><a href="%s">%s</a></td></tr>` (htmlEscape $id) (htmlEscape $a.text) (htmlEscape $who) $due (htmlEscape $st) (cond $late " overdue" "") $a.page.RelPermalink ($a.page.Date.Format "2006-01-02") }}
  {{ $row := dict "id" $id "text" $a.text "due" $due "page" $a.page "closed" $closed "late" $late "html" $html }}
  {{ $s.SetInMap "row" $id $row }}
  {{ $s.SetInMap "tracker" (printf "%s %s" ($due | default "9999") $id) $row }}
  {{ range $o := $owners }}
    {{ range index ($s.Get "alias") $o | default (slice $o) }}{{ $s.SetInMap (printf "own %s" .) $id $row }}{{ end }}
  {{ end }}
{{ end }}
{{ return $s }}
"""

ROW = """{{ .html | safeHTML }}
"""
TABLE = "<table><tr><th>ID</th><th>Action</th><th>Owner</th><th>Due</th><th>Status</th><th>Meeting</th></tr>\n"

INDEX = (
    HEAD
    + """{{ $f := partialCached "facts.html" . "facts" }}
{{ $pages := (where site.RegularPages "Section" "meetings").ByDate }}
<h1>{{ site.Title }}</h1>
<p>{{ len $pages }} meetings, {{ len ($f.Get "actions") }} actions: {{ $f.Get "open" }} open, {{ $f.Get "overdue" }} overdue.</p>
{{ $today := time site.Params.today }}
{{ range first 1 (where $pages "Date" "ge" $today) }}
<h2>Next meeting: <a href="{{ .RelPermalink }}">{{ .Date.Format "2 January 2006" }}</a> {{ .Params.time }}</h2>
<ol>{{ range .Params.agenda }}<li>{{ if reflect.IsMap . }}{{ .title }}{{ else }}{{ . }}{{ end }}</li>{{ end }}</ol>
{{ end }}
<h2>Recent meetings</h2><ul>
{{ range first 10 (where $pages.Reverse "Date" "lt" $today) }}<li><a href="{{ .RelPermalink }}">{{ .Date.Format "2 January 2006" }}</a> {{ .Title }}</li>
{{ end }}</ul>
"""
    + FOOT
)

MEETINGS = (
    HEAD
    + """<h1>Meetings</h1><table><tr><th>Date</th><th>Title</th><th>Minutes</th><th>Decisions</th><th>Actions</th></tr>
{{ range .Pages.ByDate.Reverse }}<tr><td><a href="{{ .RelPermalink }}">{{ .Date.Format "2006-01-02" }}</a></td><td>{{ .Title }}</td>
<td>{{ .Params.status }}</td><td>{{ len .Params.decisions }}</td><td>{{ len .Params.actions }}</td></tr>
{{ end }}</table>
"""
    + FOOT
)

MEETING = (
    HEAD
    + """{{ $f := partialCached "status.html" . "status" }}
{{ $d := .Date.Format "2006-01-02" }}
<h1>{{ .Title }}, {{ .Date.Format "Monday 2 January 2006" }}</h1>
<dl><dt>Time</dt><dd>{{ .Params.time }}{{ with .Params.end_time }}–{{ . }}{{ end }}</dd>
<dt>Location</dt><dd>{{ .Params.location }}</dd><dt>Chair</dt><dd>{{ .Params.chair }}</dd>
{{ with .Params.co_chairs }}<dt>Co-chairs</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with .Params.minute_takers }}<dt>Minute-takers</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
<dt>Minutes</dt><dd>{{ .Params.status }}{{ with .Params.silence_until }} (silence until {{ . }}){{ end }}</dd></dl>
<h2>Participants</h2>
{{ range $g, $l := .Params.participants }}<h3>{{ $g }}</h3><ul>{{ range $l }}<li>{{ if reflect.IsMap . }}{{ .name }}{{ with .organisation }} ({{ . }}){{ end }}{{ else }}{{ . }}{{ end }}</li>{{ end }}</ul>
{{ end }}
<h2>Agenda</h2><ol>{{ range .Params.agenda }}<li>{{ if reflect.IsMap . }}{{ .title }}{{ else }}{{ . }}{{ end }}</li>{{ end }}</ol>
{{ .Content }}
<h2>Decisions</h2><ol>{{ range .Params.decisions }}<li>{{ . }}</li>{{ end }}</ol>
<h2>Action points</h2>
"""
    + TABLE
    + """{{ range .Params.actions }}{{ $id := printf "%s/%v" $d .id }}
{{ $due := "" }}{{ with .due }}{{ $due = dateFormat "2006-01-02" . }}{{ end }}{{ with index ($f.Get "due") $id }}{{ $due = . }}{{ end }}
{{ $st := index ($f.Get "status") $id | default "open" }}
<tr><td>{{ $id }}</td><td>{{ .text }}</td><td>{{ delimit (cond (reflect.IsSlice .owner) .owner (slice .owner)) ", " }}</td><td>{{ $due }}</td>
<td>{{ $st }}{{ if and (not (in (slice "done" "dropped") $st)) $due (lt $due site.Params.today) }} overdue{{ end }}</td><td><a href="{{ $.RelPermalink }}">{{ $d }}</a></td></tr>
{{ end }}</table>
{{ with .Params.updates }}<h2>Follow-ups recorded</h2><ul>
{{ range $u := . }}{{ $on := index (split (printf "%v" $u.action) "/") 0 }}{{ with index ($f.Get "page") $on }}{{/* an action of a restricted meeting: left out */}}
<li><a href="{{ .RelPermalink }}">{{ $u.action }}</a>:
{{ with $u.status }}status {{ . }}{{ end }}{{ with $u.due }} due {{ dateFormat "2006-01-02" . }}{{ end }}{{ with $u.owner }} handed to {{ . }}{{ end }}{{ with $u.note }}. {{ . }}{{ end }}</li>
{{ end }}{{ end }}</ul>{{ end }}
{{ with .Params.links }}<h2>Links</h2><ul>{{ range . }}<li><a href="{{ .url }}">{{ .title }}</a></li>{{ end }}</ul>{{ end }}
<p>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Date.Format "2006-01-02" }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Date.Format "2006-01-02" }}</a>{{ end }}</p>
"""
    + FOOT
)

TRACKER = (
    HEAD
    + """{{ $f := partialCached "facts.html" . "facts" }}<h1>Action tracker</h1>
"""
    + TABLE
    + """{{ range $f.Get "tracker" }}"""
    + ROW
    + """{{ end }}</table>
"""
    + FOOT
)

ORGANISATION = (
    HEAD
    + """{{ $f := partialCached "facts.html" . "facts" }}{{ $org := .Params.org }}
{{ $pages := where site.RegularPages "Section" "meetings" }}
{{ $att := $f.Get (printf "att %s" $org) }}{{ $mine := $f.Get (printf "own %s" $org) }}
<h1>{{ $org }}</h1>
{{ with $f.Get (printf "roles %s" $org) }}<p>Member of: {{ range $r, $_ := . }}{{ $r }} {{ end }}.</p>{{ end }}
<p>Attended {{ len $att }} of {{ len $pages }} meetings.</p>
<h2>Overdue action points</h2>
"""
    + TABLE
    + """{{ range $mine }}{{ if .late }}"""
    + ROW
    + """{{ end }}{{ end }}</table>
<h2>Open action points</h2>
"""
    + TABLE
    + """{{ range $mine }}{{ if not (or .closed .late) }}"""
    + ROW
    + """{{ end }}{{ end }}</table>
<h2>Closed action points</h2>
"""
    + TABLE
    + """{{ range $mine }}{{ if .closed }}"""
    + ROW
    + """{{ end }}{{ end }}</table>
<h2>Meetings attended</h2><ul>{{ range $att }}<li><a href="{{ .RelPermalink }}">{{ .Date.Format "2006-01-02" }}</a></li>{{ end }}</ul>
"""
    + FOOT
)

ORGANISATIONS = (
    HEAD
    + """<h1>Organisations</h1><ul>{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
"""
    + FOOT
)

ATTENDANCE = (
    HEAD
    + """{{ $f := partialCached "facts.html" . "facts" }}
{{ $pages := (where site.RegularPages "Section" "meetings").ByDate }}{{ $n := len $pages }}
<h1>Attendance</h1><table><tr><th>Organisation</th><th>Rate</th>{{ range $pages }}<th><a href="{{ .RelPermalink }}">{{ .Date.Format "2006-01-02" }}</a></th>{{ end }}</tr>
{{ range site.Data.tf.organisations }}{{ $att := $f.Get (printf "att %s" .name) }}
<tr><th>{{ .name }}</th><td>{{ if $n }}{{ div (mul 100 (len $att)) $n }}%{{ end }}</td>{{ range $pages }}<td>{{ if index $att (.Date.Format "2006-01-02") }}✓{{ end }}</td>{{ end }}</tr>
{{ end }}</table>
"""
    + FOOT
)

DECISIONS = (
    HEAD
    + """<h1>Decisions</h1><table><tr><th>Meeting</th><th>Decision</th></tr>
{{ range (where site.RegularPages "Section" "meetings").ByDate }}{{ $p := . }}{{ range .Params.decisions }}<tr><td><a href="{{ $p.RelPermalink }}">{{ $p.Date.Format "2006-01-02" }}</a></td><td>{{ . }}</td></tr>
{{ end }}{{ end }}</table>
"""
    + FOOT
)

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//hugo//tf peer//EN
X-WR-CALNAME:{{ site.Title }}
{{ $f := partialCached "facts.html" . "facts" }}{{ range (where site.RegularPages "Section" "meetings").ByDate }}{{ $d := .Date.Format "20060102" }}BEGIN:VEVENT
SUMMARY:{{ .Title }}
{{ with .Params.time }}DTSTART:{{ $d }}T{{ replace . ":" "" }}00Z{{ else }}DTSTART;VALUE=DATE:{{ $d }}{{ end }}
DTSTAMP:{{ $d }}T000000Z
UID:meeting-{{ .Date.Format "2006-01-02" }}@tf.invalid
LOCATION:{{ .Params.location }}
END:VEVENT
{{ end }}{{ range $f.Get "tracker" }}{{ if and .due (not .closed) }}BEGIN:VEVENT
SUMMARY:Due: {{ .text }}
DTSTART;VALUE=DATE:{{ replace .due "-" "" }}
DTSTAMP:{{ .page.Date.Format "20060102" }}T000000Z
UID:action-{{ replace .id "/" "-" }}@tf.invalid
END:VEVENT
{{ end }}{{ end }}END:VCALENDAR
"""

SEARCH = """[{{ range $i, $p := (where site.RegularPages "Section" "meetings").ByDate }}{{ if $i }},
{{ end }}{{ $acts := slice }}{{ range .Params.actions }}{{ $acts = $acts | append .text }}{{ end -}}
{{ dict "title" .Title "date" (.Date.Format "2006-01-02") "url" .RelPermalink "agenda" .Params.agenda "decisions" .Params.decisions "actions" $acts "text" .Plain | jsonify }}{{ end }}]
"""

LAYOUTS = {
    "partials/status.html": STATUS,
    "partials/facts.html": FACTS,
    "index.html": INDEX,
    "index.tracker.html": TRACKER,
    "index.attendance.html": ATTENDANCE,
    "index.decisions.html": DECISIONS,
    "index.calendar.ics": CALENDAR,
    "index.search.json": SEARCH,
    "meetings/list.html": MEETINGS,
    "meetings/single.html": MEETING,
    "organisations/list.html": ORGANISATIONS,
    "organisations/single.html": ORGANISATION,
}


def slug(name: str) -> str:
    """tf's file name for an organisation's page (tfcli.site: lower case, runs of others '-')."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "org"


def restricted(minutes: Path) -> list[str]:
    """The minutes files a public build leaves out: `visibility: restricted` in front matter."""
    out = []
    for f in sorted(minutes.glob("*.md")):
        text = f.read_text(encoding="utf-8")
        end = text.find("\n---", 3)
        if re.search(r"^visibility:\s*restricted\s*$", text[:end], re.M):
            out.append(f.name)
    return out


def toml(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_site(repo: Path, site: Path, out: Path, today: str = "2026-01-01") -> Path:
    """Write the Hugo project for `repo`'s minutes into `site` (built into `out`)."""
    conf = yaml.safe_load((repo / "tf.yml").read_text(encoding="utf-8"))
    minutes = repo / conf.get("minutes", "minutes")
    excluded = "[" + ", ".join(toml(n) for n in restricted(minutes)) + "]"
    title = toml(str(conf.get("group", "Task force")))
    (site / "data").mkdir(parents=True, exist_ok=True)
    (site / "config.toml").write_text(
        CONFIG.format(
            title=title,
            out=toml(str(out)),
            today=today,
            minutes=toml(str(minutes)),
            excluded=excluded,
        ),
        encoding="utf-8",
    )
    shutil.copyfile(repo / "tf.yml", site / "data" / "tf.yaml")
    for rel, text in LAYOUTS.items():
        path = site / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".ics"):
            text = text.replace("\n", "\r\n")
        path.write_text(text, encoding="utf-8", newline="")
    orgs = site / "organisations"
    orgs.mkdir(exist_ok=True)
    (orgs / "_index.md").write_text("---\ntitle: Organisations\n---\n", encoding="utf-8")
    for o in conf.get("organisations") or []:
        name = o["name"] if isinstance(o, dict) else str(o)
        front = f"---\ntitle: {toml(name)}\norg: {toml(name)}\n---\n"
        (orgs / f"{slug(name)}.md").write_text(front, encoding="utf-8")
    return site
