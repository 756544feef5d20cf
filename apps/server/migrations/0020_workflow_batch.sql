-- Group commit of workflow commands (docs/workflow.md § Group commit, ADR 0007, issue #4).
--
-- wf_load_instances: the row locks of several instances, taken in id order (two batches that
-- share instances queue behind each other instead of deadlocking), the locks of their open
-- tasks' step clocks, then every runtime row of each instance as wf_load_instance reads it —
-- in ONE call. Instances that do not exist are left out of the result.
create function wf_load_instances(p_ids uuid[], p_lock boolean) returns json
language plpgsql volatile as $$
declare
  result json;
begin
  if p_lock then
    perform 1 from wf_instances where id = any(p_ids) order by id for update;
    perform 1 from clocks where id in (select clock_id from wf_tasks where instance_id = any(p_ids) and status = 'open') order by id for update;
  end if;
  select coalesce(json_agg(wf_load_instance(i.id, false) order by i.id), '[]') into result
    from wf_instances i where i.id = any(p_ids);
  return result;
end
$$;
