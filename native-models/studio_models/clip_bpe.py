"""CLIP-format byte-level BPE: file format, pre-tokenizer and encoder.

Follows OpenAI CLIP's simple_tokenizer.py and Hugging Face's CLIPTokenizer (vocab.json +
merges.txt). Deviations, shared with the TypeScript tokenizer in core/text/clip-tokenizer.ts:
  * Normalisation is that of CLIPTokenizerFast: Unicode NFC, runs of whitespace -> one
    space, strip, lowercase. No ftfy and no html.unescape (OpenAI's slow tokenizer does both).
  * Python's `re` has no \\p{L} / \\p{N}, so the CLIP pattern
      <\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+
    is emulated by a hand-written scanner using unicodedata categories (L* = letter,
    N* = number) and str.isspace(). The scanner follows the regex's leftmost-alternative
    semantics exactly; the only differences can come from Unicode database versions.
"""
import json
import unicodedata
from functools import lru_cache

BOS = "<|startoftext|>"
EOS = "<|endoftext|>"
END_OF_WORD = "</w>"
CONTRACTIONS = ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")


@lru_cache()
def bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP map from each byte 0..255 to a printable unicode character (insertion order matters)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).lower()


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")


def _is_number(ch: str) -> bool:
    return unicodedata.category(ch).startswith("N")


def _is_other(ch: str) -> bool:
    return not (ch.isspace() or _is_letter(ch) or _is_number(ch))


def pretokenize(text: str) -> list[str]:
    """Split normalised text into CLIP pre-tokens (emulates re.findall with the CLIP pattern)."""
    out, i, n = [], 0, len(text)
    while i < n:
        special = next((s for s in (BOS, EOS) if text.startswith(s, i)), None)
        contraction = next((c for c in CONTRACTIONS if text.startswith(c, i)), None)
        ch = text[i]
        if special or contraction:
            piece = special or contraction
        elif _is_letter(ch):
            j = i + 1
            while j < n and _is_letter(text[j]):
                j += 1
            piece = text[i:j]
        elif _is_number(ch):
            piece = ch
        elif _is_other(ch):
            j = i + 1
            while j < n and _is_other(text[j]):
                j += 1
            piece = text[i:j]
        else:  # whitespace matches no alternative; findall skips it
            i += 1
            continue
        out.append(piece)
        i += len(piece)
    return out


def byte_encode(piece: str) -> str:
    table = bytes_to_unicode()
    return "".join(table[b] for b in piece.encode("utf-8"))


def base_vocab() -> list[str]:
    """The 512 base tokens: the 256 byte characters, then the same with </w>."""
    chars = list(bytes_to_unicode().values())
    return chars + [c + END_OF_WORD for c in chars]


def build_vocab(merges: list[tuple[str, str]]) -> dict[str, int]:
    tokens = base_vocab() + ["".join(m) for m in merges] + [BOS, EOS]
    assert len(set(tokens)) == len(tokens), "duplicate token in vocab"
    return {t: i for i, t in enumerate(tokens)}


def write_files(directory, merges: list[tuple[str, str]]) -> None:
    """Write vocab.json and merges.txt in the OpenAI/HF CLIP format."""
    from pathlib import Path
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    (d / "vocab.json").write_text(json.dumps(build_vocab(merges), ensure_ascii=False), encoding="utf-8")
    lines = ["#version: 0.2"] + [f"{a} {b}" for a, b in merges]
    (d / "merges.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_merges(path) -> list[tuple[str, str]]:
    from pathlib import Path
    lines = Path(path).read_text(encoding="utf-8").split("\n")[1:]
    return [tuple(line.split(" ")) for line in lines if line]


class ClipBPE:
    """Encoder implementing CLIP's algorithm; used for reference encodings and for training data."""

    def __init__(self, merges: list[tuple[str, str]], max_length: int = 77):
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.vocab = build_vocab(merges)
        self.max_length = max_length
        self.bos_id = self.vocab[BOS]
        self.eos_id = self.vocab[EOS]
        self.cache: dict[str, list[str]] = {BOS: [BOS], EOS: [EOS]}

    @classmethod
    def from_dir(cls, directory, max_length: int = 77) -> "ClipBPE":
        from pathlib import Path
        return cls(read_merges(Path(directory) / "merges.txt"), max_length)

    def bpe(self, token: str) -> list[str]:
        if token in self.cache:
            return self.cache[token]
        word = list(token[:-1]) + [token[-1] + END_OF_WORD]
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            merged, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    merged.append(word[i] + word[i + 1])
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = merged
        self.cache[token] = word
        return word

    def encode(self, text: str) -> list[int]:
        """Ids with BOS and EOS, unpadded."""
        ids = [self.bos_id]
        for piece in pretokenize(normalize(text)):
            ids += [self.vocab[t] for t in self.bpe(byte_encode(piece) if piece not in (BOS, EOS) else piece)]
        return ids + [self.eos_id]

    def encode_padded(self, text: str, length: int | None = None) -> list[int]:
        """Truncate to length (keeping EOS last, as HF does) and pad with EOS (CLIP's pad token)."""
        length = length or self.max_length
        ids = self.encode(text)
        if len(ids) > length:
            ids = ids[: length - 1] + [self.eos_id]
        return ids + [self.eos_id] * (length - len(ids))
