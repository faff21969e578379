/**
 * The `studio` command line: dispatch, help text and exit codes (entry: index.ts).
 *
 *   studio generate --prompt P [options]    make an image (see `studio generate --help`)
 *   studio history [--search Q] [--limit N] [--json]
 *   studio export ID --format gif|apng|webm|mp4|png --out FILE   write a record as a file
 *   studio models [--json] | models import DIR [--link] | models delete ID
 *   studio providers [--json]
 *   studio eval --json FILE [options]     measure a model on the evaluation set (see `studio eval --help`)
 *   studio profile [options]                              record a cache calibration profile
 *   studio profiles [list|export|import|delete]           manage stored profiles
 *   studio bench cache --json FILE [options]              benchmark the caching methods
 *   studio serve-model [--model ID] [--port P] [--token T] serve a model over KServe v2 REST
 *   studio export-triton [--model ID] --out DIR            write a Triton model repository
 *
 * Exit codes: 0 success; 1 a StudioError (`studio: error [CODE]: message`); 2 a usage
 * error (`studio: error: message`); 130 cancelled with Ctrl-C.
 */
import { LIMITS, PROVIDER_CHOICES, SCHEDULER_NAMES } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { openCliContext, type CliContext } from './cli-context';
import { UsageError } from './cli-options';
import { BENCH_HELP, benchCommand } from './bench-command';
import { CACHE_KNOBS } from '../cache/cache-knobs';
import { EVAL_DEFAULTS, evalCommand } from './eval-command';
import { EXPORT_HELP, exportCommand } from './export-command';
import { GENERATE_DEFAULTS, generateCommand } from './generate-command';
import { historyCommand, modelsCommand, providersCommand } from './list-commands';
import { MODELS_HELP, modelsDeleteCommand, modelsImportCommand } from './models-command';
import { profileCommand } from './profile-command';
import { QUANTIZE_HELP, quantizeCommand } from './quantize-command';
import { profilesCommand } from './profiles-command';
import { EXPORT_TRITON_HELP, exportTritonCommand } from './export-triton-command';
import { SERVE_MODEL_HELP, serveModelCommand } from './serve-model-command';

export const USAGE = `Usage: studio <command> [options]

Commands:
  generate   Make an image or a clip (video model, latent walk) from a prompt and record it in history
  history    List past generations, newest first
  export     Write a generation as GIF, APNG, WebM, MP4 or PNG
  models     List, import or delete models
  providers  List execution providers available here
  eval       Measure a model: prompt accuracy, Fréchet distance, seconds per image
  profile    Record a calibration profile for step caching
  profiles   List, export, import or delete calibration profiles
  quantize   Write an int8 variant of a model's denoiser and fit its error compensation
  bench      Benchmark step caching, hybrid inference or quantization; "bench plot" charts a report as SVG
  serve-model    Serve a model to other machines (Open Inference Protocol / KServe v2)
  export-triton  Write a Triton Inference Server model repository for a model

Run "studio <command> --help" for the options of a command.
Data lives in STUDIO_HOME (default: the per-user app-data folder).`;

