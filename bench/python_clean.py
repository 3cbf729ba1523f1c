#!/usr/bin/env python3
"""The clean stage in plain Python, for bench/clean-benchmark: the baseline moltscope is timed against.

Reads `posts` and `comments` from a crawled moltscope database and writes the same four tables the
clean stage writes (documents, duplicate_groups, flood_events, agent_activity), replacing them in
one transaction. It does the same work, in the same way where Python allows:

- the same text normalization (a port of Sources/MoltscopeStages/Clean/TextNormalizer.swift and
  InlineMarkup.swift: Markdown and HTML reduced to text, invisible and control characters removed,
  whitespace collapsed, NFC, cut at max_chars preferring whitespace); runs of ordinary characters
  are copied with one regular-expression search, the markup itself is scanned by hand;
- the same language guess (script counts, then stopwords), SHA-256 content hashes (hashlib);
- exact groups by hash; near groups with datasketch (MinHash, 128 permutations, MinHashLSH with the
  same 16 bands x 8 rows), candidates verified by estimated Jaccard >= threshold, union-find;
- the same group ids (chronological rank of the first member), flood events, burstiness (population
  CV of gaps between an agent's posts, >= 3 posts) and drop rules.

Known differences: datasketch hashes shingles with SHA-1 and keeps 32-bit minima (moltscope:
multiply-shift and 8-bit minima), so near groups can differ at the threshold's edge; Python has no
grapheme segmentation or emoji property in its standard library, so the cut and zero-width-joiner
rules use close approximations.

    python3 bench/python_clean.py --db crawled.sqlite [--max-chars 2000] [--threshold 0.8] ...
"""
import argparse
import bisect
import hashlib
import re
import sqlite3
import sys
import time
import unicodedata

from datasketch import MinHash, MinHashLSH

# --- character classes -----------------------------------------------------------------------

