-- Workflow commands, fewer and cheaper statements (docs/workflow.md § Benchmark, issue #4).
--
-- wf_load_instance: the instance row lock and every runtime row of the instance in ONE call, as
-- JSON. A PL/pgSQL function keeps its statements' plans per session, so the nine-sub-select
-- aggregation is planned once per connection instead of on every command (on PGlite, planning
-- in WASM was the largest part of a load). It is VOLATILE: under READ COMMITTED each statement
-- in it takes a fresh snapshot, so the read after a lock wait sees what the previous holder of
-- the lock committed (the one-statement load had to detect that and read again).
-- The open tasks carry their step clock (definition, due, version), locked with the instance, so
-- a completion stops it in its write statement without reading it again.
create function wf_load_instance(p_id uuid, p_lock boolean) returns json
language plpgsql volatile as $$
declare
  result json;
begin
  if p_lock then
    perform 1 from wf_instances where id = p_id for update;
    perform 1 from clocks where id in (select clock_id from wf_tasks where instance_id = p_id and status = 'open') order by id for update;
  end if;
  select json_build_object(
      'id', i.id, 'definition_key', i.definition_key, 'definition_version', i.definition_version,
      'status', i.status, 'business_key', i.business_key, 'org_id', i.org_id, 'org_path', o.path,
      'started_by', i.started_by, 'started_at', i.started_at, 'ended_at', i.ended_at,
      'version', i.version, 'seq', i.seq, 'root_scope', i.root_scope, 'error', i.error,
      'scopes', (select coalesce(json_agg(json_build_object('k', scope_key, 'kind', kind, 'c', container, 'p', parent_token, 'd', data)), '[]')
        from wf_scopes where instance_id = i.id),
      'variables', (select coalesce(json_agg(json_build_object('s', scope_key, 'n', name, 'v', value)), '[]')
        from wf_variables where instance_id = i.id),
      'tokens', (select coalesce(json_agg(json_build_object('k', token_key, 'n', node, 's', scope_key, 'd', data) order by token_key), '[]')
        from wf_tokens where instance_id = i.id),
      'tasks', (select coalesce(json_agg(json_build_object('id', t.id, 'k', t.task_key, 'n', t.node, 'name', t.name, 'a', t.assignee, 'o', t.owner,
          'del', t.delegation, 'roles', t.candidate_roles, 'form', t.form_key, 'created', t.created_at, 'due', t.due_at, 'clock', t.clock_id,
          'op', t.org_path, 'd', t.data,
          'clk', case when c.id is not null then json_build_object('subjectType', c.subject_type, 'subjectId', c.subject_id, 'purpose', c.purpose,
            'ruleKey', c.rule_key, 'unit', c.unit, 'startedAt', c.started_at, 'limit', c.limit_value, 'pauses', c.pauses, 'extensions', c.extensions,
            'stoppedAt', c.stopped_at, 'dueAt', c.due_at, 'dueDate', c.due_date, 'dueProblem', c.due_problem, 'warnAt', c.warn_at,
            'warnFraction', c.warn_fraction, 'warnRemaining', c.warn_remaining, 'version', c.version) end) order by t.id), '[]')
        from wf_tasks t left join clocks c on c.id = t.clock_id where t.instance_id = i.id and t.status = 'open'),
      'timers', (select coalesce(json_agg(json_build_object('id', id, 'k', timer_key, 'n', node, 't', token_key, 'due', due_at, 'spec', spec,
          'it', iteration, 'rem', remaining) order by id), '[]')
        from wf_timers where instance_id = i.id and status = 'pending'),
      'subscriptions', (select coalesce(json_agg(json_build_object('k', subscription_key, 'kind', kind, 'name', name, 'n', node, 't', token_key)), '[]')
        from wf_subscriptions where instance_id = i.id),
      'completions', (select coalesce(json_agg(json_build_object('k', task_key, 'n', node, 's', scope_key, 'by', completed_by, 'ct', created_tasks, 'vars', vars)), '[]')
        from wf_completions where instance_id = i.id),
      'circulations', (select coalesce(json_agg(json_build_object('id', c.id, 'k', c.circulation_key, 't', c.task_key, 'f', c.from_user, 'to', c.to_users,
          'm', c.message, 'at', c.at,
          'r', (select json_object_agg(r.username, r.read_at) from wf_circulation_reads r where r.circulation_id = c.id)) order by c.id), '[]')
        from wf_circulations c where c.instance_id = i.id),
      'completed', (select json_agg(json_build_object('at', at, 'n', node, 't', task_key, 'by', by_user, 'dec', decision) order by id)
        from wf_history where instance_id = i.id and type = 'task.completed'))
    into result
    from wf_instances i join org_units o on o.id = i.org_id
    where i.id = p_id;
  return result;
end
$$;
