"""Reading an action tracker (the CSV or Excel action-point matrix a group keeps): its rows,
where its header is, and which column holds what. `tfcli.importer` turns the rows into the
actions of a baseline file."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tfcli.errors import DataError, UsageError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_SEARCH = 20  # title rows above the header: how far down to look for it

ROLES = ("id", "action", "owner", "due", "status", "agenda", "note")

# Header words per role, compared without case, accents, a final ':' or '.', and text in
# brackets ("Deadline (dd/mm/yyyy)"). English, French, Spanish, Romanian, Russian, Ukrainian.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        *("no", "n", "nr", "no.", "n°", "nº", "№", "#", "number", "num", "id", "ref"),
        *("reference", "item", "item no", "action no", "action number", "ap no", "s/n", "sn"),
        *("sl no", "numero", "numéro", "número", "nr. crt", "nr crt", "номер", "п/п", "№ п/п"),
    ),
    "action": (
        *("action", "actions", "action point", "action points", "action item", "action items"),
        *("action required", "agreed action", "action to be taken", "follow-up action", "task"),
        *("activity", "description", "text", "what", "point d'action", "action a mener", "mesure"),
        *("accion", "acciones", "tarea", "actividad", "actiune", "actiuni", "sarcina"),
        *("действие", "мероприятие", "задача", "дія", "захід", "завдання"),
    ),
    "owner": (
        *("responsible", "responsibility", "responsible party", "responsible organisation"),
        *("responsible organization", "responsible agency", "owner", "owners", "who", "lead"),
        *("lead agency", "focal point", "assigned to", "by whom", "action by", "responsable"),
        *("responsables", "qui", "quien", "responsabil", "ответственный", "ответственные"),
        *("відповідальний", "відповідальні", "виконавець"),
    ),
    "due": (
        *("deadline", "due", "due date", "by when", "when", "timeline", "timeframe"),
        *("time frame", "target date", "date due", "echeance", "delai", "date limite"),
        *("plazo", "fecha limite", "termen", "termen limita", "срок", "термін", "дедлайн"),
    ),
    "status": ("status", "state", "progress", "statut", "etat", "estado", "stare", "статус"),
    "agenda": ("agenda item", "topic", "theme", "subject", "sector", "point de l'ordre du jour"),
    "note": (
        *("comments", "comment", "remarks", "remark", "notes", "note", "update", "updates"),
        *("follow-up", "follow up", "observations", "commentaires", "commentaire"),
        *("observaciones", "comentarios", "comentarii", "observatii", "комментарии"),
        *("примечание", "коментарі", "примітки"),
    ),
}


def normal(text: str) -> str:
    """A header as compared: no case, accents, bracketed text, final ':' or '.', extra spaces."""
    t = re.sub(r"\([^)]*\)", " ", str(text))
    t = unicodedata.normalize("NFKD", t.casefold())
    t = "".join(c for c in t if not unicodedata.combining(c))
    return " ".join(t.split()).rstrip(":. ").strip()


_BY_WORD = {normal(w): role for role, words in SYNONYMS.items() for w in words}


@dataclass
class Table:
    name: str  # the file, for messages
    sheet: str | None
    rows: list[list[Any]]  # every row of the sheet, cells as read (str, date, number, None)
    header_row: int = 0  # index into rows
    columns: dict[int, str] = field(default_factory=dict)  # column index -> role
    headers: list[str] = field(default_factory=list)

    def row_number(self, index: int) -> int:
        """The number a spreadsheet shows for rows[index] (1-based)."""
        return index + 1


def read(path: Path, sheet: str | None, overrides: dict[str, str]) -> Table:
    """The rows of a .csv or .xlsx file (DataError when it cannot be read)."""
    import stat

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read forever
            raise DataError(f"{path} is not a regular file", "give the tracker's .csv or .xlsx")
        size = info.st_size
        if size > MAX_BYTES:
            raise DataError(
                f"{path} is {size // (1024 * 1024)} MiB; a tracker may be 20 MiB at most",
                "save only the sheet of open actions",
            )
        data = path.read_bytes()
    except OSError as e:
        raise DataError(f"cannot read {path}: {e.strerror or e}") from None
    if data[:4] == b"PK\x03\x04":  # a zip: an .xlsx whatever its name
        return _xlsx(path, data, sheet, overrides)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise DataError(
            f"{path} is not an Excel workbook (.xlsx)", "save it again as .xlsx or .csv"
        )
    if sheet:
        raise UsageError("--sheet is for .xlsx workbooks; a CSV file has one table")
    return Table(str(path), None, _csv(data))


def _csv(data: bytes) -> list[list[Any]]:
    """UTF-8 with or without a BOM (Excel's "CSV UTF-8"), else Windows-1252 (Excel's plain
    "CSV" on Windows); comma, semicolon (Excel where the decimal mark is a comma) or tab."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    head = text.splitlines()[:HEADER_SEARCH]
    delimiter = max(";,\t", key=lambda d: sum(line.count(d) for line in head))
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return [[_unguarded(cell) if cell.strip() else None for cell in row] for row in rows[:MAX_ROWS]]


