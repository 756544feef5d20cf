import {
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Typography,
  type FormInstance,
  type FormRule,
} from 'antd';
import type { CaseProblem } from '@guotu/contracts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import type { Translate } from '../../../i18n/types.ts';
import { DivisionPicker } from './DivisionPicker.tsx';
import { fieldAnchor } from './problems.ts';
import type { FormField, FormSection } from './schema-form.ts';

function rulesOf(field: FormField, t: Translate): FormRule[] {
  const rules: FormRule[] = [];
  if (field.kind === 'string' || field.kind === 'text') {
    if (field.maxLength !== null)
      rules.push({ max: field.maxLength, message: t('pc.form.maxLength', { n: field.maxLength }) });
    if (field.pattern !== null) {
      try {
        rules.push({ pattern: new RegExp(field.pattern), message: t('pc.form.pattern') });
      } catch {
        // a pattern the browser cannot read is left to the server
      }
    }
  }
  if (field.kind === 'number' || field.kind === 'integer') {
    const { exclusiveMinimum, exclusiveMaximum } = field;
    if (exclusiveMinimum !== null)
      rules.push({
        validator: (_r, v: unknown) =>
          typeof v !== 'number' || v > exclusiveMinimum
            ? Promise.resolve()
            : Promise.reject(new Error(t('pc.form.greaterThan', { n: exclusiveMinimum }))),
      });
    if (exclusiveMaximum !== null)
      rules.push({
        validator: (_r, v: unknown) =>
          typeof v !== 'number' || v < exclusiveMaximum
            ? Promise.resolve()
            : Promise.reject(new Error(t('pc.form.lessThan', { n: exclusiveMaximum }))),
      });
  }
  return rules;
}

/** The control element itself (Form.Item gives it value and onChange). */
function control(field: FormField, disabled: boolean, t: Translate) {
  switch (field.kind) {
    case 'enum':
      return (
        <Select
          disabled={disabled}
          allowClear
          placeholder={t('pc.form.choose')}
          options={field.options.map((o) => ({ value: o, label: o }))}
        />
      );
    case 'division':
      return <DivisionPicker disabled={disabled} />;
    case 'number':
    case 'integer':
      return (
        <InputNumber
          disabled={disabled}
          style={{ width: '100%' }}
          inputMode="decimal"
          min={field.minimum ?? undefined}
          max={field.maximum ?? undefined}
          precision={field.kind === 'integer' ? 0 : undefined}
        />
      );
    case 'boolean':
      return <Checkbox disabled={disabled}>{field.label}</Checkbox>;
    case 'text':
      return (
        <Input.TextArea
          disabled={disabled}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={field.maxLength ?? undefined}
        />
      );
    case 'string':
      return <Input disabled={disabled} maxLength={field.maxLength ?? undefined} />;
    case 'unsupported':
      return <Typography.Text type="secondary">{t('pc.form.unsupported')}</Typography.Text>;
  }
}

/**
 * The application form rendered from the matter's schema and layout. Problems the server reports
 * for a field are shown under it (errors red, warnings gold); the browser's rules are hints.
 */
export function CaseForm({
  form,
  sections,
  problems,
  disabled,
  onValuesChange,
  children,
}: {
  form: FormInstance<Record<string, unknown>>;
  sections: FormSection[];
  problems: Map<string, CaseProblem[]>;
  disabled: boolean;
  onValuesChange: () => void;
  /** fields of the case itself (its title) above the matter's form */
  children?: React.ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Form form={form} layout="vertical" onValuesChange={onValuesChange} data-testid="case-form" scrollToFirstError>
      {children}
      {sections.map((section, i) => (
        <Card
          key={section.title ?? `#${i}`}
          size="small"
          title={section.title ?? undefined}
          style={{ marginBottom: 12 }}
        >
          <Row gutter={16}>
            {section.fields.map((field) => {
              const mine = problems.get(field.name) ?? [];
              const error = mine.find((p) => p.severity === 'error');
              const status = error ? 'error' : mine.length > 0 ? 'warning' : undefined;
              return (
                <Col key={field.name} xs={24} md={field.span} id={fieldAnchor(field.name)}>
                  <Form.Item
                    name={field.name}
                    label={field.kind === 'boolean' ? undefined : field.label}
                    required={field.required}
                    valuePropName={field.kind === 'boolean' ? 'checked' : 'value'}
                    rules={rulesOf(field, t)}
                    validateStatus={status}
                    help={mine.length > 0 ? mine.map((p) => p.message).join('；') : undefined}
                    extra={field.description ?? undefined}
                  >
                    {control(field, disabled, t)}
                  </Form.Item>
                </Col>
              );
            })}
          </Row>
        </Card>
      ))}
    </Form>
  );
}
