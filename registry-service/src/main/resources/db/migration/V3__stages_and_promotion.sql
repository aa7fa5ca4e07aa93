-- Every stage change of a model version: who moved it, from where to where, and why (the audit trail).
create table stage_change (
    id               bigserial    primary key,
    model_version_id bigint       not null references model_version (id),
    model_name       varchar(64)  not null,
    version          integer      not null,
    from_stage       varchar(16),
    to_stage         varchar(16)  not null,
    changed_by       varchar(128) not null,
    reason           text         not null,
    changed_at       timestamp with time zone not null
);
create index stage_change_by_model on stage_change (model_name, changed_at desc);

-- The promotion gate of a model name (one task): the metric it gates on and the gains a new version needs.
create table promotion_policy (
    model_name               varchar(64)  primary key,
    metric                   varchar(64)  not null,
    higher_is_better         boolean      not null,
    min_gain_over_baseline   double precision not null,
    min_gain_over_production double precision not null,
    target_stage             varchar(16)  not null,
    updated_by               varchar(128) not null,
    updated_at               timestamp with time zone not null
);

-- The gate's decision on each evaluated version: passed or not, and why in words.
alter table model_version add column gate_passed boolean;
alter table model_version add column gate_decision text;
