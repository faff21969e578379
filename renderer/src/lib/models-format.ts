/** Sizes and hashes as the model manager shows them. */

/** Bytes in binary units: "1.4 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The first 12 hex digits of a sha256, as the studio prints hashes elsewhere. */
export function shortHash(sha256: string): string {
  return `${sha256.slice(0, 12)}…`;
}