REMOVED = set([0xAD, 0x61C, 0x180E, 0x200B, 0x200C, 0x200E, 0x200F, 0xFEFF])
REMOVED.update(range(0x202A, 0x202F))
REMOVED.update(range(0x2060, 0x2065))
REMOVED.update(range(0x2066, 0x2070))
REMOVED.update(range(0xFFF9, 0xFFFC))
SPACES = set([0x20, 0x09, 0x0B, 0x0C, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000]) | set(range(0x2000, 0x200B))
LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
ASCII_PUNCT = set(map(ord, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"))


def is_removed(v):
    if v < 0x20:
        return v not in (0x09, 0x0A, 0x0B, 0x0C)
    if v < 0x7F:
        return False
    if v <= 0x9F:
        return True
    return v in REMOVED


def is_space(v):
    return v in SPACES


def is_emoji_part(v):
    if v < 0x2000:
        return False
    return (0x1F000 <= v <= 0x1FAFF or 0x2600 <= v <= 0x27BF or 0x2B00 <= v <= 0x2BFF or 0x2300 <= v <= 0x23FF
            or 0x2194 <= v <= 0x21AA or 0x25AA <= v <= 0x25FE or v in (0xFE0F, 0x203C, 0x2049, 0x2122, 0x2139,
                                                                       0x24C2, 0x2934, 0x2935, 0x3030, 0x303D,
                                                                       0x3297, 0x3299))


def is_punctuation(ch):
    v = ord(ch)
    if v < 0x80:
        return v in ASCII_PUNCT
    return unicodedata.category(ch)[0] in "PS"


def is_flanking_space(ch):
    v = ord(ch)
    return v in SPACES or v in (0x0A, 0x0D, 0x85, 0x2028, 0x2029)


# --- HTML --------------------------------------------------------------------------------------

BLOCK_TAGS = set("""address article aside blockquote body br caption center dd details dialog div dl dt fieldset
figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p pre section summary table tbody
tfoot thead tr ul""".split())
INLINE_TAGS = set("""a abbr b bdi bdo big cite code col colgroup data del dfn em font i img input ins kbd label link
mark meta q s samp small source span strike strong sub sup td th time tt u var wbr audio video picture button select
option textarea iframe svg path g noscript title base""".split())
DROPPED = {"script", "style", "template"}
KNOWN_TAGS = BLOCK_TAGS | INLINE_TAGS | DROPPED
ENTITIES = {
    "amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": "\xa0", "AMP": "&", "LT": "<", "GT": ">",
    "QUOT": '"', "copy": "\xa9", "reg": "\xae", "trade": "\u2122", "hellip": "\u2026", "mdash": "\u2014",
    "ndash": "\u2013", "lsquo": "\u2018", "rsquo": "\u2019", "sbquo": "\u201a", "ldquo": "\u201c", "rdquo": "\u201d",
    "bdquo": "\u201e", "laquo": "\xab", "raquo": "\xbb", "lsaquo": "\u2039", "rsaquo": "\u203a", "euro": "\u20ac",
    "pound": "\xa3", "yen": "\xa5", "cent": "\xa2", "curren": "\xa4", "deg": "\xb0", "plusmn": "\xb1",
    "times": "\xd7", "divide": "\xf7", "middot": "\xb7", "bull": "\u2022", "para": "\xb6", "sect": "\xa7",
    "shy": "\xad", "iexcl": "\xa1", "iquest": "\xbf", "ordf": "\xaa", "ordm": "\xba", "sup1": "\xb9",
    "sup2": "\xb2", "sup3": "\xb3", "frac12": "\xbd", "frac14": "\xbc", "frac34": "\xbe", "micro": "\xb5",
    "acute": "\xb4", "uml": "\xa8", "macr": "\xaf", "cedil": "\xb8", "not": "\xac", "brvbar": "\xa6",
    "ensp": "\u2002", "emsp": "\u2003", "thinsp": "\u2009", "zwnj": "\u200c", "zwj": "\u200d", "lrm": "\u200e",
    "rlm": "\u200f", "dagger": "\u2020", "Dagger": "\u2021", "permil": "\u2030", "prime": "\u2032",
    "Prime": "\u2033", "larr": "\u2190", "uarr": "\u2191", "rarr": "\u2192", "darr": "\u2193", "harr": "\u2194",
    "lArr": "\u21d0", "rArr": "\u21d2", "hArr": "\u21d4", "minus": "\u2212", "le": "\u2264", "ge": "\u2265",
    "ne": "\u2260", "asymp": "\u2248", "infin": "\u221e", "sum": "\u2211", "prod": "\u220f", "radic": "\u221a",
    "part": "\u2202", "isin": "\u2208", "forall": "\u2200", "exist": "\u2203", "empty": "\u2205", "and": "\u2227",
    "or": "\u2228", "cap": "\u2229", "cup": "\u222a", "int": "\u222b", "there4": "\u2234", "sim": "\u223c",
    "equiv": "\u2261", "sub": "\u2282", "sup": "\u2283", "loz": "\u25ca", "spades": "\u2660", "clubs": "\u2663",
    "hearts": "\u2665", "diams": "\u2666", "check": "\u2713", "star": "\u2606", "starf": "\u2605",
    "alpha": "\u03b1", "beta": "\u03b2", "gamma": "\u03b3", "delta": "\u03b4", "epsilon": "\u03b5",
    "lambda": "\u03bb", "mu": "\u03bc", "pi": "\u03c0", "sigma": "\u03c3", "tau": "\u03c4", "phi": "\u03c6",
    "omega": "\u03c9", "Delta": "\u0394", "Sigma": "\u03a3", "Omega": "\u03a9", "agrave": "\xe0",
    "aacute": "\xe1", "acirc": "\xe2", "atilde": "\xe3", "auml": "\xe4", "aring": "\xe5", "aelig": "\xe6",
    "ccedil": "\xe7", "egrave": "\xe8", "eacute": "\xe9", "ecirc": "\xea", "euml": "\xeb", "igrave": "\xec",
    "iacute": "\xed", "icirc": "\xee", "iuml": "\xef", "ntilde": "\xf1", "ograve": "\xf2", "oacute": "\xf3",
    "ocirc": "\xf4", "otilde": "\xf5", "ouml": "\xf6", "oslash": "\xf8", "ugrave": "\xf9", "uacute": "\xfa",
    "ucirc": "\xfb", "uuml": "\xfc", "yacute": "\xfd", "yuml": "\xff", "szlig": "\xdf", "Agrave": "\xc0",
    "Aacute": "\xc1", "Acirc": "\xc2", "Atilde": "\xc3", "Auml": "\xc4", "Aring": "\xc5", "AElig": "\xc6",
    "Ccedil": "\xc7", "Egrave": "\xc8", "Eacute": "\xc9", "Ecirc": "\xca", "Euml": "\xcb", "Iacute": "\xcd",
    "Ntilde": "\xd1", "Oacute": "\xd3", "Ocirc": "\xd4", "Otilde": "\xd5", "Ouml": "\xd6", "Oslash": "\xd8",
    "Uacute": "\xda", "Uuml": "\xdc", "oelig": "\u0153", "OElig": "\u0152", "scaron": "\u0161", "Scaron": "\u0160",
}
WIN1252 = {0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
           0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
           0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
           0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178}
ENTITY = re.compile(r"&(?:#[xX]([0-9A-Fa-f]{1,8});|#([0-9]{1,9});|([A-Za-z0-9]{1,32});)")


def numeric_reference(value):
    if 0x80 <= value <= 0x9F:
        return chr(WIN1252.get(value, 0xFFFD))
    if value == 0 or 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        return "\ufffd"
    return chr(value)


def decode_entities(text):
    if "&" not in text:
        return text

    def repl(m):
        if m.group(1) is not None:
            return numeric_reference(int(m.group(1), 16))
        if m.group(2) is not None:
            return numeric_reference(int(m.group(2)))
        return ENTITIES.get(m.group(3), m.group(0))
    return ENTITY.sub(repl, text)


# --- inline scanner ----------------------------------------------------------------------------

SPECIAL = re.compile(r"[\\`!\[<&*_~|]")
TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
ALT = re.compile(r"(?:^|\s)alt\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s/]+))", re.IGNORECASE)


def matching(s, start, end, opener, closer):
    depth = 0
    j = start
    while j < end:
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == opener:
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


class Inline:
    """One line's inline markup to text, with emphasis delimiters resolved as in InlineMarkup.swift."""

    def __init__(self, s):
        self.s = s
        self.out = []          # pieces of text
        self.runs = []         # [index into out, char, can_open, can_close, removed]

    def scan(self, start, end, table_row):
        s = self.s
        out = self.out
        i = start
        while i < end:
            m = SPECIAL.search(s, i, end)
            if m is None:
                out.append(s[i:end])
                return None
            j = m.start()
            if j > i:
                out.append(s[i:j])
            i = j
            c = s[i]
            if c == "\\":
                if i + 1 < end and ord(s[i + 1]) in ASCII_PUNCT:
                    out.append(s[i + 1])
                    i += 2
                else:
                    if i + 1 < end:
                        out.append(c)
                    i += 1
            elif c == "`":
                i = self.code_span(i, end)
            elif c == "!":
                nxt = self.link(i + 1, end, table_row) if i + 1 < end and s[i + 1] == "[" else -1
                if nxt < 0:
                    out.append(c)
                    i += 1
                else:
                    i = nxt
            elif c == "[":
                nxt = self.link(i, end, table_row)
                if nxt < 0:
                    out.append(c)
                    i += 1
                else:
                    i = nxt
            elif c == "<":
                kind, value = self.angle(i, end)
                if kind == "skip":
                    return value
                i = value
            elif c == "&":
                m = ENTITY.match(s, i, end)
                if m:
                    out.append(decode_entities(m.group(0)))
                    i = m.end()
                else:
                    out.append(c)
                    i += 1
            elif c in "*_~":
                i = self.delimiter_run(i, start, end)
            elif c == "|":
                out.append(" " if table_row else c)
                i += 1
        return None

    def literal(self, start, end):
        self.out.append(decode_entities(self.s[start:end]))

    def flush(self, emitter):
        stack = []
        runs = self.runs
        for k, run in enumerate(runs):
            if run[3]:
                pos = -1
                for p in range(len(stack) - 1, -1, -1):
                    if runs[stack[p]][1] == run[1]:
                        pos = p
                        break
                if pos >= 0:
                    runs[stack[pos]][4] = True
                    run[4] = True
                    del stack[pos:]
                    continue
            if run[2]:
                stack.append(k)
        for run in runs:
            if run[4]:
                self.out[run[0]] = ""
        emitter.put("".join(self.out))
        self.out = []
        self.runs = []

    def code_span(self, i, end):
        s = self.s
        n = 0
        while i + n < end and s[i + n] == "`":
            n += 1
        j = i + n
        while j < end:
            if s[j] != "`":
                j += 1
                continue
            m = 0
            while j + m < end and s[j + m] == "`":
                m += 1
            if m == n:
                a, b = i + n, j
                if b - a >= 2 and s[a] == " " and s[b - 1] == " " and s[a:b].strip(" "):
                    a += 1
                    b -= 1
                self.literal(a, b)
                return j + m
            j += m
        self.out.append("`" * n)
        return i + n

    def link(self, start, end, table_row):
        s = self.s
        close = matching(s, start, end, "[", "]")
        if close < 0:
            return -1
        after = close + 1
        if after >= end:
            return -1
        if s[after] == "(":
            paren = matching(s, after, end, "(", ")")
            if paren < 0:
                ref = -1
                if s[after] == "[":
                    ref = matching(s, after, end, "[", "]")
                if ref < 0:
                    return -1
                nxt = ref + 1
            else:
                nxt = paren + 1
        elif s[after] == "[":
            ref = matching(s, after, end, "[", "]")
            if ref < 0:
                return -1
            nxt = ref + 1
        else:
            return -1
        self.scan(start + 1, close, table_row)
        return nxt

    def angle(self, i, end):
        s = self.s
        if s.startswith("<!--", i, end):
            close = s.find("-->", i + 4, end)
            if close >= 0:
                return "next", close + 3
            return "skip", ("comment", None)
        if i + 2 < end and s[i + 1] in "!?" and (s[i + 2].isascii() and s[i + 2].isalpha() or s[i + 2] in "?["):
            j = s.find(">", i + 2, end)
            if j >= 0:
                return "next", j + 1
        nxt = self.autolink(i, end)
        if nxt >= 0:
            return "next", nxt
        result = self.tag(i, end)
        if result is not None:
            return result
        self.out.append("<")
        return "next", i + 1

    def autolink(self, i, end):
        s = self.s
        first = i + 1
        m = SCHEME.match(s, first, end)
        if not m:
            return -1
        k = m.end()
        is_scheme = 2 <= k - first <= 32 and k < end and s[k] == ":"
        mpos = k + 1 if is_scheme else k
        saw_at = False
        while mpos < end:
            c = s[mpos]
            if c in "><" or ord(c) in SPACES:
                break
            if c == "@":
                saw_at = True
            mpos += 1
        if mpos < end and s[mpos] == ">" and (is_scheme or saw_at):
            self.out.append(s[first:mpos])
            return mpos + 1
        return -1

    def tag(self, i, end):
        s = self.s
        j = i + 1
        closing = False
        if j < end and s[j] == "/":
            closing = True
            j += 1
        m = TAG_NAME.match(s, j, end)
        if not m:
            return None
        raw_name = m.group(0)
        if len(raw_name) > 11:
            return None
        name = raw_name.lower()
        j = m.end()
        if j >= end or name not in KNOWN_TAGS:
            return None
        if not (s[j] in ">/" or ord(s[j]) in SPACES):
            return None
        attributes_start = j
        quote = None
        while j < end:
            c = s[j]
            if quote:
                if c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
            elif c == ">":
                break
            j += 1
        if j >= end:
            return None
        self_closing = s[j - 1] == "/"
        nxt = j + 1
        if not closing and name == "img":
            a = ALT.search(s, attributes_start, j)
            if a:
                value = a.group(1) if a.group(1) is not None else a.group(2) if a.group(2) is not None else a.group(3)
                self.out.append(" " + decode_entities(value) + " ")
        if name in BLOCK_TAGS:
            self.out.append("\n")
        elif name in ("td", "th"):
            self.out.append(" ")
        if not closing and not self_closing and name in DROPPED:
            after = closing_tag(s, name, nxt, end)
            if after >= 0:
                return "next", after
            return "skip", ("element", name)
        return "next", nxt

    def delimiter_run(self, i, start, end):
        s = self.s
        c = s[i]
        n = 1
        while i + n < end and s[i + n] == c:
            n += 1
        if c == "~" and n < 2:
            self.out.append(c)
            return i + 1
        prev = s[i - 1] if i > start else None
        nxt = s[i + n] if i + n < end else None
        prev_space = prev is None or is_flanking_space(prev)
        next_space = nxt is None or is_flanking_space(nxt)
        prev_punct = prev is not None and is_punctuation(prev)
        next_punct = nxt is not None and is_punctuation(nxt)
        left = not next_space and (not next_punct or prev_space or prev_punct)
        right = not prev_space and (not prev_punct or next_space or next_punct)
        if c == "_":
            can_open = left and (not right or prev_punct)
            can_close = right and (not left or next_punct)
        else:
            can_open, can_close = left, right
        if c == "*" and prev is not None and nxt is not None and "0" <= prev <= "9" and "0" <= nxt <= "9":
            can_open = can_close = False
        self.runs.append([len(self.out), c, can_open, can_close, False])
        self.out.append(c * n)
        return i + n


def closing_tag(s, name, start, end):
    lower = s[start:end].lower()
    k = lower.find("</" + name)
    if k < 0:
        return -1
    j = s.find(">", start + k, end)
    return end if j < 0 else j + 1


def terminator(skip, s, start, end):
    if skip[0] == "comment":
        k = s.find("-->", start, end)
        return -1 if k < 0 else k + 3
    return closing_tag(s, skip[1], start, end)


# --- emitter -----------------------------------------------------------------------------------

REMOVE_TABLE = {v: None for v in list(range(0, 0x09)) + list(range(0x0D, 0x20)) + list(range(0x7F, 0xA0)) + sorted(REMOVED)}
SPACE_CLASS = "".join(re.escape(chr(v)) for v in sorted(SPACES))
WHITESPACE_WITH_BREAK = re.compile(f"[{SPACE_CLASS}]*\n[\n{SPACE_CLASS}]*")
WHITESPACE = re.compile(f"[{SPACE_CLASS}]+")
EMOJI = ("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u2194-\u21AA\u25AA-\u25FE\uFE0F"
         "\u203C\u2049\u2122\u2139\u24C2\u2934\u2935\u3030\u303D\u3297\u3299]")
JOINERS = re.compile("\u200d+")
KEPT_JOINER = re.compile(f"(?<={EMOJI})\u200d(?={EMOJI})")
NEEDS_NFC = re.compile("[^\u0000-\u02ff]")


class Emitter:
    """Collects a document's text; finish() applies the character rules of TextEmitter.swift with
    str.translate and regular expressions: removed characters dropped, a zero-width joiner kept only
    between emoji, whitespace runs collapsed (a run with a line break becomes one newline), NFC."""

    def __init__(self):
        self.parts = []

    def put(self, text):
        self.parts.append(text)

    def line_break(self):
        self.parts.append("\n")

    def finish(self):
        text = "".join(self.parts).translate(REMOVE_TABLE)
        if "\u200d" in text:
            text = KEPT_JOINER.sub("\x00", JOINERS.sub("\u200d", text)).replace("\u200d", "").replace("\x00", "\u200d")
        text = WHITESPACE.sub(" ", WHITESPACE_WITH_BREAK.sub("\n", text)).strip(" \n")
        return unicodedata.normalize("NFC", text) if NEEDS_NFC.search(text) else text


# --- line-level Markdown -----------------------------------------------------------------------

def skip_spaces(s, i, end):
    while i < end and ord(s[i]) in SPACES:
        i += 1
    return i


def trimmed(s, start, end):
    a = skip_spaces(s, start, end)
    b = end
    while b > a and ord(s[b - 1]) in SPACES:
        b -= 1
    return a, b


def opens_fence(s, start, end):
    a = skip_spaces(s, start, end)
    if a >= end or s[a] not in "`~":
        return None
    c = s[a]
    n = 0
    while a + n < end and s[a + n] == c:
        n += 1
    if n < 3:
        return None
    if c == "`" and "`" in s[a + n:end]:
        return None
    return c, n


def closes_fence(s, start, end, fence):
    a, b = trimmed(s, start, end)
    return b - a >= fence[1] and all(ch == fence[0] for ch in s[a:b])


def is_thematic_break(s, a, b):
    c = s[a]
    if c not in "-*_=":
        return False
    count = 0
    for ch in s[a:b]:
        if ch == c:
            count += 1
        elif ord(ch) not in SPACES:
            return False
    return count >= 3


def is_table_separator(s, a, b):
    if a >= b:
        return False
    pipe = dash = False
    for ch in s[a:b]:
        if ch == "|":
            pipe = True
        elif ch == "-":
            dash = True
        elif ch == ":":
            pass
        elif ord(ch) not in SPACES:
            return False
    return pipe and dash


def is_reference_definition(s, a, b):
    if s[a] != "[":
        return False
    j = a + 1
    while j < b and s[j] != "]":
        if s[j] == "[":
            return False
        j += 1
    if not (j > a + 1 and j + 2 < b and s[j + 1] == ":" and ord(s[j + 2]) in SPACES):
        return False
    return skip_spaces(s, j + 2, b) < b


def strip_heading(s, start, end):
    n = 0
    while start + n < end and s[start + n] == "#":
        n += 1
    if not (1 <= n <= 6) or not (start + n == end or ord(s[start + n]) in SPACES):
        return start, end
    text_start = skip_spaces(s, start + n, end)
    e = end
    while e > text_start and ord(s[e - 1]) in SPACES:
        e -= 1
    h = e
    while h > text_start and s[h - 1] == "#":
        h -= 1
    if h < e and (h == text_start or ord(s[h - 1]) in SPACES):
        e = h
    return text_start, e


BULLETS = set("-*+\u2022\u25e6\u25aa\u2023\u2043")


def strip_list_marker(s, start, end):
    i = start
    if i >= end:
        return start
    if s[i] in BULLETS:
        i += 1
    elif "0" <= s[i] <= "9":
        digits = 0
        while i < end and "0" <= s[i] <= "9" and digits < 9:
            i += 1
            digits += 1
        if not (i < end and s[i] in ".)"):
            return start
        i += 1
    else:
        return start
    if not (i < end and ord(s[i]) in SPACES):
        return start
    i = skip_spaces(s, i, end)
    if i + 3 <= end and s[i] == "[" and s[i + 2] == "]" and s[i + 1] in " xX" and (i + 3 == end or ord(s[i + 3]) in SPACES):
        i = skip_spaces(s, i + 3, end)
    return i


def normalize(raw):
    if not raw:
        return ""
    s = raw
    lines = []
    pos = 0
    for m in LINE_BREAKS.finditer(s):
        lines.append((pos, m.start()))
        pos = m.end()
    lines.append((pos, len(s)))
    emitter = Emitter()
    inline = Inline(s)
    fence = None
    skip = None
    in_table = False
    for index, (start, end) in enumerate(lines):
        if skip is not None:
            after = terminator(skip, s, start, end)
            if after < 0:
                continue
            skip = inline.scan(after, end, False)
            inline.flush(emitter)
            emitter.line_break()
            continue
        if fence is not None:
            if closes_fence(s, start, end, fence):
                fence = None
            else:
                inline.literal(start, end)
                inline.flush(emitter)
            emitter.line_break()
            continue
        opened = opens_fence(s, start, end)
        if opened:
            fence = opened
            emitter.line_break()
            continue
        a = skip_spaces(s, start, end)
        while a < end and s[a] == ">":
            a = skip_spaces(s, a + 1, end)
        if a == end:
            in_table = False
            emitter.line_break()
            continue
        if is_thematic_break(s, a, end) or is_table_separator(s, a, end) or is_reference_definition(s, a, end):
            if is_table_separator(s, a, end):
                in_table = True
            emitter.line_break()
            continue
        table_row = False
        if "|" in s[a:end]:
            next_sep = index + 1 < len(lines) and is_table_separator(s, *trimmed(s, *lines[index + 1]))
            table_row = s[a] == "|" or in_table or next_sep
        else:
            in_table = False
        a, content_end = strip_heading(s, a, end)
        a = strip_list_marker(s, a, content_end)
        skip = inline.scan(a, content_end, table_row)
        inline.flush(emitter)
        emitter.line_break()
    return emitter.finish()


# --- truncation (grapheme boundaries approximated) ---------------------------------------------

def extends(v, prev):
    if prev == 0x200D:
        return True
    if v == 0x200D or 0xFE00 <= v <= 0xFE0F or 0x1F3FB <= v <= 0x1F3FF or 0xE0020 <= v <= 0xE007F:
        return True
    return unicodedata.category(chr(v))[0] == "M"


def cut(text, max_chars):
    if max_chars <= 0 or len(text) <= max_chars:
        return text, False
    end = max_chars
    while end > 0 and extends(ord(text[end]), ord(text[end - 1])):
        end -= 1
    space = -1
    for k in range(end - 1, -1, -1):
        if text[k].isspace():
            space = k
            break
    if space >= 0 and space * 5 >= max_chars * 4:
        end = space
    return text[:end].rstrip(), True


# --- language --------------------------------------------------------------------------------

STOPWORDS = {
    "en": "the and of to is in that it for you are was with on as this be at by not have but from or they we an which their what will would there can all your my has been if about more when do just so our me like how i its were them than then also these those because into who very here",
    "es": "el la los las de del y que en un una es por con para como pero más mas este esta está son fue muy también hay sus su yo porque cuando sobre entre sin todo ya lo le se al no mi tu nos ni o qué cómo puede ser tiene hace sí eso esto ella ellos estoy estamos",
    "pt": "o a os as de do da dos das e que em um uma é não para com por mas mais isso este esta está são foi muito também há seu sua eu porque quando sobre entre sem tudo já no na nos nas pelo pela você ao se me meu minha ele ela eles como ou ser tem fazer isto aqui então",
    "fr": "le la les de des du un une et est en que qui dans pour pas sur au aux avec ce cette il elle nous vous ils je mais ou son sa ses ne plus par sont être avoir fait très aussi comme tout c l d qu j n leur mon ma mes ton on y été était ça cela donc",
    "de": "der die das und ist nicht ein eine zu den mit von sich des auf für im dem auch es an als wie aber oder wenn noch nur ich du wir sie bei aus nach einen einem einer sind hat wird kann über dass mehr schon sehr mein meine ihr uns war habe haben doch diese dieser",
    "it": "il lo la i gli le di del della dei delle che e è un una per non in con su da come ma anche più sono questo questa molto mi ti si ci io tu noi voi loro al alla nel nella se perché quando cosa sia ho hai ha essere fare tutto ancora",
    "nl": "de het een en van ik te dat die in is niet op aan met als voor er maar om zijn ook dan of wat nog bij uit naar hoe wel geen kan heeft deze worden door mijn jij wij zo je we hebben was veel",
    "id": "yang dan di ke dari ini itu dengan untuk tidak ada akan pada juga saya kami kita mereka dia atau karena sudah bisa lebih adalah dalam oleh seperti jika tetapi hanya sangat apa belum banyak semua harus masih agar aku kamu anda telah sedang tentang",
    "tr": "ve bir bu da de için ile çok ama gibi daha ne ben sen o biz siz onlar var yok değil mi mı mu mü ki her şey olarak kadar sonra en diye nasıl neden çünkü veya ya şu olan bunu benim bana",
    "pl": "i w z na się nie to że do jest jak ale po co tak za od o już jego jej ich tylko czy przez dla może być są mnie mi ten ta te tego bardzo także kiedy gdzie który która które jestem ze jako",
    "sv": "och i att det som en på är av för med till den har de inte om ett men jag du vi han hon var så kan från när eller vad alla mycket också skulle här där hur än bara detta mig sig vara",
    "vi": "và của là có không được những một các trong cho với người này đã để khi từ đến tôi bạn chúng thì như cũng nhưng rất sẽ vì ở lại ra làm nó gì mình đó nhiều",
}
STOPWORDS = [(lang, set(words.split())) for lang, words in STOPWORDS.items()]
HINTS = {}
for letters, langs in [("ñ", ["es"]), ("ãõ", ["pt"]), ("ç", ["fr", "pt", "tr"]), ("èêëîïûœ", ["fr"]), ("ß", ["de"]),
                       ("äö", ["de", "sv"]), ("ü", ["de", "tr"]), ("å", ["sv"]), ("ğşı", ["tr"]),
                       ("łąęśźżńć", ["pl"]),
                       ("ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ", ["vi"]), ("ìò", ["it"])]:
    for ch in letters:
        HINTS.setdefault(ord(ch), []).extend(langs)


SCRIPT_ORDER = ["latin", "han", "kana", "hangul", "cyrillic", "arabic", "hebrew", "thai", "devanagari", "greek"]
SCRIPT_RANGES = {
    "latin": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff",
    "han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff",
    "kana": "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f",
    "hangul": "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
    "cyrillic": "\u0400-\u052f",
    "arabic": "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff",
    "hebrew": "\u0590-\u05ff",
    "thai": "\u0e00-\u0e7f",
    "devanagari": "\u0900-\u097f",
    "greek": "\u0370-\u03ff\u1f00-\u1fff",
}
SCRIPT_RES = {name: re.compile(f"[{ranges}]") for name, ranges in SCRIPT_RANGES.items()}
LATIN_WORD = re.compile(f"[{SCRIPT_RANGES['latin']}]+")
UKRAINIAN = re.compile("[\u0456\u0457\u0454\u0491\u0406\u0407\u0404\u0490]")
HINT_RE = re.compile("[" + "".join(chr(v) for v in sorted(HINTS) if v >= 0xC0) + "]")
WEIGHTS = {"han": 3, "kana": 3, "hangul": 2}
SIMPLE = {"arabic": "ar", "hebrew": "he", "thai": "th", "devanagari": "hi", "greek": "el"}
ASCII_LETTERS = re.compile(r"[a-z]+")
ASCII_WORD = re.compile(r"[a-z0-9]+")


def guess_language(text):
    """Script counts, then stopwords for Latin script (LanguageGuesser.swift), with regular expressions."""
    if text.isascii():
        tokens = ASCII_LETTERS.findall(text.lower())
        return latin_scores(tokens, {}) if tokens else "und"
    counts = {name: len(regex.findall(text)) for name, regex in SCRIPT_RES.items()}
    best, best_weight = None, 0
    for sc in SCRIPT_ORDER:
        w = counts[sc] * WEIGHTS.get(sc, 1)
        if w > best_weight:
            best, best_weight = sc, w
    if best is None:
        return "und"
    if best == "latin":
        lower = text.lower()
        scores = {}
        for ch in HINT_RE.findall(lower):
            for lang in HINTS[ord(ch)]:
                scores[lang] = scores.get(lang, 0) + 0.5
        return latin_scores(LATIN_WORD.findall(lower), scores)
    if best in ("han", "kana"):
        if best_weight < 6:
            return "und"
        return "ja" if counts["kana"] * 10 >= counts["han"] + counts["kana"] else "zh"
    if best == "hangul":
        return "ko" if best_weight >= 4 else "und"
    if best == "cyrillic":
        if best_weight < 4:
            return "und"
        return "uk" if UKRAINIAN.search(text) else "ru"
    return SIMPLE[best] if best_weight >= 4 else "und"


def latin_scores(words, scores):
    if len(words) < 3:
        return "und"
    for w in words:
        for lang, stop in STOPWORDS:
            if w in stop:
                scores[lang] = scores.get(lang, 0) + 1
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < 2:
        return "und"
    second = ranked[1][1] if len(ranked) > 1 else 0
    return ranked[0][0] if ranked[0][1] > second else "und"


# --- shingles ----------------------------------------------------------------------------------

UNSPACED_RANGES = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
                   "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002ffff")
MARKS = ("\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903"
         "\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7\u1ab0-\u1aff\u1dc0-\u1dff"
         "\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a")
UNSPACED = re.compile(f"[{UNSPACED_RANGES}]")
# A token: one character of a script written without spaces, or a run of letters, digits and marks.
TOKEN = re.compile(f"[{UNSPACED_RANGES}]|(?:(?![{UNSPACED_RANGES}])(?:[^\\W_]|[{MARKS}]))+")
ALL_SPACES = re.compile(f"[{SPACE_CLASS}\n\r\x85\u2028\u2029]+")


def shingles(text, n):
    """Word n-grams, or character 5-grams for short and unspaced texts, or None (Shingles.swift)."""
    if text.isascii():
        lower = text.lower()
        tokens = ASCII_WORD.findall(lower)
        unspaced = letters = 0
    else:
        raw = TOKEN.findall(text)
        unspaced = len(UNSPACED.findall(text))
        letters = sum(len(t) for t in raw)
        tokens = [t.lower() for t in raw]
        lower = text.lower()
    if unspaced * 2 <= letters and len(tokens) >= 8 and len(tokens) >= n:
        return [" ".join(tokens[i:i + n]).encode("utf-8") for i in range(len(tokens) - n + 1)]
    if len(tokens) < n and unspaced * 2 <= letters:
        return None
    s = ALL_SPACES.sub(" ", lower)
    return [s[i:i + 5].encode("utf-8") for i in range(len(s) - 4)] if len(s) >= 5 else None


# --- time --------------------------------------------------------------------------------------

TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z$")


def day_number(y, m, d):
    y = y - 1 if m <= 2 else y
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


UNKNOWN = 2 ** 63 - 1


def micros(text):
    if not text:
        return UNKNOWN
    m = TIME.match(text)
    if not m:
        return UNKNOWN
    y, mo, d, h, mi, s, frac = m.groups()
    us = int((frac or "0")[:6].ljust(6, "0"))
    return (day_number(int(y), int(mo), int(d)) * 86400 + int(h) * 3600 + int(mi) * 60 + int(s)) * 1_000_000 + us


# --- the pipeline ------------------------------------------------------------------------------

class UnionFind:
    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, x):
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb


