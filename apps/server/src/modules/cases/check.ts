import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { CaseParcel, CaseProblem } from '@guotu/contracts';
import { checkSubmissionMaterials, type SubmittedFile } from '../matters/materials-check.ts';
import type { MatterSpec } from '../matters/spec.ts';

/**
 * The pre-submission check of a case (pure): the form against the matter's JSON Schema, the
 * materials against its list (type by content), and the boundary coordinate file — its errors
 * with line numbers, and its area against the area declared in the form. Every problem at once:
 * the applicant sees all of them before submitting; errors block submission, warnings do not.
 * Messages are for the applicant (zh-CN); `code` and `path` are for programs.
 */

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

function validatorOf(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(key, v);
  }
  return v;
}

function titleOf(spec: Pick<MatterSpec, 'form'>, field: string): string {
  const props = (spec.form.schema.properties ?? {}) as Record<string, { title?: unknown }>;
  const title = props[field]?.title;
  return typeof title === 'string' ? title : field;
}

function formMessage(spec: Pick<MatterSpec, 'form'>, e: ErrorObject, field: string): string {
  const t = `“${titleOf(spec, field)}”`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${t}为必填项`;
    case 'type':
      return `${t}的类型不正确（应为${String(p.type)}）`;
    case 'enum':
      return `${t}须为以下之一：${(p.allowedValues as unknown[]).map(String).join('、')}`;
    case 'pattern':
      return `${t}的格式不正确`;
    case 'maxLength':
      return `${t}最多${String(p.limit)}个字符`;
    case 'minimum':
      return `${t}不得小于${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `${t}须大于${String(p.limit)}`;
    case 'maximum':
      return `${t}不得大于${String(p.limit)}`;
    case 'additionalProperties':
      return `表单中有未定义的项“${String(p.additionalProperty)}”`;
    default:
      return `${t}：${e.message ?? '不符合要求'}`;
  }
}

export function formProblems(spec: Pick<MatterSpec, 'form'>, form: Record<string, unknown>): CaseProblem[] {
  const validate = validatorOf(spec.form.schema);
  if (validate(form)) return [];
  return (validate.errors ?? []).map((e) => {
    const field =
      e.keyword === 'required'
        ? String((e.params as { missingProperty: string }).missingProperty)
        : e.instancePath.replace(/^\//, '').split('/')[0] ||
          String((e.params as { additionalProperty?: string }).additionalProperty ?? '');
    return {
      code: `FORM_${e.keyword.toUpperCase()}`,
      message: formMessage(spec, e, field),
      path: `form.${field}`,
      severity: 'error' as const,
    };
  });
}

export function materialProblems(spec: Pick<MatterSpec, 'materials'>, files: readonly SubmittedFile[]): CaseProblem[] {
  return checkSubmissionMaterials(spec, files).map((p): CaseProblem => {
    switch (p.kind) {
      case 'missing':
        return {
          code: 'MATERIAL_MISSING',
          message: `缺少必需材料“${p.name}”`,
          path: `materials.${p.materialKey}`,
          materialKey: p.materialKey,
          severity: 'error',
        };
      case 'wrongType':
        return {
          code: 'MATERIAL_WRONG_TYPE',
          message: `“${p.name}”的文件“${p.originalName}”按内容识别为 ${p.type}，本材料只接受 ${p.accepted.join('、')}`,
          path: `materials.${p.materialKey}`,
          materialKey: p.materialKey,
          severity: 'error',
        };
      case 'unknownMaterial':
        return {
          code: 'MATERIAL_UNKNOWN',
          message: `文件“${p.originalName}”不属于本事项的任何材料`,
          path: `materials.${p.materialKey}`,
          materialKey: p.materialKey,
          severity: 'error',
        };
    }
  });
}

/** The material that carries the boundary coordinate file (界址点坐标文件), if the matter has one. */
export function coordinateMaterial(spec: Pick<MatterSpec, 'materials'>): string | undefined {
  return spec.materials.find((m) => m.formats.includes('coordinates'))?.key;
}

/** The form field holding the total area in hectares, by convention `totalArea`. */
export const AREA_FIELD = 'totalArea';

/**
 * Area tolerance between the coordinate file and the form: 0.5 % of the computed area, at least
 * 1 m² (the form states hectares to four decimals = 1 m²).
 */
export function areaToleranceM2(computedM2: number): number {
  return Math.max(1, computedM2 * 0.005);
}

export function parcelProblems(
  spec: Pick<MatterSpec, 'materials' | 'form'>,
  form: Record<string, unknown>,
  parcel: CaseParcel | null,
  hasCoordinateFile: boolean,
): CaseProblem[] {
  const key = coordinateMaterial(spec);
  if (!key || !hasCoordinateFile || !parcel) return [];
  const problems: CaseProblem[] = [];
  for (const e of parcel.errors)
    problems.push({
      code: `COORDINATES_${e.code}`,
      message: `界址点坐标文件${e.line !== null ? `第${e.line}行` : ''}：${e.message}`,
      path: `materials.${key}`,
      materialKey: key,
      ...(e.line !== null ? { line: e.line } : {}),
      severity: 'error',
    });
  for (const w of parcel.warnings)
    problems.push({
      code: `COORDINATES_${w.code}`,
      message: `界址点坐标文件${w.line !== null ? `第${w.line}行` : ''}：${w.message}`,
      path: `materials.${key}`,
      materialKey: key,
      ...(w.line !== null ? { line: w.line } : {}),
      severity: 'warning',
    });
  const declared = form[AREA_FIELD];
  if (parcel.errors.length === 0 && typeof declared === 'number' && parcel.totalAreaM2 > 0) {
    const declaredM2 = declared * 10_000;
    const difference = declaredM2 - parcel.totalAreaM2;
    if (Math.abs(difference) > areaToleranceM2(parcel.totalAreaM2))
      problems.push({
        code: 'AREA_MISMATCH',
        message: `表单“${titleOf(spec, AREA_FIELD)}”为${declared}公顷，坐标文件计算面积为${(parcel.totalAreaM2 / 10_000).toFixed(4)}公顷，相差${Math.abs(difference).toFixed(1)}平方米，超出允许误差`,
        path: `form.${AREA_FIELD}`,
        severity: 'error',
      });
  }
  return problems;
}
