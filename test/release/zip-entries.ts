/**
 * Reads a zip archive (a .vsix) from its central directory: the entries'
 * names, and the contents of one (stored or deflated), as any unzip would.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeader: number;
}

export class ZipArchive {
  private readonly data: Buffer;
  readonly entries: ZipEntry[] = [];

  constructor(file: string) {
    this.data = readFileSync(file);
    // The end-of-central-directory record: within the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
    let eocd = -1;
    for (let i = this.data.length - 22; i >= Math.max(0, this.data.length - 65_557); i--) {
      if (this.data.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${file} is not a zip archive`);
    const count = this.data.readUInt16LE(eocd + 10);
    let p = this.data.readUInt32LE(eocd + 16);
    for (let i = 0; i < count; i++) {
      if (this.data.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
      const nameLength = this.data.readUInt16LE(p + 28);
      const extraLength = this.data.readUInt16LE(p + 30);
      const commentLength = this.data.readUInt16LE(p + 32);
      this.entries.push({
        method: this.data.readUInt16LE(p + 10),
        compressedSize: this.data.readUInt32LE(p + 20),
        localHeader: this.data.readUInt32LE(p + 42),
        name: this.data.toString('utf8', p + 46, p + 46 + nameLength),
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  text(name: string): string {
    const e = this.entries.find((x) => x.name === name);
    if (!e) throw new Error(`no ${name} in the archive`);
    const h = e.localHeader;
    const start = h + 30 + this.data.readUInt16LE(h + 26) + this.data.readUInt16LE(h + 28);
    const raw = this.data.subarray(start, start + e.compressedSize);
    if (e.method === 0) return raw.toString('utf8');
    if (e.method === 8) return inflateRawSync(raw).toString('utf8');
    throw new Error(`${name}: compression method ${e.method} is not read here`);
  }
}
