import { Form, Input, Select, Typography } from 'antd';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import type { DiagramElement, Modeling } from './modeler-types.ts';

// guotu: attributes of a user task (docs/engine.md); the server validates them on deploy.
const userTaskAttributes = [
  ['guotu:candidateRoles', 'definitions.attr.candidateRoles'],
  ['guotu:assignee', 'definitions.attr.assignee'],
  ['guotu:formKey', 'definitions.attr.formKey'],
  ['guotu:timeLimit', 'definitions.attr.timeLimit'],
] as const;

/**
 * The selected element's name and, for a user task, its guotu: attributes. Every change goes
 * through bpmn-js `modeling.updateProperties`, so undo/redo and the exported XML follow.
 */
export function ElementProperties({ element, modeling }: { element: DiagramElement | undefined; modeling: Modeling }) {
  const { t } = useI18n();
  if (!element) return <Typography.Text type="secondary">{t('definitions.selectElement')}</Typography.Text>;
  const bo = element.businessObject;
  const value = (name: string) => {
    const current = bo.get(name);
    return typeof current === 'string' ? current : '';
  };
  const update = (name: string, next: string) =>
    modeling.updateProperties(element, { [name]: next === '' ? undefined : next });
  const isUserTask = bo.$type === 'bpmn:UserTask';

  return (
    <Form layout="vertical" size="small" key={element.id} data-testid="element-properties">
      <Typography.Paragraph type="secondary">
        {bo.$type.replace('bpmn:', '')} · <Typography.Text code>{element.id}</Typography.Text>
      </Typography.Paragraph>
      <Form.Item label={t('definitions.elementName')}>
        <Input defaultValue={bo.name ?? ''} onBlur={(event) => update('name', event.target.value.trim())} />
      </Form.Item>
      {isUserTask &&
        userTaskAttributes.map(([name, label]) => (
          <Form.Item key={name} label={t(label)}>
            <Input defaultValue={value(name)} onBlur={(event) => update(name, event.target.value.trim())} />
          </Form.Item>
        ))}
      {isUserTask && (
        <Form.Item label={t('definitions.attr.calendar')}>
          <Select
            defaultValue={value('guotu:calendar')}
            onChange={(next: string) => update('guotu:calendar', next)}
            options={[
              { value: '', label: t('definitions.calendar.natural') },
              { value: 'workday', label: t('definitions.calendar.workday') },
            ]}
          />
        </Form.Item>
      )}
    </Form>
  );
}
