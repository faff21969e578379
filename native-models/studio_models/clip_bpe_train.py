"""Learn CLIP-format BPE merges from a text corpus.

Classic BPE training over pre-tokenized, byte-encoded words whose last symbol carries </w>
(so merges never cross word boundaries, exactly as CLIP's encoder applies them). Each round
merges the most frequent adjacent pair; ties go to the lexicographically smallest pair so the
result is deterministic. A pair whose concatenation already is a token (e.g. "ab"+"c" after
"a"+"bc") is skipped, because CLIP's vocab maps each string to one id.
"""
from collections import Counter, defaultdict

from .clip_bpe import BOS, END_OF_WORD, EOS, base_vocab, byte_encode, normalize, pretokenize


def word_counts(texts) -> Counter:
    counts: Counter = Counter()
    for text in texts:
        for piece in pretokenize(normalize(text)):
            if piece not in (BOS, EOS):
                counts[byte_encode(piece)] += 1
    return counts


def train_merges(texts, num_merges: int, min_count: int = 2) -> list[tuple[str, str]]:
    """Return up to num_merges merges, in rank order; stops early when no pair occurs min_count times."""
    words = [(list(w[:-1]) + [w[-1] + END_OF_WORD], n) for w, n in sorted(word_counts(texts).items())]
    pair_counts: Counter = Counter()
    pair_words: dict[tuple[str, str], set[int]] = defaultdict(set)
    for idx, (symbols, n) in enumerate(words):
        for pair in zip(symbols, symbols[1:]):
            pair_counts[pair] += n
            pair_words[pair].add(idx)
    known = set(base_vocab())
    banned: set[tuple[str, str]] = set()
    merges: list[tuple[str, str]] = []
    while len(merges) < num_merges:
        candidates = [(c, p) for p, c in pair_counts.items() if c >= min_count and p not in banned]
        if not candidates:
            break
        best_count = max(c for c, _ in candidates)
        best = min(p for c, p in candidates if c == best_count)
        token = best[0] + best[1]
        if token in known:
            banned.add(best)
            continue
        known.add(token)
        merges.append(best)
        for idx in sorted(pair_words.pop(best, set())):
            symbols, n = words[idx]
            for pair in zip(symbols, symbols[1:]):  # remove this word's old pairs
                pair_counts[pair] -= n
            merged, i = [], 0
            while i < len(symbols):
                if i < len(symbols) - 1 and (symbols[i], symbols[i + 1]) == best:
                    merged.append(token)
                    i += 2
                else:
                    merged.append(symbols[i])
                    i += 1
            words[idx] = (merged, n)
            for pair in zip(merged, merged[1:]):
                pair_counts[pair] += n
                pair_words[pair].add(idx)
        pair_counts = Counter({p: c for p, c in pair_counts.items() if c > 0})
    return merges
