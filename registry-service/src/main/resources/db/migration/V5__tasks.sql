-- Declarative tasks: every revision of a task file as applied (canonical JSON), never changed in place.
create table task_revision (
    id          bigserial    primary key,
    task_name   varchar(64)  not null,
    revision    integer      not null,
    spec        text         not null,
    spec_sha256 varchar(64)  not null,
    created_by  varchar(128) not null,
    created_at  timestamp with time zone not null,
    unique (task_name, revision)
);

-- The jobs a task's runs queued: which revision and variant each one trains.
create table task_run (
    job_id       varchar(64)  primary key,
    task_name    varchar(64)  not null,
    revision     integer      not null,
    variant      varchar(32)  not null,
    requested_by varchar(128) not null,
    requested_at timestamp with time zone not null
);
create index task_run_by_task on task_run (task_name, requested_at desc);