def _unguarded(cell: str) -> str:
    """A cell without the `'` that tf's own CSV (output.csv_cell) puts before text a
    spreadsheet would run as a formula, so that an exported tracker comes back as it was."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _GUARDED else cell


_GUARDED = ("=", "+", "-", "@", "\t", "\r")


def _xlsx(path: Path, data: bytes, sheet: str | None, overrides: dict[str, str]) -> Table:
    import zipfile

    try:
        import openpyxl  # lazily: only this command needs it

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
        raise DataError(f"cannot read {path} as an Excel workbook: {e}") from None
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise UsageError(f"{path} has no sheet '{sheet}'", f"its sheets: {', '.join(names)}")
    tables = []
    for name in [sheet] if sheet else names:
        rows = []
        for row in book[name].iter_rows(values_only=True):
            rows.append([_cell(v) for v in row])
            if len(rows) >= MAX_ROWS:
                break
        tables.append(Table(str(path), name, rows))
    book.close()
    # The first sheet with a header that names the actions (a workbook often starts with a
    # cover or instructions sheet).
    return next((t for t in tables if find_header(t, overrides)), tables[0])


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def find_header(table: Table, overrides: dict[str, str]) -> bool:
    """Find the header row (the first of the top rows naming an action column and one more
    known column) and map its columns to roles; `overrides` (role -> header or column
    letter) win over the synonyms."""
    wanted = {normal(h): role for role, h in overrides.items()}
    for i, row in enumerate(table.rows[:HEADER_SEARCH]):
        headers = [str(c).strip() if c is not None else "" for c in row]
        roles: dict[int, str] = {}
        for col, h in enumerate(headers):
            key = normal(h)
            role = wanted.get(key) if key else None
            if role is None and key:
                role = _BY_WORD.get(key)
                role = None if role in overrides else role  # the user named its column
            if role and (role == "note" or role not in roles.values()):
                roles[col] = role
        for role, h in overrides.items():  # a column letter: `--column due=E`
            if re.fullmatch(r"[A-Za-z]{1,2}", h) and normal(h) not in map(normal, headers):
                col = _letter_index(h)
                roles = {c: r for c, r in roles.items() if r != role and c != col}
                roles[col] = role
        if "action" in roles.values() and len(roles) >= 2:
            table.header_row, table.columns, table.headers = i, roles, headers
            return True
    return False


def _letter_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_name(table: Table, col: int) -> str:
    """A column as a person finds it: its header, else its letter."""
    if col < len(table.headers) and table.headers[col]:
        return table.headers[col]
    n, name = col + 1, ""
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return f"column {name}"


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without '.0' (Excel stores 3 as 3.0), dates ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()
