import { useEffect, useRef, useState } from 'react';
import { Alert, Cascader, Input } from 'antd';
import { listDivisions, type DivisionOption } from '../../../api/cases-portal.ts';
import { useI18n } from '../../../i18n/I18nProvider.tsx';

interface Option {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: Option[];
}

const toOption = (d: DivisionOption): Option => ({ value: d.code, label: d.name, isLeaf: d.level === 'county' });

/**
 * Picks a county-level division (GB/T 2260) from the server's division tree: province → city →
 * county (a county directly under the province sits at the second level). The value is the
 * 6-digit code. When the division list cannot be read, the code can be typed instead (and the
 * server checks it).
 */
export function DivisionPicker({
  value,
  onChange,
  id,
  disabled,
}: {
  value?: string;
  onChange?: (code: string | undefined) => void;
  id?: string;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const [options, setOptions] = useState<Option[] | null>(null);
  const [path, setPath] = useState<string[]>([]);
  const [failed, setFailed] = useState(false);
  /** the value whose path was last looked up (found or not): looked up once */
  const resolved = useRef<string | undefined>(undefined);

  // the provinces once
  useEffect(() => {
    let live = true;
    listDivisions().then(
      (provinces) => {
        if (live) setOptions(provinces.map(toOption));
      },
      () => {
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  // a value set from outside (the saved form) is shown with its path, loading the levels it needs
  useEffect(() => {
    if (!options || !value || path[path.length - 1] === value || resolved.current === value) return;
    if (!/^[0-9]{6}$/.test(value)) return;
    resolved.current = value;
    (async () => {
      const province = options.find((p) => p.value === `${value.slice(0, 2)}0000`);
      if (!province) return;
      province.children ??= (await listDivisions(province.value)).map(toOption);
      let selected: string[] = [];
      if (province.children.some((c) => c.value === value)) selected = [province.value, value];
      else {
        const city = province.children.find((c) => c.value === `${value.slice(0, 4)}00`);
        if (city) {
          city.children ??= (await listDivisions(city.value)).map(toOption);
          if (city.children.some((c) => c.value === value)) selected = [province.value, city.value, value];
        }
      }
      // the answer is kept even when options changed meanwhile: the tree objects are shared
      setOptions((current) => (current ? [...current] : current));
      setPath(selected);
    })().catch(() => setFailed(true));
  }, [options, value, path]);

  if (failed)
    return (
      <>
        <Input
          id={id}
          value={value}
          disabled={disabled}
          maxLength={6}
          inputMode="numeric"
          placeholder={t('pc.division.typeCode')}
          onChange={(e) => onChange?.(e.target.value.trim() || undefined)}
        />
        <Alert type="warning" showIcon style={{ marginTop: 8 }} message={t('pc.division.unavailable')} />
      </>
    );

  const loadData = (selectedOptions: Option[]) => {
    const target = selectedOptions[selectedOptions.length - 1];
    if (!target || target.children) return;
    listDivisions(target.value)
      .then((children) => {
        target.children = children.map(toOption);
        setOptions((current) => (current ? [...current] : current));
      })
      .catch(() => setFailed(true));
  };

  return (
    <Cascader<Option>
      id={id}
      options={options ?? []}
      loading={options === null}
      disabled={disabled}
      value={path}
      loadData={loadData}
      placeholder={t('pc.division.pick')}
      showSearch={false}
      style={{ width: '100%' }}
      displayRender={(labels) => labels.join(' / ')}
      onChange={(selected) => {
        const codes: string[] = selected ?? [];
        setPath(codes);
        const last = codes[codes.length - 1];
        onChange?.(last && options ? last : undefined);
      }}
      data-testid="division-picker"
    />
  );
}
