/**
 * The everyday-prompt part of the generated benchmark docs: one table over the `everyday-*.json`
 * reports of `studio eval --prompts-file <labelled TSV>`, and one summary sentence for the README.
 * Pure functions of the parsed reports, used by scripts/bench-docs.mjs.
 *
 * A labelled report scores each prompt against its own emoji and subgroup (no keyword inference):
 * subgroup top-k through the evaluation classifier, and exact emoji, whether the image's nearest
 * real emoji in classifier features is the intended one. Prompts about emoji held out from
 * training are reported apart; the targets apply to them.
 */

/** The held-out everyday targets: subgroup top-5 and exact-emoji top-5. */
export const EVERYDAY_TARGETS = { subgroupTop5: 0.75, exactTop5: 0.4 };

/** Phrasing patterns of the labelled prompts, first match wins; `…` is the subject. */
const PHRASINGS = [
  ['a picture of …', /^a picture of /],
  ['an emoji of …', /^an emoji of /],
  ['a cartoon of …', /^a cartoon of /],
  ['a drawing of …', /^a drawing of /],
  ['a small … sticker', / sticker$/],
  ['… on a white background', / on a white background$/],
  ['… emoji', / emoji$/],
  ['a / an …', /^an? /],
  ['bare name', /.*/],
];

const f3 = (x) => x.toFixed(3);
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const cell = (acc, key) => `${f3(acc[key])} (${f3(acc.ci95[key][0])}–${f3(acc.ci95[key][1])})`;
const hash8 = (h) => `\`${h.slice(0, 8)}…\``;

export function everydaySection(everydays) {
  const first = everydays[0].report;
  const rows = everydays.map(({ file, report: r }) => [
    `[${file}](${file})`,
    `\`${r.model}\``,
    hash8(r.modelHash),
    `\`${r.promptsFile.split('/').at(-1)}\``,
    `${r.steps} / ${r.cfg}`,
    `${r.heldOutAccuracy.heldOut.counted} / ${r.promptAccuracy.counted}`,
    cell(r.heldOutAccuracy.heldOut, 'top5'),
    cell(r.promptAccuracy, 'top5'),
    cell(r.exactEmoji.heldOut, 'top5'),
    cell(r.exactEmoji.all, 'top5'),
    `${f3(r.promptAccuracy.top1)} / ${f3(r.exactEmoji.all.top1)}`,
  ]);
  const bank = first.exactEmoji.bank;
  return [
    '## Everyday prompts (`studio eval --prompts-file`, labelled)',
    '',
    `Each line of a labelled prompts file names its intended emoji (code point) and Unicode subgroup; the phrasing and the labels were written apart from the training captions. Subgroup top-5: the evaluation classifier puts the intended subgroup among its first five guesses. Exact emoji top-5: the intended emoji is among the five real emoji nearest to the image in classifier features (${bank.emoji} emoji, ${bank.images} real images). Held-out prompts are about emoji left out of training. Seeds ${first.seeds.base}+ in every report; 95% Wilson intervals in brackets. Reports named \`everyday-<model>-cfg<G>\` or \`-steps<N>\` are the sweep behind the model's recommended settings.`,
    '',
    table(
      ['report', 'model', 'sha256', 'prompts', 'steps / cfg', 'held-out / all', 'subgroup top-5, held-out', 'subgroup top-5, all', 'exact top-5, held-out', 'exact top-5, all', 'top-1 subgroup / exact, all'],
      rows,
    ),
    '',
    'By phrasing (all prompts of each model\'s `everyday-<model>.json`):',
    '',
    phrasingTable(everydays.filter(({ file, report }) => file === `everyday-${report.model}.json`)),
    '',
    `Targets on held-out everyday prompts: subgroup top-5 ≥ ${EVERYDAY_TARGETS.subgroupTop5}, exact-emoji top-5 ≥ ${EVERYDAY_TARGETS.exactTop5}. The judge caps exact emoji: leaving each real image out, its own emoji is among the five nearest for ${f3(bank.leaveOneOut.top5)} of the real images (top-1 ${f3(bank.leaveOneOut.top1)}), since the classifier learnt subgroups, not single emoji.`,
  ].join('\n');
}

const phrasing = (prompt) => PHRASINGS.find(([, re]) => re.test(prompt))[0];

/** Subgroup top-5 of each phrasing pattern, one column per model's main report. */
function phrasingTable(mains) {
  const top5 = (items, name) => {
    const mine = items.filter((it) => phrasing(it.prompt) === name);
    return { n: mine.length, top5: mine.filter((it) => it.top5.includes(it.intended)).length / mine.length };
  };
  const rows = PHRASINGS.map(([name]) => mains.map(({ report }) => top5(report.items, name)))
    .map((cells, i) => [PHRASINGS[i][0], String(cells[0].n), ...cells.map((c) => f3(c.top5))])
    .filter((r) => r[1] !== '0');
  return table(['phrasing', 'prompts', ...mains.map(({ report }) => `\`${report.model}\` subgroup top-5`)], rows);
}

/** One sentence for the README summary, from each model's `everyday-<model>.json` report. */
export function everydaySummary(everydays) {
  const main = everydays.filter(({ file, report }) => file === `everyday-${report.model}.json`);
  if (main.length === 0) return undefined;
  const { report: r0 } = main[0];
  const parts = main.map(
    ({ report: r }) =>
      `\`${r.model}\` subgroup top-5 ${f3(r.heldOutAccuracy.heldOut.top5)} held-out / ${f3(r.promptAccuracy.top5)} all, exact-emoji top-5 ${f3(r.exactEmoji.heldOut.top5)} / ${f3(r.exactEmoji.all.top5)}`,
  );
  return `Everyday prompts (${r0.promptAccuracy.counted} labelled, ${r0.heldOutAccuracy.heldOut.counted} about held-out emoji; targets ${EVERYDAY_TARGETS.subgroupTop5} and ${EVERYDAY_TARGETS.exactTop5} on held-out): ${parts.join('; ')}.`;
}
