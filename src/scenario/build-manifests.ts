// Manifest lists (`setup:`, an action's `apply:`): inline objects, or `{file: ...}` naming a YAML file
// of one or more documents relative to the scenario file. Each object is checked by applying it to
// the scratch cluster (manifest-check.ts); its SourceRef points into the file it was written in.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KubeObject } from '../apiserver/types.js';
import { FieldReader } from './field-reader.js';
import type { ManifestChecker } from './manifest-check.js';
import { isPlainObject, type FieldPath } from './schema-check.js';
import type { ManifestEntry } from './types.js';
import { YamlSource } from './yaml-source.js';

export interface FileEnv {
  /** Absolute directory of the scenario file: references resolve against it. */
  baseDir: string;
  /** The same directory as the user named it: for messages. */
  shownDir: string;
}

/** A referenced file: its absolute path and how messages name it, or an issue when it is missing. */
export function referencedFile(reader: FieldReader, path: FieldPath, env: FileEnv, name: string): { abs: string; shown: string } | undefined {
  const abs = resolve(env.baseDir, name);
  const shown = join(env.shownDir, name);
  if (!existsSync(abs) || !statSync(abs).isFile()) return reader.fail(path, `no such file: ${shown}`);
  return { abs, shown };
}

function hasManifestShape(reader: FieldReader, path: FieldPath, value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return reader.fail(path, 'expected a Kubernetes object (apiVersion, kind, metadata, ...)') ?? false;
  const missing = ['apiVersion', 'kind', 'metadata'].filter((k) => !Object.hasOwn(value, k));
  if (missing.length > 0) return reader.fail(path, `missing required field \`${missing[0]}\``) ?? false;
  return true;
}

export function buildManifests(reader: FieldReader, path: FieldPath, items: unknown[], env: FileEnv & { checker: ManifestChecker }): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  const add = (docReader: FieldReader, at: FieldPath, value: unknown): void => {
    if (!hasManifestShape(docReader, at, value)) return;
    const stored: KubeObject | undefined = env.checker.apply({ reader: docReader, path: at }, value);
    if (stored !== undefined) out.push({ object: value as unknown as KubeObject, source: docReader.ref(at) });
  };
  items.forEach((item, i) => {
    const at = [...path, i];
    if (isPlainObject(item) && typeof item.file === 'string' && !Object.hasOwn(item, 'apiVersion')) {
      const file = referencedFile(reader, [...at, 'file'], env, item.file);
      if (file === undefined) return;
      const { sources, issues } = YamlSource.parseAll(file.shown, readFileSync(file.abs, 'utf8'));
      reader.issues.push(...issues);
      if (issues.length === 0 && sources.length === 0) reader.fail([...at, 'file'], `${file.shown} holds no manifests`);
      for (const source of sources) {
        const docReader = new FieldReader(source, { issues: reader.issues });
        const { value, issue } = source.value();
        if (issue !== undefined) reader.issues.push(issue);
        else add(docReader, [], value);
      }
      return;
    }
    add(reader, at, item);
  });
  return out;
}
