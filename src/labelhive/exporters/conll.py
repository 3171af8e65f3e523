"""CONLL2003: result.conll, `token -X- _ TAG` lines with BIO tags, one block per exported annotation.

Tokens are Penn Treebank tokens (the rules of NLTK's TreebankWordTokenizer, with "/" also split off, which
is how Label Studio configures it), so the tokens and tags line up with Label Studio's own file.
"""
import re
from collections.abc import Iterable
from pathlib import Path

from .items import ExportContext, iter_items

_STARTING_QUOTES = [(re.compile(r"^\""), r"``"), (re.compile(r"(``)"), r" \1 "),
                    (re.compile(r"([ \(\[{<])(\"|\'{2})"), r"\1 `` ")]
_PUNCTUATION = [
    (re.compile(r"([:,])([^\d])"), r" \1 \2"),
    (re.compile(r"([:,])$"), r" \1 "),
    (re.compile(r"\.\.\."), r" ... "),
    (re.compile(r"[;@#$/%&]"), r" \g<0> "),
    (re.compile(r'([^\.])(\.)([\]\)}>"\']*)\s*$'), r"\1 \2\3 "),  # the final period
    (re.compile(r"[?!]"), r" \g<0> "),
    (re.compile(r"([^'])' "), r"\1 ' "),
]
_BRACKETS = (re.compile(r"[\]\[\(\)\{\}\<\>]"), r" \g<0> ")
_DASHES = (re.compile(r"--"), r" -- ")
_ENDING_QUOTES = [
    (re.compile(r"''"), " '' "),
    (re.compile(r'"'), " '' "),
    (re.compile(r"([^' ])('[sS]|'[mM]|'[dD]|') "), r"\1 \2 "),
    (re.compile(r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), r"\1 \2 "),
]
_CONTRACTIONS = [re.compile(p) for p in (
    r"(?i)\b(can)(?#X)(not)\b", r"(?i)\b(d)(?#X)('ye)\b", r"(?i)\b(gim)(?#X)(me)\b", r"(?i)\b(gon)(?#X)(na)\b",
    r"(?i)\b(got)(?#X)(ta)\b", r"(?i)\b(lem)(?#X)(me)\b", r"(?i)\b(more)(?#X)('n)\b", r"(?i)\b(wan)(?#X)(na)(?=\s)",
    r"(?i) ('t)(?#X)(is)\b", r"(?i) ('t)(?#X)(was)\b")]
_QUOTES = re.compile(r"``|'{2}|\"")


def _tokenize(text: str) -> list[str]:
    for pattern, sub in _STARTING_QUOTES + _PUNCTUATION + [_BRACKETS, _DASHES]:
        text = pattern.sub(sub, text)
    text = " " + text + " "
    for pattern, sub in _ENDING_QUOTES:
        text = pattern.sub(sub, text)
    for pattern in _CONTRACTIONS:
        text = pattern.sub(r" \1 \2 ", text)
    return text.split()


def token_spans(text: str) -> list[tuple[str, int]]:
    """(token, start offset) pairs; quotes rewritten by the rules are mapped back to the original ones."""
    tokens = _tokenize(text)
    if '"' in text or "''" in text:
        originals = iter(m.group() for m in _QUOTES.finditer(text))
        tokens = [next(originals) if t in ('"', "``", "''") else t for t in tokens]
    out, point = [], 0
    for token in tokens:
        start = text.index(token, point)
        point = start + len(token)
        out.append((token, start))
    return out


def bio_tags(text: str, spans: list[dict] | None) -> tuple[list[str], list[str]]:
    """Tokens and their tags. A token is inside a span when they overlap by at least one character."""
    pairs = token_spans(text)
    tokens = [t for t, _ in pairs]
    if not spans or not all(s.get("start") is not None and s.get("end") is not None for s in spans):
        return tokens, ["O"] * len(tokens)
    pending = sorted(spans, key=lambda s: s["start"])
    span = pending.pop(0)
    span_start, span_end, prefix = span["start"], span["end"] - 1, "B-"
    tags = []
    for token, start in pairs:
        end = start + len(token) - 1
        if start > span_end:
            while pending:
                span = pending.pop(0)
                span_start, span_end, prefix = span["start"], span["end"] - 1, "B-"
                if start <= span_end:
                    break
        if not span or end < span_start or not span.get("labels"):
            tags.append("O")
        elif span_start <= end and span_end >= start:
            tags.append(prefix + span["labels"][0])
            prefix = "I-"
        else:
            tags.append("O")
    return tokens, tags


def write_conll(tasks: Iterable[dict], ctx: ExportContext, out_dir: Path) -> None:
    key = ctx.data_key
    with open(out_dir / "result.conll", "w", encoding="utf-8") as out:
        out.write("-DOCSTART- -X- O\n")
        for item in iter_items(tasks, ctx.controls):
            spans = next((regions for regions in item.regions.values() if regions[0]["type"].lower() == "labels"),
                         None)
            tokens, tags = bio_tags(str(item.data.get(key, "")), spans)
            out.writelines(f"{token} -X- _ {tag}\n" for token, tag in zip(tokens, tags))
            out.write("\n")
