-- The platform build that trained each version (its lineage names the code as well as the data).
alter table model_version add column code_version varchar(128);

-- Every progress snapshot of every job: the curves a model page and the dashboard draw, kept after the job ends.
create table training_curve_point (
    id                bigserial        primary key,
    job_id            varchar(64)      not null,
    step              integer          not null,
    total_steps       integer          not null,
    epoch             integer          not null,
    train_loss        double precision not null,
    validation_loss   double precision,
    learning_rate     double precision not null,
    tokens_per_second double precision not null,
    recorded_at       timestamp with time zone not null,
    unique (job_id, step)
);
