-- Jobs as the registry saw them: requested, progressing, trained, evaluated or failed.
create table training_job (
    job_id            varchar(64)  primary key,
    model_name        varchar(64)  not null,
    dataset_name      varchar(64)  not null,
    dataset_version   varchar(64)  not null,
    base_model        varchar(512) not null,
    method            varchar(32)  not null,
    hyperparameters   text         not null,
    requested_by      varchar(128),
    reason            text,
    status            varchar(16)  not null,
    step              integer,
    total_steps       integer,
    train_loss        double precision,
    validation_loss   double precision,
    tokens_per_second double precision,
    failure_reason    text,
    requested_at      timestamp with time zone not null,
    updated_at        timestamp with time zone not null
);

-- One row per trained model: its lineage, where its weights are, and its metrics.
create table model_version (
    id                        bigserial    primary key,
    model_name                varchar(64)  not null,
    version                   integer      not null,
    job_id                    varchar(64)  not null unique references training_job (job_id),
    stage                     varchar(16)  not null,
    dataset_name              varchar(64)  not null,
    dataset_version           varchar(64)  not null,
    dataset_sha256            varchar(64),
    base_model                varchar(512) not null,
    method                    varchar(32)  not null,
    hyperparameters           text         not null,
    model_uri                 text         not null,
    model_sha256              varchar(64)  not null,
    model_size_bytes          bigint       not null,
    training_metrics          text         not null,
    evaluation_metrics        text,
    evaluation_report_uri     text,
    evaluation_report_sha256  varchar(64),
    evaluation_failure_reason text,
    created_at                timestamp with time zone not null,
    evaluated_at              timestamp with time zone,
    unique (model_name, version)
);
create index model_version_by_name on model_version (model_name, version desc);

-- Dataset versions announced on dataset-versions.
create table dataset_version (
    dataset_name     varchar(64) not null,
    version          varchar(64) not null,
    parent_version   varchar(64),
    task             varchar(32) not null,
    content_sha256   varchar(64) not null,
    train_count      integer     not null,
    validation_count integer     not null,
    test_count       integer     not null,
    created_at       timestamp with time zone not null,
    primary key (dataset_name, version)
);

-- Events already applied, so a redelivered event changes nothing twice.
create table processed_event (
    event_id     uuid        primary key,
    topic        varchar(64) not null,
    processed_at timestamp with time zone not null
);
