import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '@guotu/domain';
import { shippedMatterFiles } from './seed.ts';
import { parseMattersYaml, stringifyMattersYaml } from './yaml.ts';

const land = readFileSync(path.join(import.meta.dirname, 'data/land-conversion.yaml'), 'utf8');

function problemsOf(text: string): AppError {
  try {
    parseMattersYaml(text);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected the YAML to be refused');
}

describe('matter YAML', () => {
  it('reads every shipped file and writes it back unchanged', () => {
    for (const file of shippedMatterFiles()) {
      const specs = parseMattersYaml(readFileSync(file, 'utf8'));
      expect(parseMattersYaml(stringifyMattersYaml(specs, 'test'))).toEqual(specs);
    }
  });

  it('requires the boundary coordinate file for 农用地转用和土地征收审批', () => {
    const [spec] = parseMattersYaml(land);
    expect(spec?.materials.find((m) => m.key === 'boundaryCoordinates')).toMatchObject({
      required: true,
      formats: ['coordinates'],
    });
    expect(spec?.submissionPath).toEqual(['county', 'city', 'province']);
  });

  it('names the line of a missing field, an unknown field and a duplicate material key', () => {
    const text = land
      .replace('  - key: conversionPlan\n', '  - key: submissionStatement\n')
      .replace('expedite: true\n', 'expedite: true\nexpidite: false\n')
      .replace('    name: 勘测定界界址点坐标文件（电子报盘）\n', '');
    const error = problemsOf(text);
    const lines = text.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'materials.2.key',
          line: lines.indexOf('  - key: submissionStatement', lineOf('key: submissionStatement')) + 1,
        }),
        expect.objectContaining({ path: 'expidite', line: lineOf('expidite') }),
        expect.objectContaining({ path: 'materials.6.name', line: lineOf('key: boundaryCoordinates') }),
      ]),
    );
  });

  it('refuses a form layout naming a field the schema lacks, and expedite without its limit', () => {
    const text = land
      .replace('    - { field: keyProject, span: 24, section: 其他 }', '    - { field: keyProjects, span: 24 }')
      .replace('  expedite: promised.keyProject\n', '');
    const paths = problemsOf(text).details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['form.layout.9.field', 'limits.expedite']));
  });

  it('reports YAML syntax errors with their line', () => {
    const error = problemsOf('code: a1\nname: x\nname: y\n');
    expect(error.details[0]?.line).toBe(3);
  });
});