SCHEMA = """
DROP TABLE IF EXISTS documents; DROP TABLE IF EXISTS duplicate_groups; DROP TABLE IF EXISTS flood_events;
DROP TABLE IF EXISTS agent_activity;
CREATE TABLE documents (id TEXT PRIMARY KEY, kind TEXT NOT NULL, post_id TEXT NOT NULL, parent_id TEXT,
  author_id TEXT, author_name TEXT, submolt TEXT, created_at TEXT, text TEXT NOT NULL, language TEXT NOT NULL,
  length INTEGER NOT NULL, original_length INTEGER NOT NULL, truncated INTEGER NOT NULL, content_hash TEXT NOT NULL,
  exact_group INTEGER, near_group INTEGER, flood_event INTEGER, status TEXT NOT NULL, drop_reason TEXT);
CREATE INDEX documents_by_author ON documents(author_id); CREATE INDEX documents_by_created ON documents(created_at);
CREATE INDEX documents_by_hash ON documents(content_hash); CREATE INDEX documents_by_near_group ON documents(near_group);
CREATE TABLE duplicate_groups (group_id INTEGER NOT NULL, method TEXT NOT NULL, size INTEGER NOT NULL,
  distinct_authors INTEGER NOT NULL, first_document_id TEXT NOT NULL, first_created_at TEXT,
  sample_text TEXT NOT NULL, PRIMARY KEY (method, group_id));
CREATE TABLE flood_events (id INTEGER PRIMARY KEY, author_id TEXT NOT NULL, near_group INTEGER NOT NULL,
  documents INTEGER NOT NULL, first_document_id TEXT NOT NULL, first_at TEXT NOT NULL, last_at TEXT NOT NULL,
  span_seconds REAL NOT NULL, max_gap_seconds REAL NOT NULL);
CREATE INDEX flood_events_by_author ON flood_events(author_id);
CREATE TABLE agent_activity (author_id TEXT PRIMARY KEY, author_name TEXT, posts INTEGER NOT NULL,
  comments INTEGER NOT NULL, documents INTEGER NOT NULL, duplicate_share REAL NOT NULL, flood_events INTEGER NOT NULL,
  flood_documents INTEGER NOT NULL, burstiness REAL, mean_gap_seconds REAL);
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--max-chars", type=int, default=2000)
    ap.add_argument("--min-chars", type=int, default=1)
    ap.add_argument("--shingle", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--permutations", type=int, default=128)
    ap.add_argument("--bands", type=int, default=16)
    ap.add_argument("--flood-gap", type=float, default=60)
    args = ap.parse_args()
    t0 = time.time()
    db = sqlite3.connect(args.db)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    prefix = max(args.max_chars * 4, 4096) if args.max_chars else 0
    content = f"substr(content, 1, {prefix})" if prefix else "content"
    rows = [("post",) + r for r in db.execute(
        f"SELECT id, id, NULL, title, {content}, coalesce(length(content), 0), url, created_at, submolt, author_id, "
        "author_name FROM posts ORDER BY rowid")]
    rows += [("comment",) + r for r in db.execute(
        f"SELECT c.id, c.post_id, c.parent_id, NULL, {content.replace('content', 'c.content')}, "
        "coalesce(length(c.content), 0), NULL, c.created_at, p.submolt, c.author_id, c.author_name "
        "FROM comments c LEFT JOIN posts p ON p.id = c.post_id ORDER BY c.rowid")]

    docs = []
    template = MinHash(num_perm=args.permutations)  # the permutations, drawn once
    minhashes = {}
    first_by_hash = {}
    exact_rep = []
    for ordinal, (kind, id_, post_id, parent_id, title, body, body_len, url, created, submolt, author, name) in enumerate(rows):
        body_s = body or ""
        was_cut = prefix > 0 and body_len > len(body_s)
        full_len = max(body_len, len(body_s))
        if kind == "comment":
            raw, original = body_s, full_len
        else:
            parts, original = [], 0
            if title:
                parts.append(title)
                original += len(title)
            if body is not None:
                parts.append(body_s)
                original += full_len
            elif url:
                parts.append(url)
                original += len(url)
            if len(parts) == 2:
                original += 2
            raw = "\n\n".join(parts)
        text, truncated = cut(normalize(raw), args.max_chars)
        truncated = truncated or was_cut
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        lang = guess_language(text)
        rep = ordinal
        if text:
            if digest in first_by_hash:
                rep = first_by_hash[digest]
            else:
                first_by_hash[digest] = ordinal
                sh = shingles(text, args.shingle)
                if sh:
                    m = MinHash(num_perm=args.permutations, permutations=template.permutations, scheme=template.scheme)
                    m.update_batch(sh)
                    minhashes[ordinal] = m
        exact_rep.append(rep)
        docs.append((kind, id_, post_id, parent_id, author, name, submolt, created, text, lang, len(text), original,
                     1 if truncated else 0, digest, micros(created)))
    t_clean = time.time()

    n = len(docs)
    uf = UnionFind(n)
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.permutations,
                     params=(args.bands, args.permutations // args.bands))
    for ordinal, m in minhashes.items():
        for other in lsh.query(m):
            if uf.find(other) != uf.find(ordinal) and m.jaccard(minhashes[other]) >= args.threshold:
                uf.union(other, ordinal)
        lsh.insert(ordinal, m)

    order = sorted(range(n), key=lambda d: (docs[d][14], 0 if docs[d][0] == "post" else 1, docs[d][1].encode()[:8].ljust(8, b"\0"), d))
    rank = [0] * n
    for position, d in enumerate(order):
        rank[d] = position
    exact_size, exact_first, near_size, near_first, root = {}, {}, {}, {}, [None] * n
    for d in range(n):
        if docs[d][10] == 0:
            continue
        e = exact_rep[d]
        exact_size[e] = exact_size.get(e, 0) + 1
        exact_first[e] = min(exact_first.get(e, n), rank[d])
        r = uf.find(e)
        root[d] = r
        near_size[r] = near_size.get(r, 0) + 1
        near_first[r] = min(near_first.get(r, n), rank[d])
    exact = [0] * n
    near = [0] * n
    for d in range(n):
        if docs[d][10] == 0:
            continue
        e, r = exact_rep[d], root[d]
        if exact_size[e] >= 2:
            exact[d] = exact_first[e] + 1
        if near_size[r] >= 2:
            near[d] = near_first[r] + 1

    # floods
    gap = int(round(args.flood_gap * 1_000_000))
    cands = sorted((d for d in range(n) if near[d] and docs[d][4] is not None and docs[d][14] != UNKNOWN),
                   key=lambda d: (docs[d][4], near[d], rank[d]))
    events = []
    chain = []
    max_gap = 0

    def close():
        if len(chain) >= 2:
            events.append((list(chain), max_gap))
    for d in cands:
        if chain:
            p = chain[-1]
            g = docs[d][14] - docs[p][14]
            if docs[d][4] == docs[p][4] and near[d] == near[p] and g < gap:
                chain.append(d)
                max_gap = max(max_gap, g)
                continue
            close()
            chain, max_gap = [], 0
        chain.append(d)
    close()
    events.sort(key=lambda e: rank[e[0][0]])
    flood = [0] * n
    for k, (members, _) in enumerate(events):
        for d in members:
            flood[d] = k + 1

    # agents
    agents = {}
    names = {}
    post_times = {}
    for d in range(n):
        author = docs[d][4]
        if author is None:
            continue
        a = agents.setdefault(author, [0, 0, 0, 0, 0, 0])
        a[2] += 1
        if docs[d][0] == "post":
            a[0] += 1
            if docs[d][14] != UNKNOWN:
                post_times.setdefault(author, []).append(docs[d][14])
        else:
            a[1] += 1
        if near[d]:
            a[3] += 1
        if docs[d][5] is not None:
            t = docs[d][14]
            old = names.get(author)
            if old is None or (t != UNKNOWN and (old[0] == UNKNOWN or t >= old[0])):
                names[author] = (t, docs[d][5])
    for members, _ in events:
        a = agents[docs[members[0]][4]]
        a[4] += 1
        a[5] += len(members)
    burst = {}
    for author, times in post_times.items():
        times.sort()
        if len(times) < 2:
            continue
        gaps = [(times[i] - times[i - 1]) / 1e6 for i in range(1, len(times))]
        mean = sum(gaps) / len(gaps)
        cv = None
        if len(times) >= 3 and mean > 0:
            cv = (sum((g - mean) ** 2 for g in gaps) / len(gaps)) ** 0.5 / mean
        burst[author] = (cv, mean)
    t_group = time.time()

    # write
    status = []
    for d in range(n):
        reason = "empty" if docs[d][10] == 0 or docs[d][10] < args.min_chars else None
        status.append(reason)
    db.executescript("BEGIN;" + SCHEMA)
    db.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
        (docs[d][1], docs[d][0], docs[d][2], docs[d][3], docs[d][4], docs[d][5], docs[d][6], docs[d][7], docs[d][8],
         docs[d][9], docs[d][10], docs[d][11], docs[d][12], docs[d][13], exact[d] or None, near[d] or None,
         flood[d] or None, "dropped" if status[d] else "kept", status[d]) for d in range(n)))
    groups = []
    for method, ids in (("exact", exact), ("near", near)):
        members = {}
        for d in range(n):
            if ids[d]:
                members.setdefault(ids[d], []).append(d)
        for gid, ms in sorted(members.items()):
            first = order[gid - 1]
            groups.append((gid, method, len(ms), len({docs[d][4] for d in ms if docs[d][4] is not None}), docs[first][1],
                           docs[first][7], docs[first][8][:200]))
    db.executemany("INSERT INTO duplicate_groups VALUES (?,?,?,?,?,?,?)", groups)
    db.executemany("INSERT INTO flood_events VALUES (?,?,?,?,?,?,?,?,?)", (
        (k + 1, docs[ms[0]][4], near[ms[0]], len(ms), docs[ms[0]][1], docs[ms[0]][7], docs[ms[-1]][7],
         (docs[ms[-1]][14] - docs[ms[0]][14]) / 1e6, mg / 1e6) for k, (ms, mg) in enumerate(events)))
    db.executemany("INSERT INTO agent_activity VALUES (?,?,?,?,?,?,?,?,?,?)", (
        (author, names.get(author, (0, None))[1], a[0], a[1], a[2], a[3] / a[2] if a[2] else 0.0, a[4], a[5],
         burst.get(author, (None, None))[0], burst.get(author, (None, None))[1]) for author, a in agents.items()))
    db.commit()
    t_write = time.time()
    print(f"python_clean: {n} documents, {sum(1 for g in groups if g[1] == 'exact')} exact and "
          f"{sum(1 for g in groups if g[1] == 'near')} near groups, {len(events)} flood events; "
          f"clean {t_clean - t0:.2f}s, group {t_group - t_clean:.2f}s, write {t_write - t_group:.2f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
