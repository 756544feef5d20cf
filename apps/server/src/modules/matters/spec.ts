import type { AppErrorDetail } from '@guotu/domain';

/**
 * A matter (事项) as data: what the YAML holds, what a version stores, what the portal publishes.
 * Validation here is pure (no database); rule keys and process keys are checked against the
 * database by the service. Paths in problems are dotted (`materials.2.formats.0`), so the YAML
 * layer can turn them into line numbers.
 */

export const matterCategories = [
  '行政许可',
  '行政确认',
  '行政征收',
  '行政裁决',
  '行政给付',
  '行政奖励',
  '公共服务',
  '其他行政权力',
] as const;
export type MatterCategory = (typeof matterCategories)[number];

export const matterLevels = ['province', 'city', 'county'] as const;
export type MatterLevel = (typeof matterLevels)[number];

/** Electronic formats a material may be submitted in; the same names the blob sniffer detects. */
export const materialFormats = ['pdf', 'ofd', 'jpeg', 'png', 'tiff', 'zip', 'docx', 'text', 'coordinates'] as const;
export type MaterialFormat = (typeof materialFormats)[number];

export const materialForms = ['original', 'copy', 'originalAndCopy', 'electronic'] as const;
export type MaterialForm = (typeof materialForms)[number];

export interface MatterMaterial {
  /** stable id inside the matter (a case's attachments point at it) */
  key: string;
  name: string;
  required: boolean;
  /** 原件 / 复印件 / 原件和复印件 / 电子文件 */
  form: MaterialForm;
  copies?: number;
  formats: MaterialFormat[];
  /** a template or sample (name or URL) */
  template?: string;
  notes?: string;
  /** where the requirement comes from (regulation and article, or the service guide) */
  source?: string;
}

export interface MatterSpec {
  code: string;
  name: string;
  category: MatterCategory;
  /** implementing levels (实施层级) */
  levels: MatterLevel[];
  /** remote submission path, lowest tier first (县 → 市 → 省), when the matter is submitted up */
  submissionPath?: MatterLevel[];
  /** the organ that decides (决定机关) */
  decidingOrgan: string;
  basis: Array<{ law: string; article: string; text?: string }>;
  conditions: string[];
  materials: MatterMaterial[];
  form: { schema: Record<string, unknown>; layout: Array<{ field: string; span?: number; section?: string }> };
  fees: { charged: boolean; items: Array<{ name: string; basis: string; amount: string }>; notes?: string };
  /** keys of the time-limit rule table (time_limit_rules); promised/expedite optional */
  limits: { statutory: string; promised?: string; expedite?: string };
  /** BPMN process definition key (deployed through the workflow module) */
  processKey: string;
  /** 特事特办 allowed */
  expedite: boolean;
  /** what the portal shows besides the guide */
  publicity: { guide: boolean; progress: boolean; result: boolean };
  supervision: { office: string; phone: string; address?: string; email?: string };
  consultation?: { phone: string; address?: string };
  /** where this guide comes from; `verified: false` = not checked against the official text */
  sources: Array<{ title: string; documentNumber?: string; verified: boolean; url?: string }>;
}

export const MATTER_CODE = /^[A-Za-z][A-Za-z0-9._-]{1,63}$/;

type Problems = AppErrorDetail[];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  readonly problems: Problems = [];
  constructor(private readonly base: string) {}

  path(p: string): string {
    return this.base ? `${this.base}.${p}` : p;
  }
  fail(p: string, message: string): void {
    this.problems.push({ path: this.path(p), message });
  }
  text(
    o: Record<string, unknown>,
    key: string,
    p: string,
    opts: { optional?: boolean; max?: number } = {},
  ): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (!opts.optional) this.fail(p, 'required');
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      this.fail(p, 'must be a non-empty text');
      return undefined;
    }
    if (v.length > (opts.max ?? 4000)) this.fail(p, `at most ${opts.max ?? 4000} characters`);
    return v;
  }
  bool(o: Record<string, unknown>, key: string, p: string, fallback?: boolean): boolean {
    const v = o[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.fail(p, 'must be true or false');
      return false;
    }
    return v;
  }
  oneOf<T extends string>(v: unknown, allowed: readonly T[], p: string): T | undefined {
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    this.fail(p, `must be one of ${allowed.join(', ')}`);
    return undefined;
  }
  list(o: Record<string, unknown>, key: string, p: string, opts: { min?: number; optional?: boolean } = {}): unknown[] {
    const v = o[key];
    if (v === undefined && opts.optional) return [];
    if (!Array.isArray(v)) {
      this.fail(p, 'must be a list');
      return [];
    }
    if (v.length < (opts.min ?? 0)) this.fail(p, `needs at least ${opts.min ?? 0} item(s)`);
    return v;
  }
  object(o: Record<string, unknown>, key: string, p: string, optional = false): Record<string, unknown> | undefined {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (!isObject(v)) {
      this.fail(p, 'must be a mapping');
      return undefined;
    }
    return v;
  }
  unknownKeys(o: Record<string, unknown>, allowed: readonly string[], p: string): void {
    for (const k of Object.keys(o))
      if (!allowed.includes(k)) this.fail(p ? `${p}.${k}` : k, `unknown field "${k}"; allowed: ${allowed.join(', ')}`);
  }
}

