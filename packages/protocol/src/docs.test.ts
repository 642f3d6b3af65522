import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as protocol from './index.js';

// docs.test.ts holds docs/protocol.md to the schemas: every ```json <schemaName> example must
// parse with that exported schema, and every code, limit and frame type must be documented.

/** An empty or truncated document must fail, not pass vacuously. */
const MIN_EXAMPLES = 30;

const docPath = fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url));
const doc = readDoc(docPath);

interface Example {
  schemaName: string;
  source: string;
  line: number;
}

const examples = extractExamples(doc);
const schemas: ReadonlyMap<string, z.ZodType> = new Map(
  Object.entries(protocol).flatMap(([name, value]): [string, z.ZodType][] =>
    value instanceof z.ZodType ? [[name, value]] : [],
  ),
);

describe('docs/protocol.md examples', () => {
  it(`contains at least ${MIN_EXAMPLES} schema-tagged JSON examples`, () => {
    expect(examples.length).toBeGreaterThanOrEqual(MIN_EXAMPLES);
  });

  it('tags every JSON block with the schema it parses with', () => {
    const untagged = doc
      .split('\n')
      .flatMap((text, i) => (/^```json\s*$/.test(text) ? [i + 1] : []));
    expect(untagged, 'lines of ```json blocks without a schema name').toEqual([]);
  });

  it.each(examples)('parses the $schemaName example at line $line', ({ schemaName, source }) => {
    const schema = schemas.get(schemaName);
    if (!schema) {
      throw new Error(`"${schemaName}" is not a schema exported by @ephemeral-chat/protocol.`);
    }
    const result = schema.safeParse(parseJson(source));
    if (!result.success)
      throw new Error(`Not a valid ${schemaName}:\n${z.prettifyError(result.error)}`);
  });

  it('gives an example of every client frame type', () => {
    const clientSchemas = new Set<z.ZodType>([
      protocol.clientFrameSchema,
      ...protocol.clientFrameSchema.options,
    ]);
    expect(frameTypesOf(clientSchemas)).toEqual([...protocol.clientFrameTypes].sort());
  });

  it('gives an example of every server frame type', () => {
    const serverSchemas = new Set<z.ZodType>([
      protocol.serverFrameSchema,
      ...protocol.serverFrameSchema.options,
    ]);
    const serverTypes = protocol.serverFrameSchema.options.map((o) => o.shape.type.value);
    expect(frameTypesOf(serverSchemas)).toEqual(serverTypes.sort());
  });

  it('keeps expiresAt = createdAt + ttl in every message it shows', () => {
    const messages = examples.flatMap((e) => messagesIn(parseJson(e.source)));
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m.expiresAt).toBe(m.createdAt + m.ttl);
  });
});

describe('docs/protocol.md tables', () => {
  it.each(Object.entries(protocol.errorCodes))(
    'lists error code %s with its HTTP status',
    (code, { status }) => {
      expectRow(`\`${code}\``, String(status));
    },
  );

  it.each(Object.entries(protocol.closeCodes))(
    'lists close code %s with its number and reconnect advice',
    (name, { code, final }) => {
      expectRow(`\`${name}\``, String(code), final ? 'no' : 'yes');
    },
  );

  it.each(Object.entries(protocol.limits))('lists the limit %s with its value', (name, value) => {
    expectRow(`\`${name}\``, String(value));
  });

  it.each(Object.entries(protocol.expiry))(
    'lists the expiry bound %s with its value',
    (name, value) => {
      expectRow(`\`${name}\``, String(value));
    },
  );

  it.each(protocol.ttlChoices.map((c) => [c.label, c.ttl] as const))(
    'offers the TTL choice %s as %i ms',
    (label, ttl) => {
      expectRow(label, String(ttl));
    },
  );

  it('names every client frame type', () => {
    const missing = protocol.clientFrameTypes.filter((t) => !doc.includes(`\`${t}\``));
    expect(missing, 'client frame types the document never names').toEqual([]);
  });
});

function readDoc(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new Error(`Cannot read the protocol document at ${path}.`, { cause });
  }
}

/** Every fenced block opened with ```json <schemaName>, with the line its JSON starts on. */
function extractExamples(markdown: string): Example[] {
  const fence = /^```json[ \t]+(\S+)[ \t]*\r?\n([\s\S]*?)^```[ \t]*$/gm;
  return [...markdown.matchAll(fence)].map((m) => ({
    schemaName: m[1] ?? '',
    source: m[2] ?? '',
    line: markdown.slice(0, m.index).split('\n').length + 1,
  }));
}

function parseJson(source: string): unknown {
  try {
    return JSON.parse(source);
  } catch (cause) {
    throw new Error(`Not valid JSON:\n${source}`, { cause });
  }
}

/** The frame `type`s, sorted, of the examples checked against one of these schemas. */
function frameTypesOf(frameSchemas: ReadonlySet<z.ZodType>): string[] {
  const types = new Set<string>();
  for (const e of examples) {
    const schema = schemas.get(e.schemaName);
    if (!schema || !frameSchemas.has(schema)) continue;
    const parsed = z.object({ type: z.string() }).safeParse(parseJson(e.source));
    if (parsed.success) types.add(parsed.data.type);
  }
  return [...types].sort();
}

/** Every value nested in `value` that is a message. */
function messagesIn(value: unknown): protocol.Message[] {
  const message = protocol.messageSchema.safeParse(value);
  if (message.success) return [message.data];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(messagesIn);
}

/** Asserts a Markdown table row that starts with these cells. */
function expectRow(...cells: string[]): void {
  const start = `| ${cells.join(' | ')} |`;
  const found = doc.split('\n').some((line) => line.startsWith(start));
  expect(found, `docs/protocol.md has no table row starting "${start}"`).toBe(true);
}