const COMMAND_HELP: Record<string, string> = {
  generate: `Usage: studio generate --prompt P [options]

  --prompt P        what to draw (required)
  --negative N      negative prompt (default: empty)
  --steps N         denoising steps ${LIMITS.stepsMin}..${LIMITS.stepsMax} (default: the model's recommended, else ${GENERATE_DEFAULTS.steps})
  --cfg G           guidance scale ${LIMITS.cfgMin}..${LIMITS.cfgMax}; 1 or less turns guidance off (default: the model's recommended, else ${GENERATE_DEFAULTS.cfg})
  --seed S          integer 0..${LIMITS.seedMax}, or -1 for random (default: random, printed)
  --batch N         make N images (1..16) with seeds S, S+1, …; each is its own history row
  --from FILE.png   re-run the settings a PNG carries: this studio's PNGs give the same
                    pixels; A1111 PNGs give prompt, steps, CFG, seed and sampler. Only
                    --seed, --batch, --out, --force and --json may be given with it
  --model ID|DIR    model id from "studio models", or a pipeline folder (default: the default model)
  --provider P      ${PROVIDER_CHOICES.join(' | ')} (default: auto)
  --scheduler S     ${SCHEDULER_NAMES.join(' | ')} (default: the model's own)
  --cache METHOD    step caching: none | ${Object.keys(CACHE_KNOBS).join(' | ')} | auto (default: none)
  --cache-threshold X  the method's main knob: fora, taylorseer interval 1..${CACHE_KNOBS.fora.max};
                    teacache, magcache, easycache threshold 0..${CACHE_KNOBS.teacache.max}; ertacache lambda 0..${CACHE_KNOBS.ertacache.max};
                    linear, ertacache-forecast model calls ${CACHE_KNOBS.linear.min}..${CACHE_KNOBS.linear.max}
                    (write a negative value as --cache-threshold=X). teacache (without
                    coefficients), magcache, ertacache, linear and ertacache-forecast use the
                    newest matching profile stored by "studio profile"
  --cache-calls N   with --cache auto: the method and setting with the best benchmarked PSNR
                    at N model calls that beats plain sampling with N steps (docs/bench)
  --precision P     fp32 | w8a8 | w4a8 | w4a16: run the variant "studio quantize" wrote (default: fp32)
  --compensation M  none | ptqd | tcec: correct the quantized denoiser's error with the tables
                    "studio quantize" fitted for these steps, CFG and scheduler (default: none)
  --compensation-strength λ  0..4 (default: the strength the calibration picked)
  --frames F        a clip of F frames, written as one animated PNG: a video model's (default:
                    its own, within its range), or a latent walk's (required with --walk-*)
  --fps R           frames per second of a clip ${LIMITS.fpsMin}..${LIMITS.fpsMax} (default: the model's, else ${LIMITS.fpsDefault})
  --walk-to-seed N  latent walk of an image model: the noise moves from --seed to seed N
  --walk-to-prompt TEXT  latent walk of an image model: the prompt moves to TEXT
  --out FILE        also write the PNG here (a folder keeps the generated name);
                    an existing file is refused unless --force is given
  --force           let --out replace an existing file
  --json            print the history record as JSON`,
  profile: `Usage: studio profile [options]

Records a calibration profile for step caching: one full run per prompt (prompt i with seed
S + i), stored in STUDIO_HOME for runs of the same model, scheduler, steps, CFG and size.
Keep the calibration prompts apart from the prompts you judge quality on.

  --steps N         denoising steps 2..${LIMITS.stepsMax}; must equal the runs' steps (default: the model's recommended)
  --prompts-file F  calibration prompts, one per line (default: 8 built-in prompts; about 20 is plenty)
  --model ID|DIR    model (default: the default model)
  --cfg G           guidance scale (default: the model's recommended, else ${GENERATE_DEFAULTS.cfg})
  --scheduler S     ${SCHEDULER_NAMES.join(' | ')} (default: the model's recommended)
  --seed S          seed of the first prompt (default: 1000)
  --provider P      ${PROVIDER_CHOICES.join(' | ')} (default: auto)
  --json            print the stored profile's summary as JSON`,
  profiles: `Usage: studio profiles [--model ID] [--json]
       studio profiles export ID --out FILE [--force]
       studio profiles import FILE [--json]
       studio profiles delete ID

Lists the stored calibration profiles (newest first), writes one as JSON, stores a profile
file (checked first), or deletes one.`,
  bench: BENCH_HELP,
  quantize: QUANTIZE_HELP,
  'serve-model': SERVE_MODEL_HELP,
  'export-triton': EXPORT_TRITON_HELP,
  export: EXPORT_HELP,
  history: `Usage: studio history [--search Q] [--limit N] [--before ID] [--json]

  --search Q        full-text search over prompts
  --limit N         at most N records, 1..${LIMITS.historyPageMax} (default: 100)
  --before ID       only records older than history id ID (paging)
  --json            print GenerationRecord[] as JSON`,
  models: MODELS_HELP,
  providers: `Usage: studio providers [--json]

Lists the execution providers this build can use; "auto" tries them in order.`,
  eval: `Usage: studio eval --json FILE [options]

Generates one image per evaluation caption (or per line of a prompts file) and reports
prompt accuracy (top-1/top-5 subcategory from the evaluation classifier), the Fréchet
distance between classifier features of generated and real evaluation images (an FID
stand-in), seconds per image (generation only), and the classifier's own accuracy on the
real images. The images are not saved and not recorded in history.

  --json FILE         write the full report here (required)
  --model ID|DIR      model id or pipeline folder (default: the default model)
  --prompts-file F    free-text prompts, one per line (default: the evaluation captions);
                      each prompt's subcategory is inferred from its keywords, and prompts
                      naming none or several equally are excluded from accuracy (counted
                      per reason). A tab-separated file with a header line "prompt, emoji,
                      subgroup, held_out" (emoji and/or subgroup) is scored against its own
                      labels, with exact-emoji accuracy (nearest real emoji in classifier
                      features) and held-out emoji reported apart, e.g.
                      native-models/eval/everyday-prompts.tsv
  --n N               images to make (default: all captions, spread evenly, or all prompts)
  --steps N           denoising steps ${LIMITS.stepsMin}..${LIMITS.stepsMax} (default: the model's recommended, else ${GENERATE_DEFAULTS.steps})
  --cfg G             guidance scale ${LIMITS.cfgMin}..${LIMITS.cfgMax} (default: the model's recommended, else ${GENERATE_DEFAULTS.cfg})
  --seed S            seed base: image i uses seed S + i (default: ${EVAL_DEFAULTS.seed})
  --provider P        ${PROVIDER_CHOICES.join(' | ')} (default: auto)
  --scheduler S       ${SCHEDULER_NAMES.join(' | ')} (default: the model's own)
  --eval-dir DIR      evaluation set (default: native-models/eval, built by "npm run models:train")`,
};

