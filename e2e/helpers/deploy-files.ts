import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const readRepoFile = (path: string) => readFileSync(`${repoRoot}${path}`, 'utf8');

export interface Instruction {
  op: string;
  args: string;
  /** Index of the build stage (FROM) it belongs to. */
  stage: number;
}

/** A Dockerfile's instructions: continuation lines joined, comments and the parser directive dropped. */
export function dockerInstructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  let stage = -1;
  const out: Instruction[] = [];
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    const op = m[1].toUpperCase();
    if (op === 'FROM') stage += 1;
    out.push({ op, args: m[2].replace(/\s+/g, ' ').trim(), stage });
  }
  return out;
}

/** A COPY's flags, sources and destination (shell form). */
export function copyParts(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.split(' ');
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((w) => !w.startsWith('--'));
  const dest = paths.pop() ?? '';
  return { ...(from ? { from } : {}), sources: paths, dest };
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const meaningful = (line: string) => line.trim() !== '' && !line.trim().startsWith('#');

/**
 * The lines of one block of a YAML file in block style, found by its path of keys (e.g.
 * `['services', 'node1', 'environment']`): enough of YAML for the compose file's own shape.
 */
export function yamlBlock(text: string, path: readonly string[]): string[] {
  let lines = text.split('\n');
  let indent = -1;
  for (const key of path) {
    const start = lines.findIndex(
      (l) => meaningful(l) && indentOf(l) > indent && new RegExp(`^\\s*${key}:`).test(l),
    );
    if (start < 0) return [];
    const at = indentOf(lines[start] ?? '');
    const rest = lines.slice(start + 1);
    const end = rest.findIndex((l) => meaningful(l) && indentOf(l) <= at);
    lines = end < 0 ? rest : rest.slice(0, end);
    indent = at;
  }
  return lines.filter(meaningful);
}

/** The keys of a block's first level, with their values as written. */
export function yamlEntries(block: readonly string[]): Map<string, string> {
  const first = Math.min(...block.map(indentOf));
  const entries = new Map<string, string>();
  for (const line of block) {
    const m = /^\s*([^\s:#][^:#]*):\s*(.*)$/.exec(line);
    if (indentOf(line) === first && m?.[1]) entries.set(m[1], (m[2] ?? '').replace(/^"|"$/g, ''));
  }
  return entries;
}

/** `NAME=value` lines of an env file. */
export function envFileEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1]) entries.set(m[1], m[2] ?? '');
  }
  return entries;
}

/** Every variable the server's env schema knows (packages/server/src/config/env-schema.ts). */
export function serverEnvNames(): Set<string> {
  const schema = readRepoFile('packages/server/src/config/env-schema.ts');
  const body = schema.slice(schema.indexOf('export const envSchema'));
  return new Set([...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? ''));
}
