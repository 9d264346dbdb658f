"""Need-first search: what a visitor types ("paspor hilang", "akte lahir", "lost my KTP") to the
services that answer it, best first. Plain Python, no Qt: the touch screen calls it on every key
press, the CLI from `kiosk catalog --search`.

    search = Search(catalog)                  # once per catalog: normalises and indexes it
    hits = search.search("paspor hilang", "id", limit=8)
    hits[0].service.code, hits[0].score       # ('PASPOR-GANTI', 1.4)

What is searched, always in both languages (a visitor may type English on the Indonesian
screen): service names, service codes, the catalog's keywords (`keywords_id`, `keywords_en`),
agency names, short names and codes. What is forgiven: letter case, accents and other marks
(NFKD folding), punctuation, word order, typos (one edit in a word of 4..6 letters, two from 7:
"pasport", "perpanjng", "akte", "ilang"), and a word typed half-way ("pasp").

How a service scores (0..~1.5, deterministic; ties keep the catalog's order):
- each query word takes its best match among the service's words: exact 1.0, a word it begins
  ("pasp" in "paspor") 0.75..0.95, a typo 0.8 (one edit) or 0.6 (two), a typo'd beginning 0.6;
  times the place's weight (name, code, keyword 1.0; agency 0.6; the other language 0.97);
- the service's score is the mean over the query words (a word nothing matches counts 0), so
  a service that answers every word beats one that answers some;
- +0.25 when one keyword phrase or one name holds every query word ("paspor hilang" as written
  in the catalog beats "paspor" in one place and "hilang" in another), +0.15 more when the
  whole query is that phrase.
Common filler words ("saya", "mau", "untuk", "my", "the", "for") are dropped unless the query
is nothing else. Hits below MIN_SCORE are left out, so garbage finds nothing.

Speed: the catalog's words are indexed once (sorted for prefixes, bigrams for typos); a query
word's matches are cached, so each key press costs a few postings look-ups. bench/search.py
measures it over 500 services (target: p95 below 50 ms per key press).
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from kiosk.catalog import Catalog, Service

#: Hits scoring below this are not shown.
MIN_SCORE = 0.3
#: A query is cut to this many characters and words (a key press must stay cheap, whatever is pasted).
MAX_QUERY_CHARS = 120
MAX_QUERY_WORDS = 8

#: Weights of where a word was found.
W_NAME = 1.0
W_KEYWORD = 1.0
W_CODE = 1.0
W_AGENCY = 0.6
#: A match in the other language than the screen's counts a little less (ties go to the screen's).
OTHER_LANGUAGE = 0.97

BONUS_ALL_IN_ONE_PHRASE = 0.25
BONUS_WHOLE_PHRASE = 0.15

STOPWORDS = frozenset(
    # Indonesian filler: "saya mau bikin ...", "untuk anak saya", "yang hilang"
    "saya aku mau ingin mohon tolong untuk utk buat bikin urus mengurus yang di ke dari dan atau dengan "
    "ini itu ada perlu butuh cara bagaimana gimana apa kami kita sudah belum "
    # English filler: "I need to renew my passport", "a card for the baby"
    "i im i'm my me a an the for to of and or want need how do get please with in on is at "
    "can could would like".split()
)


@dataclass(frozen=True)
class Hit:
    """One search result: the service and how well it matched (higher is better)."""

    service: Service
    score: float


def fold(text: str) -> str:
    """Lower case, no accents or marks, punctuation as spaces: "Akta Kélahiran (bayi)!" -> "akta kelahiran bayi"."""
    decomposed = unicodedata.normalize("NFKD", text)
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        out.append(ch.lower() if ch.isalnum() else " ")
    return " ".join("".join(out).split())


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return fold(text).split()


def _bigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def _distance(a: str, b: str, limit: int) -> tuple[int, int]:
    """(edit distance of a and b, least edit distance of a and a beginning of b), each capped at
    limit + 1; optimal string alignment (a swap of two letters is one edit)."""
    la, lb = len(a), len(b)
    over = limit + 1
    prev2: list[int] | None = None
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ca = a[i - 1]
        best = cur[0]
        for j in range(1, lb + 1):
            cost = 0 if ca == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and j > 1 and ca == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            if v < best:
                best = v
        if best > limit:
            return over, over
        prev2, prev = prev, cur
    return min(prev[lb], over), min(min(prev), over)


def _typos_allowed(word: str) -> int:
    n = len(word)
    return 0 if n < 4 else 1 if n < 7 else 2


@dataclass(frozen=True)
class _Place:
    """Where a word sits in one service: a phrase (name, keyword, ...) and its weight per language."""

    phrase: int
    weight_id: float
    weight_en: float


class Search:
    """The catalog's services, indexed for `search`. Build it once per catalog; it never changes."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.services: tuple[Service, ...] = tuple(catalog.services())
        # phrase id -> (service index, folded text, number of distinct words)
        self._phrases: list[tuple[int, str, frozenset[str]]] = []
        # word -> {service index: [(phrase id, weight id, weight en)]}
        postings: dict[str, dict[int, list[tuple[int, float, float]]]] = defaultdict(lambda: defaultdict(list))
        agencies = {a.code: a for a in catalog.agencies}

        def add(index: int, text: str, weight: float, language: str | None, *, phrase: bool = True) -> None:
            folded = fold(text)
            if not folded:
                return
            tokens = folded.split()
            pid = len(self._phrases)
            self._phrases.append(
                (index, folded, frozenset(t for t in tokens if t not in STOPWORDS) or frozenset(tokens))
            )
            w_id = weight if language in (None, "id") else weight * OTHER_LANGUAGE
            w_en = weight if language in (None, "en") else weight * OTHER_LANGUAGE
            joined = "".join(tokens)
            for token in {*tokens, joined} if len(tokens) > 1 and len(joined) <= 16 else set(tokens):
                postings[token][index].append((pid if phrase else -1, w_id, w_en))

        for index, s in enumerate(self.services):
            add(index, s.code, W_CODE, None)
            add(index, s.name.id, W_NAME, "id")
            add(index, s.name.en, W_NAME, "en")
            for k in s.keywords.id:
                add(index, k, W_KEYWORD, "id")
            for k in s.keywords.en:
                add(index, k, W_KEYWORD, "en")
            agency = agencies.get(s.agency_code)
            if agency is not None:
                add(index, agency.code, W_AGENCY, None, phrase=False)
                for text, language in (
                    (agency.name.id, "id"),
                    (agency.name.en, "en"),
                    (agency.short.id, "id"),
                    (agency.short.en, "en"),
                ):
                    add(index, text, W_AGENCY, language, phrase=False)
        # Per word and service, the best place per language and the phrases it is in.
        self._postings: dict[str, dict[int, tuple[float, float, frozenset[int]]]] = {
            word: {
                i: (max(p[1] for p in places), max(p[2] for p in places), frozenset(p[0] for p in places if p[0] >= 0))
                for i, places in by_service.items()
            }
            for word, by_service in postings.items()
        }
        self._vocab: list[str] = sorted(self._postings)
        self._by_bigram: dict[str, list[int]] = defaultdict(list)
        for vid, word in enumerate(self._vocab):
            for gram in _bigrams(word):
                self._by_bigram[gram].append(vid)
        self._matches = lru_cache(maxsize=4096)(self._word_matches)

    def search(self, text: str, language: str = "id", *, limit: int = 10) -> list[Hit]:
        """The services that answer `text`, best first, at most `limit`; [] for an empty or
        meaningless query. `language` ("id" or "en") only breaks ties toward the screen's language."""
        if limit <= 0 or not isinstance(text, str):
            return []
        folded = fold(text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS]
        tokens = folded.split()
        meaningful = [t for t in tokens if t not in STOPWORDS]
        query = list(dict.fromkeys(meaningful or tokens))[:MAX_QUERY_WORDS]
        if not query:
            return []
        typing = tokens[-1] if not text[-1:].isspace() else None  # the word under the cursor
        en = language == "en"
        n = len(query)
        # service index -> per query word: (best score, phrases that word matched in)
        best: dict[int, list[float]] = {}
        phrases: dict[int, list[set[int]]] = {}
        for qi, word in enumerate(query):
            for vocab_word, similarity in self._matches(word, word == typing):
                for index, (w_id, w_en, pids) in self._postings[vocab_word].items():
                    score = similarity * (w_en if en else w_id)
                    row = best.get(index)
                    if row is None:
                        row = best[index] = [0.0] * n
                        phrases[index] = [set() for _ in range(n)]
                    if score > row[qi]:
                        row[qi] = score
                    if pids and similarity >= 0.6:
                        phrases[index][qi] |= pids
        whole = " ".join(query)
        hits = []
        for index, row in best.items():
            score = sum(row) / n
            common = set.intersection(*phrases[index]) if all(phrases[index]) else set()
            if common:
                score += BONUS_ALL_IN_ONE_PHRASE if n > 1 else 0.0
                if any(self._phrases[pid][1] == whole for pid in common):
                    score += BONUS_WHOLE_PHRASE
            if score >= MIN_SCORE:
                hits.append((-round(score, 9), index))
        hits.sort()
        return [Hit(self.services[index], -neg) for neg, index in hits[:limit]]

    def _word_matches(self, word: str, typing: bool) -> tuple[tuple[str, float], ...]:
        """The catalog's words that `word` may mean, with how similar (1.0 exact), best first;
        `typing`: the word is still being typed, so even one letter may begin a word."""
        found: dict[str, float] = {}
        if word in self._postings:
            found[word] = 1.0
        vocab = self._vocab
        if len(word) >= 2 or typing:  # a word typed half-way: every catalog word it begins
            start = bisect.bisect_left(vocab, word)
            end = bisect.bisect_right(vocab, word + "\uffff")
            for candidate in vocab[start:end]:
                if candidate != word:
                    found.setdefault(candidate, 0.75 + 0.2 * len(word) / len(candidate))
        allowed = _typos_allowed(word)
        if allowed:
            grams = _bigrams(word)
            shared: dict[int, int] = defaultdict(int)
            for gram in grams:
                for vid in self._by_bigram.get(gram, ()):
                    shared[vid] += 1
            # An edit changes at most 3 of the word's bigrams (a swap): fewer in common is too far.
            needed = max(1, len(grams) - 1 - 3 * allowed)
            for vid, count in shared.items():
                if count < needed:
                    continue
                candidate = vocab[vid]
                if candidate in found or len(candidate) < len(word) - allowed:
                    continue
                full, prefix = _distance(word, candidate, allowed)
                if full <= allowed and abs(len(candidate) - len(word)) <= allowed:
                    found[candidate] = 1.0 - 0.2 * full
                elif prefix <= 1 and len(word) >= 5:
                    found[candidate] = 0.6
        return tuple(sorted(found.items(), key=lambda item: (-item[1], item[0])))
