-- Group commit of workflow commands (docs/workflow.md § Group commit, issue #4).
--
-- wf_load_instances: the row locks of several instances, taken in id order (two transactions that
-- share instances queue behind each other instead of deadlocking), the locks of their open
-- tasks' step clocks, then every runtime row of all of them — in ONE call, each table read once
-- for the whole group (rows tagged with their instance id `i`), not once per instance as
-- wf_load_instance would. Instances that do not exist are left out.
create function wf_load_instances(p_ids uuid[], p_lock boolean) returns json
language plpgsql volatile as $$
declare
  result json;
begin
  if p_lock then
    perform 1 from wf_instances where id = any(p_ids) order by id for update;
    perform 1 from clocks where id in (select clock_id from wf_tasks where instance_id = any(p_ids) and status = 'open') order by id for update;
  end if;
  select json_build_object(
      'instances', (select coalesce(json_agg(json_build_object(
          'id', i.id, 'definition_key', i.definition_key, 'definition_version', i.definition_version,
          'status', i.status, 'business_key', i.business_key, 'org_id', i.org_id, 'org_path', o.path,
          'started_by', i.started_by, 'started_at', i.started_at, 'ended_at', i.ended_at,
          'version', i.version, 'seq', i.seq, 'root_scope', i.root_scope, 'error', i.error)), '[]')
        from wf_instances i join org_units o on o.id = i.org_id where i.id = any(p_ids)),
      'scopes', (select coalesce(json_agg(json_build_object('i', instance_id, 'k', scope_key, 'kind', kind, 'c', container, 'p', parent_token, 'd', data)), '[]')
        from wf_scopes where instance_id = any(p_ids)),
      'variables', (select coalesce(json_agg(json_build_object('i', instance_id, 's', scope_key, 'n', name, 'v', value)), '[]')
        from wf_variables where instance_id = any(p_ids)),
      'tokens', (select coalesce(json_agg(json_build_object('i', instance_id, 'k', token_key, 'n', node, 's', scope_key, 'd', data) order by instance_id, token_key), '[]')
        from wf_tokens where instance_id = any(p_ids)),
      'tasks', (select coalesce(json_agg(json_build_object('i', t.instance_id, 'id', t.id, 'k', t.task_key, 'n', t.node, 'name', t.name, 'a', t.assignee, 'o', t.owner,
          'del', t.delegation, 'roles', t.candidate_roles, 'form', t.form_key, 'created', t.created_at, 'due', t.due_at, 'clock', t.clock_id,
          'op', t.org_path, 'd', t.data,
          'clk', case when c.id is not null then json_build_object('subjectType', c.subject_type, 'subjectId', c.subject_id, 'purpose', c.purpose,
            'ruleKey', c.rule_key, 'unit', c.unit, 'startedAt', c.started_at, 'limit', c.limit_value, 'pauses', c.pauses, 'extensions', c.extensions,
            'stoppedAt', c.stopped_at, 'dueAt', c.due_at, 'dueDate', c.due_date, 'dueProblem', c.due_problem, 'warnAt', c.warn_at,
            'warnFraction', c.warn_fraction, 'warnRemaining', c.warn_remaining, 'version', c.version) end) order by t.id), '[]')
        from wf_tasks t left join clocks c on c.id = t.clock_id where t.instance_id = any(p_ids) and t.status = 'open'),
      'timers', (select coalesce(json_agg(json_build_object('i', instance_id, 'id', id, 'k', timer_key, 'n', node, 't', token_key, 'due', due_at, 'spec', spec,
          'it', iteration, 'rem', remaining) order by id), '[]')
        from wf_timers where instance_id = any(p_ids) and status = 'pending'),
      'subscriptions', (select coalesce(json_agg(json_build_object('i', instance_id, 'k', subscription_key, 'kind', kind, 'name', name, 'n', node, 't', token_key)), '[]')
        from wf_subscriptions where instance_id = any(p_ids)),
      'completions', (select coalesce(json_agg(json_build_object('i', instance_id, 'k', task_key, 'n', node, 's', scope_key, 'by', completed_by, 'ct', created_tasks, 'vars', vars)), '[]')
        from wf_completions where instance_id = any(p_ids)),
      'circulations', (select coalesce(json_agg(json_build_object('i', c.instance_id, 'id', c.id, 'k', c.circulation_key, 't', c.task_key, 'f', c.from_user, 'to', c.to_users,
          'm', c.message, 'at', c.at,
          'r', (select json_object_agg(r.username, r.read_at) from wf_circulation_reads r where r.circulation_id = c.id)) order by c.id), '[]')
        from wf_circulations c where c.instance_id = any(p_ids)),
      'completed', (select coalesce(json_agg(json_build_object('i', instance_id, 'at', at, 'n', node, 't', task_key, 'by', by_user, 'dec', decision) order by instance_id, id), '[]')
        from wf_history where instance_id = any(p_ids) and type = 'task.completed'))
    into result;
  return result;
end
$$;
