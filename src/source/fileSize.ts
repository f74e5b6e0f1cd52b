// How large a file cnassess reads may be, and a size in words. Its own module so that reading a file (inputFile.ts)
// does not load the YAML parser (yamlSource.ts), which most commands never need.

/** Files larger than this are refused before parsing: a rubric or answers file is a few dozen KB. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
