/**
 * Betsy conformance harness (uniba-dsg/betsy models, see ../shared/testdata/README.md).
 * Script bodies are handler names; this file registers the handlers the README describes,
 * runs each case on a virtual clock and compares traces as sorted multisets.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isAppError } from '@guotu/domain';
import { BpmnError, parseDefinition, step } from '../src/index.ts';
import type { Command, Definition, Handler, InstanceState, Json, StepOptions } from '../src/index.ts';

export interface BetsyCase {
  test: string | null;
  integerVariable: number;
  delayMs: number;
  parallelProcess: boolean;
  expectedTrace: string[];
}
interface BetsyModel {
  process: string;
  group: string;
  cases: BetsyCase[];
}
export interface BetsyReport {
  core: { passed: number; total: number };
  all: { passed: number; total: number };
  constraints: { refused: number; total: number };
  failures: string[];
}

const T0 = Date.parse('2026-01-05T00:00:00.000Z');
const MAX_STEPS = 500;

/** ../shared/testdata beside the repo (GUOTU_TESTDATA overrides; a clone elsewhere on this machine uses the workspace copy). */
export function resolveTestdata(repoRoot: string): string {
  if (process.env.GUOTU_TESTDATA) return process.env.GUOTU_TESTDATA;
  const beside = path.resolve(repoRoot, '../shared/testdata');
  return existsSync(beside) || !existsSync('/work/shared/testdata') ? beside : '/work/shared/testdata';
}

