"""Thai text stage: normalise OCR text, tokenise it with the domain dictionary, correct it conservatively.

Call order for the extractors: `normalize` -> `tokenize` / `correct` (or `clean`, which does both).
Everything here works offline from the PyThaiNLP wheel's bundled corpora and config/dictionary.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib.resources import files
from itertools import accumulate

import yaml
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names, thai_words, tnc, ttc
from pythainlp.tokenize.newmm import segment
from pythainlp.util import Trie
from pythainlp.util import normalize as pythainlp_normalize
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from models.records import TableRecord
from models.values import CorrectedText, Correction, Flag, Token, TokenKind

_THAI = "\u0e01-\u0e4e"  # Thai letters, vowels and marks; Thai digits (U+0E50-0E59) are not letters
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = dict.fromkeys(
    map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"),
    " ",
)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_QUOTES = {
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"'),
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032"), "'"),
}
_TRANSLATE = {**_ZERO_WIDTH, **_SPACES, **_DASHES, **_QUOTES}
# Dotted leaders between a label and its value ("10,900.....", "จำนวน6,000 ... บาท", "ที่..6").
_LEADER = re.compile(r" *(?:\.(?: ?\.)+|[\u2026\u22ef\u00b7]+|_{3,}) *")
_MULTISPACE = re.compile(r" {2,}")
# A vowel or tone mark cannot start a word, nor can ะ, า or ำ, so a space before one is OCR noise ("เลื ่อน",
# "ก ารศึกษา": 147 times in the page text of development sets 1201-2604); removing it first keeps
# pythainlp's remove_dangling() from deleting the mark itself.
MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # regex class body: vowels and tone marks above or below a letter
_SPACE_BEFORE_NON_INITIAL = re.compile(rf"(?<=[\u0e01-\u0e4e]) +(?=[{MARKS}\u0e30\u0e32\u0e33])")
_FOREIGN_IN_THAI = re.compile(rf"(?<=[{_THAI}])[^{_THAI}\s\d\u0e50-\u0e59.,:;()/\-\"'%]+(?=[{_THAI}])")


@cache
def _config(name: str) -> dict:
    return yaml.safe_load(files("config").joinpath(f"dictionary/{name}").read_text(encoding="utf-8"))


def _map_lookalikes(match: re.Match[str]) -> str:
    run = match.group(0)
    table = _config("lookalikes.yaml")
    if run in table["sequences"]:
        return table["sequences"][run]
    chars = table["characters"]
    return "".join(chars[c] for c in run) if all(c in chars for c in run) else run


def normalize_line(line: str, keep_leaders: bool = False) -> str:
    """normalize() for one line."""
    line = unicodedata.normalize("NFC", line).translate(_TRANSLATE)
    line = _FOREIGN_IN_THAI.sub(_map_lookalikes, line)
    line = _SPACE_BEFORE_NON_INITIAL.sub("", line)
    line = line.replace("\u0e4d\u0e32", "\u0e33")  # nikhahit + sara aa, as OCR emits it, is sara am
    line = pythainlp_normalize(line)  # reorders marks, fixes เเ -> แ and สํา -> สำ, drops repeats
    if not keep_leaders:
        line = _LEADER.sub(" ", line)
    return _MULTISPACE.sub(" ", line).strip(" ")


def normalize(text: str, keep_leaders: bool = False) -> str:
    """Normalise OCR text line by line (line breaks and tabs are kept; digits are never changed).
    Dotted leaders ("ชื่อ.........") become a space unless `keep_leaders` (text meant for reading)."""
    return "\n".join(
        normalize_line(line, keep_leaders)
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )


# --- dictionary -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dictionary:
    words: frozenset[str]
    trie: Trie
    freq: dict[str, int]  # TNC/TTC counts; domain words count as the most common
    compound_freq: dict[str, int]  # estimates for compounds the corpora count in parts; see _compound_freqs
    titles: tuple[str, ...]  # person titles, longest first
    # PyThaiNLP's first and family names and config/dictionary/names.csv: words never "corrected"
    names: frozenset[str]
    substitutions: dict[str, tuple[tuple[str, float], ...]]
    insert_delete: dict[str, float]
    sequences: tuple[tuple[str, str, float], ...]  # (as read, as printed, cost): several letters for one
    misreadings: dict[str, str]  # fragment as the model reads it -> as printed


def _read_csv(name: str) -> list[dict[str, str]]:
    text = files("config").joinpath(f"dictionary/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def domain_words(category: str) -> tuple[str, ...]:
    """The entries of one category of config/dictionary/words.csv ("org", "title", ...), as listed, then the
    names patterns.yaml derives from places for that category ("office": สำนักงานเขต{district}, ...)."""
    words = [row["word"] for row in _read_csv("words.csv") if row["category"] == category]
    return tuple(words + _place_names(category))


@cache
def vocabulary_pattern(vocabulary: str, suffix: str = "") -> re.Pattern[str]:
    """A vocabulary's values (longest first) as one pattern, group `known`, optionally followed by `suffix`
    (an office's number: " เขต ๒")."""
    names = sorted(domain_words(vocabulary), key=len, reverse=True)
    return re.compile(f"(?P<known>{'|'.join(map(re.escape, names))})(?:{suffix})?")


def _place_names(category: str | None = None) -> list[str]:
    """The names patterns.yaml derives from places.csv (only the patterns of `category`, if given)."""
    places = _read_csv("places.csv")
    return [
        pat["pattern"].format(name=row["name"])
        for pat in _config("patterns.yaml")["patterns"]
        if category is None or pat.get("category") == category
        for row in places
        if row["kind"] == pat["kind"]
    ]


_MARK_OR_SPACE = re.compile(rf"[{MARKS}\s]")


def skeleton(text: str) -> str:
    """What of a Thai text survives an OCR that drops every mark above and below the letters and every
    space: "สานกงานเขตพนทการศกษา" and "สำนักงานเขตพื้นที่การศึกษา" share one (ำ counts as า)."""
    return _MARK_OR_SPACE.sub("", text.replace("\u0e33", "\u0e32"))


@cache
def _staff() -> tuple[tuple[str, str], ...]:
    """(name, kind) of each staff name of config/dictionary/names.csv."""
    return tuple((row["name"], row["kind"]) for row in _read_csv("names.csv"))


def name_words(text: str) -> list[str]:
    """A person's name as words, its title (the longest the dictionary lists) left out."""
    title = next((t for t in dictionary().titles if text.startswith(t)), "")  # longest first
    return text[len(title) :].split()


@cache
def person_names() -> tuple[frozenset[str], frozenset[str]]:
    """Thai given names and family names: PyThaiNLP's (its wheel's corpus; no download) and the staff
    names of config/dictionary/names.csv."""
    given = {name for name, kind in _staff() if kind == "given"}
    family = {name for name, kind in _staff() if kind == "family"}
    return (
        frozenset(thai_female_names()) | frozenset(thai_male_names()) | given,
        frozenset(thai_family_names()) | family,
    )


def _domain_words() -> set[str]:
    words: set[str] = set()
    for row in _read_csv("words.csv"):
        words.update(row["word"].split())
    words.update(row["name"] for row in _read_csv("places.csv"))
    words.update(_place_names())
    from tasks.labels import load_labels  # labels.py builds on normalize(); a top-level import would cycle

    for label in load_labels():
        words.update(p for p in re.split(rf"[^{_THAI}.]+", label.text) if len(p) > 1)
    words.update(m for spellings in _config("months.yaml")["months"].values() for m in spellings)
    return words


def _compound_freqs(words: frozenset[str], freq: dict[str, int]) -> dict[str, int]:
    """TNC and TTC count compounds in their parts ("จัดซื้อ" as จัด + ซื้อ), so half of PyThaiNLP's words
    have no frequency and could never be a correction. A compound all of whose parts are common words gets
    its rarest part's frequency (about a second to compute)."""
    common = Trie(w for w in words if freq.get(w, 0) >= MIN_FREQ)
    out = {}
    for w in words:
        if w not in freq:
            parts = segment(w, custom_dict=common)
            if len(parts) > 1 and all(freq.get(p, 0) >= MIN_FREQ for p in parts):
                out[w] = min(freq[p] for p in parts)
    return out


@cache
def dictionary() -> Dictionary:
    """PyThaiNLP's bundled word list plus config/dictionary, built once."""
    domain = _domain_words()
    words = frozenset(thai_words()) | frozenset(domain)
    freq = dict(ttc.unigram_word_freqs())
    freq.update(tnc.unigram_word_freqs())  # TNC is the larger corpus; it wins where both count a word
    top = max(freq.values())
    for w in domain:  # domain vocabulary is as common in these reports as the most common words
        freq[w] = max(freq.get(w, 0), top)
    conf = _config("confusions.yaml")
    subs: dict[str, list[tuple[str, float]]] = {}
    for entry in conf["substitute"]:
        a, b = entry["pair"]
        subs.setdefault(a, []).append((b, entry["cost"]))
        subs.setdefault(b, []).append((a, entry["cost"]))
    return Dictionary(
        words=words,
        trie=Trie(words),
        freq=freq,
        compound_freq=_compound_freqs(words, freq),
        titles=tuple(sorted(domain_words("title"), key=len, reverse=True)),
        names=frozenset().union(*person_names()),
        substitutions={k: tuple(v) for k, v in subs.items()},
        insert_delete={e["char"]: e["cost"] for e in conf["insert_delete"]},
        sequences=tuple((e["read"], e["meant"], e["cost"]) for e in conf.get("sequences", [])),
        misreadings={e["read"]: e["meant"] for e in conf.get("misreadings", [])},
    )


@cache
def _abbreviations() -> re.Pattern[str]:
    """The dictionary's dotted abbreviations ("สพป.", "น.ส.", "มิ.ย."): their dots cut them into Thai runs
    that no segmentation reads as words."""
    dotted = sorted((w for w in dictionary().words if "." in w), key=len, reverse=True)
    return re.compile(rf"(?<![{_THAI}.])(?:{'|'.join(map(re.escape, dotted))})")


def _segmented_runs(text: str) -> Iterator[list[str]]:
    """Each Thai run of the text, listed abbreviations taken out, as the dictionary segmentation cuts it."""
    trie = dictionary().trie
    for run in re.findall(rf"[{_THAI}]+", _abbreviations().sub(" ", text)):
        yield segment(run, custom_dict=trie)


def unknown_words(text: str) -> int:
    """Thai runs the dictionary segmentation leaves as non-words: a misread letter or mark ("ค้าเนินการ",
    "สถานกคารณ์") usually leaves one. A listed abbreviation is a word."""
    words = dictionary().words
    return sum(1 for tokens in _segmented_runs(text) for t in tokens if t not in words and len(t) > 0)


def broken_pieces(text: str, longest: int, rare_below: int) -> list[str]:
    """The pieces of at most `longest` characters, counted fewer than `rare_below` times by the corpora,
    that the dictionary segmentation cuts out of a longer Thai run: what a garbled word falls into when each
    piece is still listed ("คุณภาพกวรดำเนินงาน": คุณ|ภา|พก|วร|ดำเนินงาน gives ภา and พก). A run that is itself
    short (a lone "ณ") is left alone, and so are listed abbreviations and person names (วร)."""
    d = dictionary()
    return [
        t
        for tokens in _segmented_runs(text)
        if len(tokens) > 1
        for t in tokens
        if len(t) <= longest and d.freq.get(t, 0) < rare_below and t not in d.names
    ]


_TONE_MARKS = "\u0e47\u0e48\u0e49\u0e4a\u0e4b"  # ็ ่ ้ ๊ ๋
_TONE_BEARERS = re.compile("[\u0e01-\u0e2e\u0e31\u0e34-\u0e39]")  # a consonant, or a vowel a mark sits on


def _tone_variants(word: str) -> set[str]:
    """The word with one tone mark dropped, changed or added: what OCR makes of a mark it misses, misreads
    or invents from a speck."""
    out: set[str] = set()
    for i, ch in enumerate(word):
        if ch in _TONE_MARKS:
            out.update(word[:i] + other + word[i + 1 :] for other in ["", *_TONE_MARKS])
        if _TONE_BEARERS.match(ch) and (i + 1 == len(word) or word[i + 1] not in _TONE_MARKS):
            out.update(word[: i + 1] + mark + word[i + 1 :] for mark in _TONE_MARKS)
    out.discard(word)
    return out


def tone_slips(text: str, ratio: float, least: int) -> list[tuple[str, str]]:
    """(word, commoner) for each word of the text one tone mark from a word the corpora count at least
    `ratio` times as often and at least `least` times ("อบรมพัฒนาครู่ด้าน": ครู่, ครู). Both are words, so
    neither the unknown-word count nor the corrector sees the slip. A word the corpora do not count (a
    domain word, a place) and a person's name are left alone."""
    d = dictionary()
    slips = []
    for tokens in _segmented_runs(text):
        for word in tokens:
            count = d.freq.get(word)
            if count is None or word in d.names:
                continue
            best = max(_tone_variants(word), key=lambda v: d.freq.get(v, 0), default=None)
            if best is not None and d.freq.get(best, 0) >= max(least, ratio * count):
                slips.append((word, best))
    return slips


def _common(word: str, common_from: int) -> bool:
    """A word the corpora count at least `common_from` times, count not at all (the domain's words count as
    the commonest), or count as a whole less than its two common parts ("พัฒนาการ": พัฒนา + การ)."""
    freq = dictionary().freq
    if freq.get(word, common_from) >= common_from:
        return True
    halves = ((word[:i], word[i:]) for i in range(2, len(word) - 1))  # two letters at least each
    return any(min(freq.get(a, 0), freq.get(b, 0)) >= common_from for a, b in halves)


def _pieces(text: str, common_from: int = 0) -> list[tuple[int, int, bool]]:
    """(start, end, known) of each piece of a text without spaces: the dictionary segmentation of its Thai
    runs, and each run of other characters (Latin letters are known). With `common_from`, a word must also
    be `_common`."""
    d = dictionary()
    out: list[tuple[int, int, bool]] = []
    for m in re.finditer(rf"[{_THAI}]+|[^{_THAI}]+", text):
        if re.match(rf"[{_THAI}]", m.group()):
            at = m.start()
            for token in segment(m.group(), custom_dict=d.trie):
                out.append((at, at + len(token), token in d.words and _common(token, common_from)))
                at += len(token)
        else:
            out.append((m.start(), m.end(), bool(_LATIN_TOKEN.fullmatch(m.group()))))
    return out


def garbled_reading(value: str, other: str, common_from: int = 0) -> bool:
    """`other` is `value` misread: at every letter where the two differ, `value` reads words the dictionary
    knows (or Latin letters) and `other` a piece it does not, a misread letter or a speck ("ประจัวิปี" for
    "ประจำปี", "๕ ๕" inside a name). Two texts apart by known words ("เรียนรวม", "เรียนร่วม") are two
    readings. With `common_from`, a rare word is no known word (on either side): OCR misreads a letter into
    rare words the bundled word list holds ("โรงเรียม", "สลานศึกษา")."""
    a, b = (re.sub(r"\s+", "", t) for t in (value, other))
    pa, pb = _pieces(a, common_from), _pieces(b, common_from)

    def pieces(found: list[tuple[int, int, bool]], i: int, j: int) -> list[bool]:
        lo, hi = (i - 1, i + 1) if i == j else (i, j)  # letters lost here: the pieces either side
        return [known for start, end, known in found if start < hi and end > lo]

    apart = [op for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    return bool(apart) and all(
        all(pieces(pa, i1, i2)) and not all(pieces(pb, j1, j2)) for _, i1, i2, j1, j2 in apart
    )


# --- tokenise ---------------------------------------------------------------------------------------

_THAI_TOKEN = re.compile(rf"[{_THAI}]+")
_NUMBER_TOKEN = re.compile(r"[0-9\u0e50-\u0e59]+(?:[.,][0-9\u0e50-\u0e59]+)*")
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z\-]*")


def _kind(tok: str) -> TokenKind:
    if tok.isspace():
        return "space"
    if _THAI_TOKEN.fullmatch(tok):
        return "thai"
    if _NUMBER_TOKEN.fullmatch(tok):
        return "number"
    if _LATIN_TOKEN.fullmatch(tok):
        return "latin"
    return "punct"


def tokenize(text: str) -> list[Token]:
    """Words of normalised text (newmm over PyThaiNLP's words + the domain dictionary), with offsets."""
    d = dictionary()
    out: list[Token] = []
    pos = 0
    for tok in segment(text, custom_dict=d.trie):
        kind = _kind(tok)
        out.append(
            Token(
                text=tok,
                start=pos,
                end=pos + len(tok),
                kind=kind,
                known=kind != "thai" or tok in d.words or tok in "ฯๆ",
            )
        )
        pos += len(tok)
    return out


# --- correct ----------------------------------------------------------------------------------------

MAX_COST = 0.8  # the most a token correction may cost in confusion-weighted edits
MIN_FREQ = 50  # a replacement must be this common in TNC/TTC (or a domain word): rare words attract
# misreadings of proper nouns ("ฮอมขวัญ" would become "ฮ่อมขวัญ" through the rare word ฮ่อม)
LABEL_MIN_SCORE = 0.8  # Levenshtein similarity needed to rewrite a garbled form label
_LABEL_MIN_LEN = 8  # shorter labels are too easy to hit by chance
_JOIN_COST = 0.3
_WORD_PENALTY = 0.15  # per word left in the corrected run; see _confusion
_WINDOW = 3  # tokens an OCR error may have been split into by newmm
# A run of dictionary words is rejoined only into a common word this long, at this edit cost (0 of the
# 312 clean lines and 2,150 rendered truth lines changed; docs/thai_text.md).
SPLIT_MIN_LEN = 4
SPLIT_MAX_COST = 0.5
# A listed word the corpora hardly ever count ("โตย" 2, "ตำเนิน" 3) is more often a misread common word
# ("โดย", "ดำเนิน"): it is corrected like an unknown one, but only into a word RARE_GAIN times commoner.
RARE_FREQ = 25
RARE_GAIN = 100
_DIGIT = re.compile(r"[0-9\u0e50-\u0e59]")


def _variants(word: str, d: Dictionary) -> Iterator[tuple[str, float]]:
    """Strings one confusion edit away from `word`, with the edit's cost."""
    for i, ch in enumerate(word):
        for alt, cost in d.substitutions.get(ch, ()):
            yield word[:i] + alt + word[i + 1 :], cost
        if ch in d.insert_delete:
            yield word[:i] + word[i + 1 :], d.insert_delete[ch]
    for i in range(1, len(word) + 1):
        for ch, cost in d.insert_delete.items():
            yield word[:i] + ch + word[i:], cost
    for read, meant, cost in d.sequences:
        at = word.find(read)
        while at >= 0:
            yield word[:at] + meant + word[at + len(read) :], cost
            at = word.find(read, at + 1)


def _frequency(word: str, d: Dictionary, compounds: bool) -> int:
    return d.freq.get(word) or (d.compound_freq.get(word, 0) if compounds else 0)


def _one_edit(word: str, d: Dictionary, keep: Callable[[str], bool]) -> dict[str, float]:
    """The strings one confusion edit from `word` that `keep` accepts, each at its cheapest edit's cost."""
    best: dict[str, float] = {}
    for cand, cost in _variants(word, d):
        if cost < best.get(cand, 9.0) and keep(cand):
            best[cand] = cost
    return best


def rare_word(word: str, d: Dictionary) -> bool:
    """A listed Thai word the corpora (and the domain dictionary) hardly count: suspect as OCR output."""
    return word in d.words and _frequency(word, d, compounds=True) < RARE_FREQ and word not in d.names


def _candidates(
    word: str, d: Dictionary, compounds: bool = True, min_freq: int = MIN_FREQ
) -> list[tuple[float, int, str]]:
    """(cost, -frequency, candidate) for every dictionary word one edit away, cheapest first. Without
    `compounds`, only words the corpora count themselves (or domain words) qualify."""
    best = _one_edit(word, d, lambda c: c in d.words and _frequency(c, d, compounds) >= min_freq)
    return sorted((cost, -_frequency(c, d, compounds), c) for c, cost in best.items())


@cache
def _name_pattern() -> re.Pattern[str]:
    titles = "|".join(re.escape(t).replace(r"\ ", r"\s?") for t in dictionary().titles)  # ว่าที่ร.ต. too
    return re.compile(rf"({titles}) ?([{_THAI}]+)(?: ([{_THAI}]+))?")


def person_name_spans(line: str) -> list[tuple[int, int]]:
    """Spans of person names in a normalised line (a title then one or two words); never corrected."""
    d = dictionary()
    spans = []
    starts: set[int] | None = None
    for m in _name_pattern().finditer(line):
        title, first, last = m.groups()
        if m.group(0).startswith(title + first) and title + first in d.words:
            continue  # a word that starts like a title ("นายกรัฐมนตรี"), not a name
        if m.start() and re.match(rf"[{_THAI}]", line[m.start() - 1]):
            # glued to the text before: a title only where the words break ("ผู้รับผิดชอบนายสมชาย"),
            # not inside a word ("พัฒนางาน" is พัฒนา + งาน, no นาง)
            starts = _word_starts(line) if starts is None else starts
            if m.start() not in starts:
                continue
        end = m.end(2) if last in (None, "โทร") else m.end(3)
        spans.append((m.start(), end))
    return spans


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _other_wording(printed: str, label: str) -> bool:
    """The line says something else than the label, in whole words: a word swapped for another
    ("จัดทำแผนปฏิบัติการ..." is not "ตามแผนปฏิบัติการ...") or a word more or less at the start
    ("มีความก้าวหน้า...", "ระหว่างดำเนินการ" is not "อยู่ระหว่างดำเนินการ"). OCR garbles letters; whole
    words it only drops or adds inside a line (the seeds' "ความก้าวหน้าการดำเนิน(งาน)โครงการ")."""
    words = dictionary().words
    for op, i1, i2, j1, j2 in SequenceMatcher(None, printed, label, autojunk=False).get_opcodes():
        mine, theirs = printed[i1:i2].strip(), label[j1:j2].strip()
        if op == "equal" or not all(p in words for p in (mine, theirs) if p):
            continue
        if max(len(mine), len(theirs)) > 1 and ((mine and theirs) or i1 == j1 == 0):
            return True
    return False


def _word_starts(line: str) -> set[int]:
    """The offsets where the dictionary segmentation of `line` starts a word (and its end)."""
    return set(accumulate((len(w) for w in segment(line, custom_dict=dictionary().trie)), initial=0))


def _inside_word(line: str, at: int) -> bool:
    """`at` falls inside a word of the line: "เป็นไปตามแน|วทาง" is no label เป็นไปตามแผน followed by text."""
    if not (0 < at < len(line) and _THAI_TOKEN.match(line[at - 1]) and _THAI_TOKEN.match(line[at])):
        return False
    return at not in _word_starts(line)


def _repair_label(line: str, no: int, names: list[tuple[int, int]]) -> tuple[str, list[Correction]]:
    """Rewrite a garbled form label at the start of the line ("สันนิษฐานแผนพัฒนา กทม." ->
    "สนับสนุนแผนพัฒนา กทม."); the value after it is left alone."""
    from tasks.labels import anchored_matches, labels_for  # see _domain_words

    labels = [lb for lb in labels_for() if len(lb.text) >= _LABEL_MIN_LEN]
    matches = anchored_matches(line, labels, LABEL_MIN_SCORE)
    if not matches or any(m.score >= 1.0 and (m.value_start > m.end or m.end == len(line)) for m in matches):
        return line, []  # no label, or one printed exactly and followed by its separator
    # The label explaining most characters wins, so a long garbled label beats an exact short prefix
    # ("งบประมาณทีเบิกใช" is งบประมาณที่เบิกใช้, not งบประมาณ + "ทีเบิกใช").
    m = max(matches, key=lambda m: (m.score * len(m.label), m.score))
    before = line[m.start : m.end]
    if m.label in before or before.replace(" ", "") == m.label.replace(" ", ""):
        return line, []  # only spacing or decoration differs: not a misreading
    if _DIGIT.findall(before) != _DIGIT.findall(m.label) or _overlaps(m.start, m.end, names):
        return line, []
    if _other_wording(before, m.label) or _inside_word(line, m.end):
        return line, []
    fix = Correction(
        before=before,
        after=m.label,
        reason="form label matched fuzzily",
        score=m.score,
        start=m.start,
        end=m.end,
        line=no,
    )
    return line[: m.start] + m.label + line[m.end :], [fix]


def _chunk(toks: list[Token], start: int, step: int) -> list[Token]:
    """The Thai tokens from `start` up to the next non-Thai token, walking in direction `step`."""
    out = []
    while 0 <= start < len(toks) and toks[start].kind == "thai":
        out.append(toks[start])
        start += step
    return out[::step]


def _join(toks: list[Token], i: int, d: Dictionary) -> tuple[int, int, str, float, str] | None:
    """A word split by a stray space ("ดำเนิน การ", "โรงเ รียน"): join when the Thai chunks around the
    space read as dictionary words only once joined. No letter changes."""
    for space in (i - 1, i + 1):
        if 0 < space < len(toks) - 1 and toks[space].text == " ":
            left, right = _chunk(toks, space - 1, -1), _chunk(toks, space + 1, 1)
            words = segment("".join(t.text for t in left + right), custom_dict=d.trie)
            if left and right and all(w in d.words for w in words) and len(words) < len(left) + len(right):
                joined = toks[space - 1].text + toks[space + 1].text
                return space - 1, space + 1, joined, _JOIN_COST, "stray space inside a word"
    return None


def _confusion(
    toks: list[Token], i: int, done: int, d: Dictionary
) -> tuple[int, int, str, float, str] | None:
    """The cheapest unambiguous confusion edit that makes token i known, possibly merged with its Thai
    neighbours (newmm splits an unknown word into fragments): (first, last token, replacement, cost, why)."""
    own = toks[i].text
    min_freq = RARE_GAIN * (_frequency(own, d, compounds=True) + 1) if own in d.words else MIN_FREQ
    options: list[tuple[float, int, int, int, str]] = []
    for lo in range(max(done + 1, i - _WINDOW + 1), i + 1):
        for hi in range(i, min(len(toks), lo + _WINDOW)):
            if all(t.kind == "thai" for t in toks[lo : hi + 1]):
                word = "".join(t.text for t in toks[lo : hi + 1])
                options += [
                    (c, f, lo, hi, w)
                    for c, f, w in _candidates(word, d, min_freq=min_freq)[:2]
                    if c <= MAX_COST and len(w) >= 3
                ]
    if not options:
        return None
    run_lo, run_hi = toks.index(_chunk(toks, i, -1)[0]), toks.index(_chunk(toks, i, 1)[-1])

    # Rank like maximal matching: the edit leaving the Thai run in fewer words, and in no non-words, is the
    # likelier reading ("ขออนุม้ติ" -> "ขออนุมัติ", not "ขออนุมติ"; "ด้ำนที่" -> "ด้านที่", not "ด้ำ|นที"),
    # then the cheaper edit, then the more frequent word.
    def rank(o: tuple[float, int, int, int, str]) -> tuple[float, int, int, str]:
        cost, negfreq, lo, hi, cand = o
        run = (
            "".join(t.text for t in toks[run_lo:lo])
            + cand
            + "".join(t.text for t in toks[hi + 1 : run_hi + 1])
        )
        words = segment(run, custom_dict=d.trie)
        # an edit that leaves a non-word (or a word too rare to trust, "ด้ำ") is the worse one
        unknown = sum(w not in d.words or _frequency(w, d, compounds=True) < MIN_FREQ for w in words)
        return round(cost + _WORD_PENALTY * (len(words) + 2 * unknown), 3), negfreq, hi - lo, run

    ranked = sorted((rank(o), o) for o in options)
    (score, negfreq, _, run), (cost, _, lo, hi, cand) = ranked[0]
    # Two equally good readings of the run: take the first only if it is far more common (x20).
    if any(r[0] == score and r[3] != run and -r[1] * 20 > -negfreq for r, _ in ranked[1:]):
        return None
    return lo, hi, cand, cost, "OCR confusion (weighted edit distance)"


def _skeleton(word: str, classes: dict[str, str], droppable: frozenset[str]) -> str:
    """What survives every confusion edit: look-alike letters folded to one, droppable marks removed."""
    return "".join(c for ch in word if (c := classes.get(ch, ch)) not in droppable)


@cache
def _skeleton_index() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Letter classes, droppable marks, and the skeletons of the words a split may be rejoined into; one
    lookup then rules out almost every run of words, so the split pass costs little on clean text."""
    d = dictionary()
    parent: dict[str, str] = {}

    def root(ch: str) -> str:
        while parent.get(ch, ch) != ch:
            ch = parent[ch]
        return ch

    for a, subs in d.substitutions.items():  # look-alike letters in chains (ด/ค, ด/ต) form one class
        for b, _ in subs:
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)
    classes = {ch: root(ch) for ch in parent}
    # a class is droppable when any member is: า may be dropped, so ำ (read for า) may vanish too
    droppable = frozenset(classes.get(ch, ch) for ch in d.insert_delete)
    skeletons = frozenset(
        _skeleton(w, classes, droppable)
        for w in d.words
        if len(w) >= SPLIT_MIN_LEN and d.freq.get(w, 0) >= MIN_FREQ
    )
    return classes, droppable, skeletons


def _split_word(toks: list[Token], i: int, d: Dictionary) -> tuple[int, int, str, float, str] | None:
    """A word OCR broke into dictionary words by dropping or misreading one mark: "สิงแวดล้อม" is สิง +
    แวดล้อม, "อนุมติ" is อนุ + มติ, so no token is unknown. Tokens i.. joined that are not a word but one
    cheap edit from a common word of at least SPLIT_MIN_LEN letters are that word; the longest such run
    wins (maximal matching)."""
    classes, droppable, skeletons = _skeleton_index()
    best = None
    for hi in range(i + 1, min(len(toks), i + _WINDOW)):
        if toks[hi].kind != "thai":
            break
        word = "".join(t.text for t in toks[i : hi + 1])
        if word in d.words or word in d.names or _skeleton(word, classes, droppable) not in skeletons:
            continue  # a word, a person's name ("อลินดา"), or nothing a word could have lost a mark from
        # Corpus-counted words only: two common words side by side (การ + จัด) are more often just that
        # than a compound one edit away (การจด).
        for cost, _, cand in _candidates(word, d, compounds=False)[:1]:
            if cost <= SPLIT_MAX_COST and len(cand) >= SPLIT_MIN_LEN:
                best = (i, hi, cand, cost, "word split by a dropped or misread mark")
    return best


def _correct_tokens(
    line: str, no: int, protected: list[tuple[int, int]], d: Dictionary, mode: str
) -> tuple[str, list[Correction], list[Flag]]:
    """One pass over a line's Thai tokens: stray-space joins or confusion edits of unknown tokens
    (`mode` "join" / "confusion"), or known tokens that are pieces of one misread word ("split")."""
    toks = tokenize(line)
    fixes: list[Correction] = []
    flags: list[Flag] = []
    done = -1  # last token index already consumed by an edit
    for i, tok in enumerate(toks):
        if i <= done or _overlaps(tok.start, tok.end, protected):
            continue
        suspect = not tok.known or (mode == "confusion" and tok.kind == "thai" and rare_word(tok.text, d))
        if mode != "split" and not suspect:
            continue
        # the word around the token, between spaces or slashes ("บริหารงานบุคคล/อลินดา": group/person)
        word_start = max(line.rfind(" ", 0, tok.start), line.rfind("/", 0, tok.start)) + 1
        ends = [e for e in (line.find(" ", tok.end), line.find("/", tok.end)) if e >= 0]
        word_end = min(ends, default=len(line))
        if mode == "split":
            in_name = line[word_start:word_end].strip("()") in d.names
            best = _split_word(toks, i, d) if tok.kind == "thai" and not in_name else None
            if best is None:
                continue
        else:
            if line[word_start:word_end].strip("()") in d.names:
                if mode == "confusion":
                    name = line[word_start:word_end]
                    reason = "a known person name: left as read"
                    flags.append(Flag(text=name, reason=reason, start=word_start, end=word_end, line=no))
                continue
            best = _join(toks, i, d) if mode == "join" else _confusion(toks, i, done, d)
            if best is None:
                if mode == "confusion" and not tok.known:
                    flags.append(Flag(text=tok.text, reason="unknown word: no safe correction",
                                      start=tok.start, end=tok.end, line=no))  # fmt: skip
                continue
        lo, hi, after, cost, reason = best
        if lo <= done or _overlaps(toks[lo].start, toks[hi].end, protected):
            continue
        fixes.append(
            Correction(
                before=line[toks[lo].start : toks[hi].end],
                after=after,
                reason=reason,
                score=round(1 - cost / 2, 3),
                start=toks[lo].start,
                end=toks[hi].end,
                line=no,
            )
        )
        done = hi
    for fix in reversed(fixes):
        line = line[: fix.start] + fix.after + line[fix.end :]
    return line, fixes, flags


NAME_MAX_COST = 0.5  # the most a misread name may cost to be read as a known one
# A second known name at most this much dearer makes the cheaper one a guess: "ณ์ฐวัฒน์" is ณฐวัฒน์ with ์ added
# (0.4) or ณัฐวัฒน์ with ั read ์ (0.5), and was ณัฐวัฒน์ all 6 times in the 16 stored sets 1201-5201.
NAME_TIE_MARGIN = 0.1
# Any one edit (a letter for another, one added or lost) costs a given name of LOOSE_MIN_LETTERS letters or
# more the most, when exactly one known name is that close: faxed names lose and gain letters no confusion
# lists ("สมเถียรติ", "ชซิรากร"). Not a family name: Thai ones are registered one per family, so one missing
# from the lists is most often real (seed 000's ธีระวุฒิศาสตร์ is one edit from a listed อีระวุฒิศาสตร์).
LOOSE_MIN_LETTERS = 5


@cache  # asked twice for a name no known one is picked for (tasks.extract._known), and names recur
def near_names(word: str) -> tuple[tuple[str, float], ...]:
    """The known names (PyThaiNLP's given and family names, config/dictionary/names.csv) a single cheap OCR
    confusion away from `word`, with the edit's cost, cheapest first; none when `word` is itself known."""
    d = dictionary()
    if word in d.names:
        return ()
    costs = {c: cost for c, cost in _one_edit(word, d, d.names.__contains__).items() if cost <= NAME_MAX_COST}
    return tuple(sorted(costs.items(), key=lambda nc: nc[1]))


@cache  # asked for every word of every person's name, and names recur across fields and documents
def near_staff_name(word: str) -> str | None:
    """The staff name of config/dictionary/names.csv a single cheap OCR confusion from `word`, when `word`
    is another known name ("ธิดาภรณ์" for the staff's ธดาภรณ์, an ิ added): the lists vouch for the reading,
    yet these offices' own people make the misreading as likely. Of PyThaiNLP's 21,217 other names only
    ธิดาภรณ์ is that near one of the twenty staff names."""
    d = dictionary()
    staff = frozenset(name for name, _ in _staff())
    if word in staff or word not in d.names:
        return None
    near = {c: cost for c, cost in _one_edit(word, d, staff.__contains__).items() if cost <= NAME_MAX_COST}
    return min(near, key=near.__getitem__) if near else None


def known_name(word: str, loose: bool = False) -> tuple[str, float] | None:
    """The one known name a single cheap OCR confusion away from `word` ("ซีไธ" -> ชีไธ, "มันคง" -> มั่นคง),
    with the edit's cost; None when `word` is itself known, or no name or more than one name is that close
    (a second within NAME_TIE_MARGIN). `loose` (a given name): failing that, the one known name any single
    edit away, at NAME_MAX_COST."""
    if word in dictionary().names:
        return None
    near = near_names(word)
    if not near:
        return _nearest_name(word) if loose else None
    (name, best), *rest = near
    return (name, best) if not rest or rest[0][1] > best + NAME_TIE_MARGIN else None


@cache
def _name_list() -> list[str]:
    return sorted(dictionary().names)


def _nearest_name(word: str) -> tuple[str, float] | None:
    if len(re.findall(r"[\u0e01-\u0e2e\u0e40-\u0e44]", word)) < LOOSE_MIN_LETTERS:
        return None
    found = process.extract(word, _name_list(), scorer=Levenshtein.distance, score_cutoff=1, limit=2)
    return (found[0][0], NAME_MAX_COST) if len(found) == 1 else None


def _name_flags(line: str, no: int, names: list[tuple[int, int]]) -> list[Flag]:
    """A name is never corrected, but one with unknown words is worth a reviewer's look."""
    toks = tokenize(line)
    return [
        Flag(text=line[s:e], reason="person name with unknown words: left as read", start=s, end=e, line=no)
        for s, e in names
        if any(not t.known and s < t.end and t.start < e for t in toks)
    ]


def _known_misreadings(line: str, no: int, d: Dictionary) -> tuple[str, list[Correction]]:
    """The fragments of confusions.yaml `misreadings` replaced by what was printed (left to right), also
    when OCR put a space inside one ("ขัน ตอน")."""
    fixes: list[Correction] = []
    for read, meant in d.misreadings.items():
        pattern = re.compile(" ?".join(map(re.escape, read)))
        found = pattern.search(line)
        while found:
            fixes.append(
                Correction(
                    before=found.group(),
                    after=meant,
                    reason="a known misreading of the Thai model",
                    score=1.0,
                    start=found.start(),
                    end=found.end(),
                    line=no,
                )
            )
            line = line[: found.start()] + meant + line[found.end() :]
            found = pattern.search(line, found.start() + len(meant))
    return line, fixes


def correct(text: str, labels: bool = True) -> CorrectedText:
    """Conservative OCR correction of normalised text. Form labels are repaired by fuzzy label matching
    (unless `labels` is false: a table cell holds no form label), words split by a stray space are joined,
    and unknown Thai words get confusion-weighted edits ranked by corpus frequency. Numbers, codes and
    person names are never changed (names are flagged).
    Correction offsets refer to the line as it was when that correction was made."""
    d = dictionary()
    out_lines: list[str] = []
    fixes: list[Correction] = []
    flags: list[Flag] = []
    for no, line in enumerate(text.split("\n")):
        if not _THAI_TOKEN.search(line):
            out_lines.append(line)
            continue
        line, known_fixes = _known_misreadings(line, no, d)
        fixes += known_fixes
        line, label_fixes = _repair_label(line, no, person_name_spans(line)) if labels else (line, [])
        fixes += label_fixes
        label_end = label_fixes[0].start + len(label_fixes[0].after) if label_fixes else 0
        toks = tokenize(line)
        plain = all(t.known and not rare_word(t.text, d) for t in toks)
        if plain and not any(_split_word(toks, i, d) for i in range(len(toks) - 1)):
            out_lines.append(line)  # the common case: nothing unknown, no word in pieces, nothing to do
            continue
        # a word that lost two marks is mended one at a time: "ทียังยืน" -> ที|ยั่งยืน -> ที่ยั่งยืน
        for mode in ("join", "confusion", "split", "split"):
            names = person_name_spans(line)
            line, token_fixes, token_flags = _correct_tokens(line, no, [*names, (0, label_end)], d, mode)
            fixes += token_fixes
            flags += token_flags
        flags += _name_flags(line, no, person_name_spans(line))
        out_lines.append(line)
    return CorrectedText(text="\n".join(out_lines), corrections=fixes, flags=flags)


def clean_page_text(text: str) -> str:
    """A page's text as written to text/: normalised with its dotted leaders kept (they are printed on
    the page and help a reader), then corrected."""
    return correct(normalize(text, keep_leaders=True)).text


def clean_table(table: TableRecord) -> TableRecord:
    """A table with its cell texts corrected like page text (a cell is a line; digits never change)."""

    def cells(rows: list[list[str]]) -> list[list[str]]:
        return [
            [correct(normalize(c, keep_leaders=True), labels=False).text if c else c for c in row]
            for row in rows
        ]

    return table.model_copy(update={"header": cells(table.header), "rows": cells(table.rows)})


def clean(text: str) -> CorrectedText:
    """normalize() then correct(): the usual entry point for OCR output."""
    return correct(normalize(text))
