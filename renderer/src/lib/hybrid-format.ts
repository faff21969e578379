/** How the Hybrid panel and the run summary write shares, MACs, bytes and the two orders. */
import type { HybridOrder } from '../../../core/hybrid/hybrid-plan';

/** A share as a whole percentage, e.g. 0.625 → "63%". */
export const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** MACs in engineering units, e.g. 30785536 → "30.8 M". */
export function formatMacs(macs: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, unit] of units) if (macs >= scale) return `${(macs / scale).toFixed(1)} ${unit}`;
  return String(macs);
}

/** Bytes in binary units, e.g. 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export const ORDER_LABELS: Record<HybridOrder, { name: string; blurb: string }> = {
  'large-first': { name: 'Hybrid SD', blurb: 'The large model lays out the image in the first K steps; the small one adds the detail.' },
  'small-first': { name: 'T-Stitch', blurb: 'The small model drafts the image; the large model refines it in the last K steps.' },
};
