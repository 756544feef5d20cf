/** Types of the public service-guide endpoints (GET /api/v1/public/matters[/:code]); see docs/matters.md. */
import type { MatterFormSpec } from '../cases/schema-form.ts';

export type MatterLevel = 'province' | 'city' | 'county';
export const matterLevels: readonly MatterLevel[] = ['province', 'city', 'county'];
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

export interface GuideLimit {
  which: 'statutory' | 'promised' | 'expedite';
  key: string;
  name: string;
  limit: number;
  extension: number | null;
  unit: 'workday' | 'day' | 'hour';
  kind: 'statutoryLimit' | 'promisedLimit';
  source: { law: string; article: string };
  notes: string | null;
}

export interface GuideSummary {
  code: string;
  version: number;
  name: string;
  category: string;
  levels: MatterLevel[];
  decidingOrgan: string;
  expedite: boolean;
  statutoryLimit: Omit<GuideLimit, 'which'> | null;
  promisedLimit: Omit<GuideLimit, 'which'> | null;
  publishedAt: string | null;
}

export interface GuideMaterial {
  key: string;
  name: string;
  required: boolean;
  form: 'original' | 'copy' | 'originalAndCopy' | 'electronic';
  copies?: number;
  formats: string[];
  template?: string;
  notes?: string;
  source?: string;
}

export interface Guide {
  code: string;
  version: number;
  publishedAt: string | null;
  name: string;
  category: string;
  levels: MatterLevel[];
  submissionPath?: MatterLevel[];
  decidingOrgan: string;
  basis: Array<{ law: string; article: string; text?: string }>;
  conditions: string[];
  materials: GuideMaterial[];
  fees: { charged: boolean; items: Array<{ name: string; basis: string; amount: string }>; notes?: string };
  limits: GuideLimit[];
  expedite: boolean;
  supervision: { office: string; phone: string; address?: string; email?: string };
  consultation?: { phone: string; address?: string };
  sources: Array<{ title: string; documentNumber?: string; verified: boolean; url?: string }>;
  process: { key: string; version: number; name: string | null; xml: string } | null;
  /** the application form (JSON Schema + layout) the online application renders */
  form: MatterFormSpec;
}
