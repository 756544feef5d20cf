import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../test/harness.ts';
import { workflowClient } from './test-support.ts';

/*
 * Call-activity version bindings (guotu:versionBinding on a callActivity):
 *
 *   parent: start → call ⟶ [child] → end          child: start → work (name = the version's label) → end
 *
 * `deployment` = the child version that was the newest when the calling parent version was
 * deployed; `latest` = the newest child now; `version` = the one named.
 */
const child = (label: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:guotu="http://guotu.org/schema/bpmn" id="childDefs" targetNamespace="http://guotu.org/test">
  <process id="bindChild" name="子流程" isExecutable="true">
    <startEvent id="cs"/>
    <userTask id="work" name="${label}" guotu:candidateRoles="handler"/>
    <endEvent id="ce"/>
    <sequenceFlow id="c1" sourceRef="cs" targetRef="work"/>
    <sequenceFlow id="c2" sourceRef="work" targetRef="ce"/>
  </process>
</definitions>`;

const parent = (id: string, binding: string, name = '主流程', extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:guotu="http://guotu.org/schema/bpmn" id="${id}Defs" targetNamespace="http://guotu.org/test">
  <process id="${id}" name="${name}" isExecutable="true">
    <startEvent id="ps"/>
    <callActivity id="call" name="调用子流程" calledElement="bindChild" guotu:versionBinding="${binding}"${extra}/>
    <endEvent id="pe"/>
    <sequenceFlow id="p1" sourceRef="ps" targetRef="call"/>
    <sequenceFlow id="p2" sourceRef="call" targetRef="pe"/>
  </process>
</definitions>`;

describe.each(engines)('call-activity version binding on %s', (engine) => {
  let t: TestApp;
  let wf: ReturnType<typeof workflowClient>;
  beforeAll(async () => {
    t = await createTestApp(engine, { jobs: true });
    wf = workflowClient(t);
  });
  afterAll(async () => t.close());

  /** Starts the process and answers the name of the open child task (the child version's label). */
  const calledLabel = async (body: { key: string; version?: number }) => {
    const started = await wf.start('admin', body);
    expect(started.status).toBe(201);
    expect(started.body.tasks.map((x) => x.node)).toEqual(['work']);
    return started.body.tasks[0]?.name;
  };

  it('binds `deployment` to the child version live when the parent version was deployed', async () => {
    expect((await wf.deploy('admin', child('子流程 v1'))).body).toMatchObject({ key: 'bindChild', version: 1 });
    expect((await wf.deploy('admin', parent('bindParent', 'deployment'))).body).toMatchObject({
      key: 'bindParent',
      version: 1,
    });
    expect((await wf.deploy('admin', parent('bindLatest', 'latest'))).body).toMatchObject({ version: 1 });
    expect((await wf.deploy('admin', child('子流程 v2'))).body).toMatchObject({ key: 'bindChild', version: 2 });

    // parent v1 was deployed before child v2: it keeps calling child v1; `latest` moves on
    expect(await calledLabel({ key: 'bindParent' })).toBe('子流程 v1');
    expect(await calledLabel({ key: 'bindLatest' })).toBe('子流程 v2');

    // parent v2, deployed after child v2, calls child v2; parent v1 still calls child v1
    expect((await wf.deploy('admin', parent('bindParent', 'deployment', '主流程（修订）'))).body).toMatchObject({
      key: 'bindParent',
      version: 2,
    });
    expect(await calledLabel({ key: 'bindParent' })).toBe('子流程 v2');
    expect(await calledLabel({ key: 'bindParent', version: 1 })).toBe('子流程 v1');

    // an explicit version binding is unaffected
    expect((await wf.deploy('admin', parent('bindPinned', 'version', '主流程', ' guotu:version="1"'))).status).toBe(
      201,
    );
    expect(await calledLabel({ key: 'bindPinned' })).toBe('子流程 v1');
  });

  it('records the bound child version in the running instance and completes back into the parent', async () => {
    const started = await wf.start('admin', { key: 'bindParent', version: 1 });
    const work = started.body.tasks[0]!.id;
    const scope = await t.ctx.database.db
      .selectFrom('wf_scopes')
      .select('data')
      .where('instance_id', '=', started.body.instanceId)
      .where('kind', '=', 'callActivity')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(scope.data)).toContain('bindChild@1');
    const done = await wf.op('handler', work, 'complete');
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
  });

  it('fails the call when no child version was deployed by the time the parent was', async () => {
    expect(
      (await wf.deploy('admin', parent('bindEarly', 'deployment').replaceAll('bindChild', 'bindLateChild'))).status,
    ).toBe(201);
    expect((await wf.deploy('admin', child('迟到的子流程').replaceAll('bindChild', 'bindLateChild'))).status).toBe(201);
    const started = await wf.start('admin', { key: 'bindEarly' });
    expect(started.body.tasks).toEqual([]);
    expect(started.body.status).toBe('failed');
    const instance = await wf.call<{ error: { message: string } | null }>(
      'admin',
      'GET',
      `/api/v1/workflow/instances/${started.body.instanceId}`,
    );
    expect(instance.body.error?.message).toContain('bindLateChild');
  });
});
