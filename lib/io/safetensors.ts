/**
 * Reading and validating safetensors headers (huggingface/safetensors format):
 *   8 bytes  little-endian u64 N (header length)
 *   N bytes  UTF-8 JSON: { "<name>": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 *                         "__metadata__": {string: string} }   (may be padded with trailing spaces)
 *   rest     raw little-endian tensor data; offsets are relative to the byte after the header.
 * Every claim the header makes is checked against the file before any data is read, so a
 * truncated file or a header that lies about sizes is an Error naming the file and the tensor.
 */
import * as fs from 'node:fs/promises';

export const DTYPE_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1,
};

export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Absolute byte offsets in the file. */
  begin: number;
  end: number;
}

/** Largest header we accept (the format's reference reader uses 100 MB too). */
const MAX_HEADER_BYTES = 100_000_000;

export async function readSafetensorsHeader(file: string): Promise<{ entries: SafetensorsEntry[]; metadata: Record<string, string> }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    throw new Error(`${file}: cannot open safetensors file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const size = (await handle.stat()).size;
    if (size < 8) throw new Error(`${file}: truncated safetensors file (${size} bytes, shorter than the 8-byte header length)`);
    const lenBuf = Buffer.alloc(8);
    await handle.read(lenBuf, 0, 8, 0);
    const headerLen = lenBuf.readBigUInt64LE(0);
    if (headerLen > BigInt(Math.min(MAX_HEADER_BYTES, size - 8))) {
      throw new Error(`${file}: header length ${headerLen} exceeds the file size (${size} bytes) or the 100 MB limit: truncated or not a safetensors file`);
    }
    const n = Number(headerLen);
    const headerBuf = Buffer.alloc(n);
    await handle.read(headerBuf, 0, n, 8);
    let header: unknown;
    try {
      header = JSON.parse(headerBuf.toString('utf8'));
    } catch (err) {
      throw new Error(`${file}: header is not valid JSON (${(err as Error).message})`);
    }
    if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new Error(`${file}: header is not a JSON object`);
    const dataStart = 8 + n;
    const dataSize = size - dataStart;
    const entries: SafetensorsEntry[] = [];
    let metadata: Record<string, string> = {};
    for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
      if (name === '__metadata__') {
        metadata = (raw ?? {}) as Record<string, string>;
        continue;
      }
      const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      if (!info || typeof info !== 'object') throw new Error(`${file}: tensor '${name}' has no header entry object`);
      const { dtype, shape, data_offsets: offsets } = info;
      if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) throw new Error(`${file}: tensor '${name}' has unknown dtype ${JSON.stringify(dtype)}`);
      if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw new Error(`${file}: tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
      }
      if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
        throw new Error(`${file}: tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
      }
      const numel = (shape as number[]).reduce((a, b) => a * b, 1);
      const need = numel * DTYPE_BYTES[dtype]!;
      if (offsets[1] - offsets[0] !== need) {
        throw new Error(`${file}: tensor '${name}' claims ${offsets[1] - offsets[0]} bytes but ${dtype}${JSON.stringify(shape)} needs ${need}`);
      }
      if (offsets[1] > dataSize) {
        throw new Error(`${file}: tensor '${name}' ends at byte ${offsets[1]} of the data section but the file holds only ${dataSize} data bytes (truncated?)`);
      }
      entries.push({ name, dtype, shape: shape as number[], begin: dataStart + offsets[0], end: dataStart + offsets[1] });
    }
    const sorted = [...entries].sort((a, b) => a.begin - b.begin);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.begin < sorted[i - 1]!.end) throw new Error(`${file}: tensors '${sorted[i - 1]!.name}' and '${sorted[i]!.name}' overlap`);
    }
    return { entries, metadata };
  } finally {
    await handle.close();
  }
}
