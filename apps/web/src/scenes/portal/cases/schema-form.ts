/**
 * The matter's application form (JSON Schema `type: object` + layout, docs/matters.md) as a list of
 * sections and fields the portal can render. Pure: no React, tested in schema-form.test.ts. Only
 * the shapes the matter catalog uses are rendered as controls (string, enum, number, integer,
 * boolean); anything else is listed as `unsupported` so it is never silently dropped. The server
 * validates the data against the schema; the browser's rules are hints.
 */

export interface FormLayoutEntry {
  field: string;
  span?: number;
  section?: string;
}

export interface MatterFormSpec {
  schema: {
    type?: string;
    required?: string[];
    properties?: Record<string, JsonSchemaProperty>;
  };
  layout?: FormLayoutEntry[];
}

export interface JsonSchemaProperty {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}

export type FieldKind = 'string' | 'text' | 'enum' | 'number' | 'integer' | 'boolean' | 'division' | 'unsupported';

export interface FormField {
  name: string;
  label: string;
  description: string | null;
  kind: FieldKind;
  required: boolean;
  span: number;
  options: string[];
  minimum: number | null;
  maximum: number | null;
  exclusiveMinimum: number | null;
  exclusiveMaximum: number | null;
  maxLength: number | null;
  pattern: string | null;
}

export interface FormSection {
  title: string | null;
  fields: FormField[];
}

function mainType(type: JsonSchemaProperty['type']): string | undefined {
  if (Array.isArray(type)) return type.find((t) => t !== 'null');
  return type;
}

/** A county division code is picked from the division tree, not typed. */
export function isDivisionField(name: string, property: JsonSchemaProperty): boolean {
  return /DivisionCode$/.test(name) && mainType(property.type) === 'string';
}

function fieldOf(name: string, property: JsonSchemaProperty, required: boolean, span: number): FormField {
  const type = mainType(property.type);
  let kind: FieldKind;
  if (Array.isArray(property.enum) && property.enum.every((v) => typeof v === 'string')) kind = 'enum';
  else if (isDivisionField(name, property)) kind = 'division';
  else if (type === 'string') kind = (property.maxLength ?? 0) > 200 ? 'text' : 'string';
  else if (type === 'number') kind = 'number';
  else if (type === 'integer') kind = 'integer';
  else if (type === 'boolean') kind = 'boolean';
  else kind = 'unsupported';
  return {
    name,
    label: property.title ?? name,
    description: property.description ?? null,
    kind,
    required,
    span: Math.min(24, Math.max(1, Math.round(span))),
    options: kind === 'enum' ? (property.enum as string[]) : [],
    minimum: property.minimum ?? null,
    maximum: property.maximum ?? null,
    exclusiveMinimum: property.exclusiveMinimum ?? null,
    exclusiveMaximum: property.exclusiveMaximum ?? null,
    maxLength: property.maxLength ?? null,
    pattern: property.pattern ?? null,
  };
}

/**
 * Sections in layout order (fields grouped by their `section`, first appearance wins), then the
 * schema's properties the layout leaves out, in a last untitled section.
 */
export function formSections(spec: MatterFormSpec): FormSection[] {
  const properties = spec.schema.properties ?? {};
  const required = new Set(spec.schema.required ?? []);
  const sections: FormSection[] = [];
  const byTitle = new Map<string | null, FormSection>();
  const placed = new Set<string>();
  const sectionFor = (title: string | null) => {
    let section = byTitle.get(title);
    if (!section) {
      section = { title, fields: [] };
      byTitle.set(title, section);
      sections.push(section);
    }
    return section;
  };
  for (const entry of spec.layout ?? []) {
    const property = properties[entry.field];
    if (!property || placed.has(entry.field)) continue;
    placed.add(entry.field);
    sectionFor(entry.section ?? null).fields.push(
      fieldOf(entry.field, property, required.has(entry.field), entry.span ?? 24),
    );
  }
  for (const [name, property] of Object.entries(properties)) {
    if (placed.has(name)) continue;
    sectionFor(null).fields.push(fieldOf(name, property, required.has(name), 24));
  }
  return sections;
}

/**
 * The form data to save: empty strings and cleared numbers are left out (a missing required
 * field is then one of the server's problems), strings trimmed; fields the schema does not know
 * are kept as they came from the server.
 */
export function formDataForSave(
  values: Record<string, unknown>,
  fields: readonly FormField[],
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
  const known = new Set(fields.map((f) => f.name));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(previous)) if (!known.has(name)) out[name] = value;
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (trimmed !== '') out[field.name] = trimmed;
    } else out[field.name] = value;
  }
  return out;
}

/** Same data, field by field (the editor's "unsaved changes" mark). */
export function sameFormData(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return false;
  return true;
}
