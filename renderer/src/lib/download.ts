/** Saves text as a file through a temporary Blob link (works in the browser and in Electron). */
export function downloadText(text: string, fileName: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
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
