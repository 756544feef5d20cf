import { describe, expect, it } from 'vitest';
import { formDataForSave, formSections, sameFormData, type MatterFormSpec } from './schema-form.ts';

// the shape of land-conversion-expropriation's form (apps/server/src/modules/matters/data/land-conversion.yaml)
const spec: MatterFormSpec = {
  schema: {
    type: 'object',
    required: ['projectName', 'batchType', 'countyDivisionCode', 'totalArea'],
    properties: {
      projectName: { type: 'string', title: '项目名称', maxLength: 200 },
      batchType: { type: 'string', title: '报件类型', enum: ['单独选址建设项目', '城市批次建设用地'] },
      countyDivisionCode: { type: 'string', title: '县级行政区划代码', pattern: '^[0-9]{6}$' },
      totalArea: { type: 'number', title: '用地总面积（公顷）', exclusiveMinimum: 0 },
      parcels: { type: 'integer', title: '地块数', minimum: 1 },
      keyProject: { type: 'boolean', title: '申请特事特办（重点项目）' },
      notes: { type: 'string', title: '说明', maxLength: 2000 },
      extra: { type: 'array', title: '附表' },
    },
  },
  layout: [
    { field: 'projectName', span: 24, section: '项目' },
    { field: 'totalArea', span: 8, section: '面积' },
    { field: 'batchType', span: 12, section: '项目' },
    { field: 'countyDivisionCode', span: 12, section: '项目' },
    { field: 'ghost', span: 8, section: '面积' },
    { field: 'keyProject', span: 40, section: '其他' },
  ],
};

describe('formSections', () => {
  const sections = formSections(spec);
  const field = (name: string) => sections.flatMap((s) => s.fields).find((f) => f.name === name);

  it('groups fields by section in layout order and appends what the layout leaves out', () => {
    expect(sections.map((s) => [s.title, s.fields.map((f) => f.name)])).toEqual([
      ['项目', ['projectName', 'batchType', 'countyDivisionCode']],
      ['面积', ['totalArea']],
      ['其他', ['keyProject']],
      [null, ['parcels', 'notes', 'extra']],
    ]);
  });

  it('picks a control per schema type and keeps the limits', () => {
    expect(field('batchType')).toMatchObject({
      kind: 'enum',
      options: ['单独选址建设项目', '城市批次建设用地'],
      required: true,
    });
    expect(field('countyDivisionCode')).toMatchObject({ kind: 'division', required: true, span: 12 });
    expect(field('totalArea')).toMatchObject({ kind: 'number', exclusiveMinimum: 0, required: true, span: 8 });
    expect(field('parcels')).toMatchObject({ kind: 'integer', minimum: 1, required: false, span: 24 });
    expect(field('keyProject')).toMatchObject({ kind: 'boolean', span: 24, label: '申请特事特办（重点项目）' });
    expect(field('projectName')).toMatchObject({ kind: 'string', maxLength: 200 });
    expect(field('notes')).toMatchObject({ kind: 'text' });
    // never silently dropped: shown as "cannot be filled in online"
    expect(field('extra')).toMatchObject({ kind: 'unsupported' });
  });
});

describe('formDataForSave', () => {
  const fields = formSections(spec).flatMap((s) => s.fields);

  it('trims strings, drops empty values and keeps fields the schema does not know', () => {
    const data = formDataForSave(
      { projectName: '  武汉某项目 ', batchType: undefined, totalArea: 1.6693, keyProject: false, notes: '   ' },
      fields,
      { legacy: 'kept', projectName: 'old' },
    );
    expect(data).toEqual({ legacy: 'kept', projectName: '武汉某项目', totalArea: 1.6693, keyProject: false });
  });

  it('compares form data field by field', () => {
    expect(sameFormData({ a: 1, b: 'x' }, { b: 'x', a: 1 })).toBe(true);
    expect(sameFormData({ a: 1 }, { a: 1, b: 'x' })).toBe(false);
    expect(sameFormData({ a: 1 }, { a: 2 })).toBe(false);
  });
});
