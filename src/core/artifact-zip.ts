// A workflow artifact (a zip) → the JUnit XML files inside it. Pure: bytes in, files out; never throws.
//
// Why not fflate's unzipSync: it inflates each entry into a buffer of the *declared* size but keeps
// decoding to the end of the stream, so an entry that lies about its size (declares 1 KB, inflates to
// 10 GB) costs unbounded CPU. Here the central directory is read first (declared sizes checked
// against the limits before anything is inflated), then each entry is inflated with fflate's
// streaming Inflate in small steps and abandoned the moment it outgrows what it declared.
import { Inflate } from 'fflate';
import { ARTIFACT_LIMITS } from './artifact-limits';
import { decodeXmlBytes, JUNIT_LIMITS } from './junit';

const ZIP_LIMITS: Readonly<{ maxFiles: number; maxTotalBytes: number }> = Object.freeze({
  maxFiles: ARTIFACT_LIMITS.files,
  maxTotalBytes: ARTIFACT_LIMITS.unpackedBytes,
});

interface ZipContents {
  files: { name: string; text: string }[];
  /** Entries that could not be read: damaged, encrypted, lying about their size, not text. */
  problems: string[];
  /**
   * What a limit left unread (files over the file cap, bytes over a byte cap). Unlike a damaged
   * entry these may hold results, and how many test cases they hold is unknown.
   */
  overLimit: string[];
}

interface Entry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  dataStart: number;
}

/** Compressed bytes per inflate step: bounds the output one step can produce (~1,000× this). */
const INFLATE_STEP = 8 * 1024;

export function readJUnitZip(zip: Uint8Array, limits: { maxFiles?: number; maxTotalBytes?: number } = {}): ZipContents {
  const maxFiles = limits.maxFiles ?? ZIP_LIMITS.maxFiles;
  const maxTotalBytes = limits.maxTotalBytes ?? ZIP_LIMITS.maxTotalBytes;
  const files: { name: string; text: string }[] = [];
  const problems: string[] = [];
  const overLimit: string[] = [];
  try {
    const listed = listEntries(zip);
    if (typeof listed === 'string') return { files, problems: [`the artifact is not a readable zip file: ${listed}`], overLimit };

    let xml = listed.filter(
      (e) => !e.name.endsWith('/') && /\.xml$/i.test(e.name) && !/(?:^|\/)\._[^/]*$/.test(e.name), // no macOS "._x.xml" forks
    );
    if (xml.length > maxFiles) {
      overLimit.push(
        `the artifact holds ${xml.length.toLocaleString('en-US')} XML files; only the first ${maxFiles} were read (the limit per artifact)`,
      );
      xml = xml.slice(0, maxFiles);
    }

    const readable: Entry[] = [];
    for (const e of xml) {
      const why = refusal(e);
      if (why) problems.push(`${e.name} was not read: ${why}`);
      else if (e.size > JUNIT_LIMITS.maxBytes) {
        overLimit.push(`${e.name} was not read: it unpacks to ${formatBytes(e.size)}, over the ${formatBytes(JUNIT_LIMITS.maxBytes)} limit per file`);
      } else readable.push(e);
    }
    const total = readable.reduce((n, e) => n + e.size, 0);
    if (total > maxTotalBytes) {
      overLimit.push(
        `the artifact's XML files would unpack to ${formatBytes(total)}, over the ${formatBytes(maxTotalBytes)} limit per artifact; none were read`,
      );
      return { files: [], problems, overLimit };
    }

    for (const e of readable) {
      const data = zip.subarray(e.dataStart, e.dataStart + e.compressedSize);
      const bytes = e.method === 0 ? data : inflateCapped(data, e.size);
      if (typeof bytes === 'string') {
        problems.push(`${e.name} was not read: ${bytes}`);
        continue;
      }
      const decoded = decodeXmlBytes(bytes);
      if (decoded.ok) files.push({ name: e.name, text: decoded.text });
      else problems.push(`${e.name} was not read: ${decoded.error}`);
    }
    return { files, problems, overLimit };
  } catch (e) {
    problems.push(`the artifact could not be unpacked: ${e instanceof Error ? e.message : String(e)}`);
    return { files, problems, overLimit };
  }
}