async function dispatch(command: string, args: string[], ctx: () => CliContext): Promise<number> {
  switch (command) {
    case 'generate':
      return generateCommand(args, ctx());
    case 'history':
      return historyCommand(args, ctx());
    case 'export':
      return exportCommand(args, ctx());
    case 'models':
      if (args[0] === 'import') return modelsImportCommand(args.slice(1), ctx());
      if (args[0] === 'delete') return modelsDeleteCommand(args.slice(1), ctx());
      return modelsCommand(args, ctx());
    case 'providers':
      return providersCommand(args);
    case 'eval':
      return evalCommand(args, ctx());
    case 'profile':
      return profileCommand(args, ctx());
    case 'profiles':
      return profilesCommand(args, ctx());
    case 'quantize':
      return quantizeCommand(args, ctx());
    case 'bench':
      return benchCommand(args, ctx());
    case 'serve-model':
      return serveModelCommand(args, ctx());
    case 'export-triton':
      return exportTritonCommand(args, ctx());
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (args.includes('--help') || args.includes('-h')) {
    const help = COMMAND_HELP[command];
    if (help) {
      process.stdout.write(`${help}\n`);
      return 0;
    }
  }
  let context: CliContext | undefined;
  try {
    return await dispatch(command, args, () => (context ??= openCliContext()));
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: unknown } | null)?.code?.toString().startsWith('ERR_PARSE_ARGS')) {
      const hint = err instanceof UsageError ? '' : ` (run "studio ${command} --help")`;
      process.stderr.write(`studio: error: ${(err as Error).message}${hint}\n`);
      return 2;
    }
    if (err instanceof StudioError) {
      process.stderr.write(`studio: error [${err.code}]: ${err.message}\n`);
      return err.code === 'CANCELLED' ? 130 : 1;
    }
    process.stderr.write(`studio: error [INTERNAL]: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  } finally {
    context?.close();
  }
}
