import { Checkbox, Col, Descriptions, Divider, Form, Input, InputNumber, Row, Select, type FormInstance } from 'antd';
import type { CaseProblem, FormFieldSchema, MatterFormSpec } from '../../api/cases.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';

interface Section {
  name: string | undefined;
  fields: Array<{ field: string; span: number; schema: FormFieldSchema }>;
}

/** The layout's fields grouped by section, in order; fields missing from the layout come last. */
export function formSections(spec: MatterFormSpec): Section[] {
  const properties = spec.schema.properties ?? {};
  const sections: Section[] = [];
  const placed = new Set<string>();
  for (const item of spec.layout) {
    const schema = properties[item.field];
    if (!schema) continue;
    placed.add(item.field);
    let section = sections.find((s) => s.name === item.section);
    if (!section) {
      section = { name: item.section, fields: [] };
      sections.push(section);
    }
    section.fields.push({ field: item.field, span: item.span ?? 24, schema });
  }
  const rest = Object.entries(properties).filter(([field]) => !placed.has(field));
  if (rest.length > 0)
    sections.push({ name: undefined, fields: rest.map(([field, schema]) => ({ field, span: 24, schema })) });
  return sections;
}

/**
 * The control for one schema property. Form.Item injects `value`/`onChange` (or `checked`) into
 * its direct child, so they are passed on to the antd control.
 */
function FieldInput({
  schema,
  field,
  ...control
}: {
  schema: FormFieldSchema;
  field: string;
  value?: unknown;
  checked?: boolean;
  onChange?: (...args: unknown[]) => void;
  disabled?: boolean;
  id?: string;
}) {
  const testId = `form-${field}`;
  const props = control as Record<string, unknown>;
  if (schema.enum) {
    return (
      <Select
        {...props}
        allowClear
        options={schema.enum.map((value) => ({ value, label: String(value) }))}
        data-testid={testId}
      />
    );
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    return (
      <InputNumber
        {...props}
        style={{ width: '100%' }}
        min={schema.minimum}
        max={schema.maximum}
        precision={schema.type === 'integer' ? 0 : undefined}
        data-testid={testId}
      />
    );
  }
  if (schema.type === 'boolean') return <Checkbox {...props} data-testid={testId} />;
  return <Input {...props} maxLength={schema.maxLength} data-testid={testId} />;
}

/**
 * The matter's application form from its JSON Schema and layout. The browser only helps
 * (required marks, number inputs); the server's `problems` are the judge and appear on the
 * fields they name (`form.<field>`).
 */
export function CaseFormEditor({
  spec,
  form,
  problems,
  disabled,
  onValuesChange,
}: {
  spec: MatterFormSpec;
  form: FormInstance<Record<string, unknown>>;
  problems: CaseProblem[];
  disabled: boolean;
  onValuesChange?: () => void;
}) {
  const required = new Set(spec.schema.required ?? []);
  const problemOf = (field: string) => problems.filter((p) => p.path === `form.${field}`);
  return (
    <Form form={form} layout="vertical" disabled={disabled} onValuesChange={onValuesChange} data-testid="case-form">
      {formSections(spec).map((section, index) => (
        <div key={section.name ?? `rest-${index}`}>
          {section.name && <Divider orientation="left">{section.name}</Divider>}
          <Row gutter={16}>
            {section.fields.map(({ field, span, schema }) => {
              const found = problemOf(field);
              const error = found.find((p) => p.severity === 'error');
              return (
                <Col key={field} xs={24} md={span}>
                  <Form.Item
                    name={field}
                    label={schema.title ?? field}
                    required={required.has(field)}
                    valuePropName={schema.type === 'boolean' ? 'checked' : 'value'}
                    validateStatus={error ? 'error' : found.length > 0 ? 'warning' : undefined}
                    help={found.length > 0 ? found.map((p) => p.message).join('；') : undefined}
                  >
                    <FieldInput schema={schema} field={field} />
                  </Form.Item>
                </Col>
              );
            })}
          </Row>
        </div>
      ))}
    </Form>
  );
}

export function formValueText(value: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('cases.yes') : t('cases.no');
  if (typeof value === 'number') return value.toLocaleString(undefined, { maximumFractionDigits: 10 });
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The form as submitted, read-only, in the layout's sections. */
export function CaseFormView({ spec, values }: { spec: MatterFormSpec | undefined; values: Record<string, unknown> }) {
  const { t } = useI18n();
  if (!spec) {
    return (
      <Descriptions size="small" column={1} bordered data-testid="case-form-view">
        {Object.entries(values).map(([key, value]) => (
          <Descriptions.Item key={key} label={key}>
            {formValueText(value, t)}
          </Descriptions.Item>
        ))}
      </Descriptions>
    );
  }
  return (
    <div data-testid="case-form-view">
      {formSections(spec).map((section, index) => (
        <Descriptions
          key={section.name ?? `rest-${index}`}
          title={section.name}
          size="small"
          bordered
          column={{ xs: 1, md: 2, xl: 3 }}
          style={{ marginBottom: 16 }}
        >
          {section.fields.map(({ field, schema }) => (
            <Descriptions.Item key={field} label={schema.title ?? field}>
              {formValueText(values[field], t)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      ))}
    </div>
  );
}
