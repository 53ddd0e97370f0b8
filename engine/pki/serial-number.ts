/**
 * Serial numbers of issued certificates. cert-manager leaves the serial
 * number of its templates unset, so Go's x509.CreateCertificate (Go 1.24+)
 * picks one: 20 random bytes with the top bit cleared (so the INTEGER never
 * needs a 21st sign byte), drawn again in the unlikely case they are all
 * zero. The value is therefore positive and at most 159 bits.
 */
import { randomBytes } from 'node:crypto';

/** 20 random bytes, top bit clear, not all zero: the big-endian magnitude of the serial. */
export function randomSerialNumber(): Buffer {
  for (;;) {
    const b = randomBytes(20);
    b[0] &= 0x7f;
    if (b.some((x) => x !== 0)) return b;
  }
}

/** Lower-case hex without leading zero bytes (how `openssl x509 -serial` shows it, but lower case). */
export function serialHex(serial: Uint8Array): string {
  let i = 0;
  while (i < serial.length - 1 && serial[i] === 0) i++;
  return Buffer.from(serial.subarray(i)).toString('hex');
}
