import { isMap, isSeq, LineCounter, parseDocument, stringify, type Document, type Node } from 'yaml';
import { AppError, type AppErrorDetail } from '@guotu/domain';
import { validateMatterSpec, type MatterSpec } from './spec.ts';

/**
 * Matter YAML: one matter (a mapping with `code`) or `matters: [ … ]`. Every problem — YAML
 * syntax or content — is reported with its line number, and nothing is imported unless the
 * whole file is right.
 */
export function parseMattersYaml(text: string): MatterSpec[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors.map((e): AppErrorDetail => ({
    line: e.linePos?.[0].line ?? lineCounter.linePos(e.pos[0]).line,
    message: `YAML: ${e.message.split('\n')[0] ?? e.message}`,
  }));
  if (syntax.length > 0)
    throw new AppError(
      'VALIDATION_FAILED',
      `the YAML is not well-formed (${syntax.length} problem(s)); nothing was imported`,
      syntax,
    );
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  let items: unknown[];
  let prefix: (string | number)[];
  if (typeof data === 'object' && data !== null && !Array.isArray(data) && 'matters' in data) {
    const list = data.matters;
    if (!Array.isArray(list) || list.length === 0)
      throw new AppError('VALIDATION_FAILED', '`matters` must be a non-empty list', [
        { path: 'matters', line: lineOf(doc, lineCounter, ['matters']), message: 'must be a non-empty list' },
      ]);
    items = list;
    prefix = ['matters'];
  } else {
    items = [data];
    prefix = [];
  }
  const problems: AppErrorDetail[] = [];
  const specs: MatterSpec[] = [];
  const codes = new Map<string, number>();
  items.forEach((item, i) => {
    const base = prefix.length > 0 ? `matters.${i}` : '';
    const result = validateMatterSpec(item, base);
    for (const p of result.problems)
      problems.push({ ...p, line: lineOf(doc, lineCounter, (p.path ?? '').split('.').filter(Boolean)) });
    if (result.spec) {
      const earlier = codes.get(result.spec.code);
      if (earlier !== undefined)
        problems.push({
          path: `${base}.code`,
          line: lineOf(doc, lineCounter, [...prefix, i, 'code']),
          message: `code ${result.spec.code} appears twice in the file (also item ${earlier})`,
        });
      codes.set(result.spec.code, i);
      specs.push(result.spec);
    }
  });
  if (problems.length > 0) {
    const first = problems[0];
    throw new AppError(
      'VALIDATION_FAILED',
      `the matter file has ${problems.length} problem(s), first on line ${first?.line ?? '?'}: ${first?.path ?? ''} ${first?.message ?? ''}; nothing was imported`,
      problems,
    );
  }
  return specs;
}

/**
 * The line of the deepest node the path reaches (a missing field points at its parent), so
 * "materials.2.formats: required" lands on the material that lacks it.
 */
function lineOf(doc: Document, counter: LineCounter, path: ReadonlyArray<string | number>): number {
  let node: unknown = doc.contents;
  let best: number | undefined = rangeLine(node, counter);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (it) => String((it.key as { value?: unknown } | null)?.value ?? it.key) === String(segment),
      );
      if (!pair) break;
      best = rangeLine(pair.key, counter) ?? best;
      node = pair.value;
      best = rangeLine(node, counter) ?? best;
    } else if (isSeq(node)) {
      const index = Number(segment);
      const child = Number.isInteger(index) ? node.items[index] : undefined;
      if (child === undefined) break;
      node = child;
      best = rangeLine(node, counter) ?? best;
    } else break;
  }
  return best ?? 1;
}

function rangeLine(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}

/** YAML for export: the same shape import reads, so export → import is a no-op. */
export function stringifyMattersYaml(specs: readonly MatterSpec[], header: string): string {
  // re-validating rebuilds each spec in field order (jsonb stores keys in its own order)
  const ordered = specs.map((s) => validateMatterSpec(s).spec ?? s);
  const body = stringify({ matters: ordered }, { lineWidth: 0, aliasDuplicateObjects: false });
  return `${header
    .split('\n')
    .map((l) => `# ${l}`)
    .join('\n')}\n${body}`;
}
