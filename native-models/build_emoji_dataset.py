"""Build the emoji text-to-image dataset deterministically, with a held-out evaluation split.

Sources (npm packages, installed into native-models/.data/npm when missing):
  emoji-datasource-twitter@16  Twemoji artwork, CC-BY 4.0       img/twitter/64/<unified>.png
  emoji-datasource-google@16   Noto Color Emoji, Apache 2.0     img/google/64/<unified>.png
  emojibase-data@17            English labels, tags, shortcodes, group/subgroup names
  emojilib@4                   everyday keywords per emoji, MIT
Every emoji and skin-tone variant with artwork in a set gives one image per set. RGBA is
composited onto white. The style is a caption word: "twemoji" or "noto".

Split: a base emoji (with all its skin tones, in both styles) goes to the evaluation split when
sha256(base hexcode) % 20 == 0, about 5%; so evaluation prompts name emoji never seen in training.

Writes native-models/.data/emoji/:
  images_{train,eval}.npy   uint8 [N, 64, 64, 3], RGB on white
  meta_{train,eval}.json    per image: hexcode, style, label, group, subgroup, subgroup_id, captions[]
  subgroups.json            subgroup keys; subgroup_id indexes it (classifier labels)
  manifest.json             counts, package versions, sha256 of each file
Run:  /usr/bin/python3 native-models/build_emoji_dataset.py
"""
import hashlib
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
NPM_PREFIX = HERE / ".data" / "npm"
MODULES = NPM_PREFIX / "node_modules"
OUT = HERE / ".data" / "emoji"
PACKAGES = ["emoji-datasource-twitter@16", "emoji-datasource-google@16", "emojibase-data@17", "emojilib@4"]
SETS = {"twitter": "twemoji", "google": "noto"}  # datasource image set -> caption style word
EVAL_MODULUS = 20


def ensure_packages() -> None:
    if all((MODULES / p.rsplit("@", 1)[0] / "package.json").exists() for p in PACKAGES):
        return
    cmd = ["npm", "install", "--no-save", "--prefix", str(NPM_PREFIX), *PACKAGES]
    print("installing emoji artwork:", " ".join(cmd), flush=True)
    NPM_PREFIX.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(cmd, check=True)
    except (OSError, subprocess.CalledProcessError) as err:
        sys.exit(f"error: could not install the emoji npm packages ({err}).\n"
                 f"The dataset needs network access to the npm registry once; run by hand:\n  {' '.join(cmd)}")


def strip_fe0f(hexcode: str) -> str:
    """emoji-datasource keeps the FE0F variation selector in `unified`; emojibase drops it."""
    return "-".join(p for p in hexcode.upper().split("-") if p != "FE0F")


def load_emojibase() -> dict:
    """hexcode (no FE0F) -> {label, tags, shortcodes, group, subgroup}; skin tones inherit base tags."""
    base = MODULES / "emojibase-data" / "en"
    messages = json.loads((base / "messages.json").read_text())
    groups = {g["order"]: g for g in messages["groups"]}
    subgroups = {g["order"]: g for g in messages["subgroups"]}
    shortcodes = json.loads((base / "shortcodes" / "emojibase.json").read_text())
    info = {}
    for entry in json.loads((base / "data.json").read_text()):
        for item in [entry] + entry.get("skins", []):
            codes = shortcodes.get(item["hexcode"], [])
            info[strip_fe0f(item["hexcode"])] = {
                "label": item["label"].replace(": ", ", "), "tags": entry.get("tags", []),
                "shortcodes": [codes] if isinstance(codes, str) else codes,
                "group": groups[entry["group"]]["message"] if "group" in entry else "",
                "subgroup": subgroups[entry["subgroup"]]["key"] if "subgroup" in entry else "",
                "subgroup_name": subgroups[entry["subgroup"]]["message"] if "subgroup" in entry else "",
            }
    return info


SKIN_TONES = {"1F3FB", "1F3FC", "1F3FD", "1F3FE", "1F3FF"}
# Named colours (RGB) for the caption's colour word; the nearest one wins per pixel.
PALETTE = {"red": (215, 40, 45), "orange": (245, 140, 30), "yellow": (250, 205, 60), "green": (70, 165, 70),
           "blue": (50, 115, 215), "purple": (145, 75, 190), "pink": (240, 135, 175), "brown": (135, 85, 50),
           "black": (35, 35, 35), "grey": (150, 150, 150)}


def load_emojilib() -> dict:
    """hexcode (no FE0F) -> everyday keywords, lower case, words only (emoticons such as ':D' dropped).
    emojilib's first keyword is the snake_case name, which the label already carries."""
    path = MODULES / "emojilib" / "dist" / "emoji-en-US.json"
    out = {}
    for char, words in json.loads(path.read_text()).items():
        hexcode = strip_fe0f("-".join(f"{ord(c):X}" for c in char))
        out[hexcode] = [w.replace("_", " ") for w in words[1:] if re.fullmatch(r"[a-z][a-z_ ]*", w)]
    return out


