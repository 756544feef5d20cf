import type { MatterMaterial, MatterSpec } from './spec.ts';

/**
 * Completeness of a submission against a matter version's material list (收件 / 补正): pure, for
 * the case module. Every required material must have at least one file, and every file must be
 * of a format its material accepts — the type detected from the bytes by the blob store, never
 * the name. The result is the one complete list a 补正通知书 needs (行政许可法 §32 ¶1(四)).
 */

export interface SubmittedFile {
  materialKey: string;
  /** detected type of the blob (BlobRef.type) */
  type: string;
  originalName: string;
}

export type MaterialProblem =
  | { kind: 'missing'; materialKey: string; name: string }
  | { kind: 'wrongType'; materialKey: string; name: string; originalName: string; type: string; accepted: string[] }
  | { kind: 'unknownMaterial'; materialKey: string; originalName: string };

export function checkSubmissionMaterials(
  spec: Pick<MatterSpec, 'materials'>,
  files: readonly SubmittedFile[],
): MaterialProblem[] {
  const byKey = new Map<string, MatterMaterial>(spec.materials.map((m) => [m.key, m]));
  const problems: MaterialProblem[] = [];
  for (const file of files) {
    const material = byKey.get(file.materialKey);
    if (!material) {
      problems.push({ kind: 'unknownMaterial', materialKey: file.materialKey, originalName: file.originalName });
      continue;
    }
    if (!(material.formats as readonly string[]).includes(file.type)) {
      problems.push({
        kind: 'wrongType',
        materialKey: material.key,
        name: material.name,
        originalName: file.originalName,
        type: file.type,
        accepted: [...material.formats],
      });
    }
  }
  for (const material of spec.materials) {
    if (material.required && !files.some((f) => f.materialKey === material.key))
      problems.push({ kind: 'missing', materialKey: material.key, name: material.name });
  }
  return problems;
}
