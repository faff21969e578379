// Writes native-models/eval/everyday-prompts.tsv: plain, varied everyday prompts ("a red apple",
// "the flag of Japan emoji", "a cute lion face") labelled with the emoji each one asks for and
// that emoji's Unicode subgroup, for `studio eval --prompts-file`.
//
//   prompt <TAB> emoji <TAB> subgroup <TAB> held_out
//
// Prompts are hand-written templates × the hand-written subjects of everyday-subjects.mjs,
// one prompt per name of a subject; the template of each is picked by a hash of the name, so
// the file is the same on every run. Every code point is checked against emojibase-data (an
// unknown one stops the script), its subgroup must be one of the classifier's classes, and
// held_out (1 or 0) says whether the emoji was left out of training, read from the
// evaluation set's emoji bank (emoji-bank.json, built from the dataset's eval split).
//
// It also writes everyday-emoji-names.tsv: the same emoji, each prompted once by its own
// emojibase name as the training captions spell it ("red apple", "flag, Japan"), a diagnostic
// that tells the models' grasp of everyday phrasing apart from their grasp of the emoji.
//   node scripts/make-everyday-prompts.mjs
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SUBJECTS } from './everyday-subjects.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const evalDir = path.join(root, 'native-models', 'eval');
const require = createRequire(import.meta.url);

/** {a}: the name with its article; {bare}: without; {adj}: an adjective (all start with a consonant). */
const TEMPLATES = [
  '{a}',
  '{a}',
  '{bare} emoji',
  'a picture of {a}',
  '{a}, icon',
  'an emoji of {a}',
  '{adj} {bare}',
  'a drawing of {a}',
  'a cartoon of {a}',
  '{a} on a white background',
  '{a}, flat style',
  'a small {bare} sticker',
];
const ADJECTIVES = ['cute', 'little', 'simple', 'colorful', 'tiny', 'nice'];

/** 32-bit FNV-1a of a string: a stable pick that does not depend on list order elsewhere. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(text, 'utf8')) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  return h;
}

function splitArticle(name) {
  const m = /^(a|an|the) (.*)$/.exec(name);
  return m ? { article: m[1], bare: m[2] } : { article: '', bare: name };
}

export function promptFor(name, key) {
  const { article, bare } = splitArticle(name);
  const template = TEMPLATES[fnv1a(`${key}/template`) % TEMPLATES.length];
  const adj = ADJECTIVES[fnv1a(`${key}/adjective`) % ADJECTIVES.length];
  const lead = article === 'the' ? 'the ' : article === '' ? '' : 'a ';
  return template
    .replace('{adj} {bare}', `${lead}${adj} ${bare}`)
    .replace('{a}', name)
    .replace('{bare}', bare);
}

function emojibaseIndex() {
  const data = require('emojibase-data/en/data.json');
  const messages = require('emojibase-data/en/messages.json');
  const subgroupKey = new Map(messages.subgroups.map((s) => [s.order, s.key]));
  const byHex = new Map();
  for (const e of data) byHex.set(e.hexcode.split('-').filter((p) => p !== 'FE0F').join('-'), { label: e.label, subgroup: subgroupKey.get(e.subgroup) });
  return byHex;
}

function writeTsv(name, rows) {
  const out = path.join(evalDir, name);
  const text = `${['prompt\temoji\tsubgroup\theld_out', ...rows.map((r) => r.join('\t'))].join('\n')}\n`;
  fs.writeFileSync(`${out}.tmp`, text);
  fs.renameSync(`${out}.tmp`, out);
  return out;
}

function main() {
  const emojibase = emojibaseIndex();
  const classes = JSON.parse(fs.readFileSync(path.join(evalDir, 'classifier', 'classes.json'), 'utf8'));
  const bank = JSON.parse(fs.readFileSync(path.join(evalDir, 'emoji-bank.json'), 'utf8'));
  const bankByHex = new Map(bank.emoji.map((e) => [e.hexcode, e]));
  const problems = [];
  const rows = [];
  const seenHex = new Set();
  const seenPrompt = new Set();
  for (const [hex, names] of SUBJECTS) {
    const info = emojibase.get(hex);
    if (!info) { problems.push(`${hex}: not an emoji in emojibase-data`); continue; }
    if (seenHex.has(hex)) problems.push(`${hex} (${info.label}): listed twice`);
    seenHex.add(hex);
    if (!classes.includes(info.subgroup)) problems.push(`${hex} (${info.label}): subgroup ${info.subgroup} is not a classifier class`);
    const banked = bankByHex.get(hex);
    if (!banked) { problems.push(`${hex} (${info.label}): no artwork in the emoji bank`); continue; }
    if (banked.subgroup !== info.subgroup) problems.push(`${hex}: subgroup ${info.subgroup} in emojibase-data but ${banked.subgroup} in the bank`);
    for (const name of names.split('|')) {
      const prompt = promptFor(name, `${hex}/${name}`);
      if (seenPrompt.has(prompt)) problems.push(`prompt "${prompt}" comes twice`);
      seenPrompt.add(prompt);
      rows.push([prompt, hex, info.subgroup, banked.heldOut ? '1' : '0']);
    }
  }
  if (problems.length > 0) {
    console.error(`make-everyday-prompts: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const names = [...seenHex].map((hex) => [emojibase.get(hex).label.replace(/: /g, ', '), hex, emojibase.get(hex).subgroup, bankByHex.get(hex).heldOut ? '1' : '0']);
  const out = writeTsv('everyday-prompts.tsv', rows);
  writeTsv('everyday-emoji-names.tsv', names);
  const heldOut = rows.filter((r) => r[3] === '1').length;
  console.log(`${rows.length} prompts (${heldOut} about held-out emoji) for ${seenHex.size} emoji in ${new Set(rows.map((r) => r[2])).size} subgroups -> ${path.relative(root, out)}`);
}

main();
