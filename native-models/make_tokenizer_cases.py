"""Write tests/fixtures/tokenizer-cases.json: reference CLIP BPE encodings from the Python
encoder (studio_models/clip_bpe.py) of the fixture tokenizer, for the TypeScript tokenizer's tests.

Run:  /usr/bin/python3 native-models/make_tokenizer_cases.py
"""
import json
from pathlib import Path

from studio_models.clip_bpe import ClipBPE

HERE = Path(__file__).resolve().parent
TOKENIZER = HERE / "pipelines" / "tiny" / "tokenizer"
OUT = HERE.parent / "tests" / "fixtures" / "tokenizer-cases.json"

CASES = [
    "",
    "a photo of a cat",
    "  A  PHOTO\tof\n a   Cat  ",
    "it's, isn't they've we'll I'm you'd",
    "DON'T 'S 're''s",
    "hello!!! ??? ... -- ;)",
    "1234 apples and 56.78 oranges",
    "price: $9.99 (50% off) #1 @home",
    "emoji 😀🎉 face",
    "red heart ❤️ and family 👨‍👩‍👧",
    "café naïve résumé",
    "e\u0301cole (combining accent)",
    "日本語のテキスト",
    "ÀÉÎ Ünïcödé ΣΟΦΊΑ",
    "½ ² Ⅻ ٣",
    "snake_case-and-kebab/slash\\back",
    "<|startoftext|>hi<|endoftext|>",
    "the quick brown fox jumps over the lazy dog",
    "smile smile smile smiling smiles",
    "Ａｂｃ fullwidth\u00a0nbsp\u3000ideographic",
    "zwj\u200bspace and tab\t\ttabs",
]


def main() -> None:
    max_length = json.loads((TOKENIZER / "tokenizer_config.json").read_text())["model_max_length"]
    bpe = ClipBPE.from_dir(TOKENIZER, max_length)
    cases = [{"text": text, "ids": bpe.encode(text)} for text in CASES]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = ",\n".join("  " + json.dumps(case, ensure_ascii=False) for case in cases)
    OUT.write_text('{"tokenizer": "native-models/pipelines/tiny/tokenizer", "cases": [\n' + lines + "\n]}\n",
                   encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
