import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importDefinition } from '../src/index.ts';
import { resolveTestdata, runBetsy } from './betsy.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const testdata = resolveTestdata(repoRoot);

describe('betsy conformance', () => {
  const report = runBetsy(testdata);

  it('passes every case of the 52 core-subset models', () => {
    expect(report.failures.filter((f) => f.startsWith('CORE'))).toEqual([]);
    expect(report.core.total).toBe(107);
    expect(report.core.passed).toBe(report.core.total);
  });

  it('refuses to deploy every one of the 301 constraint-violating models', () => {
    expect(report.failures.filter((f) => f.startsWith('constraint'))).toEqual([]);
    expect(report.constraints.total).toBe(301);
    expect(report.constraints.refused).toBe(report.constraints.total);
  });
});

describe('MIWG reference models', () => {
  const dir = path.join(testdata, 'bpmn', 'miwg');
  const files = readdirSync(dir).filter((f) => f.endsWith('.bpmn'));

  it('finds all 21 models', () => {
    expect(files).toHaveLength(21);
  });

  it.each(files)('imports %s leniently, naming what it left out', (f) => {
    const r = importDefinition(readFileSync(path.join(dir, f), 'utf8'));
    expect(Object.keys(r.definition.nodes).length).toBeGreaterThan(0);
    // Every element left out is named in a warning with the element id, never silently dropped.
    for (const name of r.unsupported)
      expect(r.warnings.some((w) => w.message.includes(name) && w.path !== '')).toBe(true);
  });

  it('reports B.2.0 unsupported elements by name', () => {
    const r = importDefinition(readFileSync(path.join(dir, 'B.2.0.bpmn'), 'utf8'));
    expect(r.unsupported).toEqual(
      expect.arrayContaining(['escalationEventDefinition', 'standardLoopCharacteristics', 'linkEventDefinition']),
    );
  });
});