def colour_word(image: np.ndarray) -> str:
    """The palette colour covering most non-white pixels of uint8 [64, 64, 3]."""
    pixels = image.reshape(-1, 3).astype(np.int32)
    ink = pixels[pixels.min(axis=1) < 235]
    if len(ink) == 0:
        return "white"
    names = list(PALETTE)
    centres = np.array([PALETTE[n] for n in names], dtype=np.int32)
    nearest = ((ink[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
    return names[int(np.bincount(nearest, minlength=len(names)).argmax())]


def captions_for(info: dict, keywords: list[str], colour: str, style: str, rng: random.Random) -> list[str]:
    """Caption variants for one image; training samples one per step. The first five name the emoji
    as emojibase does; the rest use the phrasing people type ("a …", "… emoji", "a picture of …"),
    everyday keywords (emojilib, then emojibase tags) and the image's dominant colour."""
    label, tags = info["label"], info["tags"]
    shortcode = (info["shortcodes"][0] if info["shortcodes"] else label).replace("_", " ")
    picked = rng.sample(tags, min(3, len(tags)))
    subgroup_words = info["subgroup"].replace("-", " ")
    pool = list(dict.fromkeys(keywords + tags)) or [label]
    words = [rng.choice(pool) for _ in range(3)]
    article = "an" if label[:1] in "aeiou" else "a"
    return [
        label,
        f"{label}, {style}",
        f"{style} {shortcode}",
        ", ".join([label] + picked + [style]),
        f"{label}, {subgroup_words}, {info['group']}, {style}",
        f"{article} {label}",
        f"{label} emoji",
        f"a picture of {words[0]}",
        f"{words[1]} icon, {style}",
        f"a {colour} {words[2]}",
        " ".join(rng.sample(pool, min(3, len(pool)))),
    ]


def rgb_on_white(path: Path) -> np.ndarray:
    rgba = Image.open(path).convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    image = Image.alpha_composite(white, rgba).convert("RGB")
    assert image.size == (64, 64), f"{path} is {image.size}, expected 64x64"
    return np.asarray(image, dtype=np.uint8)


def is_eval(base_hexcode: str) -> bool:
    return int(hashlib.sha256(base_hexcode.encode()).hexdigest(), 16) % EVAL_MODULUS == 0


def main() -> None:
    ensure_packages()
    info = load_emojibase()
    keywords = load_emojilib()
    subgroup_keys = sorted({v["subgroup"] for v in info.values() if v["subgroup"]})
    splits = {"train": ([], []), "eval": ([], [])}
    for image_set, style in SETS.items():
        package = MODULES / f"emoji-datasource-{image_set}"
        for entry in sorted(json.loads((package / "emoji.json").read_text()), key=lambda e: e["sort_order"]):
            variants = [entry] + [entry["skin_variations"][k] for k in sorted(entry.get("skin_variations", {}))]
            split = "eval" if is_eval(strip_fe0f(entry["unified"])) else "train"
            for variant in variants:
                path = package / "img" / image_set / "64" / variant["image"]
                if not variant.get(f"has_img_{image_set}") or not path.exists():
                    continue
                hexcode = strip_fe0f(variant["unified"])
                meta = info[hexcode]
                rng = random.Random(f"{hexcode}/{style}")
                images, metas = splits[split]
                image = rgb_on_white(path)
                images.append(image)
                base = "-".join(p for p in hexcode.split("-") if p not in SKIN_TONES)
                metas.append({"hexcode": hexcode, "style": style, "label": meta["label"], "group": meta["group"],
                              "subgroup": meta["subgroup"], "subgroup_id": subgroup_keys.index(meta["subgroup"]),
                              "captions": captions_for(meta, keywords.get(base, []), colour_word(image), style, rng)})
    OUT.mkdir(parents=True, exist_ok=True)
    files = {}
    for split, (images, metas) in splits.items():
        np.save(OUT / f"images_{split}.npy", np.stack(images))
        (OUT / f"meta_{split}.json").write_text(json.dumps(metas, ensure_ascii=False, indent=0) + "\n")
        files.update({f"images_{split}.npy": None, f"meta_{split}.json": None})
    (OUT / "subgroups.json").write_text(json.dumps(subgroup_keys, indent=0) + "\n")
    files["subgroups.json"] = None
    versions = {p.rsplit("@", 1)[0]: json.loads((MODULES / p.rsplit("@", 1)[0] / "package.json").read_text())["version"]
                for p in PACKAGES}
    manifest = {"counts": {s: len(m) for s, (_, m) in splits.items()}, "packages": versions,
                "sha256": {f: hashlib.sha256((OUT / f).read_bytes()).hexdigest() for f in files}}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest["counts"]), "images; subgroups:", len(subgroup_keys), "->", OUT)


if __name__ == "__main__":
    main()
