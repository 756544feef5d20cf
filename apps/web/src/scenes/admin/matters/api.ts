import type { MatterHead as CaseMatterHead } from '../../../api/cases.ts';
import { api, ApiError } from '../../../api/client.ts';

/** Admin endpoints of the matter catalog (docs/matters.md). */

/** A matter in the admin list: the head the case screens use, plus publication and draft state. */
export interface MatterHead extends CaseMatterHead {
  publishedAt: string | null;
  draftVersion: number | null;
  draftUpdatedAt: string | null;
}

export interface ImportAnswer {
  items: Array<{
    code: string;
    name: string;
    version: number;
    status: 'draft' | 'published';
    action: 'created' | 'updated' | 'unchanged';
  }>;
}

export const mattersPath = '/matters';
export const importMatters = (yaml: string, publish: boolean) =>
  api<ImportAnswer>('/matters/import', { method: 'POST', body: { yaml, publish } });
export const publishMatter = (code: string) =>
  api<{ versions: Array<{ version: number; status: string }> }>(`/matters/${encodeURIComponent(code)}/publish`, {
    method: 'POST',
  });
export const discardDraft = (code: string) =>
  api<undefined>(`/matters/${encodeURIComponent(code)}/draft`, { method: 'DELETE' });

/** The export is YAML, not JSON: fetched as text. */
export async function exportYaml(query: { codes?: string[]; draft?: boolean } = {}): Promise<string> {
  const params = new URLSearchParams();
  if (query.codes?.length) params.set('codes', query.codes.join(','));
  if (query.draft) params.set('draft', 'true');
  const response = await fetch(`/api/v1/matters/export?${params.toString()}`, { credentials: 'same-origin' });
  const text = await response.text();
  if (!response.ok) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw new ApiError(response.status, body as ConstructorParameters<typeof ApiError>[1], response.statusText);
  }
  return text;
}
