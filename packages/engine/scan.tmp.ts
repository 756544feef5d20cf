import { readdirSync, readFileSync } from 'node:fs';
import { parseDefinition } from './src/parse-definition.ts';
const dir = '/work/shared/testdata/bpmn/betsy';
const core = new Set(JSON.parse(readFileSync('/work/shared/testdata/bpmn/betsy-core-subset.json', 'utf8')) as string[]);
const mode = process.argv[2];
for (const f of readdirSync(dir).sort()) {
  const isC = f.startsWith('bpmn_constraints');
  if ((mode === 'c') !== isC) continue;
  try { parseDefinition(readFileSync(`${dir}/${f}`, 'utf8')); if (isC) console.log('ACCEPTED', f); }
  catch (e) { const d = (e as {details?: {path:string;message:string}[]}).details ?? []; if (!isC) console.log(core.has(f.replace(/^[a-z]+__/, '').replace('.bpmn','')) ? 'CORE-REFUSED' : 'refused', f, JSON.stringify(d.slice(0,3))); else if (process.argv[3]) console.log('refused', f, JSON.stringify(d.slice(0,2))); }
}
