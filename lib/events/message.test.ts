import { describe, expect, it } from "vitest";
import { compactRow, packMessages, PACK_BYTES, unpackBody, utf8Bytes, type QueueMessage } from "./message";
import { shardOf } from "./shards";
import { eventRow } from "@pixel/test/support/event-row";

describe("packing one request's messages", () => {
  it("sends a lone message as itself and several as one JSON array that unpacks to them", () => {
    const [one, two] = [compactRow(eventRow({ pathname: "/a" })), compactRow(eventRow({ pathname: "/b" }))];
    expect(packMessages([one])).toEqual([JSON.stringify(one)]);
    const packed = packMessages([one, two]);
    expect(packed).toHaveLength(1);
    expect(unpackBody(packed[0])).toEqual([one, two]);
    expect(unpackBody(JSON.stringify(one))).toEqual([JSON.stringify(one)]);
  });

  it("keeps each pack within one billed queue operation (64,000 bytes) and loses no message", () => {
    const messages: QueueMessage[] = Array.from({ length: 50 }, (_, i) => compactRow(eventRow({ pathname: `/${i}`, title: "ü".repeat(1_000 + i) })));
    const packs = packMessages(messages);
    expect(packs.length).toBeGreaterThan(1);
    for (const pack of packs) expect(utf8Bytes(pack)).toBeLessThanOrEqual(PACK_BYTES);
    expect(packs.flatMap((pack) => unpackBody(pack).map((part) => (typeof part === "string" ? JSON.parse(part) : part)))).toEqual(messages);
  });

  it("counts UTF-8 bytes as the queue does", () => {
    for (const text of ["plain", "ü", "€uro", "emoji 🎉", "\u{10ffff}"]) expect(utf8Bytes(text)).toBe(new TextEncoder().encode(text).length);
  });
});

describe("shards of the hits queue", () => {
  it("puts one key always on the same shard and spreads many keys over all of them", () => {
    const keys = Array.from({ length: 4_000 }, (_, i) => String(1_000_000_007 * (i + 1)));
    expect(keys.map((key) => shardOf(key, 8))).toEqual(keys.map((key) => shardOf(key, 8)));
    const counts = Array.from({ length: 8 }, (_, shard) => keys.filter((key) => shardOf(key, 8) === shard).length);
    for (const count of counts) expect(count).toBeGreaterThan(400);
    expect(new Set(keys.map((key) => shardOf(key, 1)))).toEqual(new Set([0]));
  });
});
