-- Group commit of workflow commands, the load in one round trip (docs/workflow.md § Group
-- commit, issue #4).
--
-- wf_load_group: what a group transaction reads before it steps its commands, in ONE call —
-- the tasks the commands name (read without a lock, as a plain select would), then the row locks
-- and every runtime row of their instances (wf_load_instance for one, wf_load_instances for
-- several: the single one's correlated reads cost half), and the latest version of each process
-- definition a start names. Three statements per group became one; the shapes of the parts are
-- the functions' and the task select's before.
create function wf_load_group(p_task_ids bigint[], p_keys text[], p_lock boolean) returns json
language plpgsql volatile as $$
declare
  tasks json;
  ids uuid[];
begin
  select coalesce(json_agg(json_build_object(
      'id', t.id, 'instance_id', t.instance_id, 'task_key', t.task_key, 'node', t.node, 'name', t.name,
      'assignee', t.assignee, 'owner', t.owner, 'delegation', t.delegation, 'candidate_roles', t.candidate_roles,
      'org_id', t.org_id, 'org_path', t.org_path, 'form_key', t.form_key, 'status', t.status,
      'created_at', t.created_at, 'claimed_at', t.claimed_at, 'completed_at', t.completed_at,
      'completed_by', t.completed_by, 'decision', t.decision, 'opinion', t.opinion, 'due_at', t.due_at,
      'data', t.data, 'business_key', i.business_key, 'definition_key', i.definition_key)), '[]'),
    array_agg(distinct t.instance_id order by t.instance_id)
  into tasks, ids
  from wf_tasks t join wf_instances i on i.id = t.instance_id
  where t.id = any(p_task_ids);
  return json_build_object(
    'tasks', tasks,
    'one', case when cardinality(ids) = 1 then wf_load_instance(ids[1], p_lock) end,
    'group', case when cardinality(ids) > 1 then wf_load_instances(ids, p_lock) end,
    'latest', (select coalesce(json_object_agg(d.key, d.version), '{}')
      from (select key, max(version) as version from wf_definitions where key = any(p_keys) group by key) d));
end
$$;
