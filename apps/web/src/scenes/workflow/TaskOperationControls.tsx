import { Button, Input, Popconfirm, Radio, Space } from 'antd';
import type { TaskDetail, TaskOperation } from '../../api/workflow.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { OperationModal } from './OperationModal.tsx';
import { confirmed, decisions, needsInput, type Decision, type TaskOperationsState } from './useTaskOperations.ts';

/** 同意/不同意; `large` for the phone sign-off: two 48 px halves. */
export function DecisionPicker({
  ops,
  solid = false,
  large = false,
}: {
  ops: TaskOperationsState;
  solid?: boolean;
  large?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Radio.Group
      value={ops.decision}
      onChange={(event) => ops.setDecision(event.target.value as Decision)}
      optionType="button"
      buttonStyle={solid ? 'solid' : undefined}
      size={large ? 'large' : undefined}
      style={large ? { display: 'flex' } : undefined}
      data-testid="task-decision"
    >
      {decisions.map((value) => (
        <Radio.Button
          key={value}
          value={value}
          style={large ? { flex: 1, textAlign: 'center', height: 48, lineHeight: '46px' } : undefined}
          data-testid={`decision-${value}`}
        >
          {t(`decision.${value}`)}
        </Radio.Button>
      ))}
    </Radio.Group>
  );
}

/** The opinion sent with complete and return. */
export function OpinionBox({
  ops,
  rows,
  placeholder,
  showCount = false,
  large = false,
}: {
  ops: TaskOperationsState;
  rows: number;
  placeholder: string;
  showCount?: boolean;
  large?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Input.TextArea
      value={ops.opinion}
      onChange={(event) => ops.setOpinion(event.target.value)}
      rows={rows}
      maxLength={4000}
      showCount={showCount}
      placeholder={placeholder}
      aria-label={t('tasks.opinion')}
      style={large ? { fontSize: 16 } : undefined}
      data-testid="task-opinion"
    />
  );
}

/**
 * One button per listed operation: the ones in `needsInput` open the operation's modal, the
 * `confirmed` ones ask first, the rest run at once. `large`: full-width 52 px buttons, stacked.
 */
export function OperationButtons({
  ops,
  returnTargets,
  labelOf,
  large = false,
}: {
  ops: TaskOperationsState;
  returnTargets: TaskDetail['returnTargets'];
  labelOf?: (operation: TaskOperation) => string;
  large?: boolean;
}) {
  const { t } = useI18n();
  const { busy, asking } = ops;
  return (
    <>
      <Space wrap style={large ? { width: '100%' } : undefined} direction={large ? 'vertical' : 'horizontal'}>
        {ops.operations.map((operation) => {
          const label = labelOf ? labelOf(operation) : t(`taskOperation.${operation}`);
          const props = {
            type: operation === 'complete' ? ('primary' as const) : ('default' as const),
            size: large ? ('large' as const) : undefined,
            block: large,
            style: large ? { height: 52, fontSize: 17 } : undefined,
            loading: busy === operation,
            disabled: busy !== undefined && busy !== operation,
            'data-testid': `op-${operation}`,
          };
          if (needsInput[operation]) {
            return (
              <Button key={operation} {...props} onClick={() => ops.setAsking(operation)}>
                {label}
              </Button>
            );
          }
          if (confirmed.has(operation)) {
            return (
              <Popconfirm
                key={operation}
                title={t('tasks.confirmOperation', { operation: label })}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
                onConfirm={() => void ops.run(operation)}
              >
                <Button {...props}>{label}</Button>
              </Popconfirm>
            );
          }
          return (
            <Button key={operation} {...props} onClick={() => void ops.run(operation)}>
              {label}
            </Button>
          );
        })}
      </Space>
      {asking && needsInput[asking] && (
        <OperationModal
          operation={asking}
          input={needsInput[asking]}
          returnTargets={returnTargets}
          busy={busy === asking}
          onCancel={() => ops.setAsking(undefined)}
          onSubmit={(extra) => void ops.run(asking, extra)}
        />
      )}
    </>
  );
}
