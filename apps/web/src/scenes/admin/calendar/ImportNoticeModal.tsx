import { useState } from 'react';
import { Alert, App, Form, Input, InputNumber, Modal, Typography } from 'antd';
import type { AppErrorDetail } from '@guotu/domain';
import { ApiError } from '../../../api/client.ts';
import { importCalendarNotice } from '../../../api/calendar.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';
import { errorText } from '../../../lib/error-text.ts';

interface Props {
  open: boolean;
  defaultYear: number;
  onClose: () => void;
  onImported: (year: number) => void;
}

// The text form the server parses (packages/domain/src/calendar/notice-import.ts); JSON works too.
const example = [
  'year: 2027',
  'notice: 国办发明电〔2026〕N号',
  'published: 2026-11-05',
  'holiday: 2027-01-01..2027-01-03 元旦',
  'makeup: 2027-02-13 春节',
].join('\n');

/**
 * Import a year's State Council holiday notice. The server checks it and answers every problem
 * at once (line numbers for the text form, paths for JSON); they are listed under the text.
 */
export function ImportNoticeModal({ open, defaultYear, onClose, onImported }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [year, setYear] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<readonly AppErrorDetail[]>([]);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const target = year ?? defaultYear;

  async function submit() {
    setSaving(true);
    setProblems([]);
    setFailure(undefined);
    try {
      const result = await importCalendarNotice(target, text);
      void message.success(
        t('calendar.imported', {
          year: result.year,
          recomputed: result.recomputedClocks,
          changed: result.changedClocks,
        }),
      );
      setText('');
      setYear(null);
      onImported(result.year);
    } catch (error) {
      setFailure(errorText(error, t));
      if (error instanceof ApiError) setProblems(error.details);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t('calendar.importTitle')}
      okText={t('calendar.importSubmit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: text.trim() === '', 'data-testid': 'import-submit' }}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
      width={640}
      data-testid="import-modal"
    >
      <Typography.Paragraph type="secondary">{t('calendar.importHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('calendar.year')}>
          <InputNumber
            min={1990}
            max={2200}
            value={target}
            onChange={(value) => setYear(value)}
            data-testid="import-year"
          />
        </Form.Item>
        <Form.Item label={t('calendar.importText')}>
          <Input.TextArea
            value={text}
            onChange={(event) => setText(event.target.value)}
            rows={10}
            placeholder={example}
            spellCheck={false}
            style={{ fontFamily: 'monospace' }}
            data-testid="import-text"
          />
        </Form.Item>
      </Form>
      {failure && (
        <Alert
          type="error"
          showIcon
          message={failure}
          data-testid="import-errors"
          description={
            problems.length > 0 && (
              <ul className="guotu-problems">
                {problems.map((problem, index) => (
                  <li key={index}>
                    {problem.line !== undefined
                      ? t('calendar.problemLine', { line: problem.line })
                      : problem.path
                        ? t('calendar.problemPath', { path: problem.path })
                        : null}
                    {problem.message}
                  </li>
                ))}
              </ul>
            )
          }
        />
      )}
    </Modal>
  );
}
