import { zipSync, strToU8 } from 'fflate';

/** Builds an artifact's zip (what GitHub serves for `.../artifacts/{id}/zip`). */
export function zipFiles(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}
