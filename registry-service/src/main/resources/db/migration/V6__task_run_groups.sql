-- The jobs one run of a task queued together: the gate promotes only the best passing one of them.
alter table task_run add column run_id varchar(64);
create index task_run_by_run on task_run (run_id);
