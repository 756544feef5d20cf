/**
 * Workflow-engine benchmark (issue 4): one approval process run N times to completion,
 * through the pure Guotu engine and through bpmn-engine 25, side by side.
 *
 *   start → 受理 accept → ⊗ xg ─(simple)──────────────────────────▶ decide → end
 *                          └─(default)─▶ ✚ fork ─▶ reviewA (国土科) ─┐
 *                                              └─▶ reviewB (规划科) ─┴▶ ✚ join → decide
 *
 * Both engines get the same XML except the condition text (each engine's expression
 * dialect); the run takes the default branch (parallel review). bpmn-engine's user tasks
 * are driven by signalling them on `wait`; it gets a pre-parsed source context so that
 * neither side re-parses XML per instance. Run: npx tsx bench/engine.bench.ts
 */
// bench/tsconfig.json includes only bench/*.ts and bpmn-moddle ships no types: pull in our typing.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- no import form exists for an ambient module declaration
/// <reference path="../packages/engine/types/bench-modules.d.ts" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import BpmnModdle from 'bpmn-moddle';
import * as elements from 'bpmn-elements';
import serializer, { TypeResolver } from 'moddle-context-serializer';
import { parseDefinition, step } from '../packages/engine/src/index.ts';
import type { InstanceState } from '../packages/engine/src/index.ts';

const N_PURE = Number(process.env.N_PURE ?? 20_000);
const N_BPMN = Number(process.env.N_BPMN ?? 1_000);

const xml = (condition: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:guotu="http://guotu.org/schema/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="bench" targetNamespace="http://guotu.org/bench">
  <process id="approval" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="accept" name="受理" guotu:candidateRoles="window"/>
    <exclusiveGateway id="xg" default="toFork"/>
    <parallelGateway id="fork"/>
    <userTask id="reviewA" name="国土科审查" guotu:assignee="alice"/>
    <userTask id="reviewB" name="规划科审查" guotu:assignee="bob"/>
    <parallelGateway id="join"/>
    <userTask id="decide" name="审批" guotu:assignee="lee"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="accept"/>
    <sequenceFlow id="f2" sourceRef="accept" targetRef="xg"/>
    <sequenceFlow id="simple" sourceRef="xg" targetRef="decide"><conditionExpression xsi:type="tFormalExpression">${condition}</conditionExpression></sequenceFlow>
    <sequenceFlow id="toFork" sourceRef="xg" targetRef="fork"/>
    <sequenceFlow id="f3" sourceRef="fork" targetRef="reviewA"/>
    <sequenceFlow id="f4" sourceRef="fork" targetRef="reviewB"/>
    <sequenceFlow id="f5" sourceRef="reviewA" targetRef="join"/>
    <sequenceFlow id="f6" sourceRef="reviewB" targetRef="join"/>
    <sequenceFlow id="f7" sourceRef="join" targetRef="decide"/>
    <sequenceFlow id="f8" sourceRef="decide" targetRef="end"/>
  </process>
</definitions>`;

const { definition } = parseDefinition(xml('${simple == true}'), { key: 'approval', version: 1 });
const now = '2026-03-02T01:00:00.000Z';

function runPure(n: number): number {
  let completed = 0;
  for (let i = 0; i < n; i++) {
    let state: InstanceState = step(
      definition,
      undefined,
      { type: 'start', instanceId: `i${i}`, variables: { simple: false } },
      now,
    ).state;
    const acceptId = Object.keys(state.tasks)[0]!;
    state = step(definition, state, { type: 'claim', taskId: acceptId, by: 'wendy' }, now).state;
    state = step(definition, state, { type: 'completeTask', taskId: acceptId, by: 'wendy' }, now).state;
    for (const t of Object.values(state.tasks))
      state = step(definition, state, { type: 'completeTask', taskId: t.id, by: t.assignee ?? '' }, now).state;
    const decide = Object.values(state.tasks)[0]!;
    state = step(
      definition,
      state,
      { type: 'completeTask', taskId: decide.id, by: 'lee', decision: 'approve' },
      now,
    ).state;
    if (state.status === 'completed') completed++;
  }
  return completed;
}

let bpmnWaits = 0;
interface WaitApi {
  signal: (message?: unknown) => void;
}

async function runBpmnEngine(n: number): Promise<number> {
  const moddle = new BpmnModdle();
  const moddleContext = await moddle.fromXML(xml('${environment.variables.simple}'));
  const sourceContext = serializer(moddleContext, TypeResolver(elements));
  let completed = 0;
  for (let i = 0; i < n; i++) {
    const engine = new Engine({ name: `i${i}`, sourceContext });
    const listener = new EventEmitter();
    listener.on('wait', (api: WaitApi) => {
      bpmnWaits++;
      api.signal();
    });
    const ended = engine.waitFor('end');
    // `simple` is left unset: `${environment.variables.simple}` is falsy, so the default branch runs.
    await engine.execute({ listener });
    await ended;
    completed++;
  }
  return completed;
}

runPure(Math.min(2000, N_PURE)); // warm-up
const t1 = process.hrtime.bigint();
const pureDone = runPure(N_PURE);
const pureSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
await runBpmnEngine(Math.min(100, N_BPMN)); // warm-up
const t2 = process.hrtime.bigint();
const bpmnDone = await runBpmnEngine(N_BPMN);
const bpmnSeconds = Number(process.hrtime.bigint() - t2) / 1e9;
// Sanity: every bpmn-engine instance must have stopped at the four user tasks.
if (bpmnWaits !== 4 * (N_BPMN + Math.min(100, N_BPMN)))
  throw new Error(`bpmn-engine signalled ${bpmnWaits} waits, expected 4 per instance`);

const purePerSecond = pureDone / pureSeconds;
const bpmnPerSecond = bpmnDone / bpmnSeconds;
const ratio = purePerSecond / bpmnPerSecond;
const result = {
  benchmark: 'engine-pure',
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  process: 'accept → exclusive gateway → parallel review (2 offices) → decide; 6 commands per instance',
  goalRatio: 50,
  pure: { instances: N_PURE, completed: pureDone, seconds: pureSeconds, perSecond: purePerSecond },
  bpmnEngine: {
    version: '25.0.1',
    instances: N_BPMN,
    completed: bpmnDone,
    seconds: bpmnSeconds,
    perSecond: bpmnPerSecond,
  },
  ratio,
};
console.log(
  `pure engine : ${pureDone}/${N_PURE} instances in ${pureSeconds.toFixed(3)} s = ${purePerSecond.toFixed(0)} instances/s`,
);
console.log(
  `bpmn-engine : ${bpmnDone}/${N_BPMN} instances in ${bpmnSeconds.toFixed(3)} s = ${bpmnPerSecond.toFixed(0)} instances/s`,
);
console.log(`ratio       : ${ratio.toFixed(1)}× (goal ≥ 50×)`);
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'engine-pure.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