const topKeys = [
  'code',
  'name',
  'category',
  'levels',
  'submissionPath',
  'decidingOrgan',
  'basis',
  'conditions',
  'materials',
  'form',
  'fees',
  'limits',
  'processKey',
  'expedite',
  'publicity',
  'supervision',
  'consultation',
  'sources',
] as const;

/**
 * Checks one matter and returns it typed, or every problem found (paths relative to `base`).
 * Unknown fields are refused: a typo must not silently drop a material requirement.
 */
export function validateMatterSpec(
  input: unknown,
  base = '',
): { spec: MatterSpec; problems: [] } | { spec: null; problems: Problems } {
  const c = new Checker(base);
  if (!isObject(input)) {
    c.fail('', 'a matter must be a mapping');
    return { spec: null, problems: c.problems };
  }
  c.unknownKeys(input, topKeys, '');
  const code = c.text(input, 'code', 'code', { max: 64 });
  if (code !== undefined && !MATTER_CODE.test(code))
    c.fail('code', 'a letter, then letters, digits, . _ - (2–64 characters)');
  const name = c.text(input, 'name', 'name', { max: 200 });
  const category = c.oneOf(input.category, matterCategories, 'category');
  const levels = c.list(input, 'levels', 'levels', { min: 1 }).map((v, i) => c.oneOf(v, matterLevels, `levels.${i}`));
  const submissionPath = c
    .list(input, 'submissionPath', 'submissionPath', { optional: true })
    .map((v, i) => c.oneOf(v, matterLevels, `submissionPath.${i}`));
  const decidingOrgan = c.text(input, 'decidingOrgan', 'decidingOrgan', { max: 200 });

  const basis = c.list(input, 'basis', 'basis', { min: 1 }).map((item, i) => {
    if (!isObject(item)) return c.fail(`basis.${i}`, 'must be a mapping with law and article');
    c.unknownKeys(item, ['law', 'article', 'text'], `basis.${i}`);
    const law = c.text(item, 'law', `basis.${i}.law`);
    const article = c.text(item, 'article', `basis.${i}.article`);
    const text = c.text(item, 'text', `basis.${i}.text`, { optional: true });
    return { law: law ?? '', article: article ?? '', ...(text ? { text } : {}) };
  });
  const conditions = c.list(input, 'conditions', 'conditions', { min: 1 }).map((v, i) => {
    if (typeof v !== 'string' || v.trim() === '') c.fail(`conditions.${i}`, 'must be a non-empty text');
    return String(v);
  });
  const materials = validateMaterials(c, input);
  const form = validateForm(c, input);
  const fees = validateFees(c, input);

  const limitsObj = c.object(input, 'limits', 'limits');
  let limits: MatterSpec['limits'] = { statutory: '' };
  if (limitsObj) {
    c.unknownKeys(limitsObj, ['statutory', 'promised', 'expedite'], 'limits');
    const promised = c.text(limitsObj, 'promised', 'limits.promised', { optional: true });
    const expedite = c.text(limitsObj, 'expedite', 'limits.expedite', { optional: true });
    limits = {
      statutory: c.text(limitsObj, 'statutory', 'limits.statutory') ?? '',
      ...(promised ? { promised } : {}),
      ...(expedite ? { expedite } : {}),
    };
  }
  const processKey = c.text(input, 'processKey', 'processKey', { max: 64 });
  const expedite = c.bool(input, 'expedite', 'expedite', false);
  if (expedite && limitsObj && !limits.expedite)
    c.fail('limits.expedite', 'required when expedite is true (the 特事特办 limit, e.g. promised.keyProject)');

  const pub = c.object(input, 'publicity', 'publicity', true);
  if (pub) c.unknownKeys(pub, ['guide', 'progress', 'result'], 'publicity');
  const publicity = pub
    ? {
        guide: c.bool(pub, 'guide', 'publicity.guide', true),
        progress: c.bool(pub, 'progress', 'publicity.progress', true),
        result: c.bool(pub, 'result', 'publicity.result', true),
      }
    : { guide: true, progress: true, result: true };

  const sup = c.object(input, 'supervision', 'supervision');
  let supervision: MatterSpec['supervision'] = { office: '', phone: '' };
  if (sup) {
    c.unknownKeys(sup, ['office', 'phone', 'address', 'email'], 'supervision');
    const address = c.text(sup, 'address', 'supervision.address', { optional: true });
    const email = c.text(sup, 'email', 'supervision.email', { optional: true });
    supervision = {
      office: c.text(sup, 'office', 'supervision.office') ?? '',
      phone: c.text(sup, 'phone', 'supervision.phone') ?? '',
      ...(address ? { address } : {}),
      ...(email ? { email } : {}),
    };
  }
  const cons = c.object(input, 'consultation', 'consultation', true);
  let consultation: MatterSpec['consultation'];
  if (cons) {
    c.unknownKeys(cons, ['phone', 'address'], 'consultation');
    const address = c.text(cons, 'address', 'consultation.address', { optional: true });
    consultation = { phone: c.text(cons, 'phone', 'consultation.phone') ?? '', ...(address ? { address } : {}) };
  }
  const sources = c.list(input, 'sources', 'sources', { min: 1 }).map((item, i) => {
    const p = `sources.${i}`;
    if (!isObject(item)) return c.fail(p, 'must be a mapping with title and verified');
    c.unknownKeys(item, ['title', 'documentNumber', 'verified', 'url'], p);
    const documentNumber = c.text(item, 'documentNumber', `${p}.documentNumber`, { optional: true });
    const url = c.text(item, 'url', `${p}.url`, { optional: true });
    return {
      title: c.text(item, 'title', `${p}.title`) ?? '',
      verified: c.bool(item, 'verified', `${p}.verified`),
      ...(documentNumber ? { documentNumber } : {}),
      ...(url ? { url } : {}),
    };
  });

  if (c.problems.length > 0) return { spec: null, problems: c.problems };
  const spec: MatterSpec = {
    code: code ?? '',
    name: name ?? '',
    category: category ?? '行政许可',
    levels: levels.filter((l): l is MatterLevel => l !== undefined),
    ...(submissionPath.length > 0
      ? { submissionPath: submissionPath.filter((l): l is MatterLevel => l !== undefined) }
      : {}),
    decidingOrgan: decidingOrgan ?? '',
    basis: basis.filter((b) => b !== undefined),
    conditions,
    materials,
    form,
    fees,
    limits,
    processKey: processKey ?? '',
    expedite,
    publicity,
    supervision,
    ...(consultation ? { consultation } : {}),
    sources: sources.filter((s) => s !== undefined),
  };
  return { spec, problems: [] };
}

