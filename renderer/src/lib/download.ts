/** Saves a Blob as a file through a temporary link (works in the browser and in Electron). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked a moment later: the click hands the blob to the download asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves text as a file (see downloadBlob). */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  downloadBlob(new Blob([text], { type }), fileName);
}
