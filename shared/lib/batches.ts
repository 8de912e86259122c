/**
 * The one batch packer: splits `items` into consecutive batches of at most `maxCount` items and,
 * with `maxBytes`, at most `maxBytes` bytes (the sum of `sizeOf` over a batch). Greedy and in
 * order: a batch closes when the next item would break a limit, so concatenating the batches
 * gives `items` back. For AWS batch APIs: PutEvents (10 entries, under 256 KB), SQS
 * SendMessageBatch (10 messages, 256 KiB), DynamoDB BatchWriteItem (25 requests), ...
 */
export interface PackOptions<T> {
  /** Most items in one batch (a positive integer). */
  maxCount: number;
  /** Most bytes in one batch, inclusive: a batch's sizes sum to at most this. */
  maxBytes?: number;
  /** An item's size in bytes, called once per item; default: the UTF-8 bytes of its JSON. */
  sizeOf?: (item: T) => number;
}

/** An item larger than `maxBytes` on its own: no batch can hold it. Filter such items first. */
export class OversizedItemError extends Error {
  override readonly name = 'OversizedItemError';
  constructor(
    readonly index: number,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`item ${index} is ${size} bytes; a batch holds at most ${maxBytes} bytes`);
  }
}

const jsonSize = (item: unknown): number => Buffer.byteLength(JSON.stringify(item) ?? 'null', 'utf8');

export function packBatches<T>(items: readonly T[], options: PackOptions<T>): T[][] {
  const { maxCount, maxBytes } = options;
  if (!Number.isInteger(maxCount) || maxCount < 1) {
    throw new RangeError(`maxCount must be a positive integer, got ${maxCount}`);
  }
  if (maxBytes !== undefined && !(maxBytes > 0)) {
    throw new RangeError(`maxBytes must be positive, got ${maxBytes}`);
  }
  const sizeOf = options.sizeOf ?? jsonSize;

  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  items.forEach((item, index) => {
    const size = maxBytes === undefined ? 0 : sizeOf(item);
    if (maxBytes !== undefined && size > maxBytes) throw new OversizedItemError(index, size, maxBytes);
    if (current.length === maxCount || (maxBytes !== undefined && bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