function refusal(e: Entry): string | null {
  if (e.flags & 0x1) return 'it is encrypted';
  if (e.method !== 0 && e.method !== 8) return `it uses compression method ${e.method} (only stored and deflate are supported)`;
  if (e.method === 0 && e.compressedSize !== e.size) return 'the zip is damaged (stored sizes disagree)';
  return null;
}

/** Inflate, giving up as soon as the output passes the size the zip declared for the entry. */
function inflateCapped(data: Uint8Array, declared: number): Uint8Array | string {
  const out = new Uint8Array(declared);
  let length = 0;
  let over = false;
  const inflate = new Inflate((chunk) => {
    if (over) return;
    if (length + chunk.length > declared) {
      over = true;
      return;
    }
    out.set(chunk, length);
    length += chunk.length;
  });
  try {
    if (data.length === 0) inflate.push(data, true);
    for (let i = 0; i < data.length && !over; i += INFLATE_STEP) {
      const end = Math.min(i + INFLATE_STEP, data.length);
      inflate.push(data.subarray(i, end), end === data.length);
    }
  } catch (e) {
    return `its compressed data is damaged (${e instanceof Error ? e.message : String(e)})`;
  }
  if (over) return `it unpacks to more than the ${formatBytes(declared)} the zip declares (a zip bomb?)`;
  if (length !== declared) return `it unpacks to ${formatBytes(length)}, not the ${formatBytes(declared)} the zip declares (damaged?)`;
  return out;
}

/**
 * The central directory: where each entry's data starts and what sizes it declares. Returns a
 * human reason when the bytes are not a zip this reader can trust.
 */
function listEntries(zip: Uint8Array): Entry[] | string {
  const n = zip.byteLength;
  if (n < 22) return n === 0 ? 'it is empty' : 'it is too short to be a zip file';
  const view = new DataView(zip.buffer, zip.byteOffset, n);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);

  let eocd = -1;
  for (let i = n - 22; i >= Math.max(0, n - 22 - 0xffff); i--) {
    if (u32(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return 'no end-of-central-directory record (truncated, or not a zip)';
  const count = u16(eocd + 10);
  const cdSize = u32(eocd + 12);
  const cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return 'ZIP64 archives are not supported';
  if (cdOffset + cdSize > eocd) return 'the central directory points outside the file (truncated?)';

  const names = new TextDecoder('utf-8');
  const entries: Entry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || u32(p) !== 0x02014b50) return `central directory entry ${k + 1} is damaged`;
    const flags = u16(p + 8);
    const method = u16(p + 10);
    const compressedSize = u32(p + 20);
    const size = u32(p + 24);
    const nameLength = u16(p + 28);
    const next = p + 46 + nameLength + u16(p + 30) + u16(p + 32);
    const local = u32(p + 42);
    if (next > eocd) return `central directory entry ${k + 1} is damaged`;
    const name = names.decode(zip.subarray(p + 46, p + 46 + nameLength));
    if (compressedSize === 0xffffffff || size === 0xffffffff || local === 0xffffffff) {
      return 'ZIP64 archives are not supported';
    }
    if (local + 30 > n || u32(local) !== 0x04034b50) return `the data of ${name} is missing or damaged`;
    const dataStart = local + 30 + u16(local + 26) + u16(local + 28);
    if (dataStart + compressedSize > n) return `the data of ${name} runs past the end of the file (truncated?)`;
    entries.push({ name, flags, method, compressedSize, size, dataStart });
    p = next;
  }
  return entries;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${Math.round((n / 1024 ** 3) * 10) / 10} GiB`;
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 ** 2) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}
