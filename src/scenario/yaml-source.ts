// A parsed YAML document that remembers where everything came from: the loader checks plain values
// and asks this for the line and column of a field path when it reports a problem. Syntax errors
// come back as issues with the yaml library's own position.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, visit, type Document, type Node } from 'yaml';
import type { ScenarioIssue } from './scenario-error.js';
import type { FieldPath } from './schema-check.js';

/** `faults[0].component`; keys that are not identifiers are quoted: `annotations["a/b"]`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** Longest alias expansion accepted (YAML "billion laughs" guard). */
const MAX_ALIAS_COUNT = 100;

export class YamlSource {
  readonly file: string;
  readonly #doc: Document.Parsed;
  readonly #lines: LineCounter;

  private constructor(file: string, doc: Document.Parsed, lines: LineCounter) {
    this.file = file;
    this.#doc = doc;
    this.#lines = lines;
  }

  /** One document (a scenario or bug file). */
  static parse(file: string, text: string): { source?: YamlSource; issues: ScenarioIssue[] } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const issues = syntaxIssues(file, doc, lines);
    return issues.length > 0 ? { issues } : { source: new YamlSource(file, doc, lines), issues };
  }

  /** Every document of a multi-document file (manifests); empty documents are skipped. */
  static parseAll(file: string, text: string): { sources: YamlSource[]; issues: ScenarioIssue[] } {
    const lines = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const list = Array.isArray(docs) ? docs : [];
    const issues = list.flatMap((doc) => syntaxIssues(file, doc, lines));
    if (issues.length > 0) return { sources: [], issues };
    return { sources: list.filter((doc) => doc.contents !== null).map((doc) => new YamlSource(file, doc, lines)), issues };
  }

  /** The plain value, or an issue when expanding it is refused (too many aliases). */
  value(): { value?: unknown; issue?: ScenarioIssue } {
    try {
      return { value: this.#doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
    } catch (error) {
      return { issue: { file: this.file, path: '', message: `cannot read the YAML: ${(error as Error).message}` } };
    }
  }

  /** The node at `path`, or the deepest one on the way there. With `atKey`, the key of the last step. */
  locate(path: FieldPath, options: { atKey?: boolean } = {}): { line: number; column: number } | undefined {
    let node: unknown = this.#doc.contents;
    let found: { range?: [number, number, number] | null } | undefined = node as Node | undefined;
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = node.resolve(this.#doc);
      const step = path[i];
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(step));
        if (pair === undefined) break;
        if (i === path.length - 1 && options.atKey === true && isScalar(pair.key)) {
          found = pair.key;
          break;
        }
        next = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof step === 'number') {
        next = node.items[step];
      }
      if (next === undefined || next === null) break;
      node = next;
      if ((node as Node).range) found = node as Node;
    }
    const offset = found?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = this.#lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  /** The source text of the scalar at `path` (`1.20` as written, where the value is the number 1.2). */
  scalarText(path: FieldPath): string | undefined {
    const node = this.#doc.getIn(path, true);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  }

  /** An issue at `path`; `shown` is what the message calls the path (default: the path itself). */
  issue(path: FieldPath, message: string, options: { atKey?: boolean; shown?: FieldPath } = {}): ScenarioIssue {
    const pos = this.locate(path, options);
    return { file: this.file, ...(pos ?? {}), path: formatPath(options.shown ?? path), message };
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function syntaxIssues(file: string, doc: Document.Parsed, lines: LineCounter): ScenarioIssue[] {
  const issues = doc.errors.map((error): ScenarioIssue => {
    const pos = lines.linePos(error.pos[0]);
    const message = error.message.replace(/ at line \d+, column \d+[\s\S]*$/, '');
    return { file, line: pos.line, column: pos.col, path: '', message: `YAML syntax: ${message}` };
  });
  if (issues.length > 0) return issues;
  // Keys that are lists or mappings (`? [a, b]`) have no place in Kubernetes objects or scenarios.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) || pair.key === null) return;
      const offset = (pair.key as Node).range?.[0] ?? 0;
      const pos = lines.linePos(offset);
      issues.push({ file, line: pos.line, column: pos.col, path: '', message: 'mapping keys must be plain values, not lists or mappings' });
    },
  });
  return issues;
}
