"""Typed templates (config/templates/*.yaml), family detection and extraction results."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from models.records import DocType, FieldValue, ProgressRecord, ProjectRecord

# Which tasks.values function reads a value ("text" keeps it as printed; "status" maps it through the
# template's statuses; "flag" is a yes/no read from a printed phrase and its negation).
Parser = Literal[
    "text",
    "prose",  # text where OCR's spaces between Thai words are dropped (notes: Thai writes no word spaces)
    "person",
    "money",
    "money_table",
    "percent",
    "date",
    "fiscal_year",
    "project_code",
    "status",
    "flag",
    "count",
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key in a template fails loudly


class DetectSpec(_Spec):
    titles: list[str] = Field(default_factory=list)  # strong evidence: the form's own title
    labels: list[str] = Field(default_factory=list)  # weaker evidence: labels printed near the top


class MentionSpec(_Spec):
    """Another way a document names one of its document-wide values (a running header's "สพป.ชัยนาท"):
    each line holding it, running headers included, is one more reading of the field."""

    pattern: str  # regex; group "v" is what the line says
    value: str  # the value as the field prints it, "{v}" standing for group "v"


class FieldSpec(_Spec):
    labels: list[str] = Field(default_factory=list)  # printed labels that introduce the value
    inline: bool = False  # the label may stand mid-line (a second label on one line); else it starts it
    pattern: str | None = None  # regex cutting the value (group "v") from the label's value or the line
    parser: Parser = "text"
    scope: Literal["section", "document"] = "section"  # document: read once, applies to every project
    multiline: bool = False  # the value continues on following lines that match nothing else
    # the value may follow the label with no separator at all: a form's dotted leader OCR dropped
    # ("ชื่อโครงการพัฒนาการจัด..."); only for a label printed exactly
    glued: bool = False
    # regex -> replacement applied to the value before parsing: the family's own spelling of a value that
    # OCR prints without a mark or a space ("พื้นที" -> "พื้นที่", "เขต๑" -> "เขต ๑")
    fixes: list[tuple[str, str]] = Field(default_factory=list)
    # a category of config/dictionary/words.csv holding this field's known values: a value that starts
    # with one (fuzzily) and goes on only with junk (a stray letter or two, a digit) becomes that value
    vocabulary: str | None = None
    # regex of what may follow a known value and leave it known (an office's number: " เขต ๒")
    known_suffix: str | None = None
    # a document field's other namings (tasks.extract._read_mentions): one reading exactly as the field's
    # own reading corroborates it, with none a known value gives it; any other is a garbled header
    mentions: list[MentionSpec] = Field(default_factory=list)


class SectionStart(_Spec):
    pattern: str | None = None  # regex on the line; named groups are field values
    label: str | None = None  # or a printed title, matched fuzzily
    set: dict[str, Any] = Field(default_factory=dict)  # constant fields of a record opened this way
    wraps: list[str] = Field(default_factory=list)  # named groups that may wrap onto the next line


class GroupSpec(_Spec):
    """A heading that sets fields (e.g. status) for the sections after it, and may state a count."""

    pattern: str  # named groups: fields (parsed with the field's parser) and "count"
    parsers: dict[str, Parser] = Field(default_factory=dict)


class CountSpec(_Spec):
    pattern: str  # named groups "count" and optionally "status": a count the text states


class ProgressSpec(_Spec):
    start: str  # regex: a line that opens an entry
    end: list[str] = Field(default_factory=list)  # regexes: lines that close an entry
    pattern: str  # regex over the entry's joined text; groups are ProgressRecord fields, "<field>_alt" a
    # second printed reading of the same field
    fallback: str | None = None  # looser regex tried when `pattern` fails (its values are less certain)
    # field -> regex (group "v") found anywhere in the entry, its last match cut out (leaving a "\x1f")
    # before `pattern` runs: values whose place depends on how the row wrapped (a verdict column)
    floating: dict[str, str] = Field(default_factory=dict)
    parsers: dict[str, Parser] = Field(default_factory=dict)
    newest: Literal["first", "last"] = "last"  # where the newest entry is printed
    project_fields: dict[str, str] = Field(default_factory=dict)  # project field <- newest entry's field
    consensus: list[str] = Field(default_factory=list)  # free-text fields whose recurring readings vote


class TableSpec(_Spec):
    name: str
    header: list[str]  # header texts that identify the table (each must be found in its header)
    columns: dict[str, str] = Field(default_factory=dict)  # field -> header text of its column
    parsers: dict[str, Parser] = Field(default_factory=dict)
    patterns: dict[str, str] = Field(default_factory=dict)  # field -> regex cutting the value (group "v")
    key: str | None = None  # header of the column that numbers project rows (empty on other rows)
    group_field: str | None = None  # an unnumbered row names a group: goes to this field of later rows
    total_label: str = "รวม"
    sum_columns: list[str] = Field(default_factory=list)  # columns whose total row must equal the sum
    # field -> {value: header of a column}: the field's value is the one column of these whose cell is filled
    # (an amount or a tick under "เสร็จสิ้นแล้ว" says the project is completed)
    marks: dict[str, dict[str, str]] = Field(default_factory=dict)
    # The table printed without rules the layout stage can find (a fax): when no page holds it, the text
    # lines `line_pattern` matches are its rows (named groups are fields, read with `parsers`), and a line
    # `group_line_pattern` matches (group "v") names the group of the rows after it.
    line_pattern: str | None = None
    group_line_pattern: str | None = None


class StatusRule(_Spec):
    """Derive status when nothing printed gives it: the first rule whose condition holds wins."""

    status: str
    newest_note: str | None = None  # regex the newest progress note must match
    field: str | None = None  # a project field that must be at least `min`
    min: float | None = None
    confidence: float = 1.0


class DeriveRule(_Spec):
    """A field a project's form leaves out, or OCR lost, taken from what was read (less certain)."""

    field: str
    difference: list[str] = Field(default_factory=list)  # [a, b]: the field is a - b (both read)
    common: bool = False  # the value most of the document's other projects read (a report's as-of date)
    # `value` for a project of this status (a project not started has spent nothing: its "-" lost)
    status: str | None = None
    value: float | None = None
    confidence: float = 0.8  # at most this, and no more than the values it comes from


class Template(_Spec):
    family: DocType
    detect: DetectSpec
    ignore_labels: list[str] = Field(default_factory=list)  # headings that look like field labels
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    sections: list[SectionStart] = Field(default_factory=list)  # empty: the document is one project
    groups: list[GroupSpec] = Field(default_factory=list)
    counts: list[CountSpec] = Field(default_factory=list)
    progress: ProgressSpec | None = None
    tables: list[TableSpec] = Field(default_factory=list)
    statuses: dict[str, list[str]] = Field(default_factory=dict)  # status -> printed wordings
    negation: str = "ไม่"  # prefix that turns a printed flag phrase to False
    status_rules: list[StatusRule] = Field(default_factory=list)
    derive: list[DeriveRule] = Field(default_factory=list)  # tried when no reading of the field was found
    # fields every record of the family prints: one no reading gave goes to review as missing
    required: list[str] = Field(default_factory=list)
    required_with_section: list[str] = Field(default_factory=list)  # ... and every one with its own section


class Detection(BaseModel):
    family: DocType
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: list[str] = Field(default_factory=list)  # the titles and labels found, with their scores
    scores: dict[str, float] = Field(default_factory=dict)  # every family's score


class Reading(BaseModel):
    """One place a field's value was read; a project keeps all of them so disagreements can be found."""

    origin: str  # "text", "document", "table:<name>", "progress", "derived", "section", "group", "text:name"
    value: FieldValue
    # the letters (spaces left out) either side of each place a table cell's printed lines were joined
    breaks: list[tuple[str, str]] = Field(default_factory=list)


class TableTotal(BaseModel):
    table: str
    page: int
    column: str
    field: str | None = None  # the project field the column holds (None: a column no field maps to)
    stated: float  # the total row's value
    rows: list[float]  # the values it should add up
    text: str


class StatedCount(BaseModel):
    status: str | None  # None: all projects of the document
    count: int
    page: int
    text: str


class Issue(BaseModel):
    """A rule that failed without a field to lower (e.g. a totals row of a counts-only table)."""

    rule: str
    message: str
    page: int | None = None


class ExtractionResult(BaseModel):
    source: str
    doc_type: DocType
    detection: Detection
    projects: list[ProjectRecord] = Field(default_factory=list)
    progress: list[ProgressRecord] = Field(default_factory=list)
    readings: list[dict[str, list[Reading]]] = Field(default_factory=list)  # parallel to projects
    progress_alternates: list[dict[str, Any]] = Field(default_factory=list)  # parallel to progress: second
    # printed readings of a row's fields (the page's BE date line beside its ISO date)
    totals: list[TableTotal] = Field(default_factory=list)
    counts: list[StatedCount] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
