/**
 * Entry point of the `studio` command (bundled to build/cli.cjs, run by bin/studio.cjs).
 * Everything but starting up lives in cli-main.ts, so tests can import it without running it.
 */
import { main } from './cli-main';

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
