import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSubmissionMaterials } from './materials-check.ts';
import { parseMattersYaml } from './yaml.ts';

const [land] = parseMattersYaml(readFileSync(path.join(import.meta.dirname, 'data/land-conversion.yaml'), 'utf8'));
if (!land) throw new Error('no land conversion matter');
const required = land.materials.filter((m) => m.required);

describe('materials of a submission', () => {
  it('passes when every required material has a file of an accepted type', () => {
    const files = required.map((m) => ({
      materialKey: m.key,
      type: m.formats[0] ?? 'pdf',
      originalName: `${m.key}.bin`,
    }));
    expect(checkSubmissionMaterials(land, files)).toEqual([]);
  });

  it('lists every missing required material and a PNG given as the coordinate file, in one list', () => {
    const files = [
      { materialKey: 'reportLetter', type: 'pdf', originalName: '请示.pdf' },
      { materialKey: 'boundaryCoordinates', type: 'png', originalName: '坐标.txt' },
      { materialKey: 'noSuch', type: 'pdf', originalName: 'x.pdf' },
    ];
    const problems = checkSubmissionMaterials(land, files);
    expect(problems.filter((p) => p.kind === 'missing').map((p) => p.materialKey)).toEqual(
      required.map((m) => m.key).filter((k) => k !== 'reportLetter' && k !== 'boundaryCoordinates'),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        kind: 'wrongType',
        materialKey: 'boundaryCoordinates',
        type: 'png',
        accepted: ['coordinates'],
      }),
    );
    expect(problems).toContainEqual({ kind: 'unknownMaterial', materialKey: 'noSuch', originalName: 'x.pdf' });
  });
});
