/**
 * CLIP byte-level BPE tokenizer (OpenAI CLIP / Hugging Face CLIPTokenizer file format).
 *
 * Pure TypeScript: the caller passes the contents of tokenizer/vocab.json and merges.txt.
 * Algorithm as in CLIP's simple_tokenizer.py, with the normalisation of CLIPTokenizerFast
 * (NFC, whitespace runs -> one space, trim, lowercase; no ftfy, no html.unescape). The
 * Python twin used for reference encodings and training is native-models/studio_models/clip_bpe.py.
 */

const DEFAULT_BOS = '<|startoftext|>';
const DEFAULT_EOS = '<|endoftext|>';
const END_OF_WORD = '</w>';
const CONTRACTIONS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"] as const;
/** Python's str.isspace() set (what the reference whitespace cleaning splits on). */
const WHITESPACE_RUN = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/gu;
const LETTER = /^\p{L}$/u;
const NUMBER = /^\p{N}$/u;
const SPACE = /^\s$/u;

/** Thrown when a prompt needs more tokens (BOS and EOS included) than the text encoder accepts. */
export class PromptTooLongError extends Error {
  constructor(
    readonly tokenCount: number,
    readonly maxTokens: number,
  ) {
    super(`prompt is ${tokenCount} tokens long; the text encoder accepts at most ${maxTokens}`);
    this.name = 'PromptTooLongError';
  }
}

export interface ClipTokenizerConfig {
  /** tokenizer_config.json's model_max_length; 77 for Stable Diffusion. */
  modelMaxLength?: number;
  bosToken?: string;
  eosToken?: string;
  padToken?: string;
}

/** GPT-2/CLIP table mapping each byte 0..255 to a printable character (order matters for the vocab). */
function bytesToUnicode(): string[] {
  const table: string[] = new Array<string>(256);
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let extra = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCodePoint(printable(b) ? b : 256 + extra++);
  return table;
}

const BYTE_CHARS = bytesToUnicode();

/** UTF-8 bytes of one code point (lone surrogates become U+FFFD, as TextEncoder does). */
function utf8(cp: number): number[] {
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

function byteEncode(piece: string): string {
  let out = '';
  for (const ch of piece) for (const b of utf8(ch.codePointAt(0)!)) out += BYTE_CHARS[b];
  return out;
}

function normalize(text: string): string {
  // Strip only the single spaces left by the replacement: String.trim would also drop U+FEFF.
  return text.normalize('NFC').replace(WHITESPACE_RUN, ' ').replace(/^ | $/g, '').toLowerCase();
}

const isLetter = (ch: string) => LETTER.test(ch);
const isNumber = (ch: string) => NUMBER.test(ch);
const isOther = (ch: string) => !(SPACE.test(ch) || isLetter(ch) || isNumber(ch));

/**
 * CLIP's pre-tokenizer pattern, as a scanner over code points:
 * specials | 's|'t|'re|'ve|'m|'ll|'d | \p{L}+ | \p{N} | [^\s\p{L}\p{N}]+ ; whitespace is skipped.
 */
function pretokenize(text: string, specials: string[]): string[] {
  const chars = Array.from(text);
  const rest = (i: number) => chars.slice(i).join('');
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i]!;
    let piece: string | undefined;
    if (ch === "'" || specials.some((s) => s.startsWith(ch))) {
      const tail = rest(i);
      piece = specials.find((s) => tail.startsWith(s)) ?? CONTRACTIONS.find((s) => tail.startsWith(s));
    }
    if (piece === undefined) {
      const runOf = (pred: (c: string) => boolean) => {
        let j = i + 1;
        while (j < chars.length && pred(chars[j]!)) j++;
        return chars.slice(i, j).join('');
      };
      if (isLetter(ch)) piece = runOf(isLetter);
      else if (isNumber(ch)) piece = ch;
      else if (isOther(ch)) piece = runOf(isOther);
    }
    if (piece === undefined) {
      i++; // whitespace matches no alternative
      continue;
    }
    out.push(piece);
    i += Array.from(piece).length;
  }
  return out;
}

export class ClipTokenizer {
  readonly modelMaxLength: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  private readonly specials: string[];
  private readonly cache = new Map<string, string[]>();

  private constructor(
    private readonly vocab: Map<string, number>,
    /** Merge rank keyed by "left right" (tokens never contain a space: byte 0x20 maps to 'Ġ'). */
    private readonly ranks: Map<string, number>,
    config: ClipTokenizerConfig,
  ) {
    this.modelMaxLength = config.modelMaxLength ?? 77;
    const bos = config.bosToken ?? DEFAULT_BOS;
    const eos = config.eosToken ?? DEFAULT_EOS;
    this.specials = [bos, eos];
    this.bosId = this.idOf(bos);
    this.eosId = this.idOf(eos);
    this.padId = this.idOf(config.padToken ?? eos);
    for (const s of this.specials) this.cache.set(s, [s]);
  }

  static fromFiles(vocabJson: string, mergesTxt: string, config: ClipTokenizerConfig = {}): ClipTokenizer {
    const vocab = new Map<string, number>(Object.entries(JSON.parse(vocabJson) as Record<string, number>));
    const ranks = new Map<string, number>();
    for (const line of mergesTxt.split(/\r?\n/)) {
      if (line === '' || line.startsWith('#version')) continue;
      const parts = line.split(' ');
      if (parts.length !== 2) throw new Error(`malformed merges.txt line: ${JSON.stringify(line)}`);
      ranks.set(line, ranks.size);
    }
    return new ClipTokenizer(vocab, ranks, config);
  }

  private idOf(token: string): number {
    const id = this.vocab.get(token);
    if (id === undefined) throw new Error(`token ${JSON.stringify(token)} is not in vocab.json`);
    return id;
  }

  /** Apply merges, lowest rank first, to one byte-encoded pre-token. */
  private bpe(token: string): string[] {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const chars = Array.from(token);
    let word = [...chars.slice(0, -1), chars[chars.length - 1]! + END_OF_WORD];
    while (word.length > 1) {
      let best: string | undefined;
      let bestRank = Infinity;
      for (let i = 0; i < word.length - 1; i++) {
        const pair = `${word[i]} ${word[i + 1]}`;
        const rank = this.ranks.get(pair);
        if (rank !== undefined && rank < bestRank) [best, bestRank] = [pair, rank];
      }
      if (best === undefined) break;
      const merged: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && `${word[i]} ${word[i + 1]}` === best) {
          merged.push(word[i]! + word[i + 1]!);
          i++;
        } else merged.push(word[i]!);
      }
      word = merged;
    }
    this.cache.set(token, word);
    return word;
  }

  /** Token ids with BOS and EOS, unpadded. */
  encode(text: string): number[] {
    const ids = [this.bosId];
    for (const piece of pretokenize(normalize(text), this.specials)) {
      const encoded = this.specials.includes(piece) ? piece : byteEncode(piece);
      for (const token of this.bpe(encoded)) ids.push(this.idOf(token));
    }
    ids.push(this.eosId);
    return ids;
  }

  /** ids [length] padded with padId; throws PromptTooLongError instead of truncating. */
  encodePadded(text: string, length: number): Int32Array {
    const ids = this.encode(text);
    if (ids.length > length) throw new PromptTooLongError(ids.length, length);
    const out = new Int32Array(length).fill(this.padId);
    out.set(ids);
    return out;
  }
}
