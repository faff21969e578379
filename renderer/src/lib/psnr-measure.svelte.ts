/**
 * The PSNR of one image against another, kept current while a component shows them: measured
 * again whenever either image changes, with an answer for an older pair never overwriting a newer one.
 * Call it while a component initialises (it owns an effect).
 */
import { imagePsnr } from './image-psnr';

export type PsnrState = { status: 'computing' } | { status: 'done'; db: number } | { status: 'failed'; message: string };

/** What to compare: two image URLs, or why the pair cannot be compared (shown as the failure). */
export type PsnrInputs = { test: string; reference: string } | { unavailable: string };

export function psnrMeasure(inputs: () => PsnrInputs): { readonly state: PsnrState; readonly text: string } {
  let state = $state.raw<PsnrState>({ status: 'computing' });
  const text = $derived(
    state.status === 'computing' ? '…' : state.status === 'failed' ? 'n/a' : Number.isFinite(state.db) ? `${state.db.toFixed(2)} dB` : '∞ (identical)',
  );

  // Reading pixels is work outside Svelte's graph: redo it when the pair changes, drop stale answers.
  $effect(() => {
    const pair = inputs();
    if ('unavailable' in pair) {
      state = { status: 'failed', message: pair.unavailable };
      return;
    }
    let current = true;
    state = { status: 'computing' };
    imagePsnr(pair.test, pair.reference).then(
      (db) => current && (state = { status: 'done', db }),
      (err: unknown) => current && (state = { status: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      current = false;
    };
  });

  return {
    get state() {
      return state;
    },
    get text() {
      return text;
    },
  };
}