function validateMaterials(c: Checker, input: Record<string, unknown>): MatterMaterial[] {
  const seen = new Set<string>();
  const out: MatterMaterial[] = [];
  c.list(input, 'materials', 'materials', { min: 1 }).forEach((item, i) => {
    const p = `materials.${i}`;
    if (!isObject(item)) return c.fail(p, 'must be a mapping');
    c.unknownKeys(item, ['key', 'name', 'required', 'form', 'copies', 'formats', 'template', 'notes', 'source'], p);
    const key = c.text(item, 'key', `${p}.key`, { max: 64 });
    if (key !== undefined) {
      if (!/^[a-z][a-zA-Z0-9_-]*$/.test(key)) c.fail(`${p}.key`, 'a lower-case letter, then letters, digits, _ -');
      if (seen.has(key)) c.fail(`${p}.key`, `"${key}" is used by another material`);
      seen.add(key);
    }
    const name = c.text(item, 'name', `${p}.name`, { max: 300 });
    const required = c.bool(item, 'required', `${p}.required`);
    const form = c.oneOf(item.form, materialForms, `${p}.form`);
    const copies = item.copies;
    if (copies !== undefined && (!Number.isInteger(copies) || (copies as number) < 1 || (copies as number) > 100))
      c.fail(`${p}.copies`, 'a whole number 1–100');
    const formats = c
      .list(item, 'formats', `${p}.formats`, { min: 1 })
      .map((f, j) => c.oneOf(f, materialFormats, `${p}.formats.${j}`));
    const template = c.text(item, 'template', `${p}.template`, { optional: true });
    const notes = c.text(item, 'notes', `${p}.notes`, { optional: true });
    const source = c.text(item, 'source', `${p}.source`, { optional: true });
    out.push({
      key: key ?? '',
      name: name ?? '',
      required,
      form: form ?? 'copy',
      ...(typeof copies === 'number' ? { copies } : {}),
      formats: formats.filter((f): f is MaterialFormat => f !== undefined),
      ...(template ? { template } : {}),
      ...(notes ? { notes } : {}),
      ...(source ? { source } : {}),
    });
  });
  return out;
}