function handlers(trace: string[]): Record<string, Handler> {
  const log =
    (entry: string): Handler =>
    () => {
      trace.push(entry);
    };
  const noop: Handler = () => undefined;
  const inc =
    (andLog: boolean): Handler =>
    (ctx) => {
      if (andLog) trace.push('INCREMENT_correct');
      const v = ctx.variables.integerVariable;
      return { variables: { integerVariable: (typeof v === 'number' ? v : 0) + 1 } };
    };
  const out: Record<string, Handler> = {
    CREATE_MARKER_FILE: log('MARKER_exists'),
    INCREMENT_INTEGER_VARIABLE: inc(false),
    INCREMENT_INTEGER_VARIABLE_AND_LOG: inc(true),
    SET_STRING_DATA: () => ({ variables: { data: 'String' } }),
    LOG_DATA: (ctx) => {
      if (ctx.variables.data === 'String') trace.push('DATA_correct');
    },
    THROW_ERROR: () => {
      throw new BpmnError('ERR_CODE');
    },
    CREATE_LOG_FILE: noop,
    CREATE_TIMESTAMP_LOG_1: noop,
    CREATE_TIMESTAMP_LOG_2: noop,
  };
  for (let i = 1; i <= 9; i++) out[`SCRIPT_task${i}`] = log(`SCRIPT_task${i}`);
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();

interface Inst {
  def: Definition;
  state: InstanceState | undefined;
}

/** Message or signal start events of a definition's main process, by name. */
const eventStarts = (d: Definition, kind: 'message' | 'signal'): string[] =>
  (d.processes[d.mainProcess]?.starts ?? []).flatMap((id) => {
    const ev = d.nodes[id]?.event;
    return ev?.type === 'message' && kind === 'message'
      ? [ev.message]
      : ev?.type === 'signal' && kind === 'signal'
        ? [ev.signal]
        : [];
  });
const messageStarts = (d: Definition): string[] => [...eventStarts(d, 'message'), ...eventStarts(d, 'signal')];

/**
 * Runs one case; returns the observed trace. `others` are the document's other top-level
 * processes (betsy's "parallel process"): none-start ones are started first, message-start
 * ones when a matching message is sent; the harness plays the host and routes `message.send`
 * and `signal.thrown` effects between the instances.
 */
export function runCase(main: Definition, others: Definition[], c: BetsyCase): string[] {
  const trace: string[] = [];
  const opts: StepOptions = { handlers: handlers(trace) };
  const errorMarker = c.expectedTrace.includes('ERROR') ? 'ERROR' : 'ERROR_runtime';
  const vars: Record<string, Json> = { integerVariable: c.integerVariable };
  if (c.test !== null) vars.test = c.test;
  const insts: Inst[] = [{ def: main, state: undefined }, ...others.map((def) => ({ def, state: undefined }))];
  const jobs: { inst: Inst; jobId: string; at: number }[] = [];
  const mail: { from: Inst; kind: 'message' | 'signal'; name: string }[] = [];
  const apply = (inst: Inst, cmd: Command, at: number): void => {
    const res = step(inst.def, inst.state, cmd, iso(at), opts);
    inst.state = res.state;
    for (const e of res.effects) {
      // WAIT_TEN_SECONDS is left unregistered: the engine asks for it (service.invoke) and the
      // harness answers ten virtual seconds later, so timers can fire while it "runs".
      if (e.type === 'service.invoke') jobs.push({ inst, jobId: e.jobId, at: at + 10_000 });
      if (e.type === 'message.send') mail.push({ from: inst, kind: 'message', name: e.name });
      if (e.type === 'signal.thrown') mail.push({ from: inst, kind: 'signal', name: e.name });
    }
  };
  const deliver = (at: number): void => {
    for (let m = mail.shift(); m; m = mail.shift()) {
      for (const inst of insts) {
        if (inst === m.from) continue;
        const st = inst.state;
        if (m.kind === 'signal') {
          if (st?.status === 'running') apply(inst, { type: 'signal', name: m.name }, at);
          else if (!st && eventStarts(inst.def, 'signal').includes(m.name))
            apply(
              inst,
              { type: 'start', instanceId: `betsy-${inst.def.mainProcess}`, variables: vars, signal: m.name },
              at,
            );
        } else if (
          st?.status === 'running' &&
          Object.values(st.subscriptions).some((x) => x.kind === 'message' && x.name === m.name)
        ) {
          apply(inst, { type: 'correlateMessage', name: m.name }, at);
          break;
        } else if (!st && eventStarts(inst.def, 'message').includes(m.name)) {
          apply(
            inst,
            { type: 'start', instanceId: `betsy-${inst.def.mainProcess}`, variables: vars, message: m.name },
            at,
          );
          break;
        }
      }
    }
  };
  try {
    for (const inst of insts.slice(1)) {
      if (messageStarts(inst.def).length === 0)
        apply(inst, { type: 'start', instanceId: `betsy-${inst.def.mainProcess}`, variables: vars }, T0);
    }
    apply(insts[0]!, { type: 'start', instanceId: 'betsy', variables: vars }, T0);
    deliver(T0);
    for (let i = 0; i < MAX_STEPS; i++) {
      const timers = insts.flatMap((inst) =>
        inst.state?.status === 'running' ? Object.values(inst.state.timers).map((t) => ({ inst, t })) : [],
      );
      const timer = timers
        .filter((x) => x.t.dueAt !== undefined)
        .sort((a, b) => Date.parse(a.t.dueAt ?? '') - Date.parse(b.t.dueAt ?? '') || a.t.id.localeCompare(b.t.id))[0];
      const job = jobs
        .filter((j) => Object.values(j.inst.state?.tokens ?? {}).some((t) => t.job === j.jobId))
        .sort((a, b) => a.at - b.at)[0];
      const timerAt = timer?.t.dueAt !== undefined ? Date.parse(timer.t.dueAt) : Infinity;
      const at = Math.min(timerAt, job?.at ?? Infinity);
      if (at === Infinity || at - T0 > Math.max(c.delayMs, 0) + 1000) break;
      if (job && job.at <= timerAt) apply(job.inst, { type: 'completeService', jobId: job.jobId }, at);
      else if (timer) apply(timer.inst, { type: 'fireTimer', timerId: timer.t.id }, at);
      deliver(at);
    }
  } catch (e) {
    return [...trace, isAppError(e) ? 'ERROR' : errorMarker];
  }
  const failed = insts.find((x) => x.state?.status === 'failed')?.state;
  if (failed) {
    const thrown = failed.error?.kind === 'bpmnError' && c.expectedTrace.includes('ERROR_thrownErrorEvent');
    trace.push(thrown ? 'ERROR_thrownErrorEvent' : errorMarker);
  }
  return trace;
}

/** The document's other executable top-level processes (not called by a callActivity). */
function otherProcesses(xml: string, main: Definition): Definition[] {
  const called = new Set(
    Object.values(main.nodes).flatMap((n) => (n.calledElement !== undefined ? [n.calledElement] : [])),
  );
  return Object.values(main.processes)
    .filter((p) => p.id !== main.mainProcess && p.executable && !called.has(p.id))
    .map((p) => parseDefinition(xml, { mainProcess: p.id }).definition);
}

const sameMultiset = (a: string[], b: string[]): boolean =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

export function runBetsy(testdata: string): BetsyReport {
  const bpmnDir = path.join(testdata, 'bpmn');
  const dir = path.join(bpmnDir, 'betsy');
  const expected = JSON.parse(readFileSync(path.join(bpmnDir, 'betsy-expected.json'), 'utf8')) as BetsyModel[];
  const core = new Set(JSON.parse(readFileSync(path.join(bpmnDir, 'betsy-core-subset.json'), 'utf8')) as string[]);
  const files = readdirSync(dir).filter((f) => f.endsWith('.bpmn'));
  const report: BetsyReport = {
    core: { passed: 0, total: 0 },
    all: { passed: 0, total: 0 },
    constraints: { refused: 0, total: 0 },
    failures: [],
  };
  for (const f of files.filter((x) => x.startsWith('bpmn_constraints__')).sort()) {
    report.constraints.total++;
    try {
      parseDefinition(readFileSync(path.join(dir, f), 'utf8'));
      report.failures.push(`constraint accepted: ${f}`);
    } catch (e) {
      if (isAppError(e) && e.code === 'DEFINITION_INVALID') report.constraints.refused++;
      else report.failures.push(`constraint crashed: ${f}: ${String(e)}`);
    }
  }
  for (const m of expected) {
    const file = files.find((x) => x === `${m.group}__${m.process}.bpmn`);
    let def: Definition | undefined;
    let others: Definition[] = [];
    let refusal = '';
    try {
      if (!file) throw new Error('model file missing');
      const xml = readFileSync(path.join(dir, file), 'utf8');
      def = parseDefinition(xml).definition;
      others = otherProcesses(xml, def);
    } catch (e) {
      refusal = e instanceof Error ? e.message : String(e);
    }
    m.cases.forEach((c, i) => {
      const actual = def ? runCase(def, others, c) : ['ERROR'];
      const ok = sameMultiset(actual, c.expectedTrace);
      const isCore = core.has(m.process);
      report.all.total++;
      if (isCore) report.core.total++;
      if (ok) {
        report.all.passed++;
        if (isCore) report.core.passed++;
      } else {
        const why = def ? '' : ` (refused: ${refusal.slice(0, 160)})`;
        report.failures.push(
          `${isCore ? 'CORE ' : ''}FAIL ${m.process}#${i} test=${String(c.test)}: expected ${JSON.stringify(c.expectedTrace)} got ${JSON.stringify(actual)}${why}`,
        );
      }
    });
  }
  return report;
}
