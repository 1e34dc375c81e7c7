/**
 * A minimal safetensors writer written from the format description alone, independent of the
 * library's reader: 8-byte little-endian header length, JSON header {name: {dtype, shape,
 * data_offsets: [begin, end]}} (offsets relative to the data section), then raw little-endian data.
 * Used to hand the Policy checkpoints "written by another program".
 */
import * as fs from 'node:fs';

export type Dtype = 'F32' | 'F16' | 'BF16';
export interface TensorIn {
  name: string;
  shape: number[];
  values: Float32Array;
  dtype: Dtype;
}

function f32ToBf16Bits(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0]!;
  const rounding = 0x7fff + ((u >>> 16) & 1); // round to nearest even
  return ((u + rounding) >>> 16) & 0xffff;
}

function f32ToF16Bits(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  let exp = ((u >>> 23) & 0xff) - 127 + 15;
  let mant = u & 0x7fffff;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  if (exp >= 31) return sign | 0x7c00;
  let half = (exp << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

export function bf16BitsToF32(b: number): number {
  return new Float32Array(new Uint32Array([b << 16]).buffer)[0]!;
}

export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Encodes values in `dtype`; returns the bytes and the values as the reader will see them. */
export function encode(values: Float32Array, dtype: Dtype): { bytes: Buffer; decoded: Float32Array } {
  if (dtype === 'F32') return { bytes: Buffer.from(values.buffer, values.byteOffset, values.byteLength), decoded: values };
  const bytes = Buffer.alloc(values.length * 2);
  const decoded = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const bits = dtype === 'BF16' ? f32ToBf16Bits(values[i]!) : f32ToF16Bits(values[i]!);
    bytes.writeUInt16LE(bits, i * 2);
    decoded[i] = dtype === 'BF16' ? bf16BitsToF32(bits) : f16BitsToF32(bits);
  }
  return { bytes, decoded };
}

/** Writes a safetensors file; returns the decoded values per tensor name. */
export function writeSafetensors(file: string, tensors: TensorIn[]): Map<string, Float32Array> {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', writer: 'toolrl-test' } };
  const chunks: Buffer[] = [];
  const decodedAll = new Map<string, Float32Array>();
  let offset = 0;
  for (const t of tensors) {
    const { bytes, decoded } = encode(t.values, t.dtype);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    decodedAll.set(t.name, decoded);
    offset += bytes.length;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  fs.writeFileSync(file, Buffer.concat([len, json, ...chunks]));
  return decodedAll;
}

/** Reads every F32 tensor of a safetensors file (for the reference model). */
export function readSafetensorsF32(file: string): Map<string, Float32Array> {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; data_offsets: [number, number] }>;
  const out = new Map<string, Float32Array>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [b, e] = info.data_offsets;
    const raw = buf.subarray(8 + n + b, 8 + n + e);
    if (info.dtype === 'F32') out.set(name, new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length)));
    else {
      const vals = new Float32Array(raw.length / 2);
      for (let i = 0; i < vals.length; i++) {
        const bits = raw.readUInt16LE(i * 2);
        vals[i] = info.dtype === 'BF16' ? bf16BitsToF32(bits) : f16BitsToF32(bits);
      }
      out.set(name, vals);
    }
  }
  return out;
}