function validateForm(c: Checker, input: Record<string, unknown>): MatterSpec['form'] {
  const form = c.object(input, 'form', 'form');
  if (!form) return { schema: {}, layout: [] };
  c.unknownKeys(form, ['schema', 'layout'], 'form');
  const schema = c.object(form, 'schema', 'form.schema') ?? {};
  if (schema.type !== 'object') c.fail('form.schema.type', 'the form schema must be a JSON Schema with type: object');
  const properties = isObject(schema.properties) ? schema.properties : {};
  if (!isObject(schema.properties)) c.fail('form.schema.properties', 'must be a mapping of fields');
  for (const [field, def] of Object.entries(properties)) {
    if (!isObject(def) || typeof def.type !== 'string')
      c.fail(`form.schema.properties.${field}`, 'each field needs a type');
  }
  if (schema.required !== undefined) {
    if (!Array.isArray(schema.required)) c.fail('form.schema.required', 'must be a list of field names');
    else
      schema.required.forEach((r, i) => {
        if (typeof r !== 'string' || !Object.hasOwn(properties, r))
          c.fail(`form.schema.required.${i}`, `"${String(r)}" is not a field of the form`);
      });
  }
  const layout = c.list(form, 'layout', 'form.layout', { min: 1 }).map((item, i) => {
    const p = `form.layout.${i}`;
    if (!isObject(item)) {
      c.fail(p, 'must be a mapping with field');
      return { field: '' };
    }
    c.unknownKeys(item, ['field', 'span', 'section'], p);
    const field = c.text(item, 'field', `${p}.field`) ?? '';
    if (field && !Object.hasOwn(properties, field)) c.fail(`${p}.field`, `"${field}" is not a field of form.schema`);
    const span = item.span;
    if (span !== undefined && (!Number.isInteger(span) || (span as number) < 1 || (span as number) > 24))
      c.fail(`${p}.span`, 'a grid span 1–24');
    const section = c.text(item, 'section', `${p}.section`, { optional: true });
    return { field, ...(typeof span === 'number' ? { span } : {}), ...(section ? { section } : {}) };
  });
  return { schema, layout };
}

function validateFees(c: Checker, input: Record<string, unknown>): MatterSpec['fees'] {
  const fees = c.object(input, 'fees', 'fees');
  if (!fees) return { charged: false, items: [] };
  c.unknownKeys(fees, ['charged', 'items', 'notes'], 'fees');
  const charged = c.bool(fees, 'charged', 'fees.charged');
  const items = c.list(fees, 'items', 'fees.items', { optional: true }).map((item, i) => {
    const p = `fees.items.${i}`;
    if (!isObject(item)) {
      c.fail(p, 'must be a mapping with name, basis, amount');
      return { name: '', basis: '', amount: '' };
    }
    c.unknownKeys(item, ['name', 'basis', 'amount'], p);
    return {
      name: c.text(item, 'name', `${p}.name`) ?? '',
      basis: c.text(item, 'basis', `${p}.basis`) ?? '',
      amount: c.text(item, 'amount', `${p}.amount`) ?? '',
    };
  });
  if (charged && items.length === 0) c.fail('fees.items', 'a charged matter lists its fee items');
  const notes = c.text(fees, 'notes', 'fees.notes', { optional: true });
  return { charged, items, ...(notes ? { notes } : {}) };
}
