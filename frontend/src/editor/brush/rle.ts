/**
 * Label Studio's brush masks: the bit-packed RLE of thi.ng/rle-pack over a flattened RGBA image
 * (32-bit count, 5-bit word size - 1, four 4-bit run-size widths - 1, then runs). `encodeRle` writes
 * exactly what label_studio_sdk.converter.brush.encode_rle writes (8-bit words, run sizes 3/4/8/16,
 * single values as literal runs of one, zero padding to a whole byte plus a full byte when aligned);
 * `decodeRle` reads any valid stream, including Label Studio's own literal runs.
 */

class BitReader {
  private pos = 0;
  constructor(private readonly bytes: ArrayLike<number>) {}

  read(n: number): number {
    let out = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.bytes[this.pos >> 3] ?? 0;
      out = out * 2 + ((byte >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return out;
  }
}

class BitWriter {
  private buf = new Uint8Array(1024);
  private pos = 0;

  write(value: number, n: number): void {
    if (((this.pos + n) >> 3) + 1 >= this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2 + (n >> 3) + 8);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    for (let i = n - 1; i >= 0; i--) {
      if (Math.floor(value / 2 ** i) % 2) this.buf[this.pos >> 3] |= 0x80 >> (this.pos & 7);
      this.pos++;
    }
  }

  /** The SDK pads with 8 - (bits % 8) zero bits: 1..8, never 0. */
  finish(): number[] {
    this.pos += 8 - (this.pos % 8);
    return Array.from(this.buf.subarray(0, this.pos >> 3));
  }
}

/** RLE bytes -> the flat array they encode (for a brush: H*W*4 RGBA bytes). */
export function decodeRle(rle: ArrayLike<number>): Uint8Array {
  const input = new BitReader(rle);
  const num = input.read(32);
  const wordSize = input.read(5) + 1;
  const sizes = [0, 0, 0, 0].map(() => input.read(4) + 1);
  const out = new Uint8Array(num);
  for (let i = 0; i < num;) {
    const repeat = input.read(1);
    const j = Math.min(num, i + 1 + input.read(sizes[input.read(2)]));
    if (repeat) {
      out.fill(input.read(wordSize), i, j);
      i = j;
    } else {
      for (; i < j; i++) out[i] = input.read(wordSize);
    }
  }
  return out;
}

function header(length: number): BitWriter {
  const w = new BitWriter();
  w.write(length, 32);
  w.write(8 - 1, 5);
  for (const s of [3, 4, 8, 16]) w.write(s - 1, 4);
  return w;
}

function writeRun(w: BitWriter, n: number, value: number): void {
  if (n === 1) {
    w.write(0, 1 + 2 + 3);
  } else if (n <= 8) {
    w.write(1, 1);
    w.write(0, 2);
    w.write(n - 1, 3);
  } else if (n <= 16) {
    w.write(1, 1);
    w.write(1, 2);
    w.write(n - 1, 4);
  } else if (n <= 256) {
    w.write(1, 1);
    w.write(2, 2);
    w.write(n - 1, 8);
  } else {
    let rest = n;
    // The SDK emits 65536-long runs while more than 65536 remain, then the remainder.
    while (rest > 65536) {
      w.write(1, 1);
      w.write(3, 2);
      w.write(65535, 16);
      w.write(value, 8);
      rest -= 65536;
    }
    w.write(1, 1);
    w.write(3, 2);
    w.write(rest - 1, 16);
  }
  w.write(value, 8);
}

export function encodeRle(values: ArrayLike<number>): number[] {
  const w = header(values.length);
  for (let i = 0; i < values.length;) {
    let j = i + 1;
    while (j < values.length && values[j] === values[i]) j++;
    writeRun(w, j - i, values[i]);
    i = j;
  }
  return w.finish();
}

/**
 * A one-byte-per-pixel mask (0..255) -> RLE of its RGBA expansion with every channel = the mask value,
 * as the SDK's mask2rle does; runs are found on the mask and scaled by 4, never expanding it.
 */
export function maskToRle(mask: Uint8Array): number[] {
  const w = header(mask.length * 4);
  for (let i = 0; i < mask.length;) {
    let j = i + 1;
    while (j < mask.length && mask[j] === mask[i]) j++;
    writeRun(w, (j - i) * 4, mask[i]);
    i = j;
  }
  return w.finish();
}

/** RLE of an RGBA image -> its alpha channel, one byte per pixel. */
export function rleToMask(rle: ArrayLike<number>, width: number, height: number): Uint8Array {
  const rgba = decodeRle(rle);
  const mask = new Uint8Array(width * height);
  const n = Math.min(mask.length, rgba.length >> 2);
  for (let i = 0; i < n; i++) mask[i] = rgba[i * 4 + 3];
  return mask;
}
